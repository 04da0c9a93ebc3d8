"""The timeline's data: what the mock ran, as spans, at one instant (no drawing).

:class:`Snapshot` is what the renderers (:mod:`.text`, :mod:`.html`) read; the public
:class:`~ssm_mw_stub.timeline.Timeline` adds the drawing methods on top of it, so the
renderers need only this module and the package needs them, not the other way round.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, TypeVar

from .spans import Span, WindowRow, collect

if TYPE_CHECKING:
    from ..model import Store

__all__ = ["Snapshot"]

#: The shortest axis drawn: a timeline taken before the clock moved still has a width.
_MIN_SPAN = timedelta(minutes=1)
#: How long the service keeps execution history (the model's RETENTION, repeated here so
#: that this module imports nothing of the model at run time).
_RETENTION = timedelta(days=30)

S = TypeVar("S", bound="Snapshot")


class Snapshot:
    """The simulated history of one mock at one instant: its windows' spans and axis."""

    def __init__(
        self, windows: tuple[WindowRow, ...], *, started: datetime, now: datetime
    ) -> None:
        utc = timezone.utc
        started, now = started.astimezone(utc), now.astimezone(utc)
        #: Every window, in the order the mock met their Regions, then created them.
        self.windows = windows
        #: The simulated instant the snapshot was taken at.
        self.now = now
        kept_from = now - _RETENTION
        #: Executions that ended before this instant were dropped (None: nothing was).
        self.dropped_before: datetime | None = kept_from if started < kept_from else None
        first = min(
            (span.start for span in self.spans() if span.start is not None), default=now
        )
        #: Where the time axis starts: the mock's first instant, or the oldest history kept.
        self.start = min(max(started, kept_from), first)

    @classmethod
    def of(cls: type[S], store: Store, *, started: datetime, now: datetime) -> S:
        """Take the snapshot of ``store`` (under its lock)."""
        return cls(collect(store, now), started=started, now=now)

    def spans(self) -> Iterator[Span]:
        """Every span, depth first (executions, their tasks, their invocations, ...)."""
        stack = [span for row in reversed(self.windows) for span in reversed(row.executions)]
        while stack:
            span = stack.pop()
            yield span
            stack.extend(reversed(span.children))

    def column(self, width: int) -> timedelta:
        """How much time one of ``width`` columns of the axis covers."""
        return max(self.now - self.start, _MIN_SPAN) / width

    def __repr__(self) -> str:
        executions = sum(len(row.executions) for row in self.windows)
        return (
            f"<Timeline {len(self.windows)} windows, {executions} executions, "
            f"until {self.now.isoformat()}>"
        )
