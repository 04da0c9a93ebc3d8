"""The examples run as a new user runs them, and say what the README says they say."""

from __future__ import annotations

import doctest
import re
import runpy

import pytest

from ssm_mw_stub import MaintenanceWindows

from .helpers import source_file

EXAMPLES = source_file("examples")


def test_tutorial_replays_every_step(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "tutorial.py"), run_name="__main__")
    out = capsys.readouterr().out
    for number in range(1, 13):
        assert f"## Step {number}\n$ aws ssm " in out
    assert '"Name": "My-First-Maintenance-Window"' in out
    assert '"NextExecutionTime": "2026-11-24T16:00-08:00"' in out
    # The tutorial's own "Key=Role" target is refused with the service's message.
    assert "Step 3, as printed in the tutorial (Key=Role) fails:\nValidationException: " in out
    assert '"Type": "LAMBDA"' in out
    assert '"Type": "AUTOMATION"' in out


def test_patch_window_reports_each_server_and_reads_the_reboot_runbooks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    runpy.run_path(str(EXAMPLES / "patch_window.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "FAILED" not in out
    assert re.search(r"^all \d+ checks passed$", out, flags=re.MULTILINE)
    # Each server's result through get_command_invocation ...
    assert " - the broken server failed with apt's exit code\n" in out
    assert "   i-0a1b2c3d4e5f60003: Failed (exit 100, PT12M)" in out
    # ... and the reboot runbooks' through get_automation_execution.
    assert "- every reboot runbook succeeded\n" in out
    assert "- each runbook stopped, then started its server\n" in out
    # ... and Patch Manager's view: patch states, compliance, the patch report.
    assert "- after the reboots three servers are compliant, the broken one is not\n" in out
    assert "   i-0a1b2c3d4e5f60003: openssl-3.0.8-1.amzn2023 failed\n" in out
    assert "- a week later the window installs curl too\n" in out


def test_the_handles_docstring_example_runs() -> None:
    # The example at the entry point (as botocore's Stubber has one): run as doctest runs it.
    finder = doctest.DocTestFinder(recurse=False)
    [test] = finder.find(MaintenanceWindows, "MaintenanceWindows")
    assert len(test.examples) == 3
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    result = runner.run(test)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"
