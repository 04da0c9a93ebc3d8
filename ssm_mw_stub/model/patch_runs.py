"""An ``AWS-RunPatchBaseline`` run on one node, and the baseline lookups it shares with the
service: which baseline patches a node (its patch group's for its OS, else the default).

The engine calls :func:`record_run` when a node of an AWS-RunPatchBaseline command ends
(docs/patching.md): the node's patches are evaluated against its baseline at that instant,
its patch state is recorded in its Region's state, an Install that succeeded installs
what was approved and missing (an Install whose node failed leaves them FAILED), and a
change of the node's compliance is the "Configuration Compliance State Change" event.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Protocol

from .arns import instance_arn, ssm_arn
from .events import COMPLIANCE_CHANGE, EventSink, compliance_detail
from .fleet import Fleet
from .patch_catalog import DEFAULT_NAMES, predefined
from .patching import Baseline, NodePatchState, baseline_from_json, evaluate
from .records import JSON
from .store import RegionState

__all__ = ["PATCH_DOCUMENT", "ObjectReader", "default_baseline", "find_baseline", "node_baseline",
           "override_baseline", "override_ids", "patch_group_of", "record_run", "summary"]

#: The document whose runs patch nodes.
PATCH_DOCUMENT = "AWS-RunPatchBaseline"


class ObjectReader(Protocol):
    """Reads the objects a run's overrides name (the engine's moto delivery)."""

    def fetch(self, region: str, url: str) -> str | None:
        """The text at ``url`` (an s3:// URL), or None when there is none to read."""


def find_baseline(state: RegionState, baseline_id: str) -> Baseline | None:
    """The baseline ``baseline_id`` names: one of the account's (by id or by its ARN) or a
    predefined one (by ARN)."""
    own = state.baselines.get(baseline_id)
    if own is not None:
        return own
    if baseline_id.startswith("arn:"):
        tail = baseline_id.rsplit("/", 1)[-1]
        own_arn = ssm_arn(state.region, state.account, "patchbaseline", tail)
        if baseline_id == own_arn and tail in state.baselines:
            return state.baselines[tail]
        for baseline in predefined(state.region):
            if baseline.baseline_id == baseline_id:
                return baseline
    return None


def default_baseline(state: RegionState, operating_system: str) -> Baseline:
    """The default baseline of ``operating_system``: the registered one, else AWS's."""
    registered = state.default_baselines.get(operating_system)
    found = find_baseline(state, registered) if registered else None
    if found is not None:
        return found
    name = DEFAULT_NAMES[operating_system]
    return next(b for b in predefined(state.region) if b.name == name)


def node_baseline(state: RegionState, patch_group: str | None, operating_system: str) -> Baseline:
    """The baseline that patches a node: its patch group's for its OS, else the default."""
    if patch_group:
        registered = state.patch_groups.get((patch_group, operating_system))
        found = find_baseline(state, registered) if registered else None
        if found is not None:
            return found
    return default_baseline(state, operating_system)


def patch_group_of(tags: dict[str, str] | Any) -> str:
    """A node's patch group: its ``Patch Group`` tag, else its ``PatchGroup`` tag, else ""."""
    return str(tags.get("Patch Group") or tags.get("PatchGroup") or "")


def _first(parameters: JSON, name: str, default: str) -> str:
    value = parameters.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value else default


_YAML_ID = re.compile(r"^\s*-?\s*id:\s*['\"]?([^'\"\n#]+?)['\"]?\s*$", re.MULTILINE)


def override_ids(text: str | None) -> frozenset[str] | None:
    """An InstallOverrideList's patch ids: its YAML (``patches:`` then ``- id: ...``
    items) or the same as JSON; None for no list or one that names no patch."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        ids = frozenset(found.strip() for found in _YAML_ID.findall(text))
        return ids or None
    patches = data.get("patches") if isinstance(data, dict) else None
    if not isinstance(patches, list):
        return None
    return frozenset(str(p["id"]) for p in patches if isinstance(p, dict) and "id" in p)


def override_baseline(text: str | None, operating_system: str, now: datetime) -> Baseline | None:
    """The BaselineOverride baseline for ``operating_system``: the file holds one baseline
    (GetPatchBaseline's JSON) or a list of them; None when it has none for the OS."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict) and (item.get("OperatingSystem") or "WINDOWS") == (
                operating_system):
            return baseline_from_json(item, "BaselineOverride", now)
    return None


def record_run(
    state: RegionState,
    fleet: Fleet,
    instance_id: str,
    parameters: JSON,
    command_id: str,
    start: datetime,
    end: datetime,
    succeeded: bool,
    sink: EventSink,
    reader: ObjectReader,
) -> str:
    """Record what an AWS-RunPatchBaseline run did on ``instance_id`` (see the module);
    the result in a few words ("" when nothing was recorded)."""
    node = fleet.get(instance_id, state.region)
    if node is None:
        return ""
    operation = _first(parameters, "Operation", "Scan")
    if operation not in ("Scan", "Install"):
        operation = "Scan"
    install = operation == "Install"
    if not succeeded and not install:
        return ""  # a failed scan reports nothing
    reboot_option = _first(parameters, "RebootOption", "RebootIfNeeded")
    group = patch_group_of(node.tags)
    system = node.facts.operating_system
    override_url = _first(parameters, "BaselineOverride", "")
    baseline = (override_baseline(reader.fetch(state.region, override_url), system, end)
                if override_url else None) or node_baseline(state, group, system)
    # InstallOverrideList is an https:// or s3:// URL: read from moto's S3 when it is there.
    override = _first(parameters, "InstallOverrideList", "") or None
    after, results, not_applicable = evaluate(
        baseline, fleet.patches_of(instance_id), end, install=install, failed=not succeeded,
        reboot=reboot_option != "NoReboot",
        override=(override_ids(reader.fetch(state.region, override))
                  if override and install else None),
    )
    if install and succeeded:
        fleet.set_patches(instance_id, after)
    before = state.patch_states.get(instance_id)
    was = None if before is None else bool(before.non_compliant())
    record = NodePatchState(
        instance_id, group, baseline.baseline_id, operation, start, end,
        _first(parameters, "SnapshotId", command_id), reboot_option, results, not_applicable,
        install_override_list=override, execution_id=command_id,
    )
    state.patch_states[instance_id] = record
    now_non_compliant = bool(record.non_compliant())
    if was is None or was != now_non_compliant:
        detail = compliance_detail(
            end, now_non_compliant, instance_id, baseline.baseline_id, record.severity()
        )
        resource = (instance_arn(state.region, state.account, instance_id),)
        sink(COMPLIANCE_CHANGE, detail, resource, end, state.account, state.region)
    return summary(record)


def summary(record: NodePatchState) -> str:
    """``Install: 1 installed, 1 failed (NON_COMPLIANT)``: the counts that are not zero."""
    words = [
        ("INSTALLED", "installed"), ("INSTALLED_PENDING_REBOOT", "pending reboot"),
        ("INSTALLED_OTHER", "installed other"), ("INSTALLED_REJECTED", "installed rejected"),
        ("MISSING", "missing"), ("FAILED", "failed"),
    ]
    counts = [f"{record.count(state)} {word}" for state, word in words if record.count(state)]
    return f"{record.operation}: {', '.join(counts) or 'nothing to patch'} ({record.status()})"
