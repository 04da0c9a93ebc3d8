"""Target resolution at the moment a task runs.

The real service evaluates targets when the task starts, not when they are registered: a
``tag:`` target sees the fleet as it is then, a resource group its members then, and a window
target deregistered since the task was registered simply contributes nothing. Instance ids
are taken as given (the service does not check that they exist).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from ..model import JSON, RegionState, Window, WindowTarget, WindowTask
from ..model.arns import instance_arn
from ..model.fleet import Fleet, Instance

__all__ = ["CommandGroup", "Resolver", "Target"]


class Target(NamedTuple):
    """One resolved target of a per-target task (Automation, Lambda, Step Functions).

    All members are None for the single invocation of a targetless task.
    """

    window_target_id: str | None
    owner_information: str | None
    target_type: str | None
    target_id: str | None
    resource_id: str | None


class CommandGroup(NamedTuple):
    """The managed nodes one Run Command command covers: one window target, or the task's
    own ``InstanceIds``."""

    window_target_id: str | None
    owner_information: str | None
    target_type: str
    instance_ids: list[str]


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _matches(instance: Instance, criteria: list[tuple[str | None, frozenset[str]]]) -> bool:
    """Several target entries AND together. The values of a ``tag:<key>`` entry OR (any of
    them); the keys of a ``tag-key`` entry AND: "If you specify more than one tag key, an
    instance must be tagged with all the tag keys you specify" (user guide, "Examples:
    Register targets with a maintenance window", Example 3)."""
    tags = instance.tags
    for key, values in criteria:
        if key is None:  # tag-key: the instance carries every one of these keys
            if not all(value in tags for value in values):
                return False
        elif tags.get(key) not in values:
            return False
    return True


def _instances(fleet: Fleet, state: RegionState, targets: list[JSON]) -> list[str]:
    """Instance ids an INSTANCE window target (or a task's InstanceIds) names right now."""
    given: list[str] = []
    criteria: list[tuple[str | None, frozenset[str]]] = []
    for target in targets:
        key = target.get("Key") or ""
        values = target.get("Values") or []
        if key == "InstanceIds":
            given.extend(values)
        elif key == "tag-key":
            criteria.append((None, frozenset(values)))
        elif key.startswith("tag:"):
            criteria.append((key[4:], frozenset(values)))
    if criteria:
        given.extend(
            instance.instance_id
            for instance in fleet.in_region(state.region)
            if _matches(instance, criteria)
        )
    return _dedupe(given)


def _group_members(
    fleet: Fleet, state: RegionState, targets: list[JSON]
) -> list[tuple[str, str | None, str | None]]:
    """(ARN, short resource id or None, instance id or None) of a RESOURCE_GROUP target."""
    name = None
    type_filter: frozenset[str] | None = None
    for target in targets:
        if target.get("Key") == "resource-groups:Name":
            values = target.get("Values") or []
            name = values[0] if values else None
        elif target.get("Key") == "resource-groups:ResourceTypeFilters":
            type_filter = frozenset(target.get("Values") or [])
    group = fleet.group(name, state.region) if name else None
    if group is None:
        return []
    members: list[tuple[str, str | None, str | None]] = []
    seen: set[str] = set()
    for member in group.members:
        if type_filter is not None and member.resource_type not in type_filter:
            continue
        if member.arn is not None:
            arn = member.arn
        else:
            assert member.instance_id is not None  # a member is declared by ARN or by id
            arn = instance_arn(state.region, state.account, member.instance_id)
        if arn in seen:
            continue
        seen.add(arn)
        resource = arn.split(":", 5)[5]
        short = resource.rsplit("/", 1)[1] if "/" in resource else None
        members.append((arn, short, member.instance_id))
    return members


def _window_targets(window: Window, task: WindowTask) -> list[WindowTarget] | None:
    """The window targets a task names that still exist; None when it names instance ids."""
    if not task.targets or task.targets[0].get("Key") != "WindowTargetIds":
        return None
    found = []
    for target_id in task.targets[0].get("Values") or []:
        target = window.targets.get(target_id)
        if target is not None:
            found.append(target)
    return found


class Resolver:
    """Resolves task targets against the fleet, remembering each window target's result
    until the fleet or the window target changes.

    Every task of an execution usually names the same window targets at the same instant;
    re-evaluating the tag filters for each of them would dominate a large simulation. The
    cache key is the window target's ``Targets`` list (replaced, never mutated, by
    UpdateMaintenanceWindowTarget), its OwnerInformation and the fleet's version. While
    moto's world is part of the fleet (``fleet.live``) nothing is cached: moto's instances
    and tags change without the fleet knowing.
    """

    def __init__(self, fleet: Fleet) -> None:
        self._fleet = fleet
        self._cache: dict[str, tuple[list[JSON], str | None, int, list[Target], list[str]]] = {}
        #: (Region, fleet version) last checked for offline nodes, and what was found.
        self._offline_seen: tuple[str, int] | None = None
        self._any_offline = False

    def _resolve(self, state: RegionState, wt: WindowTarget) -> tuple[list[Target], list[str]]:
        """(targets for per-target tasks, instance ids for a Run Command) of one target."""
        fleet = self._fleet
        hit = self._cache.get(wt.window_target_id)
        if (
            hit is not None
            and not fleet.live
            and hit[0] is wt.targets
            and hit[1] == wt.owner_information
            and hit[2] == fleet.version
        ):
            return hit[3], hit[4]
        wid, owner = wt.window_target_id, wt.owner_information
        if wt.resource_type == "RESOURCE_GROUP":
            members = _group_members(fleet, state, wt.targets)
            targets = [
                Target(wid, owner, "RESOURCE_GROUP", arn, short) for arn, short, _ in members
            ]
            instance_ids = _dedupe(iid for _, _, iid in members if iid is not None)
        else:
            instance_ids = _instances(fleet, state, wt.targets)
            targets = [Target(wid, owner, "INSTANCE", iid, iid) for iid in instance_ids]
        self._cache[wt.window_target_id] = (
            wt.targets, owner, fleet.version, targets, instance_ids
        )
        return targets, instance_ids

    def targets(self, state: RegionState, window: Window, task: WindowTask) -> list[Target]:
        """The targets of an Automation, Lambda or Step Functions task: one invocation each."""
        if not task.targets:
            return [Target(None, None, None, None, None)]
        window_targets = _window_targets(window, task)
        if window_targets is None:
            ids = _dedupe(task.targets[0].get("Values") or [])
            return [Target(None, None, "INSTANCE", iid, iid) for iid in ids]
        if len(window_targets) == 1:
            return self._resolve(state, window_targets[0])[0]
        resolved: list[Target] = []
        for wt in window_targets:
            resolved.extend(self._resolve(state, wt)[0])
        return resolved

    def command_groups(
        self, state: RegionState, window: Window, task: WindowTask
    ) -> list[CommandGroup]:
        """The commands of a Run Command task: one per window target (in the order the task
        lists them), or one over the task's own instance ids. Empty groups send no command."""
        window_targets = _window_targets(window, task)
        if window_targets is None:
            ids = _dedupe(task.targets[0].get("Values") or []) if task.targets else []
            return [CommandGroup(None, None, "INSTANCE", ids)] if ids else []
        groups: list[CommandGroup] = []
        for wt in window_targets:
            ids = self._resolve(state, wt)[1]
            if ids:
                groups.append(
                    CommandGroup(wt.window_target_id, wt.owner_information, wt.resource_type, ids)
                )
        return groups

    # --- Run Command's own targets (SendCommand) and the nodes' state -----------------

    def all_online(self, state: RegionState, instance_ids: list[str]) -> bool:
        """Whether every one of ``instance_ids`` can receive a command now (cheap when no
        fleet node of the Region is offline, which is remembered until the fleet changes)."""
        key = (state.region, self._fleet.version)
        if self._offline_seen != key:
            self._offline_seen = key
            self._any_offline = any(
                not instance.online for instance in self._fleet.in_region(state.region)
            )
        return not self._any_offline or all(
            self.online(state, instance_id) for instance_id in instance_ids
        )

    def online(self, state: RegionState, instance_id: str) -> bool:
        """Whether a node can receive a command now: a fleet node's ``online`` state; an id
        the fleet does not know is taken as given (as window targets take it)."""
        instance = self._fleet.get(instance_id, state.region)
        return instance is None or instance.online

    def unmanaged(self, state: RegionState, instance_ids: Iterable[str]) -> list[str]:
        """The ids that are not managed nodes of the fleet in the state's Region."""
        fleet, region = self._fleet, state.region
        return [iid for iid in instance_ids if fleet.get(iid, region) is None]

    def command_targets(self, state: RegionState, targets: list[JSON]) -> list[str]:
        """The nodes SendCommand's ``Targets`` name right now: ``InstanceIds`` (the key in
        any case, as Run Command accepts ``instanceids``), ``tag:`` and ``tag-key`` entries
        against the fleet (keys AND, values OR), or a ``resource-groups:Name`` group's
        EC2 instances (``resource-groups:ResourceTypeFilters`` applied)."""
        if any(target.get("Key") == "resource-groups:Name" for target in targets):
            members = _group_members(self._fleet, state, targets)
            return _dedupe(iid for _, _, iid in members if iid is not None)
        named = [
            {**target, "Key": "InstanceIds"}
            if str(target.get("Key")).lower() == "instanceids" else target
            for target in targets
        ]
        return _instances(self._fleet, state, named)
