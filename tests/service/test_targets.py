"""Window targets through boto3: register, update, deregister, describe, rules, quotas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import MaintenanceWindows

INSTANCE = "i-0123456789abcdef0"
FORMAT_MESSAGE = (
    'Targets must be specified in one of the following formats: 1) 1 target with '
    '"Key=InstanceIds" and "Values=" a list of up to 50 instance IDs, or 2) Up to 5 targets, '
    'each of which can be either "Key=tag:<key>,Values=<tag_values>" or '
    '"Key=tag-key,Values=<tag_keys>", and each with up to 5 unique tag keys/values.'
)


@pytest.fixture
def window_id(make_window: Callable[..., str]) -> str:
    return make_window()


def register(ssm: Any, window_id: str, targets: list[dict[str, Any]], **extra: Any) -> str:
    return str(
        ssm.register_target_with_maintenance_window(
            WindowId=window_id, ResourceType=extra.pop("ResourceType", "INSTANCE"),
            Targets=targets, **extra,
        )["WindowTargetId"]
    )


def message_of(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    return str(excinfo.value.response["Error"]["Message"])


def test_register_and_describe(ssm: Any, window_id: str) -> None:
    first = register(
        ssm, window_id, [{"Key": "InstanceIds", "Values": [INSTANCE]}],
        OwnerInformation="Single instance", Name="one", Description="first target",
    )
    second = register(
        ssm, window_id,
        [{"Key": "tag:Environment", "Values": ["Prod"]}, {"Key": "tag:Role", "Values": ["Web"]}],
    )
    assert len(first) == 36
    assert first != second
    targets = ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]
    assert targets == [
        {
            "WindowId": window_id,
            "WindowTargetId": first,
            "ResourceType": "INSTANCE",
            "Targets": [{"Key": "InstanceIds", "Values": [INSTANCE]}],
            "OwnerInformation": "Single instance",
            "Name": "one",
            "Description": "first target",
        },
        {
            "WindowId": window_id,
            "WindowTargetId": second,
            "ResourceType": "INSTANCE",
            "Targets": [
                {"Key": "tag:Environment", "Values": ["Prod"]},
                {"Key": "tag:Role", "Values": ["Web"]},
            ],
        },
    ]


def test_registration_emits_events(ssm: Any, mw: MaintenanceWindows, window_id: str) -> None:
    target_id = register(ssm, window_id, [{"Key": "InstanceIds", "Values": [INSTANCE]}])
    ssm.update_maintenance_window_target(
        WindowId=window_id, WindowTargetId=target_id, Name="renamed"
    )
    ssm.deregister_target_from_maintenance_window(WindowId=window_id, WindowTargetId=target_id)
    events = [
        e for e in mw.events
        if e["detail-type"] == "Maintenance Window Target Registration Notification"
    ]
    # "Reference: Amazon EventBridge event patterns and types for Systems Manager":
    # REGISTERED, UPDATED, DEREGISTERED.
    assert [e["detail"] for e in events] == [
        {"window-target-id": target_id, "window-id": window_id, "status": "REGISTERED"},
        {"window-target-id": target_id, "window-id": window_id, "status": "UPDATED"},
        {"window-target-id": target_id, "window-id": window_id, "status": "DEREGISTERED"},
    ]
    assert events[0]["resources"] == [
        f"arn:aws:ssm:us-east-1:123456789012:maintenancewindow/{window_id}",
        f"arn:aws:ssm:us-east-1:123456789012:windowtarget/{target_id}",
    ]


@pytest.mark.parametrize(
    "targets",
    [
        [{"Key": "instanceids", "Values": [INSTANCE]}],
        [{"Key": "Role", "Values": ["Web"]}],
        [{"Key": "tag:A", "Values": ["1", "2", "3", "4", "5", "6"]}],
        [{"Key": "tag:K", "Values": ["v"]}, {"Key": "InstanceIds", "Values": [INSTANCE]}],
        [],
    ],
    ids=["lowercase-key", "bare-key", "6-values", "mixed", "empty"],
)
def test_target_formats_aws_refuses(ssm: Any, window_id: str, targets: list[Any]) -> None:
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id, targets)
    assert message_of(excinfo) == FORMAT_MESSAGE


def test_target_sizes_are_checked_from_the_model(ssm: Any, window_id: str) -> None:
    ids = [f"i-{n:017x}" for n in range(51)]
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id, [{"Key": "InstanceIds", "Values": ids}])
    assert message_of(excinfo).endswith(
        "at 'targets.1.member.values' failed to satisfy constraint: "
        "Member must have length less than or equal to 50"
    )
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id, [{"Key": f"tag:K{n}", "Values": ["v"]} for n in range(6)])
    assert message_of(excinfo).endswith(
        "at 'targets' failed to satisfy constraint: Member must have length less than or equal to 5"
    )


def test_target_formats_aws_accepts(ssm: Any, window_id: str) -> None:
    register(ssm, window_id, [{"Key": "InstanceIds", "Values": [f"i-{n:017x}" for n in range(50)]}])
    register(ssm, window_id, [{"Key": f"tag:K{n}", "Values": ["a", "b"]} for n in range(5)])
    register(ssm, window_id, [{"Key": "tag-key", "Values": ["Patch Group"]}])
    register(
        ssm, window_id,
        [
            {"Key": "resource-groups:Name", "Values": ["web-servers"]},
            {"Key": "resource-groups:ResourceTypeFilters", "Values": ["AWS::EC2::Instance"]},
        ],
        ResourceType="RESOURCE_GROUP",
    )
    assert len(ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]) == 4


def test_empty_values_get_aws_message(ssm: Any, window_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id, [{"Key": "tag:Patch Group", "Values": []}])
    assert message_of(excinfo) == (
        "Please specify at least one target.  Filter values can't be null and "
        "tag:Patch Group is."
    )


def test_resource_group_needs_its_own_format(ssm: Any, window_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        register(
            ssm, window_id, [{"Key": "InstanceIds", "Values": [INSTANCE]}],
            ResourceType="RESOURCE_GROUP",
        )
    assert "resource-groups:Name" in message_of(excinfo)


def test_register_on_unknown_window(ssm: Any) -> None:
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        register(ssm, "mw-0123456789abcdef0", [{"Key": "InstanceIds", "Values": [INSTANCE]}])


def test_update_without_and_with_replace(ssm: Any, window_id: str) -> None:
    target_id = register(
        ssm, window_id, [{"Key": "InstanceIds", "Values": [INSTANCE]}],
        OwnerInformation="owner", Name="named", Description="described",
    )
    updated = ssm.update_maintenance_window_target(
        WindowId=window_id, WindowTargetId=target_id, OwnerInformation="new owner"
    )
    updated.pop("ResponseMetadata")
    assert updated == {
        "WindowId": window_id,
        "WindowTargetId": target_id,
        "Targets": [{"Key": "InstanceIds", "Values": [INSTANCE]}],
        "OwnerInformation": "new owner",
        "Name": "named",
        "Description": "described",
    }
    replaced = ssm.update_maintenance_window_target(
        WindowId=window_id, WindowTargetId=target_id, Replace=True,
        Targets=[{"Key": "tag:Environment", "Values": ["Prod"]}],
    )
    assert "OwnerInformation" not in replaced
    assert "Name" not in replaced
    assert replaced["Targets"] == [{"Key": "tag:Environment", "Values": ["Prod"]}]
    with pytest.raises(ClientError) as excinfo:
        ssm.update_maintenance_window_target(
            WindowId=window_id, WindowTargetId=target_id, Replace=True, Name="no-targets"
        )
    assert "'targets'" in message_of(excinfo)
    with pytest.raises(ClientError):
        ssm.update_maintenance_window_target(
            WindowId=window_id, WindowTargetId=target_id,
            Targets=[{"Key": "Role", "Values": ["Web"]}],
        )


def test_unknown_target_ids(ssm: Any, window_id: str) -> None:
    unknown = "11111111-2222-4333-8444-555555555555"
    with pytest.raises(ssm.exceptions.DoesNotExistException) as excinfo:
        ssm.update_maintenance_window_target(WindowId=window_id, WindowTargetId=unknown)
    assert unknown in excinfo.value.response["Error"]["Message"]
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.deregister_target_from_maintenance_window(
            WindowId=window_id, WindowTargetId=unknown
        )


def test_safe_deregister_refuses_a_target_in_use(ssm: Any, window_id: str) -> None:
    target_id = register(ssm, window_id, [{"Key": "InstanceIds", "Values": [INSTANCE]}])
    task_id = ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="1", MaxErrors="1",
    )["WindowTaskId"]
    with pytest.raises(ssm.exceptions.TargetInUseException) as excinfo:
        ssm.deregister_target_from_maintenance_window(
            WindowId=window_id, WindowTargetId=target_id, Safe=True
        )
    assert task_id in excinfo.value.response["Error"]["Message"]
    done = ssm.deregister_target_from_maintenance_window(
        WindowId=window_id, WindowTargetId=target_id
    )
    assert (done["WindowId"], done["WindowTargetId"]) == (window_id, target_id)
    assert ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"] == []


def test_describe_filters(ssm: Any, window_id: str) -> None:
    one = register(
        ssm, window_id, [{"Key": "InstanceIds", "Values": [INSTANCE]}], OwnerInformation="a"
    )
    two = register(
        ssm, window_id, [{"Key": "tag:Role", "Values": ["Web"]}], OwnerInformation="b"
    )
    group = register(
        ssm, window_id, [{"Key": "resource-groups:Name", "Values": ["g"]}],
        ResourceType="RESOURCE_GROUP",
    )

    def ids(filters: list[dict[str, Any]]) -> list[str]:
        found = ssm.describe_maintenance_window_targets(WindowId=window_id, Filters=filters)
        return [t["WindowTargetId"] for t in found["Targets"]]

    assert ids([{"Key": "OwnerInformation", "Values": ["b"]}]) == [two]
    assert ids([{"Key": "WindowTargetId", "Values": [one, group]}]) == [one, group]
    assert ids([{"Key": "Type", "Values": ["RESOURCE_GROUP"]}]) == [group]
    with pytest.raises(ClientError):
        ids([{"Key": "Name", "Values": ["x"]}])


def test_paginator_and_quota(ssm: Any, window_id: str) -> None:
    created = [
        register(ssm, window_id, [{"Key": "InstanceIds", "Values": [f"i-{n:017x}"]}])
        for n in range(100)
    ]
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id, [{"Key": "InstanceIds", "Values": [INSTANCE]}])
    assert excinfo.value.response["Error"]["Code"] == "ResourceLimitExceededException"
    pages = ssm.get_paginator("describe_maintenance_window_targets").paginate(
        WindowId=window_id, PaginationConfig={"PageSize": 30}
    )
    listed = [t["WindowTargetId"] for p in pages for t in p["Targets"]]
    assert listed == created


def test_client_token_makes_register_idempotent(ssm: Any, window_id: str) -> None:
    targets = [{"Key": "InstanceIds", "Values": [INSTANCE]}]
    first = register(ssm, window_id, targets, ClientToken="tok")
    assert register(ssm, window_id, targets, ClientToken="tok") == first
    with pytest.raises(ssm.exceptions.IdempotentParameterMismatch):
        register(ssm, window_id, targets, ClientToken="tok", OwnerInformation="changed")
    assert len(ssm.describe_maintenance_window_targets(WindowId=window_id)["Targets"]) == 1
