"""The pytest plugin ssm-mw-stub registers (``pytest11`` entry point ``ssm_mw_stub``).

pytest loads every installed plugin at each start, in every project of the environment, so
this module is kept light: it registers the ``maintenance_windows`` marker, the
``--mw-timeline`` option and the two fixtures' names, and imports nothing of ssm-mw-stub
(nor botocore, which the package imports). The fixtures' work lives in
:mod:`ssm_mw_stub.pytest_plugin`, imported the first time a test uses one of them: a run
that never does pays nothing more than this file (``benchmarks/bench_plugin_start.py``).
It sits outside the package because importing ``ssm_mw_stub.anything`` runs the package's
``__init__``, which loads botocore. A client made before the package is imported is still
intercepted (:mod:`ssm_mw_stub.intercept`), so loading it late loses nothing.

Turn the plugin off in a project that does not use it with ``-p no:ssm_mw_stub``.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ssm_mw_stub import MaintenanceWindows
    from ssm_mw_stub.server import ServedMaintenanceWindows

__all__ = ["maintenance_windows", "maintenance_windows_server"]

#: The module doing the fixtures' work; present in sys.modules once a test used one.
_WORKER = "ssm_mw_stub.pytest_plugin"


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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "maintenance_windows(start=None, **options): options for the maintenance_windows "
        "fixture (the arguments of mock_maintenance_windows); module, class and test "
        "markers combine, the closest one winning for each option",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """A failing test that used the fixture shows the timeline in its report."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    worker = sys.modules.get(_WORKER)  # not loaded: no test used a fixture, nothing to add
    if report.failed and worker is not None:
        worker.report_failure(item, report)


@pytest.fixture
def maintenance_windows(request: pytest.FixtureRequest) -> Iterator[MaintenanceWindows]:
    """An active maintenance-window mock, fresh for each test; yields its handle."""
    from ssm_mw_stub.pytest_plugin import activate

    yield from activate(request)


@pytest.fixture
def maintenance_windows_server(
    request: pytest.FixtureRequest,
) -> Iterator[ServedMaintenanceWindows]:
    """A mock served over HTTP on a free loopback port in the test's process, for code that
    runs in another process (``AWS_ENDPOINT_URL_SSM``): ``.url``, ``.env()`` for the child's
    environment, and ``.mw``, the full in-process handle (functions as task handlers).
    Options come from the ``maintenance_windows`` marker. The server is imported only here."""
    from ssm_mw_stub.pytest_plugin import serve

    yield from serve(request)
