"""A brute-force reference evaluator for AWS cron schedules, written for obviousness.

It shares no code with ``ssm_mw_stub.schedule`` beyond the documented rules: it reads the
expression with its own tiny parser, walks the calendar day by day, tests every hour, minute
and second against the fields one by one, and resolves wall-clock times into instants by
trying every offset the zone uses nearby and keeping the ones that round-trip through UTC
(no reliance on ``fold``). It is slow and only meant for short horizons.

The rules it encodes (see docs/schedule-notes.md):
- day-of-week 1-7 = SUN-SAT; ``nL`` = last weekday n of the month; ``n#k`` = k-th weekday n;
  ``L`` alone in day-of-week = Saturday; ``L`` in day-of-month = last day; ``nW`` = the
  weekday (Mon-Fri) of the same month closest to day n, no run in a month without day n.
- a wall-clock time that does not exist is skipped; one that exists twice runs at the first.
- run = occurrence + offset days (same wall-clock time); the occurrence must be after the
  anchor (by instant, or by wall-clock reading when it does not exist itself); the run must
  be after ``after`` and within StartDate..EndDate.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

UTC = timezone.utc
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def _number(text: str, names: list[str], first: int) -> int:
    text = text.upper()
    if text in names:
        return names.index(text) + first
    return int(text)


def _item_matches(value: int, item: str, low: int, high: int, names: list[str]) -> bool:
    """Does ``value`` belong to one list item (``*``, ``a``, ``a-b``, ``a/n``, ``*/n``...)?"""
    stepped = "/" in item
    step = 1
    if stepped:
        item, step_text = item.split("/")
        step = int(step_text)
    if item == "*":
        first, last = low, high
    elif "-" in item:
        left, right = item.split("-")
        first, last = _number(left, names, low), _number(right, names, low)
    else:
        first = _number(item, names, low)
        last = high if stepped else first
    return first <= value <= last and (value - first) % step == 0


def _list_matches(value: int, token: str, low: int, high: int, names: list[str]) -> bool:
    return any(_item_matches(value, item, low, high, names) for item in token.split(","))


def _aws_weekday(day: date) -> int:
    return day.isoweekday() % 7 + 1  # Sunday = 1 ... Saturday = 7


@dataclass(frozen=True)
class ReferenceCron:
    """An AWS cron expression evaluated field by field."""

    seconds: str
    minutes: str
    hours: str
    dom: str
    month: str
    dow: str
    year: str

    @classmethod
    def parse(cls, expression: str) -> ReferenceCron:
        assert expression.startswith("cron(")
        assert expression.endswith(")")
        fields = expression[5:-1].split()
        if len(fields) == 6:
            fields = ["0", *fields]
        return cls(*fields)

    def day_matches(self, day: date) -> bool:
        if not (1970 <= day.year <= 2199):
            return False
        if not _list_matches(day.year, self.year, 1970, 2199, []):
            return False
        if not _list_matches(day.month, self.month, 1, 12, MONTHS):
            return False
        return self._dom_matches(day) and self._dow_matches(day)

    def _dom_matches(self, day: date) -> bool:
        token = self.dom.upper()
        last_day = calendar.monthrange(day.year, day.month)[1]
        if token == "?":
            return True
        if token == "L":
            return day.day == last_day
        if token.endswith("W"):
            target = int(token[:-1])
            if target > last_day:
                return False
            weekdays = [
                number for number in range(1, last_day + 1)
                if date(day.year, day.month, number).weekday() < 5
            ]
            return day.day == min(weekdays, key=lambda number: abs(number - target))
        return _list_matches(day.day, token, 1, 31, [])

    def _dow_matches(self, day: date) -> bool:
        token = self.dow.upper()
        weekday = _aws_weekday(day)
        last_day = calendar.monthrange(day.year, day.month)[1]
        if token == "?":
            return True
        if token == "L":
            return weekday == 7
        if token.endswith("L"):
            return weekday == _number(token[:-1], DAYS, 1) and day.day + 7 > last_day
        if "#" in token:
            wanted, nth = token.split("#")
            return weekday == _number(wanted, DAYS, 1) and (day.day - 1) // 7 + 1 == int(nth)
        return _list_matches(weekday, token, 1, 7, DAYS)

    def times_of_day(self) -> list[tuple[int, int, int]]:
        """Every second of the day checked against the three time fields (hoisted per day)."""
        hours = [hour for hour in range(24) if _list_matches(hour, self.hours, 0, 23, [])]
        minutes = [minute for minute in range(60) if _list_matches(minute, self.minutes, 0, 59, [])]
        seconds = [second for second in range(60) if _list_matches(second, self.seconds, 0, 59, [])]
        return [
            (hour, minute, second) for hour in hours for minute in minutes for second in seconds
        ]


def resolve(wall: datetime, zone: tzinfo) -> datetime | None:
    """The first instant whose wall-clock reading in ``zone`` is ``wall``; None if none is."""
    offsets = set()
    for probe in (wall - timedelta(days=1), wall, wall + timedelta(days=1)):
        for fold in (0, 1):
            offset = probe.replace(tzinfo=zone, fold=fold).utcoffset()
            assert offset is not None
            offsets.add(offset)
    matches = []
    for offset in offsets:
        instant = (wall - offset).replace(tzinfo=UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            matches.append(instant)
    return min(matches) if matches else None


def reference_cron_starts(
    expression: str,
    *,
    zone: tzinfo,
    offset_days: int,
    anchor: datetime,
    start: datetime | None,
    end: datetime | None,
    after: datetime,
    until: datetime,
    limit: int,
) -> list[datetime]:
    """The first ``limit`` starts in (after, until], as UTC instants, walking day by day."""
    cron = ReferenceCron.parse(expression)
    times = cron.times_of_day()
    shift = timedelta(days=offset_days)
    anchor_wall = anchor.astimezone(zone).replace(tzinfo=None)
    day = (after.astimezone(zone) - shift - timedelta(days=2)).date()
    last_day = (until.astimezone(zone) + timedelta(days=2)).date()
    found: list[datetime] = []
    while day <= last_day and len(found) < limit:  # runs only grow from one day to the next
        if cron.day_matches(day):
            for hour, minute, second in times:
                occurrence = datetime(day.year, day.month, day.day, hour, minute, second)
                occurrence_instant = resolve(occurrence, zone)
                if occurrence_instant is None:
                    if occurrence <= anchor_wall:
                        continue
                elif occurrence_instant <= anchor:
                    continue
                run = resolve(occurrence + shift, zone)
                if run is None or not after < run <= until:
                    continue
                if (start is not None and run < start) or (end is not None and run > end):
                    continue
                found.append(run)
        day += timedelta(days=1)
    return sorted(found)[:limit]


def reference_rate_starts(
    interval: timedelta,
    *,
    anchor: datetime,
    start: datetime | None,
    end: datetime | None,
    after: datetime,
    until: datetime,
    limit: int,
) -> list[datetime]:
    """rate(): from StartDate when it is later than the anchor, else one interval after the
    anchor (truncated to milliseconds), stepping ``interval``; the first ``limit`` starts in
    (after, until], stepping one by one from the origin."""
    if start is not None and start > anchor:
        when = start
    else:
        when = anchor.replace(microsecond=anchor.microsecond // 1000 * 1000) + interval
    found = []
    while when <= until and (end is None or when <= end) and len(found) < limit:
        if when > after:
            found.append(when)
        when += interval
    return found


def transitions(zone: tzinfo, first_year: int, last_year: int) -> list[datetime]:
    """The UTC instants (to the minute) where ``zone`` changes its offset, for test inputs."""
    found: list[datetime] = []

    def offset(instant: datetime) -> timedelta | None:
        return instant.astimezone(zone).utcoffset()

    probe = datetime(first_year, 1, 1, tzinfo=UTC)
    stop = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(days=1)  # transitions are weeks apart; a day apart would be missed
    while probe < stop:
        following = probe + step
        if offset(probe) != offset(following):
            low, high = probe, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if offset(middle) == offset(low):
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        probe = following
    return found
