"""Window tasks: register, update, get, deregister, describe.

Field-name traps live here: the task type is ``TaskType`` in GetMaintenanceWindowTask but
``Type`` in DescribeMaintenanceWindowTasks, and the describe listing carries no
TaskInvocationParameters. Targetless tasks report MaxConcurrency/MaxErrors as ``"1"``.
"""

from __future__ import annotations

from typing import Any

from ..model import JSON, Window, WindowTask
from ..model.arns import service_linked_role
from ..model.events import TASK_REGISTRATION, task_registration_detail
from ..task_types import TaskType, UnknownTaskTypeError, task_type
from .common import apply_filters, get_window, idempotent, listing, page, parse_filters, put
from .core import Context, operation
from .errors import does_not_exist, require_members, resource_limit, validation
from .targets import get_target, registration_event

__all__ = ["TASK_QUOTA", "get_task"]

#: Tasks per maintenance window ("AWS Systems Manager endpoints and quotas").
TASK_QUOTA = 20

_TARGET_TYPE_MESSAGE = (
    "{key} is an invalid window task target type, use WindowTargetIds or InstanceIds. "
    "For Run Command tasks, you must specify at least one resource as the target of the "
    "task. You can specify between 1 and 50 instance IDs, or between 1 and 10 maintenance "
    "window target IDs"
)
_RUN_COMMAND_NEEDS_TARGETS = (
    "For Run Command tasks, you must specify at least one resource as the target of the "
    "task. You can specify between 1 and 50 instance IDs, or between 1 and 10 maintenance "
    "window target IDs"
)


def get_task(window: Window, task_id: str) -> WindowTask:
    task = window.tasks.get(task_id)
    if task is None:
        raise does_not_exist(f"Maintenance window task {task_id} does not exist")
    return task


def _kind(name: str) -> TaskType:
    """The task type ``name``; one the model allows but this library does not model is
    refused rather than run as another type."""
    try:
        return task_type(name)
    except UnknownTaskTypeError as exc:
        raise validation(f"TaskType {name} is not supported by ssm-mw-stub: {exc}") from None


def _check_targets(
    window: Window, kind: TaskType, targets: list[JSON], *, sent: bool = True
) -> None:
    """The service's rules for task targets ("Registering maintenance window tasks without
    targets" and the API reference of RegisterTaskWithMaintenanceWindow).

    ``sent`` is False when an update keeps the stored targets: a window target deregistered
    since (without ``Safe``) then stays referenced, and only newly sent ids must exist.
    """
    if not targets:
        if kind.requires_targets:
            raise validation(_RUN_COMMAND_NEEDS_TARGETS)
        return
    for target in targets:
        key = target.get("Key")
        if key not in ("WindowTargetIds", "InstanceIds"):
            raise validation(_TARGET_TYPE_MESSAGE.format(key=key))
    if len(targets) > 1:
        raise validation("Specify task targets either as WindowTargetIds or as InstanceIds.")
    key = targets[0]["Key"]
    values = targets[0].get("Values") or []
    if not values:
        raise validation(_RUN_COMMAND_NEEDS_TARGETS)
    if key == "WindowTargetIds":
        if len(values) > 10:
            raise validation("The maximum number of window targets is 10")
        for target_id in values if sent else ():
            get_target(window, target_id)
    else:
        if len(values) > 50:
            raise validation("The maximum number of instance IDs is 50")
        if not window.allow_unassociated_targets:
            raise validation(
                f"Maintenance window {window.window_id} does not allow unassociated targets: "
                "register the instances as window targets and use WindowTargetIds, or set "
                "AllowUnassociatedTargets to true."
            )


def _check_rate_controls(targets: list[JSON], concurrency: Any, errors: Any) -> None:
    if targets and concurrency is not None and errors is not None:
        return  # the usual case, without building the lists below
    if targets:
        missing = [
            name for name, value in (("MaxConcurrency", concurrency), ("MaxErrors", errors))
            if value is None
        ]
        if missing:
            raise validation(
                "Maintenance window tasks with targets require "
                + " and ".join(missing)
                + " values."
            )
        return
    # MaxErrors first, as in the real response quoted in terraform-provider-aws#19396.
    sentences = [
        f"Maintenance window tasks without targets do not support {name} values."
        for name, value in (("MaxErrors", errors), ("MaxConcurrency", concurrency))
        if value is not None
    ]
    if sentences:
        raise validation(" ".join(sentences))


def _check_branch(kind: TaskType, parameters: JSON | None) -> None:
    """TaskInvocationParameters may only hold the branch of the task's own type."""
    if not parameters:
        return
    if len(parameters) == 1 and kind.branch in parameters:
        return  # the usual case: only the task type's own branch
    others = kind.foreign_branches(parameters)
    if others:
        raise validation(
            f"TaskInvocationParameters of a {kind.name} task can only contain {kind.branch}; "
            f"found {', '.join(others)}."
        )


def _check_task(window: Window, task: JSON, kind: TaskType, *, targets_sent: bool = True) -> None:
    targets = task.get("Targets") or []
    _check_targets(window, kind, targets, sent=targets_sent)
    _check_rate_controls(targets, task.get("MaxConcurrency"), task.get("MaxErrors"))
    _check_branch(kind, task.get("TaskInvocationParameters"))


def _registration_event(ctx: Context, task: WindowTask, status: str) -> None:
    """Maintenance Window Task Registration Notification, resources as for targets."""
    detail = task_registration_detail(task.window_task_id, task.window_id, status)
    registration_event(ctx, TASK_REGISTRATION, detail, task.window_id, "windowtask",
                       task.window_task_id)


@operation("RegisterTaskWithMaintenanceWindow")
def register_task(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    kind = _kind(request["TaskType"])
    _check_task(window, request, kind)

    def create() -> str:
        if len(window.tasks) >= TASK_QUOTA:
            raise resource_limit(
                f"The maximum number of tasks ({TASK_QUOTA}) for maintenance window "
                f"{window.window_id} has been reached."
            )
        task = WindowTask(window_task_id=ctx.ids.uuid(), window_id=window.window_id,
                          task_arn=request["TaskArn"], task_type=kind.name)
        _assign(task, request, replace=True)
        window.tasks[task.window_task_id] = task
        _registration_event(ctx, task, "REGISTERED")
        return task.window_task_id

    return {"WindowTaskId": idempotent(ctx, "RegisterTaskWithMaintenanceWindow", request, create)}


_FIELDS = {
    "Targets": "targets",
    "ServiceRoleArn": "service_role_arn",
    "TaskParameters": "task_parameters",
    "TaskInvocationParameters": "invocation_parameters",
    "Priority": "priority",
    "MaxConcurrency": "max_concurrency",
    "MaxErrors": "max_errors",
    "LoggingInfo": "logging_info",
    "Name": "name",
    "Description": "description",
    "CutoffBehavior": "cutoff_behavior",
    "AlarmConfiguration": "alarm_configuration",
}
#: What a member left out is stored as. Priority 0: no document states a default, and the
#: Terraform AWS provider's `priority` (Optional, not Computed, read back from the service)
#: only passes its acceptance tests against AWS if an omitted Priority reads back as 0.
_DEFAULTS: JSON = {"Targets": [], "Priority": 0}


def _assign(task: WindowTask, values: JSON, *, replace: bool) -> None:
    """Copy ``values`` onto ``task``; with ``replace`` a member left out is cleared."""
    if values.get("TaskArn") is not None:
        task.task_arn = values["TaskArn"]
    for member, attr in _FIELDS.items():
        value = values.get(member)
        if value is not None:
            setattr(task, attr, value)
        elif replace:
            setattr(task, attr, _DEFAULTS.get(member))


def _current(task: WindowTask) -> JSON:
    return {member: getattr(task, attr) for member, attr in _FIELDS.items()}


@operation("UpdateMaintenanceWindowTask")
def update_task(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    task = get_task(window, request["WindowTaskId"])
    replace = bool(request.get("Replace"))
    if replace:
        require_members(request, ("TaskArn",))
    merged = {} if replace else {k: v for k, v in _current(task).items() if v is not None}
    merged.update({k: request[k] for k in _FIELDS if request.get(k) is not None})
    _check_task(
        window, merged, _kind(task.task_type), targets_sent=request.get("Targets") is not None
    )
    _assign(task, request, replace=replace)
    _registration_event(ctx, task, "UPDATED")
    out = _task_body(task, ctx.state.account)
    del out["TaskType"]
    return out


def _rate_controls(task: WindowTask) -> tuple[str, str]:
    """Targetless tasks report the placeholder "1" for both rate controls."""
    return task.max_concurrency or "1", task.max_errors or "1"


def _task_body(task: WindowTask, account: str) -> JSON:
    """GetMaintenanceWindowTask's members.

    A task registered without a ServiceRoleArn reports the account's Systems Manager
    service-linked role (the API reference: "If you do not specify a service role ARN,
    Systems Manager uses your account's service-linked role"; the user guide's CLI tutorial
    shows it); without TaskParameters it reports ``{}``, as every AWS CLI example does.
    """
    concurrency, errors = _rate_controls(task)
    out: JSON = {"WindowId": task.window_id, "WindowTaskId": task.window_task_id}
    out["Targets"] = task.targets
    out["TaskArn"] = task.task_arn
    out["ServiceRoleArn"] = task.service_role_arn or service_linked_role(account)
    out["TaskType"] = task.task_type
    out["TaskParameters"] = task.task_parameters or {}
    put(out, "TaskInvocationParameters", task.invocation_parameters)
    out["Priority"] = task.priority
    out["MaxConcurrency"] = concurrency
    out["MaxErrors"] = errors
    put(out, "LoggingInfo", task.logging_info)
    put(out, "Name", task.name)
    put(out, "Description", task.description)
    put(out, "CutoffBehavior", task.cutoff_behavior)
    put(out, "AlarmConfiguration", task.alarm_configuration)
    return out


@operation("GetMaintenanceWindowTask")
def get_task_op(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    return _task_body(get_task(window, request["WindowTaskId"]), ctx.state.account)


@operation("DeregisterTaskFromMaintenanceWindow")
def deregister_task(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    task = get_task(window, request["WindowTaskId"])
    del window.tasks[task.window_task_id]
    _registration_event(ctx, task, "DEREGISTERED")
    return {"WindowId": window.window_id, "WindowTaskId": task.window_task_id}


def _task_identity(task: WindowTask, account: str) -> JSON:
    """One ``Tasks`` item of DescribeMaintenanceWindowTasks: ``Type``, no invocation params."""
    out = _task_body(task, account)
    out["Type"] = out.pop("TaskType")
    out.pop("TaskInvocationParameters", None)
    return out


_TASK_MATCHERS = {
    "WindowTaskId": lambda task, values: task.window_task_id in values,
    "TaskArn": lambda task, values: task.task_arn in values,
    "Priority": lambda task, values: str(task.priority) in values,
    "TaskType": lambda task, values: task.task_type in values,
}


@operation("DescribeMaintenanceWindowTasks")
def describe_tasks(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    filters = parse_filters(request, _TASK_MATCHERS)
    matches = list(apply_filters(window.tasks.values(), filters, _TASK_MATCHERS))
    chunk, token = page("DescribeMaintenanceWindowTasks", request, matches)
    return listing("Tasks", [_task_identity(task, ctx.state.account) for task in chunk], token)
