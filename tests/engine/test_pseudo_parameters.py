"""Pseudo parameters ({{TARGET_ID}} and friends), substituted per invocation."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

A, B = "i-0000000000000000a", "i-0000000000000000b"

EVERY = {
    "target": ["{{TARGET_ID}}"],
    "type": ["{{TARGET_TYPE}}"],
    "resource": ["{{RESOURCE_ID}}"],
    "window": ["{{WINDOW_ID}}"],
    "task": ["{{WINDOW_TASK_ID}}"],
    "windowTarget": ["{{WINDOW_TARGET_ID}}"],
    "execution": ["{{WINDOW_EXECUTION_ID}}"],
    "taskExecution": ["{{TASK_EXECUTION_ID}}"],
    "invocation": ["{{INVOCATION_ID}}"],
    "bucket": ["{{LOGGING_S3_BUCKET_NAME}}"],
    "prefix": ["{{LOGGING_S3_KEY_PREFIX}}"],
    "region": ["{{LOGGING_S3_REGION}}"],
    "spaced": ["{{ TARGET_ID }}/{{  WINDOW_ID}}"],
    "foreign": ["{{ aws:ORCHESTRATION_ID }}", "{{UNKNOWN_NAME}}", "{{target_id}}"],
}


def test_every_pseudo_parameter_is_substituted_per_invocation(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    target: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    window_target = target(window_id, [{"Key": "InstanceIds", "Values": [A, B]}])
    task_id = ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RestartEC2Instance", TaskType="AUTOMATION",
        Targets=[{"Key": "WindowTargetIds", "Values": [window_target]}],
        MaxConcurrency="2", MaxErrors="0",
        LoggingInfo={"S3BucketName": "mw-logs", "S3KeyPrefix": "nightly", "S3Region": "us-east-1"},
        TaskInvocationParameters={"Automation": {"Parameters": EVERY}},
    )["WindowTaskId"]
    received: list[Invocation] = []

    def handler(inv: Invocation) -> TaskOutcome:
        received.append(inv)
        return TaskOutcome("SUCCESS")

    mw.on_task("AWS-RestartEC2Instance", handler)
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    task_execution_id = task_execution["TaskExecutionId"]
    invocations = read.invocations(execution_id, task_execution_id)

    for instance_id, record, inv in zip((A, B), invocations, received, strict=True):
        expected = {
            "target": [instance_id],
            "type": ["INSTANCE"],
            "resource": [instance_id],
            "window": [window_id],
            "task": [task_id],
            "windowTarget": [window_target],
            "execution": [execution_id],
            "taskExecution": [task_execution_id],
            "invocation": [record["InvocationId"]],
            "bucket": ["mw-logs"],
            "prefix": ["nightly"],
            "region": ["us-east-1"],
            "spaced": [f"{instance_id}/{window_id}"],
            "foreign": ["{{ aws:ORCHESTRATION_ID }}", "{{UNKNOWN_NAME}}", "{{target_id}}"],
        }
        assert json.loads(record["Parameters"]) == {
            "documentName": "AWS-RestartEC2Instance", "parameters": expected,
        }
        assert inv.parameters == {"Parameters": expected}
        assert inv.invocation_id == record["InvocationId"]
        assert inv.target_id == instance_id
    # The task-level view keeps the parameters as written.
    got = read.task(execution_id, task_execution_id)
    assert got["TaskParameters"] == [{name: {"Values": v} for name, v in EVERY.items()}]


def test_run_command_keeps_target_id_and_resource_id_as_written(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    target: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    window_target = target(window_id, [{"Key": "InstanceIds", "Values": [A, B]}])
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [window_target]}],
        MaxConcurrency="2", MaxErrors="0",
        TaskInvocationParameters={"RunCommand": {"Parameters": {"commands": [
            "echo {{TARGET_ID}} {{RESOURCE_ID}} {{TARGET_TYPE}} {{WINDOW_TARGET_ID}} "
            "{{INVOCATION_ID}}"
        ]}}},
    )
    seen: list[Invocation] = []
    mw.on_task("RUN_COMMAND", lambda inv: seen.append(inv) or TaskOutcome("SUCCESS"))
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    [command] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    line = (
        f"echo {{{{TARGET_ID}}}} {{{{RESOURCE_ID}}}} INSTANCE {window_target} "
        f"{command['InvocationId']}"
    )
    assert json.loads(command["Parameters"])["parameters"] == {"commands": [line]}
    # The handler is called once per node; the node is inv.target_id.
    assert [inv.target_id for inv in seen] == [A, B]
    assert all(inv.parameters == {"Parameters": {"commands": [line]}} for inv in seen)
    assert seen[0].parameters is not seen[1].parameters


def test_values_are_json_escaped_in_the_parameters_string(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], read: Any
) -> None:
    window_id = window()
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="SSMFunction", TaskType="LAMBDA",
        LoggingInfo={
            "S3BucketName": "bucket", "S3KeyPrefix": 'we"ird\\prefix', "S3Region": "eu-west-1"
        },
        TaskInvocationParameters={"Lambda": {"Payload": b'{"p": "{{LOGGING_S3_KEY_PREFIX}}"}'}},
    )
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    [invocation] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert json.loads(invocation["Parameters"])["payload"] == '{"p": "we"ird\\prefix"}'


def test_targetless_tasks_leave_target_parameters_as_written(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], read: Any
) -> None:
    window_id = window()
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-CreateSnapshot", TaskType="AUTOMATION",
        TaskInvocationParameters={"Automation": {"Parameters": {
            "Target": ["{{TARGET_ID}}"], "Window": ["{{WINDOW_ID}}"],
        }}},
    )
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    [invocation] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert json.loads(invocation["Parameters"])["parameters"] == {
        "Target": ["{{TARGET_ID}}"], "Window": [window_id],
    }
