"""Service errors: the wire-level ``__type``/``message`` pairs the real service returns.

Operations raise these; the dispatcher turns them into a JSON error body. Keeping the
exact AWS codes (and, where known, AWS's exact message text) here in one place is what
lets ``client.exceptions.DoesNotExistException`` catch what the stub raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "ServiceError",
    "automation_definition_not_found",
    "automation_not_found",
    "constraint_problem",
    "does_not_exist",
    "idempotent_mismatch",
    "invalid_automation_parameters",
    "invalid_automation_status_update",
    "invalid_filter",
    "invalid_filter_value",
    "invalid_instance_id",
    "invalid_members",
    "invalid_next_token",
    "invalid_resource_id",
    "invalid_resource_type",
    "member_path",
    "require_members",
    "resource_in_use",
    "resource_limit",
    "run_command_error",
    "target_in_use",
    "validation",
]


class ServiceError(Exception):
    """An error response of the service: HTTP status, AWS error code, message."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def validation(message: str) -> ServiceError:
    """A ``ValidationException``: bad input the service rejects."""
    return ServiceError("ValidationException", message)


# --- the AWS (Coral) wording of constraint failures --------------------------------------
#
# "1 validation error detected: Value '' at 'startDate' failed to satisfy constraint:
# Member must have length greater than or equal to 1" (quoted from a real response in the
# Terraform AWS provider's maintenance-window resource). Every operation words its
# constraint failures through these functions, so the wording cannot drift.

#: How deep ``_render`` follows nested arrays and objects before printing ``...``: a
#: request body may nest almost as deep as Python's recursion limit allows json to decode.
_RENDER_DEPTH = 32


def member_path(member: str) -> str:
    """A member's name as the message prints it: ``StartDate`` -> ``startDate``."""
    return member[:1].lower() + member[1:]


def _render(value: Any, depth: int = 0) -> str:
    """Java's ``toString`` of a JSON value, as the service prints it inside ``Value '...'``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)) and depth >= _RENDER_DEPTH:
        return "..."
    if isinstance(value, list):
        return "[" + ", ".join(_render(item, depth + 1) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_render(v, depth + 1)}" for k, v in value.items()) + "}"
    return str(value)


def constraint_problem(value: Any, path: str, constraint: str, sensitive: bool = False) -> str:
    """One problem: ``Value 'x' at 'path' failed to satisfy constraint: <constraint>``; a
    sensitive member's value is not printed, a missing one prints as ``null``."""
    if value is None:
        shown = "Value null"
    elif sensitive:
        shown = "Value"
    else:
        shown = f"Value '{_render(value)}'"
    return f"{shown} at '{path}' failed to satisfy constraint: {constraint}"


def invalid_members(problems: list[str]) -> ServiceError:
    """The ValidationException listing ``problems``, counted as the service counts them."""
    count = len(problems)
    noun = "error" if count == 1 else "errors"
    return validation(f"{count} validation {noun} detected: " + "; ".join(problems))


def require_members(request: Mapping[str, Any], members: Iterable[str]) -> None:
    """Refuse a request in which any of ``members`` is missing (``Member must not be
    null``), for members the model leaves optional but the service requires, such as those
    of the create call in an update with ``Replace=true``."""
    problems = [
        constraint_problem(None, member_path(name), "Member must not be null")
        for name in members
        if request.get(name) is None
    ]
    if problems:
        raise invalid_members(problems)


def does_not_exist(message: str) -> ServiceError:
    """A ``DoesNotExistException`` (unknown window, target, task, execution, invocation)."""
    return ServiceError("DoesNotExistException", message)


def resource_limit(message: str) -> ServiceError:
    """A ``ResourceLimitExceededException``: a quota of "AWS Systems Manager endpoints and
    quotas" was reached."""
    return ServiceError("ResourceLimitExceededException", message)


def idempotent_mismatch() -> ServiceError:
    """Same ClientToken as an earlier call, different parameters."""
    return ServiceError(
        "IdempotentParameterMismatch",
        "Error while processing the request: the client token has already been used "
        "with different parameters.",
    )


def target_in_use(message: str) -> ServiceError:
    """Deregistering a target with ``Safe=true`` while a task still references it."""
    return ServiceError("TargetInUseException", message)


def invalid_resource_id() -> ServiceError:
    """Tagging call naming a window that does not exist (the shape has no Message member)."""
    return ServiceError("InvalidResourceId", "Invalid Resource Id")


def resource_in_use(message: str) -> ServiceError:
    """ResourceInUseException: a patch baseline still in use (AWS-managed, registered with
    a patch group, or a default) cannot be deleted."""
    return ServiceError("ResourceInUseException", message)


def invalid_filter(message: str) -> ServiceError:
    """InvalidFilter: a patch or compliance filter key or type the operation does not take."""
    return ServiceError("InvalidFilter", message)


def invalid_instance_id(instance_id: str) -> ServiceError:
    """InvalidInstanceId as the patching and instance reads word it."""
    return ServiceError("InvalidInstanceId", f"Instance Id {instance_id} is not valid.")


def invalid_resource_type() -> ServiceError:
    """Tagging call with a ResourceType the service does not accept."""
    return ServiceError("InvalidResourceType", "Invalid Resource Type")


# --- Automation ---------------------------------------------------------------------------
#
# No published message is known for these errors; where none is, the message is the API
# reference's description of the error (the text of the model's documentation).


def automation_not_found() -> ServiceError:
    """An AutomationExecutionId the Region does not know (or no longer keeps)."""
    return ServiceError(
        "AutomationExecutionNotFoundException",
        "There is no automation execution information for the requested automation "
        "execution ID.",
    )


def automation_definition_not_found(name: str) -> ServiceError:
    """A DocumentName no runbook can have."""
    return ServiceError(
        "AutomationDefinitionNotFoundException",
        f"An Automation runbook with the specified name couldn't be found: {name}",
    )


def invalid_automation_parameters(message: str) -> ServiceError:
    """StartAutomationExecution's parameters do not fit together."""
    return ServiceError("InvalidAutomationExecutionParametersException", message)


def invalid_automation_status_update(execution_id: str, status: str) -> ServiceError:
    """StopAutomationExecution of an execution that has already ended."""
    return ServiceError(
        "InvalidAutomationStatusUpdateException",
        f"The specified update status operation isn't valid: execution {execution_id} is "
        f"{status}.",
    )


def invalid_filter_value(key: str, value: str) -> ServiceError:
    """A filter value the key does not take."""
    return ServiceError(
        "InvalidFilterValue",
        f"The filter value isn't valid. Verify the value and try again. ({key}: {value})",
    )


def invalid_next_token() -> ServiceError:
    """A NextToken the stub did not issue for this operation (the modeled error)."""
    return ServiceError("InvalidNextToken", "The specified token isn't valid.")


# --- Run Command ------------------------------------------------------------------------
#
# Run Command's errors whose model shape has no Message member (InvalidCommandId,
# InvocationDoesNotExist, InvalidPluginName, InvalidFilterKey, DuplicateInstanceId) come
# back with an empty message, as real answers quoted in public issues show for
# InvocationDoesNotExist and InvalidPluginName (boto3 #2701, boto3 #1811).


def run_command_error(code: str, message: str = "") -> ServiceError:
    """One of Run Command's modeled errors (InvalidCommandId, InvalidInstanceId, ...)."""
    return ServiceError(code, message)
