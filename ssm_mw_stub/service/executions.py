"""Execution history: the eight read operations and CancelMaintenanceWindowExecution.

The engine writes execution records into the store as the fake clock moves; these
operations only read them (Cancel also asks the engine to stop what has not started).
Field-name traps: ``TaskIds`` are task-execution ids; GetMaintenanceWindowExecutionTask says
``Type`` and ``ServiceRole``; the execution-level ``TaskId`` parameter is a task-execution id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..model import (
    ACTIVE_STATUSES,
    JSON,
    InvocationRecord,
    TaskExecutionRecord,
    WindowExecutionRecord,
)
from .common import apply_filters, epoch, filter_instant, listing, page, parse_filters, put
from .core import Context, operation
from .errors import does_not_exist, validation

__all__ = ["get_execution"]
_FILTERABLE_STATUSES = (
    "PENDING", "IN_PROGRESS", "SUCCESS", "FAILED", "TIMED_OUT", "CANCELLING", "CANCELLED",
)


def get_execution(ctx: Context, execution_id: str) -> WindowExecutionRecord:
    execution = ctx.state.executions.get(execution_id)
    if execution is None:
        raise does_not_exist(f"Maintenance window execution {execution_id} does not exist")
    return execution


def _get_task_execution(ctx: Context, request: JSON) -> TaskExecutionRecord:
    execution = get_execution(ctx, request["WindowExecutionId"])
    task = execution.tasks.get(request["TaskId"])
    if task is None:
        raise does_not_exist(
            f"Maintenance window execution task {request['TaskId']} does not exist"
        )
    return task


def _times(out: JSON, start: datetime | None, end: datetime | None) -> None:
    if start is not None:
        out["StartTime"] = epoch(start)
    if end is not None:
        out["EndTime"] = epoch(end)


def _status_matcher(item: Any, values: list[str]) -> bool:
    return bool(item.status in values)


def _status_filters(request: JSON) -> list[tuple[str, list[str]]]:
    filters = parse_filters(request, ("STATUS",))
    for _, values in filters:
        for value in values:
            if value not in _FILTERABLE_STATUSES:
                raise validation(
                    f"The STATUS filter value {value} is not valid. Valid values are: "
                    + ", ".join(_FILTERABLE_STATUSES)
                    + "."
                )
    return filters


# --- window executions ------------------------------------------------------------------


@operation("DescribeMaintenanceWindowExecutions")
def describe_executions(ctx: Context, request: JSON) -> JSON:
    window = ctx.state.windows.get(request["WindowId"])
    filters = parse_filters(request, ("ExecutedBefore", "ExecutedAfter"))
    bounds = [(key, filter_instant(key, value)) for key, values in filters for value in values]
    history = list(reversed(window.executions)) if window is not None else []
    matches = [
        e
        for e in history
        if all(
            (e.start_time <= bound) if key == "ExecutedBefore" else (e.start_time >= bound)
            for key, bound in bounds
        )
    ]
    chunk, token = page("DescribeMaintenanceWindowExecutions", request, matches)
    items = []
    for execution in chunk:
        item: JSON = {
            "WindowId": execution.window_id,
            "WindowExecutionId": execution.window_execution_id,
            "Status": execution.status,
        }
        put(item, "StatusDetails", execution.status_details)
        _times(item, execution.start_time, execution.end_time)
        items.append(item)
    return listing("WindowExecutions", items, token)


@operation("GetMaintenanceWindowExecution")
def get_execution_op(ctx: Context, request: JSON) -> JSON:
    execution = get_execution(ctx, request["WindowExecutionId"])
    out: JSON = {
        "WindowExecutionId": execution.window_execution_id,
        "TaskIds": list(execution.tasks),
        "Status": execution.status,
    }
    put(out, "StatusDetails", execution.status_details)
    _times(out, execution.start_time, execution.end_time)
    return out


@operation("CancelMaintenanceWindowExecution")
def cancel_execution(ctx: Context, request: JSON) -> JSON:
    execution = get_execution(ctx, request["WindowExecutionId"])
    if execution.status in ACTIVE_STATUSES:
        ctx.simulation.cancel(ctx.state, execution, ctx.now)
    return {"WindowExecutionId": execution.window_execution_id}


# --- task executions --------------------------------------------------------------------


def _task_common(task: TaskExecutionRecord) -> JSON:
    out: JSON = {
        "WindowExecutionId": task.window_execution_id,
        "TaskExecutionId": task.task_execution_id,
    }
    return out


def _alarms(out: JSON, task: TaskExecutionRecord) -> None:
    put(out, "AlarmConfiguration", task.alarm_configuration)
    put(out, "TriggeredAlarms", task.triggered_alarms)


@operation("DescribeMaintenanceWindowExecutionTasks")
def describe_execution_tasks(ctx: Context, request: JSON) -> JSON:
    execution = get_execution(ctx, request["WindowExecutionId"])
    filters = _status_filters(request)
    matches = list(
        apply_filters(execution.tasks.values(), filters, {"STATUS": _status_matcher})
    )
    chunk, token = page("DescribeMaintenanceWindowExecutionTasks", request, matches)
    items = []
    for task in chunk:
        item = _task_common(task)
        item["Status"] = task.status
        put(item, "StatusDetails", task.status_details)
        _times(item, task.start_time, task.end_time)
        item["TaskArn"] = task.task_arn
        item["TaskType"] = task.task_type
        _alarms(item, task)
        items.append(item)
    return listing("WindowExecutionTaskIdentities", items, token)


@operation("GetMaintenanceWindowExecutionTask")
def get_execution_task(ctx: Context, request: JSON) -> JSON:
    task = _get_task_execution(ctx, request)
    out = _task_common(task)
    out["TaskArn"] = task.task_arn
    put(out, "ServiceRole", task.service_role)
    out["Type"] = task.task_type
    out["TaskParameters"] = task.task_parameters
    out["Priority"] = task.priority
    out["MaxConcurrency"] = task.max_concurrency
    out["MaxErrors"] = task.max_errors
    out["Status"] = task.status
    put(out, "StatusDetails", task.status_details)
    _times(out, task.start_time, task.end_time)
    _alarms(out, task)
    return out


# --- invocations ------------------------------------------------------------------------


def _invocation_body(invocation: InvocationRecord) -> JSON:
    out: JSON = {
        "WindowExecutionId": invocation.window_execution_id,
        "TaskExecutionId": invocation.task_execution_id,
        "InvocationId": invocation.invocation_id,
    }
    put(out, "ExecutionId", invocation.execution_id or None)  # none: nothing was started
    out["TaskType"] = invocation.task_type
    out["Parameters"] = invocation.parameters
    out["Status"] = invocation.status
    put(out, "StatusDetails", invocation.status_details)
    _times(out, invocation.start_time, invocation.end_time)
    put(out, "OwnerInformation", invocation.owner_information)
    put(out, "WindowTargetId", invocation.window_target_id)
    return out


@operation("DescribeMaintenanceWindowExecutionTaskInvocations")
def describe_invocations(ctx: Context, request: JSON) -> JSON:
    task = _get_task_execution(ctx, request)
    filters = _status_filters(request)
    matches = list(
        apply_filters(task.invocations.values(), filters, {"STATUS": _status_matcher})
    )
    chunk, token = page(
        "DescribeMaintenanceWindowExecutionTaskInvocations", request, matches
    )
    items = [_invocation_body(invocation) for invocation in chunk]
    return listing("WindowExecutionTaskInvocationIdentities", items, token)


@operation("GetMaintenanceWindowExecutionTaskInvocation")
def get_invocation(ctx: Context, request: JSON) -> JSON:
    task = _get_task_execution(ctx, request)
    invocation = task.invocations.get(request["InvocationId"])
    if invocation is None:
        raise does_not_exist(
            f"Maintenance window execution task invocation {request['InvocationId']} "
            "does not exist"
        )
    return _invocation_body(invocation)

