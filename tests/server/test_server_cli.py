"""The ``ssm-mw-stub`` command: ``serve`` as a real process, and the commands that drive it.

``serve`` runs in a child process (the URL on its first line, signals stop it with exit
status 0); the client commands run in-process (``cli.main``) against the test's server,
and twice through real processes (the console script, and ``python -m ssm_mw_stub``).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from ssm_mw_stub import connect
from ssm_mw_stub.server import ServedMaintenanceWindows
from ssm_mw_stub.server.cli import main

from .server_helpers import nightly_command_window, post, server_process

NODE = "i-0a1b2c3d4e5f60001"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_its_url_first_and_stops_on_a_signal(signum: signal.Signals) -> None:
    with server_process("--start", "2026-11-24T00:00:00Z", "--seed", "7",
                        "--account-id", "111122223333") as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert not server.url.endswith(":4583")  # --port 0 picked a free port
        assert post(server.url, "DescribeMaintenanceWindows").status == 200
        remote = connect(server.url)
        assert remote.account_id == "111122223333"
        assert remote.now.isoformat() == "2026-11-24T00:00:00+00:00"
        server.process.send_signal(signum)
        assert server.process.wait(timeout=10) == 0
        server.stderr.seek(0)
        assert "control API" in server.stderr.read()
    with pytest.raises(ConnectionError):
        connect(server.url)


def test_serve_binds_the_host_it_is_given() -> None:
    with server_process("--host", "127.0.0.2") as server:
        assert server.url.startswith("http://127.0.0.2:")
        assert post(server.url, "DescribeMaintenanceWindows").status == 200


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--start", "tomorrow"], "--start must be an ISO 8601 timestamp"),
        (["--account-id", "12"], "account_id must be 12 digits"),
    ],
)
def test_serve_refuses_bad_options(args: list[str], words: str) -> None:
    done = subprocess.run([sys.executable, "-m", "ssm_mw_stub", "serve", "--port", "0", *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert words in done.stderr


def test_serve_says_when_the_port_is_taken() -> None:
    with server_process() as server:
        port = server.url.rsplit(":", 1)[1]
        done = subprocess.run(
            [sys.executable, "-m", "ssm_mw_stub", "serve", "--port", port],
            capture_output=True, text=True, timeout=60,
        )
    assert done.returncode == 1
    assert "ssm-mw-stub: error:" in done.stderr
    assert done.stdout == ""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_commands_drive_the_server(
    maintenance_windows_server: ServedMaintenanceWindows, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    mw = maintenance_windows_server.mw
    monkeypatch.setenv("SSM_MW_STUB_URL", maintenance_windows_server.url)
    ssm = boto3.client("ssm", region_name="us-east-1")
    window = nightly_command_window(ssm)

    assert _run(capsys, "now") == (0, "2026-11-24T00:00:00Z\n", "")
    assert _run(capsys, "instance", "add", NODE, "--tag", "Role=web", "--tag", "Team=a=b") == (
        0, "", "")
    assert _run(capsys, "instance", "add", "i-0a1b2c3d4e5f60002", "--offline", "--region",
                "eu-west-1") == (0, "", "")
    assert _run(capsys, "outcome", "AWS-RunShellScript", "Failed", "--duration", "10m",
                "--stdout", "partial", "--stderr", "disk full", "--response-code", "2",
                "--instance", NODE) == (0, "", "")
    status, out, _ = _run(capsys, "outcomes")
    assert json.loads(out) == [{
        "key": "AWS-RunShellScript", "instance_id": NODE, "status": "Failed",
        "duration": "PT10M", "stdout": "partial", "stderr": "disk full", "response_code": 2}]
    assert _run(capsys, "advance", "4h") == (0, "2026-11-24T04:00:00Z\n", "")
    [execution] = ssm.describe_maintenance_window_executions(WindowId=window)["WindowExecutions"]
    assert execution["Status"] == "FAILED"
    assert execution["EndTime"] - execution["StartTime"] == timedelta(minutes=10)
    assert _run(capsys, "advance-to", "2026-11-25T00:00:00+01:00") == (
        0, "2026-11-24T23:00:00Z\n", "")
    assert _run(capsys, "advance", "PT1H") == (0, "2026-11-25T00:00:00Z\n", "")

    status, out, _ = _run(capsys, "events", "--clear")
    assert json.loads(out) == [] or json.loads(out)[0]["source"] == "aws.ssm"
    assert len(json.loads(out)) > 3
    assert mw.events == []
    status, out, _ = _run(capsys, "calls")
    assert out.splitlines()[0].endswith("us-east-1  CreateMaintenanceWindow  OK")
    status, out, _ = _run(capsys, "timeline")
    assert out == str(mw.timeline()) + "\n"
    status, out, _ = _run(capsys, "timeline", "--full")
    assert out == mw.timeline().text(max_lines=None) + "\n"
    page = tmp_path / "timeline.html"
    assert _run(capsys, "timeline", "--html", str(page)) == (0, f"wrote {page}\n", "")
    assert page.read_text() == mw.timeline().html()
    assert _run(capsys, "resource-group", "web", NODE, "--typed", "arn:aws:s3:::logs",
                "AWS::S3::Bucket") == (0, "", "")
    assert _run(capsys, "instance", "remove", NODE) == (0, "", "")
    status, _, err = _run(capsys, "instance", "remove", NODE)
    assert status == 1
    assert err.startswith(f"ssm-mw-stub: error: instance '{NODE}' is not in the fake fleet")
    status, out, _ = _run(capsys, "outcomes", "--clear")
    assert json.loads(out) == []
    assert _run(capsys, "reset") == (0, "2026-11-24T00:00:00Z\n", "")
    assert boto3.client("ssm", region_name="us-east-1").describe_maintenance_windows()[
        "WindowIdentities"] == []


def test_command_line_errors(
    maintenance_windows_server: ServedMaintenanceWindows, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SSM_MW_STUB_URL", raising=False)
    status, _, err = _run(capsys, "now")
    assert status == 1
    assert "SSM_MW_STUB_URL" in err
    url = maintenance_windows_server.url
    for args in (["advance", "soon"], ["instance", "add", NODE, "--tag", "novalue"]):
        with pytest.raises(SystemExit) as stopped:
            main([*args, "--endpoint", url])
        assert stopped.value.code == 2
    status, _, err = _run(capsys)
    assert status == 2
    assert err.startswith("usage: ssm-mw-stub")
    status, _, err = _run(capsys, "outcome", "RUN_COMMAND", "Fine", "--endpoint", url)
    assert status == 1
    assert "TaskOutcome status must be one of" in err
    status, _, err = _run(capsys, "advance-to", "2026-11-23T00:00:00Z", "--endpoint", url)
    assert status == 1
    assert "the clock cannot go back" in err
    closed = url.rsplit(":", 1)[0] + ":1"
    status, _, err = _run(capsys, "now", "--endpoint", closed)
    assert status == 1
    assert "no ssm-mw-stub server answers" in err


def _script() -> str:
    found = shutil.which("ssm-mw-stub", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the ssm-mw-stub console script is not installed beside this Python")
    return found


@pytest.mark.parametrize("how", ["console script", "python -m"])
def test_the_command_as_a_process(how: str, maintenance_windows_server: ServedMaintenanceWindows
                                  ) -> None:
    command = [_script()] if how == "console script" else [sys.executable, "-m", "ssm_mw_stub"]
    env: dict[str, Any] = maintenance_windows_server.env()
    done = subprocess.run([*command, "advance", "7d"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "2026-12-01T00:00:00Z\n", "")
    assert maintenance_windows_server.mw.now.isoformat() == "2026-12-01T00:00:00+00:00"
