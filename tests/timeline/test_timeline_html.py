"""The HTML timeline's structure: one self-contained page, one SVG bar per span."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ssm_mw_stub import MaintenanceWindows, TaskOutcome

from .timeline_scenario import build, failed_command, history


class _Page(HTMLParser):
    """Every start tag with its attributes, the text of <title> elements, and the scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.titles: list[str] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._open.append(tag)
        if tag == "title":
            self.titles.append("")
        if tag == "script":
            self.scripts.append((self.tags[-1][1], ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] == "title":
            self.titles[-1] += data
        if self._open and self._open[-1] == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def find(self, tag: str, cls: str | None = None) -> list[dict[str, str]]:
        return [
            attrs for name, attrs in self.tags
            if name == tag and (cls is None or cls in attrs.get("class", "").split())
        ]


def _page(mw: MaintenanceWindows, tmp_path: Path) -> tuple[str, _Page, dict[str, Any]]:
    written = mw.timeline().save(tmp_path / "timeline.html")
    assert written == tmp_path / "timeline.html"
    text = written.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    [data_text] = [body for attrs, body in page.scripts if attrs.get("id") == "timeline-data"]
    return text, page, json.loads(data_text)


def test_one_self_contained_file(mw: MaintenanceWindows, dublin: Any, tmp_path: Path) -> None:
    build(mw, dublin)
    mw.advance(timedelta(days=3))
    text, page, _ = _page(mw, tmp_path)
    assert text.startswith("<!DOCTYPE html>")
    assert list(tmp_path.iterdir()) == [tmp_path / "timeline.html"]
    # Nothing is loaded: no external script, style sheet, image, font or frame, and no
    # address of any kind in the page.
    assert not [attrs for _, attrs in page.tags if "src" in attrs or "href" in attrs]
    assert not page.find("link")
    assert not page.find("img")
    assert not page.find("iframe")
    assert "http://" not in text
    assert "https://" not in text
    assert "//cdn" not in text
    assert "@import" not in text
    assert set(re.findall(r"url\((.)", text)) == {"#"}  # only the page's own clip path
    for word in ("fetch(", "XMLHttpRequest", "import(", "WebSocket", "EventSource"):
        assert word not in text
    # The style and the behaviour are inline.
    assert len(page.find("style")) == 1
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None]
    assert "function layout()" in page.scripts[1][1]


def test_one_bar_per_span_coloured_by_status(
    mw: MaintenanceWindows, dublin: Any, tmp_path: Path
) -> None:
    window_id = build(mw, dublin)
    mw.advance(timedelta(days=2, hours=2, minutes=3))  # two nights done, the third running
    executions = history(dublin, window_id)
    _, page, data = _page(mw, tmp_path)

    words = {"Success": "SUCCESS", "InProgress": "IN_PROGRESS"}
    expected = []  # (kind, id, status) in the page's order: each execution, then its work
    for execution in executions:
        expected.append(("execution", execution["WindowExecutionId"], execution["Status"]))
        for task in execution["Tasks"]:
            expected.append(("task", task["TaskExecutionId"], task["Status"]))
            for i in task["Invocations"]:
                expected.append(("invocation", i["InvocationId"], i["Status"]))
                if task["TaskType"] == "RUN_COMMAND":  # a command over several nodes
                    nodes = dublin.list_command_invocations(CommandId=i["ExecutionId"])[
                        "CommandInvocations"
                    ]
                    expected += [
                        ("node", node["InstanceId"], words[node["Status"]])
                        for node in nodes if len(nodes) > 1
                    ]
    assert [(bar["kind"], bar["id"], bar["status"]) for bar in data["bars"]] == expected

    rects = page.find("rect", "bar")  # in the order of their rows
    assert sorted(int(rect["data-i"]) for rect in rects) == list(range(len(expected)))
    for rect, (_, _, status) in zip(
        sorted(rects, key=lambda r: int(r["data-i"])), expected, strict=True
    ):
        assert f"st-{status}" in rect["class"].split()
        assert float(rect["width"]) >= 2
        assert 320 <= float(rect["x"]) <= 1200
    # Each status has its own colour.
    page_text = (tmp_path / "timeline.html").read_text()
    colours = dict(re.findall(r"\.st-(\w+) \{ fill: var\(--([\w-]+)\)", page_text))
    assert len(set(colours.values())) == len(colours) == 8

    # The rows: the window, each task, each target of a task (Lambda: one per server), and
    # the nodes of the update's command under its row.
    lanes = page.find("g", "lane")
    assert [lane["class"].split()[1] for lane in lanes] == [
        "lane-window", "lane-task", "lane-invocation", "lane-invocation", "lane-invocation",
        "lane-task", "lane-invocation", "lane-invocation",
    ]
    assert [lane["depth"] for lane in data["lanes"]] == [0, 1, 2, 3, 3, 1, 2, 2]
    assert "nightly" in page.titles[1]
    assert window_id in page.titles[1]


def test_hover_text_and_details_carry_ids_times_and_output(
    mw: MaintenanceWindows, dublin: Any, tmp_path: Path
) -> None:
    window_id, execution, command = failed_command(mw, dublin)
    _, page, data = _page(mw, tmp_path)

    [bar] = [bar for bar in data["bars"] if bar["id"] == command["InvocationId"]]
    assert bar["details"] == "E: dpkg was interrupted"
    assert bar["start"] == "2026-11-24 02:00:00 GMT"
    assert bar["end"] == "2026-11-24 02:03:00 GMT"
    assert bar["duration"] == "3m"
    assert bar["zone"] == "Europe/Dublin"
    fields = dict(bar["fields"])
    assert fields["WindowId"] == window_id
    assert fields["WindowExecutionId"] == execution["WindowExecutionId"]
    assert fields["TaskExecutionId"] == execution["Tasks"][0]["TaskExecutionId"]
    assert fields["ExecutionId"] == command["ExecutionId"]
    assert json.loads(fields["Parameters"]) == json.loads(command["Parameters"])
    # The static hover text (an SVG <title>) says the same.
    tooltip = next(t for t in page.titles if command["InvocationId"] in t)
    assert tooltip == (
        "invocation FAILED: i-0000000000000000a\n"
        "2026-11-24 02:00:00 GMT to 2026-11-24 02:03:00 GMT (3m)\n"
        f"id {command['InvocationId']}\n"
        "StatusDetails: E: dpkg was interrupted"
    )


def test_handler_output_cannot_break_out_of_the_page(
    mw: MaintenanceWindows, dublin: Any, tmp_path: Path
) -> None:
    build(mw, dublin)
    hostile = "</script><script>document.title='owned'</script><!-- & \u2028"
    mw.on_task("LAMBDA", lambda inv: TaskOutcome("FAILED", output=hostile))
    mw.advance(timedelta(hours=3))
    text, page, data = _page(mw, tmp_path)
    assert text.count("</script>") == 2  # the page's own two
    assert len(page.scripts) == 2
    assert [bar["details"] for bar in data["bars"] if bar["kind"] == "invocation"][1:] == [
        hostile, hostile]
    assert any(hostile in title for title in page.titles)  # escaped, so it parses back


def test_an_empty_mock_still_makes_a_page(mw: MaintenanceWindows, tmp_path: Path) -> None:
    _, page, data = _page(mw, tmp_path)
    assert data["bars"] == []
    assert data["lanes"] == []
    assert page.find("svg")
