"""The engine's side of the event log: execution, task and invocation state changes.

The details are built by :mod:`ssm_mw_stub.model.events`; this adds what the engine needs
on its hot path: one formatted time per instant, shared by the many events of that instant.
"""

from __future__ import annotations

from datetime import datetime

from ..model import InvocationRecord, RegionState, TaskExecutionRecord, WindowExecutionRecord
from ..model.commands import CommandRecord
from ..model.events import (
    COMMAND_INVOCATION_STATE,
    COMMAND_STATE,
    EXECUTION_STATE,
    INVOCATION_STATE,
    TASK_EXECUTION_STATE,
    EventSink,
    command_detail,
    command_invocation_detail,
    execution_detail,
    invocation_detail,
    iso_millis,
)

__all__ = ["Journal"]


class Journal:
    """Emits the engine's events into the mock's sink."""

    __slots__ = ("_iso_text", "_iso_when", "_sink")

    def __init__(self, sink: EventSink) -> None:
        self._sink = sink
        self._iso_when: datetime | None = None
        self._iso_text = ""

    def iso(self, when: datetime) -> str:
        """Event time text, cached: many events of one instant share it."""
        if when is not self._iso_when:
            self._iso_when = when
            self._iso_text = iso_millis(when)
        return self._iso_text

    def execution(
        self,
        state: RegionState,
        record: WindowExecutionRecord,
        resources: tuple[str, ...],
        t: datetime,
    ) -> None:
        end = record.end_time
        detail = execution_detail(
            self.iso(record.start_time),
            None if end is None else self.iso(end),
            record.window_id,
            record.window_execution_id,
            record.status,
        )
        self._sink(EXECUTION_STATE, detail, resources, t, state.account, state.region)

    def task(
        self,
        state: RegionState,
        window_id: str,
        resources: tuple[str, ...],
        record: TaskExecutionRecord,
        t: datetime,
    ) -> None:
        assert record.start_time is not None
        end = record.end_time
        detail = execution_detail(
            self.iso(record.start_time),
            None if end is None else self.iso(end),
            window_id,
            record.window_execution_id,
            record.status,
            record.task_execution_id,
        )
        self._sink(TASK_EXECUTION_STATE, detail, resources, t, state.account, state.region)

    def invocation(
        self,
        state: RegionState,
        window_id: str,
        resources: tuple[str, ...],
        record: InvocationRecord,
        t: datetime,
    ) -> None:
        end = record.end_time
        detail = invocation_detail(
            self.iso(record.start_time),
            None if end is None else self.iso(end),
            window_id,
            record.window_execution_id,
            record.task_execution_id,
            record.window_target_id,
            record.status,
            record.owner_information,
        )
        self._sink(INVOCATION_STATE, detail, resources, t, state.account, state.region)

    def command(
        self,
        state: RegionState,
        record: CommandRecord,
        times: tuple[str, str],
        resources: tuple[str, ...],
        t: datetime,
    ) -> None:
        """A Run Command command changed status; ``times`` are its RequestedDateTime and
        ExpiresAfter as event text, ``resources`` its nodes' ARNs."""
        # The event keeps its own copy: a reader changing it must not change the record.
        parameters = {
            name: list(values) if isinstance(values, list) else values
            for name, values in record.parameters.items()
        }
        detail = command_detail(
            record.command_id, record.document_name, times[1], parameters, times[0],
            record.status,
        )
        self._sink(COMMAND_STATE, detail, resources, t, state.account, state.region)

    def command_invocation(
        self,
        state: RegionState,
        record: CommandRecord,
        requested: str,
        instance_id: str,
        status: str,
        resource: tuple[str, ...],
        t: datetime,
    ) -> None:
        """One node of a Run Command command changed status."""
        detail = command_invocation_detail(
            record.command_id, record.document_name, instance_id, requested, status
        )
        self._sink(COMMAND_INVOCATION_STATE, detail, resource, t, state.account, state.region)

    def command_successes(
        self,
        state: RegionState,
        record: CommandRecord,
        requested: str,
        arns: dict[str, tuple[str]],
        t: datetime,
    ) -> None:
        """Every node of ``arns`` went InProgress and then Success at ``t`` (the events of
        a command whose nodes all succeed the instant they start, in one loop)."""
        sink, account, region = self._sink, state.account, state.region
        command_id, document = record.command_id, record.document_name
        for instance_id, resource in arns.items():
            for status in ("InProgress", "Success"):
                detail = command_invocation_detail(
                    command_id, document, instance_id, requested, status
                )
                sink(COMMAND_INVOCATION_STATE, detail, resource, t, account, region)
