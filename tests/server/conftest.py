"""Fixtures of the server tests."""

from __future__ import annotations

import sys
from pathlib import Path

# The helpers module sits beside the tests (pytest's default import mode puts this folder
# on sys.path for test modules; conftest imports it the same way).
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
