"""Patch baselines, AWS's predefined ones and patch groups, through boto3."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import mock_maintenance_windows

from ..helpers import START

AL2023_RULES = {"PatchRules": [{
    "PatchFilterGroup": {"PatchFilters": [{"Key": "CLASSIFICATION", "Values": ["Security"]}]},
    "ApproveAfterDays": 7, "ComplianceLevel": "CRITICAL"}]}
WINDOWS_DEFAULT = "arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-09ca3fb51f0412ec3"


@pytest.fixture
def ssm() -> Any:
    with mock_maintenance_windows(start=START):
        yield boto3.client("ssm", region_name="us-east-1")


def _create(ssm: Any, name: str = "web-prod", system: str = "AMAZON_LINUX_2023") -> str:
    return str(ssm.create_patch_baseline(Name=name, OperatingSystem=system,
                                         ApprovalRules=AL2023_RULES)["BaselineId"])


def _error(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def test_predefined_baselines_are_the_defaults_with_aws_ids(ssm: Any) -> None:
    assert ssm.get_default_patch_baseline()["BaselineId"] == WINDOWS_DEFAULT
    assert ssm.get_default_patch_baseline(OperatingSystem="AMAZON_LINUX_2")["BaselineId"] == (
        "arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0be8c61cde3be63f3")
    aws = ssm.describe_patch_baselines(Filters=[{"Key": "OWNER", "Values": ["AWS"]}])[
        "BaselineIdentities"]
    names = {b["BaselineName"] for b in aws}
    assert {"AWS-DefaultPatchBaseline", "AWS-AmazonLinux2023DefaultPatchBaseline",
            "AWS-UbuntuDefaultPatchBaseline", "AWS-WindowsPredefinedPatchBaseline-OS"} <= names
    windows = ssm.get_patch_baseline(BaselineId=WINDOWS_DEFAULT)
    assert windows["Name"] == "AWS-DefaultPatchBaseline"
    [rule] = windows["ApprovalRules"]["PatchRules"]
    assert rule["ApproveAfterDays"] == 7
    assert {"Key": "MSRC_SEVERITY", "Values": ["Critical", "Important"]} in rule[
        "PatchFilterGroup"]["PatchFilters"]


def test_a_baseline_round_trips_and_updates(ssm: Any) -> None:
    baseline_id = _create(ssm)
    assert baseline_id.startswith("pb-")
    got = ssm.get_patch_baseline(BaselineId=baseline_id)
    assert got["OperatingSystem"] == "AMAZON_LINUX_2023"
    assert got["ApprovalRules"] == AL2023_RULES
    assert got["PatchGroups"] == []
    updated = ssm.update_patch_baseline(BaselineId=baseline_id, RejectedPatches=["kernel"],
                                        Description="no kernels")
    assert updated["RejectedPatches"] == ["kernel"]
    assert updated["ApprovalRules"] == AL2023_RULES
    replaced = ssm.update_patch_baseline(BaselineId=baseline_id, Replace=True,
                                         ApprovedPatches=["openssl"])
    assert replaced["ApprovalRules"] == {"PatchRules": []}
    assert "Description" not in replaced
    windows = ssm.create_patch_baseline(Name="windows", ApprovedPatches=["KB1"])["BaselineId"]
    assert ssm.get_patch_baseline(BaselineId=windows)["OperatingSystem"] == "WINDOWS"


def test_describe_filters_by_name_prefix_owner_and_os(ssm: Any) -> None:
    mine = _create(ssm, "web-prod")
    _create(ssm, "db-prod", "WINDOWS")

    def names(*filters: dict[str, Any]) -> list[str]:
        return [b["BaselineName"] for b in ssm.describe_patch_baselines(
            Filters=list(filters), MaxResults=100)["BaselineIdentities"]]

    assert names({"Key": "OWNER", "Values": ["Self"]}) == ["web-prod", "db-prod"]
    assert names({"Key": "NAME_PREFIX", "Values": ["web"]}) == ["web-prod"]
    assert names({"Key": "OWNER", "Values": ["Self"]},
                 {"Key": "OPERATING_SYSTEM", "Values": ["WINDOWS"]}) == ["db-prod"]
    assert _error(ssm.describe_patch_baselines, Filters=[{"Key": "COLOR", "Values": ["x"]}])[
        0] == "ValidationException"
    ssm.register_default_patch_baseline(BaselineId=mine)
    [identity] = [b for b in ssm.describe_patch_baselines()["BaselineIdentities"]
                  if b["BaselineId"] == mine]
    assert identity["DefaultBaseline"] is True


def test_patch_groups_one_baseline_per_os_and_windows_by_default(ssm: Any) -> None:
    linux = _create(ssm)
    windows = _create(ssm, "win", "WINDOWS")
    ssm.register_patch_baseline_for_patch_group(BaselineId=linux, PatchGroup="web")
    ssm.register_patch_baseline_for_patch_group(BaselineId=windows, PatchGroup="web")
    other = _create(ssm, "other")
    code, message = _error(ssm.register_patch_baseline_for_patch_group, BaselineId=other,
                           PatchGroup="web")
    assert code == "AlreadyExistsException"
    assert "AMAZON_LINUX_2023" in message
    # OperatingSystem defaults to WINDOWS (moto raises a KeyError here).
    assert ssm.get_patch_baseline_for_patch_group(PatchGroup="web")["BaselineId"] == windows
    assert ssm.get_patch_baseline_for_patch_group(
        PatchGroup="web", OperatingSystem="AMAZON_LINUX_2023")["BaselineId"] == linux
    # A group without a baseline for the OS uses the OS's default.
    assert ssm.get_patch_baseline_for_patch_group(PatchGroup="db")["BaselineId"] == (
        WINDOWS_DEFAULT)
    mappings = ssm.describe_patch_groups(
        Filters=[{"Key": "OPERATING_SYSTEM", "Values": ["WINDOWS"]}])["Mappings"]
    assert [(m["PatchGroup"], m["BaselineIdentity"]["BaselineId"]) for m in mappings] == [
        ("web", windows)]
    assert ssm.get_patch_baseline(BaselineId=linux)["PatchGroups"] == ["web"]
    code, _ = _error(ssm.delete_patch_baseline, BaselineId=linux)
    assert code == "ResourceInUseException"
    ssm.deregister_patch_baseline_for_patch_group(BaselineId=linux, PatchGroup="web")
    code, _ = _error(ssm.deregister_patch_baseline_for_patch_group, BaselineId=linux,
                     PatchGroup="web")
    assert code == "InvalidResourceId"
    assert ssm.delete_patch_baseline(BaselineId=linux)["BaselineId"] == linux
    code, _ = _error(ssm.get_patch_baseline, BaselineId=linux)
    assert code == "DoesNotExistException"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ApprovalRules": {"PatchRules": [{"PatchFilterGroup": {"PatchFilters": []}}]}},
         "Exactly one of ApproveAfterDays or ApproveUntilDate"),
        ({"ApprovalRules": {"PatchRules": [{"PatchFilterGroup": {"PatchFilters": []},
                                            "ApproveAfterDays": 1,
                                            "ApproveUntilDate": "2026-01-01"}]}},
         "Exactly one of ApproveAfterDays or ApproveUntilDate"),
        ({"ApprovalRules": {"PatchRules": [{"PatchFilterGroup": {"PatchFilters": []},
                                            "ApproveUntilDate": "2026-13-01"}]}},
         "ApproveUntilDate 2026-13-01 is not valid"),
        ({"ApprovalRules": {"PatchRules": [{"PatchFilterGroup": {"PatchFilters": []},
                                            "ApproveAfterDays": 361}]}},
         "less than or equal to 360"),
        ({"Name": "web!"}, "Member must satisfy regular expression pattern"),
    ],
)
def test_bad_baselines_are_refused(ssm: Any, params: dict[str, Any], message: str) -> None:
    code, text = _error(ssm.create_patch_baseline, **{"Name": "web", **params})
    assert code == "ValidationException"
    assert message in text


def test_predefined_baselines_cannot_change_and_quotas_hold(ssm: Any) -> None:
    assert _error(ssm.update_patch_baseline, BaselineId=WINDOWS_DEFAULT, Description="x")[
        0] == "ValidationException"
    assert _error(ssm.delete_patch_baseline, BaselineId=WINDOWS_DEFAULT)[
        0] == "ResourceInUseException"
    assert _error(ssm.get_patch_baseline, BaselineId="pb-09ca3fb51f0412ec3")[
        0] == "DoesNotExistException"
    for n in range(50):
        _create(ssm, f"baseline-{n}")
    assert _error(ssm.create_patch_baseline, Name="one-too-many")[
        0] == "ResourceLimitExceededException"


def test_the_default_can_be_reset_to_aws_by_arn(ssm: Any) -> None:
    mine = _create(ssm, "win", "WINDOWS")
    ssm.register_default_patch_baseline(BaselineId=mine)
    assert ssm.get_default_patch_baseline()["BaselineId"] == mine
    code, _ = _error(ssm.delete_patch_baseline, BaselineId=mine)
    assert code == "ResourceInUseException"
    ssm.register_default_patch_baseline(BaselineId=WINDOWS_DEFAULT)
    assert ssm.get_default_patch_baseline()["BaselineId"] == WINDOWS_DEFAULT
    assert _error(ssm.register_default_patch_baseline, BaselineId="pb-0123456789abcdef0")[
        0] == "DoesNotExistException"


def test_a_baseline_takes_at_most_25_patch_groups(ssm: Any) -> None:
    baseline_id = _create(ssm)
    for n in range(25):
        ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup=f"g{n}")
    code, _ = _error(ssm.register_patch_baseline_for_patch_group, BaselineId=baseline_id,
                     PatchGroup="g25")
    assert code == "ResourceLimitExceededException"
    assert len(ssm.describe_patch_groups(MaxResults=10)["Mappings"]) == 10
    groups = [m for page in ssm.get_paginator("describe_patch_groups").paginate()
              for m in page["Mappings"]]
    assert len(groups) == 25


def test_patch_properties_are_the_declared_patches_values() -> None:
    from ssm_mw_stub import Patch

    with mock_maintenance_windows(start=START) as mw:
        mw.add_instance("i-0a1b2c3d4e5f60001", patches=[
            Patch("openssl", released="2026-11-01", classification="Security"),
            Patch("bash", released="2026-11-01", classification="Bugfix", severity="Low")])
        mw.add_instance("i-0a1b2c3d4e5f60002", platform_type="Windows",
                        patches=[Patch("KB1", released="2026-11-01")])
        ssm = boto3.client("ssm", region_name="us-east-1")
        linux = ssm.describe_patch_properties(OperatingSystem="AMAZON_LINUX_2023",
                                              Property="CLASSIFICATION")["Properties"]
        windows = ssm.describe_patch_properties(OperatingSystem="WINDOWS",
                                                Property="MSRC_SEVERITY")["Properties"]
    assert linux == [{"Classification": "Bugfix"}, {"Classification": "Security"}]
    assert windows == [{"MsrcSeverity": "Critical"}]
