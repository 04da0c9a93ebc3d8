"""``mw.on_event(pattern, handler)``: code that reacts to the events the mock emits.

Every event the mock emits (maintenance window, Run Command, Automation; the ones
``mw.events`` lists) is offered to each handler whose EventBridge pattern matches it, in
the order the events were emitted and, for one event, in the order the handlers were
registered. With moto's ``mock_aws`` active each event is also put on moto's default event
bus (:mod:`.moto_bus`), so the test's moto rules and their targets receive it.

When: at the event's simulated instant, with the records consistent. Events are recorded
while the store's lock is held, in the middle of an operation or of one of the engine's
happenings, where a handler calling boto3 could see (or change) a half-made state. So they
are not delivered where they are recorded but at the next point where the state is whole
and the clock still shows their instant:

- between two happenings of the simulation (``Engine.run_until`` calls :meth:`settle`), so
  during an ``advance()`` a handler sees every change of the happening that emitted the
  event, and nothing of the next one;
- right after the call that emitted it, when the code under test made the call
  (:meth:`after_call`); the call has returned its result to the service by then.

Re-entrancy: handlers run on the thread that emitted the event, with the store's lock held
(like task outcome handlers): other threads' calls wait until the handler returns. A
handler may call boto3; the events its calls emit are delivered after it returns, in order,
by the same loop (never to a handler while it runs). It may not move the clock
(``advance()``, a waiter, a patched sleep): each raises, naming it. A handler that raises
ends the delivery: :class:`~ssm_mw_stub.errors.EventHandlerError` is raised out of the
``advance()`` or the call that was delivering, and the events after that one are delivered
at the next such point, still at their instant.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import EventHandlerError
from .model.event_patterns import EventPattern
from .model.events import EventLog
from .moto_bus import bus_active, put_on_default_bus

__all__ = ["EventHandler", "Reactor"]

#: A handler of ``mw.on_event``: gets the event (an EventBridge envelope, its own copy).
EventHandler = Callable[[dict[str, Any]], object]


@dataclass
class _Subscription:
    pattern: EventPattern
    handler: EventHandler


class Reactor:
    """The event handlers of one mock, and how far through the event log they are."""

    def __init__(self, log: EventLog) -> None:
        self._log = log
        self._subscriptions: list[_Subscription] = []
        #: Events of the log fully handled (offered to every handler, put on moto's bus).
        self.seen = log.recorded
        #: The handler being called and its event, while one runs.
        self._running: tuple[_Subscription, dict[str, Any]] | None = None
        self._delivering = False
        #: Whether events go to moto's bus too (off while a class's state is rebuilt: moto's
        #: world is not rebuilt, and it already received those events).
        self.forward = True

    # --- handlers --------------------------------------------------------------------

    def subscribe(self, pattern: Mapping[str, Any] | str, handler: EventHandler) -> None:
        """Offer every later event matching ``pattern`` to ``handler`` (under the lock)."""
        compiled = EventPattern(pattern)
        if not callable(handler):
            raise TypeError(
                "on_event() needs a callable handler taking the event (a dict); got "
                f"{handler!r}"
            )
        self._subscriptions.append(_Subscription(compiled, handler))

    def replace(self, old: EventHandler, new: EventHandler) -> None:
        """Give the subscriptions of handler ``old`` to ``new`` (a rebuilt class state's
        stand-ins give way to the handlers setUpClass registered)."""
        for subscription in self._subscriptions:
            if subscription.handler is old:
                subscription.handler = new

    def running_handler(self) -> str | None:
        """The handler running now, described for an error message; None if none."""
        running = self._running
        if running is None:
            return None
        subscription, event = running
        return (
            f"the event handler {_name(subscription.handler)} of on_event pattern "
            f"{subscription.pattern.text} (called with {_which(event)})"
        )

    # --- delivery ----------------------------------------------------------------------

    def settle(self) -> None:
        """Deliver what was emitted since the last delivery, unless a delivery is under way
        (a handler's calls: that delivery goes on with their events when it returns).
        Called under the store's lock, where the state is whole: by the engine between two
        happenings, and by the world after a call of the code under test."""
        if self._log.recorded != self.seen and not self._delivering:
            self._deliver()

    def _deliver(self) -> None:
        log = self._log
        subscriptions = self._subscriptions
        forward = self.forward and bus_active()
        if not subscriptions and not forward:
            self.seen = log.recorded
            return
        self._delivering = True
        try:
            while self.seen != log.recorded:
                batch = log.since(self.seen)
                # Events cleared (clear_events) before they were delivered are gone.
                self.seen = log.recorded - len(batch)
                for when, event in batch:
                    self.seen += 1
                    if forward:
                        put_on_default_bus(event, when)
                    for subscription in list(subscriptions):
                        if subscription.pattern.matches(event):
                            self._call(subscription, event)
        finally:
            self._delivering = False

    def _call(self, subscription: _Subscription, event: dict[str, Any]) -> None:
        own = copy.deepcopy(event)  # each handler may change its event freely
        self._running = (subscription, own)
        try:
            subscription.handler(own)
        except Exception as exc:
            error = EventHandlerError(
                f"the event handler {_name(subscription.handler)} of on_event pattern "
                f"{subscription.pattern.text} raised {type(exc).__name__}: {exc} "
                f"[{_which(event)}]"
            )
            raise error from exc
        finally:
            self._running = None


def _name(handler: object) -> str:
    return getattr(handler, "__qualname__", None) or repr(handler)


def _which(event: Mapping[str, Any]) -> str:
    """One event, for error messages: its id, detail-type and time."""
    return f"event {event['id']}: {event['detail-type']} at {event['time']}"

