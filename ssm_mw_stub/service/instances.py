"""DescribeInstanceInformation: the fake fleet as Systems Manager lists its managed nodes.

The nodes are the fleet's (``mw.add_instance`` and, while moto's ``mock_aws`` is active,
moto's EC2 instances) visible in the call's Region, in the fleet's order. An online node
pinged just now; a node that is not online is ``ConnectionLost`` since it was declared.
Both filter styles are answered: the legacy ``InstanceInformationFilterList`` (no tags) and
``Filters`` (tags too), never both in one call. Errors and the choices AWS leaves open are
in docs/fidelity.md ("Managed nodes").
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import JSON
from ..model.commands import is_node_id
from ..model.fleet import Instance
from .common import epoch, listing, page, put
from .core import Context, operation
from .errors import ServiceError, invalid_instance_id, invalid_next_token, validation

__all__ = ["host_name", "resource_type"]

_PAGE = 50

#: The filter keys of ``Filters`` besides ``tag:{key}`` (the API reference's list; the
#: legacy list's ``PlatformTypes`` is accepted in both spellings).
_STRING_KEYS = (
    "ActivationIds", "AgentVersion", "AssociationStatus", "IamRole", "InstanceIds",
    "PingStatus", "PlatformType", "PlatformTypes", "ResourceType", "SourceIds", "SourceTypes",
    "tag-key",
)
_ALLOWED: dict[str, tuple[str, ...]] = {
    "PingStatus": ("Online", "ConnectionLost", "Inactive"),
    "PlatformTypes": ("Windows", "Linux", "MacOS"),
    "ResourceType": ("EC2Instance", "ManagedInstance"),
    "AssociationStatus": ("Success", "Pending", "Failed"),
    "SourceTypes": ("AWS::EC2::Instance", "AWS::SSM::ManagedInstance", "AWS::IoT::Thing",
                    "Microsoft.Compute/virtualMachines", "compute.googleapis.com/Instance"),
}

Test = Callable[[Instance, list[str]], bool]


def resource_type(instance_id: str) -> str:
    """``ManagedInstance`` for a hybrid node (``mi-``), else ``EC2Instance``."""
    return "ManagedInstance" if instance_id.startswith("mi-") else "EC2Instance"


def host_name(ctx: Context, instance_id: str) -> str:
    """The node's computer name as this Region sees it ("" for a node not in the fleet):
    what Run Command shows as ``InstanceName``."""
    node = ctx.fleet.get(instance_id, ctx.state.region)
    return "" if node is None else node.facts.host_name(ctx.state.region)


def _ping(node: Instance) -> str:
    return "Online" if node.online else "ConnectionLost"


_TESTS: dict[str, Test] = {
    "InstanceIds": lambda node, values: node.instance_id in values,
    "AgentVersion": lambda node, values: node.facts.agent_version in values,
    "PingStatus": lambda node, values: _ping(node) in values,
    "PlatformTypes": lambda node, values: node.facts.platform_type in values,
    "ResourceType": lambda node, values: resource_type(node.instance_id) in values,
    "SourceIds": lambda node, values: node.instance_id in values,
    "SourceTypes": lambda node, values: (
        "AWS::SSM::ManagedInstance" if node.instance_id.startswith("mi-")
        else "AWS::EC2::Instance"
    ) in values,
    "tag-key": lambda node, values: any(key in node.tags for key in values),
    # Nodes of the fake fleet have no activation, IAM role or association.
    "ActivationIds": lambda node, values: False,
    "IamRole": lambda node, values: False,
    "AssociationStatus": lambda node, values: False,
}


def _tag_test(tag: str) -> Test:
    """``tag:{tag}``: the node carries the tag with one of the values."""

    def test(node: Instance, values: list[str]) -> bool:
        return node.tags.get(tag) in values

    return test


def _bad_value(message: str) -> ServiceError:
    return ServiceError("InvalidInstanceInformationFilterValue", message)


def _check_values(key: str, values: list[str]) -> None:
    """AWS's refusals of a filter's values (wording from public answers: boto3 #3027 and
    aws-sdk #130 quote the ResourceType ones)."""
    if key == "ResourceType" and len(values) > 1:
        raise _bad_value("ResourceType filter may contain only one value.")
    allowed = _ALLOWED.get(key)
    if allowed is not None:
        for value in values:
            if value not in allowed:
                raise _bad_value(
                    f"{key} filter is invalid, valid values are {', '.join(allowed)}"
                )
    if key == "InstanceIds":
        for value in values:
            if not is_node_id(value):
                raise invalid_instance_id(value)


def _filters(request: JSON) -> list[tuple[Test, list[str]]]:
    legacy = request.get("InstanceInformationFilterList")
    modern = request.get("Filters")
    if legacy and modern:
        raise validation(
            "InstanceInformationFilterList and Filters cannot be used in the same request."
        )
    tests: list[tuple[Test, list[str]]] = []
    for item in legacy or []:  # keys are the model's enum, checked already
        key, values = item["key"], list(item["valueSet"])
        _check_values(key, values)
        tests.append((_TESTS[key], values))
    for item in modern or []:
        key, values = item["Key"], list(item["Values"])
        if key.startswith("tag:") and len(key) > 4:
            tests.append((_tag_test(key[4:]), values))
            continue
        if key not in _STRING_KEYS:
            raise ServiceError("InvalidFilterKey", f"The filter key {key} is not valid.")
        key = "PlatformTypes" if key == "PlatformType" else key
        _check_values(key, values)
        tests.append((_TESTS[key], values))
    return tests


def _information(ctx: Context, node: Instance) -> JSON:
    region = ctx.state.region
    facts = node.facts
    managed = node.instance_id.startswith("mi-")
    out: JSON = {
        "InstanceId": node.instance_id,
        "PingStatus": _ping(node),
        "LastPingDateTime": epoch(ctx.now if node.online or node.since is None else node.since),
        "AgentVersion": facts.agent_version,
        "IsLatestVersion": False,
        "PlatformType": facts.platform_type,
        "PlatformName": facts.platform_name,
        "PlatformVersion": facts.platform_version,
        "ResourceType": resource_type(node.instance_id),
        "IPAddress": facts.ip_address,
        "ComputerName": facts.host_name(region),
        "SourceId": node.instance_id,
        "SourceType": "AWS::SSM::ManagedInstance" if managed else "AWS::EC2::Instance",
    }
    if managed:
        put(out, "RegistrationDate", None if node.since is None else epoch(node.since))
    return out


@operation("DescribeInstanceInformation")
def describe_instance_information(ctx: Context, request: JSON) -> JSON:
    tests = _filters(request)
    nodes = [
        node for node in ctx.fleet.in_region(ctx.state.region)
        if all(test(node, values) for test, values in tests)
    ]
    chunk, token = page(
        "DescribeInstanceInformation", request, nodes, default_size=_PAGE,
        refuse=invalid_next_token,
    )
    return listing("InstanceInformationList", [_information(ctx, n) for n in chunk], token)
