"""pytest markers combine: module, class and test options merge, the closest one winning."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import boto3
import pytest

from ssm_mw_stub import MaintenanceWindows, mock_maintenance_windows

from ..helpers import START, WINDOW

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.maintenance_windows(
    start=START, account_id="111122223333", seed=5
)



def _account_and_window(mw: MaintenanceWindows) -> tuple[str, str]:
    """The account the mock acts in (an event says it) and the first window id it makes."""
    ssm = boto3.client("ssm", region_name="us-east-1")
    window_id = ssm.create_maintenance_window(Name="marker", **WINDOW)["WindowId"]
    ssm.update_maintenance_window(WindowId=window_id, Enabled=False)
    return mw.events[-1]["account"], window_id


def _first_window_id(seed: int) -> str:
    with mock_maintenance_windows(start=START, seed=seed):
        ssm = boto3.client("ssm", region_name="us-east-1")
        return str(ssm.create_maintenance_window(Name="marker", **WINDOW)["WindowId"])


def test_module_marker_alone(maintenance_windows: MaintenanceWindows) -> None:
    assert maintenance_windows.now == START
    assert _account_and_window(maintenance_windows) == ("111122223333", _first_window_id(5))


@pytest.mark.maintenance_windows(start="2030-01-01T00:00:00Z")
def test_test_marker_keeps_the_module_options_it_does_not_set(
    maintenance_windows: MaintenanceWindows,
) -> None:
    # The case: the module's account_id used to be dropped.
    assert maintenance_windows.now == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert _account_and_window(maintenance_windows) == ("111122223333", _first_window_id(5))


@pytest.mark.maintenance_windows("2031-02-03T04:05:00Z")
def test_a_positional_start_is_the_start_option(maintenance_windows: MaintenanceWindows) -> None:
    assert maintenance_windows.now == datetime(2031, 2, 3, 4, 5, tzinfo=timezone.utc)


@pytest.mark.maintenance_windows(seed=7, account_id="222233334444")
class TestClassMarker:
    def test_class_options_win_over_the_module(
        self, maintenance_windows: MaintenanceWindows
    ) -> None:
        assert maintenance_windows.now == START
        assert _account_and_window(maintenance_windows) == ("222233334444", _first_window_id(7))

    @pytest.mark.maintenance_windows(seed=9)
    def test_test_options_win_over_the_class(self, maintenance_windows: MaintenanceWindows) -> None:
        assert _account_and_window(maintenance_windows) == ("222233334444", _first_window_id(9))


def test_two_positional_arguments_are_refused(pytester: Any) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.maintenance_windows("2026-11-24T00:00:00Z", 7)
        def test_it(maintenance_windows):
            pass
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*takes at most one positional argument (start)*"])
