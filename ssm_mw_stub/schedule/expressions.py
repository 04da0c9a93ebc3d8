"""The three Schedule forms - ``cron(...)``, ``rate(...)``, ``at(...)`` - parsed and validated.

Validation happens once, here, at CreateMaintenanceWindow / UpdateMaintenanceWindow time,
because that is when AWS rejects a bad schedule; iteration code may then trust its input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from .cron import MIN_INTERVAL_SECONDS, YEAR_MAX, YEAR_MIN, CronSpec, parse_cron
from .errors import ScheduleError, invalid_schedule

__all__ = [
    "AtSpec",
    "ParsedSchedule",
    "RateSpec",
    "parse_expression",
    "validate_expression",
]

_UNITS: dict[str, tuple[str, int]] = {
    # unit -> (the form it must be written in for its number, seconds per unit)
    "minute": ("singular", 60),
    "minutes": ("plural", 60),
    "hour": ("singular", 3600),
    "hours": ("plural", 3600),
    "day": ("singular", 86_400),
    "days": ("plural", 86_400),
}
_FORM = re.compile(r"(cron|rate|at)\((.*)\)", re.DOTALL)
_AT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})")
_EXAMPLES = '"cron(0 16 ? * TUE *)", "rate(7 days)" or "at(2030-07-07T15:55:00)"'


@dataclass(frozen=True)
class RateSpec:
    """``rate(N unit)``: a fixed interval, counted in plain UTC (24-hour days)."""

    expression: str
    value: int
    unit: str
    interval: timedelta


@dataclass(frozen=True)
class AtSpec:
    """``at(...)``: one wall-clock time, read in the window's zone (UTC without one)."""

    expression: str
    when: datetime  # naive wall-clock time


ParsedSchedule = CronSpec | RateSpec | AtSpec


def _parse_rate(expression: str, body: str) -> RateSpec:
    parts = body.split(" ")
    if len(parts) != 2:
        raise invalid_schedule(
            expression,
            'a rate expression is "rate(value unit)", for example "rate(1 hour)" or '
            '"rate(30 minutes)"',
        )
    value_text, unit = parts
    if not value_text.isdigit() or int(value_text) == 0:
        raise invalid_schedule(
            expression, f'the rate value "{value_text}" must be a positive whole number'
        )
    value = int(value_text)
    if unit not in _UNITS:
        raise invalid_schedule(
            expression, f'the rate unit "{unit}" must be minute, minutes, hour, hours, day or days'
        )
    form, seconds_per_unit = _UNITS[unit]
    singular = unit.rstrip("s")
    if value == 1 and form == "plural":
        raise invalid_schedule(
            expression, f'a value of 1 takes the singular unit: "rate(1 {singular})"'
        )
    if value != 1 and form == "singular":
        raise invalid_schedule(
            expression, f'a value other than 1 takes the plural unit: "rate({value} {singular}s)"'
        )
    seconds = value * seconds_per_unit
    if seconds < MIN_INTERVAL_SECONDS:
        raise invalid_schedule(
            expression, "maintenance windows cannot run more often than every 5 minutes"
        )
    try:
        interval = timedelta(seconds=seconds)
    except OverflowError:
        raise invalid_schedule(expression, f"the rate value {value} is too large") from None
    return RateSpec(expression=expression, value=value, unit=unit, interval=interval)


def _parse_at(expression: str, body: str) -> AtSpec:
    match = _AT.fullmatch(body)
    if match is None:
        raise invalid_schedule(
            expression,
            'a one-time schedule is "at(yyyy-mm-ddThh:mm:ss)", for example '
            '"at(2030-07-07T15:55:00)"',
        )
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    if not YEAR_MIN <= year <= YEAR_MAX:
        # The years cron accepts: beyond them a zone offset could push the instant past
        # what a datetime can hold, and no window runs that far out anyway.
        raise invalid_schedule(
            expression, f"the year {year} is out of range; years are {YEAR_MIN}-{YEAR_MAX}"
        )
    try:
        when = datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise invalid_schedule(
            expression, f'"{body}" is not a real date and time ({exc})'
        ) from None
    return AtSpec(expression=expression, when=when)


def parse_expression(schedule: str) -> ParsedSchedule:
    """Parse a whole Schedule string; raise :class:`ScheduleError` saying what is wrong."""
    if not isinstance(schedule, str):
        raise ScheduleError(f"Schedule must be a string, not {type(schedule).__name__}")
    return _parse_text(schedule)


@lru_cache(maxsize=512)
def _parse_text(schedule: str) -> ParsedSchedule:
    """Parsing is pure and the specs are frozen, so each distinct text is parsed once: the
    same few schedules come back on every create, update and engine restart."""
    if not schedule.isascii():
        raise invalid_schedule(schedule, "it contains characters outside ASCII")
    match = _FORM.fullmatch(schedule)
    if match is None:
        raise invalid_schedule(
            schedule, f"write cron(...), rate(...) or at(...), for example {_EXAMPLES}"
        )
    form, body = match.groups()
    if form == "cron":
        return parse_cron(schedule, body)
    if form == "rate":
        return _parse_rate(schedule, body)
    return _parse_at(schedule, body)


def validate_expression(schedule: str) -> None:
    """Raise ScheduleError if ``schedule`` (the whole 'cron(...)'/'rate(...)'/'at(...)' string)
    is not valid."""
    parse_expression(schedule)
