"""What the service may ask of the simulation that runs executions.

The engine implements this; the service receives it when it is built (the mock builds the
engine first), so neither imports the other and nothing is wired in after construction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from .automation import AutomationExecutionRecord, AutomationStart
from .records import WindowExecutionRecord
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
