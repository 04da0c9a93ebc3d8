"""STEP_FUNCTIONS: the task starts a state machine execution per target.

The ExecutionId is the execution's ARN, as Step Functions names executions:
``arn:aws:states:<region>:<account>:execution:<state machine>:<name>``, the name being the
task's ``Name`` parameter or else a UUID. No Step Functions service is called.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import JSON, WindowTask
from .base import TaskType

__all__ = ["StepFunctions"]


class StepFunctions(TaskType):
    """The request: ``{"stateMachineArn", "name"?, "input"?}`` (StartExecution's members)."""

    name = "STEP_FUNCTIONS"
    branch = "StepFunctions"
    arn_member = "stateMachineArn"
    request_members = ("Name", "Input")

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
