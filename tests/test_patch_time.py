"""``patch_time=True``: the code under test reads the fake clock, and it moves with it."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome, mock_maintenance_windows

needs_time_machine = pytest.mark.skipif(
    importlib.util.find_spec("time_machine") is None,
    reason='the time extra is not installed (pip install "ssm-mw-stub[time]")',
)

#: Far from the real clock, so that reading the real one cannot pass for the fake one.
START = datetime(2031, 3, 4, 5, 6, 7, 890123, tzinfo=timezone.utc)


def _app_clock() -> dict[str, Any]:
    """Every way the code under test might read the time."""
    return {
        "now_utc": datetime.now(timezone.utc),
        "now_local": datetime.now(),
        "utcnow": datetime.utcnow(),
        "today": date.today(),
        "time": time.time(),
        "time_ns": time.time_ns(),
        "gmtime": time.gmtime()[:6],
        "strftime": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
    }


def _expected(when: datetime) -> dict[str, Any]:
    local = when.astimezone()
    micros = (when - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(microseconds=1)
    return {
        "now_utc": when,
        "now_local": local.replace(tzinfo=None),
        "utcnow": when.replace(tzinfo=None),
        "today": local.date(),
        "time": micros / 1e6,
        "time_ns": micros * 1000,
        "gmtime": when.timetuple()[:6],
        "strftime": when.strftime("%Y-%m-%d %H:%M:%S"),
    }


@needs_time_machine
def test_the_apps_clock_reads_the_fake_one_and_moves_with_it() -> None:
    zone = (os.environ.get("TZ"), time.tzname)
    with mock_maintenance_windows(start=START, patch_time=True) as mw:
        assert _app_clock() == _expected(START)
        mw.advance(timedelta(days=3, minutes=4))
        assert _app_clock() == _expected(START + timedelta(days=3, minutes=4))
        mw.advance_to("2031-06-01T00:00:00.000001Z")
        assert _app_clock() == _expected(mw.now)
        # The process keeps its own time zone (time-machine is never told the zone).
        assert (os.environ.get("TZ"), time.tzname) == zone
    assert datetime.now(timezone.utc) < START  # the real clock again
    assert (os.environ.get("TZ"), time.tzname) == zone


@needs_time_machine
@pytest.mark.maintenance_windows(start="2031-03-04T00:00:00Z", patch_time=True)
def test_handlers_read_the_instant_they_run_at(
    mw: MaintenanceWindows, ssm: Any, make_window: Any
) -> None:
    seen: list[tuple[datetime, datetime, date]] = []

    def handler(inv: Invocation) -> TaskOutcome:
        seen.append((inv.start_time, datetime.now(timezone.utc), date.today()))
        return TaskOutcome("SUCCESS", duration=timedelta(minutes=7))

    window_id = make_window(Schedule="cron(0 2 * * ? *)")
    for priority, name in enumerate(("a", "b"), start=1):  # b starts when a has ended
        ssm.register_task_with_maintenance_window(
            WindowId=window_id, TaskType="LAMBDA", Priority=priority,
            TaskArn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}")
    mw.on_task("LAMBDA", handler)
    mw.advance(timedelta(days=2))
    assert datetime.now(timezone.utc) == mw.now
    first = datetime(2031, 3, 4, 2, 0, tzinfo=timezone.utc)
    assert [(start, now) for start, now, _ in seen] == [
        (first, first),
        (first + timedelta(minutes=7), first + timedelta(minutes=7)),  # after task a ended
        (first + timedelta(days=1), first + timedelta(days=1)),
        (first + timedelta(days=1, minutes=7), first + timedelta(days=1, minutes=7)),
    ]
    assert [today for _, _, today in seen] == [
        start.astimezone().date() for start, _, _ in seen]


@needs_time_machine
@pytest.mark.maintenance_windows(start="2031-03-04T00:00:00Z", patch_time=True)
def test_the_fixture_takes_it_from_the_marker(maintenance_windows: MaintenanceWindows) -> None:
    midnight = datetime(2031, 3, 4, tzinfo=timezone.utc)
    assert date.today() == midnight.astimezone().date()
    maintenance_windows.advance(timedelta(hours=12))
    assert datetime.now(timezone.utc) == midnight + timedelta(hours=12)


def test_without_the_option_the_app_reads_the_real_clock(mw: MaintenanceWindows) -> None:
    mw.advance(timedelta(days=2000))
    assert datetime.now(timezone.utc) < mw.now


@needs_time_machine
def test_nested_mocks_restore_the_outer_clock() -> None:
    with mock_maintenance_windows(start=START, patch_time=True) as outer:
        with mock_maintenance_windows(start="2040-01-01T00:00:00Z", patch_time=True):
            assert datetime.now(timezone.utc).year == 2040
        assert datetime.now(timezone.utc) == START
        outer.advance(timedelta(hours=1))
        assert datetime.now(timezone.utc) == START + timedelta(hours=1)


def test_a_bad_value_is_refused() -> None:
    with pytest.raises(TypeError, match="patch_time takes True or False"):
        mock_maintenance_windows(patch_time="yes")  # type: ignore[arg-type]


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "time_machine", None)  # as if it were not installed
    with pytest.raises(ImportError) as raised:
        mock_maintenance_windows(start=START, patch_time=True)
    assert 'pip install "ssm-mw-stub[time]"' in str(raised.value)
    assert "time-machine" in str(raised.value)


def test_a_time_machine_older_than_the_floor_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 2.10 to 2.18 crash the interpreter inside freezegun; the library refuses them before
    # importing time-machine, naming the release found and the one needed.
    real = importlib.metadata.version

    def version(name: str) -> str:
        return "2.18.0" if name == "time-machine" else real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    with pytest.raises(ImportError) as raised:
        mock_maintenance_windows(start=START, patch_time=True)
    assert "needs time-machine 3.3.1 or later; 2.18.0 is installed" in str(raised.value)
    assert 'pip install --upgrade "time-machine>=3.3.1"' in str(raised.value)


def test_time_machine_and_the_timeline_are_imported_only_when_asked_for() -> None:
    script = (
        "import sys, boto3, ssm_mw_stub, ssm_mw_stub.pytest_plugin\n"
        "with ssm_mw_stub.mock_maintenance_windows(start='2031-03-04T00:00:00Z') as mw:\n"
        "    boto3.client('ssm', region_name='us-east-1').describe_maintenance_windows()\n"
        "    mw.advance(__import__('datetime').timedelta(days=1))\n"
        "print(*(name in sys.modules for name in ('time_machine', 'ssm_mw_stub.apptime',\n"
        "    'ssm_mw_stub.timeline', 'ssm_mw_stub.calls')))\n"
    )
    env = {**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.split() == ["False"] * 4


@needs_time_machine
def test_freezegun_and_patch_time_do_not_mix_and_the_manual_way_works() -> None:
    freezegun = pytest.importorskip("freezegun")
    refused = pytest.raises(RuntimeError, match="cannot start inside freezegun's freeze_time")
    with freezegun.freeze_time("2031-01-01"), refused:
        mock_maintenance_windows(start=START, patch_time=True).start()
    # The documented way for freezegun users: freeze at mw.now, move after each advance.
    with mock_maintenance_windows(start=START) as mw, freezegun.freeze_time(mw.now) as frozen:
        assert datetime.now(timezone.utc) == START
        mw.advance(timedelta(days=1))
        frozen.move_to(mw.now)
        assert datetime.now(timezone.utc) == START + timedelta(days=1)
