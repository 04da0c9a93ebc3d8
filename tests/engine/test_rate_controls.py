"""MaxConcurrency and MaxErrors, as numbers and percentages, per task and inside a command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome
from ssm_mw_stub.engine.rates import allowed_errors, concurrency_limit

IDS = [f"i-{n:017x}" for n in range(1, 21)]


def peak_parallelism(intervals: list[tuple[Any, Any]]) -> int:
    points = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals],
                    key=lambda p: (p[0], p[1]))
    running = peak = 0
    for _, step in points:
        running += step
        peak = max(peak, running)
    return peak


@pytest.mark.parametrize(("value", "count", "expected"), [
    ("1", 20, 1), ("7", 20, 7), ("50", 20, 50), ("10%", 20, 2), ("25%", 10, 2),
    ("100%", 20, 20), ("1%", 20, 1), ("5%", 10, 1),
])
def test_concurrency_limit(value: str, count: int, expected: int) -> None:
    assert concurrency_limit(value, count) == expected


@pytest.mark.parametrize(("value", "count", "expected"), [
    ("0", 20, 0), ("3", 20, 3), ("10%", 50, 5), ("40%", 10, 4), ("0%", 10, 0),
    ("15%", 10, 1), ("100%", 10, 10),
])
def test_allowed_errors(value: str, count: int, expected: int) -> None:
    assert allowed_errors(value, count) == expected


def run_task(
    mw: MaintenanceWindows,
    ssm: Any,
    read: Any,
    window: Callable[..., str],
    *,
    count: int,
    failing: set[int],
    concurrency: str,
    errors: str,
    kind: str = "AUTOMATION",
    duration: timedelta = timedelta(minutes=10),
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    window_id = window(Duration=24, Cutoff=0)
    ids = IDS[:count]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="Doc", TaskType=kind,
        Targets=[{"Key": "InstanceIds", "Values": ids}],
        MaxConcurrency=concurrency, MaxErrors=errors,
    )
    bad = {ids[n] for n in failing}
    mw.on_task("Doc", lambda inv: TaskOutcome(
        "FAILED" if inv.target_id in bad else "SUCCESS", duration=duration
    ))
    mw.advance(timedelta(days=1))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    return task_execution, read.invocations(execution_id, task_execution["TaskExecutionId"])


@pytest.mark.parametrize(("concurrency", "count", "peak"), [
    ("3", 10, 3), ("1", 5, 1), ("20%", 20, 4), ("50%", 5, 2), ("100%", 8, 8),
])
def test_max_concurrency_bounds_parallel_invocations(
    mw: MaintenanceWindows, ssm: Any, read: Any, window: Callable[..., str],
    concurrency: str, count: int, peak: int,
) -> None:
    task_execution, invocations = run_task(
        mw, ssm, read, window, count=count, failing=set(), concurrency=concurrency, errors="0"
    )
    assert len(invocations) == count
    assert peak_parallelism([(i["StartTime"], i["EndTime"]) for i in invocations]) == peak
    waves = -(-count // peak)
    assert task_execution["EndTime"] - task_execution["StartTime"] == timedelta(minutes=10 * waves)


@pytest.mark.parametrize(("errors", "count", "failing", "started"), [
    # MaxErrors 0: the first failure stops new invocations.
    ("0", 10, {1, 2, 3}, 2),
    # MaxErrors 2: the third failure stops them.
    ("2", 10, {0, 2, 4, 6, 8}, 5),
    # 10% of 20 = 2 errors allowed: the third failure (at the 6th target) stops.
    ("10%", 20, {1, 3, 5, 7}, 6),
    # 40% of 10 = 4 allowed; only 4 fail, so everything runs.
    ("40%", 10, {0, 1, 2, 3}, 10),
])
def test_the_error_after_max_errors_stops_new_invocations(
    mw: MaintenanceWindows, ssm: Any, read: Any, window: Callable[..., str],
    errors: str, count: int, failing: set[int], started: int,
) -> None:
    task_execution, invocations = run_task(
        mw, ssm, read, window, count=count, failing=failing, concurrency="1", errors=errors
    )
    assert len(invocations) == started
    assert task_execution["Status"] == "FAILED"


def test_invocations_already_running_finish_when_the_threshold_is_crossed(
    mw: MaintenanceWindows, ssm: Any, read: Any, window: Callable[..., str]
) -> None:
    # Five at a time, MaxErrors 0: the first wave has two failures; all five finish and
    # both failures are recorded, but no second wave starts.
    task_execution, invocations = run_task(
        mw, ssm, read, window, count=10, failing={1, 3}, concurrency="5", errors="0"
    )
    assert [i["Status"] for i in invocations] == [
        "SUCCESS", "FAILED", "SUCCESS", "FAILED", "SUCCESS"
    ]
    assert task_execution["Status"] == "FAILED"


def test_run_command_applies_rate_controls_per_node_and_rolls_up(
    mw: MaintenanceWindows, ssm: Any, read: Any, window: Callable[..., str]
) -> None:
    calls: list[str | None] = []
    window_id = window(Duration=24, Cutoff=0)
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "InstanceIds", "Values": IDS[:10]}],
        MaxConcurrency="20%", MaxErrors="1",
        TaskInvocationParameters={"RunCommand": {"Parameters": {"commands": ["patch"]}}},
    )

    def handler(inv: Invocation) -> TaskOutcome:
        calls.append(inv.target_id)
        failed = inv.target_id in (IDS[0], IDS[3])
        return TaskOutcome("FAILED" if failed else "SUCCESS", duration=timedelta(minutes=10))

    mw.on_task("AWS-RunShellScript", handler)
    mw.advance(timedelta(days=1))
    execution = read.only_execution(window_id)
    [task_execution] = read.tasks(execution["WindowExecutionId"])
    [command] = read.invocations(execution["WindowExecutionId"], task_execution["TaskExecutionId"])
    # Two nodes at a time (20% of 10); the second failure (node 4, second wave) stops new
    # nodes once that wave has finished.
    assert calls == IDS[:4]
    assert command["Status"] == "FAILED"
    assert command["StatusDetails"] == "Failed"
    assert command["EndTime"] - command["StartTime"] == timedelta(minutes=20)
    assert task_execution["Status"] == "FAILED"
    assert execution["Status"] == "FAILED"


@pytest.mark.parametrize(("outcomes", "rolled_up"), [
    (["SUCCESS", "SUCCESS"], "SUCCESS"),
    (["SUCCESS", "TIMED_OUT"], "TIMED_OUT"),
    (["CANCELLED", "SUCCESS"], "CANCELLED"),
    (["TIMED_OUT", "FAILED"], "FAILED"),
])
def test_run_command_status_roll_up(
    mw: MaintenanceWindows, ssm: Any, read: Any, window: Callable[..., str],
    outcomes: list[str], rolled_up: str,
) -> None:
    window_id = window()
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "InstanceIds", "Values": IDS[:2]}], MaxConcurrency="2", MaxErrors="5",
    )
    by_node = dict(zip(IDS[:2], outcomes, strict=True))
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome(by_node[str(inv.target_id)]))
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    [command] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert command["Status"] == rolled_up
    assert task_execution["Status"] == rolled_up


@pytest.mark.parametrize(("outcome", "started"), [("TIMED_OUT", 1), ("CANCELLED", 4)])
def test_timeouts_count_as_errors_and_cancellations_do_not(
    mw: MaintenanceWindows, ssm: Any, read: Any, window: Callable[..., str],
    outcome: str, started: int,
) -> None:
    window_id = window()
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="Doc", TaskType="LAMBDA",
        Targets=[{"Key": "InstanceIds", "Values": IDS[:4]}], MaxConcurrency="1", MaxErrors="0",
    )
    mw.on_task("Doc", lambda inv: TaskOutcome(outcome))
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    invocations = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert len(invocations) == started
    assert task_execution["Status"] == outcome
    assert read.execution(execution_id)["Status"] == (
        "TIMED_OUT" if outcome == "TIMED_OUT" else "FAILED"
    )


def test_a_single_node_command_reports_the_handler_output(
    mw: MaintenanceWindows, ssm: Any, read: Any, window: Callable[..., str]
) -> None:
    window_id = window()
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "InstanceIds", "Values": IDS[:1]}], MaxConcurrency="1", MaxErrors="0",
    )
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome("FAILED", output="exit status 2" * 30))
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    [command] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert command["StatusDetails"] == ("exit status 2" * 30)[:250]
