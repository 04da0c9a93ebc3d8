"""Window tasks through boto3: register, get, update, deregister, describe, rules, quotas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import MaintenanceWindows

INSTANCE = "i-0123456789abcdef0"
RUN_PARAMS = {"RunCommand": {"Parameters": {"commands": ["df"]}, "TimeoutSeconds": 600}}


@pytest.fixture
def window_id(make_window: Callable[..., str]) -> str:
    return make_window()


@pytest.fixture
def target_id(ssm: Any, window_id: str) -> str:
    return str(
        ssm.register_target_with_maintenance_window(
            WindowId=window_id, ResourceType="INSTANCE",
            Targets=[{"Key": "InstanceIds", "Values": [INSTANCE]}], OwnerInformation="web",
        )["WindowTargetId"]
    )


def register(ssm: Any, window_id: str, **params: Any) -> str:
    defaults: dict[str, Any] = {
        "TaskArn": "AWS-RunShellScript",
        "TaskType": "RUN_COMMAND",
        "Targets": [{"Key": "InstanceIds", "Values": [INSTANCE]}],
        "MaxConcurrency": "1",
        "MaxErrors": "1",
    }
    defaults.update(params)
    defaults = {k: v for k, v in defaults.items() if v is not None}
    return str(
        ssm.register_task_with_maintenance_window(WindowId=window_id, **defaults)["WindowTaskId"]
    )


def message_of(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return str(excinfo.value.response["Error"]["Message"])


def test_register_get_and_describe_use_their_own_field_names(
    ssm: Any, window_id: str, target_id: str
) -> None:
    task_id = register(
        ssm, window_id,
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        ServiceRoleArn="arn:aws:iam::123456789012:role/MW-Role",
        TaskInvocationParameters=RUN_PARAMS, Priority=3, Name="disk-free", Description="disk free",
        CutoffBehavior="CANCEL_TASK",
    )
    got = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    got.pop("ResponseMetadata")
    assert got == {
        "WindowId": window_id,
        "WindowTaskId": task_id,
        "Targets": [{"Key": "WindowTargetIds", "Values": [target_id]}],
        "TaskArn": "AWS-RunShellScript",
        "ServiceRoleArn": "arn:aws:iam::123456789012:role/MW-Role",
        "TaskType": "RUN_COMMAND",
        "TaskParameters": {},
        "TaskInvocationParameters": RUN_PARAMS,
        "Priority": 3,
        "MaxConcurrency": "1",
        "MaxErrors": "1",
        "Name": "disk-free",
        "Description": "disk free",
        "CutoffBehavior": "CANCEL_TASK",
    }
    listed = ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]
    assert len(listed) == 1
    assert listed[0]["Type"] == "RUN_COMMAND"
    assert "TaskType" not in listed[0]
    assert "TaskInvocationParameters" not in listed[0]
    assert listed[0]["WindowTaskId"] == task_id


def test_targetless_automation_reports_placeholder_rate_controls(
    ssm: Any, window_id: str
) -> None:
    task_id = register(
        ssm, window_id, TaskType="AUTOMATION", TaskArn="AWS-RestartEC2Instance",
        Targets=None, MaxConcurrency=None, MaxErrors=None,
        TaskInvocationParameters={"Automation": {"Parameters": {"InstanceId": [INSTANCE]}}},
    )
    got = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    assert (got["MaxConcurrency"], got["MaxErrors"], got["Targets"]) == ("1", "1", [])


def test_defaults_read_back_as_aws_reports_them(ssm: Any, window_id: str) -> None:
    """A task registered with neither Priority, ServiceRoleArn nor TaskParameters reads back
    Priority 0 (the Terraform AWS provider's acceptance tests rely on it), the account's
    service-linked role and ``"TaskParameters": {}`` (every AWS CLI example of
    get-/update-/describe-maintenance-window-task(s) shows both)."""
    task_id = register(
        ssm, window_id, TaskType="AUTOMATION", TaskArn="AWS-RestartEC2Instance",
        Targets=None, MaxConcurrency=None, MaxErrors=None, Priority=None, ServiceRoleArn=None,
    )
    role = (
        "arn:aws:iam::123456789012:role/aws-service-role/ssm.amazonaws.com/"
        "AWSServiceRoleForAmazonSSM"
    )
    got = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    [listed] = ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]
    updated = ssm.update_maintenance_window_task(
        WindowId=window_id, WindowTaskId=task_id, Description="reboot"
    )
    for body in (got, listed, updated):
        assert (body["Priority"], body["ServiceRoleArn"], body["TaskParameters"]) == (0, role, {})
    # Replace=true clears Priority back to its default, and the role stays reported.
    replaced = ssm.update_maintenance_window_task(
        WindowId=window_id, WindowTaskId=task_id, TaskArn="AWS-RestartEC2Instance",
        Priority=5, Replace=True,
    )
    assert (replaced["Priority"], replaced["ServiceRoleArn"]) == (5, role)
    replaced = ssm.update_maintenance_window_task(
        WindowId=window_id, WindowTaskId=task_id, TaskArn="AWS-RestartEC2Instance", Replace=True,
    )
    assert replaced["Priority"] == 0


def test_lambda_payload_round_trips_as_bytes(ssm: Any, window_id: str, target_id: str) -> None:
    payload = b'{"targetId":"{{TARGET_ID}}"}'
    task_id = register(
        ssm, window_id, TaskType="LAMBDA",
        TaskArn="arn:aws:lambda:us-east-1:123456789012:function:SSMTestFunction",
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        TaskInvocationParameters={"Lambda": {"Payload": payload, "Qualifier": "$LATEST"}},
    )
    got = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    assert got["TaskInvocationParameters"]["Lambda"]["Payload"] == payload


def test_run_command_needs_targets(ssm: Any, window_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id, Targets=None, MaxConcurrency=None, MaxErrors=None)
    assert "For Run Command tasks, you must specify at least one resource" in message_of(excinfo)


def test_task_target_keys_are_checked_with_aws_message(ssm: Any, window_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id, Targets=[{"Key": "tag:Role", "Values": ["Web"]}])
    assert message_of(excinfo) == (
        "tag:Role is an invalid window task target type, use WindowTargetIds or InstanceIds. "
        "For Run Command tasks, you must specify at least one resource as the target of the "
        "task. You can specify between 1 and 50 instance IDs, or between 1 and 10 maintenance "
        "window target IDs"
    )


def test_at_most_ten_window_targets(ssm: Any, window_id: str) -> None:
    ids = [
        ssm.register_target_with_maintenance_window(
            WindowId=window_id, ResourceType="INSTANCE",
            Targets=[{"Key": "InstanceIds", "Values": [f"i-{n:017x}"]}],
        )["WindowTargetId"]
        for n in range(11)
    ]
    register(ssm, window_id, Targets=[{"Key": "WindowTargetIds", "Values": ids[:10]}])
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id, Targets=[{"Key": "WindowTargetIds", "Values": ids}])
    assert message_of(excinfo) == "The maximum number of window targets is 10"


def test_window_target_ids_must_exist_in_the_window(ssm: Any, window_id: str) -> None:
    unknown = "11111111-2222-4333-8444-555555555555"
    with pytest.raises(ssm.exceptions.DoesNotExistException) as excinfo:
        register(ssm, window_id, Targets=[{"Key": "WindowTargetIds", "Values": [unknown]}])
    assert unknown in message_of(excinfo)


def test_rate_controls_with_and_without_targets(ssm: Any, window_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id, MaxErrors=None)
    assert "MaxErrors" in message_of(excinfo)
    with pytest.raises(ClientError) as excinfo:
        register(
            ssm, window_id, TaskType="AUTOMATION", TaskArn="AWS-RestartEC2Instance",
            Targets=None, MaxConcurrency="2", MaxErrors="1",
        )
    # MaxErrors first, as quoted from a real response in terraform-provider-aws#19396.
    assert message_of(excinfo) == (
        "Maintenance window tasks without targets do not support MaxErrors values. "
        "Maintenance window tasks without targets do not support MaxConcurrency values."
    )
    with pytest.raises(ClientError) as excinfo:
        register(
            ssm, window_id, TaskType="AUTOMATION", TaskArn="AWS-RestartEC2Instance",
            Targets=None, MaxConcurrency=None, MaxErrors="0",
        )
    assert message_of(excinfo) == (
        "Maintenance window tasks without targets do not support MaxErrors values."
    )


def test_instance_targets_need_unassociated_targets_allowed(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    strict = make_window(AllowUnassociatedTargets=False)
    with pytest.raises(ClientError) as excinfo:
        register(ssm, strict)
    assert "AllowUnassociatedTargets" in message_of(excinfo)


def test_invocation_parameters_must_match_the_task_type(ssm: Any, window_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        register(
            ssm, window_id,
            TaskInvocationParameters={**RUN_PARAMS, "Automation": {"DocumentVersion": "1"}},
        )
    assert "Automation" in message_of(excinfo)


def test_update_merges_and_replace_clears(ssm: Any, window_id: str, target_id: str) -> None:
    task_id = register(
        ssm, window_id, Name="first", Description="kept", Priority=5,
        TaskInvocationParameters=RUN_PARAMS,
    )
    updated = ssm.update_maintenance_window_task(
        WindowId=window_id, WindowTaskId=task_id, Name="second",
        TaskInvocationParameters={"RunCommand": {"Comment": "only this"}},
    )
    assert "TaskType" not in updated
    assert "Type" not in updated
    assert updated["Description"] == "kept"
    assert updated["Priority"] == 5
    # TaskInvocationParameters are replaced as a whole.
    assert updated["TaskInvocationParameters"] == {"RunCommand": {"Comment": "only this"}}
    replaced = ssm.update_maintenance_window_task(
        WindowId=window_id, WindowTaskId=task_id, Replace=True, TaskArn="AWS-RunPatchBaseline",
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="50%", MaxErrors="0",
    )
    assert "Name" not in replaced
    assert "Description" not in replaced
    assert "TaskInvocationParameters" not in replaced
    assert replaced["TaskArn"] == "AWS-RunPatchBaseline"
    got = ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
    assert got["TaskType"] == "RUN_COMMAND"
    assert got["MaxConcurrency"] == "50%"
    with pytest.raises(ClientError) as excinfo:
        ssm.update_maintenance_window_task(
            WindowId=window_id, WindowTaskId=task_id, Replace=True, Name="no-arn"
        )
    assert "'taskArn'" in message_of(excinfo)


def test_update_validates_the_merged_task(ssm: Any, window_id: str) -> None:
    task_id = register(ssm, window_id)
    with pytest.raises(ClientError):
        ssm.update_maintenance_window_task(
            WindowId=window_id, WindowTaskId=task_id,
            Targets=[{"Key": "tag:Role", "Values": ["Web"]}],
        )


def test_deregister_and_unknown_ids(ssm: Any, window_id: str) -> None:
    task_id = register(ssm, window_id)
    done = ssm.deregister_task_from_maintenance_window(WindowId=window_id, WindowTaskId=task_id)
    assert (done["WindowId"], done["WindowTaskId"]) == (window_id, task_id)
    for call in (
        ssm.get_maintenance_window_task,
        ssm.deregister_task_from_maintenance_window,
        ssm.update_maintenance_window_task,
    ):
        with pytest.raises(ssm.exceptions.DoesNotExistException) as excinfo:
            call(WindowId=window_id, WindowTaskId=task_id)
        assert task_id in message_of(excinfo)


def test_describe_filters(ssm: Any, window_id: str) -> None:
    run = register(ssm, window_id, Priority=1)
    patch = register(ssm, window_id, TaskArn="AWS-RunPatchBaseline", Priority=2)
    automation = register(
        ssm, window_id, TaskType="AUTOMATION", TaskArn="AWS-RestartEC2Instance", Priority=2
    )

    def ids(filters: list[dict[str, Any]]) -> list[str]:
        found = ssm.describe_maintenance_window_tasks(WindowId=window_id, Filters=filters)
        return [t["WindowTaskId"] for t in found["Tasks"]]

    assert ids([{"Key": "Priority", "Values": ["2"]}]) == [patch, automation]
    assert ids([{"Key": "TaskType", "Values": ["RUN_COMMAND"]}]) == [run, patch]
    assert ids([{"Key": "TaskArn", "Values": ["AWS-RunPatchBaseline"]}]) == [patch]
    assert ids([{"Key": "WindowTaskId", "Values": [automation]}]) == [automation]
    assert ids(
        [{"Key": "TaskType", "Values": ["RUN_COMMAND"]}, {"Key": "Priority", "Values": ["1"]}]
    ) == [run]


def test_quota_paginator_and_idempotency(ssm: Any, window_id: str) -> None:
    created = [register(ssm, window_id, Priority=n) for n in range(20)]
    with pytest.raises(ClientError) as excinfo:
        register(ssm, window_id)
    assert excinfo.value.response["Error"]["Code"] == "ResourceLimitExceededException"
    pages = ssm.get_paginator("describe_maintenance_window_tasks").paginate(
        WindowId=window_id, PaginationConfig={"PageSize": 10}
    )
    assert [t["WindowTaskId"] for p in pages for t in p["Tasks"]] == created
    ssm.deregister_task_from_maintenance_window(WindowId=window_id, WindowTaskId=created[0])
    first = register(ssm, window_id, ClientToken="tok")
    assert register(ssm, window_id, ClientToken="tok") == first
    with pytest.raises(ssm.exceptions.IdempotentParameterMismatch):
        register(ssm, window_id, ClientToken="tok", Priority=9)


def test_unknown_window(ssm: Any) -> None:
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        register(ssm, "mw-0123456789abcdef0")
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.describe_maintenance_window_tasks(WindowId="mw-0123456789abcdef0")


def test_update_keeps_a_target_deregistered_since_without_safe(
    ssm: Any, window_id: str, target_id: str
) -> None:
    task_id = register(ssm, window_id, Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}])
    ssm.deregister_target_from_maintenance_window(WindowId=window_id, WindowTargetId=target_id)
    # An update that does not touch the targets still works...
    updated = ssm.update_maintenance_window_task(
        WindowId=window_id, WindowTaskId=task_id, Description="still here"
    )
    assert updated["Targets"] == [{"Key": "WindowTargetIds", "Values": [target_id]}]
    # ...while sending that id again is checked like any new reference.
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.update_maintenance_window_task(
            WindowId=window_id, WindowTaskId=task_id,
            Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        )


def test_registration_emits_task_registration_events(
    ssm: Any, mw: MaintenanceWindows, window_id: str, target_id: str
) -> None:
    # "Reference: Amazon EventBridge event patterns and types for Systems Manager" lists
    # "Maintenance Window Task Registration Notification" with REGISTERED, UPDATED and
    # DEREGISTERED; its detail is undocumented and follows the target registration's.
    task_id = register(ssm, window_id)
    ssm.update_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id, Priority=3)
    ssm.deregister_task_from_maintenance_window(WindowId=window_id, WindowTaskId=task_id)
    events = [
        e for e in mw.events
        if e["detail-type"] == "Maintenance Window Task Registration Notification"
    ]
    assert [e["detail"] for e in events] == [
        {"window-task-id": task_id, "window-id": window_id, "status": status}
        for status in ("REGISTERED", "UPDATED", "DEREGISTERED")
    ]
    assert events[0]["resources"] == [
        f"arn:aws:ssm:us-east-1:123456789012:maintenancewindow/{window_id}",
        f"arn:aws:ssm:us-east-1:123456789012:windowtask/{task_id}",
    ]
    assert events[0]["source"] == "aws.ssm"
