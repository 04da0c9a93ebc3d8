"""What a failing test's report gets: the text timeline, and the HTML file on request.

Called by the pytest plugin (:mod:`.pytest_plugin`) for a failed phase (setup, call or
teardown) of a test that used the ``maintenance_windows`` fixture, with the handle's
``timeline`` method: this module knows the timeline, not the mock. Taking and drawing the
timeline must never hide the test's own failure, so an error while doing either is
reported in the section instead of raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

    from .timeline import Timeline

__all__ = ["SECTION", "add_to_report", "html_name"]

#: The title of the report section (pytest prints it as ``--- maintenance windows ---``).
SECTION = "maintenance windows"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def html_name(nodeid: str) -> str:
    """A file name for a test's HTML timeline: its node id with path separators and
    brackets made safe (``tests/test_x.py::test_y[a]`` -> ``tests_test_x.py_test_y_a_.html``)."""
    return _UNSAFE.sub("_", nodeid)[:180] + ".html"


def add_to_report(
    item: pytest.Item, report: pytest.TestReport, snapshot: Callable[[], Timeline]
) -> None:
    """Add the section to ``report``: the text timeline ``snapshot()`` takes, and the path of
    its HTML file when ``--mw-timeline`` (or the ``mw_timeline`` ini option) names a folder."""
    title = SECTION if report.when == "call" else f"{SECTION} ({report.when})"
    try:
        timeline = snapshot()
        text = timeline.text()
        folder = item.config.getoption("mw_timeline") or item.config.getini("mw_timeline")
        if folder:
            path = Path(folder)
            path.mkdir(parents=True, exist_ok=True)
            written = timeline.save(path / html_name(item.nodeid))
            text += f"\nHTML timeline: {written}"
    except Exception as exc:  # the test's own failure comes first
        text = f"(could not draw the maintenance-window timeline: {type(exc).__name__}: {exc})"
    report.sections.append((title, text))
