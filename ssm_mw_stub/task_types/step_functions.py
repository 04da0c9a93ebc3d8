"""STEP_FUNCTIONS: the task starts a state machine execution per target.

The ExecutionId is the execution's ARN, as Step Functions names executions:
``arn:aws:states:<region>:<account>:execution:<state machine>:<name>``, the name being the
task's ``Name`` parameter or else a UUID. No Step Functions service is called.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import JSON, WindowTask
from .base import TaskType, copy_members

__all__ = ["StepFunctions"]


class StepFunctions(TaskType):
    name = "STEP_FUNCTIONS"
    branch = "StepFunctions"

    def request_document(
        self,
        task: WindowTask,
        branch: JSON,
        *,
        instance_ids: list[str] | None = None,
        max_concurrency: str | None = None,
        max_errors: str | None = None,
    ) -> JSON:
        """``{"stateMachineArn", "name"?, "input"?}`` (StartExecution's members)."""
        doc: JSON = {"stateMachineArn": task.task_arn}
        copy_members(doc, branch, ("Name", "Input"))
        return doc

    def execution_ids(
        self, task: WindowTask, branch: JSON, uuid: Callable[[], str]
    ) -> Callable[[], str]:
        arn = task.task_arn
        prefix = ""
        if arn.startswith("arn:") and ":stateMachine:" in arn:
            prefix = arn.replace(":stateMachine:", ":execution:", 1) + ":"
        name = branch.get("Name")
        if isinstance(name, str) and name:
            fixed = prefix + name
            return lambda: fixed
        return lambda: prefix + uuid()
