"""Server mode: the same model and fake clock behind an HTTP endpoint (docs/server.md).

* :mod:`.wire`: SSM's JSON 1.1 protocol over HTTP, in front of the service core;
* :mod:`.control`: the control API under ``/_ssm-mw-stub/`` (clock, fleet, outcome rules,
  events, calls, timeline, reset), with :mod:`.rules` (outcome rules) and
  :mod:`.durations` (``7d``, ``PT4H``);
* :mod:`.httpd`: the standard library's threading HTTP server that carries both;
* :mod:`.remote`: ``connect(url)``, the handle of a server in another process;
* :mod:`.cli`: the ``ssm-mw-stub`` command; :mod:`.fixture`: a server in the test's process.

Nothing here is imported by the rest of the package: ``import ssm_mw_stub`` stays as cheap
as before, and ``ssm_mw_stub.connect`` imports :mod:`.remote` when called.
"""

from .fixture import ServedMaintenanceWindows, serving
from .httpd import Server
from .remote import RemoteError, RemoteMaintenanceWindows, RemoteTimeline, connect
from .rules import OutcomeRule

__all__ = [
    "OutcomeRule",
    "RemoteError",
    "RemoteMaintenanceWindows",
    "RemoteTimeline",
    "ServedMaintenanceWindows",
    "Server",
    "connect",
    "serving",
]
