"""``@mock_maintenance_windows(...)`` on a ``unittest.TestCase`` class.

The mock is active for the whole class, from before ``setUpClass`` to after
``tearDownClass``, so what ``setUpClass`` makes goes to the mock (moto's class decorator, by
contrast, leaves ``setUpClass`` unmocked: it wraps instance methods only). Each test starts
from the state ``setUpClass`` left, rebuilt before its ``setUp`` (see :mod:`.transcript`), so
a test's changes are gone before the next test and before ``tearDownClass``: Django's
``TestCase`` convention for class-level data.

The activation ends in a class cleanup (``addClassCleanup``), which unittest and pytest run
after ``tearDownClass`` and also when ``setUpClass`` raised (``SkipTest`` included), so a
failing class leaves no mock active. A test run on its own, without its class's
``setUpClass`` (``Case("test_x").run()``), gets a fresh activation of its own, as before.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unittest import TestCase

    from .mock import MaintenanceWindows

__all__ = ["decorate_test_case"]


def decorate_test_case(mock: MaintenanceWindows, cls: type[TestCase]) -> type[TestCase]:
    """Wrap ``setUpClass``, ``tearDownClass`` and ``setUp`` of ``cls`` (returned, changed)."""
    set_up_class = cls.setUpClass.__func__  # type: ignore[attr-defined]
    tear_down_class = cls.tearDownClass.__func__  # type: ignore[attr-defined]
    set_up = cls.setUp

    @functools.wraps(set_up_class)
    def wrapped_set_up_class(klass: type[TestCase]) -> None:
        mock._record_class()
        klass.addClassCleanup(mock._end_class)
        try:
            set_up_class(klass)
        finally:
            mock._recorded_class()

    @functools.wraps(tear_down_class)
    def wrapped_tear_down_class(klass: type[TestCase]) -> None:
        if mock._class_transcript is not None and mock.active:
            mock._rebuild_class_state()
        tear_down_class(klass)

    @functools.wraps(set_up)
    def wrapped_set_up(test: TestCase) -> None:
        if mock._class_transcript is not None and mock.active:
            mock._rebuild_class_state()
        else:
            mock.start()
            test.addCleanup(mock.stop)
        set_up(test)

    wrapped: Any = classmethod(wrapped_set_up_class)
    cls.setUpClass = wrapped  # type: ignore[method-assign]
    wrapped = classmethod(wrapped_tear_down_class)
    cls.tearDownClass = wrapped  # type: ignore[method-assign]
    cls.setUp = wrapped_set_up  # type: ignore[method-assign,assignment]
    return cls
