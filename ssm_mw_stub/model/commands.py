"""Run Command records: a command, its per-node invocations, and the facts that shape them.

A command is what SendCommand (or a maintenance window's RUN_COMMAND task) creates; each
managed node it covers gets an invocation, and each invocation runs the plugins (steps) of
the command's document. The service answers ListCommands, ListCommandInvocations and
GetCommandInvocation from these records and the engine writes them as the fake clock moves;
both read the status tables and the document plugins here, so neither owns them.

The sources of every table (AWS's "Understanding command statuses" page, the API reference,
AWS CLI examples, amazon-ssm-agent) are named in docs/run-command.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, NamedTuple

from .records import JSON, forget_old

__all__ = [
    "COMMAND_TERMINAL",
    "ERROR_DETAILS",
    "GENERIC_DETAILS",
    "NODE_DETAILS",
    "NOT_RUN_DETAILS",
    "CommandInvocationRecord",
    "CommandRecord",
    "Plugin",
    "command_message",
    "command_outcome",
    "document_plugins",
    "invocation_message",
    "is_node_id",
    "new_command",
    "notification_time",
    "output_key",
    "output_url",
    "plugin_prefix",
    "plugin_status",
    "prune_commands",
    "short_document_name",
]

#: The final per-node outcomes Run Command reports (an invocation's StatusDetails), and the
#: invocation Status each shows. Undeliverable shows Failed (observed); InvalidPlatform and
#: AccessDenied are read the same way; Terminated ("subsequent command invocations were
#: canceled by the system") shows Cancelled.
NODE_DETAILS: dict[str, str] = {
    "Success": "Success",
    "Failed": "Failed",
    "ExecutionTimedOut": "TimedOut",
    "DeliveryTimedOut": "TimedOut",
    "Undeliverable": "Failed",
    "InvalidPlatform": "Failed",
    "AccessDenied": "Failed",
    "Cancelled": "Cancelled",
    "Terminated": "Cancelled",
}
#: The generic outcome statuses every task handler may return, as Run Command words.
GENERIC_DETAILS: dict[str, str] = {
    "SUCCESS": "Success",
    "FAILED": "Failed",
    "TIMED_OUT": "ExecutionTimedOut",
    "CANCELLED": "Cancelled",
}
#: Outcomes that count against MaxErrors (and in ErrorCount).
ERROR_DETAILS = frozenset({"Failed", "ExecutionTimedOut"})
#: Outcomes of a node on which the document never ran: no plugin times, no output, and
#: ResponseCode -1 ("the command hasn't started running on the managed node, or it wasn't
#: received by the node").
NOT_RUN_DETAILS = frozenset(
    {"DeliveryTimedOut", "Undeliverable", "InvalidPlatform", "AccessDenied", "Terminated"}
)
#: Outcomes that neither count against MaxErrors nor keep a command from succeeding when
#: at least one node succeeded ("four of which return the status Undeliverable and one of
#: which returns the status Success, then the parent command's status is Success").
_UNREACHED = frozenset({"Undeliverable", "InvalidPlatform", "AccessDenied"})
#: A command's final statuses (its Status words).
COMMAND_TERMINAL = frozenset({"Success", "Failed", "TimedOut", "Cancelled"})
#: SendCommand's defaults, as real responses show them.
_DEFAULT_TIMEOUT = 3600
_DEFAULT_EXECUTION_TIMEOUT = 3600
#: The Comment member holds at most 100 characters (a window task's comment can grow past
#: that when its pseudo parameters are substituted).
_COMMENT_MAX = 100


def plugin_status(details: str) -> str:
    """The CommandPluginStatus of a node whose invocation shows ``details``: its Status
    (Pending and InProgress are their own)."""
    return NODE_DETAILS.get(details, details)


# --- documents --------------------------------------------------------------------------


class Plugin(NamedTuple):
    """One plugin (step) of a document, as a node runs it.

    ``name`` is what CommandPlugins and GetCommandInvocation's PluginName call it (the
    plugin for schema 1.2 documents, the step name for 2.x ones); ``action`` the plugin that
    runs it and ``step`` its folder, which together make its S3 output path; ``skipped`` the
    precondition a fake-fleet node (Linux) does not meet, or None when the step runs.
    """

    name: str
    action: str
    step: str
    skipped: str | None = None


def _schema_one(plugin: str) -> tuple[Plugin, ...]:
    return (Plugin(plugin, plugin, f"0.{plugin}"),)


_SHELL = _schema_one("aws:runShellScript")

#: The plugins of well-known AWS documents. The stub keeps no document store: any other
#: document runs one ``aws:runShellScript`` plugin, the most common one.
_DOCUMENT_PLUGINS: dict[str, tuple[Plugin, ...]] = {
    "AWS-RunShellScript": _SHELL,
    "AWS-RunPowerShellScript": _schema_one("aws:runPowerShellScript"),
    "AWS-UpdateSSMAgent": _schema_one("aws:updateSsmAgent"),
    "AWS-RunPatchBaseline": (
        Plugin("PatchWindows", "aws:runPowerShellScript", "PatchWindows",
               '"StringEquals": [platformType, Windows]'),
        Plugin("PatchLinux", "aws:runShellScript", "PatchLinux"),
        Plugin("PatchMacOS", "aws:runShellScript", "PatchMacOS",
               '"StringEquals": [platformType, MacOS]'),
    ),
}


_DOCUMENT_NAME = re.compile(r"^[a-zA-Z0-9_\-.]{3,128}$")
#: What Run Command takes as a managed node id (the model's InstanceId pattern).
_NODE_ID = re.compile(r"^(i-(\w{8}|\w{17})|mi-\w{17})$")


def is_node_id(text: str) -> bool:
    """Whether ``text`` has the form of a managed node id (``i-...``, ``mi-...``)."""
    return _NODE_ID.match(text) is not None

_DOCUMENT_ARN = re.compile(r"^arn:aws[a-z-]*:ssm:[a-z0-9-]*:\d{0,12}:document/([^/]+)$")


@lru_cache(maxsize=1024)
def short_document_name(name: str) -> str | None:
    """The name of the document ``name`` designates: itself, or the name in an SSM document
    ARN (``arn:aws:ssm:us-east-1:123456789012:document/Name``), by which its plugins are
    known; None when ``name`` cannot designate a document (another service's ARN, say)."""
    if _DOCUMENT_NAME.match(name):
        return name
    found = _DOCUMENT_ARN.match(name)
    if found is not None and _DOCUMENT_NAME.match(found.group(1)):
        return found.group(1)
    return None


def document_plugins(document_name: str) -> tuple[Plugin, ...]:
    """The plugins a node runs for ``document_name``, in the document's order."""
    return _DOCUMENT_PLUGINS.get(short_document_name(document_name) or "", _SHELL)


# --- records ----------------------------------------------------------------------------


@dataclass(slots=True)
class CommandInvocationRecord:
    """One node of a command. ``start`` is when its document started running (None if it
    never ran); ``end`` when the invocation reached its final status."""

    instance_id: str
    status: str = "Pending"
    status_details: str = "Pending"
    start: datetime | None = None
    end: datetime | None = None
    response_code: int = -1
    stdout: str = ""
    stderr: str = ""
    #: What an AWS-RunPatchBaseline run did on the node, in a few words (the timeline's).
    patch_result: str = ""

    @classmethod
    def succeeded(cls, instance_id: str, t: datetime) -> CommandInvocationRecord:
        """A node that ran the command and succeeded at ``t``, the instant it started."""
        return cls(instance_id, "Success", "Success", t, t, 0)  # positional: the hot path


@dataclass(slots=True)
class CommandRecord:
    """One Run Command command (SendCommand, or a window's RUN_COMMAND task)."""

    command_id: str
    document_name: str
    document_version: str
    comment: str
    parameters: JSON
    instance_ids: list[str]
    targets: list[JSON]
    requested: datetime
    timeout_seconds: int
    execution_timeout: int
    max_concurrency: str
    max_errors: str
    output_s3_region: str
    output_s3_bucket_name: str | None
    output_s3_key_prefix: str
    service_role: str
    notification_config: JSON | None = None
    cloudwatch_output_config: JSON | None = None
    alarm_configuration: JSON | None = None
    status: str = "Pending"
    status_details: str = "Pending"
    target_count: int = 0
    completed_count: int = 0
    error_count: int = 0
    delivery_timed_out_count: int = 0
    invocations: dict[str, CommandInvocationRecord] = field(default_factory=dict)
    #: The window execution that sent it, if a maintenance window did.
    window_execution_id: str | None = None

    @property
    def expires_after(self) -> datetime:
        """RequestedDateTime + TimeoutSeconds + the document's execution timeout ("Total
        timeout" in "Understanding command statuses")."""
        return self.requested + timedelta(seconds=self.timeout_seconds + self.execution_timeout)

    @property
    def plugins(self) -> tuple[Plugin, ...]:
        return document_plugins(self.document_name)


def _execution_timeout(parameters: Any) -> int:
    """The document's ``executionTimeout`` parameter, or the hard-coded default of 3600."""
    values = parameters.get("executionTimeout") if isinstance(parameters, dict) else None
    if isinstance(values, list) and values and isinstance(values[0], str):
        text = values[0].strip()
        if text.isdigit() and 0 < int(text) <= 2592000:
            return int(text)
    return _DEFAULT_EXECUTION_TIMEOUT


def new_command(command_id: str, request: JSON, region: str, now: datetime) -> CommandRecord:
    """A Pending command from a SendCommand request (wire member names): what it echoes,
    with SendCommand's defaults for what the request leaves out. Its DocumentName must
    designate a document (:func:`short_document_name`); a document ARN is kept as sent, as
    the commands AWS lists show it."""
    document_name = request["DocumentName"]
    assert short_document_name(document_name) is not None, "the caller checks the name"
    parameters = request.get("Parameters") or {}
    instance_ids = list(request.get("InstanceIds") or [])
    return CommandRecord(
        command_id=command_id,
        document_name=document_name,
        document_version=request.get("DocumentVersion") or "$DEFAULT",
        comment=(request.get("Comment") or "")[:_COMMENT_MAX],
        parameters=parameters,
        instance_ids=instance_ids,
        targets=list(request.get("Targets") or []) if not instance_ids else [],
        requested=now,
        timeout_seconds=request.get("TimeoutSeconds") or _DEFAULT_TIMEOUT,
        execution_timeout=_execution_timeout(parameters),
        max_concurrency=request.get("MaxConcurrency") or "50",
        max_errors=request.get("MaxErrors") or "0",
        output_s3_region=request.get("OutputS3Region") or region,
        output_s3_bucket_name=request.get("OutputS3BucketName") or None,
        output_s3_key_prefix=request.get("OutputS3KeyPrefix") or "",
        service_role=request.get("ServiceRoleArn") or "",
        notification_config=request.get("NotificationConfig"),
        cloudwatch_output_config=request.get("CloudWatchOutputConfig"),
        alarm_configuration=request.get("AlarmConfiguration"),
        target_count=len(instance_ids),
    )


def prune_commands(commands: dict[str, CommandRecord], now: datetime) -> None:
    """Forget finished commands sent more than 30 days before ``now`` (Run Command keeps
    30 days of command history, as maintenance windows keep their executions)."""
    forget_old(
        commands, now, lambda command: command.requested,
        lambda command: command.status not in COMMAND_TERMINAL,
    )


# --- roll-up ----------------------------------------------------------------------------


def command_outcome(
    details: list[str], allowed_errors: int, cancelled: bool, targeted: bool
) -> tuple[str, str]:
    """(Status, StatusDetails) of a command whose nodes all ended with ``details``.

    "Understanding command statuses": Cancelled when it was cancelled; Failed (or
    ExecutionTimedOut) when the errors exceeded MaxErrors; Success when every node
    succeeded, or some did and the rest were unreachable (Undeliverable, InvalidPlatform,
    AccessDenied); Failed when all were unreachable (AccessDenied when all were denied);
    DeliveryTimedOut when no node received it; otherwise Incomplete, whose Status (not
    documented) is the weightiest of its nodes: Failed over TimedOut over Cancelled.
    """
    if cancelled:
        return "Cancelled", "Cancelled"
    total = len(details)
    if total == 0:
        return "Success", "NoInstancesInTag" if targeted else "Success"
    counts: dict[str, int] = {}
    for detail in details:
        counts[detail] = counts.get(detail, 0) + 1
    failed = counts.get("Failed", 0)
    if failed + counts.get("ExecutionTimedOut", 0) > allowed_errors:
        return ("Failed", "Failed") if failed else ("TimedOut", "ExecutionTimedOut")
    succeeded = counts.get("Success", 0)
    unreached = sum(counts.get(detail, 0) for detail in _UNREACHED)
    if succeeded + unreached == total:
        if succeeded:
            return "Success", "Success"
        return "Failed", "AccessDenied" if counts.get("AccessDenied") == total else "Failed"
    if counts.get("DeliveryTimedOut") == total:
        return "TimedOut", "DeliveryTimedOut"
    statuses = {NODE_DETAILS[detail] for detail in counts}
    for status in ("Failed", "TimedOut", "Cancelled"):
        if status in statuses:
            return status, "Incomplete"
    return "Success", "Success"  # unreachable: every other mix was handled above


# --- output in S3 -----------------------------------------------------------------------

_INVALID_PATH = str.maketrans("", "", '\\/:*?"<>|')


def _folder(name: str) -> str:
    """What the agent's RemoveInvalidChars leaves of a name: ``aws:runShellScript`` ->
    ``awsrunShellScript``."""
    return name.translate(_INVALID_PATH)


def plugin_prefix(command: CommandRecord, instance_id: str, plugin: Plugin) -> str:
    """CommandPlugin.OutputS3KeyPrefix: ``{prefix}/{CommandId}/{InstanceId}/{plugin}``."""
    parts = [command.output_s3_key_prefix.strip("/"), command.command_id, instance_id,
             _folder(plugin.action)]
    return "/".join(part for part in parts if part)


def output_key(command: CommandRecord, instance_id: str, plugin: Plugin, stream: str) -> str:
    """The S3 key of a plugin's ``stdout`` or ``stderr``:
    ``{prefix}/{CommandId}/{InstanceId}/awsrunShellScript/0.awsrunShellScript/stdout``."""
    return f"{plugin_prefix(command, instance_id, plugin)}/{_folder(plugin.step)}/{stream}"


def output_url(command: CommandRecord, key: str) -> str:
    """StandardOutputUrl / StandardErrorUrl: the Region's path-style S3 URL of ``key``."""
    return (
        f"https://s3.{command.output_s3_region}.amazonaws.com/"
        f"{command.output_s3_bucket_name}/{key}"
    )


# --- SNS notification messages ----------------------------------------------------------


def notification_time(when: datetime) -> str:
    """``2019-04-25T17:57:09.17Z``: the time format of Run Command's SNS messages (trailing
    zeros of the milliseconds dropped; none at all on a whole second)."""
    utc = when.astimezone(timezone.utc)
    millis = f"{utc.microsecond // 1000:03d}".rstrip("0")
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + (f".{millis}" if millis else "") + "Z"


def command_message(command: CommandRecord, status: str, when: datetime) -> JSON:
    """The summary message of a command status change ("Example Amazon SNS notifications
    for AWS Systems Manager"); instance ids only when the command named them directly."""
    return {
        "commandId": command.command_id,
        "documentName": command.document_name,
        "instanceIds": list(command.instance_ids),
        "requestedDateTime": notification_time(command.requested),
        "expiresAfter": notification_time(command.expires_after),
        "outputS3BucketName": command.output_s3_bucket_name or "",
        "outputS3KeyPrefix": command.output_s3_key_prefix,
        "status": status,
        "eventTime": notification_time(when),
    }


def invocation_message(
    command: CommandRecord, instance_id: str, status: str, when: datetime
) -> JSON:
    """The message of one node's status change (NotificationType ``Invocation``)."""
    return {
        "commandId": command.command_id,
        "documentName": command.document_name,
        "instanceId": instance_id,
        "requestedDateTime": notification_time(command.requested),
        "status": status,
        "eventTime": notification_time(when),
    }
