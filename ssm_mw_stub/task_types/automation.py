"""AUTOMATION: the task starts an Automation runbook execution per target
(StartAutomationExecution); the invocation's ExecutionId is the automation execution id."""

from __future__ import annotations

from ..model import JSON, WindowTask
from .base import TaskType, parameter_entry

__all__ = ["Automation"]


class Automation(TaskType):
    name = "AUTOMATION"
    branch = "Automation"

    def request_document(
        self,
        task: WindowTask,
        branch: JSON,
        *,
        instance_ids: list[str] | None = None,
        max_concurrency: str | None = None,
        max_errors: str | None = None,
    ) -> JSON:
        """``{"documentName", "documentVersion"?, "parameters"}`` (undocumented; the
        convention of the documented Run Command request)."""
        doc: JSON = {"documentName": task.task_arn}
        if branch.get("DocumentVersion") is not None:
            doc["documentVersion"] = branch["DocumentVersion"]
        doc["parameters"] = branch.get("Parameters") or {}
        return doc

    def execution_task_parameters(
        self, task: WindowTask, branch: JSON, instance_ids: list[str]
    ) -> list[JSON]:
        """The runbook parameters as written."""
        entry = parameter_entry(branch.get("Parameters") or {})
        return [entry] if entry else []
