"""What order-independent interception costs per call, side by side in one process.

Inside a mock, ``BaseClient._make_api_call`` is wrapped so that a client botocore built
without the hook (made before ``ssm_mw_stub`` was imported) adopts it on its first call.
Outside a mock the wrapper is not there at all. Printed, as the median per call over
interleaved rounds:

* outside a mock: a call answered at ``before-send`` by a canned response (no network), made
  before any mock was entered and after mocks were entered and left (which installed and
  removed the wrapper, and made the client adopt the hook). Target: 1.00 (nothing changes
  outside a mock); also printed, whether ``BaseClient._make_api_call`` is botocore's own.
* inside a mock: ``DescribeMaintenanceWindows`` on a client made before the import (adopted)
  against one made after it. The difference is the wrapper's frame and its one look-up.

Run:  python benchmarks/bench_interception.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import boto3
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient

early = boto3.client(
    "ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
)
_OLD_SESSION = botocore.session.Session()
_OWN = BaseClient.__dict__["_make_api_call"]

from ssm_mw_stub import mock_maintenance_windows  # noqa: E402

CALLS = 2000


class _Body:
    def stream(self, **_: Any) -> Any:
        yield b'{"WindowIdentities": []}'


def _canned(request: Any, **_: Any) -> AWSResponse:
    return AWSResponse(request.url, 200, {}, _Body())


def _early_client() -> Any:
    """A client of a session older than the import: it adopts the hook inside a mock."""
    client = boto3.Session(botocore_session=_OLD_SESSION).client(
        "ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    client.meta.events.register_first("before-send.ssm", _canned)
    return client


def _per_call(client: Any) -> float:
    call = client.describe_maintenance_windows
    start = time.perf_counter()
    for _ in range(CALLS):
        call()
    return (time.perf_counter() - start) / CALLS * 1e6


def _compare(rounds: int, a: Callable[[], float], b: Callable[[], float]) -> tuple[float, float]:
    times_a, times_b = [], []
    for _ in range(rounds):
        times_a.append(a())
        times_b.append(b())
    return statistics.median(times_a), statistics.median(times_b)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    rounds = parser.parse_args().rounds

    client = _early_client()
    before = [_per_call(client) for _ in range(rounds)]
    for _ in range(3):
        with mock_maintenance_windows(start="2026-11-24T00:00:00Z"):
            client.describe_maintenance_windows()  # adopts the hook
    after = [_per_call(client) for _ in range(rounds)]
    b, a = statistics.median(before), statistics.median(after)
    own = BaseClient.__dict__["_make_api_call"] is _OWN
    print(f"outside a mock: before any mock {b:.1f} us, after mocks {a:.1f} us, "
          f"ratio {a / b:.3f} (target 1.00); BaseClient._make_api_call is botocore's own: {own}")

    with mock_maintenance_windows(start="2026-11-24T00:00:00Z"):
        later = boto3.client("ssm", region_name="us-east-1")
        a, b = _compare(rounds, lambda: _per_call(early), lambda: _per_call(later))
    print(f"inside a mock: client made before the import {a:.1f} us, after it {b:.1f} us, "
          f"ratio {a / b:.3f}")


if __name__ == "__main__":
    main()
