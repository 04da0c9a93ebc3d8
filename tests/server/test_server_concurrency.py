"""Concurrent clients: 8 boto3 clients x 25 calls at once, over HTTP, against one server.

Every call is answered (no error, nothing lost), the ids handed out are all different, and
what the clients wrote is all there afterwards, while another client moves the clock
through the control API in the middle of it.
"""

from __future__ import annotations

import threading
from typing import Any

from ssm_mw_stub import connect

from .server_helpers import ServerProcess, client_for

CLIENTS = 8
CALLS = 25
REGIONS = ("us-east-1", "eu-west-1")


def _client_work(ssm: Any, number: int) -> tuple[list[str], list[str], int]:
    """25 calls: 5 windows, each with a target and a task, read back twice."""
    windows, ids, calls = [], [], 0
    for index in range(5):
        window = ssm.create_maintenance_window(
            Name=f"client-{number}-{index}", Schedule="rate(1 hour)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=True)["WindowId"]
        target = ssm.register_target_with_maintenance_window(
            WindowId=window, ResourceType="INSTANCE",
            Targets=[{"Key": "tag:Client", "Values": [str(number)]}])["WindowTargetId"]
        task = ssm.register_task_with_maintenance_window(
            WindowId=window, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
            Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
            MaxConcurrency="1", MaxErrors="0")["WindowTaskId"]
        assert ssm.get_maintenance_window(WindowId=window)["Name"] == f"client-{number}-{index}"
        [listed] = ssm.describe_maintenance_window_tasks(WindowId=window)["Tasks"]
        assert listed["WindowTaskId"] == task
        windows.append(window)
        ids += [window, target, task]
        calls += 5
    return windows, ids, calls


def test_eight_clients_at_once_lose_nothing(server: ServerProcess) -> None:
    clients = [client_for(server.url, REGIONS[n % 2], max_pool_connections=2)
               for n in range(CLIENTS)]
    results: dict[int, tuple[list[str], list[str], int]] = {}
    failures: list[BaseException] = []
    start = threading.Barrier(CLIENTS + 1)

    def run(number: int) -> None:
        try:
            start.wait()
            results[number] = _client_work(clients[number], number)
        except BaseException as exc:  # reported below, with every other failure
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    remote = connect(server.url)
    start.wait()
    remote.add_instance("i-0123456789abcdef0", tags={"Client": "3"})
    remote.advance_to("2026-11-23T03:00:00Z")  # the clock moves while the clients write
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert sorted(results) == list(range(CLIENTS))
    assert sum(calls for _, _, calls in results.values()) == CLIENTS * CALLS
    ids = [item for _, made, _ in results.values() for item in made]
    assert len(ids) == len(set(ids)) == CLIENTS * 15
    served = remote.calls
    assert len(served) == CLIENTS * CALLS
    assert all(call.succeeded for call in served)
    for region in REGIONS:
        listed = {
            w["WindowId"]
            for page in client_for(server.url, region).get_paginator(
                "describe_maintenance_windows").paginate()
            for w in page["WindowIdentities"]
        }
        expected = {w for n, (made, _, _) in results.items() if REGIONS[n % 2] == region
                    for w in made}
        assert listed == expected
