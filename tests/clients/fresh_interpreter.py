"""Run a script in a fresh Python interpreter with the network cut off and no AWS set-up.

Import order is a property of a whole process, so each order is proved in its own
interpreter. Every such process gets, through a ``sitecustomize`` module on its path, a guard
that makes opening a socket or resolving a host name raise ``NetworkUsed``: a
``BaseException``, so neither urllib3 nor botocore's retries can swallow it, and a call that
escaped the mock fails the script at once with the address it tried. The environment holds
real-looking keys, so an escaping call would be signed and sent rather than stopped early for
want of credentials.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["GUARD", "run_fresh"]

GUARD = r'''
import socket


class NetworkUsed(BaseException):
    """A call tried to reach the network."""


def _refuse(name):
    def guard(*args, **kwargs):
        raise NetworkUsed(f"{name}{args[1:] if name.startswith('socket.') else args}")
    return guard


socket.socket.connect = _refuse("socket.connect")
socket.socket.connect_ex = _refuse("socket.connect_ex")
socket.create_connection = _refuse("create_connection")
socket.getaddrinfo = _refuse("getaddrinfo")
'''


def run_fresh(
    tmp_path: Path,
    script: str | None = None,
    *,
    argv: Sequence[str] = (),
    files: dict[str, str] | None = None,
    python: str = sys.executable,
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (or ``python argv...``) in ``tmp_path`` with the guard and ``files``."""
    for name, text in {"sitecustomize.py": GUARD, **(files or {})}.items():
        (tmp_path / name).write_text(text)
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        PYTHONPATH=str(tmp_path),
        HOME=str(tmp_path),
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        AWS_DEFAULT_REGION="eu-west-1",
    )
    command = [python, *(["-c", script] if script is not None else []), *argv]
    return subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )
