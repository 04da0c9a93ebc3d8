"""The Automation executions a window's AUTOMATION task starts: one per invocation, read
through the Automation API, with the invocation following the execution's end."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from ssm_mw_stub import AutomationStep, Invocation, MaintenanceWindows, TaskOutcome

FIRST_SLOT = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)
A = "i-0000000000000000a"
B = "i-0000000000000000b"
SERVICE_LINKED = (
    "arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForAmazonSSM/OrchestrationService"
)


def automation(ssm: Any, execution_id: str) -> dict[str, Any]:
    return dict(ssm.get_automation_execution(AutomationExecutionId=execution_id)[
        "AutomationExecution"
    ])


def only_invocations(read: Any, window_id: str) -> list[dict[str, Any]]:
    execution_id = read.only_execution(window_id)["WindowExecutionId"]
    [task_execution] = read.tasks(execution_id)
    return list(read.invocations(execution_id, task_execution["TaskExecutionId"]))


@pytest.fixture
def reboot_window(
    window: Callable[..., str], target: Callable[..., str], task: Callable[..., str]
) -> Callable[..., str]:
    """A window whose AUTOMATION task reboots instances A and B, one at a time."""

    def make(**task_options: Any) -> str:
        window_id = window()
        window_target = target(window_id, [{"Key": "InstanceIds", "Values": [A, B]}])
        options: dict[str, Any] = {
            "MaxConcurrency": "1",
            "TaskInvocationParameters": {
                "Automation": {"Parameters": {"InstanceId": ["{{RESOURCE_ID}}"]}}
            },
        }
        options.update(task_options)
        task(window_id, [window_target], arn="AWS-RestartEC2Instance", **options)
        return window_id

    return make


def test_every_invocation_is_an_automation_execution_with_the_window_parameters(
    mw: MaintenanceWindows, ssm: Any, reboot_window: Callable[..., str], read: Any
) -> None:
    window_id = reboot_window()
    mw.advance(timedelta(hours=3))  # no handler: each execution succeeds at once
    invocations = only_invocations(read, window_id)
    assert len(invocations) == 2
    for invocation, instance in zip(invocations, [A, B], strict=True):
        execution = automation(ssm, invocation["ExecutionId"])
        assert execution == {
            "AutomationExecutionId": invocation["ExecutionId"],
            "DocumentName": "AWS-RestartEC2Instance",
            "DocumentVersion": "1",
            "ExecutionStartTime": FIRST_SLOT,
            "ExecutionEndTime": FIRST_SLOT,
            "AutomationExecutionStatus": "Success",
            "StepExecutions": [execution["StepExecutions"][0]],
            "StepExecutionsTruncated": False,
            "Parameters": {"InstanceId": [instance]},  # {{RESOURCE_ID}} substituted
            "Outputs": {},
            "Mode": "Auto",
            "ExecutedBy": SERVICE_LINKED,
            "Targets": [],
            "ResolvedTargets": {"ParameterValues": [], "Truncated": False},
        }
        [step] = execution["StepExecutions"]
        assert step["StepName"] == "main"
        assert step["StepStatus"] == "Success"
        assert (step["ExecutionStartTime"], step["ExecutionEndTime"]) == (FIRST_SLOT, FIRST_SLOT)
    listed = ssm.describe_automation_executions()["AutomationExecutionMetadataList"]
    # Newest first: both started at the same instant, the second one later in order.
    assert [e["AutomationExecutionId"] for e in listed] == [
        invocations[1]["ExecutionId"], invocations[0]["ExecutionId"]
    ]
    assert listed[0]["AutomationType"] == "Local"
    assert listed[0]["LogFile"] == ""


def test_the_handler_is_told_the_automation_execution_id(
    mw: MaintenanceWindows, ssm: Any, reboot_window: Callable[..., str], read: Any
) -> None:
    window_id = reboot_window()
    seen: list[Invocation] = []
    mw.on_task("AWS-RestartEC2Instance", lambda inv: seen.append(inv) or TaskOutcome("SUCCESS"))
    mw.advance(timedelta(hours=3))
    invocations = only_invocations(read, window_id)
    assert [inv.automation_execution_id for inv in seen] == [
        i["ExecutionId"] for i in invocations
    ]
    assert [inv.parameters for inv in seen] == [
        {"Parameters": {"InstanceId": [A]}}, {"Parameters": {"InstanceId": [B]}}
    ]


def test_the_task_role_runs_the_automation_and_the_document_version_is_reported(
    mw: MaintenanceWindows, ssm: Any, reboot_window: Callable[..., str], read: Any
) -> None:
    window_id = reboot_window(
        ServiceRoleArn="arn:aws:iam::123456789012:role/maintenance/mw_service_role",
        TaskInvocationParameters={
            "Automation": {"DocumentVersion": "3", "Parameters": {"InstanceId": ["i-1"]}}
        },
    )
    mw.advance(timedelta(hours=3))
    execution = automation(ssm, only_invocations(read, window_id)[0]["ExecutionId"])
    assert execution["ExecutedBy"] == (
        "arn:aws:sts::123456789012:assumed-role/mw_service_role/OrchestrationService"
    )
    assert execution["DocumentVersion"] == "3"


@pytest.mark.parametrize(
    ("status", "automation_status", "window_status"),
    [
        ("SUCCESS", "Success", "SUCCESS"),
        ("FAILED", "Failed", "FAILED"),
        ("TIMED_OUT", "TimedOut", "TIMED_OUT"),
        ("CANCELLED", "Cancelled", "CANCELLED"),
        ("Success", "Success", "SUCCESS"),
        ("Failed", "Failed", "FAILED"),
        ("TimedOut", "TimedOut", "TIMED_OUT"),
        ("Cancelled", "Cancelled", "CANCELLED"),
        ("CompletedWithSuccess", "CompletedWithSuccess", "SUCCESS"),
        ("CompletedWithFailure", "CompletedWithFailure", "FAILED"),
        ("Rejected", "Rejected", "FAILED"),
        ("ChangeCalendarOverrideRejected", "ChangeCalendarOverrideRejected", "FAILED"),
    ],
)
def test_the_automation_status_maps_to_the_invocation(
    mw: MaintenanceWindows,
    ssm: Any,
    reboot_window: Callable[..., str],
    read: Any,
    status: str,
    automation_status: str,
    window_status: str,
) -> None:
    window_id = reboot_window()
    mw.on_task("AWS-RestartEC2Instance", lambda inv: TaskOutcome(status))
    mw.advance(timedelta(hours=3))
    invocation = only_invocations(read, window_id)[0]
    assert invocation["Status"] == window_status
    assert invocation["StatusDetails"] == automation_status
    assert automation(ssm, invocation["ExecutionId"])["AutomationExecutionStatus"] == (
        automation_status
    )


def test_outputs_failure_message_and_duration(
    mw: MaintenanceWindows, ssm: Any, reboot_window: Callable[..., str], read: Any
) -> None:
    window_id = reboot_window()
    mw.on_task(
        "AWS-RestartEC2Instance",
        lambda inv: TaskOutcome(
            "Failed",
            duration=timedelta(minutes=5),
            outputs={"startInstances.InstanceStates": ["stopped"]},
            failure_message="Step startInstances failed maximum allowed times.",
        ),
    )
    mw.advance(timedelta(hours=2, minutes=1))
    running = automation(ssm, only_invocations(read, window_id)[0]["ExecutionId"])
    assert running["AutomationExecutionStatus"] == "InProgress"
    assert "ExecutionEndTime" not in running
    assert running["Outputs"] == {
        "startInstances.InstanceStates": [
            "No output available yet because the step is not successfully executed"
        ]
    }
    assert "FailureMessage" not in running
    assert (running["CurrentStepName"], running["CurrentAction"]) == ("main", "aws:executeScript")
    assert only_invocations(read, window_id)[0]["Status"] == "IN_PROGRESS"

    mw.advance(timedelta(hours=1))
    invocation = only_invocations(read, window_id)[0]
    done = automation(ssm, invocation["ExecutionId"])
    assert done["AutomationExecutionStatus"] == "Failed"
    assert done["ExecutionEndTime"] == FIRST_SLOT + timedelta(minutes=5)
    assert done["Outputs"] == {"startInstances.InstanceStates": ["stopped"]}
    assert done["FailureMessage"] == "Step startInstances failed maximum allowed times."
    assert "CurrentStepName" not in done
    assert done["StepExecutions"][0]["FailureMessage"] == done["FailureMessage"]
    assert (invocation["Status"], invocation["StatusDetails"]) == ("FAILED", "Failed")
    assert invocation["EndTime"] == done["ExecutionEndTime"]


def test_the_handler_output_stays_the_status_details(
    mw: MaintenanceWindows, reboot_window: Callable[..., str], read: Any
) -> None:
    window_id = reboot_window()
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("CompletedWithSuccess", output="rebooted"))
    mw.advance(timedelta(hours=3))
    assert [(i["Status"], i["StatusDetails"]) for i in only_invocations(read, window_id)] == [
        ("SUCCESS", "rebooted"), ("SUCCESS", "rebooted")
    ]


def test_reported_steps_run_one_after_another(
    mw: MaintenanceWindows, ssm: Any, reboot_window: Callable[..., str], read: Any
) -> None:
    window_id = reboot_window()
    steps = [
        AutomationStep(
            "stopInstances", "aws:changeInstanceState", duration=timedelta(minutes=1),
            inputs={"DesiredState": '"stopped"'}, outputs={"InstanceStates": ["stopped"]},
        ),
        AutomationStep(
            "startInstances", "aws:changeInstanceState", duration=timedelta(minutes=2),
            inputs={"DesiredState": '"running"'}, outputs={"InstanceStates": ["running"]},
        ),
        AutomationStep("verify", "aws:assertAwsResourceProperty", status="Pending"),
    ]
    mw.on_task("AWS-RestartEC2Instance", lambda inv: TaskOutcome("Success", steps=steps))
    mw.advance(timedelta(hours=2, seconds=90))
    execution_id = only_invocations(read, window_id)[0]["ExecutionId"]
    running = automation(ssm, execution_id)
    assert running["CurrentStepName"] == "startInstances"
    assert running["CurrentAction"] == "aws:changeInstanceState"
    first, second, third = running["StepExecutions"]
    assert (first["StepStatus"], first["Outputs"]) == ("Success", {"InstanceStates": ["stopped"]})
    assert first["Inputs"] == {"DesiredState": '"stopped"'}
    assert second["StepStatus"] == "InProgress"
    assert "ExecutionEndTime" not in second
    # A started step without outputs yet: empty maps, as AWS's examples show them.
    assert (second["Outputs"], second["OverriddenParameters"]) == ({}, {})
    assert third == {
        "StepName": "verify", "Action": "aws:assertAwsResourceProperty", "StepStatus": "Pending"
    }

    mw.advance(timedelta(hours=1))
    done = automation(ssm, execution_id)
    # The execution lasts as long as its steps (the outcome's duration is zero).
    assert done["ExecutionEndTime"] == FIRST_SLOT + timedelta(minutes=3)
    first, second, third = done["StepExecutions"]
    assert (second["ExecutionStartTime"], second["ExecutionEndTime"]) == (
        FIRST_SLOT + timedelta(minutes=1), FIRST_SLOT + timedelta(minutes=3)
    )
    assert third["StepStatus"] == "Pending"
    # The second instance's reboot starts when the first one's execution has ended.
    assert only_invocations(read, window_id)[1]["StartTime"] == done["ExecutionEndTime"]


def test_stopping_a_window_started_execution_cancels_the_invocation(
    mw: MaintenanceWindows, ssm: Any, reboot_window: Callable[..., str], read: Any
) -> None:
    window_id = reboot_window()
    mw.on_task("AWS-RestartEC2Instance", lambda inv: TaskOutcome(
        "Success", duration=timedelta(minutes=30)
    ))
    mw.advance(timedelta(hours=2, minutes=10))
    execution_id = only_invocations(read, window_id)[0]["ExecutionId"]
    ssm.stop_automation_execution(AutomationExecutionId=execution_id)
    assert automation(ssm, execution_id)["AutomationExecutionStatus"] == "Cancelling"
    mw.advance(timedelta(hours=2))
    stopped = automation(ssm, execution_id)
    assert stopped["AutomationExecutionStatus"] == "Cancelled"
    assert stopped["ExecutionEndTime"] == FIRST_SLOT + timedelta(minutes=10)
    assert stopped["StepExecutions"][0]["StepStatus"] == "Cancelled"
    first, second = only_invocations(read, window_id)
    assert (first["Status"], first["StatusDetails"]) == ("CANCELLED", "Cancelled")
    assert first["EndTime"] == FIRST_SLOT + timedelta(minutes=10)
    assert second["Status"] == "SUCCESS"  # the task went on with the next target
    execution = read.only_execution(window_id)
    [task_execution] = read.tasks(execution["WindowExecutionId"])
    # As for a cancelled command: the task rolls up CANCELLED, the execution FAILED.
    assert task_execution["Status"] == "CANCELLED"
    assert execution["Status"] == "FAILED"


def test_a_task_arn_that_names_no_runbook_fails_without_an_execution(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    task(window_id, arn="not a runbook")
    mw.advance(timedelta(hours=3))
    [invocation] = only_invocations(read, window_id)
    assert invocation["Status"] == "FAILED"
    assert invocation["StatusDetails"].startswith("AutomationDefinitionNotFoundException")
    assert "ExecutionId" not in invocation
    assert ssm.describe_automation_executions()["AutomationExecutionMetadataList"] == []


def test_a_shared_runbook_arn_reports_the_runbook_name(
    mw: MaintenanceWindows, ssm: Any, window: Callable[..., str], task: Callable[..., str],
    read: Any,
) -> None:
    window_id = window()
    task(window_id, arn="arn:aws:ssm:us-east-1:210987654321:document/Shared-Restart")
    mw.advance(timedelta(hours=3))
    [invocation] = only_invocations(read, window_id)
    assert json.loads(invocation["Parameters"])["documentName"] == (
        "arn:aws:ssm:us-east-1:210987654321:document/Shared-Restart"
    )
    assert automation(ssm, invocation["ExecutionId"])["DocumentName"] == "Shared-Restart"


def test_executions_are_kept_for_30_days_and_outlive_a_deleted_window(
    mw: MaintenanceWindows, ssm: Any, reboot_window: Callable[..., str], read: Any
) -> None:
    window_id = reboot_window()
    mw.advance(timedelta(hours=3))
    execution_id = only_invocations(read, window_id)[0]["ExecutionId"]
    ssm.delete_maintenance_window(WindowId=window_id)
    assert automation(ssm, execution_id)["AutomationExecutionStatus"] == "Success"
    mw.advance(timedelta(days=30))
    with pytest.raises(ssm.exceptions.AutomationExecutionNotFoundException):
        automation(ssm, execution_id)


def test_a_status_of_another_service_is_the_tests_error(
    mw: MaintenanceWindows, reboot_window: Callable[..., str], read: Any
) -> None:
    # A status only Run Command reports.
    window_id = reboot_window()
    mw.on_task("AWS-RestartEC2Instance", lambda inv: TaskOutcome("DeliveryTimedOut"))
    with pytest.raises(ValueError, match=r"returned status 'DeliveryTimedOut'.*AUTOMATION work"):
        mw.advance(timedelta(hours=3))
    assert only_invocations(read, window_id)[0]["Status"] == "FAILED"


def test_an_automation_status_is_no_status_for_a_lambda(
    mw: MaintenanceWindows, window: Callable[..., str], task: Callable[..., str]
) -> None:
    task(window(), arn="SSMFunction", kind="LAMBDA")
    mw.on_task("LAMBDA", lambda inv: TaskOutcome("Success"))
    with pytest.raises(ValueError, match="which LAMBDA work cannot end with"):
        mw.advance(timedelta(hours=3))
