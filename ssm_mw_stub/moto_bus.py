"""The mock's events on moto's default event bus, while moto's ``mock_aws`` is active.

Against AWS, every event Systems Manager emits reaches the default event bus of its account
and Region, where the account's EventBridge rules route it to their targets. A test that
made such a rule in moto (``events.put_rule`` with an ``EventPattern``, ``put_targets``
with an SQS queue or an SNS topic) should see its target receive the mock's events, as the
code under test would in production. So each event is put on moto's default bus of the
event's account and Region, where moto matches its rules and delivers to their targets.

The event goes straight into moto's EventBridge backend of that account (its
``put_events``), not through a boto3 ``events`` client: moto answers a boto3 client in the
account its credentials name, which is moto's default account whatever ``account_id`` the
mock acts in. The backend is read from ``sys.modules`` with ``dict.get`` (see
:func:`.model.moto_fleet.backend`), so moto is never imported, and a Region where the test
made no EventBridge resource (so no rule that could match) costs nothing. moto gives the
event an id of its own; the time is the event's simulated instant.

Delivery is best effort, like the service's own: a target moto cannot reach changes nothing
about the simulation.
"""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import datetime
from typing import Any

from .model import moto_fleet

__all__ = ["bus_active", "put_on_default_bus"]


def bus_active() -> bool:
    """Whether moto's ``mock_aws`` is active and its EventBridge has been used (only then
    can a rule exist for an event to reach)."""
    return "moto.events.models" in sys.modules and moto_fleet.active()


def put_on_default_bus(event: dict[str, Any], when: datetime) -> None:
    """Put ``event`` (an EventBridge envelope) on moto's default bus of its account and
    Region, if that backend exists (call only while :func:`bus_active`)."""
    bus = moto_fleet.backend(
        "moto.events.models", "events_backends", event["account"], event["region"]
    )
    if bus is None:
        return
    entry = {
        "Source": event["source"],
        "DetailType": event["detail-type"],
        "Detail": json.dumps(event["detail"]),
        "Resources": list(event["resources"]),
        "Time": when.timestamp(),
        "EventBusName": "default",
    }
    with contextlib.suppress(Exception):  # best effort: a target moto cannot reach
        bus.put_events([entry])
