"""The discrete-event simulation that runs maintenance windows as the fake clock moves.

``Engine`` (in :mod:`.simulation`) is wired by the mock; tests meet its results through the
service's read operations, ``mw.events``, and the ``Invocation``/``TaskOutcome`` handler API.
"""

from __future__ import annotations

from .outcomes import Invocation, TaskOutcome
from .simulation import MAX_CONCURRENT_EXECUTIONS, RETENTION, Emit, Engine, TaskHandlerError

__all__ = [
    "MAX_CONCURRENT_EXECUTIONS",
    "RETENTION",
    "Emit",
    "Engine",
    "Invocation",
    "TaskHandlerError",
    "TaskOutcome",
]
