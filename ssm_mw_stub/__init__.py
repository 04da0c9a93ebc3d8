"""ssm-mw-stub: an in-process, schedule-running stub of SSM maintenance windows for boto3.

Importing the package installs its botocore hook (inert until a mock is entered). Server
mode (``ssm-mw-stub serve``, :func:`connect`) lives in ``ssm_mw_stub.server``, imported
only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__
from .mock import MaintenanceWindows, mock_maintenance_windows
from .outcomes import AutomationStep, Invocation, TaskHandlerError, TaskOutcome

if TYPE_CHECKING:
    from .model.patching import Patch
    from .server.remote import RemoteMaintenanceWindows


def __getattr__(name: str) -> object:
    """``Patch`` is loaded on first use: importing it would load the whole model (its
    dataclasses cost about 15 ms) into every process that imports the package."""
    if name == "Patch":
        from .model.patching import Patch

        return Patch
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
