"""Durations as the command line and the control API take them (the arithmetic is the point)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw_stub.server.durations import duration_from_json, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("30s", timedelta(seconds=30)), ("15m", timedelta(minutes=15)),
        ("4h", timedelta(hours=4)), ("7d", timedelta(days=7)), ("2w", timedelta(weeks=2)),
        ("1h30m", timedelta(hours=1, minutes=30)), ("1.5h", timedelta(minutes=90)),
        (" 10m ", timedelta(minutes=10)), ("0s", timedelta(0)),
        ("PT4H", timedelta(hours=4)), ("P7D", timedelta(days=7)), ("pt15m", timedelta(minutes=15)),
        ("P1DT2H30M", timedelta(days=1, hours=2, minutes=30)), ("P2W", timedelta(weeks=2)),
        ("PT0.5S", timedelta(milliseconds=500)), ("PT0S", timedelta(0)),
    ],
)
def test_forms(text: str, delta: timedelta) -> None:
    assert parse_duration(text) == delta


@pytest.mark.parametrize(
    "text", ["", "7", "d", "7 d", "-5m", "1y", "P1Y", "P1M", "P", "PT", "P1DT", "1h 30m", "7days",
             "40000d", "P40000D"],
)
def test_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=36000)))
def test_format_and_parse_round_trip_to_the_microsecond(delta: timedelta) -> None:
    text = format_duration(delta)
    assert text.startswith("P")
    assert parse_duration(text) == delta
    assert duration_from_json(text) == delta


def test_json_durations() -> None:
    assert duration_from_json(90) == timedelta(seconds=90)
    assert duration_from_json(0.25) == timedelta(milliseconds=250)
    assert duration_from_json("10m") == timedelta(minutes=10)
    for bad, error in ((True, TypeError), (None, TypeError), ([1], TypeError),
                       (-1, ValueError), (float("nan"), ValueError), (float("inf"), ValueError),
                       (1e300, ValueError)):
        with pytest.raises(error):
            duration_from_json(bad)
    with pytest.raises(ValueError, match="negative"):
        format_duration(timedelta(seconds=-1))
