"""``patch_time=True``: ``time.sleep`` and ``asyncio.sleep`` wait on the fake clock.

``time.sleep(s)`` in the code under test advances the simulation by ``s`` instead of
sleeping (through :func:`.waiting.wait`: everything due in between happens, a handler may not
sleep, and ``max_wait`` bounds a run of sleeps), so a hand-written polling loop ends as soon
as what it polls for happens in simulated time.

``asyncio.sleep(s)`` does too, without blocking or bypassing the event loop: each sleeping
task awaits a future, and a driver on that loop (a ``call_soon`` callback) resolves it once
the simulation has reached the task's wake-up instant. Before it moves the clock, the driver
lets the loop's other ready tasks run up to their own sleeps (it waits until a couple of
rounds of the loop pass with no task going to sleep), then advances to the earliest wake-up
and wakes every task due by then, in order. So tasks sleeping side by side (an
``asyncio.gather`` of two polling loops) share simulated time as they would share real time,
and wake in the order of their instants; the loop's own timers (``call_later``,
``wait_for`` timeouts) keep real time, untouched. The alternative, advancing the clock
inside each ``asyncio.sleep`` call, would add up the sleeps of concurrent tasks.

A sleep of zero (or less) only yields, as it does for real (``asyncio.sleep(0)`` is the
idiom for yielding to the loop). Sleeps in threads that were already running when the mock
was entered, other than the one that entered it (pytest's, a library's background threads),
stay real, so no background thread can move the test's clock. The functions are replaced as
attributes of the ``time`` and ``asyncio`` modules: a ``from time import sleep`` made before
the mock keeps the real one. This module (and asyncio) is imported only by a mock that asks
for ``patch_time``.
"""

from __future__ import annotations

import asyncio
import heapq
import math
import numbers
import threading
import time
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from .waiting import Waiting, active, wait

__all__ = ["foreign_threads", "patch", "unpatch"]


_patched = 0
_real_sleep: Callable[[Any], None] = time.sleep
_real_asyncio_sleep: Any = None


def foreign_threads() -> weakref.WeakSet[threading.Thread]:
    """The threads whose sleeps stay real in a mock entered now: every running thread but
    this one."""
    current = threading.current_thread()
    return weakref.WeakSet(thread for thread in threading.enumerate() if thread is not current)


def patch() -> None:
    """A mock with ``patch_time`` was entered: sleeps go to the fake clock (counted)."""
    global _patched, _real_sleep, _real_asyncio_sleep
    _patched += 1
    if _patched == 1:
        _real_sleep, time.sleep = time.sleep, _fake_sleep
        _real_asyncio_sleep, asyncio.sleep = asyncio.sleep, _fake_asyncio_sleep


def unpatch() -> None:
    """A mock with ``patch_time`` was left; the last one puts the real sleeps back."""
    global _patched
    _patched -= 1
    if _patched == 0:
        if time.sleep is _fake_sleep:
            time.sleep = _real_sleep
        if asyncio.sleep is _fake_asyncio_sleep:
            asyncio.sleep = _real_asyncio_sleep


def _sleeping_world(seconds: object) -> Waiting | None:
    """The mock a sleep of ``seconds`` waits in, or None for a real sleep (no mock with
    patch_time is the active one, a thread from before the mock, nothing to wait)."""
    world = active()
    if world is None or world.foreign_threads is None:
        return None
    if threading.current_thread() in world.foreign_threads:
        return None
    if not isinstance(seconds, numbers.Real) or not float(seconds) > 0 or math.isinf(seconds):
        return None  # zero yields; negative, NaN, infinite or no number: the real error
    return world


def _fake_sleep(seconds: Any) -> None:
    world = _sleeping_world(seconds)
    if world is None:
        return _real_sleep(seconds)
    wait(world, timedelta(seconds=float(seconds)), f"time.sleep({seconds!r})")
    return None


async def _fake_asyncio_sleep(delay: Any, result: Any = None) -> Any:
    world = _sleeping_world(delay)
    if world is None:
        return await _real_asyncio_sleep(delay, result)
    loop = asyncio.get_running_loop()
    sleepers = _sleepers.get(loop)
    if sleepers is None:
        sleepers = _sleepers[loop] = _LoopSleepers(loop)
    future = loop.create_future()
    with world.store.lock:
        target = world.clock.now + timedelta(seconds=float(delay))
    sleepers.add(target, world, future, f"asyncio.sleep({delay!r})")
    await future
    return result


#: Rounds of the event loop a driver lets pass, once no task has gone to sleep, before it
#: moves the clock: the tasks it woke run up to their next sleep first.
_SETTLE = 2


class _LoopSleepers:
    """The tasks of one event loop sleeping on the fake clock, earliest wake-up first."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._heap: list[tuple[datetime, int, Waiting, asyncio.Future[None], str]] = []
        self._count = 0
        self._scheduled = False
        self._added = False
        self._quiet = 0

    def add(
        self, target: datetime, world: Waiting, future: asyncio.Future[None], what: str
    ) -> None:
        self._count += 1
        heapq.heappush(self._heap, (target, self._count, world, future, what))
        self._added = True
        self._schedule()

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._drive)

    def _drive(self) -> None:
        self._scheduled = False
        heap = self._heap
        while heap and heap[0][3].done():  # cancelled while asleep
            heapq.heappop(heap)
        if not heap:
            return
        if self._added or self._quiet < _SETTLE:
            self._quiet = 0 if self._added else self._quiet + 1
            self._added = False
            self._schedule()
            return
        self._quiet = 0
        target, _, world, future, what = heap[0]
        try:
            now = world.clock.now
            if target > now:
                wait(world, target - now, what)
        except Exception as exc:
            heapq.heappop(heap)
            future.set_exception(exc)
        now = world.clock.now
        while heap and heap[0][0] <= now:
            woken = heapq.heappop(heap)[3]
            if not woken.done():
                woken.set_result(None)
        if heap:
            self._schedule()


_sleepers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopSleepers] = (
    weakref.WeakKeyDictionary()
)
