"""Shared fixtures: an active mock (the plugin's fixture) and clients made through boto3.

Two suite-wide guards live here too:

- every response the stub gives, in any test, is checked against its operation's output
  shape (``tests/reliability/mw_conformance.py``); a test during which the stub answered
  with a non-conforming body fails at teardown, naming the operation and the violation;
- tests marked ``nightly`` (long fuzz runs) are deselected unless a ``-m`` expression
  names them, e.g. ``python3 -m pytest -m nightly tests/reliability``.

Property tests draw the same examples on every run (hypothesis's ``derandomize``), so a
failing run fails again on any machine; ``HYPOTHESIS_PROFILE=explore pytest`` searches
afresh each run instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from hypothesis import settings

import ssm_mw_stub
from ssm_mw_stub import MaintenanceWindows

from .helpers import SOURCE_ROOT, START, Reader
from .reliability import mw_conformance

# No deadline: a test asserts behaviour, never time (speed targets live in benchmarks/). On a
# loaded machine hypothesis's default 200 ms deadline failed property tests that run in
# under a millisecond (the matrix stage on Python 3.12, test_server_head, at 252 ms).
settings.register_profile("repository", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repository"))

mw_conformance.install()

# No test may wait on the EC2 metadata service while botocore looks for credentials at
# client creation (there are none here, and none are needed).
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

def pytest_configure(config: pytest.Config) -> None:
    """Deselect ``nightly`` tests unless a ``-m`` expression names them."""
    expression = config.option.markexpr
    if not expression:
        config.option.markexpr = "not nightly"
    elif "nightly" not in expression:
        config.option.markexpr = f"({expression}) and not nightly"


def pytest_report_header() -> str:
    """Which ssm_mw_stub the suite tests: a checkout's (editable) or an installed wheel's."""
    return f"ssm-mw-stub {ssm_mw_stub.__version__} from {Path(ssm_mw_stub.__file__).parent}"


def pytest_sessionstart(session: pytest.Session) -> None:
    """With ``SSM_MW_STUB_TEST_INSTALLED=1`` (CI's wheel stage) the run stops unless the
    package under test is an installed one, outside the source tree the tests came from."""
    if os.environ.get("SSM_MW_STUB_TEST_INSTALLED") != "1":
        return
    package = Path(ssm_mw_stub.__file__).resolve().parent
    if package.is_relative_to(SOURCE_ROOT):
        pytest.exit(f"SSM_MW_STUB_TEST_INSTALLED=1 but ssm_mw_stub is imported from the "
                    f"source tree ({package}), not from an installed package", returncode=4)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every test without its own ``maintenance_windows`` marker a fixed start, so the
    plugin's fixture never reads the real clock in this suite."""
    for item in items:
        if item.get_closest_marker("maintenance_windows") is None:
            item.add_marker(pytest.mark.maintenance_windows(start=START))


@pytest.fixture(autouse=True)
def _stub_answers_conform_to_the_model() -> Iterator[None]:
    """Fail the test if any answer the stub gave during it breaks its output shape."""
    mw_conformance.drain()
    yield
    problems = mw_conformance.drain()
    if problems:
        listed = "\n".join(f"  {operation}: {problem}" for operation, problem in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        pytest.fail(
            f"the stub answered with {len(problems)} model violation(s):\n{listed}{more}",
            pytrace=False,
        )


@pytest.fixture
def mw(maintenance_windows: MaintenanceWindows) -> Iterator[MaintenanceWindows]:
    """The plugin's fixture under a short name."""
    return maintenance_windows


@pytest.fixture
def ssm(mw: MaintenanceWindows) -> Any:
    """An SSM client in us-east-1, created inside the mock, with no credentials."""
    return boto3.client("ssm", region_name="us-east-1")


@pytest.fixture
def raw_ssm(mw: MaintenanceWindows) -> Any:
    """A client with botocore's own validation off: the service must catch everything."""
    return boto3.client(
        "ssm", region_name="us-east-1", config=Config(parameter_validation=False)
    )


@pytest.fixture
def make_window(ssm: Any) -> Callable[..., str]:
    """Create a window with sensible defaults; keyword arguments override them."""

    def make(**overrides: Any) -> str:
        params: dict[str, Any] = {
            "Name": "patch-window",
            "Schedule": "cron(0 16 ? * TUE *)",
            "Duration": 4,
            "Cutoff": 1,
            "AllowUnassociatedTargets": True,
        }
        params.update(overrides)
        return str(ssm.create_maintenance_window(**params)["WindowId"])

    return make


@pytest.fixture
def read(ssm: Any) -> Reader:
    """Reads what the engine recorded through boto3, following every NextToken."""
    return Reader(ssm)
