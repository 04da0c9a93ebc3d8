"""The EventBridge events of executions, task executions and invocations, in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ssm_mw_stub import MaintenanceWindows, TaskOutcome

EXECUTION = "Maintenance Window Execution State-change Notification"
TASK = "Maintenance Window Task Execution State-change Notification"
INVOCATION = "Maintenance Window Task Target Invocation State-change Notification"
REGISTRATION = "Maintenance Window Target Registration Notification"
TASK_REGISTRATION = "Maintenance Window Task Registration Notification"
A = "i-0000000000000000a"


def window_events(mw: MaintenanceWindows) -> list[dict[str, Any]]:
    """The maintenance-window events (an AUTOMATION task's executions add their own
    Automation events, tested in tests/engine/test_automation_events.py)."""
    return [e for e in mw.events if e["detail-type"].startswith("Maintenance Window")]


def test_one_execution_emits_its_state_changes_in_order(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    window_target = target(
        window_id, [{"Key": "InstanceIds", "Values": [A]}], OwnerInformation="Owner"
    )
    task(window_id, [window_target])
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(seconds=90)))
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    task_execution_id = task_execution["TaskExecutionId"]
    window_arn = f"arn:aws:ssm:us-east-1:123456789012:maintenancewindow/{window_id}"
    start, end = "2026-11-24T02:00:00.000Z", "2026-11-24T02:01:30.000Z"

    events = window_events(mw)
    assert [e["detail-type"] for e in events] == [
        REGISTRATION, TASK_REGISTRATION, EXECUTION, EXECUTION, TASK, INVOCATION, INVOCATION,
        TASK, EXECUTION,
    ]
    run = events[2:]
    for event in run:
        assert event["source"] == "aws.ssm"
        assert event["account"] == "123456789012"
        assert event["region"] == "us-east-1"
        assert event["resources"] == [window_arn]
        assert event["version"] == "0"
    assert [e["time"] for e in run] == ["2026-11-24T02:00:00Z"] * 4 + ["2026-11-24T02:01:30Z"] * 3
    execution_base = {"window-id": window_id, "window-execution-id": execution_id}
    assert run[0]["detail"] == {"start-time": start, **execution_base, "status": "PENDING"}
    assert run[1]["detail"] == {"start-time": start, **execution_base, "status": "IN_PROGRESS"}
    assert run[2]["detail"] == {
        "start-time": start, "task-execution-id": task_execution_id, **execution_base,
        "status": "IN_PROGRESS",
    }
    invocation_base = {
        **execution_base, "task-execution-id": task_execution_id,
        "window-target-id": window_target,
    }
    assert run[3]["detail"] == {
        "start-time": start, **invocation_base, "status": "IN_PROGRESS",
        "owner-information": "Owner",
    }
    # An AUTOMATION task's invocation reports COMPLETE, not its outcome (user guide,
    # "Reference: Amazon EventBridge event patterns and types for Systems Manager").
    assert run[4]["detail"] == {
        "start-time": start, "end-time": end, **invocation_base, "status": "COMPLETE",
        "owner-information": "Owner",
    }
    assert run[5]["detail"] == {
        "start-time": start, "task-execution-id": task_execution_id, "end-time": end,
        **execution_base, "status": "SUCCESS",
    }
    assert run[6]["detail"] == {
        "start-time": start, "end-time": end, **execution_base, "status": "SUCCESS"
    }
    # Key order as in the AWS examples.
    assert list(run[4]["detail"]) == [
        "start-time", "end-time", "window-id", "window-execution-id", "task-execution-id",
        "window-target-id", "status", "owner-information",
    ]
    assert len({e["id"] for e in events}) == len(events)


def test_skipped_and_timed_out_executions_have_events(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str]
) -> None:
    window_id = window(Schedule="cron(0 * * * ? *)", Duration=1, Cutoff=0)
    task(window_id)
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(minutes=90)))
    mw.advance(timedelta(hours=3))
    statuses = [
        (e["detail"]["status"], e["detail"].get("end-time"))
        for e in mw.events if e["detail-type"] == EXECUTION
    ]
    assert statuses == [
        ("PENDING", None),
        ("IN_PROGRESS", None),
        ("SKIPPED_OVERLAPPING", "2026-11-24T02:00:00.000Z"),
        ("TIMED_OUT", "2026-11-24T02:30:00.000Z"),
        ("PENDING", None),
        ("IN_PROGRESS", None),
    ]


def test_invocations_without_a_window_target_omit_its_keys(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str]
) -> None:
    task(window())  # targetless
    mw.advance(timedelta(hours=3))
    [first, last] = [e["detail"] for e in mw.events if e["detail-type"] == INVOCATION]
    assert "window-target-id" not in first
    assert "owner-information" not in first
    assert (first["status"], last["status"]) == ("IN_PROGRESS", "COMPLETE")  # an AUTOMATION task


def test_failed_task_events(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str]
) -> None:
    task(window())
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("FAILED"))
    mw.advance(timedelta(hours=3))
    finals = [
        (e["detail-type"], e["detail"]["status"]) for e in window_events(mw)
        if e["detail"]["status"] not in ("PENDING", "IN_PROGRESS", "REGISTERED")
    ]
    # COMPLETE although the Automation task failed; the task and execution say FAILED.
    assert finals == [(INVOCATION, "COMPLETE"), (TASK, "FAILED"), (EXECUTION, "FAILED")]


@pytest.mark.parametrize("outcome", ["SUCCESS", "FAILED"])
@pytest.mark.parametrize(
    ("task_type", "arn"),
    [
        ("RUN_COMMAND", "AWS-RunShellScript"),
        ("AUTOMATION", "AWS-RestartEC2Instance"),
        ("LAMBDA", "arn:aws:lambda:us-east-1:123456789012:function:patch"),
        ("STEP_FUNCTIONS", "arn:aws:states:us-east-1:123456789012:stateMachine:patch"),
    ],
)
def test_only_run_command_invocations_report_their_outcome(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], task_type: str, arn: str,
    outcome: str,
) -> None:
    # User guide, "Reference: Amazon EventBridge event patterns and types for Systems
    # Manager": invocations of AUTOMATION, LAMBDA and STEP_FUNCTIONS tasks report only
    # IN_PROGRESS and COMPLETE (COMPLETE whether or not the task succeeded).
    mw.add_instance(A)
    window_id = window()
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn=arn, TaskType=task_type, MaxConcurrency="1",
        MaxErrors="1", Targets=[{"Key": "InstanceIds", "Values": [A]}],
    )
    mw.on_task(task_type, lambda inv: TaskOutcome(outcome, duration=timedelta(minutes=1)))
    mw.advance(timedelta(hours=3))
    statuses = [e["detail"]["status"] for e in window_events(mw) if e["detail-type"] == INVOCATION]
    final = outcome if task_type == "RUN_COMMAND" else "COMPLETE"
    assert statuses == ["IN_PROGRESS", final]
    tasks = [e["detail"]["status"] for e in window_events(mw) if e["detail-type"] == TASK]
    assert tasks == ["IN_PROGRESS", outcome]  # the task execution still tells the outcome
