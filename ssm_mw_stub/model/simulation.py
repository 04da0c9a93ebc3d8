"""What the service may ask of the simulation that runs executions.

The engine implements this; the service receives it when it is built (the mock builds the
engine first), so neither imports the other and nothing is wired in after construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from .automation import AutomationExecutionRecord, AutomationStart
from .commands import CommandRecord
from .records import JSON, WindowExecutionRecord
from .store import RegionState

__all__ = ["Simulation"]


class Simulation(Protocol):
    """The operations of the service that act on running work."""

    def cancel(self, state: RegionState, record: WindowExecutionRecord, now: datetime) -> None:
        """CancelMaintenanceWindowExecution of a PENDING, IN_PROGRESS or CANCELLING run."""

    def start_automation(self, state: RegionState, start: AutomationStart, now: datetime) -> str:
        """StartAutomationExecution: the execution starts now; its AutomationExecutionId."""

    def stop_automation(
        self, state: RegionState, record: AutomationExecutionRecord, now: datetime
    ) -> None:
        """StopAutomationExecution of a Pending or InProgress execution: Cancelling, then
        Cancelled."""

    def unmanaged_instances(self, state: RegionState, instance_ids: Iterable[str]) -> list[str]:
        """SendCommand's check: the ids that are not managed nodes in the state's Region."""

    def send_command(
        self, state: RegionState, record: CommandRecord, request: JSON, now: datetime
    ) -> None:
        """SendCommand: run the command the service recorded (``request`` is the call)."""

    def cancel_command(
        self, state: RegionState, record: CommandRecord, nodes: list[str] | None, now: datetime
    ) -> None:
        """CancelCommand: cancel the command on ``nodes`` (None: on every node)."""
