"""``mw.timeline()``: what the simulation ran, as a text Gantt chart or an HTML page.

A :class:`Timeline` is a snapshot taken when ``mw.timeline()`` is called: the windows of
every account and Region the mock touched, each with its executions, their task executions
and invocations (:mod:`.spans`). ``str(timeline)`` (or :meth:`Timeline.text`) is the text
chart (:mod:`.text`); :meth:`Timeline.save` writes the HTML page (:mod:`.html`).

Only what the service still holds is drawn: like AWS, the stub keeps 30 days of execution
history, and the timeline says when older executions are gone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from .spans import Span, WindowRow, collect

if TYPE_CHECKING:
    from ..model import Store

__all__ = ["Span", "Timeline", "WindowRow"]

#: The shortest axis drawn: a timeline taken before the clock moved still has a width.
_MIN_SPAN = timedelta(minutes=1)
#: How long the service keeps execution history (the model's RETENTION, repeated here so
#: that this module imports nothing of the model at run time).
_RETENTION = timedelta(days=30)


class Timeline:
    """The simulated history of one mock at one instant."""

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
    def of(cls, store: Store, *, started: datetime, now: datetime) -> Timeline:
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

    def text(self, width: int = 48, max_lines: int | None = 60) -> str:
        """The text Gantt chart: ``width`` columns of time axis, summarised to fit
        ``max_lines`` lines (None: every row, however many)."""
        from .text import render

        return render(self, width, max_lines)

    def __str__(self) -> str:
        return self.text()

    def html(self) -> str:
        """The HTML page: one self-contained file (no network assets)."""
        from .html import render

        return render(self)

    def save(self, path: str | PathLike[str]) -> Path:
        """Write the HTML page to ``path`` (the text chart if ``path`` ends in ``.txt``);
        returns the path written."""
        target = Path(path)
        content = self.text(max_lines=None) if target.suffix == ".txt" else self.html()
        target.write_text(content + ("\n" if target.suffix == ".txt" else ""), encoding="utf-8")
        return target

    def __repr__(self) -> str:
        executions = sum(len(row.executions) for row in self.windows)
        return (
            f"<Timeline {len(self.windows)} windows, {executions} executions, "
            f"until {self.now.isoformat()}>"
        )
