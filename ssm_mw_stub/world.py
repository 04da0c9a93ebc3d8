"""One activation's world: the clock, store, fleet, handlers, events, engine and service.

A :class:`World` is made when a mock is entered and dropped whole when it is left, which is
what keeps tests from seeing each other's windows. It also answers what the botocore hook
asks of the active mock (:class:`ssm_mw_stub.hook.Responder`).
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import TYPE_CHECKING

from . import hook
from .answered import ANSWERED
from .clock import FakeClock
from .engine.outcomes import Handler

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from .apptime import FollowedClock
    from .calls import CallRecord

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
    ) -> None:
        # The service and the engine are loaded by the first activation rather than when
        # the package is imported (which the pytest plugin does for every test run).
        from .engine import Engine
        from .model import IdGenerator, Store
        from .model.events import EventLog
        from .model.fleet import Fleet
        from .service import Service

        self.account_id = account_id
        self._passthrough = passthrough
        self._date_of: datetime | None = None
        self._date = ""
        #: The clock the process's wall clock follows (patch_time), else None.
        self.app_clock: FollowedClock | None = None
        if patch_time:
            from .apptime import FollowedClock

            self.app_clock = FollowedClock(start)
        self.clock: FakeClock = self.app_clock or FakeClock(start)
        #: The first simulated instant (where timelines start).
        self.started = self.clock.now
        #: Every answered call, as references (``record_call``); decoded by ``mw.calls``.
        self.calls: list[CallRecord] = []
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
        # Every emitter (an operation, the engine) already holds the store's lock, so the
        # log's own record method is the event sink, with nothing in between.
        self.engine = Engine(
            clock=self.clock,
            store=self.store,
            fleet=self.fleet,
            handlers=self.handlers,
            ids=self.ids,
            sink=self.events.record,
        )
        # The service reads and writes the store and reads the fleet; what it asks of
        # running work (Cancel) goes to the engine, which it is given here, at construction.
        self.service = Service(
            store=self.store, clock=lambda: self.clock.now, ids=self.ids,
            sink=self.events.record, simulation=self.engine, fleet=self.fleet,
        )

    # --- what the hook needs (hook.Responder) ---

    def answers(self, operation_name: str) -> bool:
        return operation_name in ANSWERED

    def passes_through(self, operation_name: str) -> bool:
        if isinstance(self._passthrough, bool):
            return self._passthrough
        return operation_name in self._passthrough

    def http_date(self) -> str:
        # The clock moves only when the test says so: format each instant once.
        now = self.clock.now
        if now is not self._date_of:
            self._date_of = now
            self._date = hook.http_date_of(now)
        return self._date

    def request_id(self) -> str:
        return f"{self._request_stem}{next(self._requests):012x}"

    def record_call(
        self, model: OperationModel, body: bytes, region: str, status: int, raw: bytes
    ) -> None:
        # On the per-call path: one tuple of references, nothing decoded (see calls.py).
        self.calls.append((model, body, region, status, raw, self.clock.now))

    # --- the app's clock (patch_time) ---

    def open(self) -> None:
        """Start what lives as long as the activation: the app's clock, if asked for."""
        if self.app_clock is not None:
            self.app_clock.switch_on()

    def close(self) -> None:
        if self.app_clock is not None:
            self.app_clock.switch_off()
