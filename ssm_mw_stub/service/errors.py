"""Service errors: the wire-level ``__type``/``message`` pairs the real service returns.

Operations raise these; the dispatcher turns them into a JSON error body. Keeping the
exact AWS codes (and, where known, AWS's exact message text) here in one place is what
lets ``client.exceptions.DoesNotExistException`` catch what the stub raises.
"""

from __future__ import annotations

__all__ = [
    "ServiceError",
    "does_not_exist",
    "idempotent_mismatch",
    "invalid_resource_id",
    "invalid_resource_type",
    "resource_limit",
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


def does_not_exist(message: str) -> ServiceError:
    """A ``DoesNotExistException`` (unknown window, target, task, execution, invocation)."""
    return ServiceError("DoesNotExistException", message)


def resource_limit(message: str) -> ServiceError:
    """A ``ResourceLimitExceededException`` (a quota of the reference's section 6)."""
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


def invalid_resource_type() -> ServiceError:
    """Tagging call with a ResourceType the service does not accept."""
    return ServiceError("InvalidResourceType", "Invalid Resource Type")
