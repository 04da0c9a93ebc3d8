"""Invocations: who a task runs on, resolved when it runs, and what each invocation records."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

A, B, C, D = (f"i-0000000000000000{n}" for n in "abcd")


def run_once(mw: MaintenanceWindows, read: Any, window_id: str) -> tuple[str, list[dict[str, Any]]]:
    """Advance past the first slot; return the execution id and its task executions."""
    mw.advance(timedelta(hours=3))
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    return execution_id, read.tasks(execution_id)


def targets_of(read: Any, execution_id: str, task_execution: dict[str, Any]) -> list[str]:
    """The target of each invocation of a per-target task, from its Parameters."""
    invocations = read.invocations(execution_id, task_execution["TaskExecutionId"])
    return [json.loads(i["Parameters"])["parameters"]["InstanceId"][0] for i in invocations]


def automation(task: Callable[..., str], window_id: str, targets: list[str], **extra: Any) -> str:
    return task(
        window_id, targets,
        TaskInvocationParameters={"Automation": {"Parameters": {"InstanceId": ["{{TARGET_ID}}"]}}},
        **extra,
    )


def test_tag_targets_match_the_fleet_when_the_task_runs(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    automation(task, window_id, [target(window_id)])
    mw.add_instance(A, tags={"Env": "prod"})
    mw.add_instance(B, tags={"Env": "dev"})
    mw.advance(timedelta(hours=1))
    mw.add_instance(C, tags={"Env": "prod"})  # joins before the run
    mw.add_instance(A, tags={"Env": "retired"})  # retagged before the run
    execution_id, [task_execution] = run_once(mw, read, window_id)
    assert targets_of(read, execution_id, task_execution) == [C]


def test_several_tag_keys_and_together_several_values_or(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    wanted = target(window_id, [
        {"Key": "tag:Env", "Values": ["prod", "staging"]},
        {"Key": "tag:Role", "Values": ["web"]},
    ])
    automation(task, window_id, [wanted])
    mw.add_instance(A, tags={"Env": "prod", "Role": "web"})
    mw.add_instance(B, tags={"Env": "staging", "Role": "web"})
    mw.add_instance(C, tags={"Env": "prod", "Role": "db"})
    mw.add_instance(D, tags={"Env": "dev", "Role": "web"})
    execution_id, [task_execution] = run_once(mw, read, window_id)
    assert targets_of(read, execution_id, task_execution) == [A, B]


def test_tag_key_targets_need_only_the_key(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    automation(task, window_id, [target(window_id, [{"Key": "tag-key", "Values": ["Patch"]}])])
    mw.add_instance(A, tags={"Patch": "yes"})
    mw.add_instance(B, tags={"Patch": ""})
    mw.add_instance(C, tags={"Other": "x"})
    execution_id, [task_execution] = run_once(mw, read, window_id)
    assert targets_of(read, execution_id, task_execution) == [A, B]


def test_several_tag_keys_must_all_be_present(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    # "If you specify more than one tag key, an instance must be tagged with all the tag
    # keys you specify" (user guide, "Examples: Register targets with a maintenance window").
    window_id = window()
    keys = [{"Key": "tag-key", "Values": ["Patch", "Owner"]}]
    automation(task, window_id, [target(window_id, keys)])
    mw.add_instance(A, tags={"Patch": "yes", "Owner": "ops"})
    mw.add_instance(B, tags={"Patch": "yes"})
    mw.add_instance(C, tags={"Owner": "ops", "Other": "x"})
    execution_id, [task_execution] = run_once(mw, read, window_id)
    assert targets_of(read, execution_id, task_execution) == [A]


def test_fleet_instances_of_another_region_are_not_targets(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    automation(task, window_id, [target(window_id)])
    mw.add_instance(A, tags={"Env": "prod"}, region="us-east-1")
    mw.add_instance(B, tags={"Env": "prod"}, region="eu-west-1")
    mw.add_instance(C, tags={"Env": "prod"})  # every Region
    execution_id, [task_execution] = run_once(mw, read, window_id)
    assert targets_of(read, execution_id, task_execution) == [A, C]


def test_instance_ids_are_taken_as_given(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    listed = target(window_id, [{"Key": "InstanceIds", "Values": [B, A]}], OwnerInformation="team")
    automation(task, window_id, [listed], arn="via-target")
    task(
        window_id, arn="direct", kind="AUTOMATION", Targets=[{"Key": "InstanceIds", "Values": [D]}],
        MaxConcurrency="1", MaxErrors="0",
        TaskInvocationParameters={"Automation": {"Parameters": {"InstanceId": ["{{TARGET_ID}}"]}}},
    )
    execution_id, _ = run_once(mw, read, window_id)  # none of them is in the fleet
    via = read.task_by_arn(execution_id, "via-target")
    assert targets_of(read, execution_id, via) == [B, A]
    direct = read.task_by_arn(execution_id, "direct")
    [invocation] = read.invocations(execution_id, direct["TaskExecutionId"])
    assert "WindowTargetId" not in invocation
    assert "OwnerInformation" not in invocation
    for item in read.invocations(execution_id, via["TaskExecutionId"]):
        assert item["WindowTargetId"] == listed
        assert item["OwnerInformation"] == "team"


def test_window_target_ids_expand_in_the_order_the_task_lists_them(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    first = target(window_id, [{"Key": "InstanceIds", "Values": [A]}], OwnerInformation="one")
    second = target(window_id, [{"Key": "InstanceIds", "Values": [B, C]}], OwnerInformation="two")
    automation(task, window_id, [second, first])
    execution_id, [task_execution] = run_once(mw, read, window_id)
    invocations = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert [(i["WindowTargetId"], i["OwnerInformation"]) for i in invocations] == [
        (second, "two"), (second, "two"), (first, "one")
    ]


def test_resource_group_targets_resolve_through_declared_groups(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    group = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="RESOURCE_GROUP",
        Targets=[{"Key": "resource-groups:Name", "Values": ["web-tier"]}],
    )["WindowTargetId"]
    task(
        window_id, [group],
        TaskInvocationParameters={"Automation": {"Parameters": {
            "Target": ["{{TARGET_ID}}"],
            "Resource": ["{{RESOURCE_ID}}"],
            "Type": ["{{TARGET_TYPE}}"],
        }}},
    )
    mw.add_resource_group(
        "web-tier",
        [
            A,
            f"arn:aws:ec2:us-east-1:123456789012:instance/{B}",
            ("arn:aws:s3:::logs", "AWS::S3::Bucket"),
        ],
    )
    execution_id, [task_execution] = run_once(mw, read, window_id)
    invocations = read.invocations(execution_id, task_execution["TaskExecutionId"])
    parameters = [json.loads(i["Parameters"])["parameters"] for i in invocations]
    assert parameters == [
        {"Target": [f"arn:aws:ec2:us-east-1:123456789012:instance/{A}"], "Resource": [A],
         "Type": ["RESOURCE_GROUP"]},
        {"Target": [f"arn:aws:ec2:us-east-1:123456789012:instance/{B}"], "Resource": [B],
         "Type": ["RESOURCE_GROUP"]},
        # A resource without a short id: RESOURCE_ID stays unpopulated, the invocation runs.
        {"Target": ["arn:aws:s3:::logs"], "Resource": [""], "Type": ["RESOURCE_GROUP"]},
    ]


def test_resource_type_filters_narrow_a_group(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    group = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="RESOURCE_GROUP",
        Targets=[
            {"Key": "resource-groups:Name", "Values": ["mixed"]},
            {"Key": "resource-groups:ResourceTypeFilters", "Values": ["AWS::S3::Bucket"]},
        ],
    )["WindowTargetId"]
    task(window_id, [group])
    mw.add_resource_group("mixed", [A, ("arn:aws:s3:::logs", "AWS::S3::Bucket")])
    mw.add_resource_group("mixed", [A], region="eu-west-1")  # another Region's group
    execution_id, [task_execution] = run_once(mw, read, window_id)
    assert len(read.invocations(execution_id, task_execution["TaskExecutionId"])) == 1


def test_an_unknown_group_or_an_empty_match_gives_a_task_without_invocations(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    group = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="RESOURCE_GROUP",
        Targets=[{"Key": "resource-groups:Name", "Values": ["nobody-declared-this"]}],
    )["WindowTargetId"]
    task(window_id, [group], arn="group")
    task(window_id, [target(window_id)], arn="tags")  # no instance has Env=prod
    execution_id, tasks = run_once(mw, read, window_id)
    for task_execution in tasks:
        assert task_execution["Status"] == "SUCCESS"
        assert read.invocations(execution_id, task_execution["TaskExecutionId"]) == []
    assert read.execution(execution_id)["Status"] == "SUCCESS"


def test_a_deregistered_window_target_contributes_nothing(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    kept = target(window_id, [{"Key": "InstanceIds", "Values": [A]}])
    gone = target(window_id, [{"Key": "InstanceIds", "Values": [B]}])
    automation(task, window_id, [kept, gone])
    ssm.deregister_target_from_maintenance_window(WindowId=window_id, WindowTargetId=gone)
    execution_id, [task_execution] = run_once(mw, read, window_id)
    assert targets_of(read, execution_id, task_execution) == [A]


def test_run_command_sends_one_command_per_window_target_one_after_another(
    mw: MaintenanceWindows,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    web = target(window_id, [{"Key": "InstanceIds", "Values": [A, B]}], OwnerInformation="web")
    db = target(window_id, [{"Key": "InstanceIds", "Values": [C]}], OwnerInformation="db")
    task(
        window_id, [web, db], arn="AWS-RunShellScript", kind="RUN_COMMAND",
        MaxConcurrency="2", MaxErrors="1",
        TaskInvocationParameters={"RunCommand": {
            "Parameters": {"commands": ["uptime"]}, "Comment": "nightly", "TimeoutSeconds": 600,
        }},
    )
    calls: list[tuple[str | None, str | None]] = []

    def handler(inv: Invocation) -> TaskOutcome:
        calls.append((inv.target_id, inv.window_target_id))
        return TaskOutcome("SUCCESS", duration=timedelta(minutes=5))

    mw.on_task("RUN_COMMAND", handler)
    execution_id, [task_execution] = run_once(mw, read, window_id)
    commands = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert [c["WindowTargetId"] for c in commands] == [web, db]
    assert [c["OwnerInformation"] for c in commands] == ["web", "db"]
    assert json.loads(commands[0]["Parameters"]) == {
        "documentName": "AWS-RunShellScript",
        "instanceIds": [A, B],
        "parameters": {"commands": ["uptime"]},
        "maxConcurrency": "2",
        "maxErrors": "1",
        "comment": "nightly",
        "timeoutSeconds": 600,
    }
    # The text lists the top-level keys alphabetically, as the newer real samples do (AWS
    # CLI example get-maintenance-window-execution-task-invocation); nested values keep
    # the order they were registered in.
    assert commands[0]["Parameters"] == (
        '{"comment":"nightly","documentName":"AWS-RunShellScript",'
        f'"instanceIds":["{A}","{B}"],"maxConcurrency":"2","maxErrors":"1",'
        '"parameters":{"commands":["uptime"]},"timeoutSeconds":600}'
    )
    assert json.loads(commands[1]["Parameters"])["instanceIds"] == [C]
    # A and B in parallel (02:00-02:05), then the db command (02:05-02:10).
    assert commands[1]["StartTime"] == commands[0]["EndTime"]
    assert commands[1]["EndTime"] - commands[0]["StartTime"] == timedelta(minutes=10)
    assert calls == [(A, web), (B, web), (C, db)]
    assert commands[0]["ExecutionId"] != commands[1]["ExecutionId"]
    assert len(commands[0]["ExecutionId"]) == 36


def test_run_command_on_task_instance_ids_is_one_command(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window()
    task(
        window_id, arn="AWS-RunShellScript", kind="RUN_COMMAND",
        Targets=[{"Key": "InstanceIds", "Values": [A, B, C]}], MaxConcurrency="1", MaxErrors="0",
        TaskInvocationParameters={"RunCommand": {"Parameters": {"commands": ["df"]}}},
    )
    execution_id, [task_execution] = run_once(mw, read, window_id)
    [command] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert json.loads(command["Parameters"])["instanceIds"] == [A, B, C]
    assert "WindowTargetId" not in command
    assert command["Status"] == "SUCCESS"
    assert command["StatusDetails"] == "Success"


def test_run_command_with_deprecated_task_parameters_and_logging_info(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window()
    task(
        window_id, arn="AWS-RunShellScript", kind="RUN_COMMAND",
        Targets=[{"Key": "InstanceIds", "Values": [A]}], MaxConcurrency="1", MaxErrors="0",
        TaskParameters={"commands": {"Values": ["echo {{WINDOW_ID}}"]}},
        LoggingInfo={"S3BucketName": "logs-bucket", "S3KeyPrefix": "mw", "S3Region": "us-east-1"},
    )
    execution_id, [task_execution] = run_once(mw, read, window_id)
    [command] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    sent = json.loads(command["Parameters"])
    assert sent["parameters"] == {"commands": [f"echo {window_id}"]}
    assert sent["outputS3BucketName"] == "logs-bucket"
    assert sent["outputS3KeyPrefix"] == "mw"
    got = read.task(execution_id, task_execution["TaskExecutionId"])
    assert got["TaskParameters"] == [
        {"commands": {"Values": ["echo {{WINDOW_ID}}"]}, "aws:InstanceId": {"Values": [A]}}
    ]


def test_a_targetless_task_has_one_invocation_without_a_target(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window()
    task(
        window_id, arn="arn:aws:lambda:us-east-1:123456789012:function:SSMCleanup", kind="LAMBDA",
        TaskInvocationParameters={"Lambda": {"Payload": b'{"window": "{{WINDOW_ID}}"}',
                                             "Qualifier": "live"}},
    )
    seen: list[Invocation] = []

    def handler(inv: Invocation) -> TaskOutcome:
        seen.append(inv)
        return TaskOutcome("SUCCESS")

    mw.on_task("LAMBDA", handler)
    execution_id, [task_execution] = run_once(mw, read, window_id)
    [invocation] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert "WindowTargetId" not in invocation
    assert json.loads(invocation["Parameters"]) == {
        "functionName": "arn:aws:lambda:us-east-1:123456789012:function:SSMCleanup",
        "qualifier": "live",
        "payload": f'{{"window": "{window_id}"}}',
    }
    [inv] = seen
    assert inv.target_id is None
    assert inv.window_target_id is None
    assert inv.parameters == {"Payload": f'{{"window": "{window_id}"}}', "Qualifier": "live"}


def test_step_functions_executions_are_known_by_arn(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str], read: Any
) -> None:
    window_id = window()
    machine = "arn:aws:states:us-east-1:123456789012:stateMachine:SSMPatch"
    task(
        window_id, arn=machine, kind="STEP_FUNCTIONS",
        TaskInvocationParameters={"StepFunctions": {"Input": '{"w": "{{WINDOW_ID}}"}',
                                                    "Name": "nightly-run"}},
    )
    execution_id, [task_execution] = run_once(mw, read, window_id)
    [invocation] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert invocation["ExecutionId"] == (
        "arn:aws:states:us-east-1:123456789012:execution:SSMPatch:nightly-run"
    )
    assert json.loads(invocation["Parameters"]) == {
        "stateMachineArn": machine, "name": "nightly-run", "input": f'{{"w": "{window_id}"}}',
    }


def test_invocation_reads_status_filter_paging_and_get(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    target: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    ids = [f"i-{n:017x}" for n in range(1, 13)]
    task(window_id, [target(window_id, [{"Key": "InstanceIds", "Values": ids}])], MaxErrors="5")
    failing = {ids[2], ids[8]}
    mw.on_task(
        "AUTOMATION",
        lambda inv: TaskOutcome("FAILED" if inv.target_id in failing else "SUCCESS"),
    )
    execution_id, [task_execution] = run_once(mw, read, window_id)
    task_id = task_execution["TaskExecutionId"]
    page = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution_id, TaskId=task_id, MaxResults=10
    )
    assert len(page["WindowExecutionTaskInvocationIdentities"]) == 10
    assert "NextToken" in page
    every = read.invocations(execution_id, task_id)
    assert len(every) == 12
    failed = read.invocations(
        execution_id, task_id, Filters=[{"Key": "STATUS", "Values": ["FAILED"]}]
    )
    assert len(failed) == 2
    assert {f["StatusDetails"] for f in failed} == {"Failed"}
    one = ssm.get_maintenance_window_execution_task_invocation(
        WindowExecutionId=execution_id, TaskId=task_id, InvocationId=every[0]["InvocationId"]
    )
    one.pop("ResponseMetadata")
    assert one == every[0]
    assert one["TaskType"] == "AUTOMATION"
    assert one["ExecutionId"] != one["InvocationId"]


def test_run_command_on_a_resource_group_covers_its_instances_only(
    mw: MaintenanceWindows,
    ssm: Any,
    window: Callable[..., str],
    task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    group = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="RESOURCE_GROUP",
        Targets=[{"Key": "resource-groups:Name", "Values": ["fleet"]}],
    )["WindowTargetId"]
    task(window_id, [group], arn="AWS-RunShellScript", kind="RUN_COMMAND")
    mw.add_resource_group(
        "fleet", [A, ("arn:aws:s3:::logs", "AWS::S3::Bucket"), f"arn:aws:ec2:::instance/{B}"]
    )
    execution_id, [task_execution] = run_once(mw, read, window_id)
    [command] = read.invocations(execution_id, task_execution["TaskExecutionId"])
    assert json.loads(command["Parameters"])["instanceIds"] == [A, B]
