"""DescribeInstanceInformation over the fake fleet (and moto's EC2 instances), through boto3."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from ssm_mw_stub import mock_maintenance_windows

from ..helpers import START

WEB = "i-0a1b2c3d4e5f60001"
DB = "i-0a1b2c3d4e5f60002"
HYBRID = "mi-0a1b2c3d4e5f60003"


def _everything(ssm: Any, **params: Any) -> list[dict[str, Any]]:
    pages = ssm.get_paginator("describe_instance_information").paginate(**params)
    return [item for page in pages for item in page["InstanceInformationList"]]


def _fleet(mw: Any) -> None:
    mw.add_instance(WEB, tags={"Patch Group": "web", "Env": "Prod"})
    mw.add_instance(DB, tags={"Env": "Dev"}, platform_type="Windows", online=False)
    mw.add_instance(HYBRID, computer_name="db-1", platform_name="Ubuntu",
                    platform_version="22.04")


def test_each_node_is_described_with_defaults_and_declared_details() -> None:
    with mock_maintenance_windows(start=START) as mw:
        _fleet(mw)
        ssm = boto3.client("ssm", region_name="us-west-2")
        mw.advance(timedelta(hours=1))
        web, db, hybrid = _everything(ssm)
    assert web["InstanceId"] == WEB
    assert web["PingStatus"] == "Online"
    assert web["LastPingDateTime"] == START + timedelta(hours=1)
    assert (web["PlatformType"], web["PlatformName"], web["PlatformVersion"]) == (
        "Linux", "Amazon Linux", "2023")
    assert web["ResourceType"] == "EC2Instance"
    assert web["ComputerName"] == "ip-" + web["IPAddress"].replace(".", "-") + (
        ".us-west-2.compute.internal")
    assert "RegistrationDate" not in web
    # A node that is not online lost its connection when it was declared.
    assert db["PingStatus"] == "ConnectionLost"
    assert db["LastPingDateTime"] == START
    assert db["PlatformType"] == "Windows"
    assert db["ComputerName"].startswith("EC2AMAZ-")
    assert hybrid["ResourceType"] == "ManagedInstance"
    assert hybrid["ComputerName"] == "db-1"
    assert hybrid["PlatformName"] == "Ubuntu"
    assert hybrid["RegistrationDate"] == START


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"Filters": [{"Key": "tag:Env", "Values": ["Prod"]}]}, [WEB]),
        ({"Filters": [{"Key": "tag-key", "Values": ["Patch Group"]}]}, [WEB]),
        ({"Filters": [{"Key": "PingStatus", "Values": ["ConnectionLost"]}]}, [DB]),
        ({"Filters": [{"Key": "PlatformTypes", "Values": ["Linux"]}]}, [WEB, HYBRID]),
        ({"Filters": [{"Key": "ResourceType", "Values": ["ManagedInstance"]}]}, [HYBRID]),
        ({"Filters": [{"Key": "InstanceIds", "Values": [DB, HYBRID]},
                      {"Key": "PingStatus", "Values": ["Online"]}]}, [HYBRID]),
        ({"InstanceInformationFilterList": [{"key": "PlatformTypes",
                                             "valueSet": ["Windows"]}]}, [DB]),
        ({"InstanceInformationFilterList": [{"key": "InstanceIds", "valueSet": [WEB]}]}, [WEB]),
        ({"Filters": [{"Key": "IamRole", "Values": ["role"]}]}, []),
    ],
)
def test_both_filter_styles_select_nodes(params: dict[str, Any], expected: list[str]) -> None:
    with mock_maintenance_windows(start=START) as mw:
        _fleet(mw)
        ssm = boto3.client("ssm", region_name="us-east-1")
        assert [node["InstanceId"] for node in _everything(ssm, **params)] == expected


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"Filters": [{"Key": "ResourceType", "Values": ["EC2Instance", "ManagedInstance"]}]},
         "InvalidInstanceInformationFilterValue",
         "ResourceType filter may contain only one value."),
        ({"Filters": [{"Key": "ResourceType", "Values": ["Document"]}]},
         "InvalidInstanceInformationFilterValue",
         "ResourceType filter is invalid, valid values are EC2Instance, ManagedInstance"),
        ({"InstanceInformationFilterList": [{"key": "PingStatus", "valueSet": ["Up"]}]},
         "InvalidInstanceInformationFilterValue",
         "PingStatus filter is invalid, valid values are Online, ConnectionLost, Inactive"),
        ({"Filters": [{"Key": "Color", "Values": ["red"]}]},
         "InvalidFilterKey", "The filter key Color is not valid."),
        ({"Filters": [{"Key": "InstanceIds", "Values": ["web-1"]}]},
         "InvalidInstanceId", "Instance Id web-1 is not valid."),
        ({"Filters": [{"Key": "tag:Env", "Values": ["Prod"]}],
          "InstanceInformationFilterList": [{"key": "PingStatus", "valueSet": ["Online"]}]},
         "ValidationException",
         "InstanceInformationFilterList and Filters cannot be used in the same request."),
        ({"NextToken": "not-a-token"}, "InvalidNextToken", "The specified token isn't valid."),
        ({"MaxResults": 51}, "ValidationException", "less than or equal to 50"),
    ],
)
def test_bad_filters_get_aws_errors(params: dict[str, Any], code: str, message: str) -> None:
    with mock_maintenance_windows(start=START) as mw:
        _fleet(mw)
        ssm = boto3.client("ssm", region_name="us-east-1")
        with pytest.raises(ClientError) as caught:
            ssm.describe_instance_information(**params)
    assert caught.value.response["Error"]["Code"] == code
    assert message in caught.value.response["Error"]["Message"]


def test_pages_of_five_cover_the_fleet_once() -> None:
    ids = [f"i-0a1b2c3d4e5f6{n:04x}" for n in range(12)]
    with mock_maintenance_windows(start=START) as mw:
        for instance_id in ids:
            mw.add_instance(instance_id)
        ssm = boto3.client("ssm", region_name="us-east-1")
        first = ssm.describe_instance_information(MaxResults=5)
        assert len(first["InstanceInformationList"]) == 5
        assert "NextToken" in first
        assert [n["InstanceId"] for n in _everything(
            ssm, PaginationConfig={"PageSize": 5})] == ids


def test_a_region_bound_node_is_listed_only_in_its_region() -> None:
    with mock_maintenance_windows(start=START) as mw:
        mw.add_instance(WEB, region="eu-west-1")
        assert _everything(boto3.client("ssm", region_name="us-east-1")) == []
        [node] = _everything(boto3.client("ssm", region_name="eu-west-1"))
    assert node["ComputerName"].endswith(".eu-west-1.compute.internal")


def test_bad_node_details_are_refused_by_the_handle() -> None:
    with mock_maintenance_windows(start=START) as mw:
        with pytest.raises(ValueError, match="platform_type must be one of"):
            mw.add_instance(WEB, platform_type="Solaris")  # type: ignore[call-arg]
        with pytest.raises(TypeError, match="unknown node detail 'os'"):
            mw.add_instance(WEB, os="linux")  # type: ignore[call-arg]


def test_run_command_names_each_node_by_its_computer_name() -> None:
    with mock_maintenance_windows(start=START) as mw:
        mw.add_instance(WEB, computer_name="web-1")
        ssm = boto3.client("ssm", region_name="us-east-1")
        command_id = ssm.send_command(
            InstanceIds=[WEB], DocumentName="AWS-RunShellScript",
            Parameters={"commands": ["uptime"]})["Command"]["CommandId"]
        mw.advance(timedelta(0))
        [invocation] = ssm.list_command_invocations(CommandId=command_id)["CommandInvocations"]
    assert invocation["InstanceName"] == "web-1"


def test_moto_instances_are_managed_nodes_while_mock_aws_is_active() -> None:
    with mock_aws(), mock_maintenance_windows(start=START) as mw:
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        reservation = ec2.run_instances(ImageId="ami-12c6146b", MinCount=2, MaxCount=2)
        ids = [instance["InstanceId"] for instance in reservation["Instances"]]
        ec2.stop_instances(InstanceIds=ids[1:])
        mw.add_instance(WEB)
        ssm = boto3.client("ssm", region_name="eu-west-1")
        nodes = {n["InstanceId"]: n for n in _everything(ssm)}
        private_ip = reservation["Instances"][0]["PrivateIpAddress"]
    assert set(nodes) == {WEB, *ids}
    assert nodes[ids[0]]["PingStatus"] == "Online"
    assert nodes[ids[0]]["IPAddress"] == private_ip
    assert nodes[ids[1]]["PingStatus"] == "ConnectionLost"
    assert nodes[ids[0]]["PlatformType"] == "Windows"  # moto's platform for this AMI


def test_patches_of_an_id_that_is_no_node_are_refused() -> None:
    with mock_maintenance_windows(start=START) as mw:
        with pytest.raises(ValueError, match="instance_id must look like"):
            mw.set_patches("web-1", [])
        with pytest.raises(TypeError, match="patches must be Patch objects"):
            mw.set_patches(WEB, ["openssl"])  # type: ignore[list-item]
