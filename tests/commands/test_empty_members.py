"""Empty members as AWS sends them (issue 20, items 1-3): Run Command's empty bucket,
notification type, log group and alarms, Automation's empty maps, and GetCommandInvocation's
empty end time. Each departs from botocore's model minimum the way real answers do
(docs/fidelity.md, "Round 3"; docs/guarantees.md lists the departures)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ssm_mw_stub import AutomationStep, MaintenanceWindows, TaskOutcome

from ..helpers import NODES, automation_of, nodes_of

A = NODES[0]
EMPTY_ALARMS = {"IgnorePollAlarmFailure": False, "Alarms": []}


def test_list_commands_shows_the_empty_members(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    command_id = send(InstanceIds=[A])["CommandId"]
    mw.advance(timedelta(0))
    [listed] = ssm.list_commands(CommandId=command_id)["Commands"]
    # aws/aws-cli list-commands.rst and send-command.rst; a real 2024 answer for the alarms.
    assert listed["OutputS3BucketName"] == ""
    assert listed["NotificationConfig"]["NotificationType"] == ""
    assert listed["CloudWatchOutputConfig"]["CloudWatchLogGroupName"] == ""
    assert listed["AlarmConfiguration"] == EMPTY_ALARMS
    assert listed["TriggeredAlarms"] == []


def test_plugins_show_the_empty_bucket(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    command_id = send(InstanceIds=[A])["CommandId"]
    mw.advance(timedelta(0))
    node = nodes_of(ssm, command_id, Details=True)[A]
    # list-command-invocations.rst: the plugin of a command without a bucket.
    [plugin] = node["CommandPlugins"]
    assert (plugin["OutputS3BucketName"], plugin["OutputS3KeyPrefix"]) == ("", "")
    assert node["NotificationConfig"]["NotificationType"] == ""
    assert node["CloudWatchOutputConfig"] == {
        "CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False
    }


def test_a_pending_node_has_an_empty_end_time(
    mw: MaintenanceWindows, ssm: Any, send: Callable[..., dict[str, Any]]
) -> None:
    mw.add_instance(A, online=False)  # its turn comes, but it never runs
    command_id = send(InstanceIds=[A])["CommandId"]
    mw.advance(timedelta(0))
    answer = ssm.get_command_invocation(CommandId=command_id, InstanceId=A)
    assert answer["Status"] == "InProgress"
    assert answer["ExecutionEndDateTime"] == ""
    assert "ExecutionStartDateTime" not in answer
    assert "ExecutionElapsedTime" not in answer


def test_automation_shows_its_empty_maps(mw: MaintenanceWindows, ssm: Any) -> None:
    execution_id = ssm.start_automation_execution(DocumentName="AWS-StopEC2Instance")[
        "AutomationExecutionId"
    ]
    execution = automation_of(ssm, execution_id)
    # get-automation-execution: "Parameters": {} and "Outputs": {} for a runbook started
    # without parameters and without outputs.
    assert (execution["Parameters"], execution["Outputs"]) == ({}, {})
    [step] = execution["StepExecutions"]
    assert (step["Outputs"], step["OverriddenParameters"]) == ({}, {})
    [listed] = ssm.describe_automation_executions()["AutomationExecutionMetadataList"]
    assert listed["Outputs"] == {}
    [described] = ssm.describe_automation_step_executions(
        AutomationExecutionId=execution_id
    )["StepExecutions"]
    assert (described["Outputs"], described["OverriddenParameters"]) == ({}, {})


def test_a_step_not_yet_started_has_no_maps(mw: MaintenanceWindows, ssm: Any) -> None:
    steps = [
        AutomationStep("stop", "aws:changeInstanceState", duration=timedelta(minutes=5)),
        AutomationStep("verify", "aws:assertAwsResourceProperty"),
    ]
    mw.on_task("AWS-StopEC2Instance", lambda inv: TaskOutcome("Success", steps=steps))
    execution_id = ssm.start_automation_execution(DocumentName="AWS-StopEC2Instance")[
        "AutomationExecutionId"
    ]
    mw.advance(timedelta(minutes=1))
    _, waiting = automation_of(ssm, execution_id)["StepExecutions"]
    # get-automation-execution.rst: a Pending step shows only its name, action and status.
    assert waiting == {
        "StepName": "verify", "Action": "aws:assertAwsResourceProperty", "StepStatus": "Pending"
    }
