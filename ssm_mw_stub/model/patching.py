"""Patch Manager's records and its one piece of logic: which patches a baseline approves.

A test declares what each node has and lacks with :class:`Patch` (``mw.add_instance(...,
patches=[...])``); a baseline (:class:`Baseline`, created by CreatePatchBaseline or one of
AWS's predefined ones in :mod:`.patch_catalog`) approves patches by its rules on the fake
clock; an ``AWS-RunPatchBaseline`` run (:func:`evaluate`) turns both into the node's patch
state (:class:`NodePatchState`), which DescribeInstancePatchStates, DescribeInstancePatches
and the compliance operations read. docs/patching.md says what is modelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from dateutil.parser import isoparse

from .records import JSON

__all__ = ["Baseline", "NodePatchState", "Patch", "PatchResult", "evaluate", "patch_of"]

#: Classifications counted as security (SecurityNonCompliantCount): Windows' and Linux's.
SECURITY = frozenset({"SecurityUpdates", "CriticalUpdates", "Security"})


@dataclass(frozen=True)
class Patch:
    """One patch that applies to a node: ``id`` is its KB id (Windows) or package name
    (Linux), what ApprovedPatches/RejectedPatches and DescribeInstancePatches' ``KBId`` name;
    ``released`` is when its vendor released it (ApproveAfterDays counts from it);
    ``installed`` says whether the node has it now."""

    id: str
    released: datetime | date | str
    title: str = ""
    classification: str = "SecurityUpdates"
    severity: str = "Critical"
    cve_ids: tuple[str, ...] = ()
    product: str = ""
    installed: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise TypeError(f"a patch id must be a non-empty str such as 'KB5031364'; got "
                            f"{self.id!r}")
        object.__setattr__(self, "released", _instant(self.released))
        object.__setattr__(self, "cve_ids", tuple(self.cve_ids))
        if not self.title:
            object.__setattr__(self, "title", self.id)

    @property
    def release_time(self) -> datetime:
        """``released`` as an aware UTC instant."""
        assert isinstance(self.released, datetime)
        return self.released


def _instant(value: datetime | date | str) -> datetime:
    if isinstance(value, str):
        try:
            value = isoparse(value)
        except ValueError:
            raise ValueError(f"released must be an ISO 8601 date or instant; got {value!r}") \
                from None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(
            timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    raise TypeError(f"released must be a datetime, date or ISO 8601 str; got {value!r}")


def patch_of(item: Any) -> Patch:
    """A declared patch: a :class:`Patch`, or a mapping of its fields."""
    if isinstance(item, Patch):
        return item
    if isinstance(item, dict):
        return Patch(**item)
    raise TypeError(f"patches must be Patch objects or dicts of their fields; got {item!r}")


@dataclass(slots=True)
class Baseline:
    """A patch baseline as the service keeps it (request members as sent)."""

    baseline_id: str
    name: str
    operating_system: str
    created: datetime
    modified: datetime
    description: str | None = None
    global_filters: JSON = field(default_factory=lambda: {"PatchFilters": []})
    approval_rules: JSON = field(default_factory=lambda: {"PatchRules": []})
    approved_patches: list[str] = field(default_factory=list)
    approved_compliance_level: str = "UNSPECIFIED"
    approved_enable_non_security: bool = False
    rejected_patches: list[str] = field(default_factory=list)
    rejected_action: str = "ALLOW_AS_DEPENDENCY"
    sources: list[JSON] = field(default_factory=list)
    security_status: str | None = None
    #: AWS's predefined baselines: owned by AWS, read-only, addressed by ARN.
    predefined: bool = False
    tags: list[JSON] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PatchResult:
    """One patch as a run left it: DescribeInstancePatches' PatchComplianceData."""

    patch: Patch
    state: str
    installed_time: datetime | None
    compliance_level: str


#: The patch states that make a node non-compliant: missing, failed, or installed but
#: waiting for a reboot.
NON_COMPLIANT_STATES = frozenset({"MISSING", "FAILED", "INSTALLED_PENDING_REBOOT"})
#: Compliance levels, most severe first.
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED")


def result_status(result: PatchResult) -> str:
    """One patch's compliance: NON_COMPLIANT in a state that makes its node so."""
    return "NON_COMPLIANT" if result.state in NON_COMPLIANT_STATES else "COMPLIANT"


@dataclass(slots=True)
class NodePatchState:
    """What the last AWS-RunPatchBaseline run recorded for one node."""

    instance_id: str
    patch_group: str
    baseline_id: str
    operation: str
    start: datetime
    end: datetime
    snapshot_id: str
    reboot_option: str
    results: list[PatchResult]
    not_applicable: int = 0
    owner_information: str | None = None
    install_override_list: str | None = None
    execution_id: str = ""

    def count(self, state: str) -> int:
        return sum(1 for result in self.results if result.state == state)

    def non_compliant(self) -> list[PatchResult]:
        """The patches that make the node non-compliant (``NON_COMPLIANT_STATES``)."""
        return [r for r in self.results if r.state in NON_COMPLIANT_STATES]

    def status(self) -> str:
        """The node's patch compliance: NON_COMPLIANT if any patch is."""
        return "NON_COMPLIANT" if self.non_compliant() else "COMPLIANT"

    def severity(self) -> str:
        """The most severe compliance level among the non-compliant patches; UNSPECIFIED
        when there is none, or none of a known level (an override file's rules are not
        checked against the model's levels)."""
        levels = {r.compliance_level for r in self.non_compliant()}
        return next((level for level in SEVERITIES if level in levels), "UNSPECIFIED")

    def critical_count(self) -> int:
        """Non-compliant patches whose compliance level is CRITICAL."""
        return sum(1 for r in self.non_compliant() if r.compliance_level == "CRITICAL")

    def security_count(self) -> int:
        """Non-compliant security patches."""
        return sum(1 for r in self.non_compliant() if r.patch.classification in SECURITY)

    def other_count(self) -> int:
        """Non-compliant patches that are not security patches."""
        return sum(1 for r in self.non_compliant() if r.patch.classification not in SECURITY)


#: A baseline's JSON members (GetPatchBaseline's names) -> Baseline attributes.
BASELINE_MEMBERS = {
    "Description": "description", "GlobalFilters": "global_filters",
    "ApprovalRules": "approval_rules", "ApprovedPatches": "approved_patches",
    "ApprovedPatchesComplianceLevel": "approved_compliance_level",
    "ApprovedPatchesEnableNonSecurity": "approved_enable_non_security",
    "RejectedPatches": "rejected_patches", "RejectedPatchesAction": "rejected_action",
    "Sources": "sources", "AvailableSecurityUpdatesComplianceStatus": "security_status",
}


def baseline_from_json(data: JSON, default_id: str, now: datetime) -> Baseline:
    """A baseline from its JSON (what GetPatchBaseline answers, as a BaselineOverride file
    holds it); members of the wrong type are ignored."""
    baseline = Baseline(str(data.get("BaselineId") or default_id),
                        str(data.get("Name") or "BaselineOverride"),
                        str(data.get("OperatingSystem") or "WINDOWS"), now, now)
    for member, attribute in BASELINE_MEMBERS.items():
        value = data.get(member)
        current = getattr(baseline, attribute)
        kind = str if current is None else type(current)
        if value is not None and isinstance(value, kind):
            setattr(baseline, attribute, value)
    return baseline


def _matches(patch: Patch, filters: list[JSON]) -> bool:
    """A PatchFilterGroup: every filter holds (``*`` matches anything; keys about what the
    stub does not model, such as ARCH or REPOSITORY, hold)."""
    for item in filters:
        values = item.get("Values") or []
        if "*" in values:
            continue
        key = item.get("Key")
        subject: tuple[str, ...] | None = {
            "CLASSIFICATION": (patch.classification,),
            "MSRC_SEVERITY": (patch.severity,),
            "SEVERITY": (patch.severity,),
            "PRIORITY": (patch.severity,),
            "PRODUCT": (patch.product,) if patch.product else None,
            "PATCH_ID": (patch.id,),
            "NAME": (patch.id,),
            "CVE_ID": patch.cve_ids,
        }.get(str(key))
        if subject is not None and not set(subject) & set(values):
            return False
    return True


def approval(baseline: Baseline, patch: Patch, now: datetime) -> tuple[bool, str]:
    """Whether ``baseline`` approves ``patch`` at ``now``, and the compliance level it
    gives it: an explicitly approved patch, or one an approval rule matches once its
    ApproveAfterDays have passed since release (or released on or before ApproveUntilDate)."""
    if patch.id in baseline.approved_patches:
        return True, baseline.approved_compliance_level
    if not _matches(patch, baseline.global_filters.get("PatchFilters") or []):
        return False, "UNSPECIFIED"
    for rule in baseline.approval_rules.get("PatchRules") or []:
        group = (rule.get("PatchFilterGroup") or {}).get("PatchFilters") or []
        if not _matches(patch, group):
            continue
        level = rule.get("ComplianceLevel") or "UNSPECIFIED"
        until = rule.get("ApproveUntilDate")
        if until is not None:
            if patch.release_time.date() <= date.fromisoformat(until):
                return True, level
            continue
        days = rule.get("ApproveAfterDays") or 0
        if now >= patch.release_time + timedelta(days=days):
            return True, level
    return False, "UNSPECIFIED"


def evaluate(
    baseline: Baseline,
    patches: list[Patch],
    now: datetime,
    *,
    install: bool,
    failed: bool,
    reboot: bool,
    override: frozenset[str] | None = None,
) -> tuple[list[Patch], list[PatchResult], int]:
    """One run over a node's patches: the node's patches afterwards (an Install that did not
    fail installs what is approved and missing; with an InstallOverrideList, only the
    approved missing patches it names), each patch's result, and how many of the
    baseline's approved patch ids the node does not have."""
    after: list[Patch] = []
    results: list[PatchResult] = []
    for patch in patches:
        approved, level = approval(baseline, patch, now)
        rejected = patch.id in baseline.rejected_patches
        if rejected:
            approved = False
        wanted = approved and (override is None or patch.id in override)
        installed_time: datetime | None = patch.release_time if patch.installed else None
        if not patch.installed and wanted and install:
            if failed:
                results.append(PatchResult(patch, "FAILED", None, level))
                after.append(patch)
                continue
            patch = replace(patch, installed=True)
            state = "INSTALLED" if reboot else "INSTALLED_PENDING_REBOOT"
            results.append(PatchResult(patch, state, now, level))
            after.append(patch)
            continue
        after.append(patch)
        if patch.installed:
            state = ("INSTALLED" if approved else
                     "INSTALLED_REJECTED" if rejected else "INSTALLED_OTHER")
            results.append(PatchResult(patch, state, installed_time, level))
        elif approved:
            results.append(PatchResult(patch, "MISSING", None, level))
    known = {patch.id for patch in patches}
    not_applicable = sum(1 for pid in baseline.approved_patches if pid not in known)
    return after, results, not_applicable
