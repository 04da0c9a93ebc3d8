"""Replay AWS's "Create and Configure a Maintenance Window (CLI)" tutorial in-process.

Every step of the tutorial (``examples/tutorial_steps.py``) is made as the boto3 call the
AWS CLI command stands for, and the response is printed as JSON the way the tutorial shows
it. Nothing leaves the process: no credentials, no network. The ids are the ones the stub
generates (the tutorial's ``...EXAMPLE`` ids are not valid ids), and the clock is a fake one
that this script moves a week forward so that the window actually runs before the execution
steps. ``examples/cli_tutorial.py`` replays the same steps through the AWS CLI itself.

Run:  python examples/tutorial.py
"""

from __future__ import annotations

import base64
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tutorial_steps, from anywhere

from tutorial_steps import START, replay

from ssm_mw_stub import mock_maintenance_windows


def jsonable(value: Any) -> Any:
    """What the CLI prints: timestamps as epoch seconds, blobs as base64."""
    if isinstance(value, datetime):
        return round(value.timestamp(), 3)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


class Boto3Runner:
    """Makes each step's call with a boto3 client and prints it as the tutorial shows it."""

    def __init__(self, client: Any) -> None:
        self.client = client
        #: Every response, as the CLI would print it (for comparing the two replays).
        self.printed: list[Any] = []

    def step(self, number: int, command: str, operation: str, **params: Any) -> Any:
        response = getattr(self.client, operation)(**params)
        self.printed.append(jsonable(response))
        print(f"\n## Step {number}\n$ aws ssm {command}")
        print(json.dumps(self.printed[-1], indent=3))
        return response

    def refused(self, number: int, note: str, command: str, operation: str, **params: Any) -> None:
        try:
            getattr(self.client, operation)(**params)
        except ClientError as error:
            print(f"\n## Step {number}, {note} fails:")
            print(f"{error.response['Error']['Code']}: {error.response['Error']['Message']}")
        else:
            raise AssertionError(f"step {number} ({note}) was expected to fail")


def main() -> Boto3Runner:
    with mock_maintenance_windows(start=START) as mw:
        runner = Boto3Runner(boto3.client("ssm", region_name="us-east-1"))
        replay(mw, runner)
    return runner


if __name__ == "__main__":
    main()
