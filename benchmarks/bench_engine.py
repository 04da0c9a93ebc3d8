"""How fast the engine replays a simulated year, and how much memory it holds meanwhile.

Scenario: one hourly window (``cron(0 * * * ? *)``, us-east-1) with three tasks (an
Automation, a Lambda and a Step Functions task, priorities 0, 1, 2) over one tag target
that matches ten instances, and fifty daily windows without tasks (us-west-2, since a
Region holds at most 50 windows). One simulated year from 2026-01-01: 8,760 executions of
the hourly window with 30 invocations each (262,800 invocations) and 18,250 executions
that have nothing to do. No handlers are registered, so every invocation succeeds at once:
this measures the engine, not a test's handlers. Each invocation of the Automation task is
also an Automation execution (87,600 a year), with its two EC2 Automation events.

The year is advanced one day at a time and ``mw.events`` is drained after each day, as a
consumer of the events would; the execution history itself is bounded by the 30-day
retention, which is what keeps the peak memory flat. Three passes:

- ``full``: as a test would run it (events recorded by the mock);
- ``engine only``: the mock's event sink replaced by a no-op, to show how the time splits
  between the simulation and the recording of its EventBridge events;
- ``memory``: the full pass again under tracemalloc (slower; only its peak is reported).

Run: ``python3 benchmarks/bench_engine.py`` from the repository root (``--days N`` for a
shorter run, ``--no-memory`` to skip the tracemalloc pass). Target: 50,000 invocations/s.
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
TARGET = 50_000


def build(mw: Any) -> None:
    """The hourly window with its three tasks, and the fifty idle daily windows."""
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
    tasks = (
        ("AUTOMATION", "AWS-RestartEC2Instance"),
        ("LAMBDA", "arn:aws:lambda:us-east-1:123456789012:function:SSMBench"),
        ("STEP_FUNCTIONS", "arn:aws:states:us-east-1:123456789012:stateMachine:SSMBench"),
    )
    for priority, (kind, arn) in enumerate(tasks):
        east.register_task_with_maintenance_window(
            WindowId=window_id, TaskArn=arn, TaskType=kind, Priority=priority,
            Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
            MaxConcurrency="10", MaxErrors="1",
        )
    west = boto3.client("ssm", region_name="us-west-2")
    for n in range(50):
        west.create_maintenance_window(
            Name=f"daily-{n:02d}", Schedule=f"cron({n} 3 * * ? *)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=False,
        )


def run(days: int, *, engine_only: bool = False) -> tuple[float, int, int]:
    """Advance ``days`` days; return (seconds inside advance(), invocations, executions)."""
    record = EventLog.record
    if engine_only:
        # A diagnostic, not something a test should do: the event log records nothing.
        EventLog.record = lambda *args: None  # type: ignore[method-assign,assignment]
    try:
        return _run(days, engine_only=engine_only)
    finally:
        EventLog.record = record  # type: ignore[method-assign]


def _run(days: int, *, engine_only: bool) -> tuple[float, int, int]:
    with mock_maintenance_windows(start="2026-01-01T00:00:00Z", seed=1) as mw:
        build(mw)
        day = timedelta(days=1)
        elapsed = 0.0
        invocations = 0
        executions = 0
        gc.collect()
        for _ in range(days):
            began = time.perf_counter()
            mw.advance(day)
            elapsed += time.perf_counter() - began
            if engine_only:
                continue
            for event in mw.events:
                # Automation events (the AUTOMATION task's executions) spell it "Status".
                status = event["detail"].get("status")
                if status in ("PENDING", "IN_PROGRESS"):
                    if status == "PENDING":
                        executions += 1
                elif event["detail-type"] == INVOCATION:
                    invocations += 1
            mw.clear_events()
        if engine_only:
            invocations = days * 24 * 30
            executions = days * (24 + 50)
        return elapsed, invocations, executions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    days = args.days

    print(f"simulated: {days} days, hourly window x 3 tasks x 10 targets + 50 idle daily windows")
    elapsed, invocations, executions = run(days)
    expected = days * 24 * 30
    assert invocations == expected, (invocations, expected)
    assert executions == days * (24 + 50), executions
    rate = invocations / elapsed
    print(
        f"full         {elapsed:7.2f} s  {rate:9,.0f} invocations/s  "
        f"({invocations:,} invocations, {executions:,} executions)"
    )
    engine_elapsed, _, _ = run(days, engine_only=True)
    print(
        f"engine only  {engine_elapsed:7.2f} s  {expected / engine_elapsed:9,.0f} invocations/s  "
        f"(events discarded; the mock's event recording costs the difference)"
    )
    if not args.no_memory:
        tracemalloc.start()
        run(days)
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
