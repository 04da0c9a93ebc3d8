"""What the pytest plugin costs every pytest start in an environment where it is installed.

pytest imports every ``pytest11`` plugin at start-up, in every project, whether or not a test
uses it. Timed side by side, each as ``pytest --collect-only -q`` in an empty directory in a
fresh interpreter (interleaved rounds; the medians of wall-clock time and of the child's CPU
time, which a loaded machine distorts less; the plugin's own import time from
``python -X importtime`` is printed too):

* without the plugin: ``-p no:ssm_mw_stub`` (the floor);
* the plugin as installed: the light ``pytest_ssm_mw_stub`` module, which loads the package
  only when a test uses a fixture;
* the plugin as it was before 0.1.0's release: ``-p ssm_mw_stub.pytest_plugin`` (the package,
  and with it botocore, imported at start-up), for the before/after comparison.

Target: the installed plugin adds under 10 ms to a start (it added about 110 ms before).

Run:  python benchmarks/bench_plugin_start.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

VARIANTS = {
    "without the plugin (-p no:ssm_mw_stub)": ["-p", "no:ssm_mw_stub"],
    "installed plugin (pytest_ssm_mw_stub)": [],
    "eager, as before (ssm_mw_stub.pytest_plugin)": [
        "-p", "no:ssm_mw_stub", "-p", "ssm_mw_stub.pytest_plugin"],
}


def _start(directory: str, options: list[str]) -> tuple[float, float]:
    """Seconds of wall-clock and of CPU (user + system) for one ``pytest --collect-only`` in
    an empty directory."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *options],
        cwd=directory, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _import_ms(module: str) -> float:
    """The cumulative import time of ``module`` after pytest, from ``-X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import pytest; import {module}"],
        capture_output=True, text=True, check=True)
    for line in reversed(done.stderr.splitlines()):
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \| " + re.escape(module) + "$", line)
        if found:
            return int(found.group(1)) / 1000
    raise RuntimeError(f"no import time for {module}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory() as directory:
        for options in VARIANTS.values():  # warm-up: caches, .pyc files
            _start(directory, options)
        for _ in range(rounds):
            for name, options in VARIANTS.items():
                times[name].append(_start(directory, options))
    floor = [statistics.median(kind) for kind in zip(*times[next(iter(VARIANTS))], strict=True)]
    print(f"pytest --collect-only in an empty directory, median of {rounds} rounds:")
    print(f"  {'':46} {'wall-clock':>20}  {'CPU':>20}")
    for name, spent in times.items():
        wall, cpu = (statistics.median(kind) for kind in zip(*spent, strict=True))
        print(f"  {name:46} {wall * 1000:7.1f} ms (+{(wall - floor[0]) * 1000:6.1f})"
              f"  {cpu * 1000:7.1f} ms (+{(cpu - floor[1]) * 1000:6.1f})")
    print("import time after pytest (python -X importtime, one run):")
    for module in ("pytest_ssm_mw_stub", "ssm_mw_stub.pytest_plugin"):
        print(f"  {module:46} {_import_ms(module):7.1f} ms")


if __name__ == "__main__":
    main()
