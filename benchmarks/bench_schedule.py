"""How much the schedule adapter costs next to raw croniter.

For three schedules, time 10,000 consecutive start times through the adapter
(``compile_schedule(...).starts_after``) and through raw croniter iterating the equivalent
Unix expression with an aware start (so both produce aware datetimes in the same zone), in
one process, and print microseconds per start and the ratio adapter / croniter (target:
<= 1.5). Run: ``python3 benchmarks/bench_schedule.py`` from the repository root.

"cold" is a pass with the adapter's per-year day cache emptied first, "warm" repeats it
(cache filled, as for a window asked about again, or another window with the same days).
Iteration starts on 1970-01-02: 10,000 weekly starts span 192 years and AWS cron years run
1970-2199 (a 1 January 1970 UTC start would be 31 December 1969 in Los Angeles, outside
AWS's years but not croniter's). Both sides' results are compared, so both do equal work.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

from croniter import croniter

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ssm_mw_stub.schedule import compile_schedule
from ssm_mw_stub.schedule.cron import clear_cache

COUNT = 10_000
BEGIN = datetime(1970, 1, 2, tzinfo=timezone.utc)

# (label, AWS schedule, ScheduleTimezone, the equivalent croniter expression)
CASES: tuple[tuple[str, str, str | None, str], ...] = (
    ("weekly, Los Angeles", "cron(0 16 ? * TUE *)", "America/Los_Angeles", "0 16 * * 2"),
    ("every 5 minutes, UTC", "cron(0/5 * * * ? *)", None, "*/5 * * * *"),
    # Not in the brief's list: the same in a DST zone, to show the per-start gap check.
    ("every 5 minutes, LA", "cron(0/5 * * * ? *)", "America/Los_Angeles", "*/5 * * * *"),
    ("rate(1 hour), UTC", "rate(1 hour)", None, "0 * * * *"),
)


def adapter_starts(schedule: str, zone: str | None) -> Iterator[datetime]:
    compiled = compile_schedule(
        schedule=schedule, timezone=zone, offset=None, start_date=None, end_date=None,
        enabled=True, anchor=BEGIN,
    )
    return compiled.starts_after(BEGIN)


def croniter_starts(expression: str, zone: str | None) -> Iterator[datetime]:
    start = BEGIN.astimezone(ZoneInfo(zone)) if zone else BEGIN
    iterator = croniter(expression, start, ret_type=datetime)
    return (iterator.get_next(datetime) for _ in range(COUNT))


def timed(make: Callable[[], Iterator[datetime]]) -> tuple[float, list[datetime]]:
    began = time.perf_counter()
    starts = list(islice(make(), COUNT))
    elapsed = time.perf_counter() - began
    assert len(starts) == COUNT, f"only {len(starts)} starts"
    return elapsed / COUNT * 1e6, starts


def main() -> None:
    print(f"{COUNT:,} consecutive starts from {BEGIN:%Y-%m-%d}, microseconds per start")
    print(f"{'schedule':24} {'adapter cold':>12} {'adapter warm':>12} {'croniter':>9} "
          f"{'ratio cold':>10} {'ratio warm':>10}")
    for label, schedule, zone, expression in CASES:
        clear_cache()
        cold, ours = timed(lambda: adapter_starts(schedule, zone))  # noqa: B023
        warm, _ = timed(lambda: adapter_starts(schedule, zone))  # noqa: B023
        raw, theirs = timed(lambda: croniter_starts(expression, zone))  # noqa: B023
        assert [(start.astimezone(timezone.utc), start.utcoffset()) for start in ours] == [
            (start.astimezone(timezone.utc), start.utcoffset()) for start in theirs
        ], f"{label}: the adapter and croniter disagree"
        print(f"{label:24} {cold:12.2f} {warm:12.2f} {raw:9.2f} {cold / raw:10.3f} "
              f"{warm / raw:10.3f}")
    print("target: ratio <= 1.5 (adapter no slower than 1.5x raw croniter)")


if __name__ == "__main__":
    main()
