"""The children of a rate-control Automation execution (StartAutomationExecution with
Targets or TargetMaps): what each runs on, resolved when the execution starts.

"Control automations at scale" in the Systems Manager user guide: a target is resolved to
values of the ``TargetParameterName`` parameter, one child execution per value; the
parent shows one ``aws:executeAutomation`` step per child, named after its value. Targets
resolve against the fake fleet and resource groups as they are at that moment, as window
targets do when a task runs (:mod:`.targets`).
"""

from __future__ import annotations

import json

from ..model import JSON, RegionState
from ..model.automation import ALL_INSTANCES, AutomationStart, StepRecord
from ..model.fleet import Fleet

__all__ = ["Unit", "child_units"]

#: One child: (its target value, or None for a target map; its parameters; the parent's
#: step that stands for it).
Unit = tuple[str | None, dict[str, list[str]], StepRecord]

#: The action of a parent's steps (the user guide's example of a parent execution).
_ACTION = "aws:executeAutomation"


def child_units(fleet: Fleet, state: RegionState, spec: AutomationStart) -> list[Unit]:
    """The children of ``spec``, in order: one per resolved target value, or one per
    target map (its step named ``TargetMap<n>``, its parameters those of the map)."""
    units: list[Unit] = []
    if spec.target_maps:
        for number, target_map in enumerate(spec.target_maps, 1):
            parameters = {**spec.parameters, **target_map}
            inputs = {key: json.dumps(values) for key, values in target_map.items()}
            units.append((None, parameters, StepRecord(f"TargetMap{number}", _ACTION,
                                                       inputs=inputs)))
        return units
    name = spec.target_parameter_name or ""
    for value in _resolve(fleet, state, (spec.targets or [{}])[0]):
        step = StepRecord(value, _ACTION, inputs={name: value})
        units.append((value, {**spec.parameters, name: [value]}, step))
    return units


def _resolve(fleet: Fleet, state: RegionState, target: JSON) -> list[str]:
    """The values a target stands for: ``ParameterValues`` as given, ``tag:<key>`` and
    ``tag-key`` the instances of the Region carrying them, ``AWS::EC2::Instance`` ``*``
    every instance of the Region, ``ResourceGroup`` the group's members (instance ids, or
    the resource id that ends other members' ARNs)."""
    key = target.get("Key") or ""
    values: list[str] = list(target.get("Values") or [])
    found: list[str] = []
    if key == "ParameterValues":
        found = values
    elif key == "ResourceGroup":
        group = fleet.group(values[0], state.region) if values else None
        for member in group.members if group is not None else ():
            resource = (member.arn or "").split(":", 5)[-1]
            found.append(member.instance_id or resource.rsplit("/", 1)[-1])
    elif key == ALL_INSTANCES:
        instances = fleet.in_region(state.region)
        found = [i.instance_id for i in instances if i.instance_id.startswith("i-")]
    else:
        for instance in fleet.in_region(state.region):
            tags = instance.tags
            if key == "tag-key":
                if any(value in tags for value in values):
                    found.append(instance.instance_id)
            elif tags.get(key[4:]) in values:
                found.append(instance.instance_id)
    return list(dict.fromkeys(found))
