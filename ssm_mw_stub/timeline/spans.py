"""The simulated history as spans: a snapshot of the model's records, ready to draw.

:func:`collect` walks the store under its lock (Regions, then windows in creation order,
then executions, task executions and invocations) and copies what the timelines show into
immutable :class:`Span` trees, so a timeline stays as it was when it was taken while the
simulation moves on.

A span is anything that ran: a window execution, a task execution, an invocation, and the
nodes of a Run Command command or the steps of an Automation execution under it. The text
and HTML timelines only know spans (kind, label, status, start, end, StatusDetails, more
fields for the details, children), never records.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from ..model.automation import record_of, steps_of
from ..task_types import Work, task_type
from ..task_types.automation import WINDOW_STATUS

if TYPE_CHECKING:
    from ..model import (
        InvocationRecord,
        RegionState,
        Store,
        TaskExecutionRecord,
        Window,
        WindowExecutionRecord,
    )

__all__ = ["Span", "WindowRow", "collect"]

UTC = timezone.utc


@dataclass(frozen=True, slots=True)
class Span:
    """One piece of work that ran (or is running), as the timelines draw it."""

    #: ``execution``, ``task``, ``invocation``, or ``node`` / ``step`` (a Run Command node,
    #: an Automation step).
    kind: str
    #: The record's own id (WindowExecutionId, TaskExecutionId, InvocationId).
    id: str
    #: What the work is: the task's name and ARN, the invocation's target.
    label: str
    status: str
    #: Aware UTC instants; ``end`` is None while the work runs.
    start: datetime | None
    end: datetime | None
    #: StatusDetails (for an invocation, the handler's output when it gave one).
    details: str | None
    #: The HTML timeline's row for this span: the same for the same task (or the same
    #: target of a task) in every execution of a window.
    lane: str
    lane_label: str
    #: Ids and values shown when the span is selected, in order.
    fields: tuple[tuple[str, str], ...] = ()
    children: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class WindowRow:
    """One maintenance window and its executions, oldest first."""

    window_id: str
    name: str
    account: str
    region: str
    schedule: str
    #: The window's ScheduleTimezone ("UTC" without one) and its tzinfo.
    zone_name: str
    zone: tzinfo
    enabled: bool
    #: The next start after the snapshot's instant, in the window's zone; None if none.
    next_start: datetime | None
    executions: tuple[Span, ...]


def collect(store: Store, now: datetime) -> tuple[WindowRow, ...]:
    """Every window of every account and Region of the store, as :class:`WindowRow`."""
    with store.lock:
        return tuple(
            _window_row(state, window, now)
            for state in store.regions()
            for window in state.windows.values()
        )


def _window_row(state: RegionState, window: Window, now: datetime) -> WindowRow:
    zone = window.compiled.zone
    try:
        next_start = window.compiled.next_start(now)
    except (ValueError, OverflowError):  # pragma: no cover - schedules are validated
        next_start = None
    executions = sorted(window.executions, key=lambda record: _instant(record.start_time))
    return WindowRow(
        window_id=window.window_id,
        name=window.name,
        account=state.account,
        region=state.region,
        schedule=window.schedule,
        zone_name=window.timezone or "UTC",
        zone=zone,
        enabled=window.enabled,
        next_start=next_start,
        executions=tuple(_execution_span(state, window, record) for record in executions),
    )


def _execution_span(
    state: RegionState, window: Window, record: WindowExecutionRecord
) -> Span:
    tasks = sorted(
        record.tasks.values(),
        key=lambda task: (_instant(task.start_time or _FAR), task.priority),
    )
    return Span(
        kind="execution",
        id=record.window_execution_id,
        label=window.name,
        status=record.status,
        start=_utc(record.start_time),
        end=_utc(record.end_time),
        details=record.status_details,
        lane=window.window_id,
        lane_label=f"{window.name}  {window.window_id}",
        fields=(
            ("WindowId", window.window_id),
            ("WindowExecutionId", record.window_execution_id),
        ),
        children=tuple(_task_span(state, window, record, task) for task in tasks),
    )


def _task_span(
    state: RegionState,
    window: Window,
    execution: WindowExecutionRecord,
    record: TaskExecutionRecord,
) -> Span:
    registered = window.tasks.get(record.window_task_id)
    name = registered.name if registered is not None else None
    label = f"{name}: {record.task_arn}" if name else record.task_arn
    lane = f"{window.window_id}/{record.window_task_id}"
    ordinals: dict[str, int] = {}
    invocations = sorted(record.invocations.values(), key=lambda inv: _instant(inv.start_time))
    return Span(
        kind="task",
        id=record.task_execution_id,
        label=f"{label}  {record.task_type}  priority {record.priority}",
        status=record.status,
        start=_utc(record.start_time),
        end=_utc(record.end_time),
        details=record.status_details,
        lane=lane,
        lane_label=f"priority {record.priority}  {label}",
        fields=(
            ("WindowId", window.window_id),
            ("WindowExecutionId", execution.window_execution_id),
            ("TaskExecutionId", record.task_execution_id),
            ("WindowTaskId", record.window_task_id),
            ("TaskArn", record.task_arn),
            ("TaskType", record.task_type),
            ("Priority", str(record.priority)),
            ("MaxConcurrency", record.max_concurrency),
            ("MaxErrors", record.max_errors),
        ),
        children=tuple(
            _invocation_span(state, window, execution, lane, record, invocation, ordinals)
            for invocation in invocations
        ),
    )


def _invocation_span(
    state: RegionState,
    window: Window,
    execution: WindowExecutionRecord,
    task_lane: str,
    task: TaskExecutionRecord,
    record: InvocationRecord,
    ordinals: dict[str, int],
) -> Span:
    # Only a Run Command request names its nodes; parse no other (a long history has many).
    request = _json_object(record.parameters) if '"instanceIds"' in record.parameters else None
    target = _target_label(window, record, request, ordinals)
    fields = [
        ("WindowId", window.window_id),
        ("WindowExecutionId", execution.window_execution_id),
        ("TaskExecutionId", task.task_execution_id),
        ("InvocationId", record.invocation_id),
        ("ExecutionId", record.execution_id),
    ]
    if record.window_target_id:
        fields.append(("WindowTargetId", record.window_target_id))
    if record.owner_information:
        fields.append(("OwnerInformation", record.owner_information))
    fields.append(("Parameters", record.parameters))
    lane = f"{task_lane}/{target}"
    return Span(
        kind="invocation",
        id=record.invocation_id,
        label=target,
        status=record.status,
        start=_utc(record.start_time),
        end=_utc(record.end_time),
        details=_with_patch_result(record.status_details, _only_node_patch_result(state, record)),
        lane=lane,
        lane_label=target,
        fields=tuple(fields),
        children=_invocation_children(state, record, lane),
    )


#: Run Command's and Automation's status words, as the timelines colour them: a final
#: word as the window invocation it ends would show it, a word of work in flight as such.
_STATUS = {
    "Pending": "PENDING", "InProgress": "IN_PROGRESS", "Waiting": "IN_PROGRESS",
    "Delayed": "IN_PROGRESS", "Cancelling": "CANCELLING", **WINDOW_STATUS,
}


def _with_patch_result(details: str | None, patch_result: str) -> str | None:
    """A node's details with what its patch run did, when it patched."""
    if not patch_result:
        return details
    return f"{details}; {patch_result}" if details else patch_result


def _only_node_patch_result(state: RegionState, record: InvocationRecord) -> str:
    """The patch result of a one-node command (whose node has no line of its own)."""
    if task_type(record.task_type).work is not Work.COMMANDS or not record.execution_id:
        return ""
    command = state.commands.get(record.execution_id)
    if command is None or len(command.invocations) != 1:
        return ""
    return next(iter(command.invocations.values())).patch_result


def _invocation_children(
    state: RegionState, record: InvocationRecord, lane: str
) -> tuple[Span, ...]:
    """The parts of an invocation the model records on their own, as its task type's kind
    of work has them: the nodes of a Run Command command over several nodes (one node is
    the invocation itself), and the steps of an Automation execution that reported more
    than one."""
    parts = _PARTS.get(task_type(record.task_type).work)
    return () if parts is None else parts(state, record, lane)


def _node_spans(state: RegionState, record: InvocationRecord, lane: str) -> tuple[Span, ...]:
    """The nodes of the invocation's Run Command command, when it has several."""
    command = state.commands.get(record.execution_id)
    if command is None or len(command.invocations) < 2:
        return ()
    return tuple(
        Span(
            kind="node",
            id=node.instance_id,
            label=node.instance_id,
            status=_STATUS.get(node.status, node.status),
            start=_utc(node.start or record.start_time),
            end=_utc(node.end),
            details=_with_patch_result(node.status_details, node.patch_result),
            lane=f"{lane}/{node.instance_id}",
            lane_label=node.instance_id,
            fields=(
                ("CommandId", command.command_id),
                ("InstanceId", node.instance_id),
                ("Status", node.status),
                ("ResponseCode", str(node.response_code)),
            ),
        )
        for node in command.invocations.values()
    )


def _step_spans(state: RegionState, record: InvocationRecord, lane: str) -> tuple[Span, ...]:
    """The steps of the invocation's Automation execution that ran, when more than one."""
    entry = state.automations.get(record.execution_id)
    if entry is None:
        return ()
    steps = [step for step in steps_of(record_of(entry)) if step.start_time is not None]
    if len(steps) < 2:
        return ()
    return tuple(
        Span(
            kind="step",
            id=step.step_execution_id or step.step_name,
            label=f"{step.step_name} ({step.action})",
            status=_STATUS.get(step.status, step.status),
            start=_utc(step.start_time),
            end=_utc(step.end_time),
            details=step.failure_message or step.status,
            lane=f"{lane}/{step.step_name}",
            lane_label=step.step_name,
            fields=(
                ("AutomationExecutionId", record.execution_id),
                ("StepName", step.step_name),
                ("Action", step.action),
                ("StepStatus", step.status),
            ),
        )
        for step in steps
    )


#: The parts of an invocation shown below it, by its task type's kind of work.
_PARTS: dict[Work, Callable[[RegionState, InvocationRecord, str], tuple[Span, ...]]] = {
    Work.COMMANDS: _node_spans,
    Work.AUTOMATION: _step_spans,
}


def _target_label(
    window: Window,
    record: InvocationRecord,
    request: dict[str, Any] | None,
    ordinals: dict[str, int],
) -> str:
    """What an invocation ran on: a Run Command command's nodes, else its window target
    (by name when it has one) and its place among that target's invocations, else (targets
    given as instance ids, or none) its place among the task's invocations."""
    nodes = request.get("instanceIds") if request is not None else None
    if isinstance(nodes, list) and nodes and all(isinstance(node, str) for node in nodes):
        shown = ", ".join(nodes[:3])
        return shown if len(nodes) <= 3 else f"{shown} +{len(nodes) - 3} more"
    key = record.window_target_id or ""
    ordinals[key] = ordinal = ordinals.get(key, 0) + 1
    if not key:
        return f"invocation #{ordinal}"
    registered = window.targets.get(key)
    name = registered.name if registered is not None and registered.name else key
    return f"{name} #{ordinal}"


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _utc(when: datetime | None) -> datetime | None:
    return None if when is None else when.astimezone(UTC)


def _instant(when: datetime) -> datetime:
    return when.astimezone(UTC)


_FAR = datetime.max.replace(tzinfo=UTC)
