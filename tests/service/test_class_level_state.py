"""unittest classes: setUpClass runs inside the mock; each test starts from what it left.

The convention is Django's TestCase's for class-level data: what setUpClass made is there
in every test, and whatever a test changed is gone before the next test (and before
tearDownClass).
"""

from __future__ import annotations

import io
import unittest
from datetime import datetime, timedelta
from typing import Any, ClassVar

import boto3

from ssm_mw_stub import Invocation, TaskOutcome, mock_maintenance_windows

from ..helpers import START, WINDOW


def _run(case: type[unittest.TestCase]) -> unittest.TestResult:
    result = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(case)
    )
    problems = [text for _, text in result.errors + result.failures]
    assert result.wasSuccessful(), "\n".join(problems)
    return result


def _names(ssm: Any) -> list[str]:
    return sorted(w["Name"] for w in ssm.describe_maintenance_windows()["WindowIdentities"])


def _make_class_window(cls: Any) -> None:
    """What the setUpClass of several cases here does: a client and one window."""
    cls.ssm = boto3.client("ssm", region_name="eu-west-1")
    cls.window_id = cls.ssm.create_maintenance_window(Name="class", **WINDOW)["WindowId"]


# pytest collects this class itself (under xdist its tests may be split between workers,
# each of which runs setUpClass): every test asserts only the class state plus its own change.
_collected = mock_maintenance_windows(start=START)


@_collected
class TestCollectedByPytest(unittest.TestCase):
    window_id: ClassVar[str]

    @classmethod
    def setUpClass(cls) -> None:
        _make_class_window(cls)

    def test_deletes_the_class_window(self) -> None:
        self.ssm.delete_maintenance_window(WindowId=self.window_id)
        assert _names(self.ssm) == []

    def test_adds_a_window(self) -> None:
        self.ssm.create_maintenance_window(Name="mine", **WINDOW)
        assert _names(self.ssm) == ["class", "mine"]

    def test_sees_the_class_window_by_its_id(self) -> None:
        assert self.ssm.get_maintenance_window(WindowId=self.window_id)["Name"] == "class"


def test_setupclass_state_is_in_every_test_and_test_changes_are_gone() -> None:
    mock = mock_maintenance_windows(start=START)
    seen: dict[str, Any] = {}

    @mock
    class Case(unittest.TestCase):
        window_id: ClassVar[str]

        @classmethod
        def setUpClass(cls) -> None:
            seen["active in setUpClass"] = mock.active
            cls.ssm = boto3.client("ssm", region_name="us-east-1")
            cls.window_id = cls.ssm.create_maintenance_window(Name="class", **WINDOW)["WindowId"]
            mock.add_instance("i-0123456789abcdef0", tags={"Role": "web"})

        @classmethod
        def tearDownClass(cls) -> None:
            seen["tearDownClass"] = _names(cls.ssm)

        def setUp(self) -> None:
            self.ssm.create_maintenance_window(Name="setup", **WINDOW)

        def test_a_changes_everything(self) -> None:
            seen.setdefault("names", []).append(_names(self.ssm))
            self.ssm.update_maintenance_window(WindowId=self.window_id, Name="renamed")
            self.ssm.create_maintenance_window(Name="from-a", **WINDOW)
            mock.remove_instance("i-0123456789abcdef0")
            mock.advance(timedelta(days=3))

        def test_b_sees_the_class_state_only(self) -> None:
            seen.setdefault("names", []).append(_names(self.ssm))
            seen["now in b"] = mock.now
            seen["window in b"] = self.ssm.get_maintenance_window(WindowId=self.window_id)

    _run(Case)
    assert seen["active in setUpClass"] is True
    assert seen["names"] == [["class", "setup"], ["class", "setup"]]
    assert seen["window in b"]["Name"] == "class"
    assert seen["now in b"] == START
    assert seen["tearDownClass"] == ["class"]
    assert not mock.active


def test_handlers_of_setupclass_are_not_called_again_but_answer_the_tests() -> None:
    mock = mock_maintenance_windows(start=START)
    calls: list[str] = []
    executions: list[list[str]] = []

    def handler(invocation: Invocation) -> TaskOutcome:
        calls.append(invocation.target_id or "")
        # A handler may call boto3: the window it creates is part of the class state too.
        boto3.client("ssm", region_name="us-east-1").create_maintenance_window(
            Name=f"by-handler-{len(calls)}", **WINDOW
        )
        return TaskOutcome("FAILED", duration=timedelta(minutes=30))

    @mock
    class Case(unittest.TestCase):
        window_id: ClassVar[str]

        @classmethod
        def setUpClass(cls) -> None:
            cls.ssm = boto3.client("ssm", region_name="us-east-1")
            cls.window_id = cls.ssm.create_maintenance_window(
                Name="hourly", Schedule="rate(1 hour)", Duration=2, Cutoff=0,
                AllowUnassociatedTargets=True,
            )["WindowId"]
            cls.ssm.register_task_with_maintenance_window(
                WindowId=cls.window_id, TaskArn="arn:aws:lambda:us-east-1:123456789012:function:f",
                TaskType="LAMBDA",
            )
            mock.on_task("LAMBDA", handler)
            # Stops while the second execution's task is still running.
            mock.advance(timedelta(hours=2, minutes=10))

        def _statuses(self) -> list[str]:
            found = self.ssm.describe_maintenance_window_executions(WindowId=self.window_id)
            return [e["Status"] for e in found["WindowExecutions"]]

        def test_one(self) -> None:
            executions.append(self._statuses())
            assert _names(self.ssm) == ["by-handler-1", "by-handler-2", "hourly"]
            # The running execution ends; a third starts at 03:00 and the handler answers it.
            mock.advance(timedelta(hours=1))
            executions.append(self._statuses())

        def test_two(self) -> None:
            executions.append(self._statuses())

    _run(Case)
    # setUpClass's two invocations, then one from test_one's advance: never a replay.
    assert len(calls) == 3
    in_progress = ["IN_PROGRESS", "FAILED"]
    assert executions == [in_progress, ["IN_PROGRESS", "FAILED", "FAILED"], in_progress]


def test_unpinned_seed_and_start_give_every_test_the_same_ids() -> None:
    mock = mock_maintenance_windows(seed=None)
    ids: list[tuple[str, datetime]] = []

    @mock
    class Case(unittest.TestCase):
        window_id: ClassVar[str]

        @classmethod
        def setUpClass(cls) -> None:
            _make_class_window(cls)

        def test_one(self) -> None:
            ids.append((self.ssm.describe_maintenance_windows()["WindowIdentities"][0]["WindowId"],
                        mock.now))

        def test_two(self) -> None:
            self.test_one()

    _run(Case)
    assert ids[0] == ids[1]
    assert ids[0][0] == Case.window_id


def test_a_failing_or_skipped_setupclass_leaves_no_mock_active() -> None:
    mock = mock_maintenance_windows(start=START)

    @mock
    class Failing(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            boto3.client("ssm", region_name="us-east-1").create_maintenance_window(
                Name="class", **WINDOW
            )
            raise RuntimeError("set-up failed")

        def test_never_runs(self) -> None:
            raise AssertionError("unreachable")

    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Failing)
    )
    assert len(result.errors) == 1
    assert "set-up failed" in result.errors[0][1]
    assert not mock.active

    @mock
    class Skipped(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            raise unittest.SkipTest("not today")

        def test_never_runs(self) -> None:
            raise AssertionError("unreachable")

    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Skipped)
    )
    assert len(result.skipped) == 1
    assert not mock.active
    with mock:  # and it can be used again
        assert _names(boto3.client("ssm", region_name="us-east-1")) == []


def test_a_test_run_on_its_own_gets_an_activation_of_its_own() -> None:
    mock = mock_maintenance_windows(start=START)
    seen: list[bool] = []

    @mock
    class Case(unittest.TestCase):
        def test_alone(self) -> None:
            seen.append(mock.active)
            assert _names(boto3.client("ssm", region_name="us-east-1")) == []

    result = Case("test_alone").run()  # no suite: unittest calls no setUpClass
    assert result is not None
    assert result.wasSuccessful()
    assert seen == [True]
    assert not mock.active


def test_a_subclass_of_a_decorated_class_gets_the_same_treatment() -> None:
    mock = mock_maintenance_windows(start=START)
    names: list[list[str]] = []

    @mock
    class Base(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            cls.ssm = boto3.client("ssm", region_name="us-east-1")
            cls.ssm.create_maintenance_window(Name=f"made-for-{cls.__name__}", **WINDOW)

        def test_names(self) -> None:
            names.append(_names(self.ssm))

    class Child(Base):
        pass

    _run(Base)
    _run(Child)
    assert names == [["made-for-Base"], ["made-for-Child"]]
    assert not mock.active
