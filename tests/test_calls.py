"""``mw.calls``: every API call the mock answered, in order, with its simulated time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import MaintenanceWindows, TaskOutcome, mock_maintenance_windows
from ssm_mw_stub.errors import UnmockedOperationError

from .helpers import START


def test_calls_in_order_with_parameters_responses_and_times(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    window_id = ssm.create_maintenance_window(
        Name="nightly", Schedule="cron(0 2 * * ? *)", Duration=3, Cutoff=1,
        AllowUnassociatedTargets=True, ClientToken="token-1")["WindowId"]
    mw.advance(timedelta(hours=1))
    window = ssm.get_maintenance_window(WindowId=window_id)
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.get_maintenance_window(WindowId="mw-0123456789abcdef0")

    create, get, missing = mw.calls
    assert [c.operation for c in mw.calls] == [
        "CreateMaintenanceWindow", "GetMaintenanceWindow", "GetMaintenanceWindow"]
    assert create.parameters == {
        "Name": "nightly", "Schedule": "cron(0 2 * * ? *)", "Duration": 3, "Cutoff": 1,
        "AllowUnassociatedTargets": True, "ClientToken": "token-1"}
    assert create.response == {"WindowId": window_id}
    assert create.time == START
    assert create.status_code == 200
    assert create.succeeded
    assert create.error_code is None
    assert create.error_message is None
    assert create.region == "us-east-1"
    assert create.account == "123456789012"
    # The response is what boto3 returned (timestamps parsed), without ResponseMetadata.
    window.pop("ResponseMetadata")
    assert get.response == window
    assert get.time == START + timedelta(hours=1)
    assert missing.response is None
    assert not missing.succeeded
    assert missing.status_code == 400
    assert missing.error_code == "DoesNotExistException"
    assert missing.error_message == "Maintenance window mw-0123456789abcdef0 does not exist"
    assert repr(missing) == (
        "<Call GetMaintenanceWindow at 2026-11-24T01:00:00+00:00 in us-east-1: "
        "DoesNotExistException>"
    )


def test_validation_errors_are_recorded_with_their_code(mw: MaintenanceWindows) -> None:
    from botocore.config import Config

    raw = boto3.client("ssm", region_name="eu-west-1", config=Config(parameter_validation=False))
    with pytest.raises(ClientError):
        raw.create_maintenance_window(
            Name="x", Schedule="cron(0 2 * * ? *)", Duration=30, Cutoff=1,
            AllowUnassociatedTargets=True)
    [call] = mw.calls
    assert call.error_code == "ValidationException"
    assert call.error_message is not None
    assert call.error_message.startswith("3 validation errors detected: ")
    assert call.parameters["Duration"] == 30
    assert call.region == "eu-west-1"


def test_calls_made_by_a_task_handler_carry_its_instant(
    mw: MaintenanceWindows, ssm: Any, make_window: Any
) -> None:
    window_id = make_window(Schedule="cron(0 2 * * ? *)")
    function = "arn:aws:lambda:us-east-1:123456789012:function:f"
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn=function, TaskType="LAMBDA")

    def handler(inv: Any) -> TaskOutcome:
        ssm.describe_maintenance_window_executions(WindowId=inv.window_id)
        return TaskOutcome("SUCCESS", duration=timedelta(minutes=5))

    mw.on_task("LAMBDA", handler)
    mw.clear_calls()
    mw.advance(timedelta(days=2))
    assert [(c.operation, c.time) for c in mw.calls] == [
        ("DescribeMaintenanceWindowExecutions", START + timedelta(hours=2)),
        ("DescribeMaintenanceWindowExecutions", START + timedelta(days=1, hours=2)),
    ]


def test_only_answered_calls_are_recorded(ssm: Any) -> None:
    with mock_maintenance_windows(start=START, passthrough={"GetParameter"}) as mw:
        client = boto3.client("ssm", region_name="us-east-1")
        with pytest.raises(UnmockedOperationError):
            client.describe_parameters()
        client.describe_maintenance_windows()
        assert [c.operation for c in mw.calls] == ["DescribeMaintenanceWindows"]


def test_cleared_with_the_mock_and_kept_after_it_ended() -> None:
    mock = mock_maintenance_windows(start=START)
    assert mock.calls == []
    with mock:
        boto3.client("ssm", region_name="us-east-1").describe_maintenance_windows()
        assert len(mock.calls) == 1
        mock.clear_calls()
        assert mock.calls == []
        boto3.client("ssm", region_name="us-east-1").describe_maintenance_windows()
    # After the mock ended its last calls are still there to look at ...
    assert [c.operation for c in mock.calls] == ["DescribeMaintenanceWindows"]
    with pytest.raises(RuntimeError, match="not active"):
        mock.clear_calls()
    # ... and a new activation starts with none.
    with mock:
        assert mock.calls == []


def test_nested_mocks_record_their_own_calls() -> None:
    with mock_maintenance_windows(start=START) as outer:
        client = boto3.client("ssm", region_name="us-east-1")
        client.describe_maintenance_windows()
        with mock_maintenance_windows(start=START) as inner:
            client.describe_maintenance_windows(MaxResults=10)
        assert [c.parameters for c in outer.calls] == [{}]
        assert [c.parameters for c in inner.calls] == [{"MaxResults": 10}]


def test_reads_decode_afresh(mw: MaintenanceWindows, ssm: Any) -> None:
    ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": ["a"]}])
    [call] = mw.calls
    call.parameters["Filters"].clear()
    call.response["WindowIdentities"].append("x")  # type: ignore[index]
    assert call.parameters == {"Filters": [{"Key": "Name", "Values": ["a"]}]}
    assert call.response == {"WindowIdentities": []}
