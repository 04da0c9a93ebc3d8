"""Configuration compliance for the ``Patch`` compliance type: ListComplianceItems,
ListResourceComplianceSummaries, ListComplianceSummaries.

Each patch a run reported is a compliance item of its node (ResourceType
``ManagedInstance``, Id the patch's KB id): Installed, InstalledOther and InstalledRejected
are COMPLIANT; Missing, Failed and InstalledPendingReboot NON_COMPLIANT, with the
compliance level of the baseline rule that approved it as the item's severity. A node is
NON_COMPLIANT if any of its items is. Other compliance types (associations, custom) are not
modelled: they list nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import JSON
from ..model.patching import NodePatchState, PatchResult
from .common import epoch, listing, page
from .core import Context, operation
from .errors import ServiceError, invalid_next_token

__all__ = ["node_status"]

_SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED")
_COUNT_NAMES = ("CriticalCount", "HighCount", "MediumCount", "LowCount", "InformationalCount",
                "UnspecifiedCount")


def _item_status(result: PatchResult) -> str:
    return ("NON_COMPLIANT" if result.state in ("MISSING", "FAILED", "INSTALLED_PENDING_REBOOT")
            else "COMPLIANT")


def node_status(state: NodePatchState) -> str:
    """The node's patch compliance: NON_COMPLIANT if any patch is."""
    return "NON_COMPLIANT" if state.non_compliant() else "COMPLIANT"


def _summary(state: NodePatchState) -> JSON:
    return {"ExecutionTime": epoch(state.end), "ExecutionId": state.execution_id,
            "ExecutionType": "Command"}


def _severity_summary(levels: list[str]) -> JSON:
    pairs = zip(_SEVERITIES, _COUNT_NAMES, strict=True)
    return {name: levels.count(level) for level, name in pairs}


def _overall(state: NodePatchState) -> str:
    levels = {r.compliance_level for r in state.non_compliant()} or {"UNSPECIFIED"}
    return next(level for level in _SEVERITIES if level in levels)


Row = dict[str, Any]


def _filters(request: JSON, keys: tuple[str, ...]) -> list[Callable[[Row], bool]]:
    """ComplianceStringFilters over a row's fields (EQUAL, NOT_EQUAL, BEGIN_WITH)."""
    tests: list[Callable[[Row], bool]] = []
    for item in request.get("Filters") or []:
        key, values, kind = item.get("Key"), item.get("Values") or [], item.get("Type", "EQUAL")
        if key not in keys:
            raise ServiceError("InvalidFilter", f"The filter key {key} is not valid. Valid "
                               f"filter keys are: {', '.join(keys)}.")
        if kind not in ("EQUAL", "NOT_EQUAL", "BEGIN_WITH"):
            raise ServiceError("InvalidFilter",
                               f"The filter type {kind} is not valid for {key}.")

        def test(row: Row, key: str = key, values: list[str] = values, kind: str = kind) -> bool:
            value = str(row.get(key, ""))
            if kind == "BEGIN_WITH":
                return any(value.startswith(v) for v in values)
            return (value in values) == (kind == "EQUAL")

        tests.append(test)
    return tests


def _states(ctx: Context) -> list[NodePatchState]:
    return list(ctx.state.patch_states.values())


def _listing(name: str, request: JSON, items: list[JSON], key: str) -> JSON:
    chunk, token = page(name, request, items, default_size=50, refuse=invalid_next_token)
    return listing(key, list(chunk), token)


@operation("ListComplianceItems")
def list_compliance_items(ctx: Context, request: JSON) -> JSON:
    types = request.get("ResourceTypes") or ["ManagedInstance"]
    for resource_type in types:
        if resource_type != "ManagedInstance":
            raise ServiceError("InvalidResourceType",
                               f"Resource type {resource_type} is not valid.")
    ids = request.get("ResourceIds")
    tests = _filters(request, ("ComplianceType", "Status", "Severity", "Id", "Title"))
    items: list[JSON] = []
    for state in _states(ctx):
        if ids is not None and state.instance_id not in ids:
            continue
        for result in state.results:
            patch = result.patch
            row: Row = {"ComplianceType": "Patch", "Status": _item_status(result),
                        "Severity": result.compliance_level, "Id": patch.id,
                        "Title": patch.title}
            if not all(test(row) for test in tests):
                continue
            items.append({
                **row, "ResourceType": "ManagedInstance", "ResourceId": state.instance_id,
                "ExecutionSummary": _summary(state),
                "Details": {
                    "Classification": patch.classification, "PatchSeverity": patch.severity,
                    "PatchState": result.state, "PatchBaselineId": state.baseline_id,
                    "PatchGroup": state.patch_group,
                    "InstalledTime": (result.installed_time.isoformat()
                                      if result.installed_time else ""),
                },
            })
    return _listing("ListComplianceItems", request, items, "ComplianceItems")


@operation("ListResourceComplianceSummaries")
def list_resource_compliance_summaries(ctx: Context, request: JSON) -> JSON:
    tests = _filters(request, ("ComplianceType", "Status", "OverallSeverity", "ResourceId",
                               "ResourceType"))
    items: list[JSON] = []
    for state in _states(ctx):
        row: Row = {"ComplianceType": "Patch", "ResourceType": "ManagedInstance",
                    "ResourceId": state.instance_id, "Status": node_status(state),
                    "OverallSeverity": _overall(state)}
        if not all(test(row) for test in tests):
            continue
        good = [r.compliance_level for r in state.results if _item_status(r) == "COMPLIANT"]
        bad = [r.compliance_level for r in state.non_compliant()]
        items.append({
            **row, "ExecutionSummary": _summary(state),
            "CompliantSummary": {"CompliantCount": len(good),
                                 "SeveritySummary": _severity_summary(good)},
            "NonCompliantSummary": {"NonCompliantCount": len(bad),
                                    "SeveritySummary": _severity_summary(bad)},
        })
    return _listing("ListResourceComplianceSummaries", request, items,
                    "ResourceComplianceSummaryItems")


@operation("ListComplianceSummaries")
def list_compliance_summaries(ctx: Context, request: JSON) -> JSON:
    tests = _filters(request, ("ComplianceType",))
    states = _states(ctx)
    if not states or not all(test({"ComplianceType": "Patch"}) for test in tests):
        return _listing("ListComplianceSummaries", request, [], "ComplianceSummaryItems")
    good = [_overall(s) for s in states if node_status(s) == "COMPLIANT"]
    bad = [_overall(s) for s in states if node_status(s) == "NON_COMPLIANT"]
    item: JSON = {
        "ComplianceType": "Patch",
        "CompliantSummary": {"CompliantCount": len(good),
                             "SeveritySummary": _severity_summary(good)},
        "NonCompliantSummary": {"NonCompliantCount": len(bad),
                                "SeveritySummary": _severity_summary(bad)},
    }
    return _listing("ListComplianceSummaries", request, [item], "ComplianceSummaryItems")
