"""The text timeline: a Gantt chart for terminals and test reports.

One block per window: its name, id, Region, schedule and zone; a bar of executions on a
time axis in the window's zone; then each execution with its tasks and their invocations
(status, start, duration, id, StatusDetails). When that does not fit ``max_lines``, the
chart is summarised one level at a time, and says so, never dropping a row silently:

1. a task's successful invocations become one line when it has more than three;
2. successful executions become one line each (with their task and invocation counts);
3. three or more successful executions in a row become one line;
4. every execution but each window's last unsuccessful one becomes one line, and runs of
   three or more of one status become one line;
5. a window's executions become one line of counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from itertools import groupby
from typing import TYPE_CHECKING

from .formats import (
    STATUS_ORDER,
    count_statuses,
    duration,
    instant,
    severity,
    time_of_day,
    zone_abbreviation,
)
from .spans import Span, WindowRow

if TYPE_CHECKING:
    from .snapshot import Snapshot

__all__ = ["MARKS", "render"]

_LAST_LEVEL = 5
#: Where the chart of a window has nothing.
_EMPTY = "."
#: The mark of each status in the chart.
MARKS = {
    "SUCCESS": "=",
    "FAILED": "F",
    "TIMED_OUT": "T",
    "CANCELLED": "C",
    "CANCELLING": "c",
    "IN_PROGRESS": ">",
    "PENDING": "p",
    "SKIPPED_OVERLAPPING": "~",
}
#: A task with more invocations than this has its successful ones summarised (level 1+).
_LISTED_INVOCATIONS = 3
#: Runs of at least this many executions of one status become one line (levels 3+).
_RUN = 3


def render(timeline: Snapshot, width: int, max_lines: int | None) -> str:
    """The text timeline, summarised as little as fits ``max_lines`` (None: no limit)."""
    if width < 10:
        raise ValueError(f"width must be at least 10 columns; got {width}")
    statuses = {span.status for span in timeline.spans()}
    status_width = max((len(status) for status in statuses), default=7)
    charts: dict[str, str] = {}
    lines: list[str] | None = None
    level = 0
    while lines is None:
        # A level that outgrows max_lines is given up as soon as it does (the last level
        # is taken whatever its length: every window keeps its block).
        limit = None if level == _LAST_LEVEL else max_lines
        lines = _Page(timeline, width, level, status_width, charts).lines(limit)
        level += 1
    if level > 1:
        lines.append(
            f"(summarised to fit {max_lines} lines: text(max_lines=None) lists every row; "
            'save("timeline.html") draws them all)'
        )
    return "\n".join(lines)


@dataclass
class _Page:
    """The lines of one rendering at one summary level."""

    timeline: Snapshot
    width: int
    level: int
    status_width: int
    #: Each window's bar of marks, drawn once for every level (the same at each).
    charts: dict[str, str]

    def lines(self, limit: int | None) -> list[str] | None:
        """The page's lines; None as soon as there are more than ``limit``."""
        tl = self.timeline
        out = [self._title()]
        if tl.dropped_before is not None:
            out.append(
                f"(executions that ended before {_utc_minute(tl.dropped_before)} are gone: "
                "the service keeps 30 days of execution history)"
            )
        if not tl.windows:
            out.append("no maintenance windows")
            return out
        accounts = len({row.account for row in tl.windows}) > 1
        for row in tl.windows:
            out.append("")
            for line in self._window(row, accounts):
                out.append(line)
                if limit is not None and len(out) > limit:
                    return None
        out.append("")
        out.append(self._legend())
        return out

    def _title(self) -> str:
        tl = self.timeline
        executions = [span for row in tl.windows for span in row.executions]
        counts = f" ({count_statuses([s.status for s in executions])})" if executions else ""
        return (
            f"Maintenance windows, {_utc_minute(tl.start)} to {_utc_minute(tl.now)} (now): "
            f"{_plural(len(tl.windows), 'window')}, "
            f"{_plural(len(executions), 'execution')}{counts}"
        )

    def _legend(self) -> str:
        marks_used = set("".join(self.charts.values()))
        used = [status for status in STATUS_ORDER if MARKS[status] in marks_used]
        used.sort(key=lambda s: (s != "SUCCESS", severity(s)))
        marks = "  ".join(f"{MARKS[status]} {status}" for status in used)
        column = duration(self.timeline.column(self.width))
        return f"chart: {marks + '  ' if marks else ''}{_EMPTY} none; one column is {column}"

    # --- one window -----------------------------------------------------------------------

    def _window(self, row: WindowRow, show_account: bool) -> Iterator[str]:
        head = [row.name, row.window_id]
        if show_account:
            head.append(row.account)
        head += [row.region, row.schedule, row.zone_name]
        if not row.enabled:
            head.append("disabled")
        elif row.next_start is not None:
            head.append(f"next {instant(row.next_start, row.zone)}")
        yield "  ".join(head)
        bar = self.charts.get(row.window_id)
        if bar is None:
            bar = self.charts[row.window_id] = self._bar(row)
        left, right = _axis_label(self.timeline.start, self.timeline.now, row.zone)
        yield f"  {left} |{bar}| {right} {zone_abbreviation(self.timeline.now, row.zone)}"
        if not row.executions:
            yield "  no executions"
            return
        if self.level >= _LAST_LEVEL:
            last = row.executions[-1]
            yield (
                f"  {_plural(len(row.executions), 'execution')}: "
                f"{count_statuses([span.status for span in row.executions])}; the last "
                f"{instant(_start(last, self.timeline.now), row.zone)} {last.status}"
            )
            return
        for group in self._groups(row.executions):
            yield from self._group(group, row.zone)

    def _bar(self, row: WindowRow) -> str:
        tl = self.timeline
        width = self.width
        column = tl.column(width)
        cells: list[str | None] = [None] * width

        def index(when: datetime) -> int:
            return min(width - 1, max(0, int((when - tl.start) / column)))

        for span in row.executions:
            start = _start(span, tl.now)
            end = span.end or tl.now
            first = index(start)
            last = index(end - _TICK) if end > start else first
            for cell in range(first, max(first, last) + 1):
                held = cells[cell]
                if held is None or severity(span.status) < severity(held):
                    cells[cell] = span.status
        return "".join(_EMPTY if status is None else MARKS.get(status, "?") for status in cells)

    def _groups(self, executions: Sequence[Span]) -> Iterator[list[tuple[Span, bool]]]:
        """Executions with whether each is expanded, grouped into the runs shown as one
        line (a group of one is shown as it is)."""
        level = self.level
        keep = None
        if level >= 4:
            failed = [span for span in executions if span.status != "SUCCESS"]
            keep = failed[-1] if failed else None
        marked = [
            (span, level < 2 or (span is keep if level >= 4 else span.status != "SUCCESS"))
            for span in executions
        ]
        if level < 3:
            for item in marked:
                yield [item]
            return

        def key(item: tuple[Span, bool]) -> tuple[str, bool]:
            span, expanded = item
            return span.status, expanded

        for (status, expanded), run in groupby(marked, key=key):
            items = list(run)
            mergeable = not expanded and (level >= 4 or status == "SUCCESS")
            if mergeable and len(items) >= _RUN:
                yield items
            else:
                yield from ([item] for item in items)

    def _group(self, group: list[tuple[Span, bool]], zone: tzinfo) -> Iterator[str]:
        now = self.timeline.now
        if len(group) > 1:
            first, last = group[0][0], group[-1][0]
            yield (
                f"  {len(group)} executions {first.status} from "
                f"{instant(_start(first, now), zone)} to {instant(_start(last, now), zone)}"
            )
            return
        [(span, expanded)] = group
        start = _start(span, now)
        note = ""
        if not expanded and span.children:
            invocations = sum(len(task.children) for task in span.children)
            note = (
                f"({_plural(len(span.children), 'task')}, {_plural(invocations, 'invocation')})"
            )
        yield self._line(span, instant(start, zone), indent=2, note=note)
        if not expanded:
            return
        for task in span.children:
            yield self._line(task, self._time(task, zone, start), indent=4)
            yield from self._invocations(task.children, zone, start)

    def _invocations(self, spans: Sequence[Span], zone: tzinfo, day: datetime) -> Iterator[str]:
        summarise = self.level >= 1 and len(spans) > _LISTED_INVOCATIONS
        quiet = [span for span in spans if summarise and span.status == "SUCCESS"]
        for span in spans:
            if summarise and span.status == "SUCCESS":
                continue
            yield self._line(span, self._time(span, zone, day), indent=6, label_first=True)
            for child in span.children:
                yield self._line(child, self._time(child, zone, day), indent=8, label_first=True)
        if quiet:
            now = self.timeline.now
            yield (
                f"      {_plural(len(quiet), 'invocation')} SUCCESS between "
                f"{time_of_day(_start(quiet[0], now), zone, day)} and "
                f"{time_of_day(max(span.end or now for span in quiet), zone, day)}"
            )

    def _time(self, span: Span, zone: tzinfo, day: datetime) -> str:
        return "-" if span.start is None else time_of_day(span.start, zone, day)

    def _line(
        self, span: Span, when: str, *, indent: int, label_first: bool = False, note: str = ""
    ) -> str:
        """``when  STATUS  duration  label: details  id``: the columns read most first,
        the long id last."""
        now = self.timeline.now
        if span.start is None:
            took = "-"
        elif span.end is None:
            took = duration(now - span.start) + "+"
        else:
            took = duration(span.end - span.start)
        details = _one_line(span.details) if span.details else ""
        if span.kind == "execution":
            text = details
        elif label_first:
            text = f"{span.label}: {details}" if details else span.label
        else:
            text = f"{span.label}  {details}" if details else span.label
        # A node's id is its label (the instance id): print it once.
        ident = span.id if span.id != span.label else ""
        text = "  ".join(part for part in (text, note, ident) if part)
        return f"{' ' * indent}{when}  {span.status:<{self.status_width}}  {took:>6}  {text}"


_TICK = timedelta(microseconds=1)


def _start(span: Span, now: datetime) -> datetime:
    return span.start if span.start is not None else now


def _axis_label(start: datetime, end: datetime, zone: tzinfo) -> tuple[str, str]:
    left, right = start.astimezone(zone), end.astimezone(zone)
    form: Callable[[datetime], str] = (
        "{:%m-%d %H:%M}".format if left.year == right.year else "{:%Y-%m-%d}".format
    )
    return form(left), form(right)


def _utc_minute(when: datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M} UTC"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", " | ")
