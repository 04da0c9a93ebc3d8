"""AUTOMATION: the task starts an Automation runbook execution per target
(StartAutomationExecution); the invocation's ExecutionId is the automation execution id.

The execution is a record of the Automation API in its own right (GetAutomationExecution,
DescribeAutomationExecutions): the engine runs it (:mod:`ssm_mw_stub.engine.automation`)
and the window invocation ends when it ends, with the status this module maps it to.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..model import JSON, WindowTask
from .base import CommandRequest, TaskType, Work, parameter_entry

__all__ = [
    "AUTOMATION_OUTCOMES",
    "FROM_GENERIC",
    "WINDOW_STATUS",
    "Automation",
    "automation_status",
]

#: The terminal statuses of an Automation execution ("Understanding automation statuses":
#: Success, TimedOut, Cancelled and Failed are documented as terminal; the Change Manager
#: and rate-control words CompletedWithSuccess, CompletedWithFailure, Rejected and
#: ChangeCalendarOverrideRejected end an execution too).
AUTOMATION_OUTCOMES = frozenset(
    {
        "Success",
        "Failed",
        "TimedOut",
        "Cancelled",
        "CompletedWithSuccess",
        "CompletedWithFailure",
        "Rejected",
        "ChangeCalendarOverrideRejected",
    }
)

#: A handler's generic status, as Automation words it.
FROM_GENERIC: Mapping[str, str] = MappingProxyType(
    {"SUCCESS": "Success", "FAILED": "Failed", "TIMED_OUT": "TimedOut", "CANCELLED": "Cancelled"}
)

#: The window invocation's Status for each terminal Automation status (its StatusDetails
#: is the Automation word itself, see docs/automation.md).
WINDOW_STATUS: Mapping[str, str] = MappingProxyType(
    {
        "Success": "SUCCESS",
        "CompletedWithSuccess": "SUCCESS",
        "Failed": "FAILED",
        "CompletedWithFailure": "FAILED",
        "Rejected": "FAILED",
        "ChangeCalendarOverrideRejected": "FAILED",
        "TimedOut": "TIMED_OUT",
        "Cancelled": "CANCELLED",
    }
)


def automation_status(status: str) -> str:
    """The Automation status of a handler's outcome status (generic or Automation's own)."""
    return FROM_GENERIC.get(status, status)


class Automation(TaskType):
    name = "AUTOMATION"
    branch = "Automation"
    arn_member = "documentName"
    request_members = ("DocumentVersion",)
    outcome_statuses = AUTOMATION_OUTCOMES
    work = Work.AUTOMATION

    def request_document(
        self, task: WindowTask, branch: JSON, command: CommandRequest | None = None
    ) -> JSON:
        """``{"documentName", "documentVersion"?, "parameters"}`` (undocumented; the
        convention of the documented Run Command request)."""
        doc = super().request_document(task, branch)
        doc["parameters"] = branch.get("Parameters") or {}
        return doc

    def execution_task_parameters(
        self, task: WindowTask, branch: JSON, instance_ids: list[str]
    ) -> list[JSON]:
        """The runbook parameters as written."""
        entry = parameter_entry(branch.get("Parameters") or {})
        return [entry] if entry else []
