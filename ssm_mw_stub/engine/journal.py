"""The engine's side of the event log: execution, task, invocation and Automation state
changes.

The details are built by :mod:`ssm_mw_stub.model.events`; this adds what the engine needs
on its hot path: one formatted time per instant, shared by the many events of that instant.
"""

from __future__ import annotations

from datetime import datetime

from ..model import InvocationRecord, RegionState, TaskExecutionRecord, WindowExecutionRecord
from ..model.arns import automation_definition_arn, ssm_arn
from ..model.automation import AutomationExecutionRecord, StepRecord
from ..model.commands import CommandRecord
from ..model.events import (
    AUTOMATION_EXECUTION_STATE,
    AUTOMATION_STEP_STATE,
    COMMAND_INVOCATION_STATE,
    COMMAND_STATE,
    EXECUTION_STATE,
    INVOCATION_STATE,
    TASK_EXECUTION_STATE,
    EventSink,
    automation_detail,
    automation_time,
    command_detail,
    command_invocation_detail,
    execution_detail,
    invocation_detail,
    iso_millis,
)
from ..task_types import task_type

__all__ = ["Journal"]


class Journal:
    """Emits the engine's events into the mock's sink."""

    __slots__ = ("_definition", "_iso_text", "_iso_when", "_sink", "_us_text", "_us_when")

    def __init__(self, sink: EventSink) -> None:
        self._sink = sink
        self._iso_when: datetime | None = None
        self._iso_text = ""
        self._us_when: datetime | None = None
        self._us_text = ""
        # (state, document name, version, definition ARN) of the last Automation event:
        # consecutive executions of one task share them.
        self._definition: tuple[RegionState | None, str, str, str] = (None, "", "", "")

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
        """An invocation's state changed (two events per invocation: the hot path)."""
        start, end = record.start_time, record.end_time
        stamp = self._iso_text if start is self._iso_when else self.iso(start)
        if end is not None:
            end_text: str | None = stamp if end is start else self.iso(end)
        else:
            end_text = None
        status = record.status
        if status != "IN_PROGRESS" and not task_type(record.task_type).reports_every_status:
            status = "COMPLETE"  # Automation, Lambda, Step Functions: whatever the outcome
        detail = invocation_detail(
            stamp,
            end_text,
            window_id,
            record.window_execution_id,
            record.task_execution_id,
            record.window_target_id,
            status,
            record.owner_information,
        )
        self._sink(INVOCATION_STATE, detail, resources, t, state.account, state.region)

    # --- Automation -----------------------------------------------------------------------

    def us(self, when: datetime) -> str:
        """Automation event time text, cached like :meth:`iso`."""
        if when is not self._us_when:
            self._us_when = when
            self._us_text = automation_time(when)
        return self._us_text

    def automation(
        self,
        state: RegionState,
        record: AutomationExecutionRecord,
        t: datetime,
        step: StepRecord | None = None,
    ) -> None:
        """EC2 Automation Execution Status-change Notification for ``record`` as it is
        now, or with a ``step`` the Step Status-change Notification for that step."""
        execution_id, name = record.automation_execution_id, record.document_name
        version = record.document_version
        kind, status = AUTOMATION_EXECUTION_STATE, record.status
        start, end = record.start_time, record.end_time
        if step is not None:
            assert step.start_time is not None  # a step that never ran has no events
            kind, status = AUTOMATION_STEP_STATE, step.status
            start, end = step.start_time, step.end_time
        detail = automation_detail(
            execution_id, name, version, status, self.us(start),
            None if end is None else self.us(end),
            None if end is None else _millis(start, end),
            record.executed_by if step is None else None,
            None if step is None else (step.step_name, step.action),
        )
        resources = self._resources(state, execution_id, name, version)
        self._sink(kind, detail, resources, t, state.account, state.region)

    def _resources(
        self, state: RegionState, execution_id: str, name: str, version: str
    ) -> tuple[str, str]:
        """An Automation event names the execution and its runbook (definition:version)."""
        region, account = state.region, state.account
        last = self._definition
        if last[0] is not state or last[1] != name or last[2] != version:
            last = (state, name, version, automation_definition_arn(region, account, name, version))
            self._definition = last
        return ssm_arn(region, account, "automation-execution", execution_id), last[3]

    def automation_instant(
        self,
        state: RegionState,
        execution_id: str,
        name: str,
        version: str,
        executed_by: str,
        t: datetime,
    ) -> None:
        """Both events of an execution that succeeded the instant ``t`` it started
        (InProgress, then Success), sharing what they have in common: the window's fast
        path."""
        resources = self._resources(state, execution_id, name, version)
        stamp = self._us_text if t is self._us_when else self.us(t)
        sink, account, region = self._sink, state.account, state.region
        started = automation_detail(
            execution_id, name, version, "InProgress", stamp, None, None, executed_by
        )
        sink(AUTOMATION_EXECUTION_STATE, started, resources, t, account, region)
        ended = automation_detail(
            execution_id, name, version, "Success", stamp, stamp, 0.0, executed_by
        )
        sink(AUTOMATION_EXECUTION_STATE, ended, resources, t, account, region)

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


def _millis(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() * 1000.0, 3)
