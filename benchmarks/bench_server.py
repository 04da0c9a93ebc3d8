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

Printed, for each variant: the median wall-clock time per call (and per operation), and the
CPU time per call, the client's and the server process's added up (read from /proc on
Linux). On an idle machine a call's wall-clock time is about its CPU time, since client and
server work one after the other; on a loaded machine each request also waits for the server
process to be scheduled, which adds the same milliseconds to both servers and squeezes the
wall-clock ratio towards 1, while the CPU ratio stays what the code costs. Then the ratios
moto_server / stub_server (target >= 3) and stub_server / stub_in_process, by both measures.

Run:  python benchmarks/bench_server.py [--rounds N]
"""

from __future__ import annotations

import argparse
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

from bench_calls import CALLS, call_mix, measure, median_call

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
def child_server(command: list[str]) -> Iterator[tuple[str, int]]:
    """A server in a child process: its URL (the first line it prints) and its pid."""
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"the server {command[:4]} did not start")
        yield url, process.pid
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


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) a child process has used so far; 0 without /proc."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


class Accounting:
    """The mix for each client, counting the CPU its rounds use: the client's (each call)
    and the server process's (each round). The in-process client's rounds each run in a
    fresh activation (see the module docstring)."""

    def __init__(self, local: Any, servers: dict[int, int | None]) -> None:
        self.local = local
        self.servers = servers  # id(client) -> server pid (None: in-process)
        self.cpu: dict[int, float] = dict.fromkeys(servers, 0.0)
        self.server_cpu: dict[int, float] = dict.fromkeys(servers, 0.0)
        self.calls: dict[int, int] = dict.fromkeys(servers, 0)

    def __call__(self, ssm: Any) -> Iterator[Callable[[], Any]]:
        key = id(ssm)
        pid = self.servers[key]
        before = process_cpu(pid)
        if ssm is self.local:
            with mock_maintenance_windows(start="2026-11-24T00:00:00Z"):
                yield from self._counted(key, call_mix(ssm))
        else:
            yield from self._counted(key, call_mix(ssm))
        self.server_cpu[key] += process_cpu(pid) - before

    def _counted(self, key: int, thunks: Iterator[Callable[[], Any]]
                 ) -> Iterator[Callable[[], Any]]:
        for thunk in thunks:
            def counted(thunk: Callable[[], Any] = thunk) -> Any:
                start = time.process_time()
                try:
                    return thunk()
                finally:
                    self.cpu[key] += time.process_time() - start
                    self.calls[key] += 1
            yield counted

    def per_call(self, ssm: Any) -> tuple[float, float]:
        """CPU seconds per call: (the client's, the server process's)."""
        calls = max(self.calls[id(ssm)], 1)
        return self.cpu[id(ssm)] / calls, self.server_cpu[id(ssm)] / calls


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
    with child_server(stub_command) as (stub_url, stub_pid), \
            child_server([sys.executable, "-c", MOTO_CHILD]) as (moto_url, moto_pid):
        clients = {
            "stub_server": http_client(stub_url),
            "moto_server": http_client(moto_url),
            "stub_in_process": boto3.client("ssm", region_name=REGION),
        }
        accounting = Accounting(clients["stub_in_process"], {
            id(clients["stub_server"]): stub_pid, id(clients["moto_server"]): moto_pid,
            id(clients["stub_in_process"]): None,
        })
        samples = measure(clients, args.rounds, mix=accounting)

    wall = {name: median_call(values) for name, values in samples.items()}
    split = {name: accounting.per_call(client) for name, client in clients.items()}
    cpu = {name: sum(parts) for name, parts in split.items()}
    print(f"per call over the tutorial's mix, {args.rounds} rounds x {len(CALLS)} calls "
          "(microseconds):")
    print(f"  {'':16}{'wall, median':>14}{'CPU, mean':>12}{'(client':>10}{'server)':>10}")
    for name in clients:
        client_cpu, server_cpu = split[name]
        print(f"  {name:16}{wall[name] * 1e6:14.0f}{cpu[name] * 1e6:12.0f}"
              f"{client_cpu * 1e6:10.0f}{server_cpu * 1e6:10.0f}")
    print("\nper operation, wall-clock median (microseconds):")
    print(f"  {'':18}" + "".join(f"{name:>16}" for name in samples))
    for index, call in enumerate(CALLS):
        row = "".join(f"{statistics.median(samples[name][index]) * 1e6:16.0f}"
                      for name in samples)
        print(f"  {call:18}{row}")
    print()
    for label, measure_of in (("wall-clock", wall), ("CPU", cpu)):
        ratio = measure_of["moto_server"] / measure_of["stub_server"]
        print(f"{label:10}  moto_server / stub_server: {ratio:5.1f} (target >= 3: "
              f"{'met' if ratio >= 3 else 'NOT met'});  stub_server / stub_in_process: "
              f"{measure_of['stub_server'] / measure_of['stub_in_process']:5.1f}")
    print(f"\nload average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
