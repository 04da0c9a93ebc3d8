"""AUTOMATION: the task starts an Automation runbook execution per target
(StartAutomationExecution); the invocation's ExecutionId is the automation execution id."""

from __future__ import annotations

from ..model import JSON, WindowTask
from .base import CommandRequest, TaskType, parameter_entry

__all__ = ["Automation"]


class Automation(TaskType):
    name = "AUTOMATION"
    branch = "Automation"
    arn_member = "documentName"
    request_members = ("DocumentVersion",)

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
