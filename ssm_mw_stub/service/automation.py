"""The Automation API over the executions the engine runs: StartAutomationExecution,
GetAutomationExecution, DescribeAutomationExecutions, DescribeAutomationStepExecutions and
StopAutomationExecution.

The executions a maintenance window's AUTOMATION tasks start and those started here are the
same kind of record (``RegionState.automations``) and list side by side. Starting and
stopping are asked of the simulation; everything else only reads. Shapes follow the AWS
CLI examples of get-automation-execution, describe-automation-executions and
describe-automation-step-executions; docs/automation.md lists each choice and its source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from ..model import JSON
from ..model.automation import (
    ACTIVE_AUTOMATION,
    ALL_INSTANCES,
    AutomationExecutionRecord,
    AutomationStart,
    StepRecord,
    document_name,
    document_version,
    record_of,
    steps_of,
)
from .common import apply_filters, epoch, filter_instant, idempotent, listing, page, put
from .core import Context, operation
from .errors import (
    ServiceError,
    automation_definition_not_found,
    automation_not_found,
    invalid_automation_status_update,
    invalid_filter_value,
    invalid_next_token,
    validation,
)
from .errors import invalid_automation_parameters as _bad
from .validation import before_model

__all__ = ["get_automation"]

#: Every AutomationExecutionStatus (ExecutionStatus and StepExecutionStatus filter values).
_STATUSES = (
    "Pending", "InProgress", "Waiting", "Success", "TimedOut", "Cancelling", "Cancelled",
    "Failed", "PendingApproval", "Approved", "Rejected", "Scheduled", "RunbookInProgress",
    "PendingChangeCalendarOverride", "ChangeCalendarOverrideApproved",
    "ChangeCalendarOverrideRejected", "CompletedWithSuccess", "CompletedWithFailure", "Exited",
)
#: Target keys of a rate-control execution ("Run automations that use targets and rate
#: controls": ParameterValues, ResourceGroup, tag:<key>; and tag-key, as elsewhere in SSM).
_TARGET_KEYS = f"ParameterValues, ResourceGroup, tag:<key>, tag-key, {ALL_INSTANCES}"
#: DescribeAutomation*Executions return at most 50 items (the model's MaxResults maximum).
_PAGE = 50


def get_automation(ctx: Context, execution_id: str) -> AutomationExecutionRecord:
    entry = ctx.state.automations.get(execution_id)
    if entry is None:
        raise automation_not_found()
    return record_of(entry)


# --- StartAutomationExecution ------------------------------------------------------------


def _one_target(request: JSON) -> None:
    """More than one Targets entry: AWS's own error, ahead of the model's length rule
    (aws/aws-cli#9028: two tag targets). Botocore models before 1.38 allow five entries,
    so the rule also runs with the cross-field ones: AWS refuses whatever the client's
    model says."""
    targets = request.get("Targets")
    if isinstance(targets, list) and len(targets) > 1:
        raise _bad("Only one resource group or tag can be specified at a time")


before_model("StartAutomationExecutionRequest", _one_target)


def _check_targets(request: JSON) -> None:
    """The cross-field rules of rate control, as the API reference states them."""
    _one_target(request)  # also where the client's older model allows five Targets
    targets = request.get("Targets") or []
    target_maps = request.get("TargetMaps") or []
    name = request.get("TargetParameterName")
    if targets and target_maps:
        raise _bad("Both Targets and TargetMaps can't be specified together.")
    if targets and name is None:
        raise _bad("TargetParameterName is required if you specify Targets.")
    if name is not None and not targets:
        raise _bad("Targets are required if you specify TargetParameterName.")
    if not (targets or target_maps) and (
        request.get("MaxConcurrency") is not None or request.get("MaxErrors") is not None
    ):
        raise _bad(
            "MaxConcurrency and MaxErrors apply only to an automation with Targets or "
            "TargetMaps."
        )
    for target in targets:
        key = target.get("Key") or ""
        values = target.get("Values") or []
        if key not in ("ParameterValues", "ResourceGroup", "tag-key", ALL_INSTANCES) and not (
            key.startswith("tag:") and len(key) > 4
        ):
            raise _bad(f"Target key can have only following values : {_TARGET_KEYS}")
        if key == "ResourceGroup" and len(values) != 1:
            raise _bad("Only one resource group or tag can be specified at a time")
        if key == ALL_INSTANCES and values != ["*"]:
            raise _bad(f"Target key {ALL_INSTANCES} takes only the value *.")


def _executed_by(ctx: Context) -> str:
    """The caller: the stub reads no credentials, so it names the account's root user."""
    return f"arn:aws:iam::{ctx.state.account}:root"


def _tags(request: JSON) -> dict[str, str]:
    tags: dict[str, str] = {}
    for tag in request.get("Tags") or []:
        key = tag["Key"]
        if key.lower().startswith("aws:"):
            raise validation(f"Tag keys beginning with 'aws:' are reserved: {key}")
        tags[key] = tag["Value"]
    return tags


@operation("StartAutomationExecution")
def start_execution(ctx: Context, request: JSON) -> JSON:
    given = request["DocumentName"]
    name = document_name(given)
    if name is None:
        raise automation_definition_not_found(given)
    _check_targets(request)
    requested = request.get("DocumentVersion")
    spec = AutomationStart(
        document_name=name,
        document_version=document_version(requested),
        requested_version=requested,
        parameters={k: list(v) for k, v in (request.get("Parameters") or {}).items()},
        mode=request.get("Mode") or "Auto",
        executed_by=_executed_by(ctx),
        target_parameter_name=request.get("TargetParameterName"),
        targets=request.get("Targets") or None,
        target_maps=request.get("TargetMaps") or None,
        max_concurrency=request.get("MaxConcurrency"),
        max_errors=request.get("MaxErrors"),
        tags=_tags(request),
        target_locations=request.get("TargetLocations"),
        alarm_configuration=request.get("AlarmConfiguration"),
    )
    if isinstance(request.get("ClientToken"), str):
        # "The token must be unique, is case insensitive" (the API reference).
        request = {**request, "ClientToken": request["ClientToken"].lower()}
    execution_id = idempotent(
        ctx, "StartAutomationExecution", request,
        lambda: ctx.simulation.start_automation(ctx.state, spec, ctx.now),
    )
    return {"AutomationExecutionId": execution_id}


# --- StopAutomationExecution -------------------------------------------------------------


@operation("StopAutomationExecution")
def stop_execution(ctx: Context, request: JSON) -> JSON:
    """Cancel (the default) and Complete both stop the execution: AWS does not describe
    what Complete does differently (docs/automation.md)."""
    record = get_automation(ctx, request["AutomationExecutionId"])
    if record.status in ACTIVE_AUTOMATION:
        if record.status != "Cancelling":
            ctx.simulation.stop_automation(ctx.state, record, ctx.now)
        return {}
    raise invalid_automation_status_update(record.automation_execution_id, record.status)


# --- reading -----------------------------------------------------------------------------


def _step_body(step: StepRecord) -> JSON:
    """A StepExecution. A step that has started carries ``Outputs`` and
    ``OverriddenParameters``, ``{}`` when empty, as every real step in the AWS CLI examples
    does; one still waiting has only its name, action and status (get-automation-execution's
    Pending steps)."""
    out: JSON = {"StepName": step.step_name, "Action": step.action}
    started = step.start_time is not None
    if step.start_time is not None:
        out["ExecutionStartTime"] = epoch(step.start_time)
    if step.end_time is not None:
        out["ExecutionEndTime"] = epoch(step.end_time)
    out["StepStatus"] = step.status
    put(out, "Inputs", step.inputs)
    put(out, "Outputs", step.outputs or ({} if started else None))
    put(out, "FailureMessage", step.failure_message)
    put(out, "StepExecutionId", step.step_execution_id)
    if started:
        out["OverriddenParameters"] = {}
    return out


def _current(record: AutomationExecutionRecord) -> StepRecord | None:
    """The step running now, for CurrentStepName and CurrentAction."""
    if record.status not in ACTIVE_AUTOMATION:
        return None
    if record.steps is None:
        return steps_of(record)[0]
    return record.current_step


def _execution_body(record: AutomationExecutionRecord, *, full: bool) -> JSON:
    """GetAutomationExecution's AutomationExecution (``full``) or an entry of
    DescribeAutomationExecutions, members in the order of the AWS CLI examples."""
    out: JSON = {
        "AutomationExecutionId": record.automation_execution_id,
        "DocumentName": record.document_name,
        "DocumentVersion": record.document_version,
    }
    if not full:
        out["AutomationExecutionStatus"] = record.status
    out["ExecutionStartTime"] = epoch(record.start_time)
    if record.end_time is not None:
        out["ExecutionEndTime"] = epoch(record.end_time)
    if full:
        out["AutomationExecutionStatus"] = record.status
        out["StepExecutions"] = [_step_body(step) for step in steps_of(record)]
        out["StepExecutionsTruncated"] = False
        out["Parameters"] = record.parameters or {}
    else:
        out["ExecutedBy"] = record.executed_by
        out["LogFile"] = ""
    out["Outputs"] = record.outputs or {}
    put(out, "FailureMessage", record.failure_message)
    out["Mode"] = record.mode
    put(out, "ParentAutomationExecutionId", record.parent_id)
    if full:
        out["ExecutedBy"] = record.executed_by
    current = _current(record)
    if current is not None:
        out["CurrentStepName"] = current.step_name
        out["CurrentAction"] = current.action
    put(out, "TargetParameterName", record.target_parameter_name)
    out["Targets"] = record.targets or []
    put(out, "TargetMaps", record.target_maps)
    out["ResolvedTargets"] = {
        "ParameterValues": list(record.resolved_targets or []),
        "Truncated": False,
    }
    put(out, "MaxConcurrency", record.max_concurrency)
    put(out, "MaxErrors", record.max_errors)
    put(out, "Target", record.target)
    if full:
        put(out, "TargetLocations", record.target_locations)
    else:
        out["AutomationType"] = "Local"
    put(out, "AlarmConfiguration", record.alarm_configuration)
    return out


@operation("GetAutomationExecution")
def get_execution(ctx: Context, request: JSON) -> JSON:
    record = get_automation(ctx, request["AutomationExecutionId"])
    return {"AutomationExecution": _execution_body(record, full=True)}


# --- filters and pages -------------------------------------------------------------------


def _instants(key: str, values: list[str]) -> list[datetime]:
    bounds = []
    for value in values:
        try:
            bounds.append(filter_instant(key, value))
        except ServiceError:
            raise invalid_filter_value(key, value) from None
    return bounds


def _one_of(key: str, values: list[str], allowed: Iterable[str]) -> None:
    known = set(allowed)
    for value in values:
        if value not in known:
            raise invalid_filter_value(key, value)


def _started(start: datetime | None, key: str, bounds: list[datetime]) -> bool:
    """StartTimeBefore/StartTimeAfter, inclusive; a step that never started has no time."""
    if start is None:
        return False
    if key.endswith("Before"):
        return all(start <= bound for bound in bounds)
    return all(start >= bound for bound in bounds)


def _filters(request: JSON) -> list[tuple[str, list[str]]]:
    return [(item["Key"], list(item["Values"])) for item in request.get("Filters") or []]


def _page(
    operation_name: str, request: JSON, items: list[Any]
) -> tuple[Sequence[Any], str | None]:
    return page(
        operation_name, request, items, default_size=_PAGE, refuse=invalid_next_token
    )


Matcher = Callable[[Any, list[str]], bool]


def _time_matcher(key: str, start: Callable[[Any], datetime | None]) -> Matcher:
    """StartTimeBefore/StartTimeAfter on the ``start`` of an item (each filter's values
    parsed once)."""
    parsed: dict[tuple[str, ...], list[datetime]] = {}

    def match(item: Any, values: list[str]) -> bool:
        bounds = parsed.get(tuple(values))
        if bounds is None:
            bounds = parsed[tuple(values)] = _instants(key, values)
        return _started(start(item), key, bounds)

    return match


def _attribute_matcher(read: Callable[[Any], Any]) -> Matcher:
    return lambda item, values: read(item) in values


def _execution_matchers(filters: list[tuple[str, list[str]]]) -> dict[str, Matcher]:
    matchers: dict[str, Matcher] = {
        "DocumentNamePrefix": lambda r, values: r.document_name.startswith(tuple(values)),
        "ExecutionStatus": _attribute_matcher(lambda r: r.status),
        "ExecutionId": _attribute_matcher(lambda r: r.automation_execution_id),
        "ParentExecutionId": _attribute_matcher(lambda r: r.parent_id),
        "CurrentAction": lambda r, values: (
            (current := _current(r)) is not None and current.action in values
        ),
        "AutomationType": lambda r, values: "Local" in values,
        "TagKey": lambda r, values: any(key in r.tags for key in values),
        "TargetResourceGroup": lambda r, values: any(
            target.get("Key") == "ResourceGroup" and value in (target.get("Values") or [])
            for target in r.targets or []
            for value in values
        ),
        "AutomationSubtype": lambda r, values: False,  # Change Manager is not modelled
        "OpsItemId": lambda r, values: False,
    }
    for key, values in filters:
        if key == "ExecutionStatus":
            _one_of(key, values, _STATUSES)
        elif key == "AutomationType":
            _one_of(key, values, ("CrossAccount", "Local"))
        elif key == "AutomationSubtype":
            _one_of(key, values, ("ChangeRequest", "AccessRequest"))
        elif key.startswith("StartTime"):
            _instants(key, values)  # refuse a bad value even when nothing is listed
            matchers[key] = _time_matcher(key, lambda r: r.start_time)
    return matchers


@operation("DescribeAutomationExecutions")
def describe_executions(ctx: Context, request: JSON) -> JSON:
    filters = _filters(request)
    matchers = _execution_matchers(filters)
    newest_first = list(reversed(ctx.state.automations.values()))
    if filters:
        records = map(record_of, newest_first)
        chunk, token = _page(
            "DescribeAutomationExecutions", request,
            list(apply_filters(records, filters, matchers)),
        )
    else:  # only the page is made into records
        chunk, token = _page("DescribeAutomationExecutions", request, newest_first)
    items = [_execution_body(record_of(entry), full=False) for entry in chunk]
    return listing("AutomationExecutionMetadataList", items, token)


def _step_matchers(filters: list[tuple[str, list[str]]]) -> dict[str, Matcher]:
    matchers: dict[str, Matcher] = {
        "StepExecutionStatus": _attribute_matcher(lambda s: s.status),
        "StepExecutionId": _attribute_matcher(lambda s: s.step_execution_id),
        "StepName": _attribute_matcher(lambda s: s.step_name),
        "Action": _attribute_matcher(lambda s: s.action),
        # No modelled step runs inside a loop or a parent step.
        "ParentStepExecutionId": lambda s, values: False,
        "ParentStepIteration": lambda s, values: False,
        "ParentStepIteratorValue": lambda s, values: False,
    }
    for key, values in filters:
        if key == "StepExecutionStatus":
            _one_of(key, values, _STATUSES)
        elif key == "ParentStepIteration":
            for value in values:
                if not value.isdigit():
                    raise invalid_filter_value(key, value)
        elif key.startswith("StartTime"):
            _instants(key, values)
            matchers[key] = _time_matcher(key, lambda s: s.start_time)
    return matchers


@operation("DescribeAutomationStepExecutions")
def describe_step_executions(ctx: Context, request: JSON) -> JSON:
    record = get_automation(ctx, request["AutomationExecutionId"])
    filters = _filters(request)
    matchers = _step_matchers(filters)
    steps = steps_of(record)
    if request.get("ReverseOrder"):
        steps = list(reversed(steps))
    matches = list(apply_filters(steps, filters, matchers))
    chunk, token = _page("DescribeAutomationStepExecutions", request, matches)
    return listing("StepExecutions", [_step_body(step) for step in chunk], token)
