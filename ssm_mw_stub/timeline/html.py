"""The HTML timeline: one self-contained page, the same rows as SVG bars coloured by status.

The page needs nothing from the network: its style and script (``page.css``, ``page.js``
beside this module) are inlined, and the data the script needs is a JSON block in the page.
Rows ("lanes") are things, bars are runs: a window's lane holds its executions, and below
it one lane per task and one per target of a task hold their task executions and
invocations across every execution, so zooming in on one execution shows its tasks and
invocations in place. The bars are drawn in the page as written (positions for the whole
history at 1200 pixels), so it shows even without script; the script then lays them out
for the browser's width and handles zoom (wheel, buttons, double click on a bar), panning
(drag), details (hover, click) and folding a window's lanes (click its name).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from .formats import STATUS_ORDER, count_statuses, duration, instant
from .spans import Span, WindowRow

if TYPE_CHECKING:
    from .snapshot import Snapshot

__all__ = ["PAGE_WIDTH", "render"]

#: The layout the page is written with (the script redoes it for the browser's width).
PAGE_WIDTH = 1200
LABEL_WIDTH = 320
AXIS_HEIGHT = 34
ROW_HEIGHT = 22
#: Bar heights by lane depth (window, task, invocation, deeper).
BAR_HEIGHTS = (16, 12, 10, 8)
MIN_BAR = 2
_LABEL_CHARS = 44
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _ms(when: datetime) -> int:
    return (when - _EPOCH) // timedelta(milliseconds=1)


@dataclass
class _Lane:
    key: str
    depth: int
    label: str
    title: str
    window: int
    bars: list[int] = field(default_factory=list)


class _Layout:
    """Lanes and bars of a timeline, with the data the script needs."""

    def __init__(self, timeline: Snapshot) -> None:
        self.timeline = timeline
        self.lanes: list[_Lane] = []
        self.bars: list[dict[str, Any]] = []
        self._by_key: dict[str, _Lane] = {}
        for index, row in enumerate(timeline.windows):
            self._window(index, row)

    def _window(self, index: int, row: WindowRow) -> None:
        title = "  ".join(
            [row.name, row.window_id, row.account, row.region, row.schedule, row.zone_name]
        )
        self._lane(row.window_id, 0, row.name, title, index)
        for span in row.executions:
            self._span(span, 0, index, row)

    def _lane(self, key: str, depth: int, label: str, title: str, window: int) -> _Lane:
        lane = self._by_key.get(key)
        if lane is None:
            lane = _Lane(key, depth, label, title, window)
            self._by_key[key] = lane
            self.lanes.append(lane)
        return lane

    def _span(self, span: Span, depth: int, window: int, row: WindowRow) -> None:
        if depth:
            lane = self._lane(span.lane, depth, span.lane_label, span.lane_label, window)
        else:
            lane = self._by_key[row.window_id]
        lane.bars.append(len(self.bars))
        self.bars.append(self._bar(span, row))
        for child in span.children:
            self._span(child, depth + 1, window, row)

    def _bar(self, span: Span, row: WindowRow) -> dict[str, Any]:
        now = self.timeline.now
        start = span.start or now
        end = span.end
        took = duration((end or now) - start) + ("" if end else "+ (running)")
        return {
            "kind": span.kind,
            "id": span.id,
            "label": span.label,
            "status": span.status,
            "s": _ms(start),
            "e": None if end is None else _ms(end),
            "duration": took,
            "details": span.details,
            "fields": [list(pair) for pair in span.fields],
            "zone": row.zone_name,
            "start": instant(start, row.zone),
            "end": None if end is None else instant(end, row.zone),
        }


def render(timeline: Snapshot) -> str:
    """The whole page."""
    layout = _Layout(timeline)
    zones = sorted({row.zone_name for row in timeline.windows} - {"UTC"})
    data = {
        "start": _ms(timeline.start),
        "now": _ms(timeline.now),
        "dropped": None if timeline.dropped_before is None else _ms(timeline.dropped_before),
        "zones": [*zones, "UTC"],
        "zone": zones[0] if len(zones) == 1 else "UTC",
        "lanes": [
            {"depth": lane.depth, "window": lane.window, "bars": lane.bars}
            for lane in layout.lanes
        ],
        "bars": layout.bars,
        "layout": {
            "label": LABEL_WIDTH, "axis": AXIS_HEIGHT, "row": ROW_HEIGHT,
            "heights": list(BAR_HEIGHTS), "min": MIN_BAR,
        },
    }
    assets = files(__package__ or "ssm_mw_stub.timeline")
    css = assets.joinpath("page.css").read_text(encoding="utf-8")
    script = assets.joinpath("page.js").read_text(encoding="utf-8")
    statuses = sorted(
        {bar["status"] for bar in layout.bars},
        key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else len(STATUS_ORDER),
    )
    return _PAGE.format(
        css=css,
        script=script,
        summary=escape(_summary(timeline)),
        legend="".join(
            f'<span class="swatch st-{escape(s)}"></span><span class="legend-name">'
            f"{escape(s)}</span>"
            for s in statuses
        ),
        svg=_svg(timeline, layout),
        data=_script_json(data),
    )


def _summary(timeline: Snapshot) -> str:
    executions = [span.status for row in timeline.windows for span in row.executions]
    counts = f" ({count_statuses(executions)})" if executions else ""
    windows = len(timeline.windows)
    dropped = (
        ""
        if timeline.dropped_before is None
        else f"; executions that ended before {timeline.dropped_before:%Y-%m-%d %H:%M} UTC "
        "are gone (30 days of history are kept)"
    )
    return (
        f"{timeline.start:%Y-%m-%d %H:%M} UTC to {timeline.now:%Y-%m-%d %H:%M} UTC (now): "
        f"{windows} window{'' if windows == 1 else 's'}, {len(executions)} "
        f"execution{'' if len(executions) == 1 else 's'}{counts}{dropped}"
    )


def _svg(timeline: Snapshot, layout: _Layout) -> str:
    plot = PAGE_WIDTH - LABEL_WIDTH
    start_ms, now_ms = _ms(timeline.start), _ms(timeline.now)
    span = max(now_ms - start_ms, 60_000)
    view_start = start_ms - span * 0.02
    scale = plot / (span * 1.04)
    height = AXIS_HEIGHT + ROW_HEIGHT * len(layout.lanes) + 4
    out = [
        f'<svg id="chart" width="{PAGE_WIDTH}" height="{height}" '
        f'viewBox="0 0 {PAGE_WIDTH} {height}" role="img" aria-label="timeline">',
        '<defs><clipPath id="plot-clip" clipPathUnits="userSpaceOnUse">'
        f'<rect id="plot-clip-rect" x="{LABEL_WIDTH}" y="-100000" width="{plot}" '
        'height="200000"/></clipPath></defs>',
        '<g id="axis" transform="translate(0,0)"></g>',
        f'<g id="lanes" transform="translate(0,{AXIS_HEIGHT})">',
    ]
    for index, lane in enumerate(layout.lanes):
        kind = ("window", "task", "invocation")[min(lane.depth, 2)]
        height_of = BAR_HEIGHTS[min(lane.depth, len(BAR_HEIGHTS) - 1)]
        top = (ROW_HEIGHT - height_of) / 2
        fold = "\u25be " if lane.depth == 0 else ""
        label = _shorten(lane.label, _LABEL_CHARS - 2 * lane.depth)
        out.append(
            f'<g class="lane lane-{kind}" data-lane="{index}" data-window="{lane.window}" '
            f'transform="translate(0,{index * ROW_HEIGHT})">'
            f'<rect class="lane-bg" x="0" y="0" width="{PAGE_WIDTH}" height="{ROW_HEIGHT}"/>'
            f'<text class="lane-label" x="{8 + 14 * lane.depth}" y="{ROW_HEIGHT * 0.68:.1f}">'
            f"<title>{escape(lane.title)}</title>{escape(fold + label)}</text>"
            '<g class="bars" clip-path="url(#plot-clip)">'
        )
        for i in lane.bars:
            bar = layout.bars[i]
            end = bar["e"] if bar["e"] is not None else now_ms
            x = LABEL_WIDTH + (bar["s"] - view_start) * scale
            width = max(MIN_BAR, (end - bar["s"]) * scale)
            out.append(
                f'<rect class="bar st-{escape(bar["status"])}" data-i="{i}" '
                f'x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height_of}">'
                f"<title>{escape(_tooltip(bar))}</title></rect>"
            )
        out.append("</g></g>")
    out.append("</g>")
    out.append(
        f'<line id="now-line" x1="{LABEL_WIDTH + (now_ms - view_start) * scale:.1f}" '
        f'x2="{LABEL_WIDTH + (now_ms - view_start) * scale:.1f}" y1="{AXIS_HEIGHT - 6}" '
        f'y2="{height}"/>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _tooltip(bar: dict[str, Any]) -> str:
    lines = [
        f"{bar['kind']} {bar['status']}: {bar['label']}",
        f"{bar['start']} to {bar['end'] or 'now'} ({bar['duration']})",
        f"id {bar['id']}",
    ]
    if bar["details"]:
        lines.append(f"StatusDetails: {bar['details']}")
    return "\n".join(lines)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _script_json(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element early, whatever the strings hold."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maintenance windows: timeline</title>
<style>
{css}</style>
</head>
<body>
<header>
<h1>Maintenance windows</h1>
<p id="summary">{summary}</p>
<div id="controls">
<span class="group">Zoom
<button type="button" data-zoom="fit">all</button>
<button type="button" data-zoom="31536000000">year</button>
<button type="button" data-zoom="2592000000">month</button>
<button type="button" data-zoom="604800000">week</button>
<button type="button" data-zoom="86400000">day</button>
<button type="button" data-zoom="3600000">hour</button>
<button type="button" data-zoom="out" title="zoom out">&minus;</button>
<button type="button" data-zoom="in" title="zoom in">+</button>
</span>
<label class="group">Times in <select id="zone"></select></label>
<span id="view"></span>
</div>
<div id="legend">{legend}<span class="hint">wheel: zoom &middot; drag: pan &middot; click a bar:
details &middot; double-click: zoom to it &middot; click a window: fold its rows</span></div>
</header>
<main id="plot">
{svg}
</main>
<div id="tooltip" hidden></div>
<aside id="details"><p class="empty">Click a bar to see its ids, times, status details and
output.</p></aside>
<script type="application/json" id="timeline-data">{data}</script>
<script>
{script}</script>
</body>
</html>
"""
