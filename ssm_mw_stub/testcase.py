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

This module only wraps the class's methods, like time-machine's ``travel.__call__``; what
each step does to the mock is the :class:`ClassScope` the mock hands over, so this module
needs nothing of the mock but that protocol.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from unittest import TestCase

__all__ = ["ClassScope", "decorate_test_case"]


class ClassScope(Protocol):
    """One decorated class's use of a mock (``MaintenanceWindows`` makes it)."""

    def open(self) -> None:
        """``setUpClass`` is about to run: activate, and record what reaches the state."""

    def seal(self) -> None:
        """``setUpClass`` returned or raised: what it recorded is what each test starts from."""

    def refresh(self) -> bool:
        """Replace the state with a fresh one holding what ``setUpClass`` left; False when
        the class's activation is not live (a test run without its class's set-up)."""

    def close(self) -> None:
        """The class is done: deactivate."""

    def start(self) -> None:
        """Activate for one test run on its own."""

    def stop(self) -> None:
        """Deactivate after such a test."""


def decorate_test_case(cls: type[TestCase], scope: ClassScope) -> type[TestCase]:
    """Wrap ``setUpClass``, ``tearDownClass`` and ``setUp`` of ``cls`` (returned, changed)."""
    set_up_class = cls.setUpClass.__func__  # type: ignore[attr-defined]
    tear_down_class = cls.tearDownClass.__func__  # type: ignore[attr-defined]
    set_up = cls.setUp

    @functools.wraps(set_up_class)
    def wrapped_set_up_class(klass: type[TestCase]) -> None:
        scope.open()
        klass.addClassCleanup(scope.close)
        try:
            set_up_class(klass)
        finally:
            scope.seal()

    @functools.wraps(tear_down_class)
    def wrapped_tear_down_class(klass: type[TestCase]) -> None:
        scope.refresh()
        tear_down_class(klass)

    @functools.wraps(set_up)
    def wrapped_set_up(test: TestCase) -> None:
        if not scope.refresh():
            scope.start()
            test.addCleanup(scope.stop)
        set_up(test)

    wrapped: Any = classmethod(wrapped_set_up_class)
    cls.setUpClass = wrapped  # type: ignore[method-assign]
    wrapped = classmethod(wrapped_tear_down_class)
    cls.tearDownClass = wrapped  # type: ignore[method-assign]
    cls.setUp = wrapped_set_up  # type: ignore[method-assign,assignment]
    return cls
