"""The engine's seam to Patch Manager: an AWS-RunPatchBaseline node that ended reports.

The Run Command engine calls :meth:`PatchRuns.node_ended` for every node of a command
whose document is AWS-RunPatchBaseline when the node's invocation ends (a handler's
outcome decides whether it succeeded); what the run did is :mod:`..model.patch_runs`'s.
"""

from __future__ import annotations

from ..model.commands import CommandInvocationRecord, CommandRecord, short_document_name
from ..model.events import EventSink
from ..model.fleet import Fleet
from ..model.patch_runs import PATCH_DOCUMENT, record_run
from ..model.store import RegionState
from .delivery import Delivery

__all__ = ["PatchRuns"]


class PatchRuns:
    """Records patch runs into the Region's state as their nodes end."""

    __slots__ = ("_delivery", "_fleet", "_sink")

    def __init__(self, fleet: Fleet, sink: EventSink, delivery: Delivery) -> None:
        self._fleet, self._sink, self._delivery = fleet, sink, delivery

    @staticmethod
    def patches(record: CommandRecord) -> bool:
        """Whether ``record`` is a patch run (by name or document ARN; the cheap suffix test
        first, since every ending node of every command asks)."""
        name = record.document_name
        return name.endswith(PATCH_DOCUMENT) and short_document_name(name) == PATCH_DOCUMENT

    def node_ended(
        self, state: RegionState, record: CommandRecord, invocation: CommandInvocationRecord
    ) -> None:
        """One node of a patch run ended: Success patched (or scanned) it."""
        if invocation.end is None:
            return
        invocation.patch_result = record_run(
            state, self._fleet, invocation.instance_id, record.parameters, record.command_id,
            invocation.start or invocation.end, invocation.end,
            invocation.status == "Success", self._sink,
            self._delivery,
        )
