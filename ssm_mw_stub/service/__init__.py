"""The maintenance-window service, speaking the JSON 1.1 wire format; knows nothing of botocore.

Importing the package registers every operation module with the dispatcher.
"""

from . import (  # noqa: F401  (register operations)
    automation,
    command_reads,
    commands,
    executions,
    tags,
    targets,
    tasks,
    windows,
)
from .core import OPERATIONS, Context, Service

__all__ = ["OPERATIONS", "Context", "Service"]
