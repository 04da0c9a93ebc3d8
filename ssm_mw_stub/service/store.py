"""The in-memory state of the service, one ``RegionState`` per account and Region.

Records keep the wire form of nested inputs (Targets, TaskInvocationParameters, ...) exactly
as the caller sent them, because the service echoes them back unchanged; only what the
service computes with (dates, numbers, flags) is held as Python values.

One re-entrant lock guards everything: calls are tiny, so a single lock is both the
simplest correct choice and fast enough, and the engine takes the same lock while it
writes executions, so readers never see half an execution.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..schedule import WindowSchedule

__all__ = [
    "InvocationRecord",
    "RegionState",
    "Store",
    "TaskExecutionRecord",
    "Window",
    "WindowExecutionRecord",
    "WindowTarget",
    "WindowTask",
]

JSON = dict[str, Any]


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
    priority: int = 1
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


@dataclass(slots=True)
class RegionState:
    """Everything one account sees in one Region."""

    account: str
    region: str
    windows: dict[str, Window] = field(default_factory=dict)
    executions: dict[str, WindowExecutionRecord] = field(default_factory=dict)
    # (operation, client token) -> (the request without its token, the id it returned)
    tokens: dict[tuple[str, str], tuple[dict[str, Any], str]] = field(default_factory=dict)


class Store:
    """All account+Region states of one mock, and the lock that guards them."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._regions: dict[tuple[str, str], RegionState] = {}

    def region(self, account: str, region: str) -> RegionState:
        """The state of ``account`` in ``region``, created empty on first use."""
        key = (account, region)
        state = self._regions.get(key)
        if state is None:
            state = self._regions[key] = RegionState(account, region)
        return state

    def regions(self) -> list[RegionState]:
        """Every state touched so far (the engine walks them all)."""
        return list(self._regions.values())
