"""The rate-limited launcher shared by task executions and Run Command commands.

A maintenance-window task starts its units (one invocation per target, or one command per
window target) and a Run Command command starts its nodes under the same two rules
("Using rate controls" in the Run Command and maintenance-window documentation): at most
MaxConcurrency at a time, and no new one once the errors exceed MaxErrors. Both are a
:class:`Batch`; what starting a unit and finishing the batch mean is given to it when it
is made (the task runner's functions), so the launch loop calls them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from .agenda import LAUNCH, Agenda

__all__ = ["NO_LIMIT", "Batch", "Tally"]

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


class Batch(Tally):
    """Units started under MaxConcurrency and MaxErrors, and optionally not at or after a
    cutoff instant (``stop_at``; reaching it marks the batch ``cut``)."""

    __slots__ = (
        "_finish",
        "_start",
        "agenda",
        "concurrency",
        "cut",
        "done",
        "launch_pending",
        "launching",
        "max_errors",
        "next",
        "running",
        "stop_at",
        "units",
    )

    def __init__(
        self,
        agenda: Agenda,
        start: Callable[[Any, Any, datetime], None],
        finish: Callable[[Any, datetime], None],
    ) -> None:
        super().__init__()
        self.agenda = agenda
        #: Starts one unit of this batch; the unit reports back through unit_done (maybe
        #: before start returns).
        self._start = start
        #: Called once nothing runs and nothing more will start: the batch is over.
        self._finish = finish
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
            start = self._start
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
            self._finish(self, t)

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
