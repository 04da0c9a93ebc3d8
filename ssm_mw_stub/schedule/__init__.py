"""Schedule expressions (cron, rate, at) -> window start times. Knows nothing of windows.

Given a window's Schedule, ScheduleTimezone, ScheduleOffset, StartDate, EndDate, Enabled and
the instant it was set, :func:`compile_schedule` validates the lot (raising
:class:`ScheduleError`, whose text is the ValidationException message) and returns a
:class:`WindowSchedule` that yields the window's start times after any instant, lazily.
The decisions behind the semantics are written down in ``docs/schedule-notes.md``.
"""

from .cron import MIN_INTERVAL_SECONDS, CronSpec
from .errors import ScheduleError
from .expressions import AtSpec, ParsedSchedule, RateSpec, parse_expression, validate_expression
from .times import format_execution_time, load_zone, parse_date, validate_timezone
from .window import WindowSchedule, compile_schedule

__all__ = [
    "MIN_INTERVAL_SECONDS",
    "AtSpec",
    "CronSpec",
    "ParsedSchedule",
    "RateSpec",
    "ScheduleError",
    "WindowSchedule",
    "compile_schedule",
    "format_execution_time",
    "load_zone",
    "parse_date",
    "parse_expression",
    "validate_expression",
    "validate_timezone",
]
