"""Isolation: a mock leaves nothing behind - no state, no handlers, no memory, no activation.

A thousand enter/exit cycles, each doing what a test does (a window, a target, a task, an
instance in the fake fleet, a task handler, a command of its own, a clock move that makes
executions, commands and events), must each start from nothing, and must neither keep their
worlds alive nor grow memory (measured with tracemalloc after a warm-up, bounded), nor add
event handlers to botocore. A decorated test that raises - a function, a coroutine, a
TestCase's test or its setUp, an inner mock inside an outer one - must leave nothing active
and no state behind.
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
import unittest
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import boto3
import botocore.handlers
import pytest
from botocore.awsrequest import AWSResponse

from ssm_mw_stub import MaintenanceWindows, TaskOutcome, mock, mock_maintenance_windows
from ssm_mw_stub.engine import Engine
from ssm_mw_stub.model import RegionState, Store, Window
from ssm_mw_stub.world import World

from ..helpers import START

CYCLES = 1000
#: Cycles before tracing starts, then traced cycles before the baseline is taken: bounded
#: caches (botocore's, re's, dateutil's) fill with entries made after tracing starts, which
#: looks like growth until they have turned over once.
UNTRACED, TRACED_WARM_UP = 400, 300
#: Growth allowed over the last 300 cycles (about 16 KiB of it is cache turnover). Keeping
#: each activation's state alive (window, target, task, executions, fleet, events) grows
#: memory by about 27 KiB per cycle, 8 MiB over the 300: a leak is far above the bound.
MEMORY_BOUND = 64 * 1024


def _live(*types: type) -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, types))


def _handler_count(client: Any, event: str) -> int:
    return len(list(client.meta.events._emitter._handlers.prefix_search(event)))


def _one_test(ssm: Any, cycle: int) -> None:
    """What a typical test does inside its mock; asserts it started from nothing.

    Odd cycles install a handler that records the instances it runs on and fails the
    task; even cycles install none, so the task succeeds - a handler left over from the
    cycle before would make it fail. Each cycle adds its own instance and targets every
    instance tagged ``Cycle``, so an instance left over from any earlier cycle would be
    run on too.
    """
    instance = f"i-{cycle:017x}"
    seen: list[str | None] = []

    def handler(invocation: Any) -> TaskOutcome:
        seen.append(invocation.target_id)
        return TaskOutcome("FAILED")

    with mock_maintenance_windows(start=START) as mw:
        assert mw.events == []
        assert ssm.describe_maintenance_windows()["WindowIdentities"] == []
        assert ssm.list_commands()["Commands"] == []
        mw.add_instance(instance, tags={"Cycle": str(cycle)})
        if cycle % 2:
            mw.on_task("RUN_COMMAND", handler)
        window_id = ssm.create_maintenance_window(
            Name=f"cycle-{cycle}", Schedule="rate(1 hour)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=True,
        )["WindowId"]
        target_id = ssm.register_target_with_maintenance_window(
            WindowId=window_id, ResourceType="INSTANCE",
            Targets=[{"Key": "tag-key", "Values": ["Cycle"]}],
        )["WindowTargetId"]
        ssm.register_task_with_maintenance_window(
            WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
            Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
            MaxConcurrency="1", MaxErrors="1",
        )
        sent = ssm.send_command(InstanceIds=[instance], DocumentName="AWS-RunShellScript")
        mw.advance(timedelta(hours=1, minutes=1))
        [execution] = ssm.describe_maintenance_window_executions(WindowId=window_id)[
            "WindowExecutions"
        ]
        # The code's own command ran on this cycle's instance, with this cycle's handler.
        [node] = ssm.list_command_invocations(CommandId=sent["Command"]["CommandId"])[
            "CommandInvocations"
        ]
        assert node["Status"] == ("Failed" if cycle % 2 else "Success")
        assert execution["Status"] == ("FAILED" if cycle % 2 else "SUCCESS")
        assert seen == ([instance, instance] if cycle % 2 else [])
        assert mw.events  # registration and execution events were emitted


def test_a_thousand_activations_leave_nothing_behind() -> None:
    # Keys only so that the call after the last exit can be signed and sent (to an observer).
    ssm = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="a",
                       aws_secret_access_key="b")
    builtin = len(botocore.handlers.BUILTIN_HANDLERS)
    before_call = _handler_count(ssm, "before-call.ssm.CreateMaintenanceWindow")
    after_call = _handler_count(ssm, "after-call.ssm.CreateMaintenanceWindow")
    gc.collect()
    baseline = _live(Store, RegionState, Window, MaintenanceWindows)

    for cycle in range(UNTRACED):
        _one_test(ssm, cycle)
    tracemalloc.start()
    try:
        for cycle in range(UNTRACED, UNTRACED + TRACED_WARM_UP):
            _one_test(ssm, cycle)
        gc.collect()
        first, _ = tracemalloc.get_traced_memory()
        for cycle in range(UNTRACED + TRACED_WARM_UP, CYCLES):
            _one_test(ssm, cycle)
        gc.collect()
        last, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert last - first < MEMORY_BOUND, f"memory grew by {last - first} bytes"
    assert _live(Store, RegionState, Window, MaintenanceWindows) <= baseline
    assert mock._stack == []
    assert len(botocore.handlers.BUILTIN_HANDLERS) == builtin
    assert _handler_count(ssm, "before-call.ssm.CreateMaintenanceWindow") == before_call
    assert _handler_count(ssm, "after-call.ssm.CreateMaintenanceWindow") == after_call
    _assert_inert(ssm)


class _Sent(Exception):
    """Raised by the before-send observer: the call left the library for botocore."""


def _assert_inert(ssm: Any) -> None:
    """No mock is active: a call goes on to botocore's sending step (stopped there)."""

    def observe(request: Any, **_: Any) -> AWSResponse:
        raise _Sent(request.url)

    ssm.meta.events.register_first("before-send.ssm", observe)
    try:
        with pytest.raises(_Sent, match=r"^https://ssm\.us-east-1\.amazonaws\.com/$"):
            ssm.describe_maintenance_windows()
    finally:
        ssm.meta.events.unregister("before-send.ssm", observe)


def _fails_inside(mock_: MaintenanceWindows) -> Callable[[], None]:
    @mock_
    def test_body() -> None:
        ssm = boto3.client("ssm", region_name="us-east-1")
        ssm.create_maintenance_window(
            Name="left-behind", Schedule="rate(1 hour)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=True,
        )
        mock_.add_instance("i-0123456789abcdef0")
        raise AssertionError("the test failed")

    return test_body


def _assert_clean(ssm: Any) -> None:
    assert mock._stack == []
    _assert_inert(ssm)
    with mock_maintenance_windows(start=START) as fresh:
        assert ssm.describe_maintenance_windows()["WindowIdentities"] == []
        assert fresh.events == []


def test_a_finished_mock_is_freed_without_the_garbage_collector() -> None:
    """A mock's state holds no reference cycle, so it is freed the moment its handle is
    dropped, not at some later collection (where a suite's mocks would pile up, and every
    collection would have them to walk). With the collector off, nothing is left."""
    ssm = boto3.client("ssm", region_name="us-east-1")
    _one_test(ssm, 1)  # caches filled
    gc.collect()
    kinds = (MaintenanceWindows, World, Engine, Store, Window)
    baseline = _live(*kinds)
    gc.disable()
    try:
        for cycle in range(2, 6):  # windows, targets, tasks, handlers, a run, a command
            _one_test(ssm, cycle)
        with mock_maintenance_windows(start=START) as mw:
            seen: list[dict[str, Any]] = []
            mw.on_event({"source": ["aws.ssm"]}, seen.append)
            ssm.create_maintenance_window(
                Name="freed", Schedule="rate(1 hour)", Duration=2, Cutoff=1,
                AllowUnassociatedTargets=True,
            )
            mw.advance(timedelta(hours=2))
            assert seen  # the event handler ran
            assert mw.timeline()
            assert mw.calls
            assert mw.events
        del mw
        assert _live(*kinds) == baseline
    finally:
        gc.enable()


def test_decorated_function_that_raises_leaves_nothing() -> None:
    ssm = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="a",
                       aws_secret_access_key="b")
    decorated = mock_maintenance_windows(start=START)
    with pytest.raises(AssertionError, match="the test failed"):
        _fails_inside(decorated)()
    assert not decorated.active
    _assert_clean(ssm)
    with decorated:  # the same mock, entered again, starts from nothing too
        assert ssm.describe_maintenance_windows()["WindowIdentities"] == []


async def _elsewhere() -> None:
    return None


def test_decorated_coroutine_that_raises_leaves_nothing() -> None:
    ssm = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="a",
                       aws_secret_access_key="b")
    decorated = mock_maintenance_windows(start=START)

    @decorated
    async def test_body() -> None:
        ssm.create_maintenance_window(
            Name="left-behind", Schedule="rate(1 hour)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=True,
        )
        await asyncio.create_task(_elsewhere())  # the event loop runs other work meanwhile
        raise AssertionError("the async test failed")

    with pytest.raises(AssertionError, match="async test failed"):
        asyncio.run(test_body())
    assert not decorated.active
    _assert_clean(ssm)


@pytest.mark.parametrize("where", ["setUp", "test"])
def test_decorated_test_case_that_raises_leaves_nothing(where: str) -> None:
    ssm = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="a",
                       aws_secret_access_key="b")
    decorated = mock_maintenance_windows(start=START)

    @decorated
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            ssm.create_maintenance_window(
                Name="left-behind", Schedule="rate(1 hour)", Duration=2, Cutoff=1,
                AllowUnassociatedTargets=True,
            )
            if where == "setUp":
                raise RuntimeError("setUp failed")

        def test_it(self) -> None:
            raise AssertionError("test failed")

    with open("/dev/null", "w") as sink:
        result = unittest.TextTestRunner(stream=sink).run(
            unittest.defaultTestLoader.loadTestsFromTestCase(Case)
        )
    assert len(result.errors) + len(result.failures) == 1
    assert not decorated.active
    _assert_clean(ssm)


def test_inner_mock_that_raises_leaves_the_outer_one_intact() -> None:
    ssm = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="a",
                       aws_secret_access_key="b")
    with mock_maintenance_windows(start=START) as outer:
        ssm.create_maintenance_window(
            Name="outer", Schedule="rate(1 hour)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=True,
        )
        inner = mock_maintenance_windows(start="2030-01-01T00:00:00Z")
        with pytest.raises(AssertionError, match="the test failed"):
            _fails_inside(inner)()
        assert not inner.active
        assert outer.active
        names = [w["Name"] for w in ssm.describe_maintenance_windows()["WindowIdentities"]]
        assert names == ["outer"]
        outer.advance(timedelta(hours=1))
        assert outer.now.year == 2026
    _assert_clean(ssm)
