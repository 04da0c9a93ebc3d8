"""What a handler is told: the public :class:`~ssm_mw_stub.outcomes.Invocation`, built one
way per origin of work.

Work comes from three places, and each has one builder here: a window's task
(:meth:`WindowWork.invocation`, for its per-target invocations, its Run Command nodes and its
Automation executions alike), the code's own ``send_command`` (:func:`sent_command`) and
its own ``start_automation_execution`` (:func:`started_automation`). A unit of a window's
task gets its window context as the :class:`WindowWork` value, never the engine's run state,
so the modules that run commands and executions need nothing of the window's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..model import InvocationRecord
from ..outcomes import Invocation

__all__ = ["WindowWork", "sent_command", "started_automation"]


@dataclass(frozen=True, slots=True)
class WindowWork:
    """The window context of one task execution: the ids every handler of its work is
    told, besides those of its own invocation."""

    window_id: str
    window_execution_id: str
    window_task_id: str
    task_execution_id: str
    task_arn: str
    task_type: str

    def invocation(
        self,
        record: InvocationRecord,
        *,
        target_id: str | None,
        start_time: datetime,
        parameters: dict[str, Any],
        command_id: str | None = None,
        instance_id: str | None = None,
        automation_execution_id: str | None = None,
    ) -> Invocation:
        """What the handler of ``record``'s work is told (for a Run Command task, of one
        node of its command; for an Automation task, of its execution)."""
        return Invocation(
            window_id=self.window_id,
            window_execution_id=self.window_execution_id,
            window_task_id=self.window_task_id,
            task_execution_id=self.task_execution_id,
            invocation_id=record.invocation_id,
            window_target_id=record.window_target_id,
            target_id=target_id,
            task_arn=self.task_arn,
            task_type=self.task_type,
            owner_information=record.owner_information,
            start_time=start_time,
            parameters=parameters,
            command_id=command_id,
            instance_id=instance_id,
            automation_execution_id=automation_execution_id,
        )


def sent_command(
    *,
    document: str,
    task_type: str,
    command_id: str,
    instance_id: str,
    start_time: datetime,
    parameters: dict[str, Any],
) -> Invocation:
    """What the handler of one node of a command ``send_command`` sent is told: no window,
    the document as ``task_arn``."""
    return Invocation(
        window_id=None, window_execution_id=None, window_task_id=None,
        task_execution_id=None, invocation_id=None, window_target_id=None,
        target_id=instance_id, task_arn=document, task_type=task_type,
        owner_information=None, start_time=start_time, parameters=parameters,
        command_id=command_id, instance_id=instance_id,
    )


def started_automation(
    *,
    document: str,
    task_type: str,
    execution_id: str,
    target: str | None,
    start_time: datetime,
    parameters: dict[str, Any],
) -> Invocation:
    """What the handler of an execution ``start_automation_execution`` started (or of one
    child of it) is told: no window, the runbook as ``task_arn``."""
    return Invocation(
        window_id=None, window_execution_id=None, window_task_id=None,
        task_execution_id=None, invocation_id=None, window_target_id=None,
        target_id=target, task_arn=document, task_type=task_type,
        owner_information=None, start_time=start_time, parameters=parameters,
        automation_execution_id=execution_id,
    )
