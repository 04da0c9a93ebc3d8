"""The discrete-event simulation that runs maintenance windows as the fake clock moves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ..clock import FakeClock
from ..service import IdGenerator, Service, Store
from .fleet import Fleet
from .outcomes import Handler, Invocation, TaskOutcome

__all__ = ["Engine", "Invocation", "TaskOutcome"]

Emit = Callable[[str, dict[str, Any], list[str], datetime, str, str], None]


class Engine:
    """Moves the fake clock; (placeholder until the simulation lands) nothing runs yet."""

    def __init__(
        self,
        *,
        clock: FakeClock,
        store: Store,
        service: Service,
        fleet: Fleet,
        handlers: Mapping[str, Handler],
        ids: IdGenerator,
        emit: Emit,
    ) -> None:
        self._clock = clock
        self._store = store

    def run_until(self, when: datetime) -> None:
        """Advance the clock to ``when``."""
        with self._store.lock:
            self._clock.set(when)
