"""What every task type answers; each type's module overrides where its type differs.

A task type decides, for the service: which member of TaskInvocationParameters holds its
parameters and whether a task of the type needs targets; and for the engine: what a handler
sees, which pseudo parameters it substitutes, the downstream request recorded as an
invocation's ``Parameters``, GetMaintenanceWindowExecutionTask's ``TaskParameters``, the
``ExecutionId`` of an invocation, what one unit of its work is (:class:`Work`: the engine
picks how to run the task from it, once, when the task starts), and what CANCEL_TASK does
at the cutoff.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, ClassVar, NamedTuple

from ..model import JSON, WindowTask

__all__ = ["CommandRequest", "TaskType", "Work", "parameter_entry"]

_compact = json.JSONEncoder(separators=(",", ":")).encode


class CommandRequest(NamedTuple):
    """What a Run Command command adds to its request: its nodes and the rate controls."""

    instance_ids: list[str]
    max_concurrency: str
    max_errors: str


class Work(Enum):
    """What one unit of a task's work is. The engine runs each kind its own way (one unit
    runner per kind, :mod:`ssm_mw_stub.engine.units`) and the timeline shows each kind's
    parts (:mod:`ssm_mw_stub.timeline.spans`)."""

    #: One invocation per resolved target, which the handler decides (Lambda, Step
    #: Functions: the downstream call is not modelled beyond its outcome).
    INVOCATION = "invocation"
    #: One invocation per resolved target, each an Automation execution
    #: (StartAutomationExecution) that the invocation follows.
    AUTOMATION = "automation"
    #: One Run Command command per window target; the handler decides its nodes one by one.
    COMMANDS = "commands"


class TaskType:
    """Everything specific to one ``TaskType`` value. One instance per type, registered in
    :mod:`ssm_mw_stub.task_types`."""

    #: The TaskType value, e.g. ``RUN_COMMAND``.
    name: ClassVar[str]
    #: The member of TaskInvocationParameters holding this type's parameters.
    branch: ClassVar[str]
    #: A task of this type must have targets (RegisterTaskWithMaintenanceWindow refuses
    #: one without).
    requires_targets: ClassVar[bool] = False
    #: What one unit of the task's work is: how the engine runs it.
    work: ClassVar[Work] = Work.INVOCATION
    #: With CutoffBehavior CANCEL_TASK, the work running at the cutoff is cancelled (Run
    #: Command's CancelCommand); otherwise running work finishes and nothing new starts.
    cancelled_at_cutoff: ClassVar[bool] = False
    #: ``{{TARGET_ID}}`` and ``{{RESOURCE_ID}}`` are substituted (unsupported for Run
    #: Command, whose one command serves several nodes).
    target_parameters: ClassVar[bool] = True
    #: Statuses a handler may report for this type's work besides the generic SUCCESS,
    #: FAILED, TIMED_OUT and CANCELLED (the downstream service's own words).
    outcome_statuses: ClassVar[frozenset[str]] = frozenset()
    #: Invocation events report every status of the invocation; otherwise only
    #: IN_PROGRESS and COMPLETE, whatever the outcome (user guide, "Reference: Amazon
    #: EventBridge event patterns and types for Systems Manager": only Run Command tasks
    #: get the full statuses).
    reports_every_status: ClassVar[bool] = False
    #: The member of the downstream request that names the task's TaskArn.
    arn_member: ClassVar[str]
    #: Members of the branch the downstream request carries (lower-camel), in order.
    request_members: ClassVar[tuple[str, ...]] = ()

    def foreign_branches(self, parameters: JSON) -> list[str]:
        """The members of TaskInvocationParameters that belong to other task types."""
        return sorted(key for key, value in parameters.items() if key != self.branch and value)

    def handler_parameters(self, task: WindowTask) -> JSON:
        """The parameters as the handler sees them, before substitution: the type's branch
        of TaskInvocationParameters in the wire's member names."""
        invocation = task.invocation_parameters or {}
        return dict(invocation.get(self.branch) or {})

    def request_document(
        self, task: WindowTask, branch: JSON, command: CommandRequest | None = None
    ) -> JSON:
        """The downstream request an invocation sends (its record's ``Parameters``, as
        JSON): the TaskArn under :attr:`arn_member`, then the :attr:`request_members` the
        task sets. ``command`` is given for the commands of a type that sends commands."""
        doc: JSON = {self.arn_member: task.task_arn}
        copy_members(doc, branch, self.request_members)
        return doc

    def request_text(
        self, task: WindowTask, branch: JSON, command: CommandRequest | None = None
    ) -> str:
        """The invocation record's ``Parameters``: the downstream request as compact JSON,
        its top-level keys in alphabetical order as the newer real samples print them
        (``{"comment":"","documentName":...,"instanceIds":...,"maxConcurrency":"1",...}``
        in the AWS CLI example get-maintenance-window-execution-task-invocation and the
        user guide's "View information about tasks and task executions"); nested values
        keep the order they were registered in."""
        document = self.request_document(task, branch, command)
        return _compact(dict(sorted(document.items())))

    def send_command_request(
        self, task: WindowTask, branch: JSON, command: CommandRequest
    ) -> JSON:
        """The SendCommand request of one command of a type whose work is
        :attr:`Work.COMMANDS` (its override); other types send no commands."""
        raise NotImplementedError(f"{self.name} tasks send no Run Command commands")

    def execution_task_parameters(
        self, task: WindowTask, branch: JSON, instance_ids: list[str]
    ) -> list[JSON]:
        """GetMaintenanceWindowExecutionTask's ``TaskParameters``."""
        return []

    def execution_ids(
        self, task: WindowTask, branch: JSON, uuid: Callable[[], str]
    ) -> Callable[[], str]:
        """A maker of the ``ExecutionId`` of each invocation of one task execution: the id
        the downstream service gives the work (a UUID unless the type says otherwise)."""
        return uuid

    def invocation_values(
        self,
        common: dict[str, str],
        invocation_id: str,
        window_target_id: str | None,
        target_type: str | None,
        target_id: str | None = None,
        resource_id: str | None = None,
    ) -> dict[str, str]:
        """The pseudo-parameter values of one invocation: those ``common`` to its task
        execution, plus its own. Target values only for an invocation that has a target
        (a targetless task leaves them as written), ``{{WINDOW_TARGET_ID}}`` only for one
        that came from a window target, and TARGET_ID / RESOURCE_ID only where the type
        supports them (a member without a short id gives the empty string, "unpopulated")."""
        values = dict(common)
        values["INVOCATION_ID"] = invocation_id
        if window_target_id is not None:
            values["WINDOW_TARGET_ID"] = window_target_id
        if target_type is not None:
            values["TARGET_TYPE"] = target_type
            if self.target_parameters:
                values["TARGET_ID"] = target_id or ""
                values["RESOURCE_ID"] = resource_id or ""
        return values


def parameter_entry(parameters: Any) -> JSON:
    """``{name: {"Values": [...]}}``, the form TaskParameters lists parameters in."""
    items: Iterable[tuple[str, Any]] = parameters.items() if isinstance(parameters, dict) else ()
    return {
        name: {"Values": list(values) if isinstance(values, list) else [values]}
        for name, values in items
    }


def lower_camel(value: Any) -> Any:
    """``{"OutputS3BucketName": ...}`` -> ``{"outputS3BucketName": ...}``, at every depth:
    how the downstream request spells the members of the task's parameters."""
    if isinstance(value, dict):
        return {key[:1].lower() + key[1:]: lower_camel(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lower_camel(item) for item in value]
    return value


def copy_members(doc: JSON, branch: JSON, members: Iterable[str]) -> None:
    """Copy the set ``members`` of ``branch`` into ``doc`` under their lower-camel names."""
    for member in members:
        value = branch.get(member)
        if value is not None:
            doc[member[:1].lower() + member[1:]] = lower_camel(value)
