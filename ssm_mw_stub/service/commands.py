"""Run Command: SendCommand and CancelCommand, and the lookups the read operations share.

SendCommand records the command (Pending) and hands it to the simulation, which starts it at
the next instant the fake clock applies, on the fake fleet and the test's handlers, as it
runs the commands maintenance windows send. The model validates every member; what is
checked here are the rules between members and against the fleet. The read operations are
in :mod:`.command_reads`; docs/run-command.md says what each choice rests on.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import JSON
from ..model.commands import (
    COMMAND_TERMINAL,
    CommandRecord,
    is_node_id,
    new_command,
    short_document_name,
)
from .command_views import command_body
from .core import Context, operation
from .errors import run_command_error, validation

__all__ = ["get_command", "is_command_id"]

#: What a CommandId looks like (a UUID); a 36-character id that is not one is
#: InvalidCommandId, a well-formed one the service does not know depends on the operation.
_COMMAND_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                         r"[0-9a-fA-F]{12}$")
_TOPIC_ARN = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
#: The Target keys Run Command takes ("Target" in the API reference); InstanceIds in any
#: case (``instanceids`` works, as the AWS CLI's examples write it).
_TARGET_KEYS = ("tag:", "tag-key", "resource-groups:Name", "resource-groups:ResourceTypeFilters")


def is_command_id(command_id: str) -> bool:
    return _COMMAND_ID.match(command_id) is not None


def get_command(ctx: Context, command_id: str) -> CommandRecord:
    """The command ``command_id``, or InvalidCommandId."""
    record = ctx.state.commands.get(command_id)
    if record is None:
        raise run_command_error("InvalidCommandId")
    return record


def _duplicates(instance_ids: list[str]) -> None:
    """The same node named twice is DuplicateInstanceId."""
    if any(count > 1 for count in Counter(instance_ids).values()):
        raise run_command_error("DuplicateInstanceId")


def _check_targets(targets: list[JSON]) -> None:
    for target in targets:
        key = target.get("Key") or ""
        if key.lower() == "instanceids" or key == "tag-key" or key.startswith(_TARGET_KEYS):
            if key.startswith("tag:") and len(key) == 4:
                raise validation("The tag key of a target must not be empty (Key=tag:<key>).")
            if not target.get("Values"):
                raise validation(f"The target {key} must have at least one value.")
            continue
        raise validation(
            f"The target key {key} is not valid for Run Command. Use InstanceIds, "
            "tag:<key>, tag-key, resource-groups:Name or resource-groups:ResourceTypeFilters."
        )


def _unmanaged_message(ctx: Context, instance_ids: list[str]) -> str:
    """InvalidInstanceId's text in real answers: ``Instances [[i-...]] not in a valid
    state for account 123456789012``."""
    return f"Instances [[{', '.join(instance_ids)}]] not in a valid state for account " + (
        ctx.state.account
    )


#: (member, where its ARN is, the form it must have, AWS's error code and message).
_ARNS = (
    ("NotificationConfig", "NotificationArn", _TOPIC_ARN, "InvalidNotificationConfig",
     "One or more configuration items isn't valid. Verify that a valid Amazon Resource Name "
     "(ARN) was provided for an Amazon SNS topic."),
    ("ServiceRoleArn", None, _ROLE_ARN, "InvalidRole",
     "The role name can't contain invalid characters. Also verify that you specified an IAM "
     "role for notifications that includes the required trust policy."),
)


def _check_side_channels(request: JSON) -> None:
    """The SNS topic and the role that publishes to it must be ARNs of their kind."""
    for member, key, form, code, message in _ARNS:
        value = request.get(member)
        if key is not None:
            value = (value or {}).get(key)
        if value and not form.match(value):
            raise run_command_error(code, message)


@operation("SendCommand")
def send_command(ctx: Context, request: JSON) -> JSON:
    instance_ids = list(request.get("InstanceIds") or [])
    targets = list(request.get("Targets") or [])
    if bool(instance_ids) == bool(targets):
        raise validation(
            "Specify either InstanceIds or Targets (exactly one of them) to say which managed "
            "nodes run the command."
        )
    _duplicates(instance_ids)
    _check_targets(targets)
    if short_document_name(request["DocumentName"]) is None:
        # Not a document name, nor an SSM document's ARN: no document can be found by it.
        raise run_command_error("InvalidDocument", "The specified document does not exist.")
    _check_side_channels(request)
    # An id named by an InstanceIds target that no managed node can have (its form is not
    # a node id's) is refused at once; a well-formed one not in the fleet is Undeliverable.
    malformed = [
        iid
        for target in targets
        if str(target.get("Key")).lower() == "instanceids"
        for iid in target.get("Values") or []
        if not is_node_id(iid)
    ]
    unknown = malformed or ctx.simulation.unmanaged_instances(ctx.state, instance_ids)
    if unknown:
        raise run_command_error("InvalidInstanceId", _unmanaged_message(ctx, unknown))
    record = new_command(ctx.ids.uuid(), request, ctx.state.region, ctx.now)
    ctx.state.commands[record.command_id] = record
    # The answer shows the command as sent: targets are resolved after it (TargetCount 0).
    answer = {"Command": command_body(record)}
    ctx.simulation.send_command(ctx.state, record, request, ctx.now)
    return answer


@operation("CancelCommand")
def cancel_command(ctx: Context, request: JSON) -> JSON:
    command_id = request["CommandId"]
    if not is_command_id(command_id):
        raise run_command_error("InvalidCommandId")
    record = get_command(ctx, command_id)
    instance_ids = list(request.get("InstanceIds") or [])
    _duplicates(instance_ids)
    if record.invocations:
        foreign = [iid for iid in instance_ids if iid not in record.invocations]
        if foreign:
            raise run_command_error(
                "InvalidInstanceId",
                f"Instances [[{', '.join(foreign)}]] are not targets of command {command_id}",
            )
    if record.status not in COMMAND_TERMINAL:
        ctx.simulation.cancel_command(ctx.state, record, instance_ids or None, ctx.now)
    return {}

