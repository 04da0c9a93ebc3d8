"""The rate-limited launcher shared by task executions and Run Command commands.

A maintenance-window task starts its units (one invocation per target, or one command per
window target) and a Run Command command starts its nodes under the same two rules
("Using rate controls" in the Run Command and maintenance-window documentation): at most
MaxConcurrency at a time, and no new one once the errors exceed MaxErrors. Both are a
:class:`Batch`; what starting a unit and finishing the batch mean is its owner's
(:class:`BatchOwner`: a task's unit runner, the Run Command runner, the Automation runner),
given when the batch is made.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from .agenda import LAUNCH, Agenda

__all__ = ["NO_LIMIT", "Batch", "BatchOwner", "Tally"]

#: MaxErrors of a batch that never stops for errors.
NO_LIMIT = 1 << 62

#: Statuses that count against MaxErrors (a cancellation does not).
_ERRORS = frozenset({"FAILED", "TIMED_OUT"})


class Tally:
    """The final statuses of finished units: which occurred, and how many are errors."""

    __slots__ = ("any_cancelled", "any_failed", "any_timed_out", "errors")

    def __init__(self) -> None:
        self.errors = 0
        self.any_failed = False
        self.any_timed_out = False
        self.any_cancelled = False

    def count(self, status: str) -> None:
        """Tally one final status."""
        if status == "SUCCESS":
            return
        if status == "FAILED":
            self.any_failed = True
        elif status == "TIMED_OUT":
            self.any_timed_out = True
        else:
            self.any_cancelled = True
        if status in _ERRORS:
            self.errors += 1

    def rollup(self) -> str:
        """One status for many: a failure outweighs a timeout, which outweighs a cancellation."""
        if self.any_failed:
            return "FAILED"
        if self.any_timed_out:
            return "TIMED_OUT"
        if self.any_cancelled:
            return "CANCELLED"
        return "SUCCESS"


class BatchOwner(Protocol):
    """What a batch's units are and what its end means: the runner that made it."""

    def start_unit(self, batch: Any, unit: Any, t: datetime) -> None:
        """Start ``unit`` of ``batch``; it reports back through ``batch.unit_done`` (maybe
        before this returns)."""

    def batch_done(self, batch: Any, t: datetime) -> None:
        """Nothing of ``batch`` runs and nothing more will start: the batch is over."""


class Batch(Tally):
    """Units started under MaxConcurrency and MaxErrors, and optionally not at or after a
    cutoff instant (``stop_at``; reaching it marks the batch ``cut``)."""

    __slots__ = (
        "agenda",
        "concurrency",
        "cut",
        "done",
        "launch_pending",
        "launching",
        "max_errors",
        "next",
        "owner",
        "running",
        "stop_at",
        "units",
    )

    def __init__(self, agenda: Agenda, owner: BatchOwner) -> None:
        super().__init__()
        self.agenda = agenda
        #: Starts the units and hears that the batch is over.
        self.owner = owner
        self.units: list[Any] = []
        self.next = 0
        self.running = 0
        self.concurrency = 1
        self.max_errors = NO_LIMIT
        self.stop_at: datetime | None = None
        self.cut = False
        self.launching = False
        self.launch_pending = False
        self.done = False

    def launch(self, t: datetime) -> None:
        """Start units while the rate controls allow; finish when nothing runs."""
        if self.launching or self.done:
            return
        self.launching = True
        try:
            units = self.units
            stop_at = self.stop_at
            start = self.owner.start_unit
            while self.running < self.concurrency and self.next < len(units) and not self.done:
                if self.errors > self.max_errors:
                    break
                if stop_at is not None and t >= stop_at:
                    self.cut = True
                    break
                unit = units[self.next]
                self.next += 1
                self.running += 1
                start(self, unit, t)
        finally:
            self.launching = False
        if self.running == 0 and not self.done:
            self.owner.batch_done(self, t)

    def unit_done(self, status: str, t: datetime) -> None:
        """A unit ended with ``status``: count it, and launch what that frees."""
        self.running -= 1
        self.count(status)
        if self.launching:
            return  # the launch loop on the stack goes on by itself
        if not self.launch_pending:
            # An ending taken from the agenda: launch after every ending of this instant.
            self.launch_pending = True
            self.agenda.push(t, LAUNCH, self._relaunch)

    def _relaunch(self, t: datetime) -> None:
        self.launch_pending = False
        self.launch(t)
