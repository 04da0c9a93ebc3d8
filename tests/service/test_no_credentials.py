"""No credentials and no AWS configuration are needed, in a clean process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import boto3
from ssm_mw_stub import mock_maintenance_windows

with mock_maintenance_windows(start="2026-11-24T00:00:00Z"):
    ssm = boto3.client("ssm", region_name="eu-west-1")
    assert ssm._request_signer._credentials is None, "credentials were found"
    window_id = ssm.create_maintenance_window(
        Name="no-creds", Schedule="rate(1 day)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=False,
    )["WindowId"]
    assert ssm.get_maintenance_window(WindowId=window_id)["Name"] == "no-creds"
    try:
        ssm.get_maintenance_window(WindowId="mw-0123456789abcdef0")
    except ssm.exceptions.DoesNotExistException as exc:
        print("error", exc.response["Error"]["Code"])
print("ok", window_id)
"""


def test_calls_succeed_and_fail_as_aws_would_without_any_aws_setup(tmp_path: Path) -> None:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("AWS_")
    }
    env.update(
        HOME=str(tmp_path),
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        # "No instance metadata": this machine has none; make botocore not look for it.
        AWS_EC2_METADATA_DISABLED="true",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "error DoesNotExistException"
    assert lines[1].startswith("ok mw-")
