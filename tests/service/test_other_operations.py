"""SSM operations that are not maintenance-window operations never reach the network."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.ssm.models import ssm_backends

from ssm_mw_stub import mock_maintenance_windows
from ssm_mw_stub.errors import UnmockedOperationError

from .. import helpers
from ..helpers import START

WINDOW = {**helpers.WINDOW, "Name": "abc", "AllowUnassociatedTargets": False}


def test_other_operations_fail_loudly_by_default(stop_at_send: Any) -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    seen = stop_at_send(ssm)
    with mock_maintenance_windows(start=START), pytest.raises(UnmockedOperationError) as excinfo:
        ssm.get_parameter(Name="/app/setting")
    assert seen == []
    text = str(excinfo.value)
    assert "GetParameter" in text
    assert "mock_aws" in text
    assert "passthrough" in text


def test_tagging_other_resource_types_is_not_answered_as_a_window() -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    with mock_maintenance_windows(start=START), pytest.raises(UnmockedOperationError):
        ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/app/setting")


def test_passthrough_lets_named_operations_continue_through_botocore(
    stop_at_send: Any,
) -> None:
    ssm = boto3.client(
        "ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    seen = stop_at_send(ssm)
    with mock_maintenance_windows(start=START, passthrough={"GetParameter"}):
        with pytest.raises(stop_at_send.Stopped):
            ssm.get_parameter(Name="/app/setting")
        assert len(seen) == 1
        with pytest.raises(UnmockedOperationError):
            ssm.describe_parameters()
        ssm.create_maintenance_window(**WINDOW)  # still answered in-process
    assert len(seen) == 1


def test_passthrough_true_lets_every_other_operation_continue(stop_at_send: Any) -> None:
    ssm = boto3.client(
        "ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    seen = stop_at_send(ssm)
    mock = mock_maintenance_windows(start=START, passthrough=True)
    with mock, pytest.raises(stop_at_send.Stopped):
        ssm.describe_parameters()
    assert len(seen) == 1


def test_moto_answers_the_rest_when_both_are_active() -> None:
    with mock_aws(), mock_maintenance_windows(start=START):
        ssm = boto3.client("ssm", region_name="us-east-1")
        ssm.put_parameter(Name="/app/setting", Value="on", Type="String")
        assert ssm.get_parameter(Name="/app/setting")["Parameter"]["Value"] == "on"
        ssm.add_tags_to_resource(
            ResourceType="Parameter", ResourceId="/app/setting",
            Tags=[{"Key": "Owner", "Value": "ops"}],
        )
        window_id = ssm.create_maintenance_window(**WINDOW)["WindowId"]
        ssm.add_tags_to_resource(
            ResourceType="MaintenanceWindow", ResourceId=window_id,
            Tags=[{"Key": "Owner", "Value": "sre"}],
        )
        assert ssm.get_maintenance_window(WindowId=window_id)["Name"] == "abc"
        # The window lives in the stub, not in moto's backend.
        assert ssm_backends["123456789012"]["us-east-1"].windows == {}
        assert ssm.list_tags_for_resource(
            ResourceType="Parameter", ResourceId="/app/setting"
        )["TagList"] == [{"Key": "Owner", "Value": "ops"}]
        assert ssm.list_tags_for_resource(
            ResourceType="MaintenanceWindow", ResourceId=window_id
        )["TagList"] == [{"Key": "Owner", "Value": "sre"}]
