"""One test per crash the reliability fuzz found, through boto3, so none comes back.

Each of these used to escape the stub as a Python exception (``TypeError``,
``RecursionError``, ``UnicodeEncodeError``, ``ValueError``, ``IndexError``) instead of an
AWS answer.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import MaintenanceWindows


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def _send_body(client: Any, body: bytes) -> None:
    """Replace the next request's serialised body, just before the stub's hook reads it."""

    def swap(params: dict[str, Any], **_: Any) -> None:
        params["body"] = body
        client.meta.events.unregister("before-call.ssm", swap)

    client.meta.events.register_first("before-call.ssm", swap)


def test_tagging_call_with_a_non_string_resource_type_is_a_validation_error(
    mw: MaintenanceWindows, raw_ssm: Any
) -> None:
    # The hook used to look the ResourceType up in a set: a list made it raise TypeError.
    with pytest.raises(ClientError) as error:
        raw_ssm.list_tags_for_resource(
            ResourceType=["MaintenanceWindow"], ResourceId="mw-0123456789abcdef0"
        )
    assert _code(error) == "ValidationException"
    assert "resourceType" in error.value.response["Error"]["Message"]


@pytest.mark.parametrize("operation", ["list_tags_for_resource", "get_maintenance_window"])
def test_body_nested_deeper_than_json_can_decode_is_a_validation_error(
    mw: MaintenanceWindows, raw_ssm: Any, operation: str
) -> None:
    # Both the hook (tagging calls) and the service decoded it and hit RecursionError.
    _send_body(raw_ssm, b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(ClientError) as error:
        getattr(raw_ssm, operation)()
    assert _code(error) == "ValidationException"
    assert "nested too deeply" in error.value.response["Error"]["Message"]


def test_deeply_nested_member_value_is_reported_without_recursing_forever(
    mw: MaintenanceWindows, raw_ssm: Any
) -> None:
    # Decodable, but printing it in the error message recursed once per level.
    nested = b"[" * 900 + b'"x"' + b"]" * 900
    _send_body(raw_ssm, b'{"WindowId": ' + nested + b"}")
    with pytest.raises(ClientError) as error:
        raw_ssm.get_maintenance_window()
    assert _code(error) == "ValidationException"
    message = error.value.response["Error"]["Message"]
    assert "at 'windowId' failed to satisfy constraint: Member must be of type string" in message
    assert len(message) < 1000


def test_lone_surrogate_in_a_string_counts_as_one_java_char(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    # Measuring the length in UTF-16 raised UnicodeEncodeError for a lone surrogate.
    window_id = make_window(Description="\ud800")
    assert ssm.get_maintenance_window(WindowId=window_id)["Description"] == "\ud800"
    with pytest.raises(ClientError) as error:
        make_window(Description="\udfff" * 129)
    assert _code(error) == "ValidationException"
    assert "Member must have length less than or equal to 128" in (
        error.value.response["Error"]["Message"]
    )


def test_schedule_page_is_bounded_whatever_max_results_asks(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    # MaxResults has no maximum in the model; 2**63 crashed itertools.islice and 2**31 - 1
    # (valid) would have listed two billion starts of an endless schedule.
    window_id = make_window(Schedule="rate(5 minutes)")
    for asked in (2**31 - 1, 2**63):
        page = ssm.describe_maintenance_window_schedule(WindowId=window_id, MaxResults=asked)
        assert len(page["ScheduledWindowExecutions"]) == 100
        assert page["NextToken"]
    first = ssm.describe_maintenance_window_schedule(WindowId=window_id, MaxResults=150)
    second = ssm.describe_maintenance_window_schedule(
        WindowId=window_id, MaxResults=150, NextToken=first["NextToken"]
    )
    times = [
        s["ExecutionTime"]
        for page in (first, second)
        for s in page["ScheduledWindowExecutions"]
    ]
    expected = ssm.get_paginator("describe_maintenance_window_schedule").paginate(
        WindowId=window_id, PaginationConfig={"PageSize": 10, "MaxItems": 200}
    )
    assert times == [s["ExecutionTime"] for p in expected for s in p["ScheduledWindowExecutions"]]
    assert len(set(times)) == 200


@pytest.mark.parametrize("cursor", [10**30, 2**63, 2**31, -1, "x", ["x", 1], [None, "mw"]])
def test_schedule_token_the_service_did_not_issue_is_refused(
    ssm: Any, make_window: Callable[..., str], cursor: Any
) -> None:
    # A skip count of 10**30 in a token crashed itertools.islice; 2**31 would have walked
    # two billion starts before answering.
    window_id = make_window(Schedule="rate(5 minutes)")
    token = base64.urlsafe_b64encode(
        json.dumps({"op": "DescribeMaintenanceWindowSchedule", "c": cursor}).encode()
    ).decode()
    with pytest.raises(ClientError) as error:
        ssm.describe_maintenance_window_schedule(WindowId=window_id, NextToken=token)
    assert _code(error) == "ValidationException"
    assert error.value.response["Error"]["Message"] == "The specified nextToken is not valid."


FIRST_CALLS = r"""
import sys, threading
import boto3
from ssm_mw_stub import mock_maintenance_windows

sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up at once
clients = [boto3.session.Session().client("ssm", region_name="us-east-1") for _ in range(8)]
calls = {
    "register_task_with_maintenance_window": dict(
        WindowId="mw-0123456789abcdef0", TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        MaxConcurrency="1", MaxErrors="0", TaskInvocationParameters={"RunCommand": {}}),
    "update_maintenance_window_task": dict(
        WindowId="mw-0123456789abcdef0", WindowTaskId="00000000-0000-4000-8000-000000000000",
        LoggingInfo={"S3BucketName": "bucket", "S3Region": "us-east-1"}),
    "register_target_with_maintenance_window": dict(
        WindowId="mw-0123456789abcdef0", ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Environment", "Values": ["Prod"]}]),
    "describe_maintenance_window_schedule": dict(WindowId="mw-0123456789abcdef0"),
}
outcomes = []
with mock_maintenance_windows(start="2026-11-24T00:00:00Z"):
    for operation, params in calls.items():
        barrier = threading.Barrier(len(clients))

        def call(client, operation=operation, params=params, barrier=barrier):
            barrier.wait()
            try:
                getattr(client, operation)(**params)
                outcomes.append("ok")
            except client.exceptions.DoesNotExistException:
                outcomes.append("DoesNotExistException")
            except Exception as exc:
                outcomes.append(repr(exc))

        threads = [threading.Thread(target=call, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
print(sorted(set(outcomes)))
"""


def test_first_calls_from_many_threads_at_once_are_answered() -> None:
    # In a fresh process no input shape has been compiled yet, so eight threads making
    # the first call of an operation at the same instant all compile its validator. A
    # thread used to pick up another's half-built checker and fail with IndexError.
    result = subprocess.run(
        [sys.executable, "-c", FIRST_CALLS], capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['DoesNotExistException']"


def test_members_sent_as_null_are_absent_and_never_echoed(
    mw: MaintenanceWindows, raw_ssm: Any, make_window: Callable[..., str]
) -> None:
    # Nested inputs are stored as sent and echoed back; a null inside them came back as
    # "Comment": null, a member the model says is left out when unset.
    window_id = make_window()
    task_id = raw_ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        MaxConcurrency="1", MaxErrors="0", Description=None,
        TaskInvocationParameters={"RunCommand": {"Comment": None, "TimeoutSeconds": 60}},
        LoggingInfo={"S3BucketName": "logs", "S3Region": "us-east-1", "S3KeyPrefix": None},
    )["WindowTaskId"]
    updated = raw_ssm.update_maintenance_window_task(
        WindowId=window_id, WindowTaskId=task_id, Name=None,
        TaskInvocationParameters={"RunCommand": {"Comment": None, "TimeoutSeconds": 90}},
    )
    task = raw_ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    for answer in (updated, task):
        assert answer["TaskInvocationParameters"] == {"RunCommand": {"TimeoutSeconds": 90}}
        assert answer["LoggingInfo"] == {"S3BucketName": "logs", "S3Region": "us-east-1"}
        assert "Name" not in answer
        assert "Description" not in answer


def test_members_the_model_does_not_define_are_ignored_and_never_echoed(
    mw: MaintenanceWindows, ssm: Any, make_window: Callable[..., str]
) -> None:
    # Found by the nightly fuzz: an unknown member inside LoggingInfo (a raw body) was
    # stored with the nested input and echoed back, outside the output shape.
    window_id = make_window()
    body = {
        "WindowId": window_id, "TaskArn": "AWS-RunShellScript", "TaskType": "RUN_COMMAND",
        "Targets": [{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"], "Extra": 1}],
        "MaxConcurrency": "1", "MaxErrors": "0",
        "LoggingInfo": {"S3BucketName": "logs", "S3Region": "us-east-1", "Bogus": "x"},
        "TaskInvocationParameters": {"RunCommand": {"TimeoutSeconds": 60, "Nope": True}},
        "Unknown": "top",
    }
    for _ in range(3):  # the slow path, then the generated fast path, which must decline
        _send_body(ssm, json.dumps(body).encode())
        task_id = ssm.register_task_with_maintenance_window(
            WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND"
        )["WindowTaskId"]
        task = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
        assert task["LoggingInfo"] == {"S3BucketName": "logs", "S3Region": "us-east-1"}
        assert task["Targets"] == [{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}]
        assert task["TaskInvocationParameters"] == {"RunCommand": {"TimeoutSeconds": 60}}


def test_a_filter_time_beyond_what_utc_can_hold_is_a_bound_past_every_instant(
    mw: MaintenanceWindows, ssm: Any, make_window: Callable[..., str]
) -> None:
    # Found by the nightly fuzz: 9999-12-31T23:59:59-14:00 is in year 10000 in UTC, and
    # converting it raised OverflowError out of DescribeMaintenanceWindowSchedule.
    window_id = make_window()
    far = "9999-12-31T23:59:59-14:00"
    found = ssm.describe_maintenance_window_schedule(
        WindowId=window_id, Filters=[{"Key": "ScheduledAfter", "Values": [far]}]
    )["ScheduledWindowExecutions"]
    assert found == []
    found = ssm.describe_maintenance_window_schedule(
        WindowId=window_id, MaxResults=2, Filters=[{"Key": "ScheduledBefore", "Values": [far]}]
    )["ScheduledWindowExecutions"]
    assert len(found) == 2
    early = "0001-01-01T00:00:00+14:00"
    assert ssm.describe_maintenance_window_executions(
        WindowId=window_id, Filters=[{"Key": "ExecutedAfter", "Values": [early]}]
    )["WindowExecutions"] == []


def test_a_command_plugins_key_prefix_fits_the_model_with_the_longest_prefix_sent(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    # Found by the nightly fuzz: a 500-character OutputS3KeyPrefix (the most the model
    # allows) plus the command and node ids made a plugin's prefix longer than its model
    # maximum (also 500).
    mw.add_instance("i-0123456789abcdef0")
    command_id = ssm.send_command(
        InstanceIds=["i-0123456789abcdef0"], DocumentName="AWS-RunShellScript",
        OutputS3BucketName="logs", OutputS3KeyPrefix="a" * 500,
    )["Command"]["CommandId"]
    mw.advance(timedelta(0))
    [node] = ssm.list_command_invocations(CommandId=command_id, Details=True)[
        "CommandInvocations"
    ]
    assert node["CommandPlugins"][0]["OutputS3KeyPrefix"] == "a" * 500


def test_an_id_no_node_can_have_never_becomes_a_run_command_node(
    mw: MaintenanceWindows, ssm: Any, make_window: Callable[..., str]
) -> None:
    # Found by the nightly fuzz: SendCommand with Targets [Key=instanceids, Values=[i-zz]]
    # made a node "i-zz", outside the model's InstanceId pattern in ListCommandInvocations.
    with pytest.raises(ssm.exceptions.InvalidInstanceId):
        ssm.send_command(
            DocumentName="AWS-RunShellScript",
            Targets=[{"Key": "instanceids", "Values": ["i-zz"]}],
        )
    # A window target's ids are not checked when registered; the window's command to them
    # is refused when it is sent, and the invocation fails without a command.
    window_id = make_window(Schedule="cron(0 2 * * ? *)")
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE",
        Targets=[{"Key": "InstanceIds", "Values": ["i-zz"]}],
    )["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="1", MaxErrors="0",
    )
    mw.advance(timedelta(hours=3))
    [execution] = ssm.describe_maintenance_window_executions(WindowId=window_id)[
        "WindowExecutions"
    ]
    [task] = ssm.describe_maintenance_window_execution_tasks(
        WindowExecutionId=execution["WindowExecutionId"]
    )["WindowExecutionTaskIdentities"]
    [invocation] = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution["WindowExecutionId"], TaskId=task["TaskExecutionId"]
    )["WindowExecutionTaskInvocationIdentities"]
    assert (invocation["Status"], invocation["StatusDetails"]) == ("FAILED", "InvalidInstanceId")
    assert ssm.list_commands()["Commands"] == []


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Etc/GMT+12", "Asia/Tokyo"])
def test_at_schedule_years_are_bounded_like_cron_years(
    mw: MaintenanceWindows, ssm: Any, zone: str
) -> None:
    # at(9999-12-31T23:59:59) west of UTC used to be accepted with its instant in year 10000,
    # after which the schedule listing and every mw.advance() raised OverflowError.
    with pytest.raises(ClientError) as excinfo:
        ssm.create_maintenance_window(
            Name="end-of-time", Schedule="at(9999-12-31T23:59:59)", ScheduleTimezone=zone,
            Duration=2, Cutoff=1, AllowUnassociatedTargets=True,
        )
    assert _code(excinfo) == "ValidationException"
    assert "years are 1970-2199" in excinfo.value.response["Error"]["Message"]
    window_id = ssm.create_maintenance_window(
        Name="last-year", Schedule="at(2199-12-31T23:59:59)", ScheduleTimezone=zone,
        Duration=2, Cutoff=1, AllowUnassociatedTargets=True,
    )["WindowId"]
    ssm.describe_maintenance_window_schedule(WindowId=window_id)
    mw.advance(timedelta(minutes=1))
