"""``mock_maintenance_windows``: the context manager, decorator and handle in one object.

Modelled on time-machine's ``travel``: one object is entered (``with``), applied
(``@decorator``) or yielded by the pytest fixture. Every activation starts from nothing
(a fresh store, clock, fleet, handlers and event list) and leaving it drops all of that,
also when the body raised, so no test can see another's windows.

Active mocks form a process-wide stack: the innermost answers, and an outer one is
untouched while an inner one runs. The stack is deliberately not thread-local, because a
test's worker threads must be intercepted too.
"""

from __future__ import annotations

import functools
import inspect
import random
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from types import MethodType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from . import hook, intercept, waiting
from .clock import parse_instant
from .outcomes import Handler
from .transcript import Transcript
from .waiting import DEFAULT_MAX_WAIT
from .world import World

if TYPE_CHECKING:
    from unittest import TestCase

    from typing_extensions import Unpack

    from .calls import Call
    from .hook import Responder
    from .model.events import EventLog
    from .model.nodes import NodeDetails
    from .model.patching import Patch
    from .reacting import EventHandler
    from .timeline import Timeline

__all__ = ["DEFAULT_ACCOUNT", "MaintenanceWindows", "mock_maintenance_windows"]

#: The account every call is answered for unless ``account_id=`` says otherwise.
DEFAULT_ACCOUNT = "123456789012"

F = TypeVar("F", bound=Callable[..., Any])

_stack: list[World] = []
_stack_lock = threading.Lock()


def _active() -> World | None:
    stack = _stack
    return stack[-1] if stack else None


hook.set_active_lookup(_active)
hook.install()
waiting.set_active_lookup(_active)

_ACCOUNT = re.compile(r"^\d{12}$")


def recorded(method: F) -> F:
    """Mark a handle method that changes the mock's state: while a decorated TestCase's
    ``setUpClass`` runs, each call goes into the class's transcript (:mod:`.transcript`),
    which rebuilds that state for every test."""

    @functools.wraps(method)
    def wrapper(self: MaintenanceWindows, *args: Any, **kwargs: Any) -> Any:
        scope = self._class_scope
        transcript = scope.recording if scope is not None else None
        if transcript is None:
            return method(self, *args, **kwargs)
        lock = self._require().store.lock
        return transcript.call(MethodType(method, self), args, kwargs, lock)

    return cast(F, wrapper)


class MaintenanceWindows:
    """The mock and its handle: ``with``, ``@decorator``, or the pytest fixture's value.

    A test in six lines (``tests/test_examples.py`` runs this example)::

        >>> import boto3, datetime
        >>> from ssm_mw_stub import mock_maintenance_windows
        >>> with mock_maintenance_windows(start="2026-11-24T00:00:00Z") as mw:
        ...     ssm = boto3.client("ssm", region_name="us-east-1")  # no credentials needed
        ...     window = ssm.create_maintenance_window(Name="nightly", Schedule="cron(0 2 * * ? *)",
        ...         Duration=2, Cutoff=1, AllowUnassociatedTargets=True)["WindowId"]
        ...     mw.advance(datetime.timedelta(days=7))  # every 02:00 UTC start happens, in order
        ...     len(ssm.describe_maintenance_window_executions(WindowId=window)["WindowExecutions"])
        7

    Outside an activation the handle refuses to act (there is no clock to move and no
    fleet to add to); ``now`` and ``events`` still show what the last activation ended with.
    """

    def __init__(
        self,
        start: datetime | str | None = None,
        *,
        seed: int | str | None = 0,
        account_id: str = DEFAULT_ACCOUNT,
        passthrough: bool | Iterable[str] = False,
        patch_time: bool = False,
        max_wait: timedelta | None = DEFAULT_MAX_WAIT,
    ) -> None:
        self._start = None if start is None else parse_instant(start)
        if seed is not None and not isinstance(seed, (int, str)):
            raise TypeError(f"seed must be an int, a str or None; got {seed!r}")
        if not isinstance(account_id, str) or not _ACCOUNT.match(account_id):
            raise ValueError(f"account_id must be 12 digits; got {account_id!r}")
        if isinstance(passthrough, str):
            raise TypeError("passthrough takes True/False or a collection of operation names")
        self._passthrough: bool | frozenset[str] = (
            passthrough if isinstance(passthrough, bool) else frozenset(passthrough)
        )
        if not isinstance(patch_time, bool):
            raise TypeError(f"patch_time takes True or False; got {patch_time!r}")
        if patch_time:
            from .apptime import require_time_machine

            require_time_machine()  # fail where the mock is made, naming the extra
        self._patch_time = patch_time
        self._max_wait = waiting.checked_max_wait(max_wait)
        self._seed = seed
        self._account_id = account_id
        self._world: World | None = None
        #: The last activation's world, for what the handle shows after it ended.
        self._last_world: World | None = None
        self._last_events: EventLog | None = None
        self._last_now: datetime | None = None
        #: While this mock decorates a running TestCase class: that class's state.
        self._class_scope: _ClassScope | None = None

    # --- activation ---------------------------------------------------------------------

    def start(self) -> MaintenanceWindows:
        """Activate with a fresh state; ``with`` and the decorators call this for you."""
        return self._activate(self._seed)

    def _activate(self, seed: int | str | None) -> MaintenanceWindows:
        with _stack_lock:
            if self._world is not None:
                raise RuntimeError(
                    "this mock_maintenance_windows() is already active; make a second one "
                    "to nest mocks"
                )
            world = self._new_world(self._start, seed)
            world.open()
            self._world = world
            _stack.append(world)
            if len(_stack) == 1:
                intercept.activate()
                waiting.activate()
        return self

    def stop(self) -> None:
        """Deactivate and drop every window, instance, handler and event of the activation."""
        with _stack_lock:
            world = self._world
            if world is None:
                return
            _stack.remove(world)
            world.close()
            if not _stack:
                intercept.deactivate()
                waiting.deactivate()
            self._world = None
            self._last_world = world
            self._last_events = world.events
            self._last_now = world.clock.now

    def _new_world(self, start: datetime | None, seed: int | str | None) -> World:
        return World(
            start=start,
            seed=seed,
            account_id=self._account_id,
            passthrough=self._passthrough,
            patch_time=self._patch_time,
            max_wait=self._max_wait,
            advance_to=self.advance_to,
        )

    def _replace_world(self, world: World) -> None:
        """Put ``world`` in the place of the active one (on the stack too)."""
        with _stack_lock:
            old = self._require()
            old.close()
            world.open()
            world.foreign_threads = old.foreign_threads  # setUpClass's threads stay ours
            _stack[_stack.index(old)] = world
            self._world = world

    def __enter__(self) -> MaintenanceWindows:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __call__(self, target: F) -> F:
        """Decorate a function, a coroutine function or a ``unittest.TestCase`` class."""
        if isinstance(target, type):
            # unittest is only looked at, never imported: a TestCase class exists only if
            # the caller imported it, and importing it here costs start-up time.
            unittest = sys.modules.get("unittest")
            if unittest is not None and issubclass(target, unittest.TestCase):
                return cast(F, self._decorate_test_case(target))
            raise TypeError(
                "mock_maintenance_windows() can decorate functions, coroutine functions and "
                f"unittest.TestCase classes, not the class {target.__name__}"
            )
        if not callable(target):
            raise TypeError(f"cannot decorate {target!r}: it is not callable")
        if inspect.iscoroutinefunction(target):

            @functools.wraps(target)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await target(*args, **kwargs)

            return cast(F, run_async)

        @functools.wraps(target)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return target(*args, **kwargs)

        return cast(F, run)

    def _decorate_test_case(self, cls: type[TestCase]) -> type[TestCase]:
        """The mock covers the whole class; each test starts from what setUpClass left."""
        from .testcase import decorate_test_case

        return decorate_test_case(cls, _ClassScope(self))

    # --- the handle ---------------------------------------------------------------------

    def _require(self) -> World:
        world = self._world
        if world is None:
            raise RuntimeError(
                "the maintenance-window mock is not active: use it inside its `with` block, "
                "a decorated test, or the maintenance_windows fixture"
            )
        return world

    def responder(self) -> Responder:
        """What answers this mock's API calls (service, account, request ids, call log), for
        the botocore hook and server mode's HTTP front alike: hence their equal answers."""
        return self._require()

    @property
    def active(self) -> bool:
        """Whether this mock is currently active."""
        return self._world is not None

    @property
    def now(self) -> datetime:
        """The simulated current instant (aware, UTC)."""
        if self._world is None:
            if self._last_now is None:
                raise RuntimeError("the mock has not been started yet, so it has no clock")
            return self._last_now
        return self._world.clock.now

    @recorded
    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``; every window start in between happens."""
        world = self._require()
        with world.store.lock:
            waiting.refuse_inside_handler(world, "advance()")
            world.engine.run_until(world.clock.target(delta))

    @recorded
    def advance_to(self, when: datetime | str) -> None:
        """Move the clock forward to ``when`` (aware datetime or ISO 8601 string)."""
        world = self._require()
        with world.store.lock:
            waiting.refuse_inside_handler(world, "advance_to()")
            world.engine.run_until(parse_instant(when, what="advance_to()"))

    @recorded
    def add_instance(
        self,
        instance_id: str,
        tags: Mapping[str, str] | None = None,
        region: str | None = None,
        *,
        online: bool = True,
        **details: Unpack[NodeDetails],
    ) -> None:
        """Add a managed node to the fake fleet that tag targets resolve against (README).

        ``region`` None: every Region. A node not ``online`` matches targets but receives no
        command. ``details``: platform, computer name, ... (``model/nodes.py``).
        """
        world = self._require()
        with world.store.lock:
            world.fleet.add(instance_id, tags, region, online, world.clock.now, **details)

    @recorded
    def remove_instance(self, instance_id: str) -> None:
        """Remove a managed node from the fake fleet (KeyError if it is not there)."""
        world = self._require()
        with world.store.lock:
            world.fleet.remove(instance_id)

    @recorded
    def set_patches(self, instance_id: str, patches: Iterable[Patch | Mapping[str, Any]]) -> None:
        """What node ``instance_id`` (moto's instances too) has and lacks (docs/patching.md)."""
        world = self._require()
        with world.store.lock:
            world.fleet.set_patches(instance_id, patches)

    @recorded
    def add_resource_group(
        self,
        name: str,
        resources: Iterable[str | tuple[str, str]],
        region: str | None = None,
    ) -> None:
        """Declare (or replace) a resource group for ``resource-groups:Name`` targets:
        ``resources`` are instance ids, ARNs or ``(arn, resource_type)`` pairs, read when a
        task runs; ``region`` None: every Region."""
        world = self._require()
        with world.store.lock:
            world.fleet.add_group(name, resources, region=region)

    @recorded
    def on_task(self, task: str, handler: Handler) -> None:
        """Decide the outcome of a task's invocations.

        ``task`` is a task ARN (exact match wins) or a task type such as ``RUN_COMMAND``.
        Run Command nodes, of a window's commands and of ``send_command`` alike, are looked
        up by document name, then by ``RUN_COMMAND`` (docs/run-command.md).
        """
        world = self._require()
        if not isinstance(task, str) or not task:
            raise TypeError(f"on_task() needs a task ARN or task type string; got {task!r}")
        if not callable(handler):
            raise TypeError(
                f"on_task() needs a callable handler taking an Invocation and returning a "
                f"TaskOutcome; got {handler!r}"
            )
        with world.store.lock:
            world.handlers[task] = handler

    @recorded
    def on_event(self, pattern: Mapping[str, Any] | str, handler: EventHandler) -> None:
        """Call ``handler(event)`` with every later event the mock emits that matches the
        EventBridge event ``pattern`` (a dict or its JSON text), at the event's simulated
        instant, in order; it may call boto3 but not move the clock, and if it raises,
        ``advance()`` (or the call that emitted the event) raises EventHandlerError
        (:mod:`ssm_mw_stub.reacting`)."""
        world = self._require()
        with world.store.lock:
            world.reactor.subscribe(pattern, handler)

    @recorded
    def clear_events(self) -> None:
        """Forget the events recorded so far (the log keeps 30 simulated days anyway)."""
        world = self._require()
        with world.store.lock:
            world.events.clear()

    def timeline(self) -> Timeline:
        """What ran so far, as a text Gantt chart (``print(mw.timeline())``) or an HTML page
        (``.save("timeline.html")``); a snapshot. After the mock ended, the last activation's."""
        from .timeline import Timeline

        world = self._world or self._last_world
        if world is None:
            raise RuntimeError("the mock has not been started yet, so it has no history")
        return Timeline.of(world.store, started=world.started, now=world.clock.now)

    @property
    def calls(self) -> list[Call]:
        """Every API call the mock answered, oldest first: ``operation``, ``parameters``,
        ``response`` or ``error_code``, and the simulated ``time`` (a new list of views;
        each decodes on read). After the mock ended, the last activation's calls."""
        from .calls import Call

        world = self._world or self._last_world
        if world is None:
            return []
        account = world.account_id
        return [Call(record, account) for record in list(world.calls)]

    def clear_calls(self) -> None:
        """Forget the calls recorded so far; later ones are recorded as before."""
        self._require().calls.clear()

    @property
    def events(self) -> list[dict[str, Any]]:
        """The EventBridge events the service emitted so far, oldest first (a copy)."""
        world = self._world
        if world is None:
            return [] if self._last_events is None else self._last_events.snapshot()
        with world.store.lock:
            return world.events.snapshot()


class _ClassScope:
    """A decorated TestCase class's use of its mock (:class:`.testcase.ClassScope`).

    Holds the class-level state: the start instant and the seed, pinned when ``setUpClass``
    begins (a ``None`` of either would give each rebuilt state another clock or other
    ids), and the transcript of what ``setUpClass`` did, replayed into a fresh world for
    every test.
    """

    def __init__(self, mock: MaintenanceWindows) -> None:
        self._mock = mock
        #: While ``setUpClass`` runs: where what reaches the state is written.
        self.recording: Transcript | None = None
        #: After it: the transcript each test's state is rebuilt from.
        self._transcript: Transcript | None = None
        self._start: datetime | None = None
        self._seed: int | str | None = None

    def open(self) -> None:
        mock = self._mock
        seed = self._seed = mock._seed if mock._seed is not None else random.getrandbits(64)
        mock._activate(seed)
        world = mock._require()
        mock._class_scope = self
        self._start = world.clock.now
        transcript = self.recording = Transcript()
        world.service.handle = transcript.recording_handle(  # type: ignore[method-assign]
            world.service.handle, world.store.lock
        )

    def seal(self) -> None:
        self._transcript, self.recording = self.recording, None

    def refresh(self) -> bool:
        mock, transcript = self._mock, self._transcript
        if transcript is None or not mock.active:
            return False
        world = mock._new_world(self._start, self._seed)
        mock._replace_world(world)
        world.reactor.forward = False  # moto's world already has setUpClass's events
        try:
            transcript.replay(
                world.answer, lambda name: getattr(mock, name), world.handlers, world.reactor
            )
        finally:
            world.reactor.forward = True
        return True

    def close(self) -> None:
        self.recording = self._transcript = None
        if self._mock._class_scope is self:
            self._mock._class_scope = None
        self._mock.stop()

    def start(self) -> None:
        self._mock.start()

    def stop(self) -> None:
        self._mock.stop()


def mock_maintenance_windows(
    start: datetime | str | None = None,
    *,
    seed: int | str | None = 0,
    account_id: str = DEFAULT_ACCOUNT,
    passthrough: bool | Iterable[str] = False,
    patch_time: bool = False,
    max_wait: timedelta | None = DEFAULT_MAX_WAIT,
) -> MaintenanceWindows:
    """Stub SSM maintenance windows for boto3, with a fake clock starting at ``start``.

    ``start``: aware datetime or ISO 8601 string; default the real current time, whole
    minute. ``seed``: seeds the id generator, so a test gets the same ids on every run.
    ``account_id``: the account the calls act in. ``passthrough``: SSM operations that are
    not maintenance-window operations are stopped with an error unless moto's ``mock_aws``
    is active; True (or a set of operation names) lets them continue through botocore.
    ``patch_time``: the code under test reads the fake clock (``datetime.now()``,
    ``date.today()``, ``time.time()``, ...), through time-machine (the ``time`` extra), and
    its ``time.sleep``/``asyncio.sleep`` advance the fake clock instead of sleeping.
    ``max_wait``: the most simulated time code under test may wait at a stretch (botocore
    waiters, patched sleeps) before :class:`~ssm_mw_stub.errors.WaitLimitError` stops it;
    None for no bound.
    """
    return MaintenanceWindows(
        start, seed=seed, account_id=account_id, passthrough=passthrough,
        patch_time=patch_time, max_wait=max_wait,
    )
