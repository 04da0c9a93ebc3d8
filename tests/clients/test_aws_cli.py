"""The AWS CLI v1, run in-process, inside the mock: the tutorial verbatim, output formats,
queries, and the CLI's own exit status and message on errors.

The AWS CLI v1 pins its own botocore (since 1.46 it ships one inside the ``awscli``
package), so ``.ci/run`` runs these tests in a virtual environment of their own
(``pytest -m clients``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest

from ssm_mw_stub import mock_maintenance_windows

from ..helpers import START, load_example
from .fresh_interpreter import run_fresh

pytestmark = pytest.mark.clients

pytest.importorskip(
    "awscli.clidriver",
    reason="the AWS CLI (awscli) is not installed here; .ci/run's clients stage runs these "
    "tests in a virtual environment that has it (pytest -m clients)",
)

cli_tutorial = load_example("cli_tutorial")
tutorial = load_example("tutorial")

CREATE = ["ssm", "create-maintenance-window", "--schedule", "rate(1 day)", "--duration", "2",
          "--cutoff", "1", "--allow-unassociated-targets"]

Aws = Callable[..., tuple[int, str, str]]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Aws]:
    """``aws(*args)`` inside an active mock, with no AWS configuration or credentials."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    # Set here so that they are undone after the test (the example sets them too).
    monkeypatch.setenv("AWS_DEFAULT_OUTPUT", "json")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with mock_maintenance_windows(start=START):
        yield cli_tutorial.run_aws


def test_the_tutorial_runs_verbatim_through_the_cli(
    aws: Aws, capsys: pytest.CaptureFixture[str]
) -> None:
    through_cli = cli_tutorial.main()
    out = capsys.readouterr().out
    for number in range(1, 13):
        assert f"## Step {number}\n$ aws ssm " in out
    assert (
        "## Step 3, as printed in the tutorial (Key=Role) fails with exit status 255:\n$ aws ssm "
        "register-target-with-maintenance-window" in out
    )
    assert (
        "An error occurred (ValidationException) when calling the "
        "RegisterTargetWithMaintenanceWindow operation: Targets must be specified" in out
    )
    # The CLI parsed each verbatim command into exactly the request the boto3 replay makes:
    # every response printed is the same.
    through_boto3 = tutorial.main()
    assert through_cli.printed == through_boto3.printed
    assert len(through_cli.printed) == 19


def test_output_table_text_and_query(aws: Aws) -> None:
    status, out, _ = aws(*CREATE, "--name", "nightly", "--query", "WindowId", "--output", "text")
    assert status == 0
    window_id = out.strip()
    assert window_id.startswith("mw-")

    status, out, _ = aws("ssm", "describe-maintenance-windows", "--output", "table")
    assert status == 0
    assert out.splitlines()[1].strip("| ") == "DescribeMaintenanceWindows"
    assert f"||  WindowId          |  {window_id}  ||" in out
    assert "||  Name              |  nightly               ||" in out

    status, out, _ = aws(
        "ssm", "describe-maintenance-windows", "--query",
        "WindowIdentities[?Enabled].[Name, NextExecutionTime]",
    )
    assert status == 0
    assert json.loads(out) == [["nightly", "2026-11-25T00:00Z"]]


def test_timestamps_print_as_sent_and_pages_are_merged(aws: Aws) -> None:
    ssm = boto3.client("ssm", region_name="eu-west-1")  # quicker than twelve CLI runs
    for n in range(12):
        ssm.create_maintenance_window(
            Name=f"window-{n:02}", Schedule="rate(1 day)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=True,
        )
    status, out, _ = aws("ssm", "describe-maintenance-windows", "--page-size", "10")
    assert status == 0
    assert len(json.loads(out)["WindowIdentities"]) == 12  # two calls, merged by the CLI
    status, out, _ = aws("ssm", "describe-maintenance-windows", "--max-items", "5")
    assert len(json.loads(out)["WindowIdentities"]) == 5
    assert "NextToken" in json.loads(out)

    window_id = json.loads(aws("ssm", "describe-maintenance-windows")[1])[
        "WindowIdentities"][0]["WindowId"]
    status, out, _ = aws("ssm", "get-maintenance-window", "--window-id", window_id)
    assert json.loads(out)["CreatedDate"] == 1795478400.0  # epoch seconds, as the CLI shows


def test_an_aws_error_is_the_clis_message_and_exit_status_255(aws: Aws) -> None:
    status, out, err = aws("ssm", "get-maintenance-window", "--window-id", "mw-0123456789abcdef0")
    assert status == 255
    assert out == ""
    assert err == (
        "\nAn error occurred (DoesNotExistException) when calling the GetMaintenanceWindow "
        "operation: Maintenance window mw-0123456789abcdef0 does not exist\n"
    )
    status, _, err = aws(*CREATE, "--name", "too-long", "--duration", "2", "--cutoff", "2")
    assert status == 255
    assert "An error occurred (ValidationException) when calling the " in err


def test_an_unmocked_ssm_call_is_stopped_with_the_clis_exit_status(aws: Aws) -> None:
    status, out, err = aws("ssm", "get-parameter", "--name", "/db/password")
    assert status == 255
    assert out == ""
    assert "SSM operation GetParameter is not a maintenance-window operation" in err
    assert "stopped before it could reach the network" in err


def test_with_the_cli_loaded_first_it_runs_on_its_own_botocore(tmp_path: Path) -> None:
    # Inside pytest the package (and so botocore) is loaded first; a fresh interpreter that
    # loads the CLI first runs everything on the CLI's own botocore, which must work too,
    # and outside the mock the CLI's call goes out (to the network guard).
    script = f"""
import contextlib, io, sys
import awscli.clidriver  # the CLI first: `import botocore` now means the CLI's own copy
import botocore
from ssm_mw_stub import mock_maintenance_windows

def aws(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = awscli.clidriver.create_clidriver().main(list(args))
    return status, out.getvalue(), err.getvalue()

print("botocore of the CLI", "awscli" in botocore.__file__)
with mock_maintenance_windows(start="{START.isoformat()}"):
    print(aws("ssm", "describe-maintenance-windows", "--output", "text"))
try:
    aws("ssm", "describe-maintenance-windows")
except BaseException as error:
    print(type(error).__name__)
"""
    result = run_fresh(tmp_path, script)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["botocore of the CLI True", "(0, '', '')"]
    # The network guard fired (botocore's retries may wrap it): the call went out.
    assert "NetworkUsed" in result.stdout + result.stderr
