"""What patch runs recorded: DescribeInstancePatchStates (and ForPatchGroup, with its
filters), DescribeInstancePatches, and DescribePatchProperties over the declared patches.

A node appears once an AWS-RunPatchBaseline run (Scan or Install) has reported for it; a
node that was never scanned has no patch state, as in AWS.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import JSON
from ..model.patching import NodePatchState
from .common import epoch, listing, page, paged_listing, put
from .core import Context, operation
from .errors import invalid_filter, invalid_instance_id, invalid_next_token

__all__ = ["patch_state_body"]

_PAGE = 50
#: InstancePatchStateFilter keys (API reference) -> the count each names; the body's counts
#: in the same order.
_COUNTS: dict[str, Callable[[NodePatchState], int]] = {
    "InstalledCount": lambda s: s.count("INSTALLED"),
    "InstalledOtherCount": lambda s: s.count("INSTALLED_OTHER"),
    "InstalledPendingRebootCount": lambda s: s.count("INSTALLED_PENDING_REBOOT"),
    "InstalledRejectedCount": lambda s: s.count("INSTALLED_REJECTED"),
    "MissingCount": lambda s: s.count("MISSING"),
    "FailedCount": lambda s: s.count("FAILED"),
    "UnreportedNotApplicableCount": lambda s: 0,
    "NotApplicableCount": lambda s: s.not_applicable,
}


def patch_state_body(state: NodePatchState) -> JSON:
    """An InstancePatchState."""
    out: JSON = {
        "InstanceId": state.instance_id,
        "PatchGroup": state.patch_group,
        "BaselineId": state.baseline_id,
        "SnapshotId": state.snapshot_id,
        **{name: count(state) for name, count in _COUNTS.items()},
        "AvailableSecurityUpdateCount": 0,
        "OperationStartTime": epoch(state.start),
        "OperationEndTime": epoch(state.end),
        "Operation": state.operation,
        "RebootOption": state.reboot_option,
        "CriticalNonCompliantCount": state.critical_count(),
        "SecurityNonCompliantCount": state.security_count(),
        "OtherNonCompliantCount": state.other_count(),
    }
    put(out, "OwnerInformation", state.owner_information)
    put(out, "InstallOverrideList", state.install_override_list)
    return out


def _page(operation_name: str, request: JSON, items: list[JSON], key: str) -> JSON:
    return paged_listing(operation_name, request, items, key, default_size=_PAGE,
                         refuse=invalid_next_token)


@operation("DescribeInstancePatchStates")
def describe_instance_patch_states(ctx: Context, request: JSON) -> JSON:
    states = ctx.state.patch_states
    items = [patch_state_body(states[i]) for i in request["InstanceIds"] if i in states]
    return _page("DescribeInstancePatchStates", request, items, "InstancePatchStates")


def _state_test(item: JSON) -> Callable[[NodePatchState], bool]:
    key, values, kind = item["Key"], item["Values"], item["Type"]
    if key not in _COUNTS:
        raise invalid_filter(f"The filter key {key} is not valid. Valid filter keys are: "
                              f"{', '.join(_COUNTS)}.")
    if len(values) != 1:
        raise invalid_filter(f"The filter {key} must have exactly one value.")
    try:
        bound = int(values[0])
    except ValueError:
        raise invalid_filter(f"The value {values[0]} of filter {key} is not an integer.") \
            from None
    count = _COUNTS[key]
    compare: dict[str, Callable[[int], bool]] = {
        "Equal": lambda n: n == bound, "NotEqual": lambda n: n != bound,
        "LessThan": lambda n: n < bound, "GreaterThan": lambda n: n > bound,
    }
    test = compare[kind]
    return lambda state: test(count(state))


@operation("DescribeInstancePatchStatesForPatchGroup")
def describe_instance_patch_states_for_patch_group(ctx: Context, request: JSON) -> JSON:
    tests = [_state_test(item) for item in request.get("Filters") or []]
    group = request["PatchGroup"]
    items = [
        patch_state_body(state) for state in ctx.state.patch_states.values()
        if state.patch_group == group and all(test(state) for test in tests)
    ]
    out = _page("DescribeInstancePatchStatesForPatchGroup", request, items,
                "InstancePatchStates")
    if not out["InstancePatchStates"]:  # the model's list has a minimum of 1: omitted
        del out["InstancePatchStates"]
    return out


#: DescribeInstancePatches' State filter takes the words of the patch states' names.
_STATE_WORDS: dict[str, str] = {
    "INSTALLED": "Installed", "INSTALLED_OTHER": "InstalledOther",
    "INSTALLED_PENDING_REBOOT": "InstalledPendingReboot",
    "INSTALLED_REJECTED": "InstalledRejected", "MISSING": "Missing",
    "NOT_APPLICABLE": "NotApplicable", "FAILED": "Failed",
    "AVAILABLE_SECURITY_UPDATE": "AvailableSecurityUpdate",
}
_PATCH_KEYS: dict[str, Callable[[JSON], str]] = {
    "Classification": lambda p: str(p["Classification"]),
    "KBId": lambda p: str(p["KBId"]),
    "Severity": lambda p: str(p["Severity"]),
    "State": lambda p: _STATE_WORDS[str(p["State"])],
}


@operation("DescribeInstancePatches")
def describe_instance_patches(ctx: Context, request: JSON) -> JSON:
    instance_id = request["InstanceId"]
    if ctx.fleet.get(instance_id, ctx.state.region) is None \
            and instance_id not in ctx.state.patch_states:
        raise invalid_instance_id(instance_id)
    filters: list[tuple[Callable[[JSON], str], list[str]]] = []
    for item in request.get("Filters") or []:
        key = item.get("Key")
        if key not in _PATCH_KEYS:
            raise invalid_filter(f"The filter key {key} is not valid. Valid filter keys are: "
                                  f"{', '.join(_PATCH_KEYS)}.")
        filters.append((_PATCH_KEYS[key], list(item.get("Values") or [])))
    state = ctx.state.patch_states.get(instance_id)
    items: list[JSON] = []
    for result in state.results if state is not None else []:
        patch = result.patch
        body: JSON = {
            "Title": patch.title, "KBId": patch.id, "Classification": patch.classification,
            "Severity": patch.severity, "State": result.state,
            "InstalledTime": epoch(result.installed_time) if result.installed_time else 0.0,
        }
        if patch.cve_ids:
            body["CVEIds"] = ",".join(patch.cve_ids)
        if all(get(body) in values for get, values in filters):
            items.append(body)
    return _page("DescribeInstancePatches", request, items, "Patches")


_PROPERTIES = {
    "CLASSIFICATION": "Classification", "MSRC_SEVERITY": "MsrcSeverity",
    "SEVERITY": "Severity", "PRIORITY": "Priority", "PRODUCT": "Product",
}


@operation("DescribePatchProperties")
def describe_patch_properties(ctx: Context, request: JSON) -> JSON:
    """The values the fleet's declared patches take for one property (the stub knows no
    vendor catalogue); properties it does not model list nothing."""
    prop = request["Property"]
    name = _PROPERTIES.get(prop)
    values: list[str] = []
    if name is not None:
        system = request["OperatingSystem"]
        for node in ctx.fleet.in_region(ctx.state.region):
            if node.facts.operating_system != system:
                continue
            for patch in ctx.fleet.patches_of(node.instance_id):
                value = {"Classification": patch.classification, "Product": patch.product,
                         }.get(name, patch.severity)
                if value and value not in values:
                    values.append(value)
    chunk, token = page("DescribePatchProperties", request, sorted(values), default_size=50)
    return listing("Properties", [{name or prop: value} for value in chunk], token)
