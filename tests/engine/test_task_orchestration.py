"""Tasks inside one execution: priority groups, failures, cutoff, window end and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

FIRST_SLOT = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)


def lasting(duration: timedelta, status: str = "SUCCESS") -> Callable[[Invocation], TaskOutcome]:
    return lambda inv: TaskOutcome(status, duration=duration)


def test_priority_groups_run_in_ascending_order_equal_priorities_in_parallel(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window()
    task(window_id, arn="late", Priority=5)
    task(window_id, arn="first-a", Priority=0)
    task(window_id, arn="first-b", Priority=0)
    task(window_id, arn="middle", Priority=1)
    mw.on_task("first-a", lasting(timedelta(minutes=10)))
    mw.on_task("first-b", lasting(timedelta(minutes=25)))
    mw.on_task("middle", lasting(timedelta(minutes=5)))
    mw.advance(timedelta(hours=3))

    execution = read.only_execution(window_id)
    tasks = {t["TaskArn"]: t for t in read.tasks(execution["WindowExecutionId"])}
    slot = FIRST_SLOT
    assert tasks["first-a"]["StartTime"] == tasks["first-b"]["StartTime"] == slot
    assert tasks["first-a"]["EndTime"] == slot + timedelta(minutes=10)
    # The next group waits for the whole previous group (first-b ends at 02:25).
    assert tasks["middle"]["StartTime"] == slot + timedelta(minutes=25)
    assert tasks["late"]["StartTime"] == slot + timedelta(minutes=30)
    assert execution["Status"] == "SUCCESS"
    assert execution["EndTime"] == slot + timedelta(minutes=30)
    # TaskIds list task executions in the order they started.
    task_ids = read.execution(execution["WindowExecutionId"])["TaskIds"]
    assert task_ids == [t["TaskExecutionId"] for t in read.tasks(execution["WindowExecutionId"])]
    assert [tasks[arn]["TaskExecutionId"] for arn in ("first-a", "first-b", "middle", "late")] == (
        task_ids
    )


def test_a_failed_task_fails_the_execution_but_later_groups_still_run(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window()
    task(window_id, arn="breaks", Priority=0)
    task(window_id, arn="after", Priority=1)
    mw.on_task("breaks", lasting(timedelta(minutes=1), "FAILED"))
    mw.advance(timedelta(hours=3))
    execution = read.only_execution(window_id)
    assert execution["Status"] == "FAILED"
    assert execution["StatusDetails"] == "One or more tasks in the orchestration failed."
    statuses = {t["TaskArn"]: t["Status"] for t in read.tasks(execution["WindowExecutionId"])}
    assert statuses == {"breaks": "FAILED", "after": "SUCCESS"}


def test_no_group_starts_at_or_after_the_cutoff_and_the_execution_times_out(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    # 02:00 start, Duration 3, Cutoff 1: nothing new starts from 04:00 on.
    window_id = window(Duration=3, Cutoff=1)
    task(window_id, arn="slow", Priority=0)
    task(window_id, arn="until-cutoff", Priority=1)
    task(window_id, arn="never", Priority=2)
    mw.on_task("slow", lasting(timedelta(hours=1, minutes=59)))
    mw.on_task("until-cutoff", lasting(timedelta(minutes=1)))
    mw.advance(timedelta(hours=5))
    execution = read.only_execution(window_id)
    arns = [t["TaskArn"] for t in read.tasks(execution["WindowExecutionId"])]
    # until-cutoff starts at 03:59 (before the cutoff) and ends at 04:00; "never" would start
    # at 04:00, the cutoff instant itself, so it does not.
    assert arns == ["slow", "until-cutoff"]
    assert execution["Status"] == "TIMED_OUT"
    assert execution["EndTime"] == FIRST_SLOT + timedelta(hours=2)
    assert "StatusDetails" not in execution


def test_continue_task_keeps_starting_invocations_past_the_cutoff_and_the_window_end(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    fleet: list[str],
    read: Any,
) -> None:
    window_id = window(Duration=2, Cutoff=1)
    targets = target(window_id)
    task(window_id, [targets], MaxConcurrency="2", CutoffBehavior="CONTINUE_TASK")
    mw.on_task("AUTOMATION", lasting(timedelta(minutes=30)))
    mw.advance(timedelta(hours=6))
    execution = read.only_execution(window_id)
    task_execution = read.tasks(execution["WindowExecutionId"])[0]
    invocations = read.invocations(
        execution["WindowExecutionId"], task_execution["TaskExecutionId"]
    )
    assert len(invocations) == 10
    assert {i["Status"] for i in invocations} == {"SUCCESS"}
    # Five waves of two, 30 minutes each: 02:00 .. 04:30, past the 04:00 window end.
    assert task_execution["Status"] == "SUCCESS"
    assert task_execution["EndTime"] == FIRST_SLOT + timedelta(hours=2, minutes=30)
    # An execution that ran past its window's end is TIMED_OUT.
    assert execution["Status"] == "TIMED_OUT"
    assert execution["EndTime"] == FIRST_SLOT + timedelta(hours=2, minutes=30)


def test_cancel_task_lets_running_invocations_finish_but_starts_no_new_ones(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    fleet: list[str],
    read: Any,
) -> None:
    window_id = window(Duration=2, Cutoff=1)  # cutoff at 03:00
    targets = target(window_id)
    task(window_id, [targets], MaxConcurrency="2", CutoffBehavior="CANCEL_TASK")
    mw.on_task("AUTOMATION", lasting(timedelta(minutes=25)))
    mw.advance(timedelta(hours=6))
    execution = read.only_execution(window_id)
    task_execution = read.tasks(execution["WindowExecutionId"])[0]
    invocations = read.invocations(
        execution["WindowExecutionId"], task_execution["TaskExecutionId"]
    )
    # Waves start at 02:00, 02:25, 02:50; the 03:15 wave would be after the cutoff.
    assert len(invocations) == 6
    assert {i["Status"] for i in invocations} == {"SUCCESS"}
    assert max(i["EndTime"] for i in invocations) == FIRST_SLOT + timedelta(hours=1, minutes=15)
    assert task_execution["Status"] == "TIMED_OUT"
    assert task_execution["EndTime"] == FIRST_SLOT + timedelta(hours=1, minutes=15)
    assert execution["Status"] == "TIMED_OUT"


def test_cancel_task_on_run_command_cancels_the_running_command_at_the_cutoff(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    fleet: list[str],
    read: Any,
) -> None:
    window_id = window(Duration=2, Cutoff=1)  # cutoff at 03:00
    targets = target(window_id)
    task(
        window_id, [targets], arn="AWS-RunPatchBaseline", kind="RUN_COMMAND",
        MaxConcurrency="1", CutoffBehavior="CANCEL_TASK",
    )
    mw.on_task("AWS-RunPatchBaseline", lasting(timedelta(minutes=40)))
    mw.advance(timedelta(hours=6))
    execution = read.only_execution(window_id)
    task_execution = read.tasks(execution["WindowExecutionId"])[0]
    [command] = read.invocations(execution["WindowExecutionId"], task_execution["TaskExecutionId"])
    assert command["Status"] == "CANCELLED"
    assert command["StatusDetails"] == "Cancelled"
    assert command["EndTime"] == FIRST_SLOT + timedelta(hours=1)
    assert task_execution["Status"] == "TIMED_OUT"
    assert execution["Status"] == "TIMED_OUT"
    assert execution["EndTime"] == FIRST_SLOT + timedelta(hours=1)


def test_cancel_stops_later_groups_while_running_tasks_finish(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    fleet: list[str],
    read: Any,
) -> None:
    window_id = window()
    targets = target(window_id)
    task(window_id, [targets], arn="running", Priority=0, MaxConcurrency="5")
    task(window_id, arn="not-started", Priority=1)
    mw.on_task("running", lasting(timedelta(minutes=20)))
    mw.advance(timedelta(hours=2, minutes=10))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]

    answer = ssm.cancel_maintenance_window_execution(WindowExecutionId=execution_id)
    assert answer["WindowExecutionId"] == execution_id
    assert read.execution(execution_id)["Status"] == "CANCELLING"
    assert "EndTime" not in read.execution(execution_id)

    mw.advance(timedelta(hours=2))
    execution = read.execution(execution_id)
    assert execution["Status"] == "CANCELLED"
    # The running task ran to completion: all ten targets, two waves of five (02:40).
    assert execution["EndTime"] == FIRST_SLOT + timedelta(minutes=40)
    [only] = read.tasks(execution_id)
    assert only["TaskArn"] == "running"
    assert only["Status"] == "SUCCESS"
    assert len(read.invocations(execution_id, only["TaskExecutionId"])) == 10
    statuses = [
        e["detail"]["status"] for e in mw.events
        if e["detail-type"] == "Maintenance Window Execution State-change Notification"
    ]
    assert statuses == ["PENDING", "IN_PROGRESS", "CANCELLING", "CANCELLED"]


def test_cancelling_a_finished_execution_changes_nothing(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], read: Any
) -> None:
    window_id = window()
    mw.advance(timedelta(hours=3))
    execution = read.only_execution(window_id)
    ssm.cancel_maintenance_window_execution(WindowExecutionId=execution["WindowExecutionId"])
    assert read.execution(execution["WindowExecutionId"])["Status"] == "SUCCESS"


def test_cancelling_a_waiting_execution_cancels_it_at_once(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    windows = [window(Name=f"busy{n}") for n in range(6)]
    for window_id in windows:
        task(window_id)
    mw.on_task("AUTOMATION", lasting(timedelta(minutes=30)))
    mw.advance(timedelta(hours=2, minutes=5))
    waiting = read.only_execution(windows[5])
    assert waiting["Status"] == "PENDING"
    ssm.cancel_maintenance_window_execution(WindowExecutionId=waiting["WindowExecutionId"])
    cancelled = read.execution(waiting["WindowExecutionId"])
    assert cancelled["Status"] == "CANCELLED"
    assert cancelled["EndTime"] == FIRST_SLOT + timedelta(minutes=5)
    mw.advance(timedelta(hours=1))
    assert read.execution(waiting["WindowExecutionId"])["TaskIds"] == []


def test_cancel_from_a_handler_takes_effect_at_that_instant(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    task(window_id, arn="cancels-its-window", Priority=0)
    task(window_id, arn="never-runs", Priority=1)

    def cancel_own_execution(inv: Invocation) -> TaskOutcome:
        ssm.cancel_maintenance_window_execution(WindowExecutionId=inv.window_execution_id)
        return TaskOutcome("SUCCESS", duration=timedelta(minutes=3))

    mw.on_task("cancels-its-window", cancel_own_execution)
    mw.advance(timedelta(hours=3))
    execution = read.only_execution(window_id)
    assert execution["Status"] == "CANCELLED"
    assert execution["EndTime"] == FIRST_SLOT + timedelta(minutes=3)
    assert [t["TaskArn"] for t in read.tasks(execution["WindowExecutionId"])] == [
        "cancels-its-window"
    ]


def test_a_task_deregistered_before_its_group_starts_does_not_run(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    task(window_id, arn="first", Priority=0)
    later = task(window_id, arn="dropped", Priority=1)
    mw.on_task("first", lasting(timedelta(minutes=10)))
    mw.advance(timedelta(hours=2, minutes=1))
    ssm.deregister_task_from_maintenance_window(WindowId=window_id, WindowTaskId=later)
    mw.advance(timedelta(hours=1))
    execution = read.only_execution(window_id)
    assert [t["TaskArn"] for t in read.tasks(execution["WindowExecutionId"])] == ["first"]
    assert execution["Status"] == "SUCCESS"


def test_task_execution_details(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    fleet: list[str],
    read: Any,
) -> None:
    window_id = window()
    targets = target(window_id)
    task(
        window_id, [targets], arn="AWS-RunShellScript", kind="RUN_COMMAND", Priority=3,
        MaxConcurrency="50%", MaxErrors="1", ServiceRoleArn="arn:aws:iam::123456789012:role/MW",
        TaskInvocationParameters={"RunCommand": {"Parameters": {"commands": ["uptime"]}}},
    )
    task(window_id, arn="SSMTargetless", kind="LAMBDA", Priority=4)
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    listed = {t["TaskArn"]: t for t in read.tasks(execution_id)}
    assert listed["AWS-RunShellScript"]["TaskType"] == "RUN_COMMAND"
    got = read.task(execution_id, listed["AWS-RunShellScript"]["TaskExecutionId"])
    assert got["Type"] == "RUN_COMMAND"
    assert got["ServiceRole"] == "arn:aws:iam::123456789012:role/MW"
    assert got["Priority"] == 3
    assert got["MaxConcurrency"] == "50%"
    assert got["MaxErrors"] == "1"
    assert got["TaskParameters"] == [
        {"commands": {"Values": ["uptime"]}, "aws:InstanceId": {"Values": fleet}}
    ]
    assert got["Status"] == "SUCCESS"
    targetless = read.task(execution_id, listed["SSMTargetless"]["TaskExecutionId"])
    assert targetless["MaxConcurrency"] == targetless["MaxErrors"] == "1"
    assert targetless["TaskParameters"] == []
    assert targetless["ServiceRole"] == (
        "arn:aws:iam::123456789012:role/aws-service-role/ssm.amazonaws.com/"
        "AWSServiceRoleForAmazonSSM"
    )


def test_task_status_filter_and_paging(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    for n in range(12):
        task(window_id, arn=f"task{n:02d}", Priority=0)
    mw.on_task("task03", lasting(timedelta(0), "FAILED"))
    mw.on_task("task07", lasting(timedelta(0), "FAILED"))
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    page = ssm.describe_maintenance_window_execution_tasks(
        WindowExecutionId=execution_id, MaxResults=10
    )
    assert len(page["WindowExecutionTaskIdentities"]) == 10
    assert len(read.tasks(execution_id)) == 12
    failed = read.tasks(execution_id, Filters=[{"Key": "STATUS", "Values": ["FAILED"]}])
    assert sorted(t["TaskArn"] for t in failed) == ["task03", "task07"]


def test_a_cancel_from_a_handler_also_stops_the_rest_of_its_group(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    task(window_id, arn="cancels", Priority=0)
    task(window_id, arn="same-group-later", Priority=0)

    def cancel(inv: Invocation) -> TaskOutcome:
        ssm.cancel_maintenance_window_execution(WindowExecutionId=inv.window_execution_id)
        return TaskOutcome("SUCCESS")

    mw.on_task("cancels", cancel)
    mw.advance(timedelta(hours=3))
    execution = read.only_execution(window_id)
    assert execution["Status"] == "CANCELLED"
    assert execution["EndTime"] == FIRST_SLOT
    assert [t["TaskArn"] for t in read.tasks(execution["WindowExecutionId"])] == ["cancels"]
