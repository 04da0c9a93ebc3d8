"""The in-memory state of one mock: one ``RegionState`` per account and Region.

One re-entrant lock guards everything: calls are tiny, so a single lock is both the
simplest correct choice and fast enough, and the engine takes the same lock while it
writes executions, so readers never see half an execution.

``Store.changes`` counts the writes the service has made. The engine compares it with the
value it last saw to notice, at the cost of one comparison, that windows may have been
created, changed or deleted since (by the test between advances, or by a task handler in
the middle of one).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .automation import AutomationEntry
from .commands import CommandRecord
from .patching import Baseline, NodePatchState
from .records import JSON, Window, WindowExecutionRecord

__all__ = ["RegionState", "Store"]


@dataclass(slots=True)
class RegionState:
    """Everything one account sees in one Region."""

    account: str
    region: str
    windows: dict[str, Window] = field(default_factory=dict)
    executions: dict[str, WindowExecutionRecord] = field(default_factory=dict)
    # (operation, client token) -> (the request without its token, the id it returned)
    tokens: dict[tuple[str, str], tuple[JSON, str]] = field(default_factory=dict)
    #: Automation executions by id, in start order (window-started and started by
    #: StartAutomationExecution alike; see model.automation.record_of).
    automations: dict[str, AutomationEntry] = field(default_factory=dict)
    #: Run Command commands by CommandId, in the order they were sent (30 days of them).
    commands: dict[str, CommandRecord] = field(default_factory=dict)
    #: The account's own patch baselines by id (AWS's predefined ones: model.patch_catalog).
    baselines: dict[str, Baseline] = field(default_factory=dict)
    #: The default baseline registered per operating system (else AWS's predefined one).
    default_baselines: dict[str, str] = field(default_factory=dict)
    #: (patch group, operating system) -> the baseline registered for it.
    patch_groups: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Each node's patch state, as its last AWS-RunPatchBaseline run recorded it.
    patch_states: dict[str, NodePatchState] = field(default_factory=dict)


class Store:
    """All account+Region states of one mock, the lock that guards them, and a count of
    the writes made to them."""

    __slots__ = ("_regions", "changes", "lock")

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._regions: dict[tuple[str, str], RegionState] = {}
        #: Bumped by every write of the service (see the module docstring).
        self.changes = 0

    def region(self, account: str, region: str) -> RegionState:
        """The state of ``account`` in ``region``, created empty on first use."""
        key = (account, region)
        state = self._regions.get(key)
        if state is None:
            state = self._regions[key] = RegionState(account, region)
        return state

    def regions(self) -> list[RegionState]:
        """Every state touched so far (the engine walks them all)."""
        return list(self._regions.values())
