"""Replay AWS's maintenance-window CLI tutorial through the AWS CLI itself, in-process.

The AWS CLI v1 runs on botocore in the same process
(``awscli.clidriver.create_clidriver().main([...])``), so inside ``mock_maintenance_windows()``
its calls are answered by the stub like boto3's: no credentials, no network. Each command is
the tutorial's own (``examples/tutorial_steps.py``; only the ids are substituted), run
through the real CLI, which prints its JSON as it would against AWS (timestamps as sent,
epoch seconds). The tutorial's tag command with ``Key=Role`` fails as the real service fails
it: the CLI's error message and its exit status 255.

Needs the AWS CLI v1 (``pip install awscli``). Run:  python examples/cli_tutorial.py
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tutorial_steps, from anywhere

from tutorial_steps import START, replay

from ssm_mw_stub import mock_maintenance_windows


def run_aws(*args: str) -> tuple[int, str, str]:
    """Run ``aws args...`` in this process: (exit status, stdout, stderr).

    A service error exits 255 with the message on stderr, as the CLI v1 does; a usage error
    (argparse) exits 2. Each run makes a new CLI driver, whose new botocore session picks up
    the stub's hook.
    """
    from awscli.clidriver import create_clidriver

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = create_clidriver().main(list(args))
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
    return status, out.getvalue(), err.getvalue()


class CliRunner:
    """Runs each step's command through the AWS CLI and prints what the CLI printed."""

    def __init__(self) -> None:
        #: Every response, as the CLI printed it (parsed back from its JSON).
        self.printed: list[Any] = []

    def step(self, number: int, command: str, operation: str, **params: Any) -> Any:
        status, out, err = run_aws("ssm", *shlex.split(command))
        if status != 0:
            raise RuntimeError(f"step {number}: aws ssm {command}\nexit {status}: {err}")
        print(f"\n## Step {number}\n$ aws ssm {command}")
        print(out, end="")
        self.printed.append(json.loads(out) if out.strip() else {})
        return self.printed[-1]

    def refused(self, number: int, note: str, command: str, operation: str, **params: Any) -> None:
        status, out, err = run_aws("ssm", *shlex.split(command))
        if status == 0:
            raise RuntimeError(f"step {number} ({note}) was expected to fail:\n{out}")
        print(f"\n## Step {number}, {note} fails with exit status {status}:")
        print(f"$ aws ssm {command}")
        print(err.strip())


def main() -> CliRunner:
    # The tutorial's commands name no Region and expect JSON output.
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    os.environ["AWS_DEFAULT_OUTPUT"] = "json"
    with mock_maintenance_windows(start=START) as mw:
        runner = CliRunner()
        replay(mw, runner)
    return runner


if __name__ == "__main__":
    main()
