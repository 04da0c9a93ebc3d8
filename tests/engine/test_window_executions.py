"""Window executions: one per due slot, their statuses, times, overlap, and the window's view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

from ssm_mw_stub import MaintenanceWindows, TaskOutcome, mock_maintenance_windows

from ..helpers import START

FIRST_SLOT = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)


def test_a_window_without_tasks_succeeds_with_no_tasks_to_execute(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], read: Any
) -> None:
    window_id = window()
    mw.advance(timedelta(hours=2))
    execution = read.only_execution(window_id)
    assert execution["Status"] == "SUCCESS"
    assert execution["StatusDetails"] == "No tasks to execute."
    assert execution["StartTime"] == FIRST_SLOT
    assert execution["EndTime"] == FIRST_SLOT
    details = read.execution(execution["WindowExecutionId"])
    assert details["TaskIds"] == []
    assert details["Status"] == "SUCCESS"


def test_every_due_slot_runs_once_newest_listed_first(
    mw: MaintenanceWindows, window: Callable[..., str], read: Any
) -> None:
    window_id = window()
    mw.advance(timedelta(days=3))
    starts = [e["StartTime"] for e in read.executions(window_id)]
    assert starts == [FIRST_SLOT + timedelta(days=d) for d in (2, 1, 0)]
    assert len({e["WindowExecutionId"] for e in read.executions(window_id)}) == 3


def test_nothing_runs_before_the_slot_and_the_slot_instant_itself_counts(
    mw: MaintenanceWindows, window: Callable[..., str], read: Any
) -> None:
    window_id = window()
    mw.advance(timedelta(hours=1, minutes=59, seconds=59))
    assert read.executions(window_id) == []
    mw.advance_to(FIRST_SLOT)
    assert len(read.executions(window_id)) == 1


def test_slot_time_follows_the_window_time_zone(
    mw: MaintenanceWindows, window: Callable[..., str], read: Any
) -> None:
    window_id = window(Schedule="cron(0 16 ? * TUE *)", ScheduleTimezone="America/Los_Angeles")
    mw.advance(timedelta(days=7))
    execution = read.only_execution(window_id)
    # Tuesday 16:00 in Los Angeles (PST, UTC-8) is Wednesday 00:00 UTC.
    assert execution["StartTime"] == datetime(2026, 11, 25, 0, 0, tzinfo=timezone.utc)


def test_disabled_and_deleted_windows_do_not_run(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], read: Any
) -> None:
    disabled, deleted, kept = window(), window(), window()
    ssm.update_maintenance_window(WindowId=disabled, Enabled=False)
    ssm.delete_maintenance_window(WindowId=deleted)
    mw.advance(timedelta(days=1))
    assert read.executions(disabled) == []
    assert read.executions(deleted) == []
    assert len(read.executions(kept)) == 1
    ssm.update_maintenance_window(WindowId=disabled, Enabled=True)
    mw.advance(timedelta(days=1))
    assert len(read.executions(disabled)) == 1


def test_a_schedule_changed_between_advances_takes_effect_from_now(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], read: Any
) -> None:
    window_id = window()
    mw.advance(timedelta(hours=3))
    ssm.update_maintenance_window(WindowId=window_id, Schedule="cron(30 4 * * ? *)")
    mw.advance(timedelta(hours=2))
    starts = [e["StartTime"] for e in read.executions(window_id)]
    assert starts == [FIRST_SLOT + timedelta(hours=2, minutes=30), FIRST_SLOT]


def test_next_execution_time_moves_on_as_soon_as_an_execution_starts(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    task: Callable[..., str],
) -> None:
    window_id = window()
    task(window_id, Priority=0)
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(hours=1)))
    assert ssm.get_maintenance_window(WindowId=window_id)["NextExecutionTime"] == (
        "2026-11-24T02:00Z"
    )
    mw.advance_to(FIRST_SLOT)
    assert ssm.get_maintenance_window(WindowId=window_id)["NextExecutionTime"] == (
        "2026-11-25T02:00Z"
    )


def test_the_in_progress_view_shows_only_what_has_started(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    fleet: list[str],
    read: Any,
) -> None:
    window_id = window()
    targets = target(window_id)
    task(window_id, [targets], arn="First", Priority=0, MaxConcurrency="5")
    task(window_id, [targets], arn="Second", Priority=1)
    mw.on_task("First", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(minutes=10)))
    mw.advance(timedelta(hours=2, minutes=5))

    execution = read.only_execution(window_id)
    assert execution["Status"] == "IN_PROGRESS"
    assert "EndTime" not in execution
    tasks = read.tasks(execution["WindowExecutionId"])
    assert [t["TaskArn"] for t in tasks] == ["First"]
    assert tasks[0]["Status"] == "IN_PROGRESS"
    assert "EndTime" not in tasks[0]
    running = read.invocations(execution["WindowExecutionId"], tasks[0]["TaskExecutionId"])
    assert len(running) == 5  # MaxConcurrency 5 of 10 targets
    assert {i["Status"] for i in running} == {"IN_PROGRESS"}
    assert {i["StatusDetails"] for i in running} == {"InProgress"}
    assert all("EndTime" not in i for i in running)

    mw.advance(timedelta(minutes=10))  # 02:15: the first five done, the next five running
    invocations = read.invocations(execution["WindowExecutionId"], tasks[0]["TaskExecutionId"])
    assert [i["Status"] for i in invocations] == ["SUCCESS"] * 5 + ["IN_PROGRESS"] * 5

    mw.advance(timedelta(hours=1))
    execution = read.execution(execution["WindowExecutionId"])
    assert execution["Status"] == "SUCCESS"
    assert execution["EndTime"] == FIRST_SLOT + timedelta(minutes=20)
    assert len(execution["TaskIds"]) == 2


def test_a_slot_while_the_previous_execution_runs_is_skipped_overlapping(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window(Schedule="cron(0 */2 * * ? *)", Duration=3, Cutoff=1)
    task(window_id, Priority=0)
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(hours=3)))
    mw.advance(timedelta(hours=7))  # slots at 02:00, 04:00 and 06:00
    newest_first = read.executions(window_id)
    assert [e["Status"] for e in newest_first] == ["IN_PROGRESS", "SKIPPED_OVERLAPPING", "SUCCESS"]
    skipped = newest_first[1]
    assert skipped["StartTime"] == skipped["EndTime"] == FIRST_SLOT + timedelta(hours=2)
    assert "StatusDetails" not in skipped
    assert read.execution(skipped["WindowExecutionId"])["TaskIds"] == []
    # The 02:00 run took 3 h and ended exactly at its window's end: not timed out.
    assert newest_first[2]["EndTime"] == FIRST_SLOT + timedelta(hours=3)


def test_an_execution_ending_at_the_next_slot_is_not_an_overlap(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window(Schedule="cron(0 * * * ? *)", Duration=2, Cutoff=1)
    task(window_id)
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(hours=1)))
    mw.advance(timedelta(hours=3))
    assert [e["Status"] for e in read.executions(window_id)] == [
        "IN_PROGRESS", "SUCCESS", "SUCCESS"
    ]


def test_windows_in_several_regions_all_run_in_time_order() -> None:
    ids: dict[str, str] = {}
    with mock_maintenance_windows(start=START) as mw:
        for region in ("us-east-1", "eu-west-1"):
            client = boto3.client("ssm", region_name=region)
            ids[region] = client.create_maintenance_window(
                Name="regional", Schedule="cron(0 2 * * ? *)", Duration=2, Cutoff=1,
                AllowUnassociatedTargets=True,
            )["WindowId"]
        mw.advance(timedelta(days=2))
        for region, window_id in ids.items():
            client = boto3.client("ssm", region_name=region)
            found = client.describe_maintenance_window_executions(WindowId=window_id)
            assert len(found["WindowExecutions"]) == 2
    # Regions interleave in time order in the event stream.
    regions = [e["region"] for e in mw.events if e["detail"].get("status") == "SUCCESS"]
    assert regions == ["us-east-1", "eu-west-1", "us-east-1", "eu-west-1"]


def test_history_older_than_30_days_is_dropped(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], read: Any
) -> None:
    window_id = window()
    mw.advance(timedelta(days=30))
    executions = read.executions(window_id)
    assert len(executions) == 30
    oldest = executions[-1]
    mw.advance(timedelta(days=10))
    executions = read.executions(window_id)
    assert len(executions) == 30
    assert executions[-1]["StartTime"] == mw.now - timedelta(days=30) + timedelta(hours=2)
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        read.execution(oldest["WindowExecutionId"])


def test_executed_before_and_after_filters(
    mw: MaintenanceWindows, window: Callable[..., str], read: Any
) -> None:
    window_id = window()
    mw.advance(timedelta(days=5))
    after = read.executions(
        window_id, Filters=[{"Key": "ExecutedAfter", "Values": ["2026-11-26T02:00:00Z"]}]
    )
    assert [e["StartTime"].day for e in after] == [28, 27, 26]
    both = read.executions(
        window_id,
        Filters=[
            {"Key": "ExecutedAfter", "Values": ["2026-11-25T00:00:00Z"]},
            {"Key": "ExecutedBefore", "Values": ["2026-11-26T12:00:00Z"]},
        ],
    )
    assert [e["StartTime"].day for e in both] == [26, 25]


def test_executions_page_newest_first(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str]
) -> None:
    window_id = window(Schedule="cron(0 * * * ? *)")
    mw.advance(timedelta(hours=25))
    first = ssm.describe_maintenance_window_executions(WindowId=window_id, MaxResults=10)
    assert len(first["WindowExecutions"]) == 10
    second = ssm.describe_maintenance_window_executions(
        WindowId=window_id, MaxResults=10, NextToken=first["NextToken"]
    )
    starts = [e["StartTime"] for e in first["WindowExecutions"] + second["WindowExecutions"]]
    assert starts == sorted(starts, reverse=True)
    assert starts[0] == mw.now


def test_at_most_five_executions_run_at_once_per_account_and_region(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    windows = [window(Name=f"win{n}") for n in range(7)]
    for window_id in windows:
        task(window_id)
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(minutes=30)))
    mw.advance(timedelta(hours=2, minutes=10))
    statuses = [read.only_execution(w)["Status"] for w in windows]
    assert statuses == ["IN_PROGRESS"] * 5 + ["PENDING"] * 2
    waiting = read.only_execution(windows[5])
    assert waiting["StartTime"] == FIRST_SLOT
    assert read.tasks(waiting["WindowExecutionId"]) == []

    mw.advance(timedelta(minutes=20))  # 02:30: the first five end, the waiting two start
    assert [read.only_execution(w)["Status"] for w in windows] == (
        ["SUCCESS"] * 5 + ["IN_PROGRESS"] * 2
    )
    started = read.tasks(read.only_execution(windows[6])["WindowExecutionId"])
    assert started[0]["StartTime"] == FIRST_SLOT + timedelta(minutes=30)

    mw.advance(timedelta(hours=1))
    assert [read.only_execution(w)["Status"] for w in windows] == ["SUCCESS"] * 7


def test_an_execution_waiting_past_its_cutoff_times_out_unstarted(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    blockers = [window(Name=f"long{n}", Duration=8, Cutoff=1) for n in range(5)]
    for window_id in blockers:
        task(window_id)
    late = window(Name="late", Duration=2, Cutoff=1)
    task(late)
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(hours=5)))
    mw.advance(timedelta(hours=4))
    execution = read.only_execution(late)
    assert execution["Status"] == "TIMED_OUT"
    assert execution["EndTime"] == FIRST_SLOT + timedelta(hours=1)
    assert read.tasks(execution["WindowExecutionId"]) == []


def test_an_other_regions_executions_do_not_count_against_the_limit(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    for n in range(5):
        task(window(Name=f"east{n}"))
    west = boto3.client("ssm", region_name="us-west-2")
    west_id = west.create_maintenance_window(
        Name="west", Schedule="cron(0 2 * * ? *)", Duration=4, Cutoff=1,
        AllowUnassociatedTargets=True,
    )["WindowId"]
    west.register_task_with_maintenance_window(
        WindowId=west_id, TaskArn="AWS-RestartEC2Instance", TaskType="AUTOMATION"
    )
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(minutes=30)))
    mw.advance(timedelta(hours=2, minutes=1))
    found = west.describe_maintenance_window_executions(WindowId=west_id)["WindowExecutions"]
    assert found[0]["Status"] == "IN_PROGRESS"


def test_a_window_deleted_mid_execution_stops_and_frees_its_place(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    doomed = window(Name="doomed")
    task(doomed)
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(hours=1)))
    mw.advance(timedelta(hours=2, minutes=30))
    ssm.delete_maintenance_window(WindowId=doomed)
    mw.advance(timedelta(hours=2))
    assert read.executions(doomed) == []
    finals = [
        e for e in mw.events
        if e["detail"].get("window-id") == doomed and e["detail"].get("status") == "SUCCESS"
    ]
    assert finals == []
