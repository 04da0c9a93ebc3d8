"""Activation: context manager, decorators, fixture, nesting, and nothing left behind."""

from __future__ import annotations

import asyncio
import unittest
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

from ssm_mw_stub import MaintenanceWindows, mock_maintenance_windows

from .. import helpers
from ..helpers import START

WINDOW = {**helpers.WINDOW, "Name": "nightly", "AllowUnassociatedTargets": False}


def _window_names(client: Any) -> list[str]:
    return [w["Name"] for w in client.describe_maintenance_windows()["WindowIdentities"]]


def test_context_manager_answers_and_reports_its_clock() -> None:
    with mock_maintenance_windows(start=START) as mw:
        assert mw.now == START
        ssm = boto3.client("ssm", region_name="us-east-1")
        window_id = ssm.create_maintenance_window(**WINDOW)["WindowId"]
        assert ssm.get_maintenance_window(WindowId=window_id)["Name"] == "nightly"


def test_start_defaults_to_the_current_whole_minute() -> None:
    before = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    with mock_maintenance_windows() as mw:
        assert mw.now.second == 0
        assert mw.now.microsecond == 0
        assert before <= mw.now <= before + timedelta(minutes=1)


def test_clock_never_moves_by_itself() -> None:
    with mock_maintenance_windows(start=START) as mw:
        ssm = boto3.client("ssm", region_name="us-east-1")
        ssm.create_maintenance_window(**WINDOW)
        assert mw.now == START
        mw.advance(timedelta(minutes=90))
        assert mw.now == datetime(2026, 11, 24, 1, 30, tzinfo=timezone.utc)
        mw.advance_to("2026-11-25T00:00:00+01:00")
        assert mw.now == datetime(2026, 11, 24, 23, 0, tzinfo=timezone.utc)


def test_client_created_before_the_mock_is_intercepted() -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    with mock_maintenance_windows(start=START):
        window_id = ssm.create_maintenance_window(**WINDOW)["WindowId"]
        assert ssm.get_maintenance_window(WindowId=window_id)["WindowId"] == window_id


def test_outside_any_mock_nothing_is_intercepted(stop_at_send: Any) -> None:
    ssm = boto3.client(
        "ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    seen = stop_at_send(ssm)
    with mock_maintenance_windows(start=START):
        ssm.describe_maintenance_windows()
    assert seen == []  # answered in-process while active
    with pytest.raises(stop_at_send.Stopped):
        ssm.describe_maintenance_windows()
    assert len(seen) == 1
    assert seen[0].url == "https://ssm.us-east-1.amazonaws.com/"
    assert seen[0].headers["X-Amz-Target"] == b"AmazonSSM.DescribeMaintenanceWindows"


def test_leaving_the_mock_drops_every_window() -> None:
    mock = mock_maintenance_windows(start=START)
    with mock:
        ssm = boto3.client("ssm", region_name="us-east-1")
        ssm.create_maintenance_window(**WINDOW)
        assert _window_names(ssm) == ["nightly"]
    with mock:
        assert _window_names(ssm) == []


def test_leaving_after_an_exception_drops_state_and_stops_intercepting(
    stop_at_send: Any,
) -> None:
    mock = mock_maintenance_windows(start=START)
    ssm = boto3.client(
        "ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    def body() -> None:
        with mock:
            ssm.create_maintenance_window(**WINDOW)
            raise KeyError("boom")

    with pytest.raises(KeyError):
        body()
    assert not mock.active
    seen = stop_at_send(ssm)
    with pytest.raises(stop_at_send.Stopped):
        ssm.describe_maintenance_windows()
    assert len(seen) == 1
    with mock:
        assert _window_names(ssm) == []


def test_nested_mocks_inner_answers_outer_is_intact_afterwards() -> None:
    ssm = boto3.client("ssm", region_name="us-east-1")
    with mock_maintenance_windows(start=START) as outer:
        ssm.create_maintenance_window(**{**WINDOW, "Name": "outer"})
        with mock_maintenance_windows(start="2030-01-01T00:00:00Z") as inner:
            assert _window_names(ssm) == []
            ssm.create_maintenance_window(**{**WINDOW, "Name": "inner"})
            assert _window_names(ssm) == ["inner"]
            assert inner.now.year == 2030
        assert _window_names(ssm) == ["outer"]
        assert outer.now.year == 2026


def test_entering_the_same_mock_twice_is_refused() -> None:
    mock = mock_maintenance_windows(start=START)
    with mock, pytest.raises(RuntimeError, match="already active"):
        mock.start()


def test_handle_refuses_to_act_outside_an_activation() -> None:
    mock = mock_maintenance_windows(start=START)
    with pytest.raises(RuntimeError, match="not active"):
        mock.advance(timedelta(hours=1))
    with pytest.raises(RuntimeError, match="not active"):
        mock.add_instance("i-0123456789abcdef0")


def test_events_remain_readable_after_exit_and_reset_on_next_entry() -> None:
    mock = mock_maintenance_windows(start=START)
    with mock:
        ssm = boto3.client("ssm", region_name="us-east-1")
        window_id = ssm.create_maintenance_window(**WINDOW)["WindowId"]
        ssm.update_maintenance_window(WindowId=window_id, Enabled=False)
    assert [e["detail"]["status"] for e in mock.events] == ["DISABLED"]
    with mock:
        assert mock.events == []


_decorated = mock_maintenance_windows(start=START)


@_decorated
def test_decorator_on_a_plain_function() -> None:
    assert _decorated.active
    ssm = boto3.client("ssm", region_name="us-east-1")
    ssm.create_maintenance_window(**WINDOW)
    assert _window_names(ssm) == ["nightly"]


def test_decorated_function_leaves_nothing_behind_even_when_it_raises() -> None:
    mock = mock_maintenance_windows(start=START)

    @mock
    def failing() -> None:
        boto3.client("ssm", region_name="us-east-1").create_maintenance_window(**WINDOW)
        raise ValueError("test failed")

    with pytest.raises(ValueError, match="test failed"):
        failing()
    assert not mock.active
    with mock:
        assert _window_names(boto3.client("ssm", region_name="us-east-1")) == []


def test_decorator_on_a_coroutine_function() -> None:
    mock = mock_maintenance_windows(start=START)

    @mock
    async def body() -> list[str]:
        assert mock.active
        ssm = boto3.client("ssm", region_name="us-east-1")
        ssm.create_maintenance_window(**WINDOW)
        await asyncio.sleep(0)
        return _window_names(ssm)

    assert asyncio.run(body()) == ["nightly"]
    assert not mock.active


def test_decorator_on_a_test_case_class_gives_each_test_a_fresh_mock() -> None:
    mock = mock_maintenance_windows(start=START)
    seen: list[list[str]] = []

    @mock
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            self.ssm = boto3.client("ssm", region_name="us-east-1")
            self.ssm.create_maintenance_window(**WINDOW)

        def test_one(self) -> None:
            seen.append(_window_names(self.ssm))

        def test_two(self) -> None:
            seen.append(_window_names(self.ssm))

    result = unittest.TextTestRunner(stream=open("/dev/null", "w")).run(  # noqa: SIM115
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert result.wasSuccessful()
    assert seen == [["nightly"], ["nightly"]]
    assert not mock.active


def test_decorating_other_classes_is_refused() -> None:
    with pytest.raises(TypeError, match=r"unittest\.TestCase"):
        mock_maintenance_windows()(type("Plain", (), {}))


def test_fixture_yields_an_active_handle(maintenance_windows: MaintenanceWindows) -> None:
    assert maintenance_windows.active
    assert maintenance_windows.now == START


@pytest.mark.maintenance_windows(start="2031-02-03T04:05:00Z", account_id="210987654321")
def test_fixture_takes_options_from_its_marker(maintenance_windows: MaintenanceWindows) -> None:
    assert maintenance_windows.now == datetime(2031, 2, 3, 4, 5, tzinfo=timezone.utc)
    ssm = boto3.client("ssm", region_name="us-east-1")
    window_id = ssm.create_maintenance_window(**WINDOW)["WindowId"]
    ssm.update_maintenance_window(WindowId=window_id, Enabled=False)
    assert maintenance_windows.events[0]["account"] == "210987654321"


def test_same_seed_gives_the_same_ids() -> None:
    def ids(seed: int) -> list[str]:
        with mock_maintenance_windows(start=START, seed=seed):
            ssm = boto3.client("ssm", region_name="us-east-1")
            window_id = ssm.create_maintenance_window(**WINDOW)["WindowId"]
            target = ssm.register_target_with_maintenance_window(
                WindowId=window_id,
                ResourceType="INSTANCE",
                Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
            )["WindowTargetId"]
            return [window_id, target]

    assert ids(7) == ids(7)
    assert ids(7) != ids(8)
