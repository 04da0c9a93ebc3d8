"""Crashes found by the reliability tests in code this suite's authors do not own.

Each test states the behaviour the stub must have and is marked ``xfail(strict=True)``
with the owning package named: it fails (as expected) while the bug is there, and turns
into an unexpected pass - which fails the run - as soon as it is fixed, so the marker (and
the matching workaround in ``mw_fuzz_strategies``) cannot outlive the bug.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import MaintenanceWindows


@pytest.mark.xfail(
    strict=True,
    raises=OverflowError,
    reason="ssm_mw_stub.schedule: at() in the last hours of 9999, in a zone west of UTC, is "
    "accepted, but its instant lies in year 10000; the schedule listing and every later "
    "mw.advance() then raise OverflowError (fuzz strategies avoid this input until fixed)",
)
@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Etc/GMT+12"])
def test_at_schedule_at_the_end_of_time_west_of_utc(
    mw: MaintenanceWindows, ssm: Any, zone: str
) -> None:
    try:
        window_id = ssm.create_maintenance_window(
            Name="end-of-time", Schedule="at(9999-12-31T23:59:59)", ScheduleTimezone=zone,
            Duration=2, Cutoff=1, AllowUnassociatedTargets=True,
        )["WindowId"]
    except ClientError as error:  # refusing the window is a correct answer too
        assert error.response["Error"]["Code"] == "ValidationException"  # noqa: PT017
        return
    ssm.describe_maintenance_window_schedule(WindowId=window_id)
    mw.advance(timedelta(minutes=1))
