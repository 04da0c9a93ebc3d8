"""A server in the test's own process: the ``maintenance_windows_server`` fixture's body.

For code under test that runs in another process (a CLI tool, a Lambda handler run as a
process, a script in another language) and reaches SSM through ``AWS_ENDPOINT_URL_SSM``,
while the test keeps the full in-process handle: task handlers may be functions, since
they run in the test's process. The mock is active as with the ``maintenance_windows``
fixture, so the test's own boto3 calls are answered in-process, by the same state.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from ..mock import mock_maintenance_windows
from .httpd import Server

__all__ = ["ServedMaintenanceWindows", "serving"]


class ServedMaintenanceWindows:
    """A mock served over HTTP in this process: its ``url`` and its in-process handle."""

    def __init__(self, server: Server) -> None:
        self._server = server
        #: Where the server answers (``http://127.0.0.1:PORT``).
        self.url = server.url
        #: The in-process handle of the served mock (``mw.advance``, ``mw.on_task`` with
        #: functions, ``mw.calls``, ...).
        self.mw = server.mw

    def env(self, **extra: str) -> dict[str, str]:
        """This process's environment for a child process that should use the server:
        ``AWS_ENDPOINT_URL_SSM`` and ``SSM_MW_STUB_URL`` set to it, placeholder credentials
        (SDKs sign requests; the server checks no signature) and a default Region unless
        one is set; then ``extra``."""
        env = dict(os.environ)
        env.setdefault("AWS_ACCESS_KEY_ID", "testing")
        env.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        env["AWS_ENDPOINT_URL_SSM"] = self.url
        env["SSM_MW_STUB_URL"] = self.url
        env.update(extra)
        return env

    def reset(self) -> None:
        """Back to the start (as ``POST /_ssm-mw-stub/reset``): the handle stays valid."""
        self._server.reset()

    def __repr__(self) -> str:
        return f"<ServedMaintenanceWindows {self.url}>"


@contextmanager
def serving(
    host: str = "127.0.0.1", port: int = 0, **options: Any
) -> Iterator[ServedMaintenanceWindows]:
    """Activate a mock (``options`` as for ``mock_maintenance_windows``) and serve it on
    ``host``:``port`` (0: a free port) until the block ends."""
    if options.get("start") is None:  # pinned, so that a reset comes back to it
        options["start"] = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    mw = mock_maintenance_windows(**options)
    server = Server(mw, host, port)
    with mw, server:
        yield ServedMaintenanceWindows(server)
