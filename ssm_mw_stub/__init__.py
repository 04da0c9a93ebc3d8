"""ssm-mw-stub: an in-process, schedule-running stub of SSM maintenance windows for boto3.

Importing the package installs its botocore hook (inert until a mock is entered). Server
mode (``ssm-mw-stub serve``, :func:`connect`) lives in ``ssm_mw_stub.server``, imported
only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__
from .mock import MaintenanceWindows, mock_maintenance_windows
from .model.patching import Patch
from .outcomes import AutomationStep, Invocation, TaskHandlerError, TaskOutcome

if TYPE_CHECKING:
    from .server.remote import RemoteMaintenanceWindows


def connect(url: str | None = None) -> RemoteMaintenanceWindows:
    """The handle of an ``ssm-mw-stub serve`` server at ``url`` (default
    ``$SSM_MW_STUB_URL``): ``now``, ``advance``, ``add_instance``, ``on_task(key,
    TaskOutcome(...))``, ``events``, ``calls``, ``timeline()``, ``reset()``, ..."""
    from .server.remote import connect as connect_to

    return connect_to(url)


__all__ = [
    "AutomationStep",
    "Invocation",
    "MaintenanceWindows",
    "Patch",
    "TaskHandlerError",
    "TaskOutcome",
    "__version__",
    "connect",
    "mock_maintenance_windows",
]
