"""ssm-mw-stub: an in-process, schedule-running stub of SSM maintenance windows for boto3.

Importing the package installs its botocore hook (inert until a mock is entered).
"""

from .engine.outcomes import AutomationStep, Invocation, TaskHandlerError, TaskOutcome
from .mock import MaintenanceWindows, mock_maintenance_windows

__all__ = [
    "AutomationStep",
    "Invocation",
    "MaintenanceWindows",
    "TaskHandlerError",
    "TaskOutcome",
    "mock_maintenance_windows",
]
__version__ = "0.1.0"
