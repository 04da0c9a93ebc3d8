"""The AWS CLI v1 as a real process against a server: the seed tutorial, verbatim.

Each step of AWS's "Create and Configure a Maintenance Window (CLI)" tutorial
(``examples/tutorial_steps.py``: the tutorial's commands, ids taken from the earlier
steps' output) runs as ``aws ssm ... --endpoint-url URL``; between steps 6 and 7 the
``ssm-mw-stub`` command sets up the fleet and the failing web server and moves the clock
(``ssm-mw-stub advance 7d``); then the execution steps. Every response the CLI printed must
equal what the in-process boto3 replay of the same steps prints (``examples/tutorial.py``):
same seed, same ids, same times.

The AWS CLI v1 pins its own botocore, so ``.ci/run`` runs this in the AWS CLI's own virtual
environment (``SSM_MW_STUB_REQUIRE_CLIENTS=awscli``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ssm_mw_stub.server import ServedMaintenanceWindows

from ..helpers import load_example
from .client_requirements import require

pytestmark = [pytest.mark.clients, pytest.mark.maintenance_windows(start="2026-11-23T00:00:00Z")]

require("awscli", importlib.util.find_spec("awscli") is not None,
        "the AWS CLI (awscli) is not installed here; .ci/run's clients stage runs this test in "
        "a virtual environment that has it")

tutorial = load_example("tutorial")
tutorial_steps = load_example("tutorial_steps")


class CliProcesses:
    """Runs each step as ``aws ssm COMMAND --endpoint-url URL`` in a process of its own."""

    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.url = url
        self.env = env
        self.printed: list[Any] = []

    def aws(self, command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "awscli", "ssm", *shlex.split(command),
             "--endpoint-url", self.url],
            capture_output=True, text=True, env=self.env, timeout=120,
        )

    def step(self, number: int, command: str, operation: str, **params: Any) -> Any:
        done = self.aws(command)
        assert done.returncode == 0, f"step {number}: aws ssm {command}\n{done.stderr}"
        self.printed.append(json.loads(done.stdout) if done.stdout.strip() else {})
        return self.printed[-1]

    def refused(self, number: int, note: str, command: str, operation: str, **params: Any) -> None:
        done = self.aws(command)
        assert done.returncode == 255, done.stdout
        assert (
            "An error occurred (ValidationException) when calling the "
            "RegisterTargetWithMaintenanceWindow operation: Targets must be specified"
        ) in done.stderr


def _stub(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "ssm_mw_stub", *args], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_tutorial_through_the_aws_cli_against_the_server(
    maintenance_windows_server: ServedMaintenanceWindows, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = maintenance_windows_server.env(
        AWS_DEFAULT_REGION="us-east-1", AWS_DEFAULT_OUTPUT="json",
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
    )
    env.pop("AWS_PROFILE", None)
    cli = CliProcesses(maintenance_windows_server.url, env)
    window_id = tutorial_steps.register_steps(cli)
    for instance_id, tags in tutorial_steps.WEB_SERVERS.items():
        _stub(env, "instance", "add", instance_id,
              *[f"--tag={key}={value}" for key, value in tags.items()])
    seconds = f"{int(tutorial_steps.RUN_TIME.total_seconds())}s"
    _stub(env, "outcome", "AWS-RunPowerShellScript", "FAILED", "--duration", seconds,
          "--instance", tutorial_steps.FAILING_SERVER)
    _stub(env, "outcome", "AWS-RunPowerShellScript", "SUCCESS", "--duration", seconds)
    assert _stub(env, "advance", "7d") == "2026-11-30T00:00:00Z\n"
    tutorial_steps.execution_steps(cli, window_id)

    assert len(cli.printed) == 19
    assert cli.printed[-1] == {"WindowId": window_id}
    executions = cli.printed[13]["WindowExecutions"]  # step 7
    assert [execution["Status"] for execution in executions] == ["FAILED"]
    # The in-process replay of the same steps (its own mock, nested) prints the same.
    assert tutorial.main().printed == cli.printed
    capsys.readouterr()
    # The AWS CLI sent every call over HTTP, in the Region of its credential scope.
    assert {call.region for call in maintenance_windows_server.mw.calls} == {"us-east-1"}
    assert os.environ.get("AWS_ENDPOINT_URL_SSM") is None  # the test set it for children only
