"""Automation executions: the records GetAutomationExecution and its relatives answer from.

An execution is started by a maintenance window's AUTOMATION task (one per invocation; the
invocation's ExecutionId is its AutomationExecutionId) or by StartAutomationExecution; the
engine runs it on the fake clock and the service reads it. Records are kept per account and
Region (``RegionState.automations``), in start order, for the same 30 days as window
executions.

An execution whose handler reported no steps has one default step, derived from the
execution when it is read (:func:`steps_of`). An execution of a window invocation without a
handler, which succeeds the instant it starts, is kept as a plain tuple
(:data:`InstantAutomation`) and turned into a record when read (:func:`record_of`): a long
simulation makes many of them, and a tuple of plain values costs the garbage collector
nothing once it is old.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from .ids import uuid4_text
from .records import JSON

__all__ = [
    "ACTIVE_AUTOMATION",
    "ALL_INSTANCES",
    "DEFAULT_STEP_ACTION",
    "DEFAULT_STEP_NAME",
    "AutomationEntry",
    "AutomationExecutionRecord",
    "AutomationStart",
    "InstantAutomation",
    "StepRecord",
    "document_name",
    "document_version",
    "orchestration_identity",
    "record_of",
    "started",
    "steps_of",
]

#: The rate-control target key that, with the value ``*``, stands for every EC2 instance
#: of the account and Region (user guide, "Run automations at scale").
ALL_INSTANCES = "AWS::EC2::Instance"

#: Statuses of an execution that has not ended.
ACTIVE_AUTOMATION = frozenset({"Pending", "InProgress", "Cancelling"})

#: The single step of an execution whose handler reported none.
DEFAULT_STEP_NAME = "main"
DEFAULT_STEP_ACTION = "aws:executeScript"

#: A document name as the AutomationExecution shape allows it (the model's pattern).
_DOCUMENT_NAME = re.compile(r"^[a-zA-Z0-9_\-.]{3,128}$")


@dataclass(slots=True)
class StepRecord:
    """One step of an execution (StepExecution). A Pending step has no id and no times."""

    step_name: str
    action: str
    status: str = "Pending"
    step_execution_id: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    inputs: dict[str, str] | None = None
    outputs: dict[str, list[str]] | None = None
    failure_message: str | None = None


@dataclass(slots=True)
class AutomationExecutionRecord:
    """One Automation execution (AutomationExecution / AutomationExecutionMetadata)."""

    automation_execution_id: str
    document_name: str
    document_version: str
    status: str
    start_time: datetime
    executed_by: str
    parameters: dict[str, list[str]]
    mode: str = "Auto"
    end_time: datetime | None = None
    #: The document outputs (``{"step.Output": [...]}``) once known.
    outputs: dict[str, list[str]] | None = None
    failure_message: str | None = None
    #: The steps the handler reported; None for the one default step (:func:`steps_of`).
    steps: list[StepRecord] | None = None
    #: The step running now, when the handler reported steps.
    current_step: StepRecord | None = None
    parent_id: str | None = None
    #: The target value a child of a rate-control execution runs on.
    target: str | None = None
    target_parameter_name: str | None = None
    targets: list[JSON] | None = None
    target_maps: list[JSON] | None = None
    resolved_targets: list[str] | None = None
    max_concurrency: str | None = None
    max_errors: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    #: Echoed as sent, not acted upon (multi-account runs and alarms are not modelled).
    target_locations: list[JSON] | None = None
    alarm_configuration: JSON | None = None


#: An execution that succeeded the instant it started: (AutomationExecutionId,
#: DocumentName, DocumentVersion, the instant, ExecutedBy, Parameters).
InstantAutomation = tuple[str, str, str, datetime, str, dict[str, list[str]]]
#: What ``RegionState.automations`` holds per execution.
AutomationEntry = AutomationExecutionRecord | InstantAutomation


def record_of(entry: AutomationEntry) -> AutomationExecutionRecord:
    """The record of an entry (an instant execution is made into one, Success)."""
    if isinstance(entry, AutomationExecutionRecord):
        return entry
    execution_id, name, version, when, executed_by, parameters = entry
    return AutomationExecutionRecord(
        execution_id, name, version, "Success", when, executed_by, parameters, end_time=when
    )


def started(entry: AutomationEntry) -> tuple[datetime, bool]:
    """(start time, whether it still runs) of an entry, without making a record."""
    if isinstance(entry, AutomationExecutionRecord):
        return entry.start_time, entry.status in ACTIVE_AUTOMATION
    return entry[3], False


@dataclass(frozen=True, slots=True)
class AutomationStart:
    """A StartAutomationExecution request as the service accepted it, for the engine."""

    document_name: str
    document_version: str
    #: DocumentVersion as the caller wrote it (the handler sees it), if at all.
    requested_version: str | None
    parameters: dict[str, list[str]]
    mode: str
    executed_by: str
    target_parameter_name: str | None = None
    targets: list[JSON] | None = None
    target_maps: list[JSON] | None = None
    max_concurrency: str | None = None
    max_errors: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    target_locations: list[JSON] | None = None
    alarm_configuration: JSON | None = None


def document_name(name: str) -> str | None:
    """The runbook name a DocumentName (or a window task's TaskArn) designates: the name
    itself, or the name at the end of a document ARN (``arn:aws:ssm:...:document/Name``,
    how a shared runbook is named). None when no runbook can have that name."""
    if name.startswith("arn:") and ":document/" in name:
        name = name.rsplit("/", 1)[1]
    return name if _DOCUMENT_NAME.match(name) else None


def document_version(requested: str | None) -> str:
    """The version an execution reports: every published example shows a number, so
    ``$DEFAULT``, ``$LATEST`` and no version at all report ``"1"``."""
    if requested is None or requested.startswith("$"):
        return "1"
    return requested


@lru_cache(maxsize=64)
def orchestration_identity(account: str, service_role: str) -> str:
    """``ExecutedBy`` of an execution a maintenance window started: its service role,
    assumed by the session ``OrchestrationService`` (the AWS CLI example of
    get-automation-execution shows ``assumed-role/mw_service_role/OrchestrationService``)."""
    role_name = service_role.rsplit("/", 1)[-1]
    return f"arn:aws:sts::{account}:assumed-role/{role_name}/OrchestrationService"


_STEP_ID_MASK = (1 << 128) - 1
#: An odd multiplier: a bijection of 128-bit numbers that scatters every bit.
_STEP_ID_SPREAD = 0x9E3779B97F4A7C15F39CC0605CEDC835


def _default_step(record: AutomationExecutionRecord) -> StepRecord:
    """The one step of an execution without reported steps: it runs exactly as long as
    the execution and ends as it does. Its id is derived from the execution's, so it is
    the same on every read without drawing from the mock's id generator."""
    bits = int(record.automation_execution_id.replace("-", ""), 16)
    status = record.status
    if status == "Pending":
        return StepRecord(DEFAULT_STEP_NAME, DEFAULT_STEP_ACTION)
    step = StepRecord(
        DEFAULT_STEP_NAME,
        DEFAULT_STEP_ACTION,
        status,
        uuid4_text((bits * _STEP_ID_SPREAD) & _STEP_ID_MASK),
        record.start_time,
        record.end_time,
    )
    if status in ("Failed", "TimedOut", "CompletedWithFailure"):
        step.failure_message = record.failure_message
    return step


def steps_of(record: AutomationExecutionRecord) -> list[StepRecord]:
    """The steps of ``record``: those the handler reported, or the default one."""
    if record.steps is not None:
        return record.steps
    return [_default_step(record)]
