"""The mock's events on moto's default event bus, while moto's ``mock_aws`` is active.

Against AWS, every event Systems Manager emits reaches the default event bus of its account
and Region, where the account's EventBridge rules route it to their targets. A test that
made such a rule in moto (``events.put_rule`` with an ``EventPattern``, ``put_targets``
with an SQS queue or an SNS topic) should see its target receive the mock's events, as the
code under test would in production. So each event is put on moto's default bus of the
event's account and Region, where moto matches its rules and delivers to their targets.

The event goes straight to the rules of moto's EventBridge backend of that account, as
moto's own ``PutEvents`` hands an event to them, not through a boto3 ``events`` client: moto
answers a boto3 client in the account its credentials name, which is moto's default account
whatever ``account_id`` the mock acts in. Each enabled rule whose pattern matches sends the
event to its targets: moto does that for the targets it supports (SQS queues, log groups,
archives, other buses, with input transformers); moto 5 has no SNS target, so for a topic
the event's JSON is published to it here, through moto's SNS backend, as EventBridge would.
Backends are read from ``sys.modules`` with ``dict.get`` (see
:func:`.model.moto_fleet.backend`), so moto is never imported, and a Region where the test
made no EventBridge resource (so no rule that could match) costs nothing. The time moto
sees is the event's simulated instant.

Delivery is best effort, like EventBridge's: a target that is gone changes nothing about
the simulation.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
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
    Region, if that backend exists (call only while :func:`bus_active`): each enabled rule
    whose pattern matches it sends it to its targets."""
    events = moto_fleet.backend(
        "moto.events.models", "events_backends", event["account"], event["region"]
    )
    default = getattr(events, "event_buses", {}).get("default") if events is not None else None
    if default is None:
        return
    # The event as moto's PutEvents hands it to a rule (moto.events.models.put_events).
    message = {**event, "time": when.timestamp(), "ingestion-time": when.timestamp()}
    for rule in list(default.rules.values()):
        if getattr(rule, "state", "ENABLED") != "ENABLED":
            continue
        topics = [target for target in rule.targets if _service(target["Arn"]) == "sns"]
        others = [target for target in rule.targets if target not in topics]
        if others:
            # moto sends to the targets it knows (SQS, logs, archives, buses); given an SNS
            # target it raises NotImplementedError, so it gets a copy of the rule without.
            own = copy.copy(rule)
            own.targets = others
            _deliver(own.send_to_targets, copy.deepcopy(message))
        if topics and rule.event_pattern.matches_event(message):
            for target in topics:
                _deliver(_publish, target["Arn"], json.dumps(event))


def _service(arn: str) -> str:
    parts = arn.split(":")
    return parts[2] if len(parts) > 2 else ""


def _publish(topic_arn: str, message: str) -> None:
    """What EventBridge does for an SNS target: publish the event's JSON to the topic."""
    parts = topic_arn.split(":")
    sns = moto_fleet.backend("moto.sns.models", "sns_backends", parts[4], parts[3])
    if sns is not None:
        sns.publish(message, arn=topic_arn)


def _deliver(send: Callable[..., Any], *args: Any) -> None:
    """Best effort, as EventBridge's own delivery (a queue or topic that is gone changes
    nothing for the producer), except for what the test must hear: moto without the
    packages its EventBridge needs."""
    try:
        send(*args)
    except ImportError as exc:
        raise ImportError(
            f"moto could not deliver a maintenance-window event to its EventBridge rules' "
            f"targets ({exc}): moto's EventBridge needs its events extra, "
            "pip install 'moto[events]'"
        ) from exc
    except Exception:
        return
