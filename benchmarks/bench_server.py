"""Per call over HTTP: the stub's server against moto's server, same client, one run.

The call mix is the tutorial's, as in ``bench_calls.py`` (create window, register target,
register task, get window, describe targets, describe tasks, delete window). Three variants,
taking turns round by round so that a change in the machine's load weighs on all alike:

* stub_server: ``ssm-mw-stub serve --port 0`` in a child process;
* moto_server: moto's ``ThreadedMotoServer`` in a child process (needs ``moto[server]``:
  ``pip install -e ".[bench]"``);
* stub_in_process: the same calls answered in-process by ``mock_maintenance_windows()``
  (activated for each round: while a mock is active, it answers every boto3 SSM call in the
  process, also those of clients with an endpoint URL, so the HTTP rounds run without one).

Both servers run in child processes, each with its own interpreter, so neither competes with
the benchmark's client for the GIL. The client is one boto3 client per server, with an
endpoint URL and placeholder credentials, retries off; requests are signed as usual.

Printed: the median per call of each variant and per operation, and the ratios
moto_server / stub_server (target >= 3) and stub_server / stub_in_process.

Run:  python benchmarks/bench_server.py [--rounds N]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # see bench_calls.py

import boto3
from botocore.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_calls import CALLS, call_mix

from ssm_mw_stub import mock_maintenance_windows

REGION = "us-east-1"

#: moto's server in a child process: prints its URL, serves until its standard input ends.
MOTO_CHILD = """
import logging, sys
logging.getLogger("werkzeug").setLevel(logging.ERROR)
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
print(f"http://{host}:{port}", flush=True)
sys.stdin.read()
server.stop()
"""


@contextmanager
def child_server(command: list[str]) -> Iterator[str]:
    """A server in a child process; its URL (the first line it prints)."""
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"the server {command[:4]} did not start")
        yield url
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.terminate()
        process.wait(timeout=30)


def http_client(url: str) -> Any:
    return boto3.client(
        "ssm", region_name=REGION, endpoint_url=url, aws_access_key_id="testing",
        aws_secret_access_key="testing", config=Config(retries={"total_max_attempts": 1}),
    )


def in_process_round(ssm: Any) -> Callable[[], Iterator[Callable[[], Any]]]:
    """The mix in-process: each round in a fresh activation (see the module docstring)."""

    def mix() -> Iterator[Callable[[], Any]]:
        with mock_maintenance_windows(start="2026-11-24T00:00:00Z"):
            yield from call_mix(ssm)

    return mix


def measure(variants: dict[str, Callable[[], Iterator[Callable[[], Any]]]], rounds: int
            ) -> dict[str, list[list[float]]]:
    """Seconds of each call, by variant and position in the mix, variants taking turns."""
    samples: dict[str, list[list[float]]] = {name: [[] for _ in CALLS] for name in variants}
    for mix in variants.values():  # warm-up round
        for thunk in mix():
            thunk()
    gc.disable()
    try:
        for _ in range(rounds):
            for name, mix in variants.items():
                into = samples[name]
                for index, thunk in enumerate(mix()):
                    start = time.perf_counter()
                    thunk()
                    into[index].append(time.perf_counter() - start)
    finally:
        gc.enable()
    return samples


def median(samples: list[list[float]]) -> float:
    return statistics.median(value for values in samples for value in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    try:
        import flask  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError:
        sys.exit('moto\'s server needs moto[server]: pip install -e ".[bench]"')
    stub_command = [sys.executable, "-m", "ssm_mw_stub", "serve", "--port", "0",
                    "--start", "2026-11-24T00:00:00Z"]
    with child_server(stub_command) as stub_url, \
            child_server([sys.executable, "-c", MOTO_CHILD]) as moto_url:
        local = boto3.client("ssm", region_name=REGION)
        variants = {
            "stub_server": lambda: call_mix(http_client_stub),
            "moto_server": lambda: call_mix(http_client_moto),
            "stub_in_process": in_process_round(local),
        }
        http_client_stub = http_client(stub_url)
        http_client_moto = http_client(moto_url)
        samples = measure(variants, args.rounds)

    medians = {name: median(values) for name, values in samples.items()}
    print(f"per call over the tutorial's mix, median of {args.rounds} rounds x {len(CALLS)} "
          "calls (microseconds):")
    for name, value in medians.items():
        print(f"  {name:16} {value * 1e6:9.0f}")
    print("\nper operation (microseconds):")
    print(f"  {'':18}" + "".join(f"{name:>16}" for name in samples))
    for index, call in enumerate(CALLS):
        row = "".join(f"{statistics.median(samples[name][index]) * 1e6:16.0f}"
                      for name in samples)
        print(f"  {call:18}{row}")
    ratio = medians["moto_server"] / medians["stub_server"]
    print(f"\nmoto_server / stub_server: {ratio:.1f} (target >= 3: "
          f"{'met' if ratio >= 3 else 'NOT met'})")
    print(f"stub_server / stub_in_process: "
          f"{medians['stub_server'] / medians['stub_in_process']:.1f}")


if __name__ == "__main__":
    main()
