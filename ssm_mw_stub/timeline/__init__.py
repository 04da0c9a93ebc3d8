"""``mw.timeline()``: what the simulation ran, as a text Gantt chart or an HTML page.

A :class:`Timeline` is a snapshot taken when ``mw.timeline()`` is called: the windows of
every account and Region the mock touched, each with its executions, their task executions
and invocations (:mod:`.spans`, held by :class:`.snapshot.Snapshot`). ``str(timeline)`` (or
:meth:`Timeline.text`) is the text chart (:mod:`.text`); :meth:`Timeline.save` writes the
HTML page (:mod:`.html`). The renderers read the snapshot, never this module.

Only what the service still holds is drawn: like AWS, the stub keeps 30 days of execution
history, and the timeline says when older executions are gone.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from .snapshot import Snapshot
from .spans import Span, WindowRow

__all__ = ["Span", "Timeline", "WindowRow"]


class Timeline(Snapshot):
    """The simulated history of one mock at one instant, drawn as text or HTML."""

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
