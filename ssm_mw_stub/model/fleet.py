"""The fake fleet: instances (with tags) and resource groups that targets resolve against.

Targets are resolved when a task runs, not when they are registered, so a test can add or
retag instances (``mw.add_instance``) or declare resource groups (``mw.add_resource_group``)
between advances and see the next execution pick them up, as the real service would. While
moto's ``mock_aws`` is active, moto's EC2 instances and resource groups of the mock's account
are part of the fleet too (see :mod:`.moto_fleet`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from . import moto_fleet
from .nodes import NodeFacts, facts_of
from .patching import Patch, patch_of

__all__ = ["EC2_INSTANCE_TYPE", "Fleet", "GroupMember", "Instance", "ResourceGroup"]

_INSTANCE_ID = re.compile(r"^(i-[0-9a-f]{8}|i-[0-9a-f]{17}|mi-[0-9a-f]{17})$")
_ARN = re.compile(r"^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:.+$")

#: The resource type of an EC2 instance, as resource groups (and ResourceTypeFilters) name it.
EC2_INSTANCE_TYPE = "AWS::EC2::Instance"


@dataclass(frozen=True)
class Instance:
    """A managed node of the fake fleet; ``region`` None means visible in every Region.

    An instance that is not ``online`` still matches targets (it is still registered), but
    cannot receive commands, as a managed node whose SSM Agent is not connected.
    """

    instance_id: str
    tags: Mapping[str, str] = field(default_factory=dict)
    region: str | None = None
    online: bool = True
    #: What DescribeInstanceInformation shows of the node (platform, computer name, ...).
    facts: NodeFacts = field(default_factory=NodeFacts)
    #: When the node was declared (its registration), on the fake clock; None: unknown.
    since: datetime | None = None


@dataclass(frozen=True)
class GroupMember:
    """One resource of a resource group, as declared: an instance id or an ARN.

    ``instance_id`` is set for EC2 instances (declared by id or by instance ARN): only those
    can receive a Run Command. The full ARN of a member declared by id depends on the Region
    and account of the window that resolves it, so it is built at resolution time.
    """

    arn: str | None
    instance_id: str | None
    resource_type: str | None


@dataclass(frozen=True)
class ResourceGroup:
    """A fake AWS Resource Groups group: a name and its members, optionally Region-bound."""

    name: str
    members: tuple[GroupMember, ...]
    region: str | None = None


def _member(item: str | tuple[str, str]) -> GroupMember:
    """Parse one declared resource: ``"i-..."``, an ARN, or ``(arn, resource_type)``."""
    resource_type: str | None = None
    if isinstance(item, tuple):
        if len(item) != 2 or not all(isinstance(part, str) for part in item):
            raise TypeError(
                f"a resource group member tuple must be (arn, resource_type); got {item!r}"
            )
        item, resource_type = item
    if not isinstance(item, str):
        raise TypeError(
            "resource group members must be instance ids, ARNs or (arn, resource_type) "
            f"tuples; got {item!r}"
        )
    if _INSTANCE_ID.match(item):
        return GroupMember(None, item, resource_type or EC2_INSTANCE_TYPE)
    if not _ARN.match(item):
        raise ValueError(
            "resource group members must be instance ids (i-...) or ARNs "
            f"(arn:aws:service:region:account:resource); got {item!r}"
        )
    service, resource = item.split(":", 5)[2], item.split(":", 5)[5]
    if service == "ec2" and resource.startswith("instance/"):
        return GroupMember(item, resource[len("instance/"):], resource_type or EC2_INSTANCE_TYPE)
    return GroupMember(item, None, resource_type)


class Fleet:
    """The instances and resource groups a test declared; later declarations replace earlier."""

    def __init__(self, account_id: str | None = None) -> None:
        self._instances: dict[str, Instance] = {}
        self._groups: dict[tuple[str, str | None], ResourceGroup] = {}
        #: The patches each node has and lacks (declared; an Install run updates them).
        self._patches: dict[str, list[Patch]] = {}
        #: Bumped by every declaration, so resolved targets can be cached until it moves.
        self.version = 0
        #: The account whose moto EC2 instances and resource groups join the fleet while
        #: moto's ``mock_aws`` is active (None: moto's never do).
        self.account_id = account_id

    @property
    def live(self) -> bool:
        """Whether moto's world is part of the fleet now: it changes without the fleet
        knowing, so targets resolved against it must not be cached."""
        return self.account_id is not None and moto_fleet.active()

    def _moto_instances(self, region: str) -> list[Instance]:
        """moto's EC2 instances in ``region`` that were not declared with ``add_instance``
        (a declared instance wins); one that is not running is not online."""
        if self.account_id is None:
            return []
        return [
            Instance(instance_id, tags, region, running, facts_of(instance_id, details), since)
            for instance_id, tags, running, details, since in moto_fleet.instances(
                self.account_id, region
            )
            if instance_id not in self._instances
        ]

    def add(
        self,
        instance_id: str,
        tags: Mapping[str, str] | None = None,
        region: str | None = None,
        online: bool = True,
        since: datetime | None = None,
        **details: object,
    ) -> Instance:
        """Declare an instance; declaring a known id again replaces it (tags, Region and
        online state), keeping its place in the fleet's order."""
        if not isinstance(instance_id, str):
            raise TypeError(f"instance_id must be a str such as 'i-0123456789abcdef0'; got "
                            f"{instance_id!r}")
        if not _INSTANCE_ID.match(instance_id):
            raise ValueError(
                "instance_id must look like an EC2 instance id (i- and 8 or 17 lowercase hex "
                f"digits) or a managed node id (mi- and 17 hex digits); got {instance_id!r}"
            )
        if tags is None:
            tags = {}
        if not isinstance(tags, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
        ):
            raise TypeError(f"tags must be a mapping of str to str; got {tags!r}")
        if region is not None and not isinstance(region, str):
            raise TypeError(f"region must be a str or None; got {region!r}")
        if not isinstance(online, bool):
            raise TypeError(f"online must be True or False; got {online!r}")
        patches = details.pop("patches", None)
        facts = facts_of(instance_id, details)
        if patches is not None:
            self.set_patches(instance_id, patches)
        instance = Instance(instance_id, dict(tags), region, online, facts, since)
        self._instances[instance_id] = instance
        self.version += 1
        return instance

    def set_patches(self, instance_id: str, patches: object) -> None:
        """What ``instance_id`` has and lacks now (any id: moto's instances too): a list of
        :class:`Patch` objects or dicts of their fields."""
        if isinstance(patches, (str, bytes)) or not isinstance(patches, Iterable):
            raise TypeError(f"patches must be a list of Patch; got {patches!r}")
        declared = [patch_of(item) for item in patches]
        if not isinstance(instance_id, str) or not _INSTANCE_ID.match(instance_id):
            raise ValueError(f"instance_id must look like an EC2 instance id or a managed "
                             f"node id; got {instance_id!r}")
        self._patches[instance_id] = declared

    def patches_of(self, instance_id: str) -> list[Patch]:
        """The node's patches; none declared: none (a node with nothing to patch)."""
        return list(self._patches.get(instance_id, ()))

    def remove(self, instance_id: str) -> None:
        """Forget an instance: it no longer matches targets (ids given directly as targets
        still name it, as they name any id)."""
        if self._instances.pop(instance_id, None) is None:
            raise KeyError(
                f"instance {instance_id!r} is not in the fake fleet (add it with "
                "mw.add_instance)"
            )
        self.version += 1

    def get(self, instance_id: str, region: str) -> Instance | None:
        """The instance ``instance_id`` if it is visible in ``region`` (declared, or one of
        moto's EC2 instances), else None."""
        instance = self._instances.get(instance_id)
        if instance is not None:
            return instance if instance.region in (None, region) else None
        for found in self._moto_instances(region):
            if found.instance_id == instance_id:
                return found
        return None

    def in_region(self, region: str) -> list[Instance]:
        """Instances visible in ``region``, in the order they were added; then moto's."""
        declared = [i for i in self._instances.values() if i.region in (None, region)]
        return declared + self._moto_instances(region)

    def add_group(
        self,
        name: str,
        resources: Iterable[str | tuple[str, str]],
        region: str | None = None,
    ) -> ResourceGroup:
        """Declare (or replace) the resource group ``name``; ``region`` None: every Region."""
        if not isinstance(name, str) or not name:
            raise TypeError(f"a resource group name must be a non-empty str; got {name!r}")
        if isinstance(resources, (str, bytes)):
            raise TypeError(
                "resources must be a collection of instance ids or ARNs, not a single string"
            )
        if region is not None and not isinstance(region, str):
            raise TypeError(f"region must be a str or None; got {region!r}")
        group = ResourceGroup(name, tuple(_member(item) for item in resources), region)
        self._groups[(name, region)] = group
        self.version += 1
        return group

    def group(self, name: str, region: str) -> ResourceGroup | None:
        """The group ``name`` as seen from ``region``: a Region-bound one wins over a global,
        and a declared one over moto's group of that name (whose members are the instances,
        declared or moto's, that its tag query matches now)."""
        declared = self._groups.get((name, region)) or self._groups.get((name, None))
        if declared is not None or self.account_id is None:
            return declared
        query = moto_fleet.group_query(name, self.account_id, region)
        if query is None:
            return None
        members = tuple(
            GroupMember(None, instance.instance_id, EC2_INSTANCE_TYPE)
            for instance in self.in_region(region)
            if moto_fleet.matches_query(query, dict(instance.tags))
        )
        return ResourceGroup(name, members, region)
