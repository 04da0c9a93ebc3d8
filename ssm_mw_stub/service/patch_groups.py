"""Patch groups: which baseline patches the nodes tagged ``Patch Group`` (or ``PatchGroup``)
with a name, per operating system; and DescribePatchGroupState's counts over those nodes.

A patch group has at most one baseline per operating system (AlreadyExistsException
otherwise); a node whose group has no baseline for its OS uses that OS's default.
GetPatchBaselineForPatchGroup's OperatingSystem defaults to WINDOWS, as the API reference
says (moto raises a KeyError there).
"""

from __future__ import annotations

from ..model import JSON
from .common import paged_listing
from .core import Context, operation
from .errors import ServiceError, resource_limit
from .patch_baselines import (
    baseline_identity,
    find_baseline,
    get_baseline,
    node_baseline,
    parse_orchestrator_filters,
)

__all__: list[str] = []

#: "Patch groups per patch baseline: 25" (Systems Manager service quotas).
_MAX_GROUPS = 25


@operation("RegisterPatchBaselineForPatchGroup")
def register_patch_baseline_for_patch_group(ctx: Context, request: JSON) -> JSON:
    baseline = get_baseline(ctx, request["BaselineId"])
    group = request["PatchGroup"]
    key = (group, baseline.operating_system)
    if key in ctx.state.patch_groups:
        raise ServiceError(
            "AlreadyExistsException",
            f"Patch Group {group} is already registered with a baseline for operating system "
            f"{baseline.operating_system}.",
        )
    if sum(1 for bid in ctx.state.patch_groups.values()
           if bid == baseline.baseline_id) >= _MAX_GROUPS:
        raise resource_limit(f"Patch baseline {baseline.baseline_id} already has the maximum "
                             f"number of patch groups ({_MAX_GROUPS}).")
    ctx.state.patch_groups[key] = baseline.baseline_id
    return {"BaselineId": baseline.baseline_id, "PatchGroup": group}


@operation("DeregisterPatchBaselineForPatchGroup")
def deregister_patch_baseline_for_patch_group(ctx: Context, request: JSON) -> JSON:
    baseline = find_baseline(ctx, request["BaselineId"])
    group = request["PatchGroup"]
    key = (group, baseline.operating_system if baseline is not None else "")
    if baseline is None or ctx.state.patch_groups.get(key) != baseline.baseline_id:
        raise ServiceError(
            "InvalidResourceId",
            f"Patch Group {group} is not registered with patch baseline "
            f"{request['BaselineId']}.",
        )
    del ctx.state.patch_groups[key]
    return {"BaselineId": request["BaselineId"], "PatchGroup": group}


@operation("GetPatchBaselineForPatchGroup")
def get_patch_baseline_for_patch_group(ctx: Context, request: JSON) -> JSON:
    system = request.get("OperatingSystem") or "WINDOWS"
    group = request["PatchGroup"]
    baseline = node_baseline(ctx, group, system)
    return {"BaselineId": baseline.baseline_id, "PatchGroup": group, "OperatingSystem": system}


@operation("DescribePatchGroups")
def describe_patch_groups(ctx: Context, request: JSON) -> JSON:
    filters = parse_orchestrator_filters(request, ("NAME_PREFIX", "OPERATING_SYSTEM"))
    prefixes = filters.get("NAME_PREFIX")
    systems = filters.get("OPERATING_SYSTEM")
    mappings: list[JSON] = []
    for (group, system), baseline_id in sorted(ctx.state.patch_groups.items()):
        baseline = find_baseline(ctx, baseline_id)
        if baseline is None:
            continue
        if prefixes is not None and not any(group.startswith(p) for p in prefixes):
            continue
        if systems is not None and system not in systems:
            continue
        mappings.append({"PatchGroup": group,
                         "BaselineIdentity": baseline_identity(ctx, baseline)})
    return paged_listing("DescribePatchGroups", request, mappings, "Mappings")


@operation("DescribePatchGroupState")
def describe_patch_group_state(ctx: Context, request: JSON) -> JSON:
    group = request["PatchGroup"]
    states = [s for s in ctx.state.patch_states.values() if s.patch_group == group]

    def having(state_name: str) -> int:
        return sum(1 for s in states if s.count(state_name))

    return {
        "Instances": len(states),
        "InstancesWithInstalledPatches": having("INSTALLED"),
        "InstancesWithInstalledOtherPatches": having("INSTALLED_OTHER"),
        "InstancesWithInstalledPendingRebootPatches": having("INSTALLED_PENDING_REBOOT"),
        "InstancesWithInstalledRejectedPatches": having("INSTALLED_REJECTED"),
        "InstancesWithMissingPatches": having("MISSING"),
        "InstancesWithFailedPatches": having("FAILED"),
        "InstancesWithNotApplicablePatches": sum(1 for s in states if s.not_applicable),
        "InstancesWithUnreportedNotApplicablePatches": 0,
        "InstancesWithCriticalNonCompliantPatches": sum(1 for s in states if s.critical_count()),
        "InstancesWithSecurityNonCompliantPatches": sum(1 for s in states if s.security_count()),
        "InstancesWithOtherNonCompliantPatches": sum(1 for s in states if s.other_count()),
        "InstancesWithAvailableSecurityUpdates": 0,
    }

