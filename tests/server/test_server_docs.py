"""docs/server.md stays true to the code: every control route and every command is there."""

from __future__ import annotations

import re

from ssm_mw_stub.server.cli import build_parser
from ssm_mw_stub.server.control import PREFIX, ROUTES

from ..helpers import source_file

DOC = source_file("docs", "server.md").read_text()


def test_every_control_route_is_documented() -> None:
    documented = set(re.findall(r"^\| `(GET|POST|PUT|DELETE) (/_ssm-mw-stub/\S*)`", DOC, re.M))
    expected = {
        (method, PREFIX + path.replace("{}", "{name}" if "groups" in path else "{id}"))
        for method, path, _ in ROUTES
    }
    assert documented == expected


def test_every_command_is_documented() -> None:
    commands = set(re.findall(r"^    ([a-z-]+)", build_parser().format_help(), re.M))
    documented = set(re.findall(r"^\| `ssm-mw-stub ([a-z-]+)", DOC, re.M))
    assert documented == commands - {"serve"}
    assert "## `ssm-mw-stub serve`" in DOC
