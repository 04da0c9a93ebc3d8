"""The model both the service and the engine stand on: records, the store, ids, the fleet,
ARNs and events.

Data flows one way through it: the service writes windows, targets and tasks and reads
executions; the engine reads windows and writes executions. Neither imports the other.
"""

from .ids import IdGenerator
from .records import (
    ACTIVE_STATUSES,
    JSON,
    RETENTION,
    InvocationRecord,
    TaskExecutionRecord,
    Window,
    WindowExecutionRecord,
    WindowTarget,
    WindowTask,
    forget_old,
)
from .store import RegionState, Store

__all__ = [
    "ACTIVE_STATUSES",
    "JSON",
    "RETENTION",
    "IdGenerator",
    "InvocationRecord",
    "RegionState",
    "Store",
    "TaskExecutionRecord",
    "Window",
    "WindowExecutionRecord",
    "WindowTarget",
    "WindowTask",
    "forget_old",
]
