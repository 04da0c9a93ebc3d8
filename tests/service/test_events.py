"""The event log: envelope shape, stable ids, 30-day retention, clearing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3

from ssm_mw_stub import MaintenanceWindows, mock_maintenance_windows

from ..helpers import START


def _daily_window(ssm: Any) -> str:
    return str(ssm.create_maintenance_window(
        Name="daily", Schedule="rate(1 day)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=False,
    )["WindowId"])


def test_envelopes_have_the_eventbridge_shape(ssm: Any, mw: MaintenanceWindows) -> None:
    window_id = _daily_window(ssm)
    mw.advance(timedelta(days=1))
    event = mw.events[0]
    assert set(event) == {
        "version", "id", "detail-type", "source", "account", "time", "region", "resources",
        "detail",
    }
    assert event["source"] == "aws.ssm"
    assert event["time"] == "2026-11-25T00:00:00Z"
    assert event["resources"] == [
        f"arn:aws:ssm:us-east-1:123456789012:maintenancewindow/{window_id}"
    ]
    assert len(event["id"]) == 36


def test_event_ids_do_not_depend_on_when_the_log_is_read() -> None:
    def run(read_midway: bool) -> list[str]:
        with mock_maintenance_windows(start=START, seed=3) as mw:
            _daily_window(boto3.client("ssm", region_name="us-east-1"))
            mw.advance(timedelta(days=1))
            if read_midway:
                assert mw.events
            mw.advance(timedelta(days=1))
            return [e["id"] for e in mw.events]

    assert run(read_midway=True) == run(read_midway=False)
    assert len(set(run(read_midway=False))) == len(run(read_midway=False))


def test_the_log_keeps_thirty_simulated_days(ssm: Any, mw: MaintenanceWindows) -> None:
    _daily_window(ssm)
    mw.advance(timedelta(days=40))
    times = sorted(e["time"] for e in mw.events)
    assert times[0] >= (mw.now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert times[-1] == "2027-01-03T00:00:00Z"


def test_clear_events_and_reading_after_exit(ssm: Any) -> None:
    mock = mock_maintenance_windows(start=START)
    with mock:
        _daily_window(boto3.client("ssm", region_name="us-east-1"))
        mock.advance(timedelta(days=1))
        assert mock.events
        mock.clear_events()
        assert mock.events == []
        mock.advance(timedelta(days=1))
        kept = mock.events
    assert kept
    assert mock.events == kept
