"""Worked examples from the AWS documentation (and real output quoted in public issues),
reproduced as plain tests; docs/schedule-notes.md names their sources."""

from __future__ import annotations

import pytest

from ssm_mw_stub.schedule import format_execution_time, validate_expression

from .schedule_helpers import compile_window, first_starts, instant


def test_third_thursday_at_two() -> None:
    assert first_starts("cron(0 2 ? * THU#3 *)", 3) == [
        "2026-01-15T02:00Z", "2026-02-19T02:00Z", "2026-03-19T02:00Z",
    ]


def test_weekdays_at_quarter_past_ten() -> None:
    assert first_starts("cron(15 10 ? * MON-FRI *)", 4, after="2026-01-02T00:00:00Z") == [
        "2026-01-02T10:15Z", "2026-01-05T10:15Z", "2026-01-06T10:15Z", "2026-01-07T10:15Z",
    ]


def test_last_day_of_the_month() -> None:
    assert first_starts("cron(0 2 L * ? *)", 3) == [
        "2026-01-31T02:00Z", "2026-02-28T02:00Z", "2026-03-31T02:00Z",
    ]
    assert first_starts("cron(0 2 L 2 ? *)", 3) == [
        "2026-02-28T02:00Z", "2027-02-28T02:00Z", "2028-02-29T02:00Z",
    ]


def test_last_friday_is_6l() -> None:
    assert first_starts("cron(15 10 ? * 6L *)", 3) == [
        "2026-01-30T10:15Z", "2026-02-27T10:15Z", "2026-03-27T10:15Z",
    ]


def test_second_tuesday_is_3_hash_2() -> None:
    # EventBridge's page, which documents the same syntax: 3#2 = the second Tuesday.
    assert first_starts("cron(0 0 ? * 3#2 *)", 2) == ["2026-01-13T00:00Z", "2026-02-10T00:00Z"]


def test_offset_two_days_after_the_third_tuesday_is_thursday() -> None:
    # cron(30 23 ? * TUE#3 *) with ScheduleOffset 2 runs the Thursday after, at 23:30.
    assert first_starts("cron(30 23 ? * TUE#3 *)", 2, offset=2) == [
        "2026-01-22T23:30Z", "2026-02-19T23:30Z",
    ]


def test_an_occurrence_past_at_creation_is_not_resurrected_by_the_offset() -> None:
    # Created on Wednesday 21 January: the third Tuesday (20th) is past, its shifted
    # Thursday (22nd) still ahead. The next period is the first.
    assert first_starts(
        "cron(30 23 ? * TUE#3 *)", 1, offset=2, anchor="2026-01-21T12:00:00Z"
    ) == ["2026-02-19T23:30Z"]


def test_seconds_field_in_the_seven_field_form() -> None:
    assert first_starts("cron(24 30 09 ? * * *)", 2) == [
        "2026-01-01T09:30:24Z", "2026-01-02T09:30:24Z",
    ]


def test_start_date_delays_the_first_run() -> None:
    # The guide: StartDate 2021-01-01T00:00:00-08:00, every Wednesday 09:00 Los Angeles.
    # It prints "January 4" (a Monday, a slip); the first Wednesday is the 6th.
    assert first_starts(
        "cron(0 09 ? * WED *)", 1, anchor="2020-12-01T00:00:00Z",
        timezone="America/Los_Angeles", start_date="2021-01-01T00:00:00-08:00",
    ) == ["2021-01-06T09:00-08:00"]


def test_weekly_rate_between_start_and_end_dates() -> None:
    # The guide: rate(7 days) from Tuesday 2019-01-01 (Tokyo) until 2019-06-30; runs every
    # Tuesday, the last on 2019-06-25.
    starts = first_starts(
        "rate(7 days)", 100, anchor="2018-12-15T00:00:00Z", timezone="Asia/Tokyo",
        start_date="2019-01-01T00:00:00+09:00", end_date="2019-06-30T00:00:00+09:00",
    )
    assert starts[0] == "2019-01-01T00:00+09:00"
    assert starts[-1] == "2019-06-25T00:00+09:00"
    assert len(starts) == 26
    assert {instant(start).weekday() for start in starts} == {1}  # all Tuesdays


def test_wall_clock_time_is_kept_across_daylight_saving() -> None:
    # Real output (steampipe-plugin-aws#2114): cron(0 9 * * ? *) in America/Chicago, the day
    # after the 2024-03-10 spring-forward, reports 2024-03-12T09:00-05:00.
    options = {"timezone": "America/Chicago", "anchor": "2024-03-01T00:00:00Z"}
    assert first_starts("cron(0 9 * * ? *)", 1, after="2024-03-11T15:00:00Z", **options) == [
        "2024-03-12T09:00-05:00"
    ]
    window = compile_window("cron(0 9 * * ? *)", **options)
    assert window.next_start(instant("2024-03-08T00:00:00Z")) == instant("2024-03-08T15:00:00Z")


def test_one_time_schedule_without_zone_is_utc() -> None:
    # The guide's Example 3: at(2020-07-07T15:55:00) runs once, at 15:55 UTC.
    assert first_starts("at(2020-07-07T15:55:00)", 5, anchor="2020-07-01T00:00:00Z") == [
        "2020-07-07T15:55Z"
    ]


@pytest.mark.parametrize(
    ("schedule", "options", "expected"),
    [
        ("cron(0 2 ? * SUN *)",
         {"timezone": "America/Los_Angeles", "anchor": "2019-01-28T00:00:00Z"},
         "2019-02-03T02:00-08:00"),
        ("cron(0 16 ? * WED *)", {"anchor": "2020-02-14T00:00:00Z"}, "2020-02-19T16:00Z"),
        ("rate(1 day)", {"anchor": "2019-05-10T16:46:16.991Z"}, "2019-05-11T16:46:16.991Z"),
        # AWS keeps milliseconds: a microsecond anchor is cut to the millisecond.
        ("rate(7 days)", {"anchor": "2019-05-11T23:35:24.902613Z"}, "2019-05-18T23:35:24.902Z"),
        ("rate(7 days)",
         {"timezone": "America/Los_Angeles", "anchor": "2019-10-01T00:00:00Z",
          "start_date": "2019-10-20T05:34:56-07:00"},
         "2019-10-20T05:34:56-07:00"),
    ],
)
def test_next_execution_time_renderings_from_the_documentation(
    schedule: str, options: dict[str, str], expected: str
) -> None:
    window = compile_window(schedule, **options)
    first = window.next_start(window.anchor)
    assert first is not None
    assert format_execution_time(first) == expected


@pytest.mark.parametrize(
    "schedule",
    ["rate(30 minutes)", "rate(5 minutes)", "rate(1 hour)", "rate(7 days)", "rate(25 days)",
     "cron(0 2 ? * THU#3 *)", "cron(15 10 ? * MON-FRI *)", "cron(0 2 L * ? *)",
     "cron(15 10 ? * 6L *)", "cron(30 23 ? * TUE#3 *)", "cron(24 30 09 ? * * *)",
     "cron(0 09 ? * WED *)", "cron(0 16 ? * TUE *)", "cron(1/10 * * * ? *)",
     "cron(0 0 3W * ? *)", "at(2020-07-07T15:55:00)", "at(2021-07-07T13:15:30)"],
)
def test_documented_expressions_are_accepted(schedule: str) -> None:
    validate_expression(schedule)
