"""The output-conformance check itself: it catches what it should, where it should.

``tests/conftest.py`` runs ``mw_conformance`` over every answer the stub gives in the whole
suite. These tests show the check is not vacuous: it flags each kind of violation in a
body, it sees answers made through boto3 even where botocore's parser hides the fault,
it ignores answers that did not come from the stub, and a violation fails the test that
produced it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse

from ssm_mw_stub import MaintenanceWindows
from ssm_mw_stub.service import core

from .mw_conformance import allowed_error_codes, check_response, drain
from .mw_fuzz_strategies import MODEL

WINDOW_ID = "mw-0123456789abcdef0"
UUID = "5f0bd7b2-5b7c-4c4f-9d3b-3f8b9b4e1a11"


def _check(operation: str, body: Any, status: int = 200) -> list[str]:
    return check_response(MODEL.operation_model(operation), status, json.dumps(body).encode())


def test_a_conforming_body_passes() -> None:
    body = {
        "WindowId": WINDOW_ID, "Name": "patch", "Schedule": "rate(1 day)", "Duration": 2,
        "Cutoff": 1, "AllowUnassociatedTargets": True, "Enabled": True,
        "CreatedDate": 1795478400.123, "ModifiedDate": 1795478400,
        "NextExecutionTime": "2026-11-25T00:00Z", "Description": "😀" * 64,
    }
    assert _check("GetMaintenanceWindow", body) == []


@pytest.mark.parametrize(
    ("operation", "body", "expected"),
    [
        ("GetMaintenanceWindow", {"WindowId": WINDOW_ID, "Type": "RUN_COMMAND"},
         "Type: not a member of GetMaintenanceWindowResult"),
        ("GetMaintenanceWindow", {"Duration": "2"}, "Duration: expected a JSON integer"),
        ("GetMaintenanceWindow", {"Enabled": "true"}, "Enabled: expected a JSON boolean"),
        ("GetMaintenanceWindow", {"Duration": 25}, "25 is above the model's maximum 24"),
        ("GetMaintenanceWindow", {"WindowId": "mw-0123456789ABCDEF0"}, "does not match"),
        ("GetMaintenanceWindow", {"Name": "ab"}, "length 2 is below the model's minimum 3"),
        ("GetMaintenanceWindow", {"Description": "😀" * 65},
         "length 130 is above the model's maximum 128"),
        ("GetMaintenanceWindow", {"CreatedDate": "2026-11-24T00:00:00Z"},
         "expected epoch seconds"),
        ("GetMaintenanceWindow", {"CreatedDate": 1795478400123}, "not a plausible"),
        ("GetMaintenanceWindow", {"Description": None}, "an unset member must be omitted"),
        ("GetMaintenanceWindowExecution", {"Status": "DONE"}, "is not one of PENDING"),
        ("GetMaintenanceWindowExecution", {"TaskIds": [UUID, None]}, "null list item"),
        ("ListTagsForResource", {"TagList": [{"Key": "k"}]},
         "required member of Tag is missing"),
        ("GetMaintenanceWindowTask", {"Targets": [{"Key": "k", "Values": ["v"] * 51}]},
         "length 51 is above the model's maximum 50"),
        ("DescribeMaintenanceWindows", [], "expected a JSON object"),
    ],
)
def test_each_kind_of_violation_is_reported(operation: str, body: Any, expected: str) -> None:
    problems = _check(operation, body)
    assert any(expected in problem for problem in problems), problems


def test_only_the_documented_empty_values_pass_against_the_model() -> None:
    # AWS sends these empty values although its model forbids them (docs/guarantees.md):
    # the check lets exactly the empty value of the listed shapes through, nothing else.
    command = {
        "OutputS3BucketName": "",
        "NotificationConfig": {"NotificationType": ""},
        "CloudWatchOutputConfig": {"CloudWatchLogGroupName": ""},
        "AlarmConfiguration": {"IgnorePollAlarmFailure": False, "Alarms": []},
        "TriggeredAlarms": [],
    }
    assert _check("ListCommands", {"Commands": [command]}) == []
    automation = {"Parameters": {}, "Outputs": {}, "StepExecutions": [
        {"Outputs": {}, "OverriddenParameters": {}}
    ]}
    assert _check("GetAutomationExecution", {"AutomationExecution": automation}) == []
    assert _check("GetCommandInvocation", {"ExecutionEndDateTime": ""}) == []
    for body, expected in [
        ({"Commands": [{"OutputS3BucketName": "ab"}]}, "below the model's minimum 3"),
        ({"Commands": [{"NotificationConfig": {"NotificationType": "Node"}}]},
         "is not one of Command"),
        ({"Commands": [{"TriggeredAlarms": [{"Name": "a", "State": "ALARM"}] * 2}]},
         "above the model's maximum 1"),
    ]:
        problems = _check("ListCommands", body)
        assert any(expected in problem for problem in problems), problems
    # Elsewhere an empty value is still a violation.
    assert any("below the model's minimum 3" in p for p in _check("GetMaintenanceWindow",
                                                                  {"Name": ""}))


def test_sensitive_values_are_never_printed() -> None:
    secret = "hunter2" * 30  # too long: a violation, but the value must not be shown
    problems = _check("GetMaintenanceWindow", {"Description": secret})
    assert problems
    assert all("hunter2" not in problem for problem in problems)


@pytest.mark.parametrize(
    ("operation", "body", "status", "expected"),
    [
        ("DeleteMaintenanceWindow", {"__type": "DoesNotExistException", "Message": "x"}, 400,
         "code DoesNotExistException is not an error DeleteMaintenanceWindow defines"),
        ("GetMaintenanceWindow", {"__type": "InternalServerError", "Message": "x"}, 500,
         "code InternalServerError is not an error"),
        ("GetMaintenanceWindow", {"__type": "ValidationException"}, 400, "no message"),
        ("GetMaintenanceWindow", {"__type": "DoesNotExistException", "Message": 5}, 400,
         "expected a JSON string"),
        ("GetMaintenanceWindow", {"__type": "DoesNotExistException", "Message": "x",
                                  "Extra": 1}, 400, "not a member of the error"),
        ("GetMaintenanceWindow", {"__type": "DoesNotExistException", "Message": "x"}, 302,
         "not an error status"),
        ("GetMaintenanceWindow", {"__type": "DoesNotExistException", "Message": "x"}, 200,
         "__type: not a member of GetMaintenanceWindowResult"),
    ],
)
def test_error_bodies_are_checked(
    operation: str, body: Any, status: int, expected: str
) -> None:
    problems = _check(operation, body, status)
    assert any(expected in problem for problem in problems), problems


def test_allowed_codes_are_the_modeled_ones_plus_validation() -> None:
    model = MODEL.operation_model("RegisterTaskWithMaintenanceWindow")
    assert allowed_error_codes(model) == {
        "IdempotentParameterMismatch", "DoesNotExistException",
        "ResourceLimitExceededException", "FeatureNotAvailableException",
        "ValidationException",
    }


def test_answers_through_boto3_are_checked(
    mw: MaintenanceWindows, ssm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ctx: Any, request: Any) -> dict[str, Any]:
        return {"WindowId": request["WindowId"], "Duration": "4", "TaskType": "RUN_COMMAND"}

    monkeypatch.setitem(core.OPERATIONS, "GetMaintenanceWindow", broken)
    response = ssm.get_maintenance_window(WindowId=WINDOW_ID)
    # botocore's parser hid both faults: the unknown member is dropped, the string kept.
    assert "TaskType" not in response
    assert response["Duration"] == "4"
    problems = drain()
    assert ("GetMaintenanceWindow", "Duration: expected a JSON integer, got string '4'") in (
        problems
    )
    assert ("GetMaintenanceWindow",
            "TaskType: not a member of GetMaintenanceWindowResult") in problems


def test_answers_not_made_by_the_stub_are_not_checked() -> None:
    """A response from elsewhere (here: a before-send handler standing in for AWS)."""
    ssm = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="a",
                       aws_secret_access_key="b")

    class Body:
        def stream(self, **_: Any) -> Any:
            yield b'{"WindowId": "not-an-id", "Duration": "4"}'

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, {}, Body())

    ssm.meta.events.register_first("before-send.ssm", answer)
    assert ssm.get_maintenance_window(WindowId=WINDOW_ID)["WindowId"] == "not-an-id"
    assert drain() == []


PROBE = Path(__file__).with_name("conformance_probe.py")


def test_a_violation_fails_the_test_that_produced_it() -> None:
    """Run a test whose stub answer is broken, in its own pytest process."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         str(PROBE)],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed, 1 error" in result.stdout
    assert "the stub answered with 1 model violation(s)" in result.stdout
    assert "GetMaintenanceWindow: Enabled: expected a JSON boolean" in result.stdout
