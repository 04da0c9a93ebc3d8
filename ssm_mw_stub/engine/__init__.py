"""The discrete-event simulation that runs maintenance windows as the fake clock moves.

``Engine`` (in :mod:`.simulation`) is built by the mock; tests meet its results through the
service's read operations, ``mw.events``, and the ``Invocation``/``TaskOutcome`` handler API.
The simulation modules are loaded on first use (the first activation of a mock), so
importing the package, which pytest does for every run through the plugin, stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..outcomes import Invocation, TaskHandlerError, TaskOutcome

if TYPE_CHECKING:
    from .simulation import MAX_CONCURRENT_EXECUTIONS, Engine

__all__ = ["MAX_CONCURRENT_EXECUTIONS", "Engine", "Invocation", "TaskHandlerError", "TaskOutcome"]

_LAZY = frozenset({"MAX_CONCURRENT_EXECUTIONS", "Engine"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import simulation

        return getattr(simulation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
