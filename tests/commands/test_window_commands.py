"""The Run Command commands a window's RUN_COMMAND task sends: one record each, consistent with
the window's records, filled from the task as SendCommand would be filled."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

from ..helpers import NODES, START, command_of, nodes_of

A, B, C, D = NODES
SLOT = START + timedelta(hours=2)


def invocations(ssm: Any, window_id: str) -> list[dict[str, Any]]:
    [run] = ssm.describe_maintenance_window_executions(WindowId=window_id)["WindowExecutions"]
    [task] = ssm.describe_maintenance_window_execution_tasks(
        WindowExecutionId=run["WindowExecutionId"])["WindowExecutionTaskIdentities"]
    return list(ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=run["WindowExecutionId"], TaskId=task["TaskExecutionId"]
    )["WindowExecutionTaskInvocationIdentities"])


def test_each_window_target_is_one_command_record(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], make_window: Callable[..., str]
) -> None:
    window_id = make_window(Schedule="cron(0 2 * * ? *)")
    web = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE", OwnerInformation="web-team",
        Targets=[{"Key": "tag:Role", "Values": ["web"]}, {"Key": "tag:Env", "Values": ["prod"]}],
    )["WindowTargetId"]
    db = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE", Targets=[{"Key": "InstanceIds",
                                                               "Values": [D]}],
    )["WindowTargetId"]
    mw.add_instance(D, tags={"Env": "prod", "Role": "db"})
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [web, db]}], MaxConcurrency="2",
        MaxErrors="1", ServiceRoleArn="arn:aws:iam::123456789012:role/mw",
        TaskInvocationParameters={"RunCommand": {
            "Comment": "patch {{WINDOW_EXECUTION_ID}}", "TimeoutSeconds": 900,
            "DocumentVersion": "2", "Parameters": {"commands": ["echo {{WINDOW_ID}}"]},
            "OutputS3BucketName": "mw-output", "OutputS3KeyPrefix": "nightly",
            "NotificationConfig": {
                "NotificationArn": "arn:aws:sns:us-east-1:123456789012:mw",
                "NotificationEvents": ["Failed"], "NotificationType": "Command"},
        }},
    )
    seen: list[Invocation] = []
    mw.on_task("RUN_COMMAND", lambda inv: seen.append(inv) or TaskOutcome(
        "SUCCESS", duration=timedelta(minutes=4)))
    mw.advance(timedelta(hours=3))
    first, second = invocations(ssm, window_id)
    execution_id = first["WindowExecutionId"]
    listed = {c["CommandId"]: c for c in ssm.list_commands()["Commands"]}
    # The window invocation's ExecutionId is the command's CommandId.
    assert set(listed) == {first["ExecutionId"], second["ExecutionId"]}
    command = listed[first["ExecutionId"]]
    assert command["DocumentName"] == "AWS-RunShellScript"
    assert command["DocumentVersion"] == "2"
    assert command["Comment"] == f"patch {execution_id}"
    assert command["Parameters"] == {"commands": [f"echo {window_id}"]}
    assert (command["InstanceIds"], command["Targets"]) == ([A, B, C], [])
    assert (command["MaxConcurrency"], command["MaxErrors"]) == ("2", "1")
    assert command["TimeoutSeconds"] == 900
    assert (command["OutputS3BucketName"], command["OutputS3KeyPrefix"]) == ("mw-output",
                                                                             "nightly")
    assert command["NotificationConfig"]["NotificationEvents"] == ["Failed"]
    assert command["ServiceRole"] == ""  # the task's role is the window's, not an SNS role
    assert command["RequestedDateTime"] == SLOT
    assert (command["Status"], command["TargetCount"], command["CompletedCount"]) == (
        "Success", 3, 3)
    assert json.loads(first["Parameters"])["instanceIds"] == [A, B, C]
    assert listed[second["ExecutionId"]]["InstanceIds"] == [D]
    assert listed[second["ExecutionId"]]["RequestedDateTime"] == SLOT + timedelta(minutes=8)
    # The handler is told which command and node it decides.
    assert [(inv.command_id, inv.instance_id, inv.target_id) for inv in seen] == [
        (first["ExecutionId"], A, A), (first["ExecutionId"], B, B),
        (first["ExecutionId"], C, C), (second["ExecutionId"], D, D),
    ]
    assert {inv.invocation_id for inv in seen[:3]} == {first["InvocationId"]}
    assert seen[0].window_target_id == web
    assert seen[0].owner_information == "web-team"
    answer = ssm.get_command_invocation(CommandId=first["ExecutionId"], InstanceId=B)
    assert answer["ExecutionStartDateTime"] == "2026-11-24T02:00:00.000Z"
    assert answer["StandardOutputUrl"].startswith(
        "https://s3.us-east-1.amazonaws.com/mw-output/nightly/")


def test_deprecated_logging_info_is_the_output_location(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], command_window: Callable[..., str]
) -> None:
    window_id = command_window(
        [A], TaskParameters={"commands": {"Values": ["uptime"]}},
        LoggingInfo={"S3BucketName": "logs", "S3KeyPrefix": "mw", "S3Region": "eu-west-1"},
    )
    mw.advance(timedelta(hours=3))
    [invocation] = invocations(ssm, window_id)
    command = command_of(ssm, invocation["ExecutionId"])
    assert command["Parameters"] == {"commands": ["uptime"]}
    assert (command["OutputS3BucketName"], command["OutputS3KeyPrefix"],
            command["OutputS3Region"]) == ("logs", "mw", "eu-west-1")


def test_output_keeps_working_and_becomes_stdout(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], command_window: Callable[..., str]
) -> None:
    window_id = command_window([A])
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome("FAILED", output="exit status 2"))
    mw.advance(timedelta(hours=3))
    [invocation] = invocations(ssm, window_id)
    assert invocation["StatusDetails"] == "exit status 2"
    answer = ssm.get_command_invocation(CommandId=invocation["ExecutionId"], InstanceId=A)
    assert answer["StandardOutputContent"] == "exit status 2"
    assert answer["StandardErrorContent"] == "failed to run commands: exit status 1"


def test_a_task_arn_that_names_no_document_sends_no_command(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], command_window: Callable[..., str]
) -> None:
    window_id = command_window([A], "arn:aws:lambda:us-east-1:123456789012:function:f")
    asked: list[Any] = []
    mw.on_task("RUN_COMMAND", lambda inv: asked.append(inv) or TaskOutcome("SUCCESS"))
    mw.advance(timedelta(hours=3))
    [invocation] = invocations(ssm, window_id)
    assert (invocation["Status"], invocation["StatusDetails"]) == ("FAILED", "InvalidDocument")
    assert asked == []
    assert ssm.list_commands()["Commands"] == []


def test_a_command_outlives_its_deleted_window(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], command_window: Callable[..., str]
) -> None:
    window_id = command_window([A, B])
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(minutes=30)))
    mw.advance(timedelta(hours=2, minutes=10))
    [command] = ssm.list_commands()["Commands"]
    ssm.delete_maintenance_window(WindowId=window_id)
    mw.advance(timedelta(hours=2))
    # Run Command's history is its own: the command ran on to its end.
    assert command_of(ssm, command["CommandId"])["Status"] == "Success"
    assert list(nodes_of(ssm, command["CommandId"])) == [A, B]
