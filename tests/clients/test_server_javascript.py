"""The AWS SDK for JavaScript v3 (``@aws-sdk/client-ssm``, run with node) against a server.

``server_sdk_v3.cjs`` creates a window, registers a target and a task, moves the clock
through the control API (``fetch``), and reads the executions and the invocation of the
failed task; the test compares what it read with the in-process handle's view of the same
mock. Needs node and an npm install of ``@aws-sdk/client-ssm`` in the directory named by
``SSM_MW_STUB_JS_SDK`` (``.ci/run`` makes one in the background:
``npm install --prefix DIR @aws-sdk/client-ssm``); skipped without them, but not in CI
(``SSM_MW_STUB_REQUIRE_CLIENTS=javascript``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import boto3
import pytest

from ssm_mw_stub.server import ServedMaintenanceWindows

from .client_requirements import require

pytestmark = pytest.mark.clients

SDK = Path(os.environ.get("SSM_MW_STUB_JS_SDK", "/nonexistent")) / "node_modules"
NODE = shutil.which("node")
SCRIPT = Path(__file__).resolve().parent / "server_sdk_v3.cjs"

require("javascript", NODE is not None and (SDK / "@aws-sdk" / "client-ssm").is_dir(),
        "the AWS SDK for JavaScript v3 is not installed here: set SSM_MW_STUB_JS_SDK to a "
        "directory with `npm install @aws-sdk/client-ssm` done in it (and have node)")


def test_the_javascript_sdk_runs_a_window_against_the_server(
    maintenance_windows_server: ServedMaintenanceWindows,
) -> None:
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(SCRIPT)], capture_output=True, text=True, timeout=120,
        env=maintenance_windows_server.env(NODE_PATH=str(SDK)),
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["now"] == "2026-11-25T00:00:00Z"
    [execution] = seen["executions"]
    assert execution["status"] == "FAILED"
    assert (execution["start"], execution["end"]) == (
        "2026-11-24T02:00:00.000Z", "2026-11-24T02:17:00.000Z")  # 5 min, then 12 min
    assert seen["failedTask"]["arn"] == "AWS-RunShellScript"
    assert seen["invocation"]["status"] == "FAILED"
    assert seen["node"] == {"status": "Failed", "responseCode": 100,
                            "stderr": seen["node"]["stderr"], "elapsed": "PT12M"}
    assert seen["node"]["stderr"].startswith("E: dpkg was interrupted")
    assert seen["missing"] == {
        "name": "DoesNotExistException", "status": 400,
        "message": "Maintenance window mw-0123456789abcdef0 does not exist"}
    # The test's in-process view of the same mock (eu-west-1: the script's Region).
    ssm = boto3.client("ssm", region_name="eu-west-1")
    [local] = ssm.describe_maintenance_window_executions(WindowId=seen["windowId"])[
        "WindowExecutions"]
    assert local["WindowExecutionId"] == execution["id"]
    invocations = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution["id"], TaskId=seen["failedTask"]["id"]
    )["WindowExecutionTaskInvocationIdentities"]
    assert [i["InvocationId"] for i in invocations] == [seen["invocation"]["id"]]
    assert invocations[0]["StatusDetails"] == seen["invocation"]["details"]
