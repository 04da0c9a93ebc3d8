"""One activation's world: the clock, store, fleet, handlers, events, engine and service.

A :class:`World` is made when a mock is entered and dropped whole when it is left, which is
what keeps tests from seeing each other's windows. It also answers what the botocore hook
asks of the active mock (:class:`ssm_mw_stub.hook.Responder`).
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from . import wire
from .answered import ANSWERED
from .clock import FakeClock
from .outcomes import Handler
from .waiting import DEFAULT_MAX_WAIT, WaitBudget

if TYPE_CHECKING:
    import threading

    from botocore.model import OperationModel

    from .apptime import FollowedClock

__all__ = ["World"]


class World:
    """Everything one activation owns; dropped whole when the activation ends."""

    def __init__(
        self,
        *,
        start: datetime | None,
        seed: int | str | None,
        account_id: str,
        passthrough: bool | frozenset[str],
        patch_time: bool = False,
        max_wait: timedelta | None = DEFAULT_MAX_WAIT,
        advance_to: Callable[[datetime], None] | None = None,
    ) -> None:
        # The service and the engine are loaded by the first activation rather than when
        # the package is imported (which the pytest plugin does for every test run).
        from .engine import Engine
        from .model import IdGenerator, Store
        from .model.events import EventLog
        from .model.fleet import Fleet
        from .reacting import Reactor
        from .service import Service

        self.account_id = account_id
        self._passthrough = passthrough
        #: The clock the process's wall clock follows (patch_time), else None.
        self.app_clock: FollowedClock | None = None
        if patch_time:
            from .apptime import FollowedClock

            self.app_clock = FollowedClock(start)
        self.clock: FakeClock = self.app_clock or FakeClock(start)
        #: The first simulated instant (where timelines start).
        self.started = self.clock.now
        #: Every answered call, as references (``record_call``); decoded by ``mw.calls``.
        self.calls: list[wire.CallRecord] = []
        self.ids = IdGenerator(seed)
        # Request ids do not come from ``ids``, so that read calls do not shift the ids of
        # the resources a test creates: one seeded UUID per activation, whose last twelve
        # hex digits count the calls (every call has a request id; formatting a fresh
        # random UUID for each cost a measurable share of a call).
        self._request_stem = IdGenerator(f"{seed}:aux").uuid()[:24]
        self._requests = itertools.count(1)  # next() on it is atomic: threads get their own
        self.store = Store()
        self.events = EventLog(seed)
        self.fleet = Fleet(account_id)
        self.handlers: dict[str, Handler] = {}
        #: The handlers of ``mw.on_event`` and the delivery of events to them (and to moto).
        self.reactor = Reactor(self.events)
        #: The ``max_wait`` guard of code that waits (waiting.py).
        self.waits = WaitBudget(max_wait)
        #: Threads whose sleeps stay real under patch_time (set when the world opens).
        self.foreign_threads: weakref.WeakSet[threading.Thread] | None = None
        # Every emitter (an operation, the engine) already holds the store's lock, so the
        # log's own record method is the event sink, with nothing in between; the engine
        # has the reactor deliver what each happening emitted before the next one.
        self.engine = Engine(
            clock=self.clock,
            store=self.store,
            fleet=self.fleet,
            handlers=self.handlers,
            ids=self.ids,
            sink=self.events.record,
            settler=self.reactor,
        )
        # The handle's ``advance_to``, held weakly: the handle holds this world, and a strong
        # reference back would make the two a reference cycle, which only the garbage
        # collector frees. Without cycles a world is freed the moment its handle is dropped,
        # not at the next collection (a suite's worlds would pile up between collections,
        # and each collection would have them all to walk).
        self._handle_advance = weakref.WeakMethod(advance_to) if advance_to else None
        # The service reads and writes the store and reads the fleet; what it asks of
        # running work (Cancel) goes to the engine, which it is given here, at construction.
        # Its clock reads the clock object, not this world (no cycle either).
        clock = self.clock
        self.service = Service(
            store=self.store, clock=lambda: clock.now, ids=self.ids,
            sink=self.events.record, simulation=self.engine, fleet=self.fleet,
        )

    def advance_to(self, when: datetime) -> None:
        """How waiting code moves the clock: through the handle's ``advance_to`` (so that a
        wait in setUpClass is in its transcript like an advance), else the engine itself."""
        handle_advance = self._handle_advance() if self._handle_advance else None
        (handle_advance or self.engine.run_until)(when)

    # --- what the hook needs (hook.Responder) ---

    def answers(self, operation_name: str) -> bool:
        return operation_name in ANSWERED

    def passes_through(self, operation_name: str) -> bool:
        if isinstance(self._passthrough, bool):
            return self._passthrough
        return operation_name in self._passthrough

    def http_date(self) -> str:
        return wire.http_date(self.clock.now)

    def request_id(self) -> str:
        return f"{self._request_stem}{next(self._requests):012x}"

    def record_call(
        self, model: OperationModel, body: bytes, region: str, status: int, raw: bytes
    ) -> None:
        # On the per-call path: references only, nothing decoded (see calls.py).
        self.calls.append(wire.CallRecord(model, body, region, status, raw, self.clock.now))
        if self.events.recorded != self.reactor.seen:
            self.react()

    # --- events and handlers ---

    def react(self) -> None:
        """Deliver the events a call of the code under test emitted (reacting.py), now
        that the call is done; a call made by a handler leaves them to whoever called the
        handler, which delivers them when the handler returns."""
        with self.store.lock:
            if self.engine.running_handler() is None:
                self.reactor.settle()

    def answer(self, operation_name: str, body: bytes | str, **kwargs: Any) -> tuple[int, bytes]:
        """What the hook does with a call, minus botocore: the service's answer, then the
        events it emitted delivered (used to replay a transcript)."""
        result = self.service.handle(operation_name, body, **kwargs)
        self.react()
        return result

    def running_handler(self) -> str | None:
        """The handler running now (a task outcome handler, innermost, or an event
        handler), described for an error message; None if none. Under the store's lock."""
        return self.engine.running_handler() or self.reactor.running_handler()

    # --- the app's clock and sleeps (patch_time) ---

    def open(self) -> None:
        """Start what lives as long as the activation: the app's clock and sleeps, if asked
        for."""
        if self.app_clock is not None:
            from . import sleeps

            self.app_clock.switch_on()
            self.foreign_threads = sleeps.foreign_threads()
            sleeps.patch()

    def close(self) -> None:
        if self.app_clock is not None:
            from . import sleeps

            self.app_clock.switch_off()
            sleeps.unpatch()
