"""One pass through every operation the stub answers, as a user's test would make them.

Used where a property must hold for every operation (no socket, no credentials, nothing
left behind): the scenario creates a window, a target and a task, lets the fake clock run
the window so that every execution operation has something to read, reads the window's Run
Command command, sends and cancels a command of its own, cancels a running execution,
starts, reads and stops an Automation execution, and deregisters and deletes everything
again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ssm_mw_stub import MaintenanceWindows, TaskOutcome

__all__ = ["INSTANCE", "every_operation"]

INSTANCE = "i-0123456789abcdef0"


def every_operation(mw: MaintenanceWindows, ssm: Any) -> set[str]:
    """Make every operation once, successfully; return the wire names of those made."""
    made: set[str] = set()

    def record(model: Any, **_: Any) -> None:
        made.add(model.name)

    ssm.meta.events.register("after-call.ssm", record)
    try:
        _scenario(mw, ssm)
        _patching(ssm)
    finally:
        ssm.meta.events.unregister("after-call.ssm", record)
    return made


def _scenario(mw: MaintenanceWindows, ssm: Any) -> None:
    mw.add_instance(INSTANCE, tags={"Environment": "Prod"})
    [node] = ssm.describe_instance_information()["InstanceInformationList"]
    assert node["InstanceId"] == INSTANCE
    # Every invocation runs for 30 minutes, so an execution can be caught running.
    mw.on_task("RUN_COMMAND", lambda _: TaskOutcome("SUCCESS", duration=timedelta(minutes=30)))
    window_id = ssm.create_maintenance_window(
        Name="every-operation", Schedule="cron(0 1 * * ? *)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=True, Tags=[{"Key": "Environment", "Value": "Prod"}],
    )["WindowId"]
    ssm.update_maintenance_window(WindowId=window_id, Description="patched nightly")
    assert ssm.get_maintenance_window(WindowId=window_id)["Description"] == "patched nightly"
    assert ssm.describe_maintenance_windows()["WindowIdentities"][0]["WindowId"] == window_id
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Environment", "Values": ["Prod"]}],
    )["WindowTargetId"]
    ssm.update_maintenance_window_target(
        WindowId=window_id, WindowTargetId=target_id, OwnerInformation="team-a"
    )
    assert ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]
    assert ssm.describe_maintenance_windows_for_target(
        Targets=[{"Key": "tag:Environment", "Values": ["Prod"]}], ResourceType="INSTANCE"
    )["WindowIdentities"]
    task_id = ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="1", MaxErrors="0",
        TaskInvocationParameters={"RunCommand": {"Parameters": {"commands": ["uptime"]}}},
    )["WindowTaskId"]
    ssm.update_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id, Priority=2)
    assert ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)[
        "Priority"
    ] == 2
    assert ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]
    assert ssm.describe_maintenance_window_schedule(WindowId=window_id, MaxResults=2)[
        "ScheduledWindowExecutions"
    ]
    ssm.add_tags_to_resource(
        ResourceType="MaintenanceWindow", ResourceId=window_id,
        Tags=[{"Key": "Team", "Value": "a"}],
    )
    assert len(ssm.list_tags_for_resource(
        ResourceType="MaintenanceWindow", ResourceId=window_id
    )["TagList"]) == 2
    ssm.remove_tags_from_resource(
        ResourceType="MaintenanceWindow", ResourceId=window_id, TagKeys=["Team"]
    )

    mw.advance(timedelta(hours=1, minutes=10))  # the 01:00 run has started, still running
    [execution] = ssm.describe_maintenance_window_executions(WindowId=window_id)[
        "WindowExecutions"
    ]
    execution_id = execution["WindowExecutionId"]
    assert ssm.get_maintenance_window_execution(WindowExecutionId=execution_id)["TaskIds"]
    [task] = ssm.describe_maintenance_window_execution_tasks(WindowExecutionId=execution_id)[
        "WindowExecutionTaskIdentities"
    ]
    task_execution_id = task["TaskExecutionId"]
    ssm.get_maintenance_window_execution_task(
        WindowExecutionId=execution_id, TaskId=task_execution_id
    )
    [invocation] = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution_id, TaskId=task_execution_id
    )["WindowExecutionTaskInvocationIdentities"]
    ssm.get_maintenance_window_execution_task_invocation(
        WindowExecutionId=execution_id, TaskId=task_execution_id,
        InvocationId=invocation["InvocationId"],
    )
    command_id = invocation["ExecutionId"]
    [command] = ssm.list_commands(CommandId=command_id)["Commands"]
    assert command["Status"] == "InProgress"
    [node] = ssm.list_command_invocations(CommandId=command_id, Details=True)[
        "CommandInvocations"
    ]
    assert node["InstanceId"] == INSTANCE
    assert ssm.get_command_invocation(CommandId=command_id, InstanceId=INSTANCE)[
        "Status"
    ] == "InProgress"
    sent = ssm.send_command(InstanceIds=[INSTANCE], DocumentName="AWS-RunShellScript")
    ssm.cancel_command(CommandId=sent["Command"]["CommandId"])
    ssm.cancel_maintenance_window_execution(WindowExecutionId=execution_id)
    mw.advance(timedelta(hours=1))

    mw.on_task("Scenario-Runbook", lambda _: TaskOutcome("Success", duration=timedelta(hours=1)))
    automation_id = ssm.start_automation_execution(
        DocumentName="Scenario-Runbook", Parameters={"InstanceId": [INSTANCE]}
    )["AutomationExecutionId"]
    assert ssm.get_automation_execution(AutomationExecutionId=automation_id)[
        "AutomationExecution"
    ]["AutomationExecutionStatus"] == "InProgress"
    assert ssm.describe_automation_executions(
        Filters=[{"Key": "ExecutionId", "Values": [automation_id]}]
    )["AutomationExecutionMetadataList"]
    assert ssm.describe_automation_step_executions(AutomationExecutionId=automation_id)[
        "StepExecutions"
    ]
    ssm.stop_automation_execution(AutomationExecutionId=automation_id)
    mw.advance(timedelta(minutes=1))

    ssm.deregister_task_from_maintenance_window(WindowId=window_id, WindowTaskId=task_id)
    ssm.deregister_target_from_maintenance_window(
        WindowId=window_id, WindowTargetId=target_id, Safe=True
    )
    ssm.delete_maintenance_window(WindowId=window_id)
    assert ssm.describe_maintenance_windows()["WindowIdentities"] == []


def _patching(ssm: Any) -> None:
    """Every patch-baseline, patch-group, patch-state and compliance operation once."""
    baseline_id = ssm.create_patch_baseline(
        Name="every-operation", OperatingSystem="AMAZON_LINUX_2023",
        ApprovalRules={"PatchRules": [{"PatchFilterGroup": {"PatchFilters": [
            {"Key": "CLASSIFICATION", "Values": ["Security"]}]}, "ApproveAfterDays": 7}]},
    )["BaselineId"]
    ssm.update_patch_baseline(BaselineId=baseline_id, Description="security after a week")
    assert ssm.get_patch_baseline(BaselineId=baseline_id)["Name"] == "every-operation"
    assert ssm.describe_patch_baselines(Filters=[{"Key": "OWNER", "Values": ["Self"]}])[
        "BaselineIdentities"][0]["BaselineId"] == baseline_id
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup="web")
    assert ssm.get_patch_baseline_for_patch_group(
        PatchGroup="web", OperatingSystem="AMAZON_LINUX_2023")["BaselineId"] == baseline_id
    assert ssm.describe_patch_groups()["Mappings"][0]["PatchGroup"] == "web"
    assert ssm.describe_patch_group_state(PatchGroup="web")["Instances"] == 0
    ssm.register_default_patch_baseline(BaselineId=baseline_id)
    assert ssm.get_default_patch_baseline(OperatingSystem="AMAZON_LINUX_2023")[
        "BaselineId"] == baseline_id
    ssm.describe_instance_patch_states(InstanceIds=[INSTANCE])
    ssm.describe_instance_patch_states_for_patch_group(PatchGroup="web")
    ssm.describe_instance_patches(InstanceId=INSTANCE)
    ssm.describe_patch_properties(OperatingSystem="WINDOWS", Property="CLASSIFICATION")
    ssm.list_compliance_items(ResourceIds=[INSTANCE], ResourceTypes=["ManagedInstance"])
    ssm.list_resource_compliance_summaries()
    ssm.list_compliance_summaries()
    ssm.deregister_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup="web")
    default = ssm.describe_patch_baselines(Filters=[
        {"Key": "NAME_PREFIX", "Values": ["AWS-AmazonLinux2023"]}])["BaselineIdentities"][0]
    ssm.register_default_patch_baseline(BaselineId=default["BaselineId"])
    ssm.delete_patch_baseline(BaselineId=baseline_id)
