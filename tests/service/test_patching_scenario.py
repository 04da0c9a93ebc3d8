"""Patching end to end (issue 19's "done when"), through boto3: a weekly Scan window on
Tuesday night and an Install window on Wednesday over a tagged fleet (and moto's EC2
instances), two baselines and patch groups, approval that waits ApproveAfterDays after
release, a failed install on one node, and the compliance reads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from ssm_mw_stub import Invocation, MaintenanceWindows, Patch, TaskOutcome, mock_maintenance_windows

from ..helpers import START

WEB = ["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", "i-0a1b2c3d4e5f60003"]
WIN = "i-0a1b2c3d4e5f60004"
OPENSSL = dict(id="openssl-3.0.8-1.amzn2023", released="2026-11-16",
               classification="Security", severity="Critical", cve_ids=("CVE-2026-0001",))
CURL = dict(id="curl-8.5.0-1.amzn2023", released="2026-11-20", classification="Security",
            severity="Important")
KB = dict(id="KB5031364", released="2026-11-10", classification="SecurityUpdates",
          severity="Critical", title="2026-11 Cumulative Update")


def _baselines(ssm: Any) -> tuple[str, str]:
    linux = ssm.create_patch_baseline(
        Name="web-prod", OperatingSystem="AMAZON_LINUX_2023",
        ApprovalRules={"PatchRules": [{
            "PatchFilterGroup": {"PatchFilters": [
                {"Key": "CLASSIFICATION", "Values": ["Security"]},
                {"Key": "SEVERITY", "Values": ["Critical", "Important"]}]},
            "ApproveAfterDays": 7, "ComplianceLevel": "CRITICAL"}]},
    )["BaselineId"]
    windows = ssm.create_patch_baseline(
        Name="win-prod", ApprovalRules={"PatchRules": [{
            "PatchFilterGroup": {"PatchFilters": [
                {"Key": "CLASSIFICATION", "Values": ["SecurityUpdates"]}]},
            "ApproveAfterDays": 3, "ComplianceLevel": "HIGH"}]},
    )["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=linux, PatchGroup="web-prod")
    ssm.register_patch_baseline_for_patch_group(BaselineId=windows, PatchGroup="win-prod")
    return linux, windows


def _window(ssm: Any, name: str, schedule: str, operation: str) -> str:
    window_id = ssm.create_maintenance_window(
        Name=name, Schedule=schedule, Duration=3, Cutoff=1, AllowUnassociatedTargets=False,
    )["WindowId"]
    target_ids = [ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE",
        Targets=[{"Key": f"tag:{key}", "Values": ["web-prod", "win-prod"]}],
    )["WindowTargetId"] for key in ("Patch Group", "PatchGroup")]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunPatchBaseline", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": target_ids}],
        MaxConcurrency="2", MaxErrors="1",
        TaskInvocationParameters={"RunCommand": {"Parameters": {
            "Operation": [operation], "RebootOption": ["RebootIfNeeded"]}}},
    )
    return str(window_id)


def _install_fails_on(instance_id: str) -> Any:
    def handler(invocation: Invocation) -> TaskOutcome:
        operation = invocation.parameters.get("Parameters", {}).get("Operation", ["Scan"])[0]
        if operation == "Install" and invocation.instance_id == instance_id:
            return TaskOutcome("Failed", duration=timedelta(minutes=20),
                               stderr="yum: transaction check error")
        return TaskOutcome("Success", duration=timedelta(minutes=10))

    return handler


def _states(ssm: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    found = ssm.describe_instance_patch_states(InstanceIds=ids)["InstancePatchStates"]
    return {state["InstanceId"]: state for state in found}


def _patches(ssm: Any, instance_id: str) -> dict[str, str]:
    found = ssm.describe_instance_patches(InstanceId=instance_id)["Patches"]
    return {patch["KBId"]: patch["State"] for patch in found}


def _fleet(mw: MaintenanceWindows) -> None:
    mw.add_instance(WEB[0], tags={"Patch Group": "web-prod"}, computer_name="web-1",
                    patches=[Patch(**OPENSSL), Patch(**CURL)])
    mw.add_instance(WEB[1], tags={"Patch Group": "web-prod"}, computer_name="web-2",
                    patches=[Patch(**OPENSSL), Patch(**CURL, installed=True)])
    mw.add_instance(WEB[2], tags={"Patch Group": "web-prod"}, computer_name="web-3",
                    patches=[Patch(**OPENSSL, installed=True)])
    mw.add_instance(WIN, tags={"PatchGroup": "win-prod"}, platform_type="Windows",
                    patches=[Patch(**KB)])


def test_scan_tuesday_install_wednesday_one_install_fails() -> None:
    with mock_maintenance_windows(start=START) as mw:  # Tuesday 2026-11-24 00:00 UTC
        ssm = boto3.client("ssm", region_name="us-east-1")
        linux, windows = _baselines(ssm)
        scan = _window(ssm, "scan", "cron(0 22 ? * TUE *)", "Scan")
        install = _window(ssm, "install", "cron(0 3 ? * WED *)", "Install")
        _fleet(mw)
        mw.on_task("AWS-RunPatchBaseline", _install_fails_on(WEB[1]))

        mw.advance_to("2026-11-25T00:00:00Z")  # Tuesday night's scan
        states = _states(ssm, [*WEB, WIN])
        assert states[WEB[0]]["Operation"] == "Scan"
        assert states[WEB[0]]["BaselineId"] == linux
        assert states[WIN]["BaselineId"] == windows
        assert states[WIN]["PatchGroup"] == "win-prod"
        # openssl was released 8 days ago: approved; curl 4 days ago: not yet.
        assert [n for n in WEB if states[n]["MissingCount"]] == [WEB[0], WEB[1]]
        assert all(states[n]["CriticalNonCompliantCount"] == 1 for n in WEB[:2])
        assert _patches(ssm, WEB[0]) == {"openssl-3.0.8-1.amzn2023": "MISSING"}
        assert _patches(ssm, WEB[1]) == {"openssl-3.0.8-1.amzn2023": "MISSING",
                                         "curl-8.5.0-1.amzn2023": "INSTALLED_OTHER"}
        assert states[WEB[2]]["InstalledCount"] == 1
        group = ssm.describe_patch_group_state(PatchGroup="web-prod")
        assert group["Instances"] == 3
        assert group["InstancesWithMissingPatches"] == 2
        assert group["InstancesWithCriticalNonCompliantPatches"] == 2

        mw.advance_to("2026-11-26T00:00:00Z")  # Wednesday's install
        states = _states(ssm, [*WEB, WIN])
        assert states[WEB[0]]["Operation"] == "Install"
        assert states[WEB[0]]["InstalledCount"] == 1
        assert states[WEB[0]]["MissingCount"] == 0
        assert states[WEB[0]]["OperationStartTime"] == datetime(
            2026, 11, 25, 3, tzinfo=timezone.utc)
        assert states[WEB[0]]["OperationEndTime"] == datetime(
            2026, 11, 25, 3, 10, tzinfo=timezone.utc)
        assert states[WEB[1]]["FailedCount"] == 1
        assert _patches(ssm, WEB[1])["openssl-3.0.8-1.amzn2023"] == "FAILED"
        assert _patches(ssm, WIN) == {"KB5031364": "INSTALLED"}
        [execution] = ssm.describe_maintenance_window_executions(WindowId=install)[
            "WindowExecutions"]
        [task] = ssm.describe_maintenance_window_execution_tasks(
            WindowExecutionId=execution["WindowExecutionId"])["WindowExecutionTaskIdentities"]
        command_id = ssm.describe_maintenance_window_execution_task_invocations(
            WindowExecutionId=execution["WindowExecutionId"], TaskId=task["TaskExecutionId"],
        )["WindowExecutionTaskInvocationIdentities"][0]["ExecutionId"]
        nodes = {i["InstanceId"]: i for i in ssm.list_command_invocations(
            CommandId=command_id)["CommandInvocations"]}
        assert nodes[WEB[1]]["Status"] == "Failed"
        assert nodes[WEB[1]]["InstanceName"] == "web-2"
        assert nodes[WEB[0]]["Status"] == "Success"
        # The timeline shows what each node's patch run did.
        chart = str(mw.timeline())
        assert f"{WEB[1]}: Failed; Install: 1 installed other, 1 failed (NON_COMPLIANT)" in chart
        assert f"{WEB[0]}: Success; Scan: 1 missing (NON_COMPLIANT)" in chart
        assert f"{WIN}: Success; Install: 1 installed (COMPLIANT)" in chart

        # Compliance reads.
        summaries = {s["ResourceId"]: s for s in ssm.list_resource_compliance_summaries(
            Filters=[{"Key": "ComplianceType", "Values": ["Patch"], "Type": "EQUAL"}],
        )["ResourceComplianceSummaryItems"]}
        assert summaries[WEB[0]]["Status"] == "COMPLIANT"
        assert summaries[WEB[1]]["Status"] == "NON_COMPLIANT"
        assert summaries[WEB[1]]["OverallSeverity"] == "CRITICAL"
        assert summaries[WEB[1]]["NonCompliantSummary"]["NonCompliantCount"] == 1
        items = ssm.list_compliance_items(
            ResourceIds=[WEB[1]], ResourceTypes=["ManagedInstance"],
            Filters=[{"Key": "Status", "Values": ["NON_COMPLIANT"], "Type": "EQUAL"}],
        )["ComplianceItems"]
        assert [(i["Id"], i["Details"]["PatchState"]) for i in items] == [
            ("openssl-3.0.8-1.amzn2023", "FAILED")]
        [summary] = ssm.list_compliance_summaries()["ComplianceSummaryItems"]
        assert summary["ComplianceType"] == "Patch"
        assert summary["CompliantSummary"]["CompliantCount"] == 3
        assert summary["NonCompliantSummary"]["NonCompliantCount"] == 1
        failed = ssm.describe_instance_patch_states_for_patch_group(
            PatchGroup="web-prod",
            Filters=[{"Key": "FailedCount", "Values": ["0"], "Type": "GreaterThan"}],
        )["InstancePatchStates"]
        assert [s["InstanceId"] for s in failed] == [WEB[1]]
        changes = [e["detail"] for e in mw.events
                   if e["detail-type"] == "Configuration Compliance State Change"]
        assert [(c["resource-id"], c["compliance-status"]) for c in changes] == [
            (WEB[0], "non_compliant"), (WEB[1], "non_compliant"), (WEB[2], "compliant"),
            (WIN, "non_compliant"), (WEB[0], "compliant"), (WIN, "compliant")]

        # A week later curl (released 2026-11-20) is past its seven days: the next scan
        # finds it missing on web-1, where Wednesday's install had left it alone.
        assert _patches(ssm, WEB[0]) == {"openssl-3.0.8-1.amzn2023": "INSTALLED"}
        mw.advance_to("2026-12-02T00:00:00Z")
        assert _patches(ssm, WEB[0]) == {"openssl-3.0.8-1.amzn2023": "INSTALLED",
                                         "curl-8.5.0-1.amzn2023": "MISSING"}
        assert len(ssm.describe_maintenance_window_executions(WindowId=scan)[
            "WindowExecutions"]) == 2


def test_a_node_with_nothing_declared_is_compliant_with_zero_counts() -> None:
    with mock_maintenance_windows(start=START) as mw:
        ssm = boto3.client("ssm", region_name="us-east-1")
        mw.add_instance(WEB[0])
        assert ssm.describe_instance_patch_states(InstanceIds=[WEB[0]])[
            "InstancePatchStates"] == []
        ssm.send_command(InstanceIds=[WEB[0]], DocumentName="AWS-RunPatchBaseline",
                         Parameters={"Operation": ["Scan"]})
        mw.advance(timedelta(0))
        [state] = ssm.describe_instance_patch_states(InstanceIds=[WEB[0]])[
            "InstancePatchStates"]
        [summary] = ssm.list_resource_compliance_summaries()["ResourceComplianceSummaryItems"]
    assert state["BaselineId"] == ssm_default_al2023()
    assert state["PatchGroup"] == ""
    counts = {k: v for k, v in state.items() if k.endswith("Count")}
    assert set(counts.values()) == {0}
    assert summary["Status"] == "COMPLIANT"


def ssm_default_al2023() -> str:
    with mock_maintenance_windows(start=START):
        return str(boto3.client("ssm", region_name="us-east-1").get_default_patch_baseline(
            OperatingSystem="AMAZON_LINUX_2023")["BaselineId"])


def test_no_reboot_leaves_installed_patches_pending_reboot() -> None:
    with mock_maintenance_windows(start=START) as mw:
        ssm = boto3.client("ssm", region_name="us-east-1")
        _baselines(ssm)
        mw.add_instance(WEB[0], tags={"Patch Group": "web-prod"},
                        patches=[{**CURL, "released": "2026-11-01"}])
        ssm.send_command(InstanceIds=[WEB[0]], DocumentName="AWS-RunPatchBaseline",
                         Parameters={"Operation": ["Install"], "RebootOption": ["NoReboot"],
                                     "InstallOverrideList": ["s3://bucket/override.yaml"]})
        mw.advance(timedelta(0))
        [state] = ssm.describe_instance_patch_states(InstanceIds=[WEB[0]])[
            "InstancePatchStates"]
        assert state["RebootOption"] == "NoReboot"
        assert state["InstallOverrideList"] == "s3://bucket/override.yaml"
        assert state["InstalledPendingRebootCount"] == 1
        assert _patches(ssm, WEB[0]) == {"curl-8.5.0-1.amzn2023": "INSTALLED_PENDING_REBOOT"}
        [summary] = ssm.list_resource_compliance_summaries()["ResourceComplianceSummaryItems"]
        assert summary["Status"] == "NON_COMPLIANT"


def test_rejected_and_explicitly_approved_patches() -> None:
    with mock_maintenance_windows(start=START) as mw:
        ssm = boto3.client("ssm", region_name="us-east-1")
        baseline = ssm.create_patch_baseline(
            Name="strict", OperatingSystem="AMAZON_LINUX_2023",
            ApprovedPatches=["curl-8.5.0-1.amzn2023"], ApprovedPatchesComplianceLevel="LOW",
            RejectedPatches=["openssl-3.0.8-1.amzn2023", "kernel-6"],
        )["BaselineId"]
        ssm.register_patch_baseline_for_patch_group(BaselineId=baseline, PatchGroup="strict")
        mw.add_instance(WEB[0], tags={"Patch Group": "strict"},
                        patches=[Patch(**OPENSSL, installed=True), Patch(**CURL)])
        ssm.send_command(InstanceIds=[WEB[0]], DocumentName="AWS-RunPatchBaseline",
                         Parameters={"Operation": ["Scan"]})
        mw.advance(timedelta(0))
        assert _patches(ssm, WEB[0]) == {"openssl-3.0.8-1.amzn2023": "INSTALLED_REJECTED",
                                         "curl-8.5.0-1.amzn2023": "MISSING"}
        [state] = ssm.describe_instance_patch_states(InstanceIds=[WEB[0]])[
            "InstancePatchStates"]
        assert state["NotApplicableCount"] == 0
        [item] = ssm.list_compliance_items(
            Filters=[{"Key": "Status", "Values": ["NON_COMPLIANT"], "Type": "EQUAL"}],
        )["ComplianceItems"]
        assert item["Severity"] == "LOW"


def test_moto_ec2_instances_are_patched_by_their_patch_group_tag() -> None:
    with mock_aws(), mock_maintenance_windows(start=START) as mw:
        ec2 = boto3.client("ec2", region_name="us-east-1")
        ssm = boto3.client("ssm", region_name="us-east-1")
        linux, windows = _baselines(ssm)
        # web-prod's Windows nodes get the Windows baseline (one baseline per OS per group).
        ssm.register_patch_baseline_for_patch_group(BaselineId=windows, PatchGroup="web-prod")
        reservation = ec2.run_instances(
            ImageId="ami-12c6146b", MinCount=2, MaxCount=2, TagSpecifications=[{
                "ResourceType": "instance",
                "Tags": [{"Key": "Patch Group", "Value": "web-prod"}]}])
        ids = [i["InstanceId"] for i in reservation["Instances"]]
        mw.set_patches(ids[0], [Patch(**KB)])  # moto's instance keeps its tags
        _window(ssm, "scan", "cron(0 22 ? * TUE *)", "Scan")
        mw.advance_to("2026-11-25T00:00:00Z")
        states = _states(ssm, ids)
        nodes = ssm.describe_instance_information(
            Filters=[{"Key": "tag:Patch Group", "Values": ["web-prod"]}])[
            "InstanceInformationList"]
    assert {n["InstanceId"] for n in nodes} == set(ids)
    # moto says the AMI is Windows: web-prod's Windows baseline patches them, not `linux`.
    assert {s["BaselineId"] for s in states.values()} == {windows}
    assert linux not in {s["BaselineId"] for s in states.values()}
    assert {s["PatchGroup"] for s in states.values()} == {"web-prod"}
    assert states[ids[0]]["MissingCount"] == 1
    assert states[ids[1]]["MissingCount"] == 0


@pytest.mark.parametrize(
    ("call", "params", "code"),
    [
        ("describe_instance_patches", {"InstanceId": "i-0fffffffffffffff0"},
         "InvalidInstanceId"),
        ("describe_instance_patches", {"InstanceId": WEB[0],
                                       "Filters": [{"Key": "Color", "Values": ["x"]}]},
         "InvalidFilter"),
        ("describe_instance_patch_states_for_patch_group",
         {"PatchGroup": "web-prod",
          "Filters": [{"Key": "Color", "Values": ["1"], "Type": "Equal"}]}, "InvalidFilter"),
        ("describe_instance_patch_states_for_patch_group",
         {"PatchGroup": "web-prod",
          "Filters": [{"Key": "FailedCount", "Values": ["x"], "Type": "Equal"}]},
         "InvalidFilter"),
        ("describe_instance_patch_states", {"InstanceIds": [WEB[0]], "NextToken": "bogus"},
         "InvalidNextToken"),
        ("list_compliance_items", {"ResourceTypes": ["Document"], "ResourceIds": [WEB[0]]},
         "InvalidResourceType"),
        ("list_resource_compliance_summaries",
         {"Filters": [{"Key": "Color", "Values": ["x"], "Type": "EQUAL"}]}, "InvalidFilter"),
        ("list_compliance_summaries",
         {"Filters": [{"Key": "ComplianceType", "Values": ["x"], "Type": "LESS_THAN"}]},
         "InvalidFilter"),
    ],
)
def test_patch_state_and_compliance_errors(call: str, params: dict[str, Any], code: str) -> None:
    with mock_maintenance_windows(start=START) as mw:
        mw.add_instance(WEB[0])
        ssm = boto3.client("ssm", region_name="us-east-1")
        with pytest.raises(ClientError) as caught:
            getattr(ssm, call)(**params)
    assert caught.value.response["Error"]["Code"] == code


def test_approval_starts_exactly_approve_after_days_after_release() -> None:
    # PatchRule: "If a patch is released at 2025-11-09T18:00:00Z and ApproveAfterDays is
    # set to 7, the patch will be approved after 2025-11-16T18:00:00Z."
    with mock_maintenance_windows(start="2026-11-24T17:00:00Z") as mw:
        ssm = boto3.client("ssm", region_name="us-east-1")
        _baselines(ssm)
        mw.add_instance(WEB[0], tags={"Patch Group": "web-prod"},
                        patches=[Patch(**{**OPENSSL, "released": "2026-11-17T18:00:00Z"})])
        seen: list[dict[str, Any]] = []
        mw.on_event({"detail-type": ["Configuration Compliance State Change"]}, seen.append)

        def scan_at(when: str) -> dict[str, str]:
            mw.advance_to(when)
            ssm.send_command(InstanceIds=[WEB[0]], DocumentName="AWS-RunPatchBaseline",
                             Parameters={"Operation": ["Scan"]})
            mw.advance(timedelta(0))
            return _patches(ssm, WEB[0])

        assert scan_at("2026-11-24T17:59:59Z") == {}
        assert scan_at("2026-11-24T18:00:00Z") == {"openssl-3.0.8-1.amzn2023": "MISSING"}
    assert [(e["detail"]["compliance-status"], e["time"]) for e in seen] == [
        ("compliant", "2026-11-24T17:59:59Z"), ("non_compliant", "2026-11-24T18:00:00Z")]


def test_overrides_are_read_from_moto_s3() -> None:
    import json as json_module

    with mock_aws(), mock_maintenance_windows(start=START) as mw:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="patching")
        s3.put_object(Bucket="patching", Key="override.yaml",
                      Body=b"patches:\n    -\n        id: 'curl-8.5.0-1.amzn2023'\n")
        s3.put_object(Bucket="patching", Key="baseline.json", Body=json_module.dumps([{
            "BaselineId": "pb-0123456789abcdef0", "OperatingSystem": "AMAZON_LINUX_2023",
            "ApprovedPatches": ["bash-5.2"], "ApprovalRules": {"PatchRules": []}}]).encode())
        ssm = boto3.client("ssm", region_name="us-east-1")
        _baselines(ssm)
        mw.add_instance(WEB[0], tags={"Patch Group": "web-prod"}, patches=[
            Patch(**OPENSSL), {**CURL, "released": "2026-11-01"}])
        mw.add_instance(WEB[1], patches=[{"id": "bash-5.2", "released": "2026-11-20"},
                                         Patch(**OPENSSL)])
        ssm.send_command(InstanceIds=[WEB[0]], DocumentName="AWS-RunPatchBaseline",
                         Parameters={"Operation": ["Install"], "InstallOverrideList": [
                             "s3://patching/override.yaml"]})
        ssm.send_command(InstanceIds=[WEB[1]], DocumentName="AWS-RunPatchBaseline",
                         Parameters={"Operation": ["Scan"], "BaselineOverride": [
                             "s3://patching/baseline.json"]})
        mw.advance(timedelta(0))
        # Only the listed (and approved) patch was installed; openssl stays missing.
        assert _patches(ssm, WEB[0]) == {"openssl-3.0.8-1.amzn2023": "MISSING",
                                         "curl-8.5.0-1.amzn2023": "INSTALLED"}
        # The override baseline approves bash only, whatever the default would.
        [state] = ssm.describe_instance_patch_states(InstanceIds=[WEB[1]])[
            "InstancePatchStates"]
        assert state["BaselineId"] == "pb-0123456789abcdef0"
        assert _patches(ssm, WEB[1]) == {"bash-5.2": "MISSING"}


def test_an_override_with_a_compliance_level_outside_the_model_reads_unspecified() -> None:
    # A BaselineOverride file is not checked against the model's six compliance levels; a
    # node missing a patch of another level is non-compliant, of UNSPECIFIED severity.
    import json as json_module

    with mock_aws(), mock_maintenance_windows(start=START) as mw:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="patching")
        s3.put_object(Bucket="patching", Key="baseline.json", Body=json_module.dumps([{
            "BaselineId": "pb-0123456789abcdef0", "OperatingSystem": "AMAZON_LINUX_2023",
            "ApprovedPatches": ["bash-5.2"], "ApprovedPatchesComplianceLevel": "SEVERE",
            "ApprovalRules": {"PatchRules": []}}]).encode())
        ssm = boto3.client("ssm", region_name="us-east-1")
        mw.add_instance(WEB[1], patches=[{"id": "bash-5.2", "released": "2026-11-20"}])
        seen: list[dict[str, Any]] = []
        mw.on_event({"detail-type": ["Configuration Compliance State Change"]}, seen.append)
        ssm.send_command(InstanceIds=[WEB[1]], DocumentName="AWS-RunPatchBaseline",
                         Parameters={"Operation": ["Scan"], "BaselineOverride": [
                             "s3://patching/baseline.json"]})
        mw.advance(timedelta(0))
        [summary] = ssm.list_resource_compliance_summaries()["ResourceComplianceSummaryItems"]
        assert (summary["Status"], summary["OverallSeverity"]) == ("NON_COMPLIANT",
                                                                   "UNSPECIFIED")
        [overall] = ssm.list_compliance_summaries()["ComplianceSummaryItems"]
        assert overall["NonCompliantSummary"]["NonCompliantCount"] == 1
    assert [e["detail"]["severity"] for e in seen] == ["unspecified"]
