"""EventBridge events of the service, shaped like the real ``aws.ssm`` events.

The service and the engine both emit; the mock collects them in order as ``mw.events``.
Detail keys are kebab-case and times ISO 8601 UTC, as in the AWS event examples.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import deque
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = [
    "EVENT_RETENTION",
    "EXECUTION_STATE",
    "INVOCATION_STATE",
    "TARGET_REGISTRATION",
    "TASK_EXECUTION_STATE",
    "WINDOW_STATE",
    "EventLog",
    "envelope",
    "iso_millis",
]

TARGET_REGISTRATION = "Maintenance Window Target Registration Notification"
EXECUTION_STATE = "Maintenance Window Execution State-change Notification"
TASK_EXECUTION_STATE = "Maintenance Window Task Execution State-change Notification"
INVOCATION_STATE = "Maintenance Window Task Target Invocation State-change Notification"
WINDOW_STATE = "Maintenance Window State-change Notification"


def iso_millis(when: datetime) -> str:
    """``2016-11-16T01:00:57.839Z``: the time format inside event details."""
    utc = when.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def envelope(
    *,
    event_id: str,
    detail_type: str,
    detail: dict[str, Any],
    resources: list[str],
    when: datetime,
    account: str,
    region: str,
) -> dict[str, Any]:
    """The whole EventBridge event around ``detail``."""
    return {
        "version": "0",
        "id": event_id,
        "detail-type": detail_type,
        "source": "aws.ssm",
        "account": account,
        "time": when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": resources,
        "detail": detail,
    }


#: How long the event log keeps an event: the execution history's 30 simulated days.
EVENT_RETENTION = timedelta(days=30)


class EventLog:
    """The events one mock has emitted, oldest first, for the last 30 simulated days.

    Recording is on the engine's hot path (two events per invocation), so an event is kept
    as the few values it is made of and turned into its EventBridge envelope only when
    someone reads the log. Each event's id is derived from the mock's seed and the event's
    sequence number, so ids do not depend on when the log is read.
    """

    __slots__ = ("_items", "_prune_after", "_seed", "_sequence")

    def __init__(self, seed: object) -> None:
        self._items: deque[list[Any]] = deque()
        self._seed = str(seed)
        self._sequence = 0
        # The instant after which the oldest kept event is out of retention.
        self._prune_after: datetime | None = None

    def record(
        self,
        detail_type: str,
        detail: dict[str, Any],
        resources: list[str],
        when: datetime,
        account: str,
        region: str,
    ) -> None:
        """Keep one event (its envelope is built on the first read)."""
        self._sequence += 1
        items = self._items
        items.append([when, self._sequence, detail_type, detail, resources, account, region, None])
        prune_after = self._prune_after
        if prune_after is None:
            self._prune_after = items[0][0] + EVENT_RETENTION
        elif when > prune_after:
            horizon = when - EVENT_RETENTION
            while items[0][0] < horizon:
                items.popleft()
            self._prune_after = items[0][0] + EVENT_RETENTION

    def clear(self) -> None:
        self._items.clear()
        self._prune_after = None

    def snapshot(self) -> list[dict[str, Any]]:
        """Every kept event as an EventBridge envelope, oldest first."""
        out = []
        for item in self._items:
            built = item[7]
            if built is None:
                when, sequence, detail_type, detail, resources, account, region, _ = item
                built = item[7] = envelope(
                    event_id=self._event_id(sequence),
                    detail_type=detail_type,
                    detail=detail,
                    resources=resources,
                    when=when,
                    account=account,
                    region=region,
                )
            out.append(built)
        return out

    def _event_id(self, sequence: int) -> str:
        digest = hashlib.blake2b(f"{self._seed}:{sequence}".encode(), digest_size=16).digest()
        return str(uuid.UUID(bytes=digest, version=4))
