"""Fixtures of the service tests."""

from __future__ import annotations

from typing import Any

import pytest


class SendStopped(Exception):
    """Raised where botocore would have sent a request over the network."""


class SendStop:
    """Watches botocore's send step on clients: records each request there, then stops it."""

    Stopped = SendStopped

    def __call__(self, client: Any) -> list[Any]:
        """Install the watch on ``client``; the returned list fills with its requests."""
        seen: list[Any] = []

        def observe(request: Any, **_: Any) -> None:
            seen.append(request)
            raise SendStopped(request.url)

        client.meta.events.register_first("before-send.ssm", observe)
        return seen


@pytest.fixture
def stop_at_send() -> SendStop:
    """Proves whether a call reached botocore's send step, without any network."""
    return SendStop()
