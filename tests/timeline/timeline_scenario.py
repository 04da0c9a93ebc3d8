"""A small scenario the timeline tests draw: a nightly window in Dublin with two tasks.

Task ``update`` (Run Command, priority 1) runs on the two web servers; on 2026-11-26 node
``...b`` fails after four minutes with "No space left on device". Task ``notify`` (Lambda,
priority 2) makes one 30-second invocation per server. ``scenario(mw, ssm)`` builds it and
returns the window id; the tests advance the clock themselves. ``history(ssm, window_id)``
reads the ids back through the API, so expected texts name the ids the service gave.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

WEB = ["i-0000000000000000a", "i-0000000000000000b"]
LAMBDA_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:notify"


def update(inv: Invocation) -> TaskOutcome:
    if inv.target_id == WEB[1] and inv.start_time.day == 26:
        return TaskOutcome(
            "FAILED", duration=timedelta(minutes=4), output="No space left on device"
        )
    return TaskOutcome("SUCCESS", duration=timedelta(minutes=2), output="Complete!")


def notify(inv: Invocation) -> TaskOutcome:
    return TaskOutcome("SUCCESS", duration=timedelta(seconds=30))


def build(mw: MaintenanceWindows, ssm: Any) -> str:
    window_id = str(ssm.create_maintenance_window(
        Name="nightly", Schedule="cron(0 2 * * ? *)", ScheduleTimezone="Europe/Dublin",
        Duration=3, Cutoff=1, AllowUnassociatedTargets=False,
    )["WindowId"])
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE", Name="web",
        Targets=[{"Key": "tag:Role", "Values": ["web"]}],
    )["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, Name="update", TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Priority=1, Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="2", MaxErrors="1",
        TaskInvocationParameters={"RunCommand": {"Parameters": {"commands": ["yum -y update"]}}},
    )
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn=LAMBDA_ARN, TaskType="LAMBDA", Priority=2,
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="1", MaxErrors="1",
    )
    for instance_id in WEB:
        mw.add_instance(instance_id, tags={"Role": "web"})
    mw.on_task("RUN_COMMAND", update)
    mw.on_task("LAMBDA", notify)
    return window_id


def failed_command(mw: MaintenanceWindows, ssm: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """One night with one web server whose update fails after three minutes with "E: dpkg was
    interrupted": (window id, the execution, its Run Command invocation) as described."""
    window_id = build(mw, ssm)
    mw.remove_instance(WEB[1])
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome(
        "FAILED", duration=timedelta(minutes=3), output="E: dpkg was interrupted"))
    mw.advance(timedelta(hours=3))
    [execution] = history(ssm, window_id)
    return window_id, execution, execution["Tasks"][0]["Invocations"][0]


def history(ssm: Any, window_id: str) -> list[dict[str, Any]]:
    """Every execution of the window, oldest first, each with its tasks (by priority) and
    their invocations (oldest first), as the API describes them."""
    executions = ssm.describe_maintenance_window_executions(WindowId=window_id)
    out = []
    for execution in reversed(executions["WindowExecutions"]):
        execution_id = execution["WindowExecutionId"]
        tasks = ssm.describe_maintenance_window_execution_tasks(WindowExecutionId=execution_id)
        listed = []
        for task in sorted(tasks["WindowExecutionTaskIdentities"], key=lambda t: t["StartTime"]):
            invocations = ssm.describe_maintenance_window_execution_task_invocations(
                WindowExecutionId=execution_id, TaskId=task["TaskExecutionId"]
            )["WindowExecutionTaskInvocationIdentities"]
            listed.append({**task, "Invocations": sorted(
                invocations, key=lambda i: i["StartTime"])})
        out.append({**execution, "Tasks": listed})
    return out
