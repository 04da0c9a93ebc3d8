"""Window slots: when each window's next execution is due.

Slots are derived lazily, one pending slot per window, from ``window.compiled`` (the
schedule package applies Enabled, StartDate, EndDate, ScheduleOffset and the time zone).
A window created, changed or re-enabled is scheduled strictly after that instant, so a
window created in the middle of a slot does not retro-start it; a deleted window loses its
cursor and its running execution. Each slot happening carries the cursor's generation, so a
slot left on the agenda by a schedule since changed does nothing.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..model import Store
from .agenda import SLOT, Agenda
from .executions import Executions
from .runs import Cursor

__all__ = ["Slots"]

_UTC = timezone.utc


class Slots:
    """Every window's cursor, kept in step with the store."""

    def __init__(self, *, agenda: Agenda, store: Store, executions: Executions) -> None:
        self._agenda = agenda
        self._store = store
        self._executions = executions
        self._cursors: dict[str, Cursor] = {}
        self._mark = 0

    def sync(self, now: datetime) -> None:
        """Meet every window of every Region: new ones get a cursor, changed schedules
        restart from ``now``, deleted windows lose their cursor and their running execution."""
        self._mark += 1
        mark = self._mark
        cursors = self._cursors
        seen = 0
        for state in self._store.regions():
            for window_id, window in state.windows.items():
                seen += 1
                cursor = cursors.get(window_id)
                if cursor is None or cursor.window is not window:
                    if cursor is not None:
                        self._kill(cursor)
                    cursor = cursors[window_id] = Cursor(window, state)
                    self._restart(cursor, now)
                elif cursor.compiled is not window.compiled:
                    self._restart(cursor, now)
                cursor.mark = mark
        if seen != len(cursors):
            for window_id, cursor in list(cursors.items()):
                if cursor.mark != mark:
                    del cursors[window_id]
                    self._kill(cursor)

    def _restart(self, cursor: Cursor, now: datetime) -> None:
        compiled = cursor.window.compiled
        cursor.compiled = compiled
        cursor.gen += 1
        cursor.starts = compiled.starts_after(now)
        self._push_next(cursor)

    def _push_next(self, cursor: Cursor) -> None:
        start = next(cursor.starts, None)
        if start is not None:
            gen = cursor.gen
            self._agenda.push(
                start.astimezone(_UTC), SLOT, lambda when: self._due(cursor, gen, when)
            )

    def _due(self, cursor: Cursor, gen: int, t: datetime) -> None:
        if cursor.gen == gen and self._cursors.get(cursor.window.window_id) is cursor:
            self._push_next(cursor)
            self._executions.on_slot(cursor, t)

    def _kill(self, cursor: Cursor) -> None:
        cursor.gen += 1
        self._executions.kill(cursor)
