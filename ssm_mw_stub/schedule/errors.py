"""The one exception of the schedule package."""

from __future__ import annotations

__all__ = ["ScheduleError", "invalid_schedule"]


class ScheduleError(ValueError):
    """Invalid schedule configuration.

    ``str(exc)`` is the complete, user-facing ValidationException message: the service
    passes it on unchanged, so every message names the request parameter and the part
    that is wrong (cron field and value, zone name, date) instead of a generic "invalid".
    ``parameter`` names the request member at fault ("Schedule", "ScheduleTimezone",
    "ScheduleOffset", "StartDate" or "EndDate") for callers that want to branch on it.
    """

    def __init__(self, message: str, *, parameter: str = "Schedule") -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter

    def __str__(self) -> str:
        return self.message


def invalid_schedule(expression: str, detail: str) -> ScheduleError:
    """The error for a bad Schedule, in the one shape every Schedule message shares."""
    return ScheduleError(f'Schedule "{expression}" is not valid: {detail}')
