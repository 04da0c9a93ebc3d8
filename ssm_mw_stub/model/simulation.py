"""What the service may ask of the simulation that runs executions.

The engine implements this; the service receives it when it is built (the mock builds the
engine first), so neither imports the other and nothing is wired in after construction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from .records import WindowExecutionRecord
from .store import RegionState

__all__ = ["Simulation"]


class Simulation(Protocol):
    """The operations of the service that act on running work."""

    def cancel(self, state: RegionState, record: WindowExecutionRecord, now: datetime) -> None:
        """CancelMaintenanceWindowExecution of a PENDING, IN_PROGRESS or CANCELLING run."""
