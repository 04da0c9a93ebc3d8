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
from ..model.patching import SEVERITIES, NodePatchState, result_status
from .common import epoch, paged_listing
from .core import Context, operation
from .errors import ServiceError, invalid_filter, invalid_next_token

__all__: list[str] = []

_COUNT_NAMES = ("CriticalCount", "HighCount", "MediumCount", "LowCount", "InformationalCount",
                "UnspecifiedCount")


def _summary(state: NodePatchState) -> JSON:
    return {"ExecutionTime": epoch(state.end), "ExecutionId": state.execution_id,
            "ExecutionType": "Command"}


def _severity_summary(levels: list[str]) -> JSON:
    pairs = zip(SEVERITIES, _COUNT_NAMES, strict=True)
    return {name: levels.count(level) for level, name in pairs}


Row = dict[str, Any]


def _filters(request: JSON, keys: tuple[str, ...]) -> list[Callable[[Row], bool]]:
    """ComplianceStringFilters over a row's fields (EQUAL, NOT_EQUAL, BEGIN_WITH)."""
    tests: list[Callable[[Row], bool]] = []
    for item in request.get("Filters") or []:
        key, values, kind = item.get("Key"), item.get("Values") or [], item.get("Type", "EQUAL")
        if key not in keys:
            raise invalid_filter(f"The filter key {key} is not valid. Valid filter keys are: "
                                 f"{', '.join(keys)}.")
        if kind not in ("EQUAL", "NOT_EQUAL", "BEGIN_WITH"):
            raise invalid_filter(f"The filter type {kind} is not valid for {key}.")

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
    return paged_listing(name, request, items, key, default_size=50, refuse=invalid_next_token)


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
            row: Row = {"ComplianceType": "Patch", "Status": result_status(result),
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
                    "ResourceId": state.instance_id, "Status": state.status(),
                    "OverallSeverity": state.severity()}
        if not all(test(row) for test in tests):
            continue
        good = [r.compliance_level for r in state.results if result_status(r) == "COMPLIANT"]
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
    good = [s.severity() for s in states if s.status() == "COMPLIANT"]
    bad = [s.severity() for s in states if s.status() == "NON_COMPLIANT"]
    item: JSON = {
        "ComplianceType": "Patch",
        "CompliantSummary": {"CompliantCount": len(good),
                             "SeveritySummary": _severity_summary(good)},
        "NonCompliantSummary": {"NonCompliantCount": len(bad),
                                "SeveritySummary": _severity_summary(bad)},
    }
    return _listing("ListComplianceSummaries", request, [item], "ComplianceSummaryItems")
