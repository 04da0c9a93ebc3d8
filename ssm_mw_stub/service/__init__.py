"""The maintenance-window service, speaking the JSON 1.1 wire format; knows nothing of botocore.

Importing the package registers every operation module with the dispatcher.
"""

from . import command_reads, commands, executions, tags, targets, tasks, windows  # noqa: F401  (register operations)  # noqa: F401  (register Run Command's operations)
from .core import OPERATIONS, Context, Service

__all__ = ["OPERATIONS", "Context", "Service"]
