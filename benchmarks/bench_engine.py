"""How fast the engine replays a simulated year, and how much memory it holds meanwhile.

Scenario: one hourly window (``cron(0 * * * ? *)``, us-east-1) with three tasks (an
Automation, a Lambda and a Step Functions task, priorities 0, 1, 2) over one tag target
that matches ten instances, and fifty daily windows without tasks (us-west-2, since a
Region holds at most 50 windows). One simulated year from 2026-01-01: 8,760 executions of
the hourly window with 30 invocations each (262,800 invocations) and 18,250 executions
that have nothing to do. No handlers are registered, so every invocation succeeds at once:
this measures the engine, not a test's handlers. Each invocation of the Automation task is
also an Automation execution (87,600 a year), with its two EC2 Automation events.

``--run-command`` swaps the three tasks for three RUN_COMMAND tasks (AWS-RunShellScript,
AWS-RunPowerShellScript, AWS-UpdateSSMAgent) over the same target: each sends one Run
Command command of ten nodes per hour, so the same 262,800 invocations are now Run Command
invocations, each kept as a record (with its command, readable through ListCommands,
ListCommandInvocations and GetCommandInvocation) and reported by EventBridge events of its
own, besides the window invocation of each command.

The year is advanced one day at a time and ``mw.events`` is drained after each day, as a
consumer of the events would; the execution history itself is bounded by the 30-day
retention, which is what keeps the peak memory flat. Three passes:

- ``full``: as a test would run it (events recorded by the mock);
- ``engine only``: the mock's event sink replaced by a no-op, to show how the time splits
  between the simulation and the recording of its EventBridge events;
- ``memory``: the full pass again under tracemalloc (slower; only its peak is reported).

``--mix`` is a user's suite as it runs: one hourly window with a RUN_COMMAND task
(AWS-RunShellScript) and an AUTOMATION task (AWS-RestartEC2Instance) over the same ten
tag-targeted nodes, no idle windows, 90 simulated days by default: 480 invocations a day,
each Run Command invocation (a node) writing its command and node records and events, each
Automation invocation its execution and its events, besides the window's own.

Run: ``python3 benchmarks/bench_engine.py`` from the repository root (``--days N`` for a
shorter run, ``--no-memory`` to skip the tracemalloc pass, ``--run-command`` for the Run
Command variant, ``--mix`` for the mix). Target: 50,000 invocations/s, each scenario.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ssm_mw_stub import mock_maintenance_windows
from ssm_mw_stub.model.events import EventLog

INVOCATION = "Maintenance Window Task Target Invocation State-change Notification"
NODE = "EC2 Command Invocation Status-change Notification"
AUTOMATION = "EC2 Automation Execution Status-change Notification"
TARGET = 50_000
TASKS = (
    ("AUTOMATION", "AWS-RestartEC2Instance"),
    ("LAMBDA", "arn:aws:lambda:us-east-1:123456789012:function:SSMBench"),
    ("STEP_FUNCTIONS", "arn:aws:states:us-east-1:123456789012:stateMachine:SSMBench"),
)
COMMANDS = (
    ("RUN_COMMAND", "AWS-RunShellScript"),
    ("RUN_COMMAND", "AWS-RunPowerShellScript"),
    ("RUN_COMMAND", "AWS-UpdateSSMAgent"),
)
MIX = (
    ("RUN_COMMAND", "AWS-RunShellScript"),
    ("AUTOMATION", "AWS-RestartEC2Instance"),
)
#: Per scenario: its tasks, the event types that count one invocation each (final ones),
#: whether the fifty idle daily windows are there, and the default number of days.
SCENARIOS = {
    "default": (TASKS, frozenset({INVOCATION}), True, 365),
    "run-command": (COMMANDS, frozenset({NODE}), True, 365),
    "mix": (MIX, frozenset({NODE, AUTOMATION}), False, 90),
}


def build(mw: Any, tasks: tuple[tuple[str, str], ...] = TASKS, idle: bool = True) -> None:
    """The hourly window with its tasks, and (``idle``) the fifty idle daily windows."""
    east = boto3.client("ssm", region_name="us-east-1")
    for n in range(10):
        mw.add_instance(f"i-{n:017x}", tags={"Env": "bench"})
    window_id = east.create_maintenance_window(
        Name="hourly", Schedule="cron(0 * * * ? *)", Duration=1, Cutoff=0,
        AllowUnassociatedTargets=False,
    )["WindowId"]
    target = east.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Env", "Values": ["bench"]}],
    )["WindowTargetId"]
    for priority, (kind, arn) in enumerate(tasks):
        east.register_task_with_maintenance_window(
            WindowId=window_id, TaskArn=arn, TaskType=kind, Priority=priority,
            Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
            MaxConcurrency="10", MaxErrors="1",
        )
    if not idle:
        return
    west = boto3.client("ssm", region_name="us-west-2")
    for n in range(50):
        west.create_maintenance_window(
            Name=f"daily-{n:02d}", Schedule=f"cron({n} 3 * * ? *)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=False,
        )


def run(
    days: int, *, engine_only: bool = False, scenario: str = "default"
) -> tuple[float, float, int, int]:
    """Advance ``days`` days; return (seconds inside advance(), the process's CPU seconds
    in them, invocations, executions)."""
    record = EventLog.record
    if engine_only:
        # A diagnostic, not something a test should do: the event log records nothing.
        EventLog.record = lambda *args: None  # type: ignore[method-assign,assignment]
    try:
        return _run(days, engine_only=engine_only, scenario=scenario)
    finally:
        EventLog.record = record  # type: ignore[method-assign]


def _run(days: int, *, engine_only: bool, scenario: str) -> tuple[float, float, int, int]:
    tasks, counted, idle, _ = SCENARIOS[scenario]
    with mock_maintenance_windows(start="2026-01-01T00:00:00Z", seed=1) as mw:
        build(mw, tasks, idle)
        day = timedelta(days=1)
        elapsed = cpu = 0.0
        invocations = 0
        executions = 0
        gc.collect()
        for _ in range(days):
            began, began_cpu = time.perf_counter(), time.process_time()
            mw.advance(day)
            elapsed += time.perf_counter() - began
            cpu += time.process_time() - began_cpu
            if engine_only:
                continue
            for event in mw.events:
                # Automation events (the AUTOMATION task's executions) spell it "Status",
                # Run Command's "status" with its own words.
                detail = event["detail"]
                status = detail.get("status") or detail.get("Status")
                if status in ("PENDING", "IN_PROGRESS", "Pending", "InProgress"):
                    if status == "PENDING":
                        executions += 1
                elif event["detail-type"] in counted:
                    invocations += 1
            mw.clear_events()
        if scenario == "run-command":
            check_commands(mw, days)
        if engine_only:
            invocations, executions = expected(scenario, days)
        return elapsed, cpu, invocations, executions


def expected(scenario: str, days: int) -> tuple[int, int]:
    """(invocations, executions) ``days`` of ``scenario`` make."""
    tasks, _, idle, _ = SCENARIOS[scenario]
    return days * 24 * 10 * len(tasks), days * (24 + (50 if idle else 0))


def check_commands(mw: Any, days: int) -> None:
    """The Run Command records are kept (the last 30 days of them) and read back."""
    east = boto3.client("ssm", region_name="us-east-1")
    kept = min(days, 31) * 24 * 3
    listed = [
        command
        for page in east.get_paginator("list_commands").paginate()
        for command in page["Commands"]
    ]
    assert kept - 3 * 24 <= len(listed) <= kept, len(listed)
    newest = listed[0]
    assert (newest["Status"], newest["CompletedCount"]) == ("Success", 10), newest
    nodes = east.list_command_invocations(CommandId=newest["CommandId"], Details=True)
    assert len(nodes["CommandInvocations"]) == 10
    node = nodes["CommandInvocations"][0]
    answer = east.get_command_invocation(
        CommandId=newest["CommandId"], InstanceId=node["InstanceId"]
    )
    assert (answer["Status"], answer["ResponseCode"]) == ("Success", 0), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=None)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument(
        "--run-command", action="store_true",
        help="three RUN_COMMAND tasks: count Run Command invocations (records kept)",
    )
    parser.add_argument(
        "--mix", action="store_true",
        help="a RUN_COMMAND and an AUTOMATION task over ten nodes, 90 days, no idle windows",
    )
    args = parser.parse_args()
    scenario = "mix" if args.mix else "run-command" if args.run_command else "default"
    tasks, _, idle, default_days = SCENARIOS[scenario]
    days = args.days or default_days

    what = " + ".join(kind for kind, _ in tasks) + " tasks x 10 targets"
    also = " + 50 idle daily windows" if idle else ""
    print(f"simulated: {days} days, hourly window x {what}{also}")
    elapsed, cpu, invocations, executions = run(days, scenario=scenario)
    count, execution_count = expected(scenario, days)
    assert invocations == count, (invocations, count)
    assert executions == execution_count, executions
    rate = invocations / elapsed
    print(
        f"full         {elapsed:7.2f} s  {rate:9,.0f} invocations/s  "
        f"({invocations:,} invocations, {executions:,} executions)"
    )
    # CPU time too: on a shared machine, others' load inflates the wall-clock figure.
    print(f"  (cpu       {cpu:7.2f} s  {invocations / cpu:9,.0f} invocations/s of CPU time)")
    engine_elapsed, _, _, _ = run(days, engine_only=True, scenario=scenario)
    print(
        f"engine only  {engine_elapsed:7.2f} s  {count / engine_elapsed:9,.0f} invocations/s  "
        f"(events discarded; the mock's event recording costs the difference)"
    )
    if not args.no_memory:
        tracemalloc.start()
        run(days, scenario=scenario)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"peak memory  {peak / 2**20:7.1f} MiB "
            "(tracemalloc, full pass, events drained daily)"
        )
    verdict = "met" if rate >= TARGET else "NOT met"
    print(f"target {TARGET:,} invocations/s: {verdict}")


if __name__ == "__main__":
    main()
