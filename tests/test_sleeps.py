"""``patch_time=True``: ``time.sleep`` and ``asyncio.sleep`` in the code under test advance
the fake clock instead of sleeping, so hand-written polling loops end deterministically.

A real ``time.sleep`` is replaced by a recorder before each test enters its mock, so a
sleep that wrongly went to the real function would be seen (and never slept).
"""

from __future__ import annotations

import asyncio
import importlib.util
import threading
import time
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest

from ssm_mw_stub import Invocation, TaskHandlerError, TaskOutcome, mock_maintenance_windows
from ssm_mw_stub.errors import WaitLimitError

from .helpers import START

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("time_machine") is None,
    reason='the time extra is not installed (pip install "ssm-mw-stub[time]")',
)
NODE = "i-0123456789abcdef0"


@pytest.fixture
def real_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """What reaches the real ``time.sleep`` (recorded, not slept)."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


def _send(mw: Any, outcome: TaskOutcome) -> tuple[Any, str]:
    """An SSM client, and a command to one node that ends with ``outcome``."""
    ssm = boto3.client("ssm", region_name="us-east-1")
    mw.add_instance(NODE)
    mw.on_task("AWS-RunShellScript", lambda inv: outcome)
    command_id = ssm.send_command(
        DocumentName="AWS-RunShellScript", InstanceIds=[NODE],
        Parameters={"commands": ["yum -y update"]},
    )["Command"]["CommandId"]
    return ssm, str(command_id)


def _poll(ssm: Any, command_id: str, every: float) -> int:
    """The polling loop users write: ask, sleep, ask again until the command is done."""
    polls = 0
    while True:
        polls += 1
        try:
            status = ssm.get_command_invocation(CommandId=command_id, InstanceId=NODE)["Status"]
        except ssm.exceptions.InvocationDoesNotExist:
            status = "Pending"
        if status not in ("Pending", "InProgress", "Delayed"):
            return polls
        time.sleep(every)


def test_a_polling_loop_ends_when_the_command_ends(real_sleeps: list[float]) -> None:
    with mock_maintenance_windows(start=START, patch_time=True) as mw:
        ssm, command_id = _send(mw, TaskOutcome("Success", duration=timedelta(seconds=90)))

        polls = _poll(ssm, command_id, every=10)

        assert polls == 10  # at +0, +10, ..., +90 s
        assert mw.now == datetime.fromisoformat("2026-11-24T00:01:30+00:00")
        assert datetime.now().astimezone() == mw.now  # the app's clock moved along
    assert real_sleeps == []


def test_without_patch_time_sleep_is_untouched(real_sleeps: list[float]) -> None:
    own = time.sleep
    with mock_maintenance_windows(start=START) as mw:
        assert time.sleep is own
        time.sleep(2.5)
        assert mw.now == datetime.fromisoformat("2026-11-24T00:00:00+00:00")
    assert real_sleeps == [2.5]


def test_sleeps_are_real_again_after_the_mock(real_sleeps: list[float]) -> None:
    own = time.sleep
    with mock_maintenance_windows(start=START, patch_time=True):
        assert time.sleep is not own
    assert time.sleep is own


def test_a_sleep_inside_a_handler_is_refused_naming_it(real_sleeps: list[float]) -> None:
    def sleepy_patcher(inv: Invocation) -> TaskOutcome:
        time.sleep(30)
        return TaskOutcome("Success")

    with mock_maintenance_windows(start=START, patch_time=True) as mw:
        _send(mw, TaskOutcome("Success"))
        mw.on_task("AWS-RunShellScript", sleepy_patcher)
        with pytest.raises(TaskHandlerError) as raised:
            mw.advance(timedelta(0))
    refusal = str(raised.value.__cause__)
    assert refusal.startswith(
        "time.sleep(30) cannot be called from inside the task outcome handler "
        "test_a_sleep_inside_a_handler_is_refused_naming_it.<locals>.sleepy_patcher"
    )
    assert real_sleeps == []


def test_a_loop_that_sleeps_forever_is_stopped_after_thirty_simulated_days(
    real_sleeps: list[float],
) -> None:
    with mock_maintenance_windows(start=START, patch_time=True) as mw:
        start = mw.now
        def wait_for_nothing() -> None:
            while True:  # waits for something that never happens
                time.sleep(3600)

        with pytest.raises(WaitLimitError) as raised:
            wait_for_nothing()
        assert mw.now - start == timedelta(days=30)
    assert "time.sleep(3600) would make the code under test wait longer than max_wait=" \
        "30 days" in str(raised.value)


def test_the_test_moving_the_clock_starts_a_new_run_of_sleeps(real_sleeps: list[float]) -> None:
    with mock_maintenance_windows(start=START, patch_time=True,
                                  max_wait=timedelta(hours=2)) as mw:
        time.sleep(5400)
        mw.advance(timedelta(minutes=1))
        time.sleep(5400)  # 1.5 h again: a new run
        with pytest.raises(WaitLimitError):
            time.sleep(3600)
        assert mw.now == datetime.fromisoformat("2026-11-24T03:01:00+00:00")


def test_zero_and_invalid_sleeps_behave_as_the_real_ones(real_sleeps: list[float]) -> None:
    with mock_maintenance_windows(start=START, patch_time=True) as mw:
        time.sleep(0)
        time.sleep(-1)  # the recorder stands in for the real one, which would raise
        assert mw.now == datetime.fromisoformat("2026-11-24T00:00:00+00:00")
    assert real_sleeps == [0, -1]


def test_threads_of_the_code_under_test_sleep_on_the_fake_clock_others_for_real(
    real_sleeps: list[float],
) -> None:
    go, done = threading.Event(), threading.Event()

    def background() -> None:  # a thread that was running before the mock
        go.wait()
        time.sleep(0.25)
        done.set()

    earlier = threading.Thread(target=background)
    earlier.start()
    with mock_maintenance_windows(start=START, patch_time=True) as mw:
        worker = threading.Thread(target=time.sleep, args=(60,))
        worker.start()
        worker.join()
        go.set()
        done.wait()
        earlier.join()
        assert mw.now == datetime.fromisoformat("2026-11-24T00:01:00+00:00")
    assert real_sleeps == [0.25]


def test_asyncio_sleep_advances_the_clock_and_concurrent_sleepers_share_it(
    real_sleeps: list[float],
) -> None:
    async def poll(times: int, every: float, log: list[tuple[str, timedelta]], name: str,
                   start: datetime, mw: Any) -> None:
        for _ in range(times):
            await asyncio.sleep(every)
            log.append((name, mw.now - start))

    async def main(mw: Any) -> list[tuple[str, timedelta]]:
        log: list[tuple[str, timedelta]] = []
        start = mw.now
        await asyncio.sleep(0)  # a pure yield: the clock does not move
        assert mw.now == start
        await asyncio.gather(poll(2, 5, log, "five", start, mw),
                             poll(3, 3, log, "three", start, mw))
        return log

    with mock_maintenance_windows(start=START, patch_time=True) as mw:
        log = asyncio.run(main(mw))
        # Side by side, as in real time: 3, 5, 6, 9, 10 seconds, each at its own instant.
        assert log == [("three", timedelta(seconds=3)), ("five", timedelta(seconds=5)),
                       ("three", timedelta(seconds=6)), ("three", timedelta(seconds=9)),
                       ("five", timedelta(seconds=10))]
        assert mw.now == datetime.fromisoformat("2026-11-24T00:00:10+00:00")
    assert real_sleeps == []


def test_an_async_polling_loop_over_boto3_ends_with_the_command(real_sleeps: list[float]) -> None:
    async def wait_for(ssm: Any, command_id: str) -> str:
        while True:
            try:
                status = str(ssm.get_command_invocation(CommandId=command_id,
                                                        InstanceId=NODE)["Status"])
            except ssm.exceptions.InvocationDoesNotExist:
                status = "Pending"
            if status not in ("Pending", "InProgress"):
                return status
            await asyncio.sleep(20)

    with mock_maintenance_windows(start=START, patch_time=True) as mw:
        ssm, command_id = _send(mw, TaskOutcome("Failed", duration=timedelta(minutes=3)))
        assert asyncio.run(wait_for(ssm, command_id)) == "Failed"
        assert mw.now == datetime.fromisoformat("2026-11-24T00:03:00+00:00")


def test_under_patch_time_other_services_waiters_sleep_on_the_fake_clock(
    real_sleeps: list[float],
) -> None:
    from botocore.stub import Stubber

    ec2 = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="k",
                       aws_secret_access_key="s")
    with Stubber(ec2) as stub, mock_maintenance_windows(start=START, patch_time=True) as mw:
        for state in ("pending", "pending", "running"):
            stub.add_response("describe_instances", {"Reservations": [
                {"Instances": [{"State": {"Name": state}}]}]})
        # Their time.sleep is the code under test sleeping; only SSM's waiters are the
        # mock's own (docs/waiting-and-reacting.md).
        ec2.get_waiter("instance_running").wait(InstanceIds=[NODE], WaiterConfig={"Delay": 15})
        assert mw.now - START == timedelta(seconds=30)
    assert real_sleeps == []
