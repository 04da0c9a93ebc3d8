"""The task-type registry: one object per maintenance-window TaskType value.

Everything that depends on a task's type lives in that type's module (see
:class:`~.base.TaskType` for the list); the service and the engine ask the registry and
never branch on the type's name. Like botocore's parser factory, the lookup refuses a name
it does not know instead of falling back to another type. Adding a task type is one module
here plus its line below.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .automation import Automation
from .base import TaskType, Work
from .lambda_ import Lambda
from .run_command import RunCommand
from .step_functions import StepFunctions

__all__ = ["TASK_TYPES", "TaskType", "UnknownTaskTypeError", "Work", "task_type"]

#: Every task type the stub models, by TaskType value.
TASK_TYPES: Mapping[str, TaskType] = MappingProxyType(
    {kind.name: kind for kind in (RunCommand(), Automation(), Lambda(), StepFunctions())}
)


class UnknownTaskTypeError(LookupError):
    """A TaskType value this library does not model."""


def task_type(name: str) -> TaskType:
    """The task type called ``name``; an unknown name is an error, never a fallback."""
    try:
        return TASK_TYPES[name]
    except (KeyError, TypeError):
        raise UnknownTaskTypeError(
            f"task type {name!r} is not modelled; known types: {', '.join(TASK_TYPES)}"
        ) from None
