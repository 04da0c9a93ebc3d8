"""The maintenance-window service, speaking the JSON 1.1 wire format; knows nothing of botocore.

Importing the package registers every operation module with the dispatcher, and checks the
registry against the list of answered operations (:mod:`ssm_mw_stub.answered`): a listed
operation without an implementation, or an implementation of an unlisted one, is a
programming error that stops the first activation rather than a call that goes astray.
"""

from ..answered import ANSWERED
from . import (  # noqa: F401  (register operations)
    automation,
    command_reads,
    commands,
    compliance,
    executions,
    instances,
    patch_baselines,
    patch_groups,
    patch_states,
    tags,
    targets,
    tasks,
    windows,
)
from .core import OPERATIONS, Context, Service

__all__ = ["OPERATIONS", "Context", "Service"]

if set(OPERATIONS) != ANSWERED:
    raise RuntimeError(
        "the service's operations differ from ssm_mw_stub/answered.py: listed but not "
        f"implemented {sorted(ANSWERED - set(OPERATIONS))}, implemented but not listed "
        f"{sorted(set(OPERATIONS) - ANSWERED)}"
    )
