"""``python -m ssm_mw_stub serve ...``: the ``ssm-mw-stub`` command (server mode)."""

from __future__ import annotations

import sys

from .server.cli import main

if __name__ == "__main__":
    sys.exit(main())
