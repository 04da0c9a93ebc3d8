"""The records of the service: what the operations write and read, and the engine runs.

Records keep the wire form of nested inputs (Targets, TaskInvocationParameters, ...) exactly
as the caller sent them, because the service echoes them back unchanged; only what the
service computes with (dates, numbers, flags) is held as Python values. The service and the
engine both stand on these classes; neither owns them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..schedule import WindowSchedule

__all__ = [
    "ACTIVE_STATUSES",
    "JSON",
    "RETENTION",
    "InvocationRecord",
    "TaskExecutionRecord",
    "Window",
    "WindowExecutionRecord",
    "WindowTarget",
    "WindowTask",
    "forget_old",
]

#: A JSON object as it travels on the wire (a request, a response, a nested input).
JSON = dict[str, Any]

#: Execution statuses of work that has not ended yet.
ACTIVE_STATUSES = frozenset({"PENDING", "IN_PROGRESS", "CANCELLING"})

#: How long the service keeps execution history (and the mock its events): 30 days, the
#: "execution history retention" of the AWS Systems Manager quotas table.
RETENTION = timedelta(days=30)

_Entry = TypeVar("_Entry")


def forget_old(
    history: dict[str, _Entry],
    now: datetime,
    started: Callable[[_Entry], datetime],
    running: Callable[[_Entry], bool],
) -> None:
    """Drop the finished entries of ``history`` (kept in the order they started) that
    started more than :data:`RETENTION` before ``now``; running ones stay."""
    oldest = now - RETENTION
    gone = []
    for key, entry in history.items():
        if started(entry) >= oldest:
            break
        if not running(entry):
            gone.append(key)
    for key in gone:
        del history[key]


@dataclass(slots=True)
class WindowTarget:
    """A registered window target (RegisterTargetWithMaintenanceWindow)."""

    window_target_id: str
    window_id: str
    resource_type: str
    targets: list[JSON]
    owner_information: str | None = None
    name: str | None = None
    description: str | None = None


@dataclass(slots=True)
class WindowTask:
    """A registered window task (RegisterTaskWithMaintenanceWindow)."""

    window_task_id: str
    window_id: str
    task_arn: str
    task_type: str
    targets: list[JSON] = field(default_factory=list)
    service_role_arn: str | None = None
    task_parameters: JSON | None = None
    invocation_parameters: JSON | None = None
    priority: int = 0
    max_concurrency: str | None = None
    max_errors: str | None = None
    logging_info: JSON | None = None
    name: str | None = None
    description: str | None = None
    cutoff_behavior: str | None = None
    alarm_configuration: JSON | None = None


@dataclass(slots=True)
class InvocationRecord:
    """One task invocation (a Run Command command, an automation, a Lambda call, ...)."""

    invocation_id: str
    window_execution_id: str
    task_execution_id: str
    execution_id: str
    task_type: str
    parameters: str
    status: str
    start_time: datetime
    status_details: str | None = None
    end_time: datetime | None = None
    owner_information: str | None = None
    window_target_id: str | None = None

    @classmethod
    def started(
        cls,
        *,
        invocation_id: str,
        window_execution_id: str,
        task_execution_id: str,
        execution_id: str,
        task_type: str,
        parameters: str,
        start_time: datetime,
        window_target_id: str | None,
        owner_information: str | None,
    ) -> InvocationRecord:
        """An invocation that starts at ``start_time``: IN_PROGRESS until :meth:`end`."""
        # Positional: this is the engine's hot path (one record per invocation), and the
        # field order is right above.
        return cls(
            invocation_id, window_execution_id, task_execution_id, execution_id, task_type,
            parameters, "IN_PROGRESS", start_time, "InProgress", None, owner_information,
            window_target_id,
        )

    def end(self, status: str, details: str, t: datetime) -> None:
        """The invocation ended at ``t`` with ``status`` and its StatusDetails."""
        self.status = status
        self.status_details = details
        self.end_time = t


@dataclass(slots=True)
class TaskExecutionRecord:
    """One task of one window execution."""

    task_execution_id: str
    window_execution_id: str
    window_task_id: str
    task_arn: str
    task_type: str
    priority: int
    max_concurrency: str
    max_errors: str
    status: str
    start_time: datetime | None = None
    status_details: str | None = None
    end_time: datetime | None = None
    service_role: str | None = None
    task_parameters: list[JSON] = field(default_factory=list)
    alarm_configuration: JSON | None = None
    triggered_alarms: list[JSON] | None = None
    invocations: dict[str, InvocationRecord] = field(default_factory=dict)


@dataclass(slots=True)
class WindowExecutionRecord:
    """One start of a window (an entry of DescribeMaintenanceWindowExecutions)."""

    window_execution_id: str
    window_id: str
    status: str
    start_time: datetime
    status_details: str | None = None
    end_time: datetime | None = None
    tasks: dict[str, TaskExecutionRecord] = field(default_factory=dict)


@dataclass(slots=True)
class Window:
    """A maintenance window and everything registered with it."""

    window_id: str
    name: str
    schedule: str
    duration: int
    cutoff: int
    allow_unassociated_targets: bool
    created: datetime
    modified: datetime
    compiled: WindowSchedule
    anchor: datetime
    enabled: bool = True
    description: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    timezone: str | None = None
    offset: int | None = None
    targets: dict[str, WindowTarget] = field(default_factory=dict)
    tasks: dict[str, WindowTask] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    executions: list[WindowExecutionRecord] = field(default_factory=list)
    #: (now, compiled schedule, NextExecutionTime) of the last computation.
    next_cache: tuple[datetime, WindowSchedule, str | None] | None = None


