"""Run Command records as the wire shows them: Command, CommandInvocation, CommandPlugin and
GetCommandInvocation's answer.

Members follow the real responses quoted in AWS CLI examples, the API reference and public
recordings: every member is present, empty ones as ``""``, ``[]`` or ``false``, also where
the service model's own constraints forbid the empty value (``OutputS3BucketName`` ``""``,
``NotificationType`` ``""``, ``CloudWatchLogGroupName`` ``""``, ``AlarmConfiguration`` with
no alarm, ``TriggeredAlarms`` ``[]``), because AWS sends them so. docs/run-command.md lists
each choice, docs/guarantees.md the members where AWS goes against its model.
"""

from __future__ import annotations

from datetime import datetime

from ..model import JSON
from ..model.commands import (
    CommandInvocationRecord,
    CommandRecord,
    Plugin,
    output_key,
    output_url,
    plugin_prefix,
    plugin_status,
)
from ..model.events import iso_millis
from .common import epoch

__all__ = [
    "PluginView",
    "command_body",
    "elapsed_text",
    "invocation_body",
    "plugin_output",
    "utf16_cut",
]

#: CommandPlugin.Output: the agent keeps 2,400 characters (the model allows 2,500).
_PLUGIN_OUTPUT = 2400
_ERROR_TITLE = "\n----------ERROR-------\n"
_OUTPUT_CUT = "\n---Output truncated---"
_ERROR_CUT = "\n---Error truncated----"
#: The model's maximum for CommandPlugin.OutputS3KeyPrefix.
_PREFIX_MAX = 500


def _units(text: str) -> int:
    """The length AWS counts: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_cut(text: str, limit: int) -> str:
    """The longest start of ``text`` within ``limit`` UTF-16 code units."""
    if len(text) <= limit // 2 or _units(text) <= limit:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def plugin_output(stdout: str, stderr: str) -> str:
    """CommandPlugin.Output as the SSM Agent builds it (TruncateOutput in
    amazon-ssm-agent): stdout, then stderr under an error title, cut to 2,400 characters
    with a marker on each part that was cut."""
    title = _ERROR_TITLE if stderr else ""
    space = _PLUGIN_OUTPUT - len(title)
    out_size, err_size = _units(stdout), _units(stderr)
    if out_size + err_size < space:
        return stdout + title + stderr
    if out_size > space // 2 and err_size > space // 2:
        half = (space - len(_ERROR_CUT) - len(_OUTPUT_CUT)) // 2
        return utf16_cut(stdout, half) + _OUTPUT_CUT + title + utf16_cut(stderr, half) + _ERROR_CUT
    if out_size < space // 2:
        room = space - len(_ERROR_CUT) - out_size
        return stdout + title + utf16_cut(stderr, room) + _ERROR_CUT
    room = space - len(_OUTPUT_CUT) - err_size
    return utf16_cut(stdout, room) + _OUTPUT_CUT + title + stderr


def elapsed_text(start: datetime, end: datetime) -> str:
    """ExecutionElapsedTime as AWS prints it (Java's Duration): ``PT0.541S``, ``PT1H0.271S``,
    ``PT8M``; ``PT0S`` for nothing."""
    delta = end - start
    millis = (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, fraction = divmod(rest, 1000)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if seconds or fraction or not (hours or minutes):
        text += str(seconds)
        if fraction:
            text += "." + f"{fraction:03d}".rstrip("0")
        text += "S"
    return text


def _notification(record: CommandRecord) -> JSON:
    config = record.notification_config or {}
    out: JSON = {
        "NotificationArn": config.get("NotificationArn", ""),
        "NotificationEvents": list(config.get("NotificationEvents") or []),
        "NotificationType": config.get("NotificationType") or "",
    }
    return out


def _cloudwatch(record: CommandRecord) -> JSON:
    config = record.cloudwatch_output_config or {}
    return {
        "CloudWatchLogGroupName": config.get("CloudWatchLogGroupName") or "",
        "CloudWatchOutputEnabled": bool(config.get("CloudWatchOutputEnabled")),
    }


def _alarms(record: CommandRecord) -> JSON:
    """AlarmConfiguration as sent, or AWS's empty one (real answers of 2024)."""
    config = record.alarm_configuration or {}
    return {
        "IgnorePollAlarmFailure": bool(config.get("IgnorePollAlarmFailure")),
        "Alarms": list(config.get("Alarms") or []),
    }


def command_body(record: CommandRecord) -> JSON:
    """The Command shape (SendCommand, ListCommands), members in the order AWS lists them."""
    out: JSON = dict(
        CommandId=record.command_id,
        DocumentName=record.document_name,
        DocumentVersion=record.document_version,
        Comment=record.comment,
        ExpiresAfter=epoch(record.expires_after),
        Parameters=record.parameters,
        InstanceIds=record.instance_ids,
        Targets=record.targets,
        RequestedDateTime=epoch(record.requested),
        Status=record.status,
        StatusDetails=record.status_details,
        OutputS3Region=record.output_s3_region,
        OutputS3BucketName=record.output_s3_bucket_name or "",
        OutputS3KeyPrefix=record.output_s3_key_prefix,
        MaxConcurrency=record.max_concurrency,
        MaxErrors=record.max_errors,
        TargetCount=record.target_count,
        CompletedCount=record.completed_count,
        ErrorCount=record.error_count,
        DeliveryTimedOutCount=record.delivery_timed_out_count,
        ServiceRole=record.service_role,
        NotificationConfig=_notification(record),
        CloudWatchOutputConfig=_cloudwatch(record),
        TimeoutSeconds=record.timeout_seconds,
        AlarmConfiguration=_alarms(record),
        TriggeredAlarms=[],  # alarms are not modelled: none is ever triggered
    )
    return out


class PluginView:
    """One plugin of one node, as ListCommandInvocations (``Details``) and
    GetCommandInvocation show it."""

    __slots__ = (
        "code", "details", "end", "invocation", "plugin", "record", "start", "status",
        "stderr", "stdout", "urls",
    )

    start: datetime | None
    end: datetime | None

    def __init__(
        self, record: CommandRecord, invocation: CommandInvocationRecord, plugin: Plugin
    ) -> None:
        self.record, self.invocation, self.plugin = record, invocation, plugin
        started = invocation.start
        if plugin.skipped is not None and started is not None:
            # A step whose precondition the node does not meet is reported done, with
            # the agent's message, as soon as the document runs.
            self.status = self.details = "Success"
            self.code = 0
            self.start = self.end = started
            self.stdout = (
                "Step execution skipped due to unsatisfied preconditions: "
                f"'{plugin.skipped}'. Step name: {plugin.name}"
            )
            self.stderr = ""
        else:
            self.status = invocation.status
            self.details = invocation.status_details
            self.code = invocation.response_code
            self.start = started
            self.end = invocation.end if started is not None else None
            self.stdout = invocation.stdout
            self.stderr = invocation.stderr
        self.urls = self._urls()

    @property
    def finished(self) -> bool:
        return self.end is not None

    def _urls(self) -> tuple[str, str]:
        """(StandardOutputUrl, StandardErrorUrl): set once the plugin has run, when the
        command has an output bucket."""
        record, plugin = self.record, self.plugin
        if not record.output_s3_bucket_name or not self.finished or plugin.skipped is not None:
            return "", ""
        instance_id = self.invocation.instance_id
        return (
            output_url(record, output_key(record, instance_id, plugin, "stdout")),
            output_url(record, output_key(record, instance_id, plugin, "stderr")),
        )

    def command_plugin(self) -> JSON:
        """A CommandPlugin of ListCommandInvocations."""
        record = self.record
        out: JSON = {
            "Name": self.plugin.name,
            "Status": plugin_status(self.details),
            "StatusDetails": self.details,
            "ResponseCode": self.code,
        }
        if self.start is not None:
            out["ResponseStartDateTime"] = epoch(self.start)
        if self.end is not None:
            out["ResponseFinishDateTime"] = epoch(self.end)
        out["Output"] = plugin_output(self.stdout, self.stderr) if self.finished else ""
        out["StandardOutputUrl"], out["StandardErrorUrl"] = self.urls
        out["OutputS3Region"] = record.output_s3_region
        out["OutputS3BucketName"] = record.output_s3_bucket_name or ""
        # The model allows 500 characters here, the same as for the prefix sent; a prefix
        # near that length cannot fit the command and node ids too, so the start is kept.
        out["OutputS3KeyPrefix"] = (
            plugin_prefix(record, self.invocation.instance_id, self.plugin)[:_PREFIX_MAX]
            if record.output_s3_bucket_name
            else ""
        )
        return out

    def answer(self) -> JSON:
        """GetCommandInvocation's answer for this node and plugin."""
        record = self.record
        out: JSON = {
            "CommandId": record.command_id,
            "InstanceId": self.invocation.instance_id,
            "Comment": record.comment,
            "DocumentName": record.document_name,
            "DocumentVersion": record.document_version,
            "PluginName": self.plugin.name,
            "ResponseCode": self.code,
        }
        # ExecutionEndDateTime is "" until the plugin has ended ("If the plugin hasn't
        # started to run, the string is empty"); the start and elapsed time are left out
        # until there is one, as the real answers of a node not yet run show.
        if self.start is not None:
            out["ExecutionStartDateTime"] = iso_millis(self.start)
            if self.end is not None:
                out["ExecutionElapsedTime"] = elapsed_text(self.start, self.end)
        out["ExecutionEndDateTime"] = (
            iso_millis(self.end) if self.start is not None and self.end is not None else ""
        )
        finished = self.finished
        out.update(
            Status=self.status,
            StatusDetails=self.details,
            StandardOutputContent=utf16_cut(self.stdout, 24000) if finished else "",
            StandardOutputUrl=self.urls[0],
            StandardErrorContent=utf16_cut(self.stderr, 8000) if finished else "",
            StandardErrorUrl=self.urls[1],
            CloudWatchOutputConfig=_cloudwatch(record),
        )
        return out


def invocation_body(
    record: CommandRecord, invocation: CommandInvocationRecord, details: bool,
    instance_name: str = "",
) -> JSON:
    """A CommandInvocation (ListCommandInvocations); its plugins only with ``Details``.
    ``instance_name`` is the node's computer name (the fleet's, as AWS fills it)."""
    plugins = record.plugins
    views = [PluginView(record, invocation, plugin) for plugin in plugins]
    # "populated if there is just one plugin defined for the command"
    stdout_url, stderr_url = views[0].urls if len(views) == 1 else ("", "")
    return {
        "CommandId": record.command_id,
        "InstanceId": invocation.instance_id,
        "InstanceName": instance_name,
        "Comment": record.comment,
        "DocumentName": record.document_name,
        "DocumentVersion": record.document_version,
        "RequestedDateTime": epoch(record.requested),
        "Status": invocation.status,
        "StatusDetails": invocation.status_details,
        "StandardOutputUrl": stdout_url,
        "StandardErrorUrl": stderr_url,
        "CommandPlugins": [view.command_plugin() for view in views] if details else [],
        "ServiceRole": record.service_role,
        "NotificationConfig": _notification(record),
        "CloudWatchOutputConfig": _cloudwatch(record),
    }
