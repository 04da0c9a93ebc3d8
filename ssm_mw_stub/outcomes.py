"""What a task handler receives (``Invocation``) and returns (``TaskOutcome``).

Both are public: tests write handlers against them. They are plain frozen dataclasses so a
handler can compare, print and store them without surprises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

__all__ = [
    "OUTCOME_STATUSES",
    "AutomationStep",
    "Handler",
    "Invocation",
    "TaskHandlerError",
    "TaskOutcome",
]

#: The final statuses a handler may report for any work.
OUTCOME_STATUSES = frozenset({"SUCCESS", "FAILED", "TIMED_OUT", "CANCELLED"})


@cache
def _service_statuses() -> frozenset[str]:
    """Statuses of the downstream services' own (Run Command's, Automation's), which a
    handler may report for their work; which apply to which work is checked when the
    engine receives the outcome."""
    from .task_types import TASK_TYPES

    return frozenset().union(*(kind.outcome_statuses for kind in TASK_TYPES.values()))


def _check_outputs(what: str, outputs: object, example: str) -> None:
    """Outputs map str to a list of str, as the Automation API returns them."""
    if outputs is not None and not (
        isinstance(outputs, Mapping)
        and all(
            isinstance(key, str)
            and isinstance(values, list)
            and all(isinstance(value, str) for value in values)
            for key, values in outputs.items()
        )
    ):
        raise TypeError(
            f"{what} must map str to a list of str (as the Automation API returns them), "
            f"e.g. {{'{example}': ['value']}}; got {outputs!r}"
        )


#: What an Automation step action is named like (the model's AutomationActionName).
_ACTION = re.compile(r"^aws:[a-zA-Z]{3,40}$")


@cache
def _step_statuses() -> frozenset[str]:
    """A step ends as an execution does, or stays Pending (it never ran), or Exited (a
    loop left early), as "Understanding automation statuses" lists them."""
    from .task_types.automation import AUTOMATION_OUTCOMES

    return AUTOMATION_OUTCOMES | {"Pending", "Exited"}


@dataclass(frozen=True)
class AutomationStep:
    """One step of an Automation execution, as a handler reports it in
    ``TaskOutcome(steps=[...])``.

    Steps run one after another from the execution's start, each for its ``duration``; a
    ``Pending`` step never runs (it has no times). ``inputs`` are shown as given (AWS shows
    each input JSON-encoded, e.g. ``{"DesiredState": '"running"'}``); ``outputs`` map an
    output name to its values.
    """

    name: str
    action: str = "aws:executeScript"
    status: str = "Success"
    duration: timedelta = timedelta(0)
    inputs: Mapping[str, str] | None = None
    outputs: Mapping[str, list[str]] | None = None
    failure_message: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"AutomationStep name must be a non-empty str; got {self.name!r}")
        if not isinstance(self.action, str) or not _ACTION.match(self.action):
            raise ValueError(
                "AutomationStep action must be an Automation action name such as "
                f"'aws:executeScript' (aws: and 3-40 letters); got {self.action!r}"
            )
        statuses = _step_statuses()
        if self.status not in statuses:
            raise ValueError(
                f"AutomationStep status must be one of {', '.join(sorted(statuses))}; "
                f"got {self.status!r}"
            )
        if not isinstance(self.duration, timedelta) or self.duration < timedelta(0):
            raise TypeError(
                f"AutomationStep duration must be a non-negative datetime.timedelta; got "
                f"{self.duration!r}"
            )
        inputs = self.inputs
        if inputs is not None and not (
            isinstance(inputs, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in inputs.items())
        ):
            raise TypeError(f"AutomationStep inputs must map str to str; got {inputs!r}")
        _check_outputs("AutomationStep outputs", self.outputs, "InstanceStates")
        message = self.failure_message
        if message is not None and not isinstance(message, str):
            raise TypeError(
                f"AutomationStep failure_message must be a str or None, not "
                f"{type(message).__name__}"
            )


@dataclass(frozen=True)
class TaskOutcome:
    """How one invocation ends: its final status, how long it ran, and its output.

    ``stdout``, ``stderr`` and ``response_code`` are what a Run Command node reports;
    ``outputs`` and ``failure_message`` what an Automation execution reports. Each is None
    when the handler does not say, and the service then reports what AWS reports by
    default for the status.
    """

    status: str
    duration: timedelta = timedelta(0)
    output: str = ""
    stdout: str | None = None
    stderr: str | None = None
    response_code: int | None = None
    outputs: Mapping[str, list[str]] | None = None
    failure_message: str | None = None
    steps: Sequence[AutomationStep] | None = None

    def __post_init__(self) -> None:
        if self.status not in OUTCOME_STATUSES and self.status not in _service_statuses():
            extra = sorted(_service_statuses())
            also = f" (or a status of the task's own service: {', '.join(extra)})" if extra else ""
            raise ValueError(
                f"TaskOutcome status must be one of {', '.join(sorted(OUTCOME_STATUSES))}; "
                f"got {self.status!r}{also}"
            )
        if not isinstance(self.duration, timedelta):
            raise TypeError(
                f"TaskOutcome duration must be a datetime.timedelta, not "
                f"{type(self.duration).__name__}"
            )
        if self.duration < timedelta(0):
            raise ValueError(f"TaskOutcome duration must not be negative; got {self.duration}")
        if not isinstance(self.output, str):
            raise TypeError(f"TaskOutcome output must be a str, not {type(self.output).__name__}")
        for name in ("stdout", "stderr", "failure_message"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise TypeError(
                    f"TaskOutcome {name} must be a str or None, not {type(value).__name__}"
                )
        code = self.response_code
        if code is not None and (not isinstance(code, int) or isinstance(code, bool)):
            raise TypeError(
                f"TaskOutcome response_code must be an int or None, not {type(code).__name__}"
            )
        _check_outputs("TaskOutcome outputs", self.outputs, "step.Output")
        steps = self.steps
        if steps is not None and not (
            isinstance(steps, Sequence)
            and not isinstance(steps, str)
            and all(isinstance(step, AutomationStep) for step in steps)
        ):
            raise TypeError(
                f"TaskOutcome steps must be a sequence of ssm_mw_stub.AutomationStep; got "
                f"{steps!r}"
            )


@dataclass(frozen=True)
class Invocation:
    """One invocation of a window task on one target, as the handler sees it.

    ``parameters`` are the task's invocation parameters after pseudo-parameter substitution
    (``{{TARGET_ID}}`` and friends); ``window_target_id`` is None for targets given directly
    as instance ids; ``target_id`` is None for a targetless task. ``command_id`` and
    ``instance_id`` name the Run Command command and node a handler decides (None for other
    work); ``automation_execution_id`` the Automation execution (None for other work).

    Work the code under test started itself (``send_command``) belongs to no window: its
    window, window execution, window task, task execution and invocation ids are None,
    ``task_arn`` is the document and ``task_type`` ``RUN_COMMAND``.
    """

    window_id: str | None
    window_execution_id: str | None
    window_task_id: str | None
    task_execution_id: str | None
    invocation_id: str | None
    window_target_id: str | None
    target_id: str | None
    task_arn: str
    task_type: str
    owner_information: str | None
    start_time: datetime
    parameters: dict[str, Any] = field(default_factory=dict)
    command_id: str | None = None
    instance_id: str | None = None
    automation_execution_id: str | None = None


class TaskHandlerError(RuntimeError):
    """A task outcome handler raised: the test's own code failed, so the test must hear it.

    The message names the window, the task (ARN and WindowTaskId) and the invocation; the
    handler's exception is chained as ``__cause__``.
    """


#: A task outcome handler: gets an Invocation, returns a TaskOutcome.
Handler = Callable[[Invocation], TaskOutcome]
