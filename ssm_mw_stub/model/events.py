"""EventBridge events of the service, shaped like the real ``aws.ssm`` events.

The service and the engine both emit through an :data:`EventSink`; the mock collects the
events in order as ``mw.events``. The detail of each kind of event is built here and only
here, keys in the order of the AWS examples ("Amazon EventBridge event examples for Systems
Manager"): kebab-case, times ISO 8601 UTC with milliseconds.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

from .ids import uuid4_text
from .records import JSON, RETENTION

__all__ = [
    "AUTOMATION_EXECUTION_STATE",
    "AUTOMATION_STEP_STATE",
    "COMMAND_INVOCATION_STATE",
    "COMMAND_STATE",
    "COMPLIANCE_CHANGE",
    "EXECUTION_STATE",
    "INVOCATION_STATE",
    "TARGET_REGISTRATION",
    "TASK_EXECUTION_STATE",
    "TASK_REGISTRATION",
    "WINDOW_STATE",
    "EventLog",
    "EventSink",
    "automation_detail",
    "automation_time",
    "command_detail",
    "command_invocation_detail",
    "compliance_detail",
    "envelope",
    "execution_detail",
    "invocation_detail",
    "iso_millis",
    "target_registration_detail",
    "task_registration_detail",
    "window_state_detail",
]

#: Where events go: (detail-type, detail, resources (ARNs), time, account, region).
EventSink = Callable[[str, JSON, tuple[str, ...], datetime, str, str], None]

TARGET_REGISTRATION = "Maintenance Window Target Registration Notification"
TASK_REGISTRATION = "Maintenance Window Task Registration Notification"
EXECUTION_STATE = "Maintenance Window Execution State-change Notification"
TASK_EXECUTION_STATE = "Maintenance Window Task Execution State-change Notification"
INVOCATION_STATE = "Maintenance Window Task Target Invocation State-change Notification"
WINDOW_STATE = "Maintenance Window State-change Notification"
AUTOMATION_EXECUTION_STATE = "EC2 Automation Execution Status-change Notification"
AUTOMATION_STEP_STATE = "EC2 Automation Step Status-change Notification"
COMMAND_STATE = "EC2 Command Status-change Notification"
COMMAND_INVOCATION_STATE = "EC2 Command Invocation Status-change Notification"
#: A node's patch compliance changed (Systems Manager's events reference).
COMPLIANCE_CHANGE = "Configuration Compliance State Change"


def iso_millis(when: datetime) -> str:
    """``2016-11-16T01:00:57.839Z``: the time format inside event details."""
    utc = when.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def envelope_time(when: datetime) -> str:
    """``2016-11-16T01:00:57Z``: the time format of the envelope (whole seconds)."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    *,
    event_id: str,
    detail_type: str,
    detail: JSON,
    resources: tuple[str, ...],
    time: str,
    account: str,
    region: str,
) -> JSON:
    """The whole EventBridge event around ``detail`` (a copy of it)."""
    return {
        "version": "0",
        "id": event_id,
        "detail-type": detail_type,
        "source": "aws.ssm",
        "account": account,
        "time": time,
        "region": region,
        "resources": list(resources),
        "detail": dict(detail),
    }


# --- details ----------------------------------------------------------------------------


def window_state_detail(window_id: str, enabled: bool) -> JSON:
    """Maintenance Window State-change Notification: the window was enabled or disabled."""
    return {"window-id": window_id, "status": "ENABLED" if enabled else "DISABLED"}


def compliance_detail(
    end: datetime, non_compliant: bool, instance_id: str, baseline_id: str, severity: str
) -> JSON:
    """Configuration Compliance State Change of a node's patch compliance, as the events
    reference's example words it (status and severity in lower case)."""
    return {
        "last-runtime": envelope_time(end),
        "compliance-status": "non_compliant" if non_compliant else "compliant",
        "resource-type": "managed-instance",
        "resource-id": instance_id,
        "compliance-type": "Patch",
        "patch-baseline-id": baseline_id,
        "severity": severity.lower(),
    }


def target_registration_detail(window_target_id: str, window_id: str, status: str) -> JSON:
    """Maintenance Window Target Registration Notification (REGISTERED, UPDATED,
    DEREGISTERED)."""
    return {"window-target-id": window_target_id, "window-id": window_id, "status": status}


def task_registration_detail(window_task_id: str, window_id: str, status: str) -> JSON:
    """Maintenance Window Task Registration Notification (REGISTERED, UPDATED,
    DEREGISTERED). AWS documents the event type and its statuses but shows no detail; this
    one follows the target registration's example, with ``window-task-id``."""
    return {"window-task-id": window_task_id, "window-id": window_id, "status": status}


def execution_detail(
    start: str,
    end: str | None,
    window_id: str,
    window_execution_id: str,
    status: str,
    task_execution_id: str | None = None,
) -> JSON:
    """Maintenance Window Execution State-change Notification, or with a
    ``task_execution_id`` the Task Execution State-change Notification (which names it
    right after the start time)."""
    detail: JSON = {"start-time": start}
    if task_execution_id is not None:
        detail["task-execution-id"] = task_execution_id
    if end is not None:
        detail["end-time"] = end
    detail["window-id"] = window_id
    detail["window-execution-id"] = window_execution_id
    detail["status"] = status
    return detail


def invocation_detail(
    start: str,
    end: str | None,
    window_id: str,
    window_execution_id: str,
    task_execution_id: str,
    window_target_id: str | None,
    status: str,
    owner: str | None,
) -> JSON:
    """Maintenance Window Task Target Invocation State-change Notification."""
    detail: JSON = {"start-time": start}
    if end is not None:
        detail["end-time"] = end
    detail["window-id"] = window_id
    detail["window-execution-id"] = window_execution_id
    detail["task-execution-id"] = task_execution_id
    if window_target_id is not None:
        detail["window-target-id"] = window_target_id
    detail["status"] = status
    if owner is not None:
        detail["owner-information"] = owner
    return detail


# --- Automation --------------------------------------------------------------------------
#
# The Automation events are older than the maintenance-window ones and look it: detail keys
# in PascalCase, times as Java's medium US date format in UTC ("Nov 29, 2024 7:43:20 PM"),
# DefinitionVersion a JSON number and Time the duration in milliseconds ("Amazon
# EventBridge event examples for Systems Manager", Automation section).

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def automation_time(when: datetime) -> str:
    """``Nov 29, 2024 7:43:20 PM``: the time format inside Automation event details."""
    utc = when.astimezone(timezone.utc)
    hour = utc.hour % 12 or 12
    noon = "AM" if utc.hour < 12 else "PM"
    return (
        f"{_MONTHS[utc.month - 1]} {utc.day}, {utc.year} "
        f"{hour}:{utc.minute:02d}:{utc.second:02d} {noon}"
    )


def automation_detail(
    execution_id: str,
    definition: str,
    version: str,
    status: str,
    start: str,
    end: str | None,
    millis: float | None,
    executed_by: str | None = None,
    step: tuple[str, str] | None = None,
) -> JSON:
    """EC2 Automation Execution Status-change Notification, or with a ``step`` (its name
    and action) the Step Status-change Notification; EndTime and Time once ended, keys in
    the order of each example (a step's EndTime comes before its StartTime)."""
    detail: JSON = {
        "ExecutionId": execution_id,
        "Definition": definition,
        "DefinitionVersion": float(version),  # a JSON number in the examples (``1.0``)
        "Status": status,
    }
    if step is None:
        detail["StartTime"] = start
        if end is not None:
            detail["EndTime"] = end
            detail["Time"] = millis
        detail["ExecutedBy"] = executed_by
        return detail
    if end is not None:
        detail["EndTime"] = end
    detail["StartTime"] = start
    if end is not None:
        detail["Time"] = millis
    detail["StepName"], detail["Action"] = step
    return detail


# --- Run Command -----------------------------------------------------------------------


def command_detail(
    command_id: str,
    document_name: str,
    expire_after: str,
    parameters: JSON,
    requested: str,
    status: str,
) -> JSON:
    """EC2 Command Status-change Notification (Run Command): ``status`` is the command's
    Status word, ``expire-after`` its ExpiresAfter (the example's spelling)."""
    return {
        "command-id": command_id,
        "document-name": document_name,
        "expire-after": expire_after,
        "parameters": parameters,
        "requested-date-time": requested,
        "status": status,
    }


def command_invocation_detail(
    command_id: str, document_name: str, instance_id: str, requested: str, status: str
) -> JSON:
    """EC2 Command Invocation Status-change Notification: one node of a command."""
    return {
        "command-id": command_id,
        "document-name": document_name,
        "instance-id": instance_id,
        "requested-date-time": requested,
        "status": status,
    }


# --- the log ----------------------------------------------------------------------------

#: One recorded event: (time, id bits, detail-type, detail, resources, account, region).
_Item = tuple[datetime, int, str, JSON, tuple[str, ...], str, str]


class EventLog:
    """The events one mock has emitted, oldest first, for the last 30 simulated days.

    Recording is on the engine's hot path (two events per invocation), so an event is kept
    as the few values it is made of, in a tuple of immutable values that Python's garbage
    collector soon stops tracking (long simulations keep many events, and collector passes
    over them cost more than the recording itself). Each read turns them into fresh
    EventBridge envelopes. An event's id comes from a generator seeded with the mock's
    seed, drawn when the event is recorded (only its text is made on reading), so ids
    follow the order of events and do not depend on when the log is read.
    """

    __slots__ = ("_ids", "_items", "_prune_after", "recorded")

    def __init__(self, seed: object) -> None:
        self._items: deque[_Item] = deque()
        self._ids = random.Random(f"{seed}:events")
        # The instant after which the oldest kept event is out of retention.
        self._prune_after: datetime | None = None
        #: How many events were ever recorded (clearing does not reset it): what a reader
        #: of new events (``since``) counts by.
        self.recorded = 0

    def record(
        self,
        detail_type: str,
        detail: JSON,
        resources: tuple[str, ...],
        when: datetime,
        account: str,
        region: str,
    ) -> None:
        """Keep one event (its envelope is built when the log is read)."""
        items = self._items
        bits = self._ids.getrandbits(128)
        items.append((when, bits, detail_type, detail, resources, account, region))
        self.recorded += 1
        prune_after = self._prune_after
        if prune_after is None:
            self._prune_after = items[0][0] + RETENTION
        elif when > prune_after:
            horizon = when - RETENTION
            while items[0][0] < horizon:
                items.popleft()
            self._prune_after = items[0][0] + RETENTION

    def clear(self) -> None:
        self._items.clear()
        self._prune_after = None

    def snapshot(self) -> list[JSON]:
        """Every kept event as an EventBridge envelope, oldest first."""
        return self._envelopes(self._items)

    def since(self, recorded: int) -> list[tuple[datetime, JSON]]:
        """The events recorded after the first ``recorded`` ones (those still kept), oldest
        first, each with its instant: what a reader that saw ``recorded`` has not seen."""
        new = min(self.recorded - recorded, len(self._items))
        if new <= 0:
            return []
        items = list(itertools.islice(reversed(self._items), new))
        items.reverse()
        return list(zip([item[0] for item in items], self._envelopes(items), strict=True))

    @staticmethod
    def _envelopes(items: Iterable[_Item]) -> list[JSON]:
        out = []
        time_of: datetime | None = None
        time = ""
        for when, bits, detail_type, detail, resources, account, region in items:
            if when is not time_of:  # many events share an instant: format it once
                time_of, time = when, envelope_time(when)
            out.append(
                envelope(
                    event_id=uuid4_text(bits),
                    detail_type=detail_type,
                    detail=detail,
                    resources=resources,
                    time=time,
                    account=account,
                    region=region,
                )
            )
        return out
