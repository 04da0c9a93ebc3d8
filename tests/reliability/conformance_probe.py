"""Not collected by the suite (no ``test_`` prefix): ``test_reliability_conformance`` runs
it in a pytest process of its own to show that a non-conforming stub answer fails the test
that produced it.

The test itself passes; the suite-wide conformance fixture must turn it into an error.
"""

from __future__ import annotations

from typing import Any

import pytest

from ssm_mw_stub.service import core


def test_stub_answer_breaks_its_shape(ssm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: Any, request: Any) -> dict[str, Any]:
        return {"WindowId": request["WindowId"], "Enabled": "yes"}

    monkeypatch.setitem(core.OPERATIONS, "GetMaintenanceWindow", broken)
    assert ssm.get_maintenance_window(WindowId="mw-0123456789abcdef0")["Enabled"] == "yes"
