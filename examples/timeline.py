"""Four weeks of a patch window, drawn: the text timeline, the HTML page, and its picture.

The scenario of ``patch_window.py`` (a Sunday 03:00 Berlin window patching four prod web
servers, one of which fails, then rebooting each) next to a nightly backup window, run for
four simulated weeks. It prints the text timeline and writes the HTML timeline.

Run it:

    python examples/timeline.py [--html timeline.html] [--screenshot docs/timeline.png]
                                [--overview docs/timeline-month.png]

``--screenshot`` opens the page in headless Chromium through Playwright (``pip install
playwright``; the browser is the system's Chromium, e.g. Debian's ``apt-get install
chromium``; nothing is downloaded), zooms to the first patch execution, selects its failed
command and saves a PNG; ``--overview`` saves the whole four weeks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from patch_window import create_patch_window, prepare

from ssm_mw_stub import MaintenanceWindows, TaskOutcome, mock_maintenance_windows

#: Chromium's switches for a closed machine: no sandbox (root in containers), no GPU, and no
#: background traffic of its own.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def run_scenario(mw: MaintenanceWindows) -> None:
    """The patch window and a nightly backup over four weeks (``mw`` must be active)."""
    ssm = boto3.client("ssm", region_name="eu-central-1")
    prepare(mw)
    create_patch_window(ssm)
    backup = ssm.create_maintenance_window(
        Name="nightly-backup", Schedule="cron(30 1 * * ? *)", ScheduleTimezone="Europe/Berlin",
        Duration=2, Cutoff=1, AllowUnassociatedTargets=True,
    )["WindowId"]
    ssm.register_task_with_maintenance_window(
        WindowId=backup, TaskType="LAMBDA", Priority=1, Name="snapshot",
        TaskArn="arn:aws:lambda:eu-central-1:123456789012:function:snapshot-volumes",
    )
    mw.on_task("LAMBDA", lambda inv: TaskOutcome(
        "TIMED_OUT" if inv.start_time.day == 9 else "SUCCESS",
        duration=timedelta(minutes=15 if inv.start_time.day == 9 else 6),
        output="snapshot of vol-0a1b2c3d took too long" if inv.start_time.day == 9 else "",
    ))
    mw.advance(timedelta(weeks=4))


def chromium_path() -> str | None:
    """The system's Chromium (``SSM_MW_STUB_CHROMIUM`` overrides), or None."""
    configured = os.environ.get("SSM_MW_STUB_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def browser(width: int = 1280, height: int = 720) -> Iterator[Any]:
    """A headless Chromium browser context (Playwright) with a fresh profile."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium found: install it (apt-get install chromium)")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            yield context
        finally:
            context.close()


def screenshot(html: Path, png: Path | None, overview: Path | None) -> None:
    """Save the month (``overview``) and the first patch execution with its failed command
    selected (``png``)."""
    with browser(height=860) as context:
        page = context.new_page()
        page.goto(html.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]")
        if overview is not None:
            page.screenshot(path=str(overview), clip={"x": 0, "y": 0, "width": 1280, "height": 400})
        if png is not None:
            page.dblclick("g.lane[data-lane='0'] rect.bar >> nth=0")
            page.click("g.lane[data-lane='2'] rect.bar >> nth=0")
            page.mouse.move(0, 0)  # no tooltip in the picture
            page.screenshot(path=str(png))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=Path("timeline.html"))
    parser.add_argument("--screenshot", type=Path, default=None, metavar="PNG")
    parser.add_argument("--overview", type=Path, default=None, metavar="PNG")
    args = parser.parse_args()
    with mock_maintenance_windows(start="2026-11-23T09:00:00Z") as mw:
        run_scenario(mw)
        timeline = mw.timeline()
    print(timeline)
    print(f"\nHTML timeline: {timeline.save(args.html)}")
    if args.screenshot is not None or args.overview is not None:
        screenshot(args.html, args.screenshot, args.overview)
        print(f"screenshots: {args.screenshot or ''} {args.overview or ''}")


if __name__ == "__main__":
    main()
