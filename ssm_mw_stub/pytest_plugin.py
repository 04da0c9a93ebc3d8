"""The pytest plugin: the ``maintenance_windows`` fixture, registered via ``pytest11``.

Loading the plugin imports the package at pytest start-up, which installs the botocore
hook before any test module creates a client.

Options reach the fixture through a marker, so a test reads like its intent::

    @pytest.mark.maintenance_windows(start="2026-11-24T00:00:00Z")
    def test_patch_window(maintenance_windows): ...
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .mock import MaintenanceWindows, mock_maintenance_windows

__all__ = ["maintenance_windows"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "maintenance_windows(start=None, **options): options for the maintenance_windows "
        "fixture (the arguments of mock_maintenance_windows)",
    )


@pytest.fixture
def maintenance_windows(request: pytest.FixtureRequest) -> Iterator[MaintenanceWindows]:
    """An active maintenance-window mock, fresh for each test; yields its handle."""
    marker = request.node.get_closest_marker("maintenance_windows")
    args = marker.args if marker is not None else ()
    kwargs = marker.kwargs if marker is not None else {}
    with mock_maintenance_windows(*args, **kwargs) as mw:
        yield mw
