"""Print the declared floor of every dependency as ``name==version``, one a line.

Reads pyproject.toml's ``dependencies`` and the extras named on the command line (default:
``test`` and ``time``), so ``pip install -c <(python3 .ci/floors.py) ".[test]"`` installs
every dependency at the lowest version the package claims to support: the matrix stage of
``.ci/run`` proves the floors that way. Extras in brackets are dropped (a constraint cannot
carry them). A requirement without a ``>=`` floor is an error: every floor is to be proven.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

FLOOR = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9A-Za-z.]*)")


def floors(extras: list[str]) -> list[str]:
    project = tomllib.loads(Path("pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    pins: dict[str, str] = {}
    for requirement in requirements:
        found = FLOOR.match(requirement)
        if found is None:
            raise SystemExit(f"no >= floor in {requirement!r}")
        name = found.group(1).lower().replace("_", "-")
        version = found.group(2)
        if pins.get(name, version) != version:
            raise SystemExit(f"{name} has two floors: {pins[name]} and {version}")
        pins[name] = version
    return [f"{name}=={version}" for name, version in pins.items()]


if __name__ == "__main__":
    print("\n".join(floors(sys.argv[1:] or ["test", "time"])))
