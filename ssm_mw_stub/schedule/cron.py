"""The AWS cron dialect, and the adapter that lets croniter do its calendar arithmetic.

AWS cron (``cron(min hour dom month dow year)``, optionally with leading seconds) looks like
the Unix cron that croniter speaks, but differs where it hurts: day-of-week counts 1-7 from
SUNDAY (croniter: 0-6, and an untranslated AWS ``7`` silently becomes Sunday), ``6L`` means
"last Friday" (croniter spells it ``L5``), ``MON-MON`` is a single day (croniter reads an
equal-bounds range as the whole cycle), years run to 2199 (croniter stops at 2099) and one of
the two day fields must be ``?``. So this module owns the dialect completely: it parses and
validates every field itself, expands each one into explicit values, and hands croniter only
a day-level expression in plain numbers (``0 0 <dom> <month> <dow>``) whose meaning cannot
drift. croniter then answers the one question that is genuinely fiddly - which calendar days
match, including ``L``, ``W`` and ``#`` - and the times of day and years are applied here.
"""

from __future__ import annotations

import calendar
import copy
import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from .errors import ScheduleError, invalid_schedule

__all__ = [
    "MIN_INTERVAL_SECONDS",
    "YEAR_MAX",
    "YEAR_MIN",
    "CronSpec",
    "clear_cache",
    "parse_cron",
]

#: The documented floor: "expressions that fire more often than every 5 minutes are not supported".
MIN_INTERVAL_SECONDS = 300
YEAR_MIN = 1970
YEAR_MAX = 2199

_MONTH_NAMES: Mapping[str, int] = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}
_DAY_NAMES: Mapping[str, int] = {
    name: number
    for number, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), start=1)
}


@dataclass(frozen=True)
class _Field:
    """One cron column: its name in messages, its bounds and its optional names."""

    name: str
    low: int
    high: int
    names: Mapping[str, int] | None = None
    range_hint: str = ""

    def describe_range(self) -> str:
        return self.range_hint or f"{self.low}-{self.high}"


_SECONDS = _Field("seconds", 0, 59)
_MINUTES = _Field("minutes", 0, 59)
_HOURS = _Field("hours", 0, 23)
_DAY_OF_MONTH = _Field("day-of-month", 1, 31)
_MONTH = _Field("month", 1, 12, _MONTH_NAMES, "1-12 or JAN-DEC")
_DAY_OF_WEEK = _Field("day-of-week", 1, 7, _DAY_NAMES, "1-7 (1 = SUN) or SUN-SAT")
_YEAR = _Field("year", YEAR_MIN, YEAR_MAX)

# value, optional "-value" and optional "/step"; "*" may only stand alone or before "/step".
_ITEM = re.compile(r"(\*|[0-9]+|[A-Z]+)(?:-([0-9]+|[A-Z]+))?(?:/([0-9]+))?")
_NEAREST_WEEKDAY = re.compile(r"([0-9]+)W")
_LAST_WEEKDAY = re.compile(r"([0-9]+|[A-Z]+)L")
_NTH_WEEKDAY = re.compile(r"([0-9]+|[A-Z]+)#([0-9]+)")

DomKind = Literal["?", "set", "L", "W"]
DowKind = Literal["?", "set", "L", "#"]


@dataclass(frozen=True)
class CronSpec:
    """A validated AWS cron expression, every field expanded to explicit values.

    ``dom`` holds the day numbers for ``dom_kind == "set"`` and ``(n,)`` for ``nW``;
    ``dow`` holds AWS day numbers (1 = SUN) for ``"set"`` and ``(n,)`` for ``nL`` / ``n#k``
    (``nth`` is k). Keeping AWS numbering here and translating only in
    :meth:`croniter_day_expression` puts the renumbering in exactly one place.
    """

    expression: str
    seconds: tuple[int, ...]
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    dom_kind: DomKind
    dom: tuple[int, ...]
    months: tuple[int, ...]
    dow_kind: DowKind
    dow: tuple[int, ...]
    nth: int
    years: tuple[int, ...]

    def times_of_day(self) -> tuple[tuple[int, int, int], ...]:
        """Every (hour, minute, second) the expression fires at on a matching day, ascending."""
        return tuple(
            (hour, minute, second)
            for hour in self.hours
            for minute in self.minutes
            for second in self.seconds
        )

    def croniter_day_expression(self) -> str:
        """The day-level croniter expression: which calendar days match, in croniter's dialect.

        Values are spelled out as explicit numbers so that croniter's own readings of ranges,
        names and day numbers never come into play.
        """
        if self.dom_kind == "set":
            dom = _join(self.dom)
        elif self.dom_kind == "L":
            dom = "L"
        elif self.dom_kind == "W":
            dom = f"{self.dom[0]}W"
        else:
            dom = "*"
        if self.dow_kind == "set":
            dow = _join(value - 1 for value in self.dow)
        elif self.dow_kind == "L":
            dow = f"L{self.dow[0] - 1}"
        elif self.dow_kind == "#":
            dow = f"{self.dow[0] - 1}#{self.nth}"
        else:
            dow = "*"
        months = "*" if len(self.months) == 12 else _join(self.months)
        return f"0 0 {dom} {months} {dow}"

    def days_from(self, first: date) -> Iterator[date]:
        """Matching calendar days on or after ``first``, ascending, within 1970-2199."""
        expression = self.croniter_day_expression()
        nearest_weekday = self.dom[0] if self.dom_kind == "W" else 0
        years = self.years
        index = bisect_left(years, first.year)
        for year in years[index:]:
            days = _matching_days(expression, year, nearest_weekday)
            if year == first.year:
                days = days[bisect_left(days, first) :]
            yield from days

    def shortest_gap(self) -> tuple[int, tuple[int, int, int], tuple[int, int, int]]:
        """The smallest distance in seconds between two firings, and the two times involved.

        The last time of one day and the first time of the next count as neighbours even
        when the day fields would never select two consecutive days: a deliberately simple
        rule that can only err on the strict side, and only for expressions nobody writes.
        """
        times = self.times_of_day()
        if len(times) == 1:
            return 86_400, times[0], times[0]
        seconds = [hour * 3600 + minute * 60 + second for hour, minute, second in times]
        best = (seconds[1] - seconds[0], times[0], times[1])
        for index in range(2, len(seconds)):
            gap = seconds[index] - seconds[index - 1]
            if gap < best[0]:
                best = (gap, times[index - 1], times[index])
        overnight = seconds[0] + 86_400 - seconds[-1]
        return (overnight, times[-1], times[0]) if overnight < best[0] else best


def _join(values: Iterator[int] | tuple[int, ...]) -> str:
    return ",".join(str(value) for value in values)


if TYPE_CHECKING:
    from croniter import croniter


@lru_cache(maxsize=64)
def _prototype(expression: str) -> croniter[datetime]:
    """One parsed croniter per day expression; copies of it do the iterating.

    Building a croniter re-parses the expression (hundreds of microseconds); a shallow copy
    shares the parsed fields, which croniter never mutates while iterating.
    ``max_years_between_matches=1`` bounds each search to the year asked for and the next,
    so a year without matches costs a short scan instead of croniter's default 50 years.
    croniter is imported here, on first use, to keep it out of the package's import time.
    """
    from croniter import croniter

    return croniter(expression, datetime(YEAR_MIN, 1, 1), ret_type=datetime,
                    max_years_between_matches=1)


@lru_cache(maxsize=1024)
def _matching_days(expression: str, year: int, nearest_weekday: int) -> tuple[date, ...]:
    """The days of ``year`` that the day-level croniter expression selects.

    Cached per year because the same schedule is asked about again and again (every
    NextExecutionTime, every page of DescribeMaintenanceWindowSchedule, every engine step)
    and croniter costs ~100 microseconds per match. ``nearest_weekday`` is the ``n`` of
    ``nW``: croniter clamps a day the month lacks (31W in April becomes 30W); AWS documents
    no such clamp, and a plain ``31`` skips short months, so ``31W`` does too.
    """
    from croniter import CroniterBadDateError

    iterator = copy.copy(_prototype(expression))
    iterator.set_current(datetime(year - 1, 12, 31, 23, 59), force=True)
    days: list[date] = []
    while True:
        try:
            found = iterator.get_next(datetime)
        except CroniterBadDateError:
            break
        if found.year != year:
            break
        if nearest_weekday and nearest_weekday > calendar.monthrange(year, found.month)[1]:
            continue
        days.append(found.date())
    return tuple(days)


def clear_cache() -> None:
    """Forget the cached croniter prototypes and per-year matching days (for a benchmark's
    cold pass, or to hand the memory back after simulating many distinct schedules)."""
    _prototype.cache_clear()
    _matching_days.cache_clear()


def _field_error(expression: str, field: _Field, token: str, detail: str) -> ScheduleError:
    return invalid_schedule(expression, f'{field.name} field "{token}": {detail}')


def _value(expression: str, field: _Field, token: str, text: str) -> int:
    if text.isdigit():
        number = int(text)
    elif field.names is not None:
        if text not in field.names:
            names = ", ".join(field.names)
            raise _field_error(expression, field, token, f'"{text}" is not one of {names}')
        number = field.names[text]
    else:
        raise _field_error(expression, field, token, f'"{text}" is not a number')
    if not field.low <= number <= field.high:
        raise _field_error(
            expression, field, token,
            f"{number} is out of range; {field.name} values are {field.describe_range()}",
        )
    return number


def _item(expression: str, field: _Field, token: str, item: str) -> range:
    if item == "?":
        raise _field_error(
            expression, field, token,
            '"?" is allowed only in the day-of-month and day-of-week fields',
        )
    match = _ITEM.fullmatch(item)
    if match is None:
        raise _field_error(
            expression, field, token,
            f'"{item}" is not a value, a range (a-b), an increment (a/n) or "*"',
        )
    first, last, step_text = match.groups()
    if first == "*":
        if last is not None:
            raise _field_error(expression, field, token, '"*" cannot start a range')
        low, high = field.low, field.high
    else:
        low = _value(expression, field, token, first)
        if last is not None:
            high = _value(expression, field, token, last)
            if high < low:
                raise _field_error(
                    expression, field, token,
                    f'the range "{item}" ends before it starts; ranges do not wrap around',
                )
        else:
            high = field.high if step_text is not None else low
    step = 1
    if step_text is not None:
        step = int(step_text)
        span = field.high - field.low + 1
        if not 1 <= step <= span:
            raise _field_error(
                expression, field, token, f"the increment {step} must be between 1 and {span}"
            )
    return range(low, high + 1, step)


def _values(expression: str, field: _Field, token: str) -> tuple[int, ...]:
    """A list field (``a,b-c,d/n``) expanded to its sorted, distinct values."""
    values: set[int] = set()
    for item in token.upper().split(","):
        if not item:
            raise _field_error(expression, field, token, "empty list element")
        values.update(_item(expression, field, token, item))
    return tuple(sorted(values))


def _day_of_month(expression: str, token: str) -> tuple[DomKind, tuple[int, ...]]:
    text = token.upper()
    if text == "?":
        return "?", ()
    if text == "L":
        return "L", ()
    match = _NEAREST_WEEKDAY.fullmatch(text)
    if match is not None:
        return "W", (_value(expression, _DAY_OF_MONTH, token, match.group(1)),)
    if "L" in text or "W" in text:
        raise _field_error(
            expression, _DAY_OF_MONTH, token,
            'only "L" (last day of the month) and "nW" (the weekday nearest day n) are '
            "supported, each on its own",
        )
    return "set", _values(expression, _DAY_OF_MONTH, token)


def _day_of_week(expression: str, token: str) -> tuple[DowKind, tuple[int, ...], int]:
    text = token.upper()
    if text == "?":
        return "?", (), 0
    if text == "L":  # "last day of the week": Saturday, as in Quartz, whose syntax AWS follows
        return "set", (7,), 0
    match = _LAST_WEEKDAY.fullmatch(text)
    if match is not None:
        return "L", (_value(expression, _DAY_OF_WEEK, token, match.group(1)),), 0
    match = _NTH_WEEKDAY.fullmatch(text)
    if match is not None:
        day = _value(expression, _DAY_OF_WEEK, token, match.group(1))
        nth = int(match.group(2))
        if not 1 <= nth <= 5:
            raise _field_error(
                expression, _DAY_OF_WEEK, token, f'"#{nth}": the week number must be 1-5'
            )
        return "#", (day,), nth
    if "L" in text or "#" in text:
        raise _field_error(
            expression, _DAY_OF_WEEK, token,
            'only "nL" (last weekday n of the month), "n#k" (the k-th weekday n) and "L" '
            "are supported, each on its own",
        )
    return "set", _values(expression, _DAY_OF_WEEK, token), 0


def parse_cron(expression: str, body: str) -> CronSpec:
    """Validate the inside of ``cron(...)`` and expand it; ``expression`` is quoted in errors."""
    fields = body.split()
    if len(fields) not in (6, 7):
        raise invalid_schedule(
            expression,
            "a cron expression has 6 fields (minutes hours day-of-month month day-of-week "
            f"year), or 7 with leading seconds; this one has {len(fields)}",
        )
    if len(fields) == 7:
        seconds = _values(expression, _SECONDS, fields[0])
        fields = fields[1:]
    else:
        seconds = (0,)
    minutes_token, hours_token, dom_token, month_token, dow_token, year_token = fields
    minutes = _values(expression, _MINUTES, minutes_token)
    hours = _values(expression, _HOURS, hours_token)
    dom_kind, dom = _day_of_month(expression, dom_token)
    months = _values(expression, _MONTH, month_token)
    dow_kind, dow, nth = _day_of_week(expression, dow_token)
    years = _values(expression, _YEAR, year_token)
    if dom_kind == "?" and dow_kind == "?":
        raise invalid_schedule(
            expression,
            'day-of-month and day-of-week are both "?"; exactly one of them must be "?"',
        )
    if dom_kind != "?" and dow_kind != "?":
        raise invalid_schedule(
            expression,
            f'day-of-month "{dom_token}" and day-of-week "{dow_token}" are both set; '
            'one of them must be "?"',
        )
    spec = CronSpec(
        expression=expression, seconds=seconds, minutes=minutes, hours=hours,
        dom_kind=dom_kind, dom=dom, months=months, dow_kind=dow_kind, dow=dow, nth=nth,
        years=years,
    )
    gap, earlier, later = spec.shortest_gap()
    if gap < MIN_INTERVAL_SECONDS:
        raise invalid_schedule(
            expression,
            f"it runs {_clock(earlier)} and {_clock(later)}, {gap} seconds apart; maintenance "
            "windows cannot run more often than every 5 minutes",
        )
    return spec


def _clock(time_of_day: tuple[int, int, int]) -> str:
    hour, minute, second = time_of_day
    return f"{hour:02}:{minute:02}:{second:02}" if second else f"{hour:02}:{minute:02}"
