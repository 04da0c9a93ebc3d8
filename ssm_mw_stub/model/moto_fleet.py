"""moto's world as part of the fleet: its EC2 instances and resource groups, read live.

With moto's ``mock_aws`` active, a test makes its instances with
``ec2.run_instances(TagSpecifications=...)`` and its groups with
``resource-groups.create_group(...)``; targets must see them as AWS would, in the same account
and Region, with their tags as they are when the task runs. An instance that is not
``running`` (pending, stopping, stopped, terminated) is a node that is not online.

moto stays optional: nothing here imports it. Its modules are read from ``sys.modules`` only,
so when the test does not use moto (or has not used EC2 or Resource Groups in it) there is
nothing to read. moto's ``BackendDict`` creates a backend on ``[]`` access (about 0.1 s for an
EC2 Region), so backends are read with ``dict.get``, which never creates one.

moto cannot list a group's resources (``ListGroupResources`` is not implemented in moto 5),
so a group's members are found by evaluating its ``TAG_FILTERS_1_0`` query against the EC2
instances (moto's and the declared ones); a ``CLOUDFORMATION_STACK_1_0`` group has no members
here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

__all__ = ["active", "backend", "group_query", "instances", "matches_query"]

_RESOURCE_TYPE = "AWS::EC2::Instance"
_ANY_TYPE = "AWS::AllSupported"


def active() -> bool:
    """Whether moto's ``mock_aws`` is active (moto is then answering AWS calls)."""
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


def backend(module: str, name: str, account: str, region: str) -> Any:
    """moto's backend of one account and Region, or None; never creates one."""
    backends = getattr(sys.modules.get(module), name, None)
    if not isinstance(backends, dict):
        return None
    of_account = dict.get(backends, account)
    return dict.get(of_account, region) if isinstance(of_account, dict) else None


def instances(
    account: str, region: str
) -> list[tuple[str, dict[str, str], bool, dict[str, Any], Any]]:
    """moto's EC2 instances of ``account`` in ``region`` while ``mock_aws`` is active:
    (instance id, tags, running, what SSM would learn of the node, launch time), in the
    order moto made them. The node's details are its platform (moto's ``platform`` is
    ``windows`` for a Windows AMI, else unset: Linux) and private IP address."""
    if not active():
        return []
    ec2 = backend("moto.ec2.models", "ec2_backends", account, region)
    if ec2 is None:
        return []
    tags: dict[str, dict[str, str]] = getattr(ec2, "tags", {})
    return [
        (
            instance.id,
            dict(tags.get(instance.id, {})),
            getattr(instance, "state", "") == "running",
            _details(instance),
            None,
        )
        for instance in ec2.all_instances()
    ]


def _details(instance: Any) -> dict[str, Any]:
    """The node details (``NodeDetails`` keys) SSM would report for one moto instance."""
    details: dict[str, Any] = {}
    if str(getattr(instance, "platform", "") or "").lower() == "windows":
        details["platform_type"] = "Windows"
    # ``private_ip`` in every moto 5 release; ``private_ip_address`` only in later ones.
    address = getattr(instance, "private_ip", None)
    if isinstance(address, str) and address:
        details["ip_address"] = address
    return details


def group_query(name: str, account: str, region: str) -> dict[str, Any] | None:
    """The resource query of moto's resource group ``name`` (``{"ResourceTypeFilters",
    "TagFilters"}``), ``{}`` for a query of another type, None when there is no such group."""
    if not active():
        return None
    groups_backend = backend(
        "moto.resourcegroups.models", "resourcegroups_backends", account, region
    )
    groups = getattr(getattr(groups_backend, "groups", None), "by_name", None)
    group = groups.get(name) if isinstance(groups, dict) else None
    if group is None:
        return None
    query = getattr(group, "resource_query", None) or {}
    if query.get("Type") != "TAG_FILTERS_1_0":
        return {}
    try:
        parsed = json.loads(query.get("Query") or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def matches_query(query: dict[str, Any], tags: dict[str, str]) -> bool:
    """Whether an EC2 instance with ``tags`` is a member of a group with this tag query:
    the resource type filters admit EC2 instances, and every tag filter matches (its key
    present, with one of its values, or any value when it lists none)."""
    types: Iterable[str] = query.get("ResourceTypeFilters") or [_ANY_TYPE]
    if _RESOURCE_TYPE not in types and _ANY_TYPE not in types:
        return False
    filters = query.get("TagFilters") or []
    if not filters:
        return False
    for tag_filter in filters:
        key = tag_filter.get("Key")
        if key not in tags:
            return False
        values = tag_filter.get("Values") or []
        if values and tags[key] not in values:
            return False
    return True
