"""Property tests: the croniter-backed adapter against the brute-force reference evaluator.

Expressions, zones (several with odd DST rules: 30-minute shifts, midnight transitions,
negative DST), offsets, dates and instants are generated; instants cluster around the
zone's DST transitions so that gap and overlap days are exercised on most examples.
The example counts keep the whole schedule suite under ~20 seconds; for a long fuzzing
run, scale them: ``SCHEDULE_EXAMPLES=5000 python3 -m pytest tests/schedule``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from itertools import islice
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssm_mw_stub.schedule import (
    ScheduleError,
    WindowSchedule,
    compile_schedule,
    validate_expression,
)

from .schedule_reference import (
    DAYS,
    MONTHS,
    reference_cron_starts,
    reference_rate_starts,
    transitions,
)

UTC = timezone.utc
LIMIT = 40
HORIZON = timedelta(days=3 * 366)
ZONES: list[str | None] = [
    None,
    "UTC",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Dublin",  # negative DST in tzdata: winter is the "daylight" time
    "Australia/Lord_Howe",  # 30-minute DST shift
    "Pacific/Chatham",  # +12:45 / +13:45, transitions at 02:45 and 03:45
    "America/Santiago",  # transitions at midnight
    "America/Havana",  # transitions at 00:00 and 01:00
    "America/St_Johns",
    "Africa/Casablanca",  # DST suspended during Ramadan, several transitions a year
    "Asia/Kolkata",
]
EXAMPLES = int(os.environ.get("SCHEDULE_EXAMPLES", "150"))
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@cache
def zone_transitions(name: str | None) -> tuple[datetime, ...]:
    if name is None:
        return ()
    return tuple(transitions(ZoneInfo(name), 2020, 2030))


def _render(value: int, low: int, names: list[str] | None, use_name: bool) -> str:
    return names[value - low] if names is not None and use_name else str(value)


@st.composite
def list_field(draw: st.DrawFn, low: int, high: int, names: list[str] | None = None) -> str:
    """A field of 1-3 items, each a value, range, range with step, start/step or */step."""
    items = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["value", "range", "range-step", "start-step", "star-step"]))
        first = draw(st.integers(low, high))
        use_name = draw(st.booleans())
        step = draw(st.integers(1, high - low + 1))
        if kind == "value":
            items.append(_render(first, low, names, use_name))
        elif kind in ("range", "range-step"):
            last = draw(st.integers(first, high))
            text = f"{_render(first, low, names, use_name)}-{_render(last, low, names, use_name)}"
            items.append(text + (f"/{step}" if kind == "range-step" else ""))
        elif kind == "start-step":
            items.append(f"{_render(first, low, names, use_name)}/{step}")
        else:
            items.append(f"*/{step}")
    return ",".join(items)


@st.composite
def minutes_field(draw: st.DrawFn) -> str:
    """Minutes that all share one phase modulo 5, so the 5-minute floor always holds."""
    phase = draw(st.integers(0, 4))
    values = list(range(phase, 60, 5))
    kind = draw(st.sampled_from(["value", "list", "start-step", "range-step", "star-step"]))
    if kind == "value":
        return str(draw(st.sampled_from(values)))
    if kind == "list":
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=4, unique=True))
        return ",".join(str(value) for value in chosen)
    step = 5 * draw(st.integers(1, 12))
    if kind == "start-step":
        return f"{draw(st.sampled_from(values))}/{step}"
    if kind == "range-step":
        first = draw(st.sampled_from(values))
        last = draw(st.sampled_from([value for value in values if value >= first]))
        return f"{first}-{last}/{step}"
    return f"*/{step}" if phase == 0 else f"{phase}/{step}"


@st.composite
def cron_expressions(draw: st.DrawFn) -> str:
    hours = draw(st.one_of(
        st.just("*"),
        st.sampled_from(["0", "1", "2", "3", "0-3", "1,2", "23,0", "2/3", "22-23"]),
        list_field(0, 23),
    ))
    if draw(st.booleans()):
        dom = draw(st.one_of(
            st.just("*"),
            st.just("L"),
            st.integers(1, 31).map(lambda day: f"{day}W"),
            list_field(1, 31),
        ))
        dow = "?"
    else:
        dom = "?"
        weekday = st.integers(1, 7).map(str) | st.sampled_from(DAYS)
        dow = draw(st.one_of(
            st.just("*"),
            st.just("L"),
            weekday.map(lambda day: f"{day}L"),
            st.tuples(weekday, st.integers(1, 5)).map(lambda pair: f"{pair[0]}#{pair[1]}"),
            list_field(1, 7, DAYS),
        ))
    month = draw(st.just("*") | list_field(1, 12, MONTHS))
    year = draw(st.one_of(
        st.just("*"),
        st.integers(2020, 2031).map(lambda first: f"{first}-{first + 3}"),
        st.sampled_from(["2021,2024,2028", "2019/2", "2022"]),
    ))
    fields = [draw(minutes_field()), hours, dom, month, dow, year]
    if draw(st.booleans()):
        fields.insert(0, str(draw(st.integers(0, 59))))
    return "cron(" + " ".join(fields) + ")"


@dataclass(frozen=True)
class Situation:
    """Everything about a window's schedule except its expression."""

    zone_name: str | None
    anchor: datetime
    after: datetime
    offset: int | None
    start: datetime | None
    end: datetime | None
    start_date: str | None
    end_date: str | None

    @property
    def zone(self) -> tzinfo:
        return ZoneInfo(self.zone_name) if self.zone_name else UTC

    def compile(self, schedule: str) -> WindowSchedule:
        return compile_schedule(
            schedule=schedule, timezone=self.zone_name, offset=self.offset,
            start_date=self.start_date, end_date=self.end_date, enabled=True,
            anchor=self.anchor,
        )


@st.composite
def situations(draw: st.DrawFn, *, offsets: bool) -> Situation:
    """A zone, anchor, query instant, optional offset and optional StartDate/EndDate."""
    zone_name = draw(st.sampled_from(ZONES))
    near = zone_transitions(zone_name)
    if near and draw(st.integers(0, 3)):
        base = draw(st.sampled_from(near))
    else:
        base = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 5_000_000)))
    minutes = st.integers
    after = base + timedelta(minutes=draw(minutes(-3 * 1440, 1440)), seconds=draw(minutes(0, 59)))
    anchor = after + timedelta(minutes=draw(minutes(-10 * 1440, 2 * 1440)),
                               microseconds=draw(minutes(0, 999_999)))
    start = end = None
    if draw(st.booleans()):
        start = anchor + timedelta(minutes=draw(minutes(-20 * 1440, 20 * 1440)))
    if draw(st.booleans()):
        end = max(anchor, start or anchor) + timedelta(minutes=draw(minutes(1, 200 * 1440)))
    shown = timezone(timedelta(hours=draw(minutes(-12, 14))))  # dates carry any offset
    return Situation(
        zone_name=zone_name,
        anchor=anchor,
        after=after,
        offset=draw(st.integers(1, 6)) if offsets and draw(st.booleans()) else None,
        start=start,
        end=end,
        start_date=start.astimezone(shown).isoformat() if start else None,
        end_date=end.astimezone(shown).isoformat() if end else None,
    )


@PROPERTY_SETTINGS
@given(expression=cron_expressions(), case=situations(offsets=True))
def test_cron_starts_match_the_brute_force_evaluator(expression: str, case: Situation) -> None:
    schedule = case.compile(expression)
    until = case.after + HORIZON
    ours = list(islice(schedule.starts_between(case.after, until), LIMIT))
    expected = reference_cron_starts(
        expression, zone=case.zone, offset_days=case.offset or 0, anchor=case.anchor,
        start=case.start, end=case.end, after=case.after, until=until, limit=LIMIT,
    )
    assert [start.astimezone(UTC) for start in ours] == expected
    for start in ours:  # each start is the wall-clock reading of itself in the window's zone
        assert start.tzinfo == case.zone
        assert start.astimezone(UTC).astimezone(case.zone) == start


@PROPERTY_SETTINGS
@given(
    value=st.integers(5, 3000),
    unit=st.sampled_from(["minutes", "hours", "days"]),
    case=situations(offsets=False),
)
def test_rate_starts_match_plain_arithmetic(value: int, unit: str, case: Situation) -> None:
    schedule = case.compile(f"rate({value} {unit})")
    until = case.after + timedelta(days=40 * 366)
    ours = list(islice(schedule.starts_between(case.after, until), LIMIT))
    expected = reference_rate_starts(
        timedelta(**{unit: value}), anchor=case.anchor, start=case.start, end=case.end,
        after=case.after, until=until, limit=LIMIT,
    )
    # In UTC: == between zones is False for any time inside a DST overlap (PEP 495).
    assert [start.astimezone(UTC) for start in ours] == expected
    assert all(start.tzinfo == case.zone for start in ours)


@settings(max_examples=max(1, EXAMPLES // 3), deadline=None, database=None)
@given(expression=cron_expressions(), case=situations(offsets=True))
def test_resuming_from_any_start_continues_the_same_sequence(
    expression: str, case: Situation
) -> None:
    schedule = case.compile(expression)
    starts = list(islice(schedule.starts_after(case.after), 12))
    for index, start in enumerate(starts):
        resumed = list(islice(schedule.starts_after(start), len(starts) - index - 1))
        assert resumed == starts[index + 1 :]


@settings(max_examples=2 * EXAMPLES, deadline=None, database=None)
@given(text=st.one_of(
    st.text(max_size=40),
    st.text(alphabet="cronat()0123456789 ,-*/?LW#MONTUEJANminutehourday", max_size=40),
    st.builds(lambda body: f"cron({body})",
              st.text(alphabet="0123456789 ,-*/?LW#MONTUESATJANDEC", max_size=30)),
))
def test_any_text_is_either_valid_or_a_schedule_error(text: str) -> None:
    try:
        validate_expression(text)
    except ScheduleError as error:
        message = str(error)
    else:
        return
    assert message.startswith(f'Schedule "{text}" is not valid: ')
