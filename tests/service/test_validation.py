"""Service-side validation: what botocore lets through, the service must refuse.

The generic test walks the botocore model of all 26 operations, breaks one constraint at a
time (max, min, pattern, enum, required) with botocore's validation off, and expects the
AWS-worded ValidationException naming that member; the other tests pin exact messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError
from botocore.model import Shape

from ssm_mw_stub import mock_maintenance_windows
from ssm_mw_stub.service import OPERATIONS

from .. import helpers
from ..helpers import START

_SERVICE_MODEL = boto3.session.Session().client("ssm", region_name="us-east-1").meta.service_model

SAMPLES = {
    "^mw-[0-9a-f]{17}$": "mw-0123456789abcdef0",
    "^[a-zA-Z0-9_\\-.]{3,128}$": "abc",
    "^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$": "1",
    "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$": "1",
    "([$]LATEST|[$]DEFAULT|^[1-9][0-9]*$)": "1",
    "^(?!\\s*$).+": "alarm",
}
UUID = "11111111-2222-4333-8444-555555555555"


def valid(shape: Shape) -> Any:
    """A value that satisfies ``shape`` (only the members the shape requires)."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        return {name: valid(shape.members[name]) for name in shape.required_members}
    if kind == "list":
        return [valid(shape.member)] * meta.get("min", 0)
    if kind == "map":
        return {}
    if kind in ("integer", "long"):
        return meta.get("min", 1)
    if kind == "boolean":
        return True
    if kind == "blob":
        return b"x"
    enum = getattr(shape, "enum", None)
    if enum:
        return "MaintenanceWindow" if "MaintenanceWindow" in enum else enum[0]
    pattern = meta.get("pattern")
    if pattern:
        return SAMPLES.get(pattern, UUID if "{8}" in pattern else "Key")
    return "x" * max(meta.get("min", 1), 1)


def breakages(shape: Shape) -> Iterator[tuple[Any, str]]:
    """(bad value, the constraint text the service must name) for a scalar shape."""
    meta = shape.metadata
    if shape.type_name == "string":
        if "max" in meta:
            yield "a" * (meta["max"] + 1), f"length less than or equal to {meta['max']}"
        if meta.get("min", 0) > 1 and "pattern" not in meta:
            yield "a" * (meta["min"] - 1), f"length greater than or equal to {meta['min']}"
        if "pattern" in meta and "\\p{" not in meta["pattern"]:
            yield " ", "regular expression pattern"
        if getattr(shape, "enum", None):
            yield "NOT_A_VALUE", "enum value set"
    elif shape.type_name in ("integer", "long"):
        if "max" in meta:
            yield meta["max"] + 1, f"value less than or equal to {meta['max']}"
        if "min" in meta:
            yield meta["min"] - 1, f"value greater than or equal to {meta['min']}"


def cases() -> Iterator[Any]:
    for operation in sorted(OPERATIONS):
        shape = _SERVICE_MODEL.operation_model(operation).input_shape
        for member, member_shape in shape.members.items():
            camel = member[0].lower() + member[1:]
            if member in shape.required_members:
                yield pytest.param(operation, member, None, "must not be null", camel,
                                   id=f"{operation}-{member}-null")
            for bad, constraint in breakages(member_shape):
                yield pytest.param(operation, member, bad, constraint, camel,
                                   id=f"{operation}-{member}-{constraint[:24]}")


@pytest.mark.parametrize(("operation", "member", "bad", "constraint", "camel"), list(cases()))
def test_every_model_constraint_is_enforced_by_the_service(
    raw_ssm: Any, operation: str, member: str, bad: Any, constraint: str, camel: str
) -> None:
    shape = _SERVICE_MODEL.operation_model(operation).input_shape
    params = valid(shape)
    if bad is None:
        params.pop(member)
    else:
        params[member] = bad
    method = getattr(raw_ssm, xform_name(operation))
    with pytest.raises(ClientError) as excinfo:
        method(**params)
    error = excinfo.value.response["Error"]
    assert error["Code"] == "ValidationException", error
    assert f"at '{camel}' failed to satisfy constraint: Member must " in error["Message"]
    assert constraint in error["Message"]


def message(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    return str(excinfo.value.response["Error"]["Message"])


WINDOW = {**helpers.WINDOW, "Name": "abc", "Duration": 4}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"Duration": 25}, "Value '25' at 'duration' failed to satisfy constraint: "
                           "Member must have value less than or equal to 24"),
        ({"Cutoff": 50}, "Value '50' at 'cutoff' failed to satisfy constraint: "
                         "Member must have value less than or equal to 23"),
        ({"Schedule": "cron(0 16 ? * TUE *)", "ScheduleOffset": 9},
         "Value '9' at 'scheduleOffset' failed to satisfy constraint: "
         "Member must have value less than or equal to 6"),
    ],
)
def test_limits_botocore_does_not_check(ssm: Any, overrides: dict[str, Any], expected: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        ssm.create_maintenance_window(**{**WINDOW, **overrides})
    assert message(excinfo) == f"1 validation error detected: {expected}"


def test_every_broken_constraint_is_listed(ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ssm.create_maintenance_window(**{**WINDOW, "Name": "n" * 200})
    text = message(excinfo)
    assert text.startswith("2 validation errors detected: Value 'nnn")
    assert "at 'name' failed to satisfy constraint: Member must have length less than or " \
        "equal to 128; Value 'nnn" in text
    assert text.endswith(
        "at 'name' failed to satisfy constraint: Member must satisfy regular expression "
        "pattern: ^[a-zA-Z0-9_\\-.]{3,128}$"
    )


def test_patterns_and_enums_botocore_does_not_check(ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ssm.get_maintenance_window(WindowId="mw-zzzzzzzzzzzzzzzzz")
    assert message(excinfo) == (
        "1 validation error detected: Value 'mw-zzzzzzzzzzzzzzzzz' at 'windowId' failed to "
        "satisfy constraint: Member must satisfy regular expression pattern: ^mw-[0-9a-f]{17}$"
    )
    with pytest.raises(ClientError) as excinfo:
        ssm.register_task_with_maintenance_window(
            WindowId="mw-0123456789abcdef0", TaskArn="AWS-RunShellScript", TaskType="BOGUS",
            MaxConcurrency="0",
        )
    assert message(excinfo) == (
        "2 validation errors detected: Value 'BOGUS' at 'taskType' failed to satisfy "
        "constraint: Member must satisfy enum value set: [RUN_COMMAND, AUTOMATION, "
        "STEP_FUNCTIONS, LAMBDA]; Value '0' at 'maxConcurrency' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$"
    )
    with pytest.raises(ClientError) as excinfo:
        ssm.describe_maintenance_windows(MaxResults=500)
    assert "Member must have value less than or equal to 100" in message(excinfo)


def test_minimums_hold_without_botocore_validation(ssm: Any, raw_ssm: Any) -> None:
    with pytest.raises(ParamValidationError):
        ssm.create_maintenance_window(**{**WINDOW, "Duration": 0})
    with pytest.raises(ClientError) as excinfo:
        raw_ssm.create_maintenance_window(**{**WINDOW, "Duration": 0, "Name": "ab"})
    assert message(excinfo) == (
        "3 validation errors detected: Value 'ab' at 'name' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3; Value 'ab' at 'name' failed to "
        "satisfy constraint: Member must satisfy regular expression pattern: "
        "^[a-zA-Z0-9_\\-.]{3,128}$; Value '0' at 'duration' failed "
        "to satisfy constraint: Member must have value greater than or equal to 1"
    )


def test_wrong_types_are_validation_errors_not_crashes(raw_ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        raw_ssm.create_maintenance_window(**{**WINDOW, "Duration": "four", "Name": 7})
    text = message(excinfo)
    assert "at 'duration' failed to satisfy constraint: Member must be of type integer" in text
    assert "at 'name' failed to satisfy constraint: Member must be of type string" in text
    # Shapes botocore's serializer cannot even write reach the service only as raw JSON.
    body = (b'{"WindowId": "mw-0123456789abcdef0", "ResourceType": "INSTANCE", '
            b'"Targets": "i-123"}')
    status, answer = _handle("RegisterTargetWithMaintenanceWindow", body)
    assert status == 400
    assert b"Member must be of type array" in answer


def test_nested_members_are_named_by_path(ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ssm.register_task_with_maintenance_window(
            WindowId="mw-0123456789abcdef0", TaskArn="AWS-RunShellScript",
            TaskType="RUN_COMMAND", MaxConcurrency="1", MaxErrors="1",
            Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
            TaskInvocationParameters={"RunCommand": {
                "TimeoutSeconds": 2592001,
                "NotificationConfig": {"NotificationEvents": ["Success", "Sometimes"]},
            }},
            AlarmConfiguration={"Alarms": [{"Name": "a"}, {"Name": "b"}]},
        )
    text = message(excinfo)
    assert text.startswith("3 validation errors detected: ")
    assert ("Value '2592001' at 'taskInvocationParameters.runCommand.timeoutSeconds' failed to "
            "satisfy constraint: Member must have value less than or equal to 2592000") in text
    assert ("Value '[Success, Sometimes]' at "
            "'taskInvocationParameters.runCommand.notificationConfig.notificationEvents' failed "
            "to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum "
            "value set: [All, InProgress, Success, TimedOut, Cancelled, Failed], Member must "
            "not be null]") in text
    assert ("at 'alarmConfiguration.alarms' failed to satisfy constraint: Member must have "
            "length less than or equal to 1") in text


def test_sensitive_values_are_not_echoed(ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ssm.create_maintenance_window(**WINDOW, Description="secret " * 30)
    assert message(excinfo) == (
        "1 validation error detected: Value at 'description' failed to satisfy constraint: "
        "Member must have length less than or equal to 128"
    )


def test_blob_limits_count_decoded_bytes(ssm: Any) -> None:
    base = {
        "WindowId": "mw-0123456789abcdef0", "TaskArn": "SSMFunction", "TaskType": "LAMBDA",
    }
    with pytest.raises(ClientError) as excinfo:
        ssm.register_task_with_maintenance_window(
            **base, TaskInvocationParameters={"Lambda": {"Payload": b"x" * 4097}}
        )
    assert "at 'taskInvocationParameters.lambda.payload'" in message(excinfo)
    # 4096 bytes is fine (the window does not exist, which is checked afterwards).
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.register_task_with_maintenance_window(
            **base, TaskInvocationParameters={"Lambda": {"Payload": b"x" * 4096}}
        )


def _handle(operation: str, body: bytes) -> tuple[int, bytes]:
    """Send a raw wire body to the service core, as an HTTP front end would."""
    with mock_maintenance_windows(start=START) as mw:
        service = mw._require().service
        shape = _SERVICE_MODEL.operation_model(operation).input_shape
        return service.handle(
            operation, body, account="123456789012", region="us-east-1", input_shape=shape
        )


@pytest.mark.parametrize("body", [b"[1, 2", b"[1, 2]", b"\xff\xfe", b'"text"'])
def test_malformed_body_is_a_validation_error(body: bytes) -> None:
    status, answer = _handle("GetMaintenanceWindow", body)
    assert status == 400
    assert b'"__type": "ValidationException"' in answer

