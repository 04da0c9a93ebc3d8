"""Code that waits, on the fake clock: botocore waiters, and sleeps under ``patch_time``.

The fake clock moves only when something moves it, so code under test that waits in real
time for the simulation (``ssm.get_waiter("command_executed").wait(...)``, or a loop that
polls ``get_command_invocation`` with ``time.sleep``) would hang for real seconds and then
fail. Inside an active mock it waits in simulated time instead: every delay advances the
simulation by that delay (everything due in between happens, as in ``mw.advance``), so the
wait ends as soon as the awaited state is reached in simulated time, with no real sleeping.

**Waiters.** botocore's ``Waiter.wait`` (and aiobotocore's ``AIOWaiter.wait``, which its
waiters of every version call through the class attribute) is wrapped while a mock is
active, like ``BaseClient._make_api_call`` in :mod:`.intercept`. For a waiter whose client
is an SSM client and whose operation the mock answers (``CommandExecuted`` polls
GetCommandInvocation), the wrapper runs botocore's own loop (acceptors, MaxAttempts,
``WaiterError`` and its messages) over a copy of the waiter whose operation first advances
the simulation by the waiter's delay, before every attempt but the first, and whose own
delay is zero. A waiter of another service, or any waiter outside a mock, runs botocore's
code untouched. The AWS CLI v1's ``aws ssm wait command-executed`` uses botocore's waiter
in-process, so it waits the same way.

**Sleeps** (``patch_time=True`` only): ``time.sleep`` and ``asyncio.sleep`` wait through
:func:`wait` too; see :mod:`.sleeps`, loaded only by a mock that asks for ``patch_time``.

**Rules.** A handler (``on_task``, ``on_event``) may not move the clock: a wait inside one
raises ``RuntimeError`` naming it. And one wait may not run away: the simulated time that
waits consume one after another, without the test moving the clock itself in between (a
waiter's delays, a polling loop's sleeps), is bounded by ``max_wait`` (30 simulated days by
default); past it :class:`~ssm_mw_stub.errors.WaitLimitError` is raised.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import botocore.waiter

from .errors import WaitLimitError

if TYPE_CHECKING:
    import threading
    import weakref

    from .clock import FakeClock
    from .model.store import Store

__all__ = [
    "DEFAULT_MAX_WAIT",
    "WaitBudget",
    "Waiting",
    "activate",
    "active",
    "checked_max_wait",
    "deactivate",
    "refuse_inside_handler",
    "set_active_lookup",
    "wait",
]

#: The default bound on the simulated time waits may consume one after another.
DEFAULT_MAX_WAIT = timedelta(days=30)


class Waiting(Protocol):
    """What waiting code needs of the active mock (its :class:`~ssm_mw_stub.world.World`)."""

    store: Store
    clock: FakeClock
    #: The ``max_wait`` guard.
    waits: WaitBudget
    #: Threads whose sleeps stay real (patch_time only; None without it).
    foreign_threads: weakref.WeakSet[threading.Thread] | None

    def advance_to(self, when: datetime) -> None:
        """How waiting moves the clock (the handle's ``advance_to``)."""

    def answers(self, operation_name: str) -> bool: ...

    def running_handler(self) -> str | None: ...


def _nothing_active() -> Waiting | None:
    return None


_lookup: Callable[[], Waiting | None] = _nothing_active


def set_active_lookup(lookup: Callable[[], Waiting | None]) -> None:
    """Tell this module how to find the active mock (the mock module owns the stack)."""
    global _lookup
    _lookup = lookup


def active() -> Waiting | None:
    """The active mock's world (the innermost), or None."""
    return _lookup()


# --- the one way code under test moves the clock ---------------------------------------


def checked_max_wait(max_wait: object) -> timedelta | None:
    """``max_wait`` as ``mock_maintenance_windows`` takes it, or a TypeError."""
    if max_wait is not None and (
        not isinstance(max_wait, timedelta) or max_wait <= timedelta(0)
    ):
        raise TypeError(
            "max_wait takes a positive datetime.timedelta (the simulated time code under "
            f"test may wait at a stretch) or None for no bound; got {max_wait!r}"
        )
    return max_wait


class WaitBudget:
    """The ``max_wait`` guard: how much simulated time consecutive waits have consumed.

    Waits are consecutive while nothing else moved the clock between them: the run starts
    again whenever the clock stands somewhere else than where the last wait left it.
    """

    __slots__ = ("_end", "_start", "limit")

    def __init__(self, limit: timedelta | None) -> None:
        self.limit = limit
        self._start: datetime | None = None
        self._end: datetime | None = None

    def charge(self, now: datetime, delta: timedelta, what: str) -> None:
        """Refuse ``delta`` more of waiting from ``now`` if it would pass the limit."""
        if self._end is None or now != self._end:
            self._start = now
        start = self._start
        assert start is not None
        limit = self.limit
        if limit is not None and now + delta - start > limit:
            raise WaitLimitError(
                f"{what} would make the code under test wait longer than max_wait="
                f"{_span(limit)} of simulated time: it has been waiting since "
                f"{start.isoformat()} (the clock is now {now.isoformat()}, moved only by "
                f"waiting) and asks for {_span(delta)} more. Is it waiting for something "
                "that never happens? If the wait is meant to be this long, raise the bound: "
                "mock_maintenance_windows(max_wait=timedelta(...)), or max_wait=None for none."
            )

    def spent(self, now: datetime) -> None:
        """The wait left the clock at ``now``."""
        self._end = now


def _span(delta: timedelta) -> str:
    return str(delta) if delta < timedelta(days=1) else f"{delta} ({delta.total_seconds():g} s)"


def refuse_inside_handler(world: Waiting, what: str) -> None:
    """Raise if a handler is running (the caller holds the store's lock): it runs at one
    instant of the simulation, which must not move under it."""
    handler = world.running_handler()
    if handler is not None:
        raise RuntimeError(
            f"{what} cannot be called from inside {handler}: a handler runs at one instant "
            "of the simulation and may not move the clock (no advance(), waiter or patched "
            "sleep there); a task outcome handler returns a TaskOutcome with a duration "
            "instead, and an event handler leaves the waiting to the test."
        )


def wait(world: Waiting, delta: timedelta, what: str) -> None:
    """Advance ``world``'s simulation by ``delta`` on behalf of waiting code ``what``."""
    with world.store.lock:
        refuse_inside_handler(world, what)
        now = world.clock.now
        world.waits.charge(now, delta, what)
        try:
            world.advance_to(now + delta)
        finally:
            world.waits.spent(world.clock.now)


def _delta(seconds: Any) -> timedelta:
    """A waiter's delay as a timedelta; refused as ``time.sleep`` would refuse it."""
    if isinstance(seconds, (int, float)) and not seconds >= 0:
        raise ValueError("sleep length must be non-negative")
    return timedelta(seconds=seconds)


# --- waiters ---------------------------------------------------------------------------


def _waiter_world(waiter: Any) -> Waiting | None:
    """The active mock, if ``waiter`` polls an operation it answers on an SSM client."""
    world = _lookup()
    if world is None:
        return None
    operation = getattr(waiter, "_operation_method", None)
    client: Any = getattr(getattr(operation, "_client_method", None), "__self__", None)
    try:
        service = client.meta.service_model.service_id.hyphenize()
        answered = world.answers(waiter.config.operation)
    except AttributeError:
        return None
    return world if service == "ssm" and answered else None


class _Advancing:
    """A waiter's operation that first waits the waiter's delay, from the second call on."""

    def __init__(self, method: Any, world: Waiting, delay: Any, what: str) -> None:
        self._method = method
        self._world = world
        self._delay = delay
        self._what = what
        self._calls = 0

    def _advance(self) -> None:
        if self._calls:
            wait(self._world, _delta(self._delay), self._what)
        self._calls += 1

    def __call__(self, **kwargs: Any) -> Any:
        self._advance()
        return self._method(**kwargs)


class _AsyncAdvancing(_Advancing):
    async def __call__(self, **kwargs: Any) -> Any:
        self._advance()
        return await self._method(**kwargs)


def _on_fake_clock(
    waiter: Any, world: Waiting, kwargs: dict[str, Any], kind: type[_Advancing]
) -> Any:
    """A copy of ``waiter`` that waits on ``world``'s clock, and the kwargs to run it with."""
    config = dict(kwargs.pop("WaiterConfig", None) or {})
    delay = config.get("Delay", waiter.config.delay)
    config["Delay"] = 0
    kwargs["WaiterConfig"] = config
    clone = copy.copy(waiter)
    what = f"the {waiter.name} waiter"
    clone._operation_method = kind(waiter._operation_method, world, delay, what)
    return clone


def _wrap_sync(original: Callable[..., Any]) -> Callable[..., Any]:
    def wait(self: Any, **kwargs: Any) -> Any:
        world = _waiter_world(self)
        if world is None:
            return original(self, **kwargs)
        return original(_on_fake_clock(self, world, kwargs, _Advancing), **kwargs)

    return wait


def _wrap_async(original: Callable[..., Any]) -> Callable[..., Any]:
    async def wait(self: Any, **kwargs: Any) -> Any:
        world = _waiter_world(self)
        if world is None:
            return await original(self, **kwargs)
        return await original(_on_fake_clock(self, world, kwargs, _AsyncAdvancing), **kwargs)

    return wait


_MARK = "__ssm_mw_stub_waiter__"
#: class -> (the method we wrapped, our wrapper), for every waiter class wrapped now.
_wrapped: dict[type, tuple[Callable[..., Any], Callable[..., Any]]] = {}


def _waiter_classes() -> list[tuple[type, Callable[..., Any]]]:
    """botocore's waiter class, and aiobotocore's when the application loaded it."""
    classes: list[tuple[type, Callable[..., Any]]] = [(botocore.waiter.Waiter, _wrap_sync)]
    aio = getattr(sys.modules.get("aiobotocore.waiter"), "AIOWaiter", None)
    if isinstance(aio, type):
        classes.append((aio, _wrap_async))
    return classes


def activate() -> None:
    """Wrap the waiter classes' ``wait``; the first mock was entered."""
    for cls, wrap in _waiter_classes():
        current = cls.__dict__.get("wait")
        if cls in _wrapped or current is None or getattr(current, _MARK, False):
            continue
        wrapper = wrap(current)
        wrapper.__doc__, wrapper.__name__ = current.__doc__, "wait"
        setattr(wrapper, _MARK, True)
        _wrapped[cls] = (current, wrapper)
        setattr(cls, "wait", wrapper)  # noqa: B010 - a class attribute set on purpose


def deactivate() -> None:
    """Put the waiter classes' own ``wait`` back; the last mock was left."""
    for cls, (original, wrapper) in list(_wrapped.items()):
        if cls.__dict__.get("wait") is wrapper:
            setattr(cls, "wait", original)  # noqa: B010
            del _wrapped[cls]
