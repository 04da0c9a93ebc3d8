"""Fixtures of the server tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ssm_mw_stub import connect

from .server_helpers import SERVER_SEED, SERVER_START, ServerProcess, server_process


@pytest.fixture(scope="session")
def _server_process() -> Iterator[ServerProcess]:
    with server_process("--start", SERVER_START, "--seed", SERVER_SEED) as running:
        yield running


@pytest.fixture
def server(_server_process: ServerProcess) -> ServerProcess:
    """``ssm-mw-stub serve`` in a child process (one per test session), reset for the test."""
    connect(_server_process.url).reset()
    return _server_process
