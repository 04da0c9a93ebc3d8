"""The code's own SendCommand: what it answers, what it refuses, and how it runs on the fake
fleet, the test's handlers and the fake clock, beside the windows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskHandlerError, TaskOutcome

from ..helpers import NODES, START, command_of, nodes_of

A, B, C, D = NODES


def test_the_answer_and_its_defaults(
    ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    command = send(InstanceIds=[A])
    command_id = command.pop("CommandId")
    assert len(command_id) == 36
    # As real answers show them: every member, empty ones empty, SendCommand's defaults.
    assert command == {
        "DocumentName": "AWS-RunShellScript",
        "DocumentVersion": "$DEFAULT",
        "Comment": "",
        "ExpiresAfter": START + timedelta(seconds=3600 + 3600),
        "Parameters": {"commands": ["echo hi"]},
        "InstanceIds": [A],
        "Targets": [],
        "RequestedDateTime": START,
        "Status": "Pending",
        "StatusDetails": "Pending",
        "OutputS3Region": "us-east-1",
        "OutputS3BucketName": "",
        "OutputS3KeyPrefix": "",
        "MaxConcurrency": "50",
        "MaxErrors": "0",
        "TargetCount": 1,
        "CompletedCount": 0,
        "ErrorCount": 0,
        "DeliveryTimedOutCount": 0,
        "ServiceRole": "",
        "NotificationConfig": {
            "NotificationArn": "", "NotificationEvents": [], "NotificationType": ""
        },
        "CloudWatchOutputConfig": {"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False},
        "TimeoutSeconds": 3600,
        "AlarmConfiguration": {"IgnorePollAlarmFailure": False, "Alarms": []},
        "TriggeredAlarms": [],
    }
    assert command_of(ssm, command_id)["CommandId"] == command_id


def test_what_the_caller_set_is_echoed(
    ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:patching"
    role = "arn:aws:iam::123456789012:role/sns-publisher"
    command = send(
        InstanceIds=[A, B], DocumentVersion="3", Comment="nightly", TimeoutSeconds=600,
        Parameters={"commands": ["df -h"], "executionTimeout": ["1200"]},
        OutputS3BucketName="run-output", OutputS3KeyPrefix="runs/", MaxConcurrency="25%",
        MaxErrors="1", ServiceRoleArn=role,
        NotificationConfig={"NotificationArn": topic, "NotificationEvents": ["Failed"],
                            "NotificationType": "Invocation"},
        CloudWatchOutputConfig={"CloudWatchLogGroupName": "/ssm/runs",
                                "CloudWatchOutputEnabled": True},
        AlarmConfiguration={"Alarms": [{"Name": "cpu-high"}]},
    )
    assert command["DocumentVersion"] == "3"
    assert command["Comment"] == "nightly"
    assert command["ExpiresAfter"] == START + timedelta(seconds=600 + 1200)
    assert command["Parameters"] == {"commands": ["df -h"], "executionTimeout": ["1200"]}
    assert (command["OutputS3BucketName"], command["OutputS3KeyPrefix"]) == (
        "run-output", "runs/"
    )
    assert (command["MaxConcurrency"], command["MaxErrors"]) == ("25%", "1")
    assert command["ServiceRole"] == role
    assert command["NotificationConfig"] == {
        "NotificationArn": topic, "NotificationEvents": ["Failed"],
        "NotificationType": "Invocation",
    }
    assert command["CloudWatchOutputConfig"] == {
        "CloudWatchLogGroupName": "/ssm/runs", "CloudWatchOutputEnabled": True
    }
    assert command["AlarmConfiguration"] == {
        "IgnorePollAlarmFailure": False, "Alarms": [{"Name": "cpu-high"}]
    }
    assert command["TimeoutSeconds"] == 600
    assert command_of(ssm, command["CommandId"])["NotificationConfig"] == (
        command["NotificationConfig"]
    )


def test_targets_are_resolved_when_it_starts(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    mw.add_instance(D, tags={"Env": "prod", "Role": "db"})
    command = send(Targets=[{"Key": "tag:Env", "Values": ["prod", "qa"]},
                            {"Key": "tag:Role", "Values": ["web"]}])
    # As sent: InstanceIds empty, TargetCount 0 until the targets are resolved.
    assert (command["InstanceIds"], command["TargetCount"]) == ([], 0)
    mw.add_instance("i-0a1b2c3d4e5f60009", tags={"Env": "qa", "Role": "web"})
    mw.advance(timedelta(0))
    resolved = command_of(ssm, command["CommandId"])
    assert resolved["TargetCount"] == 4
    assert resolved["Targets"] == [{"Key": "tag:Env", "Values": ["prod", "qa"]},
                                   {"Key": "tag:Role", "Values": ["web"]}]
    assert list(nodes_of(ssm, command["CommandId"])) == [A, B, C, "i-0a1b2c3d4e5f60009"]


@pytest.mark.parametrize(("targets", "expected"), [
    ([{"Key": "instanceids", "Values": [B, A]}], [B, A]),
    ([{"Key": "InstanceIds", "Values": [C]}], [C]),
    ([{"Key": "tag-key", "Values": ["Role"]}], NODES),
    ([{"Key": "resource-groups:Name", "Values": ["web"]}], [A, D]),
])
def test_target_forms(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]],
    targets: list[Any], expected: list[str],
) -> None:
    mw.add_resource_group("web", [A, f"arn:aws:ec2:us-east-1:123456789012:instance/{D}"])
    command_id = send(Targets=targets)["CommandId"]
    mw.advance(timedelta(0))
    assert list(nodes_of(ssm, command_id)) == expected
    assert command_of(ssm, command_id)["Targets"] == targets


def test_targets_that_match_nothing(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    command_id = send(Targets=[{"Key": "tag:Env", "Values": ["nowhere"]}])["CommandId"]
    mw.advance(timedelta(0))
    command = command_of(ssm, command_id)
    # Real output: "Success (NoInstancesInTag) [0 total, 0 complete, 0 error]".
    assert (command["Status"], command["StatusDetails"]) == ("Success", "NoInstancesInTag")
    assert command["TargetCount"] == 0


def test_a_targeted_id_that_is_no_managed_node_is_undeliverable(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    stranger = "i-0123456789abcdef0"
    command_id = send(Targets=[{"Key": "InstanceIds", "Values": [A, stranger]}])["CommandId"]
    mw.advance(timedelta(0))
    answer = ssm.get_command_invocation(CommandId=command_id, InstanceId=stranger)
    assert (answer["Status"], answer["StatusDetails"]) == ("Failed", "Undeliverable")
    assert command_of(ssm, command_id)["Status"] == "Success"


@pytest.mark.parametrize(("params", "code", "message"), [
    ({}, "ValidationException", "Specify either InstanceIds or Targets"),
    ({"InstanceIds": [A], "Targets": [{"Key": "tag:Env", "Values": ["prod"]}]},
     "ValidationException", "Specify either InstanceIds or Targets"),
    ({"InstanceIds": ["i-0123456789abcdef0"]}, "InvalidInstanceId",
     "Instances [[i-0123456789abcdef0]] not in a valid state for account 123456789012"),
    ({"InstanceIds": [A, A]}, "DuplicateInstanceId", ""),
    ({"Targets": [{"Key": "Role", "Values": ["web"]}]}, "ValidationException",
     "The target key Role is not valid for Run Command"),
    ({"Targets": [{"Key": "tag:Env", "Values": []}]}, "ValidationException",
     "must have at least one value"),
    ({"InstanceIds": [A], "DocumentName": "arn:aws:lambda:us-east-1:123456789012:function:f"},
     "InvalidDocument", "The specified document does not exist."),
    ({"InstanceIds": [A], "NotificationConfig": {"NotificationArn": "my-topic"}},
     "InvalidNotificationConfig", "valid Amazon Resource Name (ARN)"),
    ({"InstanceIds": [A], "ServiceRoleArn": "sns-role"}, "InvalidRole",
     "role name can't contain invalid characters"),
    ({"InstanceIds": [A], "MaxConcurrency": "0"}, "ValidationException",
     "Value '0' at 'maxConcurrency' failed to satisfy constraint"),
    ({"InstanceIds": ["bogus"]}, "ValidationException", "at 'instanceIds'"),
])
def test_refusals(
    raw_ssm: Any, nodes: list[str], params: dict[str, Any], code: str, message: str
) -> None:
    request = {"DocumentName": "AWS-RunShellScript", **params}
    with pytest.raises(ClientError) as error:
        raw_ssm.send_command(**request)
    assert error.value.response["Error"]["Code"] == code
    assert message in error.value.response["Error"]["Message"]
    assert raw_ssm.list_commands()["Commands"] == []


def test_botocore_refuses_what_it_checks(ssm: Any, nodes: list[str]) -> None:
    with pytest.raises(ParamValidationError):
        ssm.send_command(DocumentName="AWS-RunShellScript", InstanceIds=[A], TimeoutSeconds=29)


def test_a_document_named_by_arn_is_listed_by_its_arn(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    # Real answers of commands sent by an EventBridge target list the ARN, and filter on it
    # (aws-samples/containers-blog-maelstrom, prefetch-data-to-EKSnodes).
    seen: list[str] = []
    arn = "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"
    mw.on_task(arn, lambda inv: seen.append(inv.task_arn) or TaskOutcome("SUCCESS"))
    command = send(DocumentName=arn, InstanceIds=[A])
    assert command["DocumentName"] == arn
    other = send(InstanceIds=[A])["CommandId"]
    mw.advance(timedelta(0))
    assert seen == [arn]
    by_arn = [{"key": "DocumentName", "value": arn}]
    [listed] = ssm.list_commands(Filters=by_arn)["Commands"]
    assert (listed["CommandId"], listed["DocumentName"]) == (command["CommandId"], arn)
    [node] = ssm.list_command_invocations(Filters=by_arn, Details=True)["CommandInvocations"]
    assert node["DocumentName"] == arn
    assert node["CommandPlugins"][0]["Name"] == "aws:runShellScript"  # the document's plugin
    answer = ssm.get_command_invocation(CommandId=command["CommandId"], InstanceId=A)
    assert answer["DocumentName"] == arn
    by_name = [{"key": "DocumentName", "value": "AWS-RunShellScript"}]
    assert [c["CommandId"] for c in ssm.list_commands(Filters=by_name)["Commands"]] == [other]
    events = [e for e in mw.events if e["detail-type"] == "EC2 Command Status-change Notification"
              and e["detail"]["command-id"] == command["CommandId"]]
    assert len(events) == 3  # Pending, InProgress, Success
    assert {e["detail"]["document-name"] for e in events} == {arn}


def test_handlers_by_document_then_any_command(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    received: list[Invocation] = []

    def by_document(inv: Invocation) -> TaskOutcome:
        received.append(inv)
        return TaskOutcome("SUCCESS", stdout="by document")

    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome("SUCCESS", stdout="any command"))
    mw.on_task("AWS-RunShellScript", by_document)
    shell = send(InstanceIds=[A], Comment="c", TimeoutSeconds=900)["CommandId"]
    other = send(InstanceIds=[A], DocumentName="AWS-UpdateSSMAgent", Parameters={})["CommandId"]
    mw.advance(timedelta(minutes=1))
    assert ssm.get_command_invocation(CommandId=shell, InstanceId=A)[
        "StandardOutputContent"] == "by document"
    assert ssm.get_command_invocation(CommandId=other, InstanceId=A)[
        "StandardOutputContent"] == "any command"
    assert received == [
        Invocation(
            window_id=None, window_execution_id=None, window_task_id=None,
            task_execution_id=None, invocation_id=None, window_target_id=None, target_id=A,
            task_arn="AWS-RunShellScript", task_type="RUN_COMMAND", owner_information=None,
            start_time=START,
            parameters={"Comment": "c", "Parameters": {"commands": ["echo hi"]},
                        "TimeoutSeconds": 900},
            command_id=shell, instance_id=A,
        )
    ]


def test_a_handler_that_raises_surfaces_from_advance(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    def broken(inv: Invocation) -> TaskOutcome:
        raise KeyError("no such fixture")

    mw.on_task("AWS-RunShellScript", broken)
    command_id = send(InstanceIds=[A])["CommandId"]
    with pytest.raises(TaskHandlerError, match=(
        rf"handler for document AWS-RunShellScript \(sent with SendCommand\) raised "
        rf"KeyError: 'no such fixture' \[command {command_id}, instance {A}\]"
    )) as error:
        mw.advance(timedelta(0))
    assert isinstance(error.value.__cause__, KeyError)
    assert command_of(ssm, command_id)["Status"] == "Failed"


def test_send_command_beside_a_window_on_one_clock(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], command_window: Callable[..., str],
    send: Callable[..., dict[str, Any]],
) -> None:
    window_id = command_window([A, B], "AWS-RunPatchBaseline", MaxConcurrency="2")
    busy: dict[str, list[tuple[Any, Any]]] = {}

    def patch(inv: Invocation) -> TaskOutcome:
        busy.setdefault(str(inv.instance_id), []).append((inv.start_time, inv.command_id))
        return TaskOutcome("SUCCESS", duration=timedelta(minutes=30))

    mw.on_task("RUN_COMMAND", patch)
    mw.advance(timedelta(hours=1, minutes=45))
    mine = send(InstanceIds=[A, C])["CommandId"]  # sent at 01:45, runs across 02:00
    mw.advance(timedelta(hours=2))
    [run] = ssm.describe_maintenance_window_executions(WindowId=window_id)["WindowExecutions"]
    [task] = ssm.describe_maintenance_window_execution_tasks(
        WindowExecutionId=run["WindowExecutionId"])["WindowExecutionTaskIdentities"]
    [invocation] = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=run["WindowExecutionId"], TaskId=task["TaskExecutionId"]
    )["WindowExecutionTaskInvocationIdentities"]
    windows = invocation["ExecutionId"]
    listed = [c["CommandId"] for c in ssm.list_commands()["Commands"]]
    assert listed == [windows, mine]  # newest first: the window's command came later
    assert busy[A] == [
        (START + timedelta(hours=1, minutes=45), mine),
        (START + timedelta(hours=2), windows),
    ]
    assert busy[C] == [(START + timedelta(hours=1, minutes=45), mine)]
    assert command_of(ssm, mine)["Status"] == "Success"
    assert command_of(ssm, windows)["Status"] == "Success"
    times = [e["time"] for e in mw.events]
    assert times == sorted(times)


def test_a_handler_can_send_a_command_that_runs_in_the_same_advance(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], make_window: Callable[..., str],
) -> None:
    window_id = make_window(Schedule="cron(0 2 * * ? *)")
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RestartEC2Instance", TaskType="AUTOMATION",
    )
    sent: list[str] = []

    def reboot(inv: Invocation) -> TaskOutcome:
        sent.append(ssm.send_command(DocumentName="AWS-RunShellScript", InstanceIds=[A])[
            "Command"]["CommandId"])
        return TaskOutcome("SUCCESS", duration=timedelta(minutes=5))

    mw.on_task("AWS-RestartEC2Instance", reboot)
    mw.on_task("AWS-RunShellScript",
               lambda inv: TaskOutcome("SUCCESS", duration=timedelta(minutes=1)))
    mw.advance(timedelta(hours=3))
    answer = ssm.get_command_invocation(CommandId=sent[0], InstanceId=A)
    assert answer["ExecutionStartDateTime"] == "2026-11-24T02:00:00.000Z"
    assert answer["Status"] == "Success"
