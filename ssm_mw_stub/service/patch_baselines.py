"""Patch baselines: create, get, update, delete, describe, and the default per OS.

The account's own baselines have ``pb-`` ids; AWS's predefined ones
(:mod:`..model.patch_catalog`) exist in every Region, are addressed by their ARN (as the API
reference says: "specify the full ARN ... instead of pb-..."), and cannot be changed or
deleted. Choices AWS leaves open are in docs/fidelity.md ("Patch baselines").
"""

from __future__ import annotations

from datetime import date

from ..model import JSON, patch_runs
from ..model.patch_catalog import predefined
from ..model.patching import BASELINE_MEMBERS, Baseline
from .common import epoch, idempotent, listing, page, put
from .core import Context, operation
from .errors import does_not_exist, resource_in_use, resource_limit, validation

__all__ = ["baseline_identity", "default_baseline", "find_baseline", "get_baseline",
           "node_baseline", "parse_orchestrator_filters"]

#: "Patch baselines per AWS account: 50" (Systems Manager service quotas).
_MAX_BASELINES = 50
_FILTER_KEYS = ("NAME_PREFIX", "OWNER", "OPERATING_SYSTEM")


def find_baseline(ctx: Context, baseline_id: str) -> Baseline | None:
    """The baseline ``baseline_id`` names (the account's by id or ARN, AWS's by ARN)."""
    return patch_runs.find_baseline(ctx.state, baseline_id)


def get_baseline(ctx: Context, baseline_id: str) -> Baseline:
    """The baseline, or DoesNotExistException."""
    baseline = find_baseline(ctx, baseline_id)
    if baseline is None:
        raise does_not_exist(f"Patch Baseline {baseline_id} does not exist.")
    return baseline


def default_baseline(ctx: Context, operating_system: str) -> Baseline:
    """The default baseline of ``operating_system``: the registered one, else AWS's."""
    return patch_runs.default_baseline(ctx.state, operating_system)


def node_baseline(ctx: Context, patch_group: str | None, operating_system: str) -> Baseline:
    """The baseline that patches a node: its patch group's for its OS, else the default."""
    return patch_runs.node_baseline(ctx.state, patch_group, operating_system)


def baseline_identity(ctx: Context, baseline: Baseline) -> JSON:
    """A PatchBaselineIdentity."""
    out: JSON = {
        "BaselineId": baseline.baseline_id,
        "BaselineName": baseline.name,
        "OperatingSystem": baseline.operating_system,
        "DefaultBaseline": default_baseline(ctx, baseline.operating_system) is baseline,
    }
    put(out, "BaselineDescription", baseline.description)
    return out


def _check_rules(request: JSON) -> None:
    """The cross-field rules the model cannot say: each approval rule has exactly one of
    ApproveAfterDays and ApproveUntilDate (PatchRule: "your request must include a value
    for either"), and ApproveUntilDate is a date."""
    for rule in (request.get("ApprovalRules") or {}).get("PatchRules") or []:
        after, until = rule.get("ApproveAfterDays"), rule.get("ApproveUntilDate")
        if (after is None) == (until is None):
            raise validation(
                "Exactly one of ApproveAfterDays or ApproveUntilDate must be specified in a "
                "patch rule."
            )
        if until is not None:
            try:
                date.fromisoformat(until)
            except ValueError:
                raise validation(
                    f"ApproveUntilDate {until} is not valid. Use the format YYYY-MM-DD."
                ) from None


@operation("CreatePatchBaseline")
def create_patch_baseline(ctx: Context, request: JSON) -> JSON:
    _check_rules(request)

    def create() -> str:
        if len(ctx.state.baselines) >= _MAX_BASELINES:
            raise resource_limit(
                f"You have reached the maximum number of patch baselines ({_MAX_BASELINES})."
            )
        baseline_id = ctx.ids.prefixed("pb")
        baseline = Baseline(baseline_id, request["Name"],
                            request.get("OperatingSystem") or "WINDOWS", ctx.now, ctx.now,
                            tags=list(request.get("Tags") or []))
        for member, attribute in BASELINE_MEMBERS.items():
            if member in request:
                setattr(baseline, attribute, request[member])
        ctx.state.baselines[baseline_id] = baseline
        return baseline_id

    return {"BaselineId": idempotent(ctx, "CreatePatchBaseline", request, create)}


def _body(ctx: Context, baseline: Baseline, groups: bool) -> JSON:
    out: JSON = {
        "BaselineId": baseline.baseline_id,
        "Name": baseline.name,
        "OperatingSystem": baseline.operating_system,
        "GlobalFilters": baseline.global_filters,
        "ApprovalRules": baseline.approval_rules,
        "ApprovedPatches": baseline.approved_patches,
        "ApprovedPatchesComplianceLevel": baseline.approved_compliance_level,
        "ApprovedPatchesEnableNonSecurity": baseline.approved_enable_non_security,
        "RejectedPatches": baseline.rejected_patches,
        "RejectedPatchesAction": baseline.rejected_action,
        "CreatedDate": epoch(baseline.created),
        "ModifiedDate": epoch(baseline.modified),
        "Sources": baseline.sources,
    }
    put(out, "Description", baseline.description)
    put(out, "AvailableSecurityUpdatesComplianceStatus", baseline.security_status)
    if groups:
        out["PatchGroups"] = sorted(
            group for (group, _), bid in ctx.state.patch_groups.items()
            if bid == baseline.baseline_id
        )
    return out


@operation("GetPatchBaseline")
def get_patch_baseline(ctx: Context, request: JSON) -> JSON:
    return _body(ctx, get_baseline(ctx, request["BaselineId"]), groups=True)


@operation("UpdatePatchBaseline")
def update_patch_baseline(ctx: Context, request: JSON) -> JSON:
    baseline = get_baseline(ctx, request["BaselineId"])
    if baseline.predefined:
        raise validation(f"Patch baseline {baseline.baseline_id} is an AWS-managed baseline "
                         "and cannot be updated.")
    _check_rules(request)
    if request.get("Replace"):
        fresh = Baseline(baseline.baseline_id, baseline.name, baseline.operating_system,
                         baseline.created, baseline.modified, tags=baseline.tags)
        for attribute in BASELINE_MEMBERS.values():
            setattr(baseline, attribute, getattr(fresh, attribute))
    if "Name" in request:
        baseline.name = request["Name"]
    for member, attribute in BASELINE_MEMBERS.items():
        if member in request:
            setattr(baseline, attribute, request[member])
    baseline.modified = ctx.now
    return _body(ctx, baseline, groups=False)


@operation("DeletePatchBaseline")
def delete_patch_baseline(ctx: Context, request: JSON) -> JSON:
    baseline_id = request["BaselineId"]
    baseline = find_baseline(ctx, baseline_id)
    if baseline is None:  # the model names no DoesNotExist here: deleting nothing succeeds
        return {"BaselineId": baseline_id}
    if baseline.predefined:
        raise resource_in_use(f"Patch baseline {baseline_id} is an AWS-managed baseline.")
    if any(bid == baseline.baseline_id for bid in ctx.state.patch_groups.values()):
        raise resource_in_use(f"Patch baseline {baseline.baseline_id} is registered with "
                              "one or more patch groups.")
    if baseline.baseline_id in ctx.state.default_baselines.values():
        raise resource_in_use(f"Patch baseline {baseline.baseline_id} is the default patch "
                              "baseline.")
    del ctx.state.baselines[baseline.baseline_id]
    return {"BaselineId": baseline.baseline_id}


def parse_orchestrator_filters(request: JSON, keys: tuple[str, ...]) -> dict[str, list[str]]:
    """PatchOrchestratorFilters as {key: values}; an unknown key is a ValidationException."""
    found: dict[str, list[str]] = {}
    for item in request.get("Filters") or []:
        key = item.get("Key")
        if key not in keys:
            raise validation(f"Filter key {key} is not valid. Valid filter keys are: "
                             f"{', '.join(keys)}.")
        found.setdefault(key, []).extend(item.get("Values") or [])
    return found


@operation("DescribePatchBaselines")
def describe_patch_baselines(ctx: Context, request: JSON) -> JSON:
    filters = parse_orchestrator_filters(request, _FILTER_KEYS)
    owners = {value.upper() for value in filters.get("OWNER", ["All"])}
    items: list[Baseline] = []
    if owners & {"AWS", "ALL"}:
        items.extend(predefined(ctx.state.region))
    if owners & {"SELF", "ALL"}:
        items.extend(ctx.state.baselines.values())
    prefixes = filters.get("NAME_PREFIX")
    systems = filters.get("OPERATING_SYSTEM")
    items = [
        b for b in items
        if (prefixes is None or any(b.name.startswith(p) for p in prefixes))
        and (systems is None or b.operating_system in systems)
    ]
    chunk, token = page("DescribePatchBaselines", request, items, default_size=100)
    return listing("BaselineIdentities", [baseline_identity(ctx, b) for b in chunk], token)


@operation("RegisterDefaultPatchBaseline")
def register_default_patch_baseline(ctx: Context, request: JSON) -> JSON:
    baseline = get_baseline(ctx, request["BaselineId"])  # AWS's by ARN resets the default
    ctx.state.default_baselines[baseline.operating_system] = baseline.baseline_id
    return {"BaselineId": baseline.baseline_id}


@operation("GetDefaultPatchBaseline")
def get_default_patch_baseline(ctx: Context, request: JSON) -> JSON:
    system = request.get("OperatingSystem") or "WINDOWS"
    baseline = default_baseline(ctx, system)
    return {"BaselineId": baseline.baseline_id, "OperatingSystem": system}

