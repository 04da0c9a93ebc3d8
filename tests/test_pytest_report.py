"""Failing tests show what the mock ran: a report section, and HTML files on request."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

_TESTS = '''
from datetime import timedelta

import boto3
import pytest

from ssm_mw_stub import TaskOutcome

pytestmark = pytest.mark.maintenance_windows(start="2026-11-24T00:00:00Z")


def _window(mw):
    ssm = boto3.client("ssm", region_name="us-east-1")
    window_id = ssm.create_maintenance_window(
        Name="nightly-job", Schedule="cron(0 2 * * ? *)", Duration=3, Cutoff=1,
        AllowUnassociatedTargets=True)["WindowId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskType="LAMBDA",
        TaskArn="arn:aws:lambda:us-east-1:123456789012:function:job")
    mw.on_task("LAMBDA", lambda inv: TaskOutcome("FAILED", output="job exploded"))
    mw.advance(timedelta(days=1))


def test_fails(maintenance_windows):
    _window(maintenance_windows)
    assert False, "the job should have succeeded"


def test_passes(maintenance_windows):
    _window(maintenance_windows)


@pytest.fixture
def uses_mw(maintenance_windows):
    return maintenance_windows


@pytest.mark.parametrize("n", [1])
def test_fails_through_another_fixture(uses_mw, n):
    _window(uses_mw)
    raise RuntimeError("boom")


def test_fails_without_the_mock():
    assert False
'''


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_report=_TESTS)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_a_failing_test_reports_the_timeline(pytester: pytest.Pytester) -> None:
    result = _run(pytester)
    result.assert_outcomes(passed=1, failed=3)
    out = result.stdout.str()
    # One section per failing test that used the fixture (also through another fixture).
    assert out.count("- maintenance windows -") == 2
    result.stdout.fnmatch_lines([
        "*_ test_fails _*",
        "*AssertionError: the job should have succeeded*",
        "*- maintenance windows -*",
        "Maintenance windows, 2026-11-24 00:00 UTC to 2026-11-25 00:00 UTC (now): 1 window, "
        "1 execution (1 FAILED)",
        "",
        "nightly-job  mw-*  us-east-1  cron(0 2 * * ? *)  UTC  next 2026-11-25 02:00:00 UTC",
        "  11-24 00:00 |....F...........................................| 11-25 00:00 UTC",
        "  2026-11-24 02:00:00 UTC  FAILED      0s  One or more tasks in the orchestration "
        "failed.  *",
        "    02:00:00  FAILED      0s  arn:aws:lambda:us-east-1:123456789012:function:job  "
        "LAMBDA  priority 0  *",
        "      02:00:00  FAILED      0s  invocation #1: job exploded  *",
        "",
        "chart: F FAILED  . none; one column is 30m",
        "*_ test_fails_through_another_fixture?1? _*",
        "*RuntimeError: boom*",
        "*- maintenance windows -*",
    ])
    assert "HTML timeline:" not in out
    # The test that never used the mock has no section.
    tail = out.split("_ test_fails_without_the_mock _")[1]
    assert "maintenance windows" not in tail.split("short test summary")[0]


def test_show_capture_no_hides_it(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "--show-capture=no")
    assert "- maintenance windows -" not in result.stdout.str()


def test_mw_timeline_writes_the_html_of_each_failing_test(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    folder = tmp_path / "timelines"
    result = _run(pytester, f"--mw-timeline={folder}")
    result.assert_outcomes(passed=1, failed=3)
    written = sorted(path.name for path in folder.iterdir())
    assert written == [
        "test_report.py_test_fails.html",
        "test_report.py_test_fails_through_another_fixture_1_.html",
    ]
    page = (folder / "test_report.py_test_fails.html").read_text()
    assert "job exploded" in page
    assert page.startswith("<!DOCTYPE html>")
    result.stdout.fnmatch_lines([f"HTML timeline: {folder}/test_report.py_test_fails.html"])


def test_the_ini_option_names_a_default_folder(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nmw_timeline = out/timelines\n")
    result = _run(pytester)
    result.assert_outcomes(passed=1, failed=3)
    assert len(list((pytester.path / "out" / "timelines").iterdir())) == 2


def test_the_option_is_documented(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines([
        "*--mw-timeline=DIR*write the HTML maintenance-window timeline of each*",
    ])
