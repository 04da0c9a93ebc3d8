"""The pytest plugin's working half: the fixtures' mocks, marker options, failure reports.

The plugin pytest loads at start-up is the light top-level module ``pytest_ssm_mw_stub``
(the ``ssm_mw_stub`` entry point); it imports this module the first time a test uses the
``maintenance_windows`` or ``maintenance_windows_server`` fixture, so a pytest run that never
does loads neither this package nor botocore on its account.

Options reach the fixture through a marker, so a test reads like its intent::

    @pytest.mark.maintenance_windows(start="2026-11-24T00:00:00Z")
    def test_patch_window(maintenance_windows): ...

Markers on the module (``pytestmark``), the class and the test combine, option by option,
the closest one winning, so a module can set ``account_id`` once and a test its ``start``.

When a test that uses the fixture fails, its report gets a "maintenance windows" section
with the text timeline of what the mock ran, and ``--mw-timeline=DIR`` (or the
``mw_timeline`` ini option) writes the HTML timeline of each such test to DIR. The report
code (:mod:`.pytest_report`) and the timeline are imported only when such a test fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .mock import MaintenanceWindows, mock_maintenance_windows

if TYPE_CHECKING:
    import pytest

    from .server import ServedMaintenanceWindows

__all__ = ["activate", "marker_options", "report_failure", "serve"]


def report_failure(item: pytest.Item, report: pytest.TestReport) -> None:
    """Add the timeline to the failed ``report`` of ``item`` if the test used a fixture."""
    funcargs = getattr(item, "funcargs", {})
    mw = funcargs.get("maintenance_windows")
    served = funcargs.get("maintenance_windows_server")
    if mw is None and served is not None:
        mw = served.mw
    if isinstance(mw, MaintenanceWindows):
        from .pytest_report import add_to_report

        add_to_report(item, report, mw.timeline)


def marker_options(node: pytest.Item) -> dict[str, Any]:
    """The options of every ``maintenance_windows`` marker that applies to ``node``, merged:
    module (``pytestmark``), class and test markers combine, and for each option the marker
    closest to the test wins (a positional argument is ``start``)."""
    merged: dict[str, Any] = {}
    # iter_markers yields the closest first: apply the farthest first, so closer ones win.
    for marker in reversed(list(node.iter_markers("maintenance_windows"))):
        if len(marker.args) > 1:
            raise TypeError(
                "@pytest.mark.maintenance_windows takes at most one positional argument "
                f"(start); got {marker.args!r}"
            )
        if marker.args:
            merged["start"] = marker.args[0]
        merged.update(marker.kwargs)
    return merged


def activate(request: pytest.FixtureRequest) -> Iterator[MaintenanceWindows]:
    """The ``maintenance_windows`` fixture's body: an active mock for the test."""
    with mock_maintenance_windows(**marker_options(request.node)) as mw:
        yield mw


def serve(request: pytest.FixtureRequest) -> Iterator[ServedMaintenanceWindows]:
    """The ``maintenance_windows_server`` fixture's body (the server imported only here)."""
    from .server.fixture import serving

    with serving(**marker_options(request.node)) as served:
        yield served
