"""moto's world as the fleet: with mock_aws active, targets see moto's EC2 instances and groups.

Instances made with ``ec2.run_instances(TagSpecifications=...)`` used to be invisible to
``tag:`` targets: the task ran with no invocation and the execution said SUCCESS.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome, mock_maintenance_windows

from ..helpers import START

REGION = "eu-west-1"
AMI = "ami-12c6146b"  # any id does for moto; listing its AMIs would take seconds


@pytest.fixture
def world() -> Iterator[MaintenanceWindows]:
    with mock_aws(), mock_maintenance_windows(start=START) as mw:
        yield mw


def _launch(tags: dict[str, str], count: int = 1, region: str = REGION) -> list[str]:
    ec2 = boto3.client("ec2", region_name=region)
    reservation = ec2.run_instances(
        ImageId=AMI, MinCount=count, MaxCount=count, TagSpecifications=[{
            "ResourceType": "instance",
            "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
        }],
    )
    return [instance["InstanceId"] for instance in reservation["Instances"]]


def _hourly_window(ssm: Any, targets: list[dict[str, Any]], resource_type: str) -> str:
    window_id = ssm.create_maintenance_window(
        Name="moto-fleet", Schedule="rate(1 hour)", Duration=2, Cutoff=0,
        AllowUnassociatedTargets=False,
    )["WindowId"]
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType=resource_type, Targets=targets
    )["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RestartEC2Instance", TaskType="AUTOMATION",
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="10", MaxErrors="0",
    )
    return str(window_id)


def _record_targets(mw: MaintenanceWindows) -> list[str | None]:
    seen: list[str | None] = []

    def handler(invocation: Invocation) -> TaskOutcome:
        seen.append(invocation.target_id)
        return TaskOutcome("SUCCESS")

    mw.on_task("AUTOMATION", handler)
    return seen


def test_tag_targets_resolve_to_mocked_ec2_instances_with_tags_read_at_run_time(
    world: MaintenanceWindows,
) -> None:
    web = _launch({"Patch Group": "web", "Env": "prod"}, count=2)
    [db] = _launch({"Patch Group": "db"})
    elsewhere = _launch({"Patch Group": "web"}, region="us-east-1")
    ssm = boto3.client("ssm", region_name=REGION)
    window_id = _hourly_window(ssm, [{"Key": "tag:Patch Group", "Values": ["web"]}], "INSTANCE")
    seen = _record_targets(world)

    world.advance(timedelta(hours=1))
    assert sorted(seen) == sorted(web)  # not the db server, not the other Region's
    assert elsewhere[0] not in seen

    # Retagged between executions: the next one sees the tags as they are then.
    ec2 = boto3.client("ec2", region_name=REGION)
    ec2.create_tags(Resources=[db], Tags=[{"Key": "Patch Group", "Value": "web"}])
    ec2.delete_tags(Resources=[web[0]], Tags=[{"Key": "Patch Group"}])
    seen.clear()
    world.advance(timedelta(hours=1))
    assert sorted(seen) == sorted([web[1], db])

    executions = ssm.describe_maintenance_window_executions(WindowId=window_id)
    assert [e["Status"] for e in executions["WindowExecutions"]] == ["SUCCESS", "SUCCESS"]


def test_tag_key_targets_and_declared_instances_combine(world: MaintenanceWindows) -> None:
    [moto_node] = _launch({"Owner": "sre"})
    world.add_instance("i-0123456789abcdef0", tags={"Owner": "ops"})
    ssm = boto3.client("ssm", region_name=REGION)
    _hourly_window(ssm, [{"Key": "tag-key", "Values": ["Owner"]}], "INSTANCE")
    seen = _record_targets(world)
    world.advance(timedelta(hours=1))
    assert seen == ["i-0123456789abcdef0", moto_node]


def test_resource_group_targets_resolve_through_motos_groups(world: MaintenanceWindows) -> None:
    members = _launch({"Team": "payments"}, count=2)
    _launch({"Team": "search"})
    boto3.client("resource-groups", region_name=REGION).create_group(
        Name="payments-servers",
        ResourceQuery={"Type": "TAG_FILTERS_1_0", "Query": json.dumps({
            "ResourceTypeFilters": ["AWS::EC2::Instance"],
            "TagFilters": [{"Key": "Team", "Values": ["payments"]}],
        })},
    )
    ssm = boto3.client("ssm", region_name=REGION)
    window_id = _hourly_window(
        ssm, [{"Key": "resource-groups:Name", "Values": ["payments-servers"]}], "RESOURCE_GROUP"
    )
    seen = _record_targets(world)
    world.advance(timedelta(hours=1))
    account = "123456789012"
    assert sorted(seen) == sorted(
        f"arn:aws:ec2:{REGION}:{account}:instance/{iid}" for iid in members
    )
    [execution] = ssm.describe_maintenance_window_executions(
        WindowId=window_id
    )["WindowExecutions"]
    [task] = ssm.describe_maintenance_window_execution_tasks(
        WindowExecutionId=execution["WindowExecutionId"]
    )["WindowExecutionTaskIdentities"]
    invocations = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution["WindowExecutionId"], TaskId=task["TaskExecutionId"]
    )["WindowExecutionTaskInvocationIdentities"]
    assert len(invocations) == 2


def test_a_stopped_instance_is_a_node_that_is_not_online(world: MaintenanceWindows) -> None:
    running, stopped = _launch({"Patch Group": "web"}, count=2)
    boto3.client("ec2", region_name=REGION).stop_instances(InstanceIds=[stopped])
    fleet = world._require().fleet  # what the engine resolves targets and nodes against
    found = {i.instance_id: i.online for i in fleet.in_region(REGION)}
    assert found == {running: True, stopped: False}
    node = fleet.get(stopped, REGION)
    assert node is not None
    assert not node.online
    assert fleet.get(stopped, "us-east-1") is None


def test_a_command_to_a_stopped_instance_times_out_undelivered(
    world: MaintenanceWindows,
) -> None:
    """End to end: a window's Run Command over moto's instances, one of them stopped. The
    stopped one never receives the command and ends DeliveryTimedOut when it expires, as a
    managed node that is not online does ("Understanding command statuses")."""
    running, stopped = _launch({"Patch Group": "web"}, count=2)
    boto3.client("ec2", region_name=REGION).stop_instances(InstanceIds=[stopped])
    ssm = boto3.client("ssm", region_name=REGION)
    window_id = ssm.create_maintenance_window(
        Name="moto-patch", Schedule="cron(0 2 * * ? *)", Duration=4, Cutoff=1,
        AllowUnassociatedTargets=False,
    )["WindowId"]
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Patch Group", "Values": ["web"]}],
    )["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="2", MaxErrors="1",
    )
    world.advance(timedelta(hours=6))
    [command] = ssm.list_commands()["Commands"]
    nodes = {
        node["InstanceId"]: node["StatusDetails"]
        for node in ssm.list_command_invocations(CommandId=command["CommandId"])[
            "CommandInvocations"
        ]
    }
    assert nodes == {running: "Success", stopped: "DeliveryTimedOut"}
    assert command["DeliveryTimedOutCount"] == 1


def test_another_account_sees_none_of_motos_instances() -> None:
    with mock_aws(), mock_maintenance_windows(start=START, account_id="111122223333") as mw:
        _launch({"Patch Group": "web"})
        ssm = boto3.client("ssm", region_name=REGION)
        _hourly_window(ssm, [{"Key": "tag:Patch Group", "Values": ["web"]}], "INSTANCE")
        seen = _record_targets(mw)
        mw.advance(timedelta(hours=1))
        assert seen == []
