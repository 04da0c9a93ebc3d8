"""RUN_COMMAND: the task sends Run Command commands (SendCommand) to managed nodes.

One command per window target, one after another, each over that target's nodes; the
handler is called once per node. A task registered with the deprecated TaskParameters and
LoggingInfo (and no TaskInvocationParameters) gets them forwarded as the command's
parameters and output location, as the API reference of RegisterTaskWithMaintenanceWindow
describes. ``{{TARGET_ID}}`` and ``{{RESOURCE_ID}}`` are not supported in Run Command tasks
("About pseudo parameters"), so they stay as written.
"""

from __future__ import annotations

from ..model import JSON, WindowTask
from ..model.commands import NODE_DETAILS
from .base import CommandRequest, TaskType, Work, copy_members, parameter_entry

__all__ = ["RunCommand"]

#: SendCommand members a Run Command task may carry, in the order the request lists them.
_MEMBERS = (
    "Comment",
    "TimeoutSeconds",
    "DocumentVersion",
    "DocumentHash",
    "DocumentHashType",
    "OutputS3BucketName",
    "OutputS3KeyPrefix",
    "ServiceRoleArn",
    "NotificationConfig",
    "CloudWatchOutputConfig",
)
#: LoggingInfo members and the SendCommand members they become.
_LOGGING = (
    ("S3BucketName", "outputS3BucketName"),
    ("S3KeyPrefix", "outputS3KeyPrefix"),
    ("S3Region", "outputS3Region"),
)


class RunCommand(TaskType):
    name = "RUN_COMMAND"
    branch = "RunCommand"
    arn_member = "documentName"
    requires_targets = True
    work = Work.COMMANDS
    cancelled_at_cutoff = True
    target_parameters = False
    reports_every_status = True
    #: Run Command's own per-node outcomes ("Understanding command statuses"): Success,
    #: Failed, ExecutionTimedOut, DeliveryTimedOut, Undeliverable, InvalidPlatform,
    #: AccessDenied, Cancelled, Terminated.
    outcome_statuses = frozenset(NODE_DETAILS)

    def handler_parameters(self, task: WindowTask) -> JSON:
        """The RunCommand branch; the deprecated TaskParameters arrive as ``Parameters``
        (``{name: [values]}``), the shape the service forwards them in."""
        if not task.invocation_parameters and task.task_parameters:
            return {
                "Parameters": {
                    name: list(value.get("Values") or [])
                    for name, value in task.task_parameters.items()
                }
            }
        return super().handler_parameters(task)

    def request_document(
        self, task: WindowTask, branch: JSON, command: CommandRequest | None = None
    ) -> JSON:
        """The SendCommand request: ``documentName``, ``instanceIds``, ``parameters`` and
        the rate controls, then the members the task sets."""
        assert command is not None, "a Run Command request is made per command"
        doc: JSON = {
            "documentName": task.task_arn,
            "instanceIds": command.instance_ids,
            "parameters": branch.get("Parameters") or {},
            "maxConcurrency": command.max_concurrency,
            "maxErrors": command.max_errors,
        }
        copy_members(doc, branch, _MEMBERS)
        if not task.invocation_parameters and task.logging_info:
            info = task.logging_info
            for member, key in _LOGGING:
                if info.get(member) is not None:
                    doc[key] = info[member]
        return doc

    def execution_task_parameters(
        self, task: WindowTask, branch: JSON, instance_ids: list[str]
    ) -> list[JSON]:
        """The parameters as written (pseudo parameters differ per invocation, so they are
        not substituted), plus ``aws:InstanceId`` listing every resolved node."""
        entry = parameter_entry(branch.get("Parameters") or {})
        if instance_ids:
            entry["aws:InstanceId"] = {"Values": list(instance_ids)}
        return [entry] if entry else []

    def send_command_request(
        self, task: WindowTask, branch: JSON, command: CommandRequest
    ) -> JSON:
        """The SendCommand request of one command, in the wire's member names (the
        RunCommand branch already names SendCommand's members): what the Run Command
        record of the command echoes. ``branch`` is substituted for this invocation."""
        request = dict(branch)
        request["DocumentName"] = task.task_arn
        request["InstanceIds"] = command.instance_ids
        request["MaxConcurrency"] = command.max_concurrency
        request["MaxErrors"] = command.max_errors
        if not task.invocation_parameters and task.logging_info:
            info = task.logging_info
            for member, key in _LOGGING:
                if info.get(member) is not None:
                    request[key[:1].upper() + key[1:]] = info[member]
        return request
