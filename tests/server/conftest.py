"""Fixtures of the server tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The helpers module sits beside the tests (pytest's default import mode puts this folder
# on sys.path for test modules; conftest imports it the same way).
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from server_helpers import SERVER_SEED, SERVER_START, ServerProcess, server_process  # noqa: E402

from ssm_mw_stub import connect  # noqa: E402


@pytest.fixture(scope="session")
def _server_process() -> Iterator[ServerProcess]:
    with server_process("--start", SERVER_START, "--seed", SERVER_SEED) as running:
        yield running


@pytest.fixture
def server(_server_process: ServerProcess) -> ServerProcess:
    """``ssm-mw-stub serve`` in a child process (one per test session), reset for the test."""
    connect(_server_process.url).reset()
    return _server_process
