"""Print the declared floor of every dependency as ``name==version``, one a line.

Reads pyproject.toml's ``dependencies`` and the extras named on the command line (default:
``test`` and ``time``), so ``pip install -c <(python3 .ci/floors.py) ".[test]"`` installs
every dependency at the lowest version the package claims to support: the matrix stage of
``.ci/run`` proves the floors that way. Extras in brackets are dropped (a constraint cannot
carry them). A requirement without a ``>=`` floor is an error: every floor is to be proven.

``python .ci/floors.py --check FILE`` (with the environment's Python, 3.10 too: no tomllib
needed) prints the installed version of every pin in FILE and fails unless each one is
exactly the floor, so the log shows what the suite ran on.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

FLOOR = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9A-Za-z.]*)")


def floors(extras: list[str]) -> list[str]:
    import tomllib  # Python 3.11+; --check runs on older ones too

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


def _release(version: str) -> str:
    """``1.10.0`` and ``1.10`` are one release (a pin's trailing zeros are optional)."""
    parts = version.split(".")
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


def check(pins: list[str]) -> bool:
    """Print each pinned package's installed version; whether all are the pins."""
    good = True
    found = []
    for pin in pins:
        name, version = pin.split("==")
        installed = importlib.metadata.version(name)
        found.append(f"{name}=={installed}")
        if _release(installed) != _release(version):
            print(f"{name}: {installed} installed, the floor is {version}", file=sys.stderr)
            good = False
    print("installed at the floors:", " ".join(found))
    return good


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        sys.exit(0 if check(Path(sys.argv[2]).read_text().split()) else 1)
    print("\n".join(floors(sys.argv[1:] or ["test", "time"])))
