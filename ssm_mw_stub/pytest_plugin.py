"""The pytest plugin: the ``maintenance_windows`` fixture, registered via ``pytest11``.

Loading the plugin imports the package at pytest start-up, which installs the botocore
hook before any test module creates a client.

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

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .mock import MaintenanceWindows, mock_maintenance_windows

if TYPE_CHECKING:
    from .server import ServedMaintenanceWindows

__all__ = ["maintenance_windows", "maintenance_windows_server", "marker_options"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("maintenance windows", "ssm-mw-stub")
    group.addoption(
        "--mw-timeline",
        action="store",
        default=None,
        metavar="DIR",
        help="write the HTML maintenance-window timeline of each failing test that uses the "
        "maintenance_windows fixture to DIR",
    )
    parser.addini(
        "mw_timeline", "default directory for --mw-timeline (none: no HTML files)", default=""
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """A failing test that used the fixture shows the timeline in its report."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.failed:
        funcargs = getattr(item, "funcargs", {})
        mw = funcargs.get("maintenance_windows")
        served = funcargs.get("maintenance_windows_server")
        if mw is None and served is not None:
            mw = served.mw
        if isinstance(mw, MaintenanceWindows):
            from .pytest_report import add_to_report

            add_to_report(item, report, mw.timeline)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "maintenance_windows(start=None, **options): options for the maintenance_windows "
        "fixture (the arguments of mock_maintenance_windows); module, class and test "
        "markers combine, the closest one winning for each option",
    )


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


@pytest.fixture
def maintenance_windows(request: pytest.FixtureRequest) -> Iterator[MaintenanceWindows]:
    """An active maintenance-window mock, fresh for each test; yields its handle."""
    with mock_maintenance_windows(**marker_options(request.node)) as mw:
        yield mw


@pytest.fixture
def maintenance_windows_server(
    request: pytest.FixtureRequest,
) -> Iterator[ServedMaintenanceWindows]:
    """A mock served over HTTP on a free loopback port in the test's process, for code that
    runs in another process (``AWS_ENDPOINT_URL_SSM``): ``.url``, ``.env()`` for the child's
    environment, and ``.mw``, the full in-process handle (functions as task handlers).
    Options come from the ``maintenance_windows`` marker. The server is imported only here."""
    from .server.fixture import serving

    with serving(**marker_options(request.node)) as served:
        yield served
