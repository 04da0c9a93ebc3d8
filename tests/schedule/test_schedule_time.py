"""Zones, dates, daylight saving, offsets, active periods and anchors: the time half of the
schedule package, each rule pinned with a hand-checked calendar case."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import islice, pairwise
from zoneinfo import ZoneInfo

import pytest

from ssm_mw_stub.schedule import (
    ScheduleError,
    compile_schedule,
    format_execution_time,
    load_zone,
    parse_date,
    validate_timezone,
)

from .schedule_helpers import compile_window, first_starts, instant

UTC = timezone.utc
LA = "America/Los_Angeles"

# --- zones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["America/Los_Angeles", "UTC", "Asia/Seoul", "Etc/UTC", "etc/UTC", "europe/london"]
)
def test_iana_zones_are_accepted_case_insensitively(name: str) -> None:
    validate_timezone(name)
    assert load_zone(name).key.casefold() == name.casefold()


def test_zone_spelling_is_canonicalised() -> None:
    assert load_zone("etc/UTC").key == "Etc/UTC"
    assert compile_window("cron(0 0 * * ? *)", timezone="asia/seoul").zone == ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "", "America", "localtime", "posixrules", "+01:00", "UTC+1",
             "../etc/passwd", "/usr/share/zoneinfo/UTC", "America/Los Angeles"]
)
def test_unknown_zones_are_refused_by_name(name: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        validate_timezone(name)
    assert str(caught.value) == (
        f'ScheduleTimezone "{name}" is not a valid time zone: use an IANA time zone ID such as '
        '"America/Los_Angeles", "Asia/Seoul" or "UTC"'
    )
    assert caught.value.parameter == "ScheduleTimezone"


def test_without_a_zone_starts_are_in_utc() -> None:
    start = compile_window("cron(0 16 ? * TUE *)").next_start(instant("2026-01-01T00:00:00Z"))
    assert start is not None
    assert start.tzinfo is UTC


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-04-07T14:29:00-08:00", datetime(2021, 4, 7, 22, 29, tzinfo=UTC)),
        ("2021-04-07T22:29:00Z", datetime(2021, 4, 7, 22, 29, tzinfo=UTC)),
        ("2021-04-07t22:29z", datetime(2021, 4, 7, 22, 29, tzinfo=UTC)),
        ("2021-04-07T22:29:00.5+00:00", datetime(2021, 4, 7, 22, 29, 0, 500_000, tzinfo=UTC)),
        ("2021-04-08T03:59:00.123456789+05:30",
         datetime(2021, 4, 7, 22, 29, 0, 123_456, tzinfo=UTC)),
        ("2021-04-07T22:29:00-00:00:30", datetime(2021, 4, 7, 22, 29, 30, tzinfo=UTC)),
    ],
)
def test_dates_are_iso_8601_with_an_offset(text: str, expected: datetime) -> None:
    parsed = parse_date(text, "StartDate")
    assert parsed == expected
    assert parsed.utcoffset() is not None


@pytest.mark.parametrize(
    "text",
    ["", "2021-04-07", "2021-04-07 14:29:00Z", "2021-04-07T14:29:00+0800",
     "2021-04-07T14:29:00+08", "2021-4-7T14:29:00Z", "tomorrow", "2021-04-07T14:29:00 Z"],
)
def test_malformed_dates_name_the_field(text: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_date(text, "EndDate")
    assert str(caught.value) == (
        f'EndDate "{text}" is not a valid date: use ISO 8601, for example '
        '"2021-04-07T14:29:00-08:00" or "2021-04-07T22:29:00Z"'
    )
    assert caught.value.parameter == "EndDate"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2021-13-01T00:00:00Z", "month must be in 1..12"),
        ("2021-02-29T00:00:00Z", "day is out of range for month"),
        ("2021-04-07T24:00:00Z", "hour must be in 0..23"),
        ("2021-04-07T14:29:00+18:30", "offset +18:30 is outside -18:00..+18:00"),
        ("2021-04-07T14:29:00+05:60", "outside -18:00..+18:00"),
        ("0001-01-01T00:00:00+01:00", "date value out of range"),
    ],
)
def test_impossible_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(ScheduleError, match="StartDate") as caught:
        parse_date(text, "StartDate")
    assert reason in str(caught.value)


# --- rendering -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (datetime(2019, 2, 3, 2, 0, tzinfo=ZoneInfo(LA)), "2019-02-03T02:00-08:00"),
        (datetime(2020, 2, 19, 16, 0, tzinfo=UTC), "2020-02-19T16:00Z"),
        (datetime(2020, 2, 19, 16, 0, tzinfo=ZoneInfo("UTC")), "2020-02-19T16:00Z"),
        (datetime(2019, 5, 11, 16, 46, 16, 991_000, tzinfo=UTC), "2019-05-11T16:46:16.991Z"),
        (datetime(2019, 5, 11, 16, 46, 16, 991_500, tzinfo=UTC), "2019-05-11T16:46:16.991500Z"),
        (datetime(2019, 5, 11, 16, 46, 0, 1000, tzinfo=UTC), "2019-05-11T16:46:00.001Z"),
        (datetime(2019, 5, 11, 16, 46, 7, tzinfo=UTC), "2019-05-11T16:46:07Z"),
        (datetime(2019, 10, 20, 5, 34, 56, tzinfo=ZoneInfo(LA)), "2019-10-20T05:34:56-07:00"),
        (datetime(2024, 1, 1, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata")), "2024-01-01T09:00+05:30"),
        (datetime(1880, 1, 1, tzinfo=ZoneInfo(LA)), "1880-01-01T00:00-07:52:58"),  # LMT
    ],
)
def test_execution_times_render_like_java_offset_date_time(when: datetime, text: str) -> None:
    assert format_execution_time(when) == text


def test_rendering_a_naive_datetime_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        format_execution_time(datetime(2020, 1, 1))


# --- daylight saving -----------------------------------------------------------------------


def test_a_time_in_the_spring_forward_gap_is_skipped() -> None:
    # 2026-03-08: Los Angeles jumps from 02:00 to 03:00; 02:30 does not exist that day.
    assert first_starts("cron(30 2 * * ? *)", 3, timezone=LA, after="2026-03-07T00:00:00Z") == [
        "2026-03-07T02:30-08:00", "2026-03-09T02:30-07:00", "2026-03-10T02:30-07:00",
    ]


def test_a_time_in_the_fall_back_overlap_runs_once_at_its_first_occurrence() -> None:
    # 2026-11-01: Los Angeles repeats 01:00-02:00; 01:30 runs at 01:30 PDT only.
    assert first_starts("cron(30 1 * * ? *)", 3, timezone=LA, after="2026-10-31T12:00:00Z") == [
        "2026-11-01T01:30-07:00", "2026-11-02T01:30-08:00", "2026-11-03T01:30-08:00",
    ]
    every_five = first_starts("cron(0/5 1 * * ? *)", 13, timezone=LA, after="2026-11-01T07:00Z")
    assert every_five[0] == "2026-11-01T01:00-07:00"
    assert every_five[11] == "2026-11-01T01:55-07:00"
    assert every_five[12] == "2026-11-02T01:00-08:00"


def test_a_query_inside_the_second_pass_of_the_overlap_does_not_repeat_the_first() -> None:
    # 09:40Z is 01:40 PST, the second 01:40 of the day; 01:30 PDT (08:30Z) is already past.
    assert first_starts("cron(30 1 * * ? *)", 1, timezone=LA, after="2026-11-01T09:40:00Z") == [
        "2026-11-02T01:30-08:00"
    ]


def test_an_anchor_inside_the_second_pass_of_the_overlap_rules_out_the_first() -> None:
    assert first_starts(
        "cron(30 1 * * ? *)", 1, timezone=LA, anchor="2026-11-01T09:10:00Z",
        after="2026-11-01T00:00:00Z",
    ) == ["2026-11-02T01:30-08:00"]


def test_a_thirty_minute_gap_skips_only_the_missing_half_hour() -> None:
    # Lord Howe Island moves from 02:00 to 02:30 on the first Sunday of October.
    starts = first_starts(
        "cron(0/15 2 * * ? *)", 5, timezone="Australia/Lord_Howe", after="2026-10-03T14:00:00Z"
    )
    assert starts == [
        "2026-10-04T02:30+11:00", "2026-10-04T02:45+11:00",
        "2026-10-05T02:00+11:00", "2026-10-05T02:15+11:00", "2026-10-05T02:30+11:00",
    ]


def test_a_midnight_transition_skips_midnight() -> None:
    # Santiago springs forward at 24:00 on 2026-09-05: 2026-09-06T00:00 does not exist.
    starts = first_starts("cron(0 0 * * ? *)", 2, timezone="America/Santiago",
                          after="2026-09-04T12:00:00Z")
    assert starts == ["2026-09-05T00:00-04:00", "2026-09-07T00:00-03:00"]


def test_rate_counts_24_hour_periods_across_daylight_saving() -> None:
    starts = first_starts("rate(1 day)", 3, timezone=LA, anchor="2026-03-06T10:00:00Z")
    assert starts == [
        "2026-03-07T02:00-08:00", "2026-03-08T03:00-07:00", "2026-03-09T03:00-07:00",
    ]


# --- ScheduleOffset ------------------------------------------------------------------------


def test_offset_keeps_the_wall_clock_time_across_daylight_saving() -> None:
    # Saturday 2026-03-07 09:00 PST + 1 day = Sunday 09:00 PDT (23 hours later).
    assert first_starts("cron(0 9 ? * SAT *)", 2, timezone=LA, offset=1,
                        after="2026-03-06T00:00:00Z") == [
        "2026-03-08T09:00-07:00", "2026-03-15T09:00-07:00",
    ]


def test_an_offset_landing_in_the_gap_is_skipped() -> None:
    assert first_starts("cron(30 2 ? * SAT *)", 2, timezone=LA, offset=1,
                        after="2026-03-06T00:00:00Z") == [
        "2026-03-15T02:30-07:00", "2026-03-22T02:30-07:00",
    ]


def test_an_occurrence_in_the_gap_still_moves_its_offset_run() -> None:
    # Sunday 2026-03-08 02:30 does not exist in Los Angeles; Monday 02:30 does, and runs.
    assert first_starts("cron(30 2 ? * SUN *)", 1, timezone=LA, offset=1,
                        after="2026-03-06T00:00:00Z") == ["2026-03-09T02:30-07:00"]


@pytest.mark.parametrize("offset", [1, 6])
def test_offsets_one_to_six_are_accepted(offset: int) -> None:
    assert compile_window("cron(0 0 1 * ? *)", offset=offset).offset_days == offset


@pytest.mark.parametrize("offset", [0, None])
def test_zero_and_none_mean_no_offset(offset: int | None) -> None:
    assert compile_window("rate(1 day)", offset=offset).offset_days == 0


@pytest.mark.parametrize("offset", [7, -1, 100])
def test_offsets_out_of_range_are_refused(offset: int) -> None:
    with pytest.raises(ScheduleError) as caught:
        compile_window("cron(0 0 1 * ? *)", offset=offset)
    assert str(caught.value) == (
        f"ScheduleOffset {offset} is not valid: it must be a whole number of days from 1 to 6"
    )
    assert caught.value.parameter == "ScheduleOffset"


@pytest.mark.parametrize("schedule", ["rate(1 day)", "at(2030-01-01T00:00:00)"])
def test_offset_is_refused_for_rate_and_at(schedule: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        compile_window(schedule, offset=2)
    assert str(caught.value) == (
        f'ScheduleOffset can only be used with a cron schedule; "{schedule}" is not a cron '
        "expression"
    )


# --- StartDate / EndDate -------------------------------------------------------------------


def test_start_and_end_dates_are_inclusive_bounds() -> None:
    starts = first_starts(
        "cron(0 12 * * ? *)", 10, start_date="2026-02-01T12:00:00Z",
        end_date="2026-02-03T12:00:00Z",
    )
    assert starts == ["2026-02-01T12:00Z", "2026-02-02T12:00Z", "2026-02-03T12:00Z"]


def test_dates_in_other_offsets_bound_the_same_instants() -> None:
    starts = first_starts(
        "cron(0 12 * * ? *)", 10, timezone=LA, start_date="2026-02-01T20:00:00Z",
        end_date="2026-02-03T12:00:00-08:00",
    )
    assert starts == ["2026-02-01T12:00-08:00", "2026-02-02T12:00-08:00", "2026-02-03T12:00-08:00"]


def test_nothing_after_the_end_date() -> None:
    window = compile_window("rate(1 hour)", end_date="2026-01-01T03:30:00Z")
    assert [format_execution_time(start) for start in window.starts_after(window.anchor)] == [
        "2026-01-01T01:00Z", "2026-01-01T02:00Z", "2026-01-01T03:00Z",
    ]
    assert window.next_start(instant("2026-01-01T03:00:00Z")) is None


def test_end_date_must_follow_start_date() -> None:
    with pytest.raises(ScheduleError) as caught:
        compile_window("rate(1 day)", start_date="2026-02-01T00:00:00Z",
                       end_date="2026-01-31T16:00:00-08:00")
    assert str(caught.value) == (
        'EndDate "2026-01-31T16:00:00-08:00" must be later than StartDate "2026-02-01T00:00:00Z"'
    )
    assert caught.value.parameter == "EndDate"


def test_an_end_date_in_the_past_is_accepted_and_the_window_never_starts() -> None:
    window = compile_window("rate(1 day)", end_date="2025-12-31T00:00:00Z")
    assert window.next_start(window.anchor) is None
    assert list(window.starts_after(window.anchor)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-04-07T14:29:00", datetime(2021, 4, 7, 14, 29, tzinfo=timezone.utc)),
        ("2021-04-07T14:29", datetime(2021, 4, 7, 14, 29, tzinfo=timezone.utc)),
        ("2021-04-07T14:29:00.5", datetime(2021, 4, 7, 14, 29, 0, 500000, tzinfo=timezone.utc)),
    ],
)
def test_a_date_without_an_offset_is_utc(text: str, expected: datetime) -> None:
    assert parse_date(text, "StartDate") == expected


def test_an_offset_less_date_is_utc_whatever_the_schedule_zone() -> None:
    # "the time zone option and the start date and end date options do not influence each
    # other": 09:00 without an offset is 09:00 UTC, 01:00 in Los Angeles.
    starts = first_starts(
        "cron(0 * * * ? *)", 2, timezone=LA, start_date="2026-02-01T09:00:00"
    )
    assert starts == ["2026-02-01T01:00-08:00", "2026-02-01T02:00-08:00"]


def test_malformed_dates_are_refused_at_compile_time() -> None:
    with pytest.raises(ScheduleError, match='StartDate "next week" is not a valid date'):
        compile_window("rate(1 day)", start_date="next week")


# --- anchors -------------------------------------------------------------------------------


def test_cron_occurrences_at_or_before_the_anchor_never_run() -> None:
    window = compile_window("cron(0 12 * * ? *)", anchor="2026-01-05T12:00:00Z")
    assert window.next_start(instant("2026-01-01T00:00:00Z")) == instant("2026-01-06T12:00:00Z")


def test_rate_without_start_date_counts_from_the_anchor_milliseconds_kept() -> None:
    assert first_starts("rate(5 minutes)", 2, anchor="2026-01-01T10:00:07.123999Z") == [
        "2026-01-01T10:05:07.123Z", "2026-01-01T10:10:07.123Z",
    ]


def test_rate_with_a_later_start_date_starts_on_it() -> None:
    assert first_starts("rate(2 hours)", 2, start_date="2026-01-02T00:00:00.250Z") == [
        "2026-01-02T00:00:00.250Z", "2026-01-02T02:00:00.250Z",
    ]


@pytest.mark.parametrize("start_date", ["2025-06-01T00:00:00Z", "2026-01-01T00:00:00Z"])
def test_rate_with_a_start_date_not_after_the_anchor_counts_from_the_anchor(
    start_date: str,
) -> None:
    assert first_starts("rate(2 hours)", 1, start_date=start_date) == ["2026-01-01T02:00Z"]


def test_rate_resumes_on_its_phase_from_any_instant() -> None:
    window = compile_window("rate(7 days)", anchor="2026-01-01T09:30:00Z")
    assert window.next_start(instant("2026-03-01T00:00:00Z")) == instant("2026-03-05T09:30:00Z")
    assert window.next_start(instant("2026-03-05T09:30:00Z")) == instant("2026-03-12T09:30:00Z")


# --- at() ----------------------------------------------------------------------------------


def test_at_is_wall_clock_time_in_the_schedule_zone() -> None:
    assert first_starts("at(2026-07-07T15:55:00)", 3, timezone="Asia/Seoul") == [
        "2026-07-07T15:55+09:00"
    ]


def test_at_runs_once_and_not_again() -> None:
    window = compile_window("at(2026-07-07T15:55:00)")
    assert window.next_start(instant("2026-07-07T15:54:59Z")) == instant("2026-07-07T15:55:00Z")
    assert window.next_start(instant("2026-07-07T15:55:00Z")) is None


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ({"anchor": "2026-07-08T00:00:00Z"}, "already past when the window was created"),
        ({"timezone": LA, "schedule": "at(2026-03-08T02:30:00)"}, "a time that does not exist"),
        ({"start_date": "2026-07-08T00:00:00Z"}, "before StartDate"),
        ({"end_date": "2026-07-07T15:54:00Z"}, "after EndDate"),
        ({"enabled": False}, "disabled"),
    ],
)
def test_at_never_runs(options: dict[str, object], why: str) -> None:
    schedule = str(options.pop("schedule", "at(2026-07-07T15:55:00)"))
    window = compile_window(schedule, **options)  # type: ignore[arg-type]
    assert window.next_start(instant("2020-01-01T00:00:00Z")) is None, why


def test_at_in_the_overlap_runs_at_the_first_occurrence() -> None:
    assert first_starts("at(2026-11-01T01:30:00)", 2, timezone=LA) == ["2026-11-01T01:30-07:00"]


# --- calendar rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("cron(0 0 ? * 1 *)", ["2026-01-04T00:00Z", "2026-01-11T00:00Z"]),  # 1 = Sunday
        ("cron(0 0 ? * 7 *)", ["2026-01-03T00:00Z", "2026-01-10T00:00Z"]),  # 7 = Saturday
        ("cron(0 0 ? * L *)", ["2026-01-03T00:00Z", "2026-01-10T00:00Z"]),  # L = Saturday
        ("cron(0 0 ? * MON-MON *)", ["2026-01-05T00:00Z", "2026-01-12T00:00Z"]),  # one day
        ("cron(0 0 ? * 5#5 *)", ["2026-01-29T00:00Z", "2026-04-30T00:00Z"]),  # only some months
        ("cron(0 0 31W * ? *)", ["2026-01-30T00:00Z", "2026-03-31T00:00Z"]),  # no 31st in Feb
        ("cron(0 0 1W * ? *)", ["2026-01-01T00:00Z", "2026-02-02T00:00Z"]),  # Sun 1 Feb -> Mon
        ("cron(0 0 1W 8 ? *)", ["2026-08-03T00:00Z", "2027-08-02T00:00Z"]),  # Sat 1 Aug -> Mon 3
        ("cron(0 0 31W 5 ? *)", ["2026-05-29T00:00Z", "2027-05-31T00:00Z"]),  # Sun 31 -> Fri 29
        ("cron(0 0 15W 8 ? *)", ["2026-08-14T00:00Z", "2027-08-16T00:00Z"]),  # Sat 15 -> Fri
        ("cron(0 0 29 2 ? 2096-2104)", ["2096-02-29T00:00Z", "2104-02-29T00:00Z"]),  # not 2100
        ("cron(0 0 1 1 ? 2100,2199)", ["2100-01-01T00:00Z", "2199-01-01T00:00Z"]),
    ],
)
def test_calendar_rules(schedule: str, expected: list[str]) -> None:
    assert first_starts(schedule, len(expected), after="2025-12-31T12:00:00Z",
                        anchor="2025-12-31T00:00:00Z") == expected


def test_cron_streams_end_with_2199() -> None:
    window = compile_window("cron(0 0 * * ? *)")
    assert window.next_start(instant("2199-12-30T12:00:00Z")) == instant("2199-12-31T00:00:00Z")
    assert window.next_start(instant("2199-12-31T00:00:00Z")) is None
    assert window.next_start(datetime.max.replace(tzinfo=UTC)) is None


def test_a_schedule_that_never_matches_yields_nothing() -> None:
    assert compile_window("cron(0 0 30 2 ? *)").next_start(instant("2026-01-01T00:00:00Z")) is None


# --- the WindowSchedule API ----------------------------------------------------------------


def test_disabled_windows_never_start_but_are_still_validated() -> None:
    window = compile_window("cron(0 0 * * ? *)", enabled=False)
    assert list(window.starts_after(window.anchor)) == []
    assert window.next_start(window.anchor) is None
    with pytest.raises(ScheduleError):
        compile_window("cron(0 0 * * * *)", enabled=False)


def test_is_rate_and_kind() -> None:
    assert compile_window("rate(1 hour)").is_rate
    assert not compile_window("cron(0 0 * * ? *)").is_rate
    assert compile_window("at(2030-01-01T00:00:00)").kind == "at"


def test_starts_after_is_strict_and_lazy() -> None:
    window = compile_window("cron(0/5 * * * ? *)")
    starts = window.starts_after(instant("2026-01-01T00:05:00Z"))
    assert format_execution_time(next(starts)) == "2026-01-01T00:10Z"
    assert format_execution_time(next(starts)) == "2026-01-01T00:15Z"


def test_starts_between_is_half_open() -> None:
    window = compile_window("cron(0 * * * ? *)")
    between = window.starts_between(instant("2026-01-01T01:00:00Z"), instant("2026-01-01T03:00Z"))
    assert [format_execution_time(start) for start in between] == [
        "2026-01-01T02:00Z", "2026-01-01T03:00Z",
    ]


def test_instants_in_any_zone_are_understood() -> None:
    window = compile_window("cron(0 * * * ? *)")
    tokyo = datetime(2026, 1, 1, 10, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # 01:30Z
    assert window.next_start(tokyo) == instant("2026-01-01T02:00:00Z")


def test_naive_instants_are_refused() -> None:
    window = compile_window("cron(0 * * * ? *)")
    with pytest.raises(ValueError, match="timezone-aware"):
        window.starts_after(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="anchor must be a timezone-aware datetime"):
        compile_schedule(schedule="rate(1 day)", timezone=None, offset=None, start_date=None,
                         end_date=None, enabled=True, anchor=datetime(2026, 1, 1))


def test_many_starts_stay_ordered_across_years() -> None:
    window = compile_window("cron(0 16 ? * TUE *)", timezone=LA)
    starts = list(islice(window.starts_after(window.anchor), 600))
    weekly = {timedelta(days=7), timedelta(days=7, hours=1), timedelta(days=6, hours=23)}
    assert all(b.astimezone(UTC) - a.astimezone(UTC) in weekly for a, b in pairwise(starts))
    assert all(start.hour == 16 and start.weekday() == 1 for start in starts)


def test_a_rate_longer_than_the_calendar_compiles_and_never_runs() -> None:
    window = compile_window("rate(3000000 days)")
    assert window.next_start(window.anchor) is None


def test_an_end_date_near_the_end_of_the_calendar_bounds_nothing_early() -> None:
    window = compile_window("cron(0 0 1 1 ? *)", end_date="9999-12-31T12:00:00-08:00")
    assert window.next_start(window.anchor) == instant("2027-01-01T00:00:00Z")
    rate = compile_window("rate(1 day)", end_date="9999-12-31T12:00:00-08:00")
    assert rate.next_start(instant("9999-12-30T00:00:00Z")) == instant("9999-12-31T00:00:00Z")
