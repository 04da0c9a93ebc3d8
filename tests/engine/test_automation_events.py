"""EC2 Automation Execution and Step Status-change Notifications, as AWS's examples show
them, in order with the window's own events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ssm_mw_stub import AutomationStep, MaintenanceWindows, TaskOutcome

EXECUTION = "EC2 Automation Execution Status-change Notification"
STEP = "EC2 Automation Step Status-change Notification"
INVOCATION = "Maintenance Window Task Target Invocation State-change Notification"
SERVICE_LINKED = (
    "arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForAmazonSSM/OrchestrationService"
)


def automation_events(mw: MaintenanceWindows) -> list[dict[str, Any]]:
    return [e for e in mw.events if e["detail-type"] in (EXECUTION, STEP)]


def test_a_window_started_execution_reports_its_status_changes(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    task(window_id)  # targetless AWS-RestartEC2Instance
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("Failed", duration=timedelta(seconds=95)))
    mw.advance(timedelta(hours=3))
    [execution] = read.executions(window_id)
    [task_execution] = read.tasks(execution["WindowExecutionId"])
    [invocation] = read.invocations(execution["WindowExecutionId"],
                                    task_execution["TaskExecutionId"])
    execution_id = invocation["ExecutionId"]

    kinds = [e["detail-type"] for e in mw.events if e["detail-type"] in (EXECUTION, INVOCATION)]
    assert kinds == [INVOCATION, EXECUTION, EXECUTION, INVOCATION]
    started, ended = automation_events(mw)
    for event in (started, ended):
        assert event["source"] == "aws.ssm"
        assert event["resources"] == [
            f"arn:aws:ssm:us-east-1:123456789012:automation-execution/{execution_id}",
            "arn:aws:ssm:us-east-1::automation-definition/AWS-RestartEC2Instance:1",
        ]
    base = {
        "ExecutionId": execution_id,
        "Definition": "AWS-RestartEC2Instance",
        "DefinitionVersion": 1.0,
        "StartTime": "Nov 24, 2026 2:00:00 AM",
        "ExecutedBy": SERVICE_LINKED,
    }
    assert started["time"] == "2026-11-24T02:00:00Z"
    assert started["detail"] == {**base, "Status": "InProgress"}
    assert ended["time"] == "2026-11-24T02:01:35Z"
    assert ended["detail"] == {
        **base, "Status": "Failed", "EndTime": "Nov 24, 2026 2:01:35 AM", "Time": 95000.0
    }
    # Key order as in the AWS example.
    assert list(ended["detail"]) == [
        "ExecutionId", "Definition", "DefinitionVersion", "Status", "StartTime", "EndTime",
        "Time", "ExecutedBy",
    ]


def test_reported_steps_have_step_events_and_a_customer_runbook_names_the_account(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    mw.on_task("runcommand1", lambda inv: TaskOutcome("Success", steps=[
        AutomationStep("runFixedCmds", "aws:runCommand", duration=timedelta(seconds=2.63)),
        AutomationStep("skipped", status="Pending"),
    ]))
    mw.advance_to("2026-11-24T19:43:23Z")
    execution_id = ssm.start_automation_execution(DocumentName="runcommand1")[
        "AutomationExecutionId"
    ]
    mw.advance(timedelta(minutes=1))
    events = automation_events(mw)
    assert [(e["detail-type"], e["detail"]["Status"]) for e in events] == [
        (EXECUTION, "InProgress"), (STEP, "InProgress"), (STEP, "Success"), (EXECUTION, "Success"),
    ]
    step_done = events[2]
    assert step_done["resources"][1] == (
        "arn:aws:ssm:us-east-1:123456789012:automation-definition/runcommand1:1"
    )
    assert step_done["detail"] == {
        "ExecutionId": execution_id,
        "Definition": "runcommand1",
        "DefinitionVersion": 1.0,
        "Status": "Success",
        "EndTime": "Nov 24, 2026 7:43:25 PM",
        "StartTime": "Nov 24, 2026 7:43:23 PM",
        "Time": 2630.0,
        "StepName": "runFixedCmds",
        "Action": "aws:runCommand",
    }
    assert events[3]["detail"]["ExecutedBy"] == "arn:aws:iam::123456789012:root"


def test_a_stopped_execution_reports_cancelling_then_cancelled(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    mw.on_task("Slow", lambda inv: TaskOutcome("Success", duration=timedelta(hours=1)))
    execution_id = ssm.start_automation_execution(DocumentName="Slow")["AutomationExecutionId"]
    mw.advance(timedelta(minutes=3))
    ssm.stop_automation_execution(AutomationExecutionId=execution_id)
    mw.advance(timedelta(hours=2))
    statuses = [e["detail"]["Status"] for e in automation_events(mw)]
    assert statuses == ["InProgress", "Cancelling", "Cancelled"]


def test_each_execution_without_a_handler_has_both_events(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], target: Callable[..., str],
    task: Callable[..., str], fleet: list[str],
) -> None:
    window_id = window()
    task(window_id, [target(window_id)])
    mw.advance(timedelta(hours=3))
    events = automation_events(mw)
    assert len(events) == 2 * len(fleet)
    assert [e["detail"]["Status"] for e in events[:2]] == ["InProgress", "Success"]
    assert events[1]["detail"]["Time"] == 0.0
    assert len({e["id"] for e in mw.events}) == len(mw.events)


def test_the_detail_time_format_is_javas_medium_us_format() -> None:
    from datetime import datetime, timezone

    from ssm_mw_stub.model.events import automation_time

    def at(hour: int, minute: int) -> str:
        return automation_time(datetime(2024, 11, 9, hour, minute, 7, tzinfo=timezone.utc))

    assert at(0, 5) == "Nov 9, 2024 12:05:07 AM"
    assert at(11, 59) == "Nov 9, 2024 11:59:07 AM"
    assert at(12, 0) == "Nov 9, 2024 12:00:07 PM"
    assert at(19, 43) == "Nov 9, 2024 7:43:07 PM"
