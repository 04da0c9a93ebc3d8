"""What many tests share: the suite's first instant, a window, and readers through boto3.

Tests import it relatively (``from ..helpers import START``): ``tests`` is a package, and
pytest imports it with ``--import-mode=importlib`` (pyproject.toml), so nothing is put on
``sys.path`` and ``ssm_mw_stub`` is always the installed package (see tests/__init__.py).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

__all__ = [
    "NODES",
    "SOURCE_ROOT",
    "START",
    "WINDOW",
    "Reader",
    "automation_ids",
    "automation_of",
    "command_of",
    "load_example",
    "nodes_of",
    "python_output",
    "source_file",
]

#: The suite's clock starts here (tests/conftest.py gives every test without a marker of its
#: own this start): a Tuesday, 00:00 UTC, which is 16:00 the day before in Los Angeles.
START = datetime(2026, 11, 24, tzinfo=timezone.utc)

#: A daily window of two hours (cutoff one hour) that runs without targets; name it, and
#: override what a test is about: ``create_maintenance_window(Name="x", **WINDOW)``.
WINDOW: dict[str, Any] = {
    "Schedule": "rate(1 day)",
    "Duration": 2,
    "Cutoff": 1,
    "AllowUnassociatedTargets": True,
}

#: The Run Command tests' four managed nodes (tests/commands/conftest.py tags them).
NODES = [f"i-0a1b2c3d4e5f6000{n}" for n in range(1, 5)]

#: The root of the source tree the suite came from (a checkout or an unpacked sdist).
SOURCE_ROOT = Path(__file__).resolve().parent.parent


def source_file(*parts: str) -> Path:
    """A file of the source tree that a test reads (README.md, docs/, examples/), by its
    path from the root; where the suite runs without it (``tests/`` copied beside an
    installed wheel) the calling test, or the whole module when called at import, is
    skipped with the reason. Every test that reads the tree goes through here, so the suite
    runs against an installed package anywhere (README.md "Development")."""
    path = SOURCE_ROOT.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"needs {'/'.join(parts)} of the source tree (a checkout or an unpacked sdist), "
            f"which is not beside this copy of the tests ({SOURCE_ROOT})",
            allow_module_level=True,
        )
    return path


def python_output(script: str) -> str:
    """What ``script`` prints in a fresh interpreter (this one's), stripped: for what a
    process loads on import, which the test's own process has long loaded."""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout.strip()


def load_example(name: str) -> ModuleType:
    """Import ``examples/{name}.py`` as a module of its own, without touching ``sys.path``."""
    path = source_file("examples", f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"examples.{name}", path)
    assert spec is not None, name
    assert spec.loader is not None, name
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- readers: what the service recorded, through boto3, every page followed ---------------


class Reader:
    """Reads what the engine recorded through boto3, following every NextToken."""

    def __init__(self, ssm: Any) -> None:
        self.ssm = ssm

    def executions(self, window_id: str, **kwargs: Any) -> list[dict[str, Any]]:
        pages = self.ssm.get_paginator("describe_maintenance_window_executions")
        return [
            item
            for page in pages.paginate(WindowId=window_id, **kwargs)
            for item in page["WindowExecutions"]
        ]

    def only_execution(self, window_id: str) -> dict[str, Any]:
        found = self.executions(window_id)
        assert len(found) == 1, found
        return found[0]

    def execution(self, execution_id: str) -> dict[str, Any]:
        return dict(self.ssm.get_maintenance_window_execution(WindowExecutionId=execution_id))

    def tasks(self, execution_id: str, **kwargs: Any) -> list[dict[str, Any]]:
        pages = self.ssm.get_paginator("describe_maintenance_window_execution_tasks")
        return [
            item
            for page in pages.paginate(WindowExecutionId=execution_id, **kwargs)
            for item in page["WindowExecutionTaskIdentities"]
        ]

    def task(self, execution_id: str, task_execution_id: str) -> dict[str, Any]:
        return dict(
            self.ssm.get_maintenance_window_execution_task(
                WindowExecutionId=execution_id, TaskId=task_execution_id
            )
        )

    def invocations(
        self, execution_id: str, task_execution_id: str, **kwargs: Any
    ) -> list[dict[str, Any]]:
        pages = self.ssm.get_paginator("describe_maintenance_window_execution_task_invocations")
        return [
            item
            for page in pages.paginate(
                WindowExecutionId=execution_id, TaskId=task_execution_id, **kwargs
            )
            for item in page["WindowExecutionTaskInvocationIdentities"]
        ]

    def task_by_arn(self, execution_id: str, arn: str) -> dict[str, Any]:
        found = [t for t in self.tasks(execution_id) if t["TaskArn"] == arn]
        assert len(found) == 1, found
        return found[0]


def nodes_of(ssm: Any, command_id: str, **extra: Any) -> dict[str, dict[str, Any]]:
    """ListCommandInvocations of one command, every page, by InstanceId."""
    pages = ssm.get_paginator("list_command_invocations").paginate(CommandId=command_id, **extra)
    return {
        node["InstanceId"]: node for page in pages for node in page["CommandInvocations"]
    }


def command_of(ssm: Any, command_id: str) -> dict[str, Any]:
    """ListCommands' record of one command."""
    [command] = ssm.list_commands(CommandId=command_id)["Commands"]
    return dict(command)


def automation_of(ssm: Any, execution_id: str) -> dict[str, Any]:
    """GetAutomationExecution's AutomationExecution."""
    return dict(ssm.get_automation_execution(AutomationExecutionId=execution_id)[
        "AutomationExecution"
    ])


def automation_ids(ssm: Any, **params: Any) -> list[str]:
    """The ids DescribeAutomationExecutions lists, every page followed."""
    pages = ssm.get_paginator("describe_automation_executions").paginate(**params)
    return [
        item["AutomationExecutionId"]
        for page in pages
        for item in page["AutomationExecutionMetadataList"]
    ]
