"""The agenda: what is due when, in the order the simulation applies it.

One heap of ``(time, rank, sequence, happening)`` entries; a happening is a callable taking
the instant it happens at. ``rank`` orders the happenings of one instant: endings first (a
slot at the instant an execution ends is not an overlap, a freed concurrency place is usable
at once, and two invocations failing at the same instant both count against MaxErrors
before a replacement could start), then launches freed by those endings, then cutoffs,
then new window slots. ``sequence`` keeps the order of insertion among equals, so every run
of a test is identical.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import datetime

__all__ = ["CUTOFF", "END", "LAUNCH", "SLOT", "Agenda", "Happening"]

#: Something that happens at an instant; it is called with that instant.
Happening = Callable[[datetime], None]

# Ranks, in the order happenings of one instant are applied.
END = 0
LAUNCH = 1
CUTOFF = 2
SLOT = 3


class Agenda:
    """The happenings still to come, earliest first."""

    __slots__ = ("__weakref__", "_heap", "_sequence")  # weakref: the engine's parts hold it weakly

    def __init__(self) -> None:
        self._heap: list[tuple[datetime, int, int, Happening]] = []
        self._sequence = 0

    def push(self, when: datetime, rank: int, happening: Happening) -> None:
        self._sequence += 1
        heapq.heappush(self._heap, (when, rank, self._sequence, happening))

    def pop_due(self, until: datetime) -> tuple[datetime, Happening] | None:
        """The next happening at or before ``until``, removed; None when nothing is due."""
        heap = self._heap
        if not heap or heap[0][0] > until:
            return None
        when, _, _, happening = heapq.heappop(heap)
        return when, happening
