"""A window's whole schedule configuration -> its start times.

:func:`compile_schedule` validates everything once; the returned :class:`WindowSchedule`
then answers "when does this window start after instant t?" as a lazy, ascending stream.
The engine pulls from it one start at a time for many windows, so the per-start path is
kept to a few datetime constructions and comparisons; the calendar search (croniter) is
cached per year in :mod:`.cron`.

A warning for callers comparing the results: Python compares and subtracts two aware
datetimes that share one tzinfo object by their *wall-clock* fields, ignoring ``fold``. Two
starts in the same zone around a fall-back overlap can therefore compare wrongly; compare
them with UTC instants (or convert with ``astimezone(timezone.utc)``) instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from itertools import takewhile

from .cron import YEAR_MAX, CronSpec
from .errors import ScheduleError
from .expressions import AtSpec, ParsedSchedule, RateSpec, parse_expression
from .times import UTC, ZERO, load_zone, localize, parse_date, wall_clock

__all__ = ["WindowSchedule", "compile_schedule"]

# How far apart a wall-clock reading and its instant's order can drift: more than any UTC
# offset change since 1970 (DST shifts are hours; Samoa's 2011 date-line jump was one day).
_MARGIN = timedelta(days=2)
_MICROSECOND = timedelta(microseconds=1)


def _aware_utc(instant: datetime, what: str) -> datetime:
    if not isinstance(instant, datetime) or instant.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {instant!r}")
    return instant.astimezone(UTC)


@dataclass(frozen=True)
class WindowSchedule:
    """A validated schedule: Schedule + ScheduleTimezone + ScheduleOffset + StartDate/EndDate
    + Enabled + the instant it was set. Build it with :func:`compile_schedule`.

    ``zone`` is the ZoneInfo of ScheduleTimezone, or ``timezone.utc`` without one; ``start``,
    ``end`` and ``anchor`` are aware UTC datetimes.
    """

    expression: str
    zone: tzinfo
    offset_days: int
    start: datetime | None
    end: datetime | None
    enabled: bool
    anchor: datetime
    spec: ParsedSchedule = field(repr=False)
    # rate(): the first start; at(): the single start, None when it never runs.
    _first: datetime | None = field(default=None, repr=False, compare=False)
    # cron(): the (hour, minute, second) firing times of a matching day.
    _times: tuple[tuple[int, int, int], ...] = field(default=(), repr=False, compare=False)

    @property
    def is_rate(self) -> bool:
        """True for rate() windows (NextExecutionTime then keeps the anchor's milliseconds)."""
        return isinstance(self.spec, RateSpec)

    @property
    def kind(self) -> str:
        """The schedule form: "cron", "rate" or "at"."""
        if isinstance(self.spec, CronSpec):
            return "cron"
        return "rate" if isinstance(self.spec, RateSpec) else "at"

    def starts_after(self, instant: datetime) -> Iterator[datetime]:
        """Start times strictly after ``instant`` (aware), ascending, lazily, possibly endless.

        Each yielded datetime is aware, expressed in the window's zone (ZoneInfo; UTC when no
        zone), honouring enabled, StartDate/EndDate, offset and the anchor rules. ``instant``
        is checked here, not when the first item is pulled, so a bad call fails at its site.
        """
        after = _aware_utc(instant, "starts_after(instant)")
        if not self.enabled:
            return iter(())
        if isinstance(self.spec, CronSpec):
            return self._cron_starts(after)
        if isinstance(self.spec, RateSpec):
            return self._rate_starts(self.spec.interval, after)
        return iter(() if self._first is None or self._first <= after else (self._first,))

    def next_start(self, instant: datetime) -> datetime | None:
        """The first start strictly after ``instant``, or None when there is none."""
        return next(self.starts_after(instant), None)

    def starts_between(self, after: datetime, until: datetime) -> Iterator[datetime]:
        """Starts in the half-open period (after, until]: what the engine replays per step."""
        limit = _aware_utc(until, "starts_between(until)")
        return takewhile(lambda start: start <= limit, self.starts_after(after))

    def _rate_starts(self, interval: timedelta, after: datetime) -> Iterator[datetime]:
        """first, first + interval, ...: plain UTC arithmetic (rate(N days) = N x 24 hours)."""
        first = self._first
        if first is None:  # the first start would lie beyond year 9999
            return
        end, zone = self.end, self.zone
        try:
            when = first if after < first else first + ((after - first) // interval + 1) * interval
            while end is None or when <= end:
                yield when.astimezone(zone)
                when += interval
        except OverflowError:  # past year 9999: the stream simply ends
            return

    def _cron_starts(self, after: datetime) -> Iterator[datetime]:
        """Cron starts: matching days (croniter, cached) x times of day, in wall-clock time.

        Each start is a wall-clock time ``c`` the expression names, moved ``offset_days`` later
        at the same wall-clock time (``r``). It runs when ``r`` exists in the zone (gap times
        are skipped; overlap times take their first occurrence), ``c`` is after the anchor
        (an occurrence already past when the schedule was set never runs, even if ``r`` is
        still ahead), ``r`` is after ``after`` and StartDate <= ``r`` <= EndDate.

        Reading wall-clock times at fold 0 is strictly increasing in time, so "``r`` after
        t" implies "wall(``r``) > wall(t)". The loop therefore starts at the latest such
        wall-clock bound and makes the exact (aware) comparisons only within ``_MARGIN`` of a
        bound, where an overlap could make the two disagree.
        """
        spec = self.spec
        assert isinstance(spec, CronSpec)
        zone, times = self.zone, self._times
        anchor, start, end = self.anchor, self.start, self.end
        if end is not None and end.year > YEAR_MAX + 1:
            end = None  # bounds nothing a cron expression can name (and nears datetime.max)
        shift = timedelta(days=self.offset_days)
        check_gaps = zone is not UTC
        try:
            anchor_wall = wall_clock(anchor, zone)
            after_wall = wall_clock(after, zone)
            start_wall = wall_clock(start, zone) if start is not None else None
            end_wall = wall_clock(end, zone) if end is not None else None
            # c must be later than this wall-clock time (anchor, after - shift, start - shift).
            lowest = max(anchor_wall, after_wall - shift)
            if start_wall is not None:
                lowest = max(lowest, start_wall - shift - _MICROSECOND)
            careful_until = (max(anchor_wall + shift, after_wall, start_wall or after_wall)
                             + _MARGIN).date()
            end_careful_from = (end_wall - _MARGIN).date() if end_wall is not None else None
            end_last_day = (end_wall + _MARGIN).date() if end_wall is not None else None
            anchor_careful_until = anchor_wall + _MARGIN
        except OverflowError:  # an instant at the very end of datetime's range
            return
        for day in spec.days_from(lowest.date()):
            run_day = day + shift
            if end_last_day is not None and run_day > end_last_day:
                return
            careful = run_day <= careful_until or (
                end_careful_from is not None and run_day >= end_careful_from
            )
            year, month, date_ = run_day.year, run_day.month, run_day.day
            for hour, minute, second in times:
                run = datetime(year, month, date_, hour, minute, second, 0, zone)
                if check_gaps:  # times.localize's gap test, unrolled: this is the per-start path
                    fold0 = run.utcoffset() or ZERO
                    fold1 = (datetime(year, month, date_, hour, minute, second, 0, zone, fold=1)
                             .utcoffset() or ZERO)
                    if fold1 > fold0:  # inside a spring-forward gap: this time does not exist
                        continue
                if careful:
                    occurrence = datetime(day.year, day.month, day.day, hour, minute, second)
                    if occurrence <= lowest or run <= after:
                        continue
                    if start is not None and run < start:
                        continue
                    if end is not None and run > end:
                        return
                    if occurrence <= anchor_careful_until:
                        instant = localize(occurrence, zone) if shift else run
                        if instant is not None and instant <= anchor:
                            continue
                yield run


def compile_schedule(
    *,
    schedule: str,
    timezone: str | None,
    offset: int | None,
    start_date: str | None,
    end_date: str | None,
    enabled: bool,
    anchor: datetime,
) -> WindowSchedule:
    """Validate everything and return the schedule.

    Checks, in this order, each failing with a ScheduleError whose text is the
    ValidationException message: the expression, the zone, the offset (1-6, cron only; 0
    and None both mean "no offset"), the dates (ISO 8601, UTC without an offset; EndDate
    after StartDate). An EndDate already past is accepted: the window then has no start.

    ``anchor`` (aware) is the instant the schedule was set: creation, or the last update
    that changed Schedule/StartDate/zone/offset/enabled. Cron occurrences at or before the
    anchor never run (so an offset cannot resurrect an already-past occurrence); rate()
    counts from StartDate when StartDate is later than the anchor (first start at StartDate),
    else from the anchor itself, milliseconds kept (first start one interval after it).
    """
    anchor_utc = _aware_utc(anchor, "anchor")
    spec = parse_expression(schedule)
    zone: tzinfo = load_zone(timezone) if timezone is not None else UTC
    offset_days = _check_offset(offset, spec)
    start = parse_date(start_date, "StartDate").astimezone(UTC) if start_date is not None else None
    end = parse_date(end_date, "EndDate").astimezone(UTC) if end_date is not None else None
    if end is not None and start is not None and end <= start:
        raise ScheduleError(
            f'EndDate "{end_date}" must be later than StartDate "{start_date}"',
            parameter="EndDate",
        )
    first: datetime | None = None
    times: tuple[tuple[int, int, int], ...] = ()
    if isinstance(spec, CronSpec):
        times = spec.times_of_day()
    elif isinstance(spec, RateSpec):
        if start is not None and start > anchor_utc:
            first = start
        else:  # AWS keeps timestamps to the millisecond: so does the rate's phase
            first = anchor_utc.replace(microsecond=anchor_utc.microsecond // 1000 * 1000)
            try:
                first += spec.interval
            except OverflowError:  # a huge rate: no start this side of year 9999
                first = None
    else:
        first = _at_start(spec, zone, anchor_utc, start, end)
    return WindowSchedule(
        expression=schedule, zone=zone, offset_days=offset_days, start=start, end=end,
        enabled=enabled, anchor=anchor_utc, spec=spec, _first=first, _times=times,
    )


def _check_offset(offset: int | None, spec: ParsedSchedule) -> int:
    if offset is None or offset == 0:
        return 0
    if isinstance(offset, bool) or not isinstance(offset, int) or not 1 <= offset <= 6:
        raise ScheduleError(
            f"ScheduleOffset {offset!r} is not valid: it must be a whole number of days "
            "from 1 to 6",
            parameter="ScheduleOffset",
        )
    if not isinstance(spec, CronSpec):
        raise ScheduleError(
            f'ScheduleOffset can only be used with a cron schedule; "{spec.expression}" is '
            "not a cron expression",
            parameter="ScheduleOffset",
        )
    return offset


def _at_start(
    spec: AtSpec, zone: tzinfo, anchor: datetime, start: datetime | None, end: datetime | None
) -> datetime | None:
    """The one start of an at() schedule, or None when it can never run."""
    when = localize(spec.when, zone)
    if when is None or when <= anchor:
        return None
    if (start is not None and when < start) or (end is not None and when > end):
        return None
    return when
