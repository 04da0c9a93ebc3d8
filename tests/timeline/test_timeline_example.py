"""examples/timeline.py runs as a new user runs it: the text timeline, then the HTML file."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from ..helpers import source_file

EXAMPLE = source_file("examples", "timeline.py")


def test_the_example_prints_the_timeline_and_writes_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "timeline.html"
    monkeypatch.setattr(sys, "argv", ["timeline.py", "--html", str(page)])
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith(
        "Maintenance windows, 2026-11-23 09:00 UTC to 2026-12-21 09:00 UTC (now): 2 windows, "
        "32 executions (27 SUCCESS, 4 FAILED, 1 TIMED_OUT)\n"
    )
    chart = "  11-23 10:00 |.........F...........F...........F...........F..| 12-21 10:00 CET\n"
    assert chart in out
    assert "      4 invocations SUCCESS between 03:20:00 and 03:28:00\n" in out
    assert "invocation #1: snapshot of vol-0a1b2c3d took too long" in out
    assert out.endswith(f"HTML timeline: {page}\n")
    # The patch window's four runs: the execution, two tasks and five invocations, the four
    # nodes of the patch command and the two steps of each of the four reboot runbooks;
    # the backup window's 28 runs: the execution, its task and its invocation.
    assert page.read_text().count('class="bar st-') == 4 * (8 + 4 + 4 * 2) + 28 * 3
