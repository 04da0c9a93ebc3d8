"""Outcome rules: the declarative stand-in for task handlers across processes.

A process that drives the server from outside cannot hand it a Python function, so it
describes outcomes as data instead: a rule names a key (a task ARN, a document name or a
task type, the keys of ``mw.on_task``), optionally an instance id, and the ``TaskOutcome``
to give. Rules are kept in order and the first one that matches a piece of work decides it
(the order is the user's: put the specific rules before the general ones). Work that no
rule matches succeeds at once, as it does without a handler.

The rules answer through the ordinary handler mechanism: :class:`OutcomeRules` is itself a
handler, registered with ``mw.on_task`` under every key a rule names, and it goes through
the whole list for every piece of work it is asked about, so the order holds whichever key
the engine looked up first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..outcomes import Invocation, TaskOutcome
from .durations import duration_from_json, format_duration

if TYPE_CHECKING:
    from ..mock import MaintenanceWindows

__all__ = ["OutcomeRule", "OutcomeRules"]

#: The members of a rule's JSON form, besides ``key`` and ``status``.
_OPTIONAL = (
    "instance_id", "duration", "output", "stdout", "stderr", "response_code", "outputs",
    "failure_message",
)
_MEMBERS = frozenset(("key", "status", *_OPTIONAL))


@dataclass(frozen=True)
class OutcomeRule:
    """Give ``outcome`` to the work of ``key`` (on ``instance_id`` only, if given)."""

    key: str
    outcome: TaskOutcome
    instance_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise TypeError(
                f"a rule's key is a task ARN, document name or task type; got {self.key!r}"
            )
        if not isinstance(self.outcome, TaskOutcome):
            raise TypeError(f"a rule's outcome is a TaskOutcome; got {self.outcome!r}")
        if self.instance_id is not None and (
            not isinstance(self.instance_id, str) or not self.instance_id
        ):
            raise TypeError(f"a rule's instance_id is a str or None; got {self.instance_id!r}")

    def matches(self, invocation: Invocation) -> bool:
        """The key is the work's task ARN (or document) or its task type; the instance, if
        the rule names one, is the Run Command node, or else the invocation's target."""
        if self.key != invocation.task_arn and self.key != invocation.task_type:
            return False
        if self.instance_id is None:
            return True
        node = invocation.instance_id if invocation.instance_id is not None else (
            invocation.target_id
        )
        return node == self.instance_id

    @classmethod
    def from_json(cls, data: object) -> OutcomeRule:
        """A rule from its JSON form (``{"key", "status", "duration", ...}``); raises
        ``ValueError`` or ``TypeError`` saying what is wrong."""
        if not isinstance(data, Mapping):
            raise TypeError(f"a rule is a JSON object with key and status; got {data!r}")
        unknown = sorted(set(data) - _MEMBERS)
        if unknown:
            raise ValueError(
                f"unknown member(s) {', '.join(unknown)} in an outcome rule; a rule has "
                f"key, status and optionally {', '.join(_OPTIONAL)}"
            )
        missing = [name for name in ("key", "status") if name not in data]
        if missing:
            raise ValueError(f"an outcome rule needs {' and '.join(missing)}")
        outcome: dict[str, Any] = {
            name: data[name] for name in _OPTIONAL[1:] if data.get(name) is not None
        }
        duration = outcome.get("duration")
        if duration is not None:
            outcome["duration"] = duration_from_json(duration)
        if "outputs" in outcome and isinstance(outcome["outputs"], Mapping):
            outcome["outputs"] = dict(outcome["outputs"])
        return cls(
            key=data["key"],
            outcome=TaskOutcome(data["status"], **outcome),
            instance_id=data.get("instance_id"),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form: key, status, duration (ISO 8601), and the members that are set."""
        outcome = self.outcome
        data: dict[str, Any] = {"key": self.key}
        if self.instance_id is not None:
            data["instance_id"] = self.instance_id
        data["status"] = outcome.status
        data["duration"] = format_duration(outcome.duration)
        if outcome.output:
            data["output"] = outcome.output
        for name in ("stdout", "stderr", "response_code", "failure_message"):
            value = getattr(outcome, name)
            if value is not None:
                data[name] = value
        if outcome.outputs is not None:
            data["outputs"] = {key: list(values) for key, values in outcome.outputs.items()}
        return data


class OutcomeRules:
    """The ordered rules of one mock, and the handler that applies them."""

    def __init__(self) -> None:
        self._rules: tuple[OutcomeRule, ...] = ()
        self._lock = threading.Lock()

    @property
    def rules(self) -> tuple[OutcomeRule, ...]:
        return self._rules

    def replace(self, mw: MaintenanceWindows, rules: Iterable[OutcomeRule]) -> None:
        """The rules become ``rules``, in that order."""
        with self._lock:
            self._rules = tuple(rules)
            self._register(mw)

    def add(self, mw: MaintenanceWindows, rule: OutcomeRule) -> None:
        """Add ``rule`` at the end; a rule of the same key and instance is replaced in its
        place instead (as ``mw.on_task`` replaces a key's handler)."""
        with self._lock:
            rules = list(self._rules)
            for index, old in enumerate(rules):
                if (old.key, old.instance_id) == (rule.key, rule.instance_id):
                    rules[index] = rule
                    break
            else:
                rules.append(rule)
            self._rules = tuple(rules)
            self._register(mw)

    def forget(self) -> None:
        """Drop every rule (the mock's state was reset, and its handlers with it)."""
        with self._lock:
            self._rules = ()

    def _register(self, mw: MaintenanceWindows) -> None:
        for key in dict.fromkeys(rule.key for rule in self._rules):
            mw.on_task(key, self)

    def __call__(self, invocation: Invocation) -> TaskOutcome:
        for rule in self._rules:
            if rule.matches(invocation):
                return rule.outcome
        return TaskOutcome("SUCCESS")
