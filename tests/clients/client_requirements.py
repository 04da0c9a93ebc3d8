"""Skip a client test whose client is missing here, unless CI requires that client.

Locally a test of a client that is not installed is skipped, saying how to get it. CI's
clients stage names the clients each of its environments must have in
``SSM_MW_STUB_REQUIRE_CLIENTS`` (comma-separated: ``awscli``, ``javascript``); for those a
missing client fails the test instead, so the stage cannot pass without running them.
"""

from __future__ import annotations

import os

import pytest

__all__ = ["require"]


def require(client: str, available: bool, reason: str) -> None:
    """Go on if ``available``; else skip (or fail, where CI requires ``client``)."""
    if available:
        return
    required = os.environ.get("SSM_MW_STUB_REQUIRE_CLIENTS", "").split(",")
    if client in required:
        pytest.fail(f"{reason} (CI requires the {client} client here)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)
