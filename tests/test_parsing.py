"""The stub's timestamp conversion gives exactly what botocore's default gives.

A unit test, because the equivalence is the point: for every local zone setting (no DST, DST,
half-hour offsets, historical offset changes) and every kind of value, the result must be
equal, carry the same ``tzlocal`` tzinfo and the same fold as ``botocore.utils.parse_timestamp``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.utils import parse_timestamp as botocore_parse_timestamp
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw_stub.wire import parse_timestamp_fast as parse_timestamp

ZONES = ["UTC", "America/Los_Angeles", "Europe/London", "Asia/Kolkata", "Europe/Moscow",
         "Australia/Lord_Howe", "Pacific/Chatham", "EST5EDT", "Asia/Tokyo"]

#: Around DST changes (2026 in Los Angeles and London), at the epoch, before it, in 2011
#: (Moscow's offset then differs from today's), microsecond rounding, and far ahead.
VALUES: list[Any] = [
    0, 1, -1, 1.5, 1795478400, 1795478400.0, 1795478400.123456, 1795478400.1234565,
    1772964000 - 1, 1772964000, 1772964000 + 3600, 1793523600 - 1, 1793523600,
    1793523600 + 1800, 1793523600 + 3600, 1774746000, 1792890000, 1300000000, -86400 * 365,
    4102444800, 7258118400, True, "2026-11-24T16:00:00Z", "1795478400", "Tue, 24 Nov 2026 "
    "16:00:00 GMT",
]


@contextmanager
def zone_setting(zone: str) -> Iterator[str]:
    """Switch the process's local zone (TZ + time.tzset), then restore it."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield zone
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


@pytest.fixture
def local_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    with zone_setting(request.param) as zone:
        yield zone


def _same(value: Any) -> None:
    expected = botocore_parse_timestamp(value)
    actual = parse_timestamp(value)
    # Not ``actual == expected``: an aware time in a DST overlap never equals one with another
    # tzinfo object (PEP 495), and botocore makes a new tzlocal per call, so two of its own
    # results for such a time already compare unequal. Compare what makes them the same.
    assert actual.timestamp() == expected.timestamp()
    assert (actual.replace(tzinfo=None), actual.fold) == (expected.replace(tzinfo=None),
                                                          expected.fold)
    assert type(actual.tzinfo) is type(expected.tzinfo)
    assert actual.tzinfo == expected.tzinfo
    assert actual.utcoffset() == expected.utcoffset()
    assert actual.tzname() == expected.tzname()


@pytest.mark.parametrize("local_zone", ZONES, indirect=True)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_same_value_tzinfo_and_fold_as_botocore(local_zone: str, value: Any) -> None:
    _same(value)


@given(
    st.sampled_from(["UTC", "America/Los_Angeles", "Asia/Kolkata", "Europe/Moscow"]),
    st.floats(min_value=-2e9, max_value=7e9, allow_nan=False) | st.integers(-2**31, 2**33),
)
def test_any_epoch_value_matches_botocore(zone: str, value: float) -> None:
    with zone_setting(zone):
        _same(value)


@pytest.mark.parametrize("local_zone", ["UTC", "America/Los_Angeles"], indirect=True)
@pytest.mark.parametrize("value", [1e20, -1e20, float("inf"), "not a time"])
def test_values_botocore_rejects_are_rejected_alike(local_zone: str, value: Any) -> None:
    with pytest.raises((RuntimeError, ValueError, OverflowError, OSError)) as expected:
        botocore_parse_timestamp(value)
    with pytest.raises(type(expected.value)) as actual:
        parse_timestamp(value)
    assert str(actual.value) == str(expected.value)


def test_a_zone_change_after_tzset_is_followed() -> None:
    seen = []
    for zone in ("UTC", "Asia/Kolkata", "America/Los_Angeles", "UTC"):
        with zone_setting(zone):
            _same(1795478400)
            seen.append(parse_timestamp(1795478400).utcoffset())
    assert [offset.total_seconds() / 3600 for offset in seen if offset is not None] == [
        0, 5.5, -8, 0]
