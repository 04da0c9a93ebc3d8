"""The text formats of Run Command answers, where the arithmetic is the point."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ssm_mw_stub.model.commands import notification_time
from ssm_mw_stub.service.command_views import elapsed_text, plugin_output, utf16_cut

T0 = datetime(2023, 5, 7, 22, 13, 33, 797000, tzinfo=timezone.utc)


@pytest.mark.parametrize(("delta", "text"), [
    (timedelta(milliseconds=541), "PT0.541S"),  # the AWS CLI example
    (timedelta(seconds=44, milliseconds=2), "PT44.002S"),  # the API reference example
    (timedelta(hours=1, milliseconds=271), "PT1H0.271S"),  # a real ExecutionTimedOut
    (timedelta(0), "PT0S"),
    (timedelta(minutes=8), "PT8M"),
    (timedelta(hours=1), "PT1H"),
    (timedelta(minutes=1, seconds=1, milliseconds=500), "PT1M1.5S"),
    (timedelta(days=2, minutes=3), "PT48H3M"),
])
def test_elapsed_time_is_javas_duration(delta: timedelta, text: str) -> None:
    assert elapsed_text(T0, T0 + delta) == text


@pytest.mark.parametrize(("when", "text"), [
    (datetime(2019, 4, 25, 17, 57, 9, 170000, tzinfo=timezone.utc), "2019-04-25T17:57:09.17Z"),
    (datetime(2019, 4, 25, 17, 57, 9, 236000, tzinfo=timezone.utc),
     "2019-04-25T17:57:09.236Z"),
    (datetime(2016, 4, 26, 13, 15, 30, tzinfo=timezone.utc), "2016-04-26T13:15:30Z"),
])
def test_notification_times(when: datetime, text: str) -> None:
    assert notification_time(when) == text


def test_plugin_output_joins_stdout_and_stderr_under_a_title() -> None:
    # The SSM Agent's own test vectors (TruncateOutput, iohandler_test.go).
    assert plugin_output("", "sample error") == "\n----------ERROR-------\nsample error"
    assert plugin_output("sample output", "sample error") == (
        "sample output\n----------ERROR-------\nsample error"
    )
    assert plugin_output("sample output", "") == "sample output"


def test_plugin_output_cuts_the_long_part_and_marks_it() -> None:
    long_out = plugin_output("o" * 5000, "short")
    assert long_out.endswith("\n---Output truncated---\n----------ERROR-------\nshort")
    assert len(long_out) == 2400
    long_err = plugin_output("short", "e" * 5000)
    assert long_err.startswith("short\n----------ERROR-------\neee")
    assert long_err.endswith("\n---Error truncated----")
    assert len(long_err) == 2400
    both = plugin_output("o" * 5000, "e" * 5000)
    kept_out, kept_err = both.split("\n---Output truncated---\n----------ERROR-------\n")
    assert kept_err.endswith("\n---Error truncated----")
    # Both longer than half the space: each keeps half of what the markers leave.
    assert kept_out == "o" * 1165
    assert kept_err == "e" * 1165 + "\n---Error truncated----"
    assert len(both) <= 2400


def test_utf16_cut_counts_astral_characters_twice() -> None:
    assert utf16_cut("😀" * 10, 5) == "😀😀"
    assert utf16_cut("a😀", 2) == "a"
    assert utf16_cut("abc", 3) == "abc"
