"""What CreateMaintenanceWindow / UpdateMaintenanceWindow accept as a Schedule, and what the
ValidationException says when they do not (the message must name the part that is wrong)."""

from __future__ import annotations

import pytest

from ssm_mw_stub.schedule import CronSpec, ScheduleError, parse_expression, validate_expression


@pytest.mark.parametrize(
    "schedule",
    [
        "cron(0 0 ? JAN-DEC SUN-SAT 1970-2199)",
        "cron(0 0 ? jan,Feb mon *)",  # names in any case (AWS's syntax comes from Quartz)
        "cron(0 0 1 * ? 2150)",
        "cron(0 0 ? * L *)",
        "cron(0 0 ? * FRIL *)",
        "cron(0 0 ? * fri#5 *)",
        "cron(55 23 ? * MON-MON *)",
        "cron(*/5 * * * ? *)",
        "cron(0/5 * * * ? *)",
        "cron(3-58/5 * * * ? *)",
        "cron(0 0/6 1-15/2 1/3 ? 2030/5)",
        "cron(0 0 31W * ? *)",
        "cron(0 0 30 2 ? *)",  # never fires: accepted, the window simply never runs
        "cron(0   0  1 * ? *)",  # runs of spaces between fields
        "cron(0 0 0 1 * ? *)",
        "rate(5 minutes)",
        "rate(1 day)",
        "rate(1 hour)",
        "rate(2 hours)",
        "rate(1000 days)",
        "at(1999-12-31T23:59:59)",
    ],
)
def test_accepted(schedule: str) -> None:
    validate_expression(schedule)


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        # shape
        ("", 'Schedule "" is not valid: write cron(...), rate(...) or at(...)'),
        ("daily", "write cron(...), rate(...) or at(...)"),
        ("CRON(0 0 1 * ? *)", "write cron(...), rate(...) or at(...)"),
        (" cron(0 0 1 * ? *)", "write cron(...), rate(...) or at(...)"),
        ("cron(0 0 1 * ? *) ", "write cron(...), rate(...) or at(...)"),
        ("cron(\uff10 0 1 * ? *)", "characters outside ASCII"),
        ("cron(0 2 * * *)", "6 fields (minutes hours day-of-month month day-of-week year), "
                            "or 7 with leading seconds; this one has 5"),
        ("cron(0 0 0 2 * * * *)", "this one has 8"),
        # ranges of each field
        ("cron(60 2 ? * * *)", 'minutes field "60": 60 is out of range; minutes values are 0-59'),
        ("cron(0 24 ? * * *)", 'hours field "24": 24 is out of range; hours values are 0-23'),
        ("cron(60 0 2 ? * * *)", 'seconds field "60": 60 is out of range'),
        ("cron(0 0 32 * ? *)", 'day-of-month field "32": 32 is out of range'),
        ("cron(0 0 0 * ? *)", 'day-of-month field "0": 0 is out of range'),
        ("cron(0 0 ? 13 * *)", 'month field "13": 13 is out of range; month values are 1-12 '
                               "or JAN-DEC"),
        ("cron(0 0 ? FOO * *)", 'month field "FOO": "FOO" is not one of JAN, FEB'),
        ("cron(0 0 ? * 0 *)", 'day-of-week field "0": 0 is out of range; day-of-week values '
                              "are 1-7 (1 = SUN) or SUN-SAT"),
        ("cron(0 0 ? * 8 *)", 'day-of-week field "8": 8 is out of range'),
        ("cron(0 0 ? * SUNDAY *)", 'day-of-week field "SUNDAY": "SUNDAY" is not one of SUN'),
        ("cron(0 0 ? * * 1969)", 'year field "1969": 1969 is out of range; year values are '
                                 "1970-2199"),
        ("cron(0 0 ? * * 2200)", 'year field "2200": 2200 is out of range'),
        ("cron(a 0 1 * ? *)", 'minutes field "a": "A" is not a number'),
        # the ? rule
        ("cron(0 0 * * * *)", 'day-of-month "*" and day-of-week "*" are both set; one of them '
                              'must be "?"'),
        ("cron(0 0 1 * MON *)", 'day-of-month "1" and day-of-week "MON" are both set'),
        ("cron(0 0 ? * ? *)", 'day-of-month and day-of-week are both "?"'),
        ("cron(? 0 1 * ? *)", '"?" is allowed only in the day-of-month and day-of-week fields'),
        ("cron(0 0 1,? * ? *)", '"?" is allowed only'),
        # L, W, #
        ("cron(0 0 L-2 * ? *)", 'day-of-month field "L-2": only "L" (last day of the month) '
                                'and "nW" (the weekday nearest day n) are supported'),
        ("cron(0 0 LW * ? *)", 'day-of-month field "LW": only "L"'),
        ("cron(0 0 1,L * ? *)", 'day-of-month field "1,L": only "L"'),
        ("cron(0 0 1-5W * ? *)", 'day-of-month field "1-5W": only "L"'),
        ("cron(0 0 32W * ? *)", 'day-of-month field "32W": 32 is out of range'),
        ("cron(0 0 0W * ? *)", 'day-of-month field "0W": 0 is out of range'),
        ("cron(0 0 ? * MON#6 *)", 'day-of-week field "MON#6": "#6": the week number must be 1-5'),
        ("cron(0 0 ? * 2#0 *)", "the week number must be 1-5"),
        ("cron(0 0 ? * MON#1,TUE#1 *)", 'day-of-week field "MON#1,TUE#1": only "nL"'),
        ("cron(0 0 ? * 8L *)", 'day-of-week field "8L": 8 is out of range'),
        ("cron(0 0 ? * 5L,6 *)", 'day-of-week field "5L,6": only "nL"'),
        # lists, ranges, increments
        ("cron(0/0 0 1 * ? *)", 'minutes field "0/0": the increment 0 must be between 1 and 60'),
        ("cron(0/61 0 1 * ? *)", "the increment 61 must be between 1 and 60"),
        ("cron(0 0 1/32 * ? *)", "the increment 32 must be between 1 and 31"),
        ("cron(5-1 0 1 * ? *)", 'minutes field "5-1": the range "5-1" ends before it starts; '
                                "ranges do not wrap around"),
        ("cron(0 0 ? * FRI-MON *)", 'the range "FRI-MON" ends before it starts'),
        ("cron(*-5 0 1 * ? *)", '"*" cannot start a range'),
        ("cron(1,,2 0 1 * ? *)", 'minutes field "1,,2": empty list element'),
        ("cron(1, 0 1 * ? *)", "empty list element"),
        ("cron(1-2-3 0 1 * ? *)", '"1-2-3" is not a value, a range (a-b), an increment (a/n) '
                                  'or "*"'),
        # the 5-minute floor
        ("cron(0/1 * * * ? *)", "00:00 and 00:01, 60 seconds apart; maintenance windows cannot "
                                "run more often than every 5 minutes"),
        ("cron(0,3 10 * * ? *)", "10:00 and 10:03, 180 seconds apart"),
        ("cron(0/4 * * * ? *)", "240 seconds apart"),
        ("cron(0,30 0 12 * * ? *)", "12:00 and 12:00:30, 30 seconds apart"),
        # rate
        ("rate(1 hours)", 'a value of 1 takes the singular unit: "rate(1 hour)"'),
        ("rate(1 days)", '"rate(1 day)"'),
        ("rate(5 hour)", 'a value other than 1 takes the plural unit: "rate(5 hours)"'),
        ("rate(0 minutes)", 'the rate value "0" must be a positive whole number'),
        ("rate(-5 minutes)", 'the rate value "-5" must be a positive whole number'),
        ("rate(1.5 hours)", 'the rate value "1.5" must be a positive whole number'),
        ("rate(4 minutes)", "maintenance windows cannot run more often than every 5 minutes"),
        ("rate(1 minute)", "more often than every 5 minutes"),
        ("rate(2 weeks)", 'the rate unit "weeks" must be minute, minutes, hour, hours, day or '
                          "days"),
        ("rate(2 Hours)", 'the rate unit "Hours"'),
        ("rate(5)", 'a rate expression is "rate(value unit)"'),
        ("rate(5  minutes)", 'a rate expression is "rate(value unit)"'),
        ("rate(99999999999 days)", "the rate value 99999999999 is too large"),
        # at
        ("at(2020-07-07 15:55:00)", 'a one-time schedule is "at(yyyy-mm-ddThh:mm:ss)"'),
        ("at(2020-07-07T15:55)", 'a one-time schedule is "at(yyyy-mm-ddThh:mm:ss)"'),
        ("at(2020-07-07T15:55:00Z)", 'a one-time schedule is "at(yyyy-mm-ddThh:mm:ss)"'),
        ("at(2020-02-30T00:00:00)", '"2020-02-30T00:00:00" is not a real date and time'),
        ("at(2020-07-07T24:00:00)", "is not a real date and time"),
    ],
)
def test_rejected_with_a_message_naming_the_part(schedule: str, message: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        validate_expression(schedule)
    text = str(caught.value)
    assert text.startswith(f'Schedule "{schedule}" is not valid: ')
    assert message in text
    assert caught.value.parameter == "Schedule"


def test_midnight_neighbours_count_even_when_days_never_touch() -> None:
    # 23:58 and 00:01 are 3 minutes apart only on consecutive days; the check does not work
    # out whether the day fields allow that and refuses the (contrived) expression anyway.
    with pytest.raises(ScheduleError, match="23:58 and 00:01, 180 seconds apart"):
        validate_expression("cron(1,58 0,23 1 * ? *)")


def test_a_schedule_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not valid"):
        validate_expression("nonsense")


def test_parsed_cron_keeps_aws_numbering_and_expands_every_field() -> None:
    spec = parse_expression("cron(0/20 8-10 ? 1,JUL * *)")
    assert isinstance(spec, CronSpec)
    assert spec.months == (1, 7)
    assert spec.expression == "cron(0/20 8-10 ? 1,JUL * *)"
    assert spec.times_of_day()[:4] == ((8, 0, 0), (8, 20, 0), (8, 40, 0), (9, 0, 0))
    assert parse_expression("cron(0 0 ? * MON-MON *)").croniter_day_expression() == "0 0 * * 1"
    assert parse_expression("cron(0 0 ? * 7 *)").croniter_day_expression() == "0 0 * * 6"
    assert parse_expression("cron(0 0 ? * 6L *)").croniter_day_expression() == "0 0 * * L5"
    assert parse_expression("cron(0 0 ? * TUE#3 *)").croniter_day_expression() == "0 0 * * 2#3"
