"""The discrete-event simulation that runs maintenance windows as the fake clock moves.

``Engine.run_until(when)`` applies everything that happens up to ``when`` in time order,
across every window, Region and account of the mock: window slots coming due, invocations
finishing, cutoff instants. Each happening is applied at its own instant (the clock is set to
it first, so a handler or a read call sees a consistent "now"), and writes the execution,
task-execution and invocation records of the model that the service's read operations
answer from. The parts, each in its own module: the agenda (what is due when), the slots
(when windows start), executions, tasks and their invocations or commands, the launcher
(rate controls), the handlers, and the journal (events).

Work that takes no simulated time (an invocation whose outcome has no duration, a window
without tasks) completes synchronously without touching the agenda, which keeps the
per-invocation path short.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Protocol

from ..clock import FakeClock
from ..model import JSON, IdGenerator, RegionState, Store, WindowExecutionRecord
from ..model.automation import AutomationExecutionRecord, AutomationStart
from ..model.commands import CommandRecord, prune_commands
from ..model.events import EventSink
from ..model.fleet import Fleet
from ..outcomes import Handler
from .agenda import LAUNCH, Agenda
from .automation import Automations, prune_automations
from .commands import Commands
from .delivery import Delivery
from .executions import MAX_CONCURRENT_EXECUTIONS, Executions, prune
from .handlers import Handlers
from .journal import Journal
from .patching import PatchRuns
from .slots import Slots
from .targets import Resolver
from .tasks import TaskRunner

__all__ = ["MAX_CONCURRENT_EXECUTIONS", "Engine", "Settler"]


class Settler(Protocol):
    """Told between happenings (and before the first) to deliver the events they emitted
    there, at their instant, with the records consistent (the world's reactor)."""

    def settle(self) -> None:
        """Deliver what was emitted since the last delivery."""


class _Nobody:
    """No one to deliver anything: an engine without a reactor."""

    def settle(self) -> None:
        return None


class Engine:
    """Runs every due maintenance window of one mock, in time order, as the clock advances.

    Implements :class:`ssm_mw_stub.model.simulation.Simulation` for the service.
    """

    def __init__(
        self,
        *,
        clock: FakeClock,
        store: Store,
        fleet: Fleet,
        handlers: Mapping[str, Handler],
        ids: IdGenerator,
        sink: EventSink,
        max_concurrent_executions: int = MAX_CONCURRENT_EXECUTIONS,
        settler: Settler | None = None,
    ) -> None:
        self._clock = clock
        self._settler = settler or _Nobody()
        self._store = store
        self._agenda = Agenda()
        # The parts hold the agenda weakly: its entries hold the parts' callbacks, so strong
        # references back would make every part a reference cycle, and a dropped mock's
        # engine would wait for the garbage collector. The engine holds it as long as it lives.
        agenda = weakref.proxy(self._agenda)
        journal = Journal(sink)
        self._handlers = Handlers(handlers)
        resolver = self._resolver = Resolver(fleet)
        automations = self._automations = Automations(
            agenda=agenda, journal=journal, handlers=self._handlers, fleet=fleet, uuid=ids.uuid
        )
        delivery = Delivery()
        commands = self._commands = Commands(
            agenda=agenda, journal=journal, handlers=self._handlers, resolver=resolver,
            delivery=delivery, patch_runs=PatchRuns(fleet, sink, delivery),
        )

        runner = TaskRunner(
            agenda=agenda, journal=journal, handlers=self._handlers, resolver=resolver,
            uuid=ids.uuid, automations=automations, commands=commands,
        )
        self._executions = Executions(
            agenda=agenda, journal=journal, clock=clock, uuid=ids.uuid, runner=runner,
            max_concurrent=max_concurrent_executions,
        )
        self._slots = Slots(agenda=agenda, store=store, executions=self._executions)
        self._running = False
        #: The store's change count when the slots were last synced with it.
        self._changes_seen = -1

    def run_until(self, when: datetime) -> None:
        """Apply every happening up to and including ``when``, in order; end at ``when``."""
        with self._store.lock:
            if self._running:
                raise RuntimeError(
                    "advance()/advance_to() cannot be called from inside a task outcome "
                    "handler: the handler runs at one instant of the simulation; return a "
                    "TaskOutcome with a duration instead"
                )
            clock = self._clock
            if when < clock.now:
                clock.set(when)  # raises the clock's own "cannot go back" error
            self._running = self._executions.advancing = True
            try:
                self._loop(when)
                clock.set(when)
                self._prune_all(when)
            finally:
                self._running = self._executions.advancing = False

    def _loop(self, when: datetime) -> None:
        clock = self._clock
        store = self._store
        pop_due = self._agenda.pop_due
        handlers = self._handlers
        settle = self._settler.settle
        self._changes_seen = -1  # windows may have changed outside any call: sync first
        settle()  # what calls or a failed advance left undelivered, at the current instant
        while True:
            if store.changes != self._changes_seen:
                self._changes_seen = store.changes
                self._slots.sync(clock.now)
            due = pop_due(when)
            if due is None:
                return
            t, happening = due
            if t > clock.now:
                clock.set(t)
            happening(t)
            if handlers.error is not None:
                error = handlers.take_error()
                assert error is not None
                raise error
            settle()

    def running_handler(self) -> str | None:
        """The task outcome handler running now, described; None when none is (read under
        the store's lock: handlers run under it, on the thread that holds it)."""
        return self._handlers.running_handler()

    def _prune_all(self, now: datetime) -> None:
        for state in self._store.regions():
            for window in state.windows.values():
                prune(state, window, now)
            prune_automations(state, now)
            if state.commands:
                prune_commands(state.commands, now)

    def cancel(self, state: RegionState, record: WindowExecutionRecord, now: datetime) -> None:
        """CancelMaintenanceWindowExecution (see :meth:`Executions.cancel`)."""
        with self._store.lock:
            self._executions.cancel(record, now)

    def start_automation(
        self, state: RegionState, start: AutomationStart, now: datetime
    ) -> str:
        """StartAutomationExecution (see :meth:`Automations.start`). A handler that fails
        during a call made between advances raises out of that call; during an advance
        (a handler calling boto3) it raises out of ``advance()`` as usual."""
        with self._store.lock:
            execution_id = self._automations.start(state, start, now)
            if not self._running:
                error = self._handlers.take_error()
                if error is not None:
                    raise error
            return execution_id

    def stop_automation(
        self, state: RegionState, record: AutomationExecutionRecord, now: datetime
    ) -> None:
        """StopAutomationExecution of a running execution (see :meth:`Automations.stop`)."""
        with self._store.lock:
            self._automations.stop(record, now)

    # --- Run Command (SendCommand, CancelCommand) ----------------------------------------

    def unmanaged_instances(self, state: RegionState, instance_ids: Iterable[str]) -> list[str]:
        """The ids that are not managed nodes of the fake fleet in the state's Region."""
        with self._store.lock:
            return self._resolver.unmanaged(state, instance_ids)

    def send_command(
        self, state: RegionState, record: CommandRecord, request: JSON, now: datetime
    ) -> None:
        """SendCommand: the command is Pending now and starts at the next instant the engine
        applies (the next ``advance``, or right after the handler that sent it)."""
        with self._store.lock:
            command = self._commands.sent(state, record, request, now)
            self._agenda.push(now, LAUNCH, partial(self._commands.start_sent, command))

    def cancel_command(
        self, state: RegionState, record: CommandRecord, nodes: list[str] | None, now: datetime
    ) -> None:
        """CancelCommand of a command not finished (see :meth:`Commands.cancel`)."""
        with self._store.lock:
            self._commands.cancel(record, nodes, now)
