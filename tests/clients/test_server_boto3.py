"""boto3 in another process, pointed at a server by ``AWS_ENDPOINT_URL_SSM`` alone.

The code under test runs as a child process (as a CLI tool or a Lambda handler run as a
process would), configured only through its environment; the test keeps the in-process
handle of the served mock, with a function as task handler.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from ssm_mw_stub import TaskOutcome
from ssm_mw_stub.server import ServedMaintenanceWindows

pytestmark = pytest.mark.clients

NODES = ("i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002")

#: The code under test: plain boto3, no endpoint in the code, no ssm_mw_stub import.
SET_UP = """
import json, boto3
ssm = boto3.client("ssm")
window = ssm.create_maintenance_window(
    Name="nightly-patch", Schedule="cron(0 2 ? * * *)", Duration=3, Cutoff=1,
    AllowUnassociatedTargets=False)["WindowId"]
target = ssm.register_target_with_maintenance_window(
    WindowId=window, ResourceType="INSTANCE",
    Targets=[{"Key": "tag:Patch Group", "Values": ["web"]}])["WindowTargetId"]
ssm.register_task_with_maintenance_window(
    WindowId=window, TaskArn="AWS-RunPatchBaseline", TaskType="RUN_COMMAND",
    Targets=[{"Key": "WindowTargetIds", "Values": [target]}], MaxConcurrency="1", MaxErrors="1",
    TaskInvocationParameters={"RunCommand": {"Parameters": {"Operation": ["Install"]}}})
print(json.dumps({"window": window, "region": ssm.meta.region_name}))
"""

REPORT = """
import json, sys, boto3
ssm = boto3.client("ssm")
executions = ssm.describe_maintenance_window_executions(WindowId=sys.argv[1])["WindowExecutions"]
print(json.dumps([[e["Status"], e["StartTime"].isoformat()] for e in executions]))
"""


def _child(script: str, served: ServedMaintenanceWindows, *args: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120,
        env=served.env(AWS_DEFAULT_REGION="eu-central-1"),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_boto3_in_a_child_process_reaches_the_server_by_its_environment(
    maintenance_windows_server: ServedMaintenanceWindows,
) -> None:
    mw = maintenance_windows_server.mw
    made = _child(SET_UP, maintenance_windows_server)
    assert isinstance(made, dict)
    assert made["region"] == "eu-central-1"
    # Every call crossed HTTP: the server recorded them in the child's Region.
    assert [(c.operation, c.region) for c in mw.calls] == [
        ("CreateMaintenanceWindow", "eu-central-1"),
        ("RegisterTargetWithMaintenanceWindow", "eu-central-1"),
        ("RegisterTaskWithMaintenanceWindow", "eu-central-1"),
    ]
    for node in NODES:
        mw.add_instance(node, tags={"Patch Group": "web"})
    mw.on_task("AWS-RunPatchBaseline", lambda inv: TaskOutcome(
        "Failed" if inv.instance_id == NODES[1] else "Success", duration=timedelta(minutes=4)))
    mw.advance(timedelta(days=2))
    assert _child(REPORT, maintenance_windows_server, made["window"]) == [
        ["FAILED", "2026-11-25T02:00:00+00:00"], ["FAILED", "2026-11-24T02:00:00+00:00"],
    ]
