"""StartAutomationExecution with Targets or TargetMaps: a parent execution whose children
run one per target under MaxConcurrency and MaxErrors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

from ..helpers import START, automation_of

IDS = [f"i-{n:017x}" for n in range(1, 6)]


def children(ssm: Any, parent: str) -> list[dict[str, Any]]:
    found = ssm.describe_automation_executions(
        Filters=[{"Key": "ParentExecutionId", "Values": [parent]}]
    )["AutomationExecutionMetadataList"]
    return sorted(found, key=lambda item: (item["ExecutionStartTime"], item.get("Target", "")))


def test_parameter_values_run_one_child_each_under_the_rate_controls(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    seen: list[Invocation] = []

    def stop(inv: Invocation) -> TaskOutcome:
        seen.append(inv)
        return TaskOutcome("Success", duration=timedelta(minutes=10))

    mw.on_task("AWS-StopEC2Instance", stop)
    parent = ssm.start_automation_execution(
        DocumentName="AWS-StopEC2Instance", TargetParameterName="InstanceId",
        Targets=[{"Key": "ParameterValues", "Values": IDS[:3]}],
        MaxConcurrency="2", MaxErrors="1", Parameters={"AutomationAssumeRole": ["arn:x"]},
    )["AutomationExecutionId"]
    running = automation_of(ssm, parent)
    assert running["AutomationExecutionStatus"] == "InProgress"
    assert running["ResolvedTargets"] == {"ParameterValues": IDS[:3], "Truncated": False}
    assert (running["MaxConcurrency"], running["MaxErrors"]) == ("2", "1")
    assert running["TargetParameterName"] == "InstanceId"
    assert running["Targets"] == [{"Key": "ParameterValues", "Values": IDS[:3]}]
    assert [s["StepStatus"] for s in running["StepExecutions"]] == [
        "InProgress", "InProgress", "Pending"
    ]
    assert [s["Action"] for s in running["StepExecutions"]] == ["aws:executeAutomation"] * 3
    assert running["StepExecutions"][0]["Inputs"] == {"InstanceId": IDS[0]}
    assert [inv.target_id for inv in seen] == IDS[:2]
    assert seen[0].parameters == {
        "Parameters": {"AutomationAssumeRole": ["arn:x"], "InstanceId": [IDS[0]]}
    }

    mw.advance(timedelta(minutes=30))
    done = automation_of(ssm, parent)
    assert done["AutomationExecutionStatus"] == "Success"
    assert done["ExecutionEndTime"] == START + timedelta(minutes=20)
    kids = children(ssm, parent)
    assert [k["Target"] for k in kids] == IDS[:3]
    assert [k["ExecutionStartTime"] for k in kids] == [START, START, START + timedelta(minutes=10)]
    assert {k["ParentAutomationExecutionId"] for k in kids} == {parent}
    child = automation_of(ssm, kids[0]["AutomationExecutionId"])
    assert child["Parameters"] == {"AutomationAssumeRole": ["arn:x"], "InstanceId": [IDS[0]]}
    assert child["Target"] == IDS[0]


def test_max_errors_stops_new_children_and_fails_the_parent(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    mw.on_task("Flaky", lambda inv: TaskOutcome(
        "Failed" if inv.target_id in IDS[:2] else "Success", duration=timedelta(minutes=1)
    ))
    parent = ssm.start_automation_execution(
        DocumentName="Flaky", TargetParameterName="InstanceId",
        Targets=[{"Key": "ParameterValues", "Values": IDS}], MaxConcurrency="1", MaxErrors="1",
    )["AutomationExecutionId"]
    mw.advance(timedelta(minutes=10))
    done = automation_of(ssm, parent)
    assert done["AutomationExecutionStatus"] == "Failed"
    # The second error exceeds MaxErrors 1: nothing after it starts.
    assert [s["StepStatus"] for s in done["StepExecutions"]] == [
        "Failed", "Failed", "Pending", "Pending", "Pending"
    ]
    assert len(children(ssm, parent)) == 2


def test_tag_and_resource_group_targets_resolve_against_the_fleet(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    mw.add_instance(IDS[0], tags={"ENV": "DEV"})
    mw.add_instance(IDS[1], tags={"ENV": "PROD"})
    mw.add_resource_group("web", [IDS[2], "arn:aws:s3:::logs-bucket"])
    by_tag = ssm.start_automation_execution(
        DocumentName="AWS-StopEC2Instance", TargetParameterName="InstanceId",
        Targets=[{"Key": "tag:ENV", "Values": ["DEV"]}],
    )["AutomationExecutionId"]
    by_group = ssm.start_automation_execution(
        DocumentName="AWS-StopEC2Instance", TargetParameterName="ResourceId",
        Targets=[{"Key": "ResourceGroup", "Values": ["web"]}],
    )["AutomationExecutionId"]
    assert automation_of(ssm, by_tag)["ResolvedTargets"]["ParameterValues"] == [IDS[0]]
    assert automation_of(ssm, by_group)["ResolvedTargets"]["ParameterValues"] == [
        IDS[2], "logs-bucket"
    ]
    assert ssm.describe_automation_executions(
        Filters=[{"Key": "TargetResourceGroup", "Values": ["web"]}]
    )["AutomationExecutionMetadataList"][0]["AutomationExecutionId"] == by_group


def test_target_maps_run_one_child_per_map(ssm: Any) -> None:
    parent = ssm.start_automation_execution(
        DocumentName="AWS-StopEC2Instance",
        TargetMaps=[{"InstanceId": [IDS[0]]}, {"InstanceId": [IDS[1]], "Force": ["true"]}],
    )["AutomationExecutionId"]
    done = automation_of(ssm, parent)
    assert done["AutomationExecutionStatus"] == "Success"
    assert [s["StepName"] for s in done["StepExecutions"]] == ["TargetMap1", "TargetMap2"]
    params = sorted(
        (
            automation_of(ssm, k["AutomationExecutionId"])["Parameters"]
            for k in children(ssm, parent)
        ),
        key=str,
    )
    assert params == [{"InstanceId": [IDS[0]]}, {"InstanceId": [IDS[1]], "Force": ["true"]}]


def test_targets_that_resolve_to_nothing_succeed_without_children(ssm: Any) -> None:
    parent = ssm.start_automation_execution(
        DocumentName="AWS-StopEC2Instance", TargetParameterName="InstanceId",
        Targets=[{"Key": "tag:ENV", "Values": ["NONE"]}],
    )["AutomationExecutionId"]
    done = automation_of(ssm, parent)
    assert done["AutomationExecutionStatus"] == "Success"
    assert done["StepExecutions"] == []


def test_stopping_the_parent_cancels_its_running_children(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    mw.on_task("Slow", lambda inv: TaskOutcome("Success", duration=timedelta(hours=1)))
    parent = ssm.start_automation_execution(
        DocumentName="Slow", TargetParameterName="InstanceId",
        Targets=[{"Key": "ParameterValues", "Values": IDS[:3]}], MaxConcurrency="2",
    )["AutomationExecutionId"]
    mw.advance(timedelta(minutes=5))
    ssm.stop_automation_execution(AutomationExecutionId=parent)
    assert automation_of(ssm, parent)["AutomationExecutionStatus"] == "Cancelling"
    assert {k["AutomationExecutionStatus"] for k in children(ssm, parent)} == {"Cancelling"}
    mw.advance(timedelta(minutes=5))
    stopped = automation_of(ssm, parent)
    assert stopped["AutomationExecutionStatus"] == "Cancelled"
    assert stopped["ExecutionEndTime"] == START + timedelta(minutes=5)
    assert [s["StepStatus"] for s in stopped["StepExecutions"]] == [
        "Cancelled", "Cancelled", "Pending"
    ]
    assert {k["AutomationExecutionStatus"] for k in children(ssm, parent)} == {"Cancelled"}


def test_stopping_one_child_leaves_the_others_running(mw: MaintenanceWindows, ssm: Any) -> None:
    mw.on_task("Slow", lambda inv: TaskOutcome("Success", duration=timedelta(hours=1)))
    parent = ssm.start_automation_execution(
        DocumentName="Slow", TargetParameterName="InstanceId",
        Targets=[{"Key": "ParameterValues", "Values": IDS[:2]}],
    )["AutomationExecutionId"]
    first = children(ssm, parent)[0]["AutomationExecutionId"]
    ssm.stop_automation_execution(AutomationExecutionId=first)
    mw.advance(timedelta(hours=2))
    done = automation_of(ssm, parent)
    assert [s["StepStatus"] for s in done["StepExecutions"]] == ["Cancelled", "Success"]
    assert done["AutomationExecutionStatus"] == "Failed"


def test_every_ec2_instance_of_the_region_is_a_target(mw: MaintenanceWindows, ssm: Any) -> None:
    # User guide, "Run automations at scale": Key=AWS::EC2::Instance, Values=* targets all
    # EC2 instances in the account and Region.
    for instance in IDS[:2]:
        mw.add_instance(instance)
    mw.add_instance("i-0123456789abcdef0", region="eu-west-1")  # another Region
    mw.add_instance("mi-0123456789abcdef0")  # a managed node that is not an EC2 instance
    parent = ssm.start_automation_execution(
        DocumentName="AWS-RestartEC2Instance", TargetParameterName="InstanceId",
        Targets=[{"Key": "AWS::EC2::Instance", "Values": ["*"]}],
    )["AutomationExecutionId"]
    done = automation_of(ssm, parent)
    assert done["Targets"] == [{"Key": "AWS::EC2::Instance", "Values": ["*"]}]
    assert done["ResolvedTargets"] == {"ParameterValues": IDS[:2], "Truncated": False}
    assert [k["Target"] for k in children(ssm, parent)] == IDS[:2]


def test_all_instances_takes_only_the_wildcard(ssm: Any) -> None:
    with pytest.raises(ssm.exceptions.InvalidAutomationExecutionParametersException):
        ssm.start_automation_execution(
            DocumentName="AWS-RestartEC2Instance", TargetParameterName="InstanceId",
            Targets=[{"Key": "AWS::EC2::Instance", "Values": [IDS[0]]}],
        )


def test_two_targets_get_aws_own_error(ssm: Any, raw_ssm: Any) -> None:
    # aws/aws-cli#9028: two tag targets are InvalidAutomationExecutionParametersException
    # "Only one resource group or tag can be specified at a time", not a length error
    # (with botocore's validation on or off: botocore does not check the maximum).
    for client in (ssm, raw_ssm):
        with pytest.raises(
            client.exceptions.InvalidAutomationExecutionParametersException
        ) as excinfo:
            client.start_automation_execution(
                DocumentName="AWS-ResizeInstance", TargetParameterName="InstanceId",
                Targets=[{"Key": "tag:MaintenanceDays", "Values": ["30"]},
                         {"Key": "tag:MaintenanceTimeStart", "Values": ["12"]}],
            )
        assert excinfo.value.response["Error"]["Message"] == (
            "Only one resource group or tag can be specified at a time"
        )
