"""The text timeline: exact output for a small scenario, and how it summarises big ones."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from ssm_mw_stub import MaintenanceWindows, TaskOutcome, mock_maintenance_windows

from ..helpers import START
from .timeline_scenario import build, history


def test_small_scenario_exact_text(mw: MaintenanceWindows, dublin: Any) -> None:
    window_id = build(mw, dublin)
    mw.advance(timedelta(days=2, hours=2, minutes=3))  # the third night's update is running

    first, second, third = history(dublin, window_id)

    def ids(execution: dict[str, Any]) -> list[Any]:
        tasks = execution["Tasks"]
        return [execution["WindowExecutionId"]] + [
            [task["TaskExecutionId"], [i["InvocationId"] for i in task["Invocations"]]]
            for task in tasks
        ]

    e1, [t1a, [i1a]], [t1b, [i1b, i1c]] = ids(first)
    e2, [t2a, [i2a]], [t2b, [i2b, i2c]] = ids(second)
    e3, [t3a, [i3a]] = ids(third)
    nodes = "i-0000000000000000a, i-0000000000000000b"
    lam = "arn:aws:lambda:eu-west-1:123456789012:function:notify"
    title = (
        "Maintenance windows, 2026-11-24 00:00 UTC to 2026-11-26 02:03 UTC (now): 1 window, "
        "3 executions (2 SUCCESS, 1 IN_PROGRESS)"
    )

    def night(day: int, e: str, ta: str, ia: str, tb: str, ib: str, ic: str) -> str:
        return f"""\
  2026-11-{day} 02:00:00 GMT  SUCCESS          3m  {e}
    02:00:00  SUCCESS          2m  update: AWS-RunShellScript  RUN_COMMAND  priority 1  {ta}
      02:00:00  SUCCESS          2m  {nodes}: Success  {ia}
        02:00:00  SUCCESS          2m  i-0000000000000000a: Success
        02:00:00  SUCCESS          2m  i-0000000000000000b: Success
    02:02:00  SUCCESS          1m  {lam}  LAMBDA  priority 2  {tb}
      02:02:00  SUCCESS         30s  web #1: Success  {ib}
      02:02:30  SUCCESS         30s  web #2: Success  {ic}
"""

    assert mw.timeline().text() == f"""\
{title}

nightly  {window_id}  eu-west-1  cron(0 2 * * ? *)  Europe/Dublin  next 2026-11-27 02:00:00 GMT
  11-24 00:00 |.=......................=......................>| 11-26 02:03 GMT
{night(24, e1, t1a, i1a, t1b, i1b, i1c)}{night(25, e2, t2a, i2a, t2b, i2b, i2c)}\
  2026-11-26 02:00:00 GMT  IN_PROGRESS     3m+  {e3}
    02:00:00  IN_PROGRESS     3m+  update: AWS-RunShellScript  RUN_COMMAND  priority 1  {t3a}
      02:00:00  IN_PROGRESS     3m+  {nodes}: InProgress  {i3a}
        02:00:00  SUCCESS          2m  i-0000000000000000a: Success
        02:00:00  IN_PROGRESS     3m+  i-0000000000000000b: InProgress

chart: = SUCCESS  > IN_PROGRESS  . none; one column is 1h02m"""


def test_failure_shows_status_details_and_the_handlers_output(
    mw: MaintenanceWindows, dublin: Any
) -> None:
    build(mw, dublin)
    mw.remove_instance("i-0000000000000000b")
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome(
        "FAILED", duration=timedelta(minutes=1), output="yum: No space left on device\nexit 1"))
    mw.advance(timedelta(hours=3))
    lines = mw.timeline().text().splitlines()
    [execution] = [line for line in lines if line.startswith("  2026-11-24 02:00:00 GMT")]
    assert "  FAILED  " in execution
    assert "One or more tasks in the orchestration failed." in execution
    # A single-node command's StatusDetails hold the handler's output, on one line.
    [invocation] = [line for line in lines if line.startswith("      02:00:00  FAILED")]
    assert "i-0000000000000000a: yum: No space left on device | exit 1  " in invocation
    assert lines[-1] == "chart: F FAILED  . none; one column is 3m45s"


def test_no_windows(mw: MaintenanceWindows) -> None:
    assert mw.timeline().text() == (
        "Maintenance windows, 2026-11-24 00:00 UTC to 2026-11-24 00:00 UTC (now): "
        "0 windows, 0 executions\nno maintenance windows"
    )


def test_windows_without_executions_and_disabled_windows(
    mw: MaintenanceWindows, make_window: Any, ssm: Any
) -> None:
    first = make_window(Name="weekly")
    second = make_window(Name="off")
    ssm.update_maintenance_window(WindowId=second, Enabled=False)
    text = str(mw.timeline())
    assert (
        f"weekly  {first}  us-east-1  cron(0 16 ? * TUE *)  UTC  next 2026-11-24 16:00:00 UTC\n"
        "  11-24 00:00 |................................................| 11-24 00:00 UTC\n"
        "  no executions\n"
    ) in text
    assert f"off  {second}  us-east-1  cron(0 16 ? * TUE *)  UTC  disabled\n" in text
    assert text.endswith("chart: . none; one column is 1s")


def test_several_accounts_are_named(ssm: Any) -> None:
    with mock_maintenance_windows(start=START, account_id="111122223333") as a:
        client = boto3.client("ssm", region_name="us-east-1")
        client.create_maintenance_window(
            Name="only-one", Schedule="rate(7 days)", Duration=1, Cutoff=0,
            AllowUnassociatedTargets=True)
        assert "111122223333" not in a.timeline().text()  # one account: not named


def _daily(ssm: Any, mw: MaintenanceWindows, name: str, nodes: int = 1) -> str:
    window_id = str(ssm.create_maintenance_window(
        Name=name, Schedule="cron(0 2 * * ? *)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=True)["WindowId"])
    ids = [f"i-{name[:4].encode().hex()}{n:09x}" for n in range(nodes)]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "InstanceIds", "Values": ids}], MaxConcurrency="10", MaxErrors="10")
    return window_id


def _failing_on(day: int) -> Any:
    def handler(inv: Any) -> TaskOutcome:
        failed = inv.start_time.day == day and inv.target_id.endswith("0")
        return TaskOutcome("FAILED" if failed else "SUCCESS", duration=timedelta(minutes=5))
    return handler


def test_a_month_of_daily_executions_fits_one_screen(mw: MaintenanceWindows, ssm: Any) -> None:
    _daily(ssm, mw, "daily")
    mw.on_task("RUN_COMMAND", _failing_on(10))
    mw.advance(timedelta(days=30))
    text = mw.timeline().text()
    lines = text.splitlines()
    assert len(lines) <= 60
    # Every execution keeps its own line; the failed one is expanded, the others counted.
    assert sum(line.startswith("  2026-1") for line in lines) == 30
    assert "  2026-12-10 02:00:00 UTC  FAILED       5m  One or more tasks" in text
    assert [line for line in lines if line.startswith("    02:00:00  FAILED")]
    assert text.count("SUCCESS      5m  (1 task, 1 invocation)  ") == 29
    assert lines[-1].startswith("(summarised to fit 60 lines: text(max_lines=None) lists")
    assert len(mw.timeline().text(max_lines=None).splitlines()) == 6 + 30 * 3


def test_more_than_fits_is_summarised_level_by_level(mw: MaintenanceWindows, ssm: Any) -> None:
    for name in ("alpha", "bravo", "charlie"):
        _daily(ssm, mw, name, nodes=5)
    mw.on_task("RUN_COMMAND", _failing_on(10))
    mw.advance(timedelta(days=30))
    timeline = mw.timeline()
    full = timeline.text(max_lines=None)
    # Each execution: itself, its task, its command and the command's five nodes.
    assert len(full.splitlines()) == 1 + 3 * (3 + 30 * (3 + 5)) + 2
    # Runs of successful executions become one line each; the failed ones stay expanded.
    text = timeline.text()
    lines = text.splitlines()
    assert len(lines) <= 60
    runs = (
        "  16 executions SUCCESS from 2026-11-24 02:00:00 UTC to 2026-12-09 02:00:00 UTC\n"
        "  2026-12-10 02:00:00 UTC  FAILED       5m  One or more tasks in the orchestration "
        "failed.  "
    )
    assert text.count(runs) == 3
    later = "  13 executions SUCCESS from 2026-12-11 02:00:00 UTC to 2026-12-23 02:00:00 UTC\n"
    assert text.count(later) == 3
    # Level 5: counts only, still one block per window.
    tight = timeline.text(max_lines=20)
    counts = "  30 executions: 29 SUCCESS, 1 FAILED; the last 2026-12-23 02:00:00 UTC SUCCESS"
    assert tight.count(counts) == 3
    assert tight.splitlines()[-1].startswith("(summarised to fit 20 lines")


def test_many_invocations_of_a_task_are_counted(mw: MaintenanceWindows, ssm: Any) -> None:
    window_id = ssm.create_maintenance_window(
        Name="fan-out", Schedule="cron(0 2 * * ? *)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=True)["WindowId"]
    nodes = [f"i-{n:017x}" for n in range(1, 41)]
    for node in nodes:
        mw.add_instance(node, tags={"Fleet": "big"})
    target = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Fleet", "Values": ["big"]}])["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RestartEC2Instance", TaskType="AUTOMATION",
        Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
        MaxConcurrency="10", MaxErrors="5")
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome(
        "FAILED" if inv.target_id == nodes[7] else "SUCCESS", duration=timedelta(minutes=1)))
    mw.advance(timedelta(hours=3))
    text = mw.timeline().text(max_lines=20)
    assert f"      02:00:00  FAILED       1m  {target} #8: Failed  " in text
    assert "      39 invocations SUCCESS between 02:00:00 and 02:04:00" in text
    assert len(mw.timeline().text(max_lines=None).splitlines()) == 6 + 2 + 40


def test_history_older_than_30_days_is_said_to_be_gone(mw: MaintenanceWindows, ssm: Any) -> None:
    _daily(ssm, mw, "daily")
    mw.advance(timedelta(days=40))
    text = mw.timeline().text(max_lines=None)
    assert text.splitlines()[1] == (
        "(executions that ended before 2026-12-04 00:00 UTC are gone: the service keeps 30 "
        "days of execution history)"
    )
    # The axis starts where the history does (dates only: it spans a new year).
    assert "  2026-12-04 |==.==.=.==" in text
    assert "2026-12-03 02:00" not in text


def test_str_width_and_save_as_text(mw: MaintenanceWindows, ssm: Any, tmp_path: Path) -> None:
    _daily(ssm, mw, "daily")
    mw.advance(timedelta(days=3))
    timeline = mw.timeline()
    assert str(timeline) == timeline.text()
    narrow = timeline.text(width=12)
    assert "  11-24 00:00 |=...=...=...| 11-27 00:00 UTC" in narrow
    with pytest.raises(ValueError, match="width must be at least 10"):
        timeline.text(width=3)
    written = timeline.save(tmp_path / "timeline.txt")
    assert written.read_text() == timeline.text(max_lines=None) + "\n"


def test_a_snapshot_does_not_move_with_the_clock(mw: MaintenanceWindows, ssm: Any) -> None:
    _daily(ssm, mw, "daily")
    mw.advance(timedelta(days=1))
    before = mw.timeline()
    text = before.text()
    mw.advance(timedelta(days=1))
    assert before.text() == text
    assert mw.timeline().text() != text


def test_after_the_mock_ended_the_last_history_is_drawn() -> None:
    mock = mock_maintenance_windows(start=START)
    with pytest.raises(RuntimeError, match="has not been started yet"):
        mock.timeline()
    with mock:
        boto3.client("ssm", region_name="us-east-1").create_maintenance_window(
            Name="kept", Schedule="rate(1 day)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=True)
        mock.advance(timedelta(days=2))
    assert "kept  mw-" in mock.timeline().text()
    with mock:
        assert "kept" not in mock.timeline().text()  # a new activation starts empty
