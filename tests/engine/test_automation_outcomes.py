"""What a handler may report for Automation work: statuses, outputs and steps, checked when
the outcome is made (a mistake in the test's own code gets a clear error)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ssm_mw_stub import AutomationStep, TaskOutcome


def test_automation_statuses_are_outcomes() -> None:
    for status in ("Success", "Failed", "TimedOut", "Cancelled", "CompletedWithSuccess",
                   "CompletedWithFailure", "Rejected", "ChangeCalendarOverrideRejected"):
        assert TaskOutcome(status).status == status


def test_a_status_no_service_has_keeps_the_generic_message() -> None:
    with pytest.raises(ValueError, match=(
        r"TaskOutcome status must be one of CANCELLED, FAILED, SUCCESS, TIMED_OUT; "
        r"got 'InProgress' \(or a status of the task's own service: .*Success"
    )):
        TaskOutcome("InProgress")


@pytest.mark.parametrize(
    ("kwargs", "error", "expected"),
    [
        ({"outputs": {"a": "b"}}, TypeError, "outputs must map str to a list of str"),
        ({"steps": [{"name": "x"}]}, TypeError, "steps must be a sequence of "
                                                "ssm_mw_stub.AutomationStep"),
        ({"steps": "main"}, TypeError, "steps must be a sequence"),
        ({"failure_message": 3}, TypeError, "failure_message must be a str or None"),
    ],
)
def test_bad_automation_outcomes(kwargs: dict[str, Any], error: type[Exception],
                                 expected: str) -> None:
    with pytest.raises(error, match=expected):
        TaskOutcome("Success", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "expected"),
    [
        ({"name": ""}, TypeError, "name must be a non-empty str"),
        ({"action": "executeScript"}, ValueError, "action must be an Automation action name"),
        ({"status": "SUCCESS"}, ValueError, "AutomationStep status must be one of"),
        ({"duration": 5}, TypeError, "non-negative datetime.timedelta"),
        ({"duration": timedelta(seconds=-1)}, TypeError, "non-negative datetime.timedelta"),
        ({"inputs": {"a": 1}}, TypeError, "inputs must map str to str"),
        ({"outputs": {"a": ["b", 2]}}, TypeError, "outputs must map str to a list of str"),
        ({"failure_message": b"x"}, TypeError, "failure_message must be a str or None"),
    ],
)
def test_bad_steps(kwargs: dict[str, Any], error: type[Exception], expected: str) -> None:
    with pytest.raises(error, match=expected):
        AutomationStep(**{"name": "main", **kwargs})


def test_a_step_may_stay_pending_or_exit_a_loop() -> None:
    assert AutomationStep("later", status="Pending").status == "Pending"
    assert AutomationStep("loop", "aws:loop", status="Exited").status == "Exited"
