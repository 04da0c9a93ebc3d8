"""Small helpers shared by the schedule tests: compile with defaults, list starts as text."""

from __future__ import annotations

from datetime import datetime
from itertools import islice
from typing import Any

from ssm_mw_stub.schedule import (
    WindowSchedule,
    compile_schedule,
    format_execution_time,
    parse_date,
)

DEFAULT_ANCHOR = "2026-01-01T00:00:00Z"  # a Thursday


def instant(text: str) -> datetime:
    """An aware datetime from ISO 8601 text with an offset."""
    return parse_date(text, "instant")


def compile_window(
    schedule: str,
    *,
    anchor: str = DEFAULT_ANCHOR,
    timezone: str | None = None,
    offset: int | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    enabled: bool = True,
) -> WindowSchedule:
    return compile_schedule(
        schedule=schedule,
        timezone=timezone,
        offset=offset,
        start_date=start_date,
        end_date=end_date,
        enabled=enabled,
        anchor=instant(anchor),
    )


def first_starts(
    schedule: str, count: int, *, after: str | None = None, **options: Any
) -> list[str]:
    """The first ``count`` starts after ``after`` (default: the anchor), as the service prints
    them (NextExecutionTime / ExecutionTime)."""
    window = compile_window(schedule, **options)
    since = instant(after) if after is not None else window.anchor
    return [format_execution_time(start) for start in islice(window.starts_after(since), count)]
