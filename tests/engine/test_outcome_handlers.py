"""Task outcome handlers: lookup, what they receive, durations, and their mistakes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome
from ssm_mw_stub.engine import TaskHandlerError

FIRST_SLOT = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)
A = "i-0000000000000000a"


def test_an_exact_arn_beats_the_task_type_and_no_handler_means_success(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window()
    task(window_id, arn="AWS-Special", Priority=0)
    task(window_id, arn="AWS-Generic", Priority=1)
    task(window_id, arn="SSMFunction", kind="LAMBDA", Priority=2)
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("FAILED", output="by type"))
    mw.on_task("AWS-Special", lambda inv: TaskOutcome("SUCCESS", output="by arn"))
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    details = {}
    for task_execution in read.tasks(execution_id):
        [invocation] = read.invocations(execution_id, task_execution["TaskExecutionId"])
        details[task_execution["TaskArn"]] = (invocation["Status"], invocation["StatusDetails"])
    assert details == {
        "AWS-Special": ("SUCCESS", "by arn"),
        "AWS-Generic": ("FAILED", "by type"),
        "SSMFunction": ("SUCCESS", "Success"),
    }


def test_the_handler_receives_the_invocation(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    window_target = target(
        window_id, [{"Key": "InstanceIds", "Values": [A]}], OwnerInformation="platform"
    )
    task_id = task(window_id, [window_target], arn="AWS-RestartEC2Instance")
    received: list[Invocation] = []
    mw.on_task("AWS-RestartEC2Instance", lambda inv: received.append(inv) or TaskOutcome("SUCCESS"))
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    [record] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert received == [
        Invocation(
            window_id=window_id,
            window_execution_id=execution_id,
            window_task_id=task_id,
            task_execution_id=task_execution["TaskExecutionId"],
            invocation_id=record["InvocationId"],
            window_target_id=window_target,
            target_id=A,
            task_arn="AWS-RestartEC2Instance",
            task_type="AUTOMATION",
            owner_information="platform",
            start_time=FIRST_SLOT,
            parameters={},
            automation_execution_id=record["ExecutionId"],
        )
    ]


def test_durations_move_through_simulated_time_and_the_clock_is_consistent(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    task(window_id, arn="first", Priority=0)
    task(window_id, arn="second", Priority=1)
    clock_seen: list[datetime] = []

    def handler(inv: Invocation) -> TaskOutcome:
        clock_seen.append(mw.now)
        # A read from inside the handler sees the execution as it is at this instant.
        status = ssm.get_maintenance_window_execution(
            WindowExecutionId=inv.window_execution_id
        )["Status"]
        assert status == "IN_PROGRESS"
        return TaskOutcome("SUCCESS", duration=timedelta(minutes=42), output=f"at {inv.start_time}")

    mw.on_task("AUTOMATION", handler)
    mw.advance(timedelta(hours=4))
    assert clock_seen == [FIRST_SLOT, FIRST_SLOT + timedelta(minutes=42)]
    execution = read.only_execution(window_id)
    assert execution["EndTime"] == FIRST_SLOT + timedelta(minutes=84)
    assert mw.now == FIRST_SLOT + timedelta(hours=2)


def test_a_raising_handler_is_an_error_naming_the_task_and_invocation(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window()
    task_id = task(window_id, arn="AWS-Broken")

    def broken(inv: Invocation) -> TaskOutcome:
        raise KeyError("no such host")

    mw.on_task("AWS-Broken", broken)
    with pytest.raises(TaskHandlerError) as excinfo:
        mw.advance(timedelta(days=2))
    message = str(excinfo.value)
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    [invocation] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    for part in (window_id, task_id, "AWS-Broken", invocation["InvocationId"], "KeyError"):
        assert part in message
    assert isinstance(excinfo.value.__cause__, KeyError)
    # The advance stopped at the failing instant, with a consistent record.
    assert mw.now == FIRST_SLOT
    assert invocation["Status"] == "FAILED"
    # A later advance carries on from there.
    mw.on_task("AWS-Broken", lambda inv: TaskOutcome("SUCCESS"))
    mw.advance(timedelta(days=1))
    assert [e["Status"] for e in read.executions(window_id)] == ["SUCCESS", "FAILED"]


def test_a_handler_returning_something_else_is_a_type_error(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str]
) -> None:
    window_id = window()
    task_id = task(window_id, arn="AWS-Sloppy")
    mw.on_task("AWS-Sloppy", lambda inv: "SUCCESS")  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError) as excinfo:
        mw.advance(timedelta(hours=3))
    assert "AWS-Sloppy" in str(excinfo.value)
    assert task_id in str(excinfo.value)
    assert "TaskOutcome" in str(excinfo.value)


def test_advancing_from_inside_a_handler_is_refused(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str]
) -> None:
    task(window())

    def reentrant(inv: Invocation) -> TaskOutcome:
        mw.advance(timedelta(minutes=1))
        return TaskOutcome("SUCCESS")

    mw.on_task("AUTOMATION", reentrant)
    with pytest.raises(TaskHandlerError) as excinfo:
        mw.advance(timedelta(hours=3))
    refusal = str(excinfo.value.__cause__)
    # The refusal names the handler and what it was handling.
    assert "advance() cannot be called from inside the task outcome handler" in refusal
    assert "reentrant" in refusal
    assert "AWS-RestartEC2Instance" in refusal


def test_a_handler_that_disables_its_window_stops_later_slots_in_the_same_advance(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window(Schedule="cron(0 * * * ? *)", Duration=1, Cutoff=0)
    task(window_id)
    calls: list[datetime] = []

    def disable_after_three(inv: Invocation) -> TaskOutcome:
        calls.append(inv.start_time)
        if len(calls) == 3:
            ssm.update_maintenance_window(WindowId=inv.window_id, Enabled=False)
        return TaskOutcome("SUCCESS")

    mw.on_task("AUTOMATION", disable_after_three)
    mw.advance(timedelta(hours=10))
    assert len(calls) == 3
    assert len(read.executions(window_id)) == 3


def test_a_window_created_by_a_handler_runs_in_the_same_advance(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], task: Callable[..., str],
    read: Any,
) -> None:
    task(window())
    created: list[str] = []

    def create_follow_up(inv: Invocation) -> TaskOutcome:
        if not created:
            created.append(ssm.create_maintenance_window(
                Name="follow-up", Schedule="rate(30 minutes)", Duration=1, Cutoff=0,
                AllowUnassociatedTargets=True,
            )["WindowId"])
        return TaskOutcome("SUCCESS")

    mw.on_task("AUTOMATION", create_follow_up)
    mw.advance(timedelta(hours=3))
    starts = [e["StartTime"] for e in read.executions(created[0])]
    assert starts == [FIRST_SLOT + timedelta(minutes=60), FIRST_SLOT + timedelta(minutes=30)]


def test_handlers_registered_between_advances_apply_to_invocations_started_later(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window()
    task(window_id)
    mw.advance(timedelta(days=1))
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("FAILED"))
    mw.advance(timedelta(days=1))
    assert [e["Status"] for e in read.executions(window_id)] == ["FAILED", "SUCCESS"]


def test_clear_events_drops_what_was_recorded_and_keeps_recording(
    mw: MaintenanceWindows, window: Callable[..., str]
) -> None:
    window()
    mw.advance(timedelta(days=1))
    assert len(mw.events) == 3
    mw.clear_events()
    assert mw.events == []
    mw.advance(timedelta(days=1))
    assert [e["detail"]["status"] for e in mw.events] == ["PENDING", "IN_PROGRESS", "SUCCESS"]


@pytest.mark.parametrize(
    ("resources", "error"),
    [
        ("i-0000000000000000a", TypeError),
        (["not-an-arn"], ValueError),
        ([("arn:aws:s3:::bucket",)], TypeError),
        ([42], TypeError),
    ],
)
def test_resource_groups_refuse_what_is_not_a_resource(
    mw: MaintenanceWindows, resources: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        mw.add_resource_group("group", resources)


def test_resource_group_needs_a_name(mw: MaintenanceWindows) -> None:
    with pytest.raises(TypeError):
        mw.add_resource_group("", [A])
