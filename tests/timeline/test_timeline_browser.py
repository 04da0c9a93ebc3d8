"""The HTML timeline in a real browser: headless Chromium, driven through Playwright.

Skipped, saying why, unless both are installed: Playwright's Python package (``pip install
playwright``; its own browser download is never used) and a system Chromium (Debian's
``apt-get install chromium``; ``SSM_MW_STUB_CHROMIUM`` may name another binary).
``.ci/browser`` installs both. With ``SSM_MW_STUB_REQUIRE_BROWSER`` set (CI's browser stage)
a missing one is an error instead, so the stage cannot pass without running the tests.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import runpy
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from ssm_mw_stub import MaintenanceWindows

from ..helpers import source_file
from .timeline_scenario import build, failed_command

_EXAMPLE = runpy.run_path(str(source_file("examples", "timeline.py")))



def _unavailable(reason: str) -> None:
    if os.environ.get("SSM_MW_STUB_REQUIRE_BROWSER"):
        raise RuntimeError(reason)
    pytest.skip(reason, allow_module_level=True)


if importlib.util.find_spec("playwright") is None:
    _unavailable(
        "browser test skipped: Playwright is not installed (pip install playwright; "
        ".ci/browser installs it with a system Chromium)"
    )
if _EXAMPLE["chromium_path"]() is None:
    _unavailable(
        "browser test skipped: no Chromium on this machine (apt-get install chromium, or "
        "set SSM_MW_STUB_CHROMIUM; .ci/browser installs it)"
    )

#: The status colours of page.css, as a screenshot shows them (RGB).
FAILED_RED = (0xD3, 0x2F, 0x2F)
SUCCESS_GREEN = (0x2E, 0x7D, 0x32)

_COUNT_COLOURS = """
async ([png, colours]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  const counts = colours.map(() => 0);
  for (let i = 0; i < pixels.length; i += 4) {
    colours.forEach((c, n) => {
      if (Math.abs(pixels[i] - c[0]) < 12 && Math.abs(pixels[i + 1] - c[1]) < 12 &&
          Math.abs(pixels[i + 2] - c[2]) < 12) { counts[n] += 1; }
    });
  }
  return counts;
}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with _EXAMPLE["browser"](width=1280, height=800) as context:
        yield context


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A tab that records every request it makes and every script error."""
    tab = browser.new_page()
    tab.requests = []
    tab.errors = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    tab.close()


def _open(page: Any, mw: MaintenanceWindows, tmp_path: Path) -> Path:
    path = mw.timeline().save(tmp_path / "timeline.html")
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]")
    return path


def _colours(page: Any, png: bytes) -> list[int]:
    blank = page.context.new_page()
    try:
        counts: list[int] = blank.evaluate(
            _COUNT_COLOURS, [base64.b64encode(png).decode(), [FAILED_RED, SUCCESS_GREEN]]
        )
    finally:
        blank.close()
    return counts


def _failing_night(mw: MaintenanceWindows, dublin: Any) -> str:
    window_id = build(mw, dublin)
    mw.advance(timedelta(days=3))  # the third night's update fails on node ...b
    return window_id


def test_renders_bars_coloured_by_status_without_loading_anything(
    page: Any, mw: MaintenanceWindows, dublin: Any, tmp_path: Path
) -> None:
    _failing_night(mw, dublin)
    path = _open(page, mw, tmp_path)
    assert page.requests == [path.as_uri()]  # the page itself, nothing else
    assert page.errors == []
    boxes = page.eval_on_selector_all(
        "rect.bar", "rects => rects.map(r => r.getBoundingClientRect().toJSON())")
    # Each night: the execution, two tasks, three invocations, and the two nodes of the
    # update's command.
    assert len(boxes) == 3 * 8
    plot = page.eval_on_selector("#chart", "svg => svg.getBoundingClientRect().toJSON()")
    for box in boxes:
        assert box["width"] >= 2
        assert box["height"] >= 8
        assert plot["left"] + 320 - 11 <= box["left"] <= plot["right"]
    png = page.screenshot(path=str(tmp_path / "timeline.png"))
    red, green = _colours(page, png)
    assert red > 100, "no FAILED bars visible in the screenshot"
    assert green > 100, "no SUCCESS bars visible in the screenshot"


def test_zooms_from_a_year_down_to_one_execution(
    page: Any, mw: MaintenanceWindows, dublin: Any, tmp_path: Path
) -> None:
    _failing_night(mw, dublin)
    _open(page, mw, tmp_path)
    assert page.inner_text("#view").endswith("(3.1d)")
    page.click("button[data-zoom='31536000000']")
    assert page.inner_text("#view").endswith("(365d)")
    failed = "g.lane-window rect.bar.st-FAILED"
    assert page.eval_on_selector(failed, "r => r.getBoundingClientRect().width") == 2
    page.dblclick(failed)
    view = page.inner_text("#view")
    # The execution (5 minutes) and 15% on either side, in the window's zone.
    assert view == "showing 2026-11-26 01:59:15 GMT to 2026-11-26 02:05:45 GMT (6.5m)"
    width = page.eval_on_selector(failed, "r => r.getBoundingClientRect().width")
    assert width > 600  # the one execution fills most of the plot
    page.mouse.move(700, 200)
    page.mouse.wheel(0, 400)  # wheel down: zoom out around the pointer
    assert page.eval_on_selector(failed, "r => r.getBoundingClientRect().width") < width
    page.click("button[data-zoom='fit']")
    assert page.inner_text("#view").endswith("(3.1d)")


def test_hover_and_click_show_ids_times_details_and_output(
    page: Any, mw: MaintenanceWindows, dublin: Any, tmp_path: Path
) -> None:
    window_id, execution, command = failed_command(mw, dublin)
    _open(page, mw, tmp_path)
    page.dblclick("g.lane-window rect.bar")
    bar = "g.lane-invocation rect.bar.st-FAILED"
    page.hover(bar)
    tooltip = page.inner_text("#tooltip")
    assert page.is_visible("#tooltip")
    assert command["InvocationId"] in tooltip
    assert "StatusDetails: E: dpkg was interrupted" in tooltip
    page.click(bar)
    details = page.inner_text("#details")
    for expected in (
        command["InvocationId"], execution["WindowExecutionId"], window_id,
        execution["Tasks"][0]["TaskExecutionId"], command["ExecutionId"],
        "E: dpkg was interrupted", "2026-11-24 02:00:00 UTC", "2026-11-24 02:03:00 UTC", "3m",
    ):
        assert expected in details
    page.select_option("#zone", "Europe/Dublin")
    assert "2026-11-24 02:00:00 GMT" in page.inner_text("#details")


def test_a_window_folds_to_one_row(
    page: Any, mw: MaintenanceWindows, dublin: Any, tmp_path: Path
) -> None:
    _failing_night(mw, dublin)
    _open(page, mw, tmp_path)
    height = page.eval_on_selector("#chart", "svg => svg.getBoundingClientRect().height")
    page.click("g.lane-window .lane-label")
    assert page.eval_on_selector_all(
        "g.lane", "lanes => lanes.filter(l => l.style.display !== 'none').length") == 1
    folded = page.eval_on_selector("#chart", "svg => svg.getBoundingClientRect().height")
    assert folded == height - 7 * 22  # two tasks, three invocations, two nodes


def test_the_servers_live_page_is_the_saved_page_and_follows_the_clock(
    page: Any, maintenance_windows_server: Any, tmp_path: Path
) -> None:
    """Server mode's ``GET /_ssm-mw-stub/timeline``: the page ``mw.timeline().save()``
    writes, of what ran so far; a reload after the clock moved shows the new night."""
    import boto3

    from ssm_mw_stub import connect

    mw = maintenance_windows_server.mw
    build(mw, boto3.client("ssm", region_name="eu-west-1"))
    remote = connect(maintenance_windows_server.url)
    remote.advance(timedelta(days=3))  # the third night's update fails on node ...b
    live = f"{maintenance_windows_server.url}/_ssm-mw-stub/timeline"
    page.goto(live)
    page.wait_for_selector("body[data-ready=true]")
    assert page.requests == [live]  # the page itself, nothing else
    assert page.errors == []
    assert page.content() == _rendered(page, mw, tmp_path)
    assert len(page.query_selector_all("rect.bar")) == 3 * 8
    red, green = _colours(page, page.screenshot())
    assert red > 100
    assert green > 100
    remote.advance(timedelta(days=1))
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert len(page.query_selector_all("rect.bar")) == 4 * 8
    assert page.content() == _rendered(page, mw, tmp_path)


def _rendered(page: Any, mw: MaintenanceWindows, tmp_path: Path) -> str:
    """The DOM of the saved page, rendered in another tab of the same browser."""
    saved = page.context.new_page()
    try:
        saved.goto(mw.timeline().save(tmp_path / "saved.html").as_uri())
        saved.wait_for_selector("body[data-ready=true]")
        return str(saved.content())
    finally:
        saved.close()
