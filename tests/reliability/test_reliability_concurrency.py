"""Eight threads, 1,000 mixed calls each, on one mock, while another thread moves the clock.

Each worker owns its windows (and what is registered with them) and also registers targets
on a window it shares with the other worker of its Region, so writes from different threads
meet on the same records. Every worker keeps its own model of what it wrote; reads it
makes of its own records must match that model at once (read-your-writes), and at the end
the whole mock must match the union of all models: nothing lost, nothing resurrected,
every listing equal to the final state. The clock thread advances 30 simulated minutes
each time the workers have made another 200 calls (it waits on a condition, no sleeping),
so executions start, run and are pruned while the workers write. Workers also send Run
Command commands of their own (some of which run for 45 minutes), read them back and cancel
some, while the windows' RUN_COMMAND tasks write command records from the clock's thread.

Quotas (50 windows per account and Region, 100 targets and 20 tasks per window) are kept
by spreading the workers over four Regions and deleting as they go.
"""

from __future__ import annotations

import random
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import MaintenanceWindows, TaskOutcome

from ..helpers import START

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")
WORKERS = 8
CALLS = 1000
ADVANCE_EVERY = 200
STEP = timedelta(minutes=30)
OWN_WINDOWS = 20  # per worker: 2 workers x 20 + 1 shared <= 50 per Region
SHARED_TARGETS = 10  # per worker on the shared window: 20 <= 100
TARGETS_PER_WINDOW = 4
TASKS_PER_WINDOW = 3
INSTANCES = [f"i-{n:017x}" for n in range(1, 9)]
SCHEDULES = ("rate(1 hour)", "cron(0 */2 * * ? *)", "rate(3 hours)", "cron(15 * * * ? *)")


@dataclass
class WindowModel:
    name: str
    enabled: bool = True
    targets: dict[str, str] = field(default_factory=dict)  # target id -> owner information
    tasks: dict[str, int] = field(default_factory=dict)  # task id -> priority
    uses: dict[str, str] = field(default_factory=dict)  # task id -> window target id it uses
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class WorkerModel:
    """What one worker wrote: the truth its own reads must agree with."""

    region: str
    prefix: str
    windows: dict[str, WindowModel] = field(default_factory=dict)
    deleted_windows: set[str] = field(default_factory=set)
    shared_targets: dict[str, str] = field(default_factory=dict)
    gone_targets: set[tuple[str, str]] = field(default_factory=set)
    gone_tasks: set[tuple[str, str]] = field(default_factory=set)
    #: Commands sent: CommandId -> (Comment, InstanceIds).
    commands: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    calls: int = 0


class Counter:
    """Calls made by all workers; wakes the clock thread every ``ADVANCE_EVERY`` calls."""

    def __init__(self) -> None:
        self.total = 0
        self.done = False
        self.condition = threading.Condition()

    def add(self) -> None:
        with self.condition:
            self.total += 1
            if self.total % ADVANCE_EVERY == 0:
                self.condition.notify_all()

    def ready(self, due: int) -> bool:
        return self.done or self.total >= due

    def finish(self) -> None:
        with self.condition:
            self.done = True
            self.condition.notify_all()


def _code(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return "ok"


class Worker:
    def __init__(
        self, number: int, client: Any, shared_window: str, counter: Counter
    ) -> None:
        self.rng = random.Random(number)
        self.ssm = client
        self.shared = shared_window
        self.counter = counter
        self.model = WorkerModel(region=REGIONS[number % len(REGIONS)], prefix=f"t{number}-")
        self.serial = 0

    def call(self, operation: str, **params: Any) -> Any:
        self.model.calls += 1
        self.counter.add()
        return getattr(self.ssm, operation)(**params)

    # --- writes ---------------------------------------------------------------------------

    def create_window(self) -> None:
        self.serial += 1
        name = f"{self.model.prefix}w{self.serial}"
        window_id = self.call(
            "create_maintenance_window", Name=name, Schedule=self.rng.choice(SCHEDULES),
            Duration=2, Cutoff=1, AllowUnassociatedTargets=True,
        )["WindowId"]
        assert window_id not in self.model.windows
        self.model.windows[window_id] = WindowModel(name)

    def update_window(self, window_id: str) -> None:
        model = self.model.windows[window_id]
        self.serial += 1
        model.name = f"{self.model.prefix}w{self.serial}"
        model.enabled = self.rng.random() < 0.8
        answer = self.call(
            "update_maintenance_window", WindowId=window_id, Name=model.name,
            Enabled=model.enabled,
        )
        assert (answer["Name"], answer["Enabled"]) == (model.name, model.enabled)

    def delete_window(self, window_id: str) -> None:
        self.call("delete_maintenance_window", WindowId=window_id)
        model = self.model.windows.pop(window_id)
        self.model.deleted_windows.add(window_id)
        self.model.gone_targets.update((window_id, t) for t in model.targets)
        self.model.gone_tasks.update((window_id, t) for t in model.tasks)

    def register_target(self, window_id: str) -> None:
        owner = f"{self.model.prefix}o{self.serial}"
        target_id = self.call(
            "register_target_with_maintenance_window", WindowId=window_id,
            ResourceType="INSTANCE", OwnerInformation=owner,
            Targets=[{"Key": "InstanceIds", "Values": self.rng.sample(INSTANCES, 2)}],
        )["WindowTargetId"]
        if window_id == self.shared:
            self.model.shared_targets[target_id] = owner
        else:
            self.model.windows[window_id].targets[target_id] = owner

    def update_target(self, window_id: str, target_id: str, targets: dict[str, str]) -> None:
        self.serial += 1
        owner = f"{self.model.prefix}o{self.serial}"
        answer = self.call(
            "update_maintenance_window_target", WindowId=window_id, WindowTargetId=target_id,
            OwnerInformation=owner,
        )
        assert answer["OwnerInformation"] == owner
        targets[target_id] = owner

    def deregister_target(self, window_id: str, target_id: str, targets: dict[str, str]) -> None:
        window = self.model.windows.get(window_id)
        if window is not None and target_id in window.uses.values():
            # A task still uses it: the safe deregistration must refuse and change nothing.
            code = _code(lambda: self.call(
                "deregister_target_from_maintenance_window", WindowId=window_id,
                WindowTargetId=target_id, Safe=True,
            ))
            assert code == "TargetInUseException"
            return
        self.call(
            "deregister_target_from_maintenance_window", WindowId=window_id,
            WindowTargetId=target_id, Safe=True,
        )
        del targets[target_id]
        self.model.gone_targets.add((window_id, target_id))

    def register_task(self, window_id: str) -> None:
        model = self.model.windows[window_id]
        uses = None
        if model.targets and self.rng.random() < 0.5:
            uses = self.rng.choice(list(model.targets))
            targets = [{"Key": "WindowTargetIds", "Values": [uses]}]
        else:
            targets = [{"Key": "InstanceIds", "Values": self.rng.sample(INSTANCES, 3)}]
        priority = self.rng.randrange(5)
        task_id = self.call(
            "register_task_with_maintenance_window", WindowId=window_id,
            TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND", Targets=targets,
            Priority=priority, MaxConcurrency="2", MaxErrors="1",
        )["WindowTaskId"]
        model.tasks[task_id] = priority
        if uses is not None:
            model.uses[task_id] = uses

    def update_task(self, window_id: str, task_id: str) -> None:
        priority = self.rng.randrange(5, 10)
        answer = self.call(
            "update_maintenance_window_task", WindowId=window_id, WindowTaskId=task_id,
            Priority=priority,
        )
        assert answer["Priority"] == priority
        self.model.windows[window_id].tasks[task_id] = priority

    def deregister_task(self, window_id: str, task_id: str) -> None:
        self.call(
            "deregister_task_from_maintenance_window", WindowId=window_id, WindowTaskId=task_id
        )
        del self.model.windows[window_id].tasks[task_id]
        self.model.windows[window_id].uses.pop(task_id, None)
        self.model.gone_tasks.add((window_id, task_id))

    def tag(self, window_id: str) -> None:
        key, value = f"k{self.rng.randrange(3)}", str(self.serial)
        self.call(
            "add_tags_to_resource", ResourceType="MaintenanceWindow", ResourceId=window_id,
            Tags=[{"Key": key, "Value": value}],
        )
        self.model.windows[window_id].tags[key] = value

    # --- reads of its own records: they must match at once ---------------------------

    def read_window(self, window_id: str) -> None:
        model = self.model.windows[window_id]
        window = self.call("get_maintenance_window", WindowId=window_id)
        assert (window["Name"], window["Enabled"]) == (model.name, model.enabled)

    def list_own_windows(self) -> None:
        found = {
            w["WindowId"]
            for w in self.call(
                "describe_maintenance_windows",
                Filters=[{"Key": "Name", "Values": [self.model.prefix]}], MaxResults=50,
            )["WindowIdentities"]
        }
        assert found == set(self.model.windows)

    def list_targets(self, window_id: str) -> None:
        listed = self.call("describe_maintenance_window_targets", WindowId=window_id,
                           MaxResults=50)["Targets"]
        found = {t["WindowTargetId"]: t["OwnerInformation"] for t in listed}
        assert found == self.model.windows[window_id].targets

    def list_tasks(self, window_id: str) -> None:
        listed = self.call("describe_maintenance_window_tasks", WindowId=window_id,
                           MaxResults=50)["Tasks"]
        assert {t["WindowTaskId"]: t["Priority"] for t in listed} == (
            self.model.windows[window_id].tasks
        )

    def list_shared_targets(self) -> None:
        listed = {
            t["WindowTargetId"]: t["OwnerInformation"]
            for page in self.ssm.get_paginator("describe_maintenance_window_targets").paginate(
                WindowId=self.shared
            )
            for t in page["Targets"]
        }
        self.model.calls += 1
        self.counter.add()
        mine = {t: o for t, o in listed.items() if o.startswith(self.model.prefix)}
        assert mine == self.model.shared_targets

    def read_executions(self, window_id: str) -> None:
        executions = self.call("describe_maintenance_window_executions", WindowId=window_id,
                               MaxResults=10)["WindowExecutions"]
        assert all(e["WindowId"] == window_id for e in executions)
        if executions:
            execution = self.rng.choice(executions)
            code = _code(lambda: self.call(
                "get_maintenance_window_execution",
                WindowExecutionId=execution["WindowExecutionId"],
            ))
            # Pruned (30 days) in between is the only way for it to be gone; it is not.
            assert code == "ok"

    def run_command(self) -> None:
        """Send a command, or read one back (it must be there, as sent), or cancel one."""
        commands = self.model.commands
        if commands and self.rng.random() < 0.6:
            command_id = self.rng.choice(list(commands))
            comment, instances = commands[command_id]
            if self.rng.random() < 0.3:
                self.call("cancel_command", CommandId=command_id)
                return
            [command] = self.call("list_commands", CommandId=command_id)["Commands"]
            assert (command["Comment"], command["InstanceIds"]) == (comment, instances)
            nodes = self.call("list_command_invocations", CommandId=command_id)
            assert {n["InstanceId"] for n in nodes["CommandInvocations"]} <= set(instances)
            return
        self.serial += 1
        comment = f"{self.model.prefix}c{self.serial}"
        instances = self.rng.sample(INSTANCES, 2)
        answer = self.call(
            "send_command", InstanceIds=instances, Comment=comment,
            DocumentName=self.rng.choice(["AWS-RunShellScript", "AWS-RunPowerShellScript"]),
        )["Command"]
        assert answer["Status"] == "Pending"
        commands[answer["CommandId"]] = (comment, instances)

    # --- the loop ------------------------------------------------------------------------

    def step(self) -> None:
        model = self.model
        rng = self.rng
        own = list(model.windows)
        roll = rng.random()
        if not own or (roll < 0.12 and len(own) < OWN_WINDOWS):
            self.create_window()
            return
        window_id = rng.choice(own)
        window = model.windows[window_id]
        if roll < 0.17:
            self.delete_window(window_id)
        elif roll < 0.24:
            self.update_window(window_id)
        elif roll < 0.32:
            if len(window.targets) < TARGETS_PER_WINDOW:
                self.register_target(window_id)
            else:
                self.deregister_target(window_id, rng.choice(list(window.targets)),
                                       window.targets)
        elif roll < 0.37 and window.targets:
            self.update_target(window_id, rng.choice(list(window.targets)), window.targets)
        elif roll < 0.44:
            if len(model.shared_targets) < SHARED_TARGETS:
                self.register_target(self.shared)
            else:
                self.deregister_target(self.shared, rng.choice(list(model.shared_targets)),
                                       model.shared_targets)
        elif roll < 0.47 and model.shared_targets:
            self.update_target(self.shared, rng.choice(list(model.shared_targets)),
                               model.shared_targets)
        elif roll < 0.54:
            if len(window.tasks) < TASKS_PER_WINDOW:
                self.register_task(window_id)
            else:
                self.deregister_task(window_id, rng.choice(list(window.tasks)))
        elif roll < 0.58 and window.tasks:
            self.update_task(window_id, rng.choice(list(window.tasks)))
        elif roll < 0.62:
            self.tag(window_id)
        elif roll < 0.72:
            self.read_window(window_id)
        elif roll < 0.78:
            self.list_own_windows()
        elif roll < 0.84:
            self.list_targets(window_id)
        elif roll < 0.89:
            self.list_tasks(window_id)
        elif roll < 0.93:
            self.list_shared_targets()
        elif roll < 0.965:
            self.read_executions(window_id)
        else:
            self.run_command()

    def run(self) -> None:
        while self.model.calls < CALLS:
            self.step()


def _all_pages(client: Any, operation: str, key: str, **params: Any) -> list[Any]:
    return [
        item
        for page in client.get_paginator(operation).paginate(**params)
        for item in page[key]
    ]


def _check_final_state(
    workers: list[Worker], shared: dict[str, str], clients: dict[str, Any]
) -> None:
    for region, client in clients.items():
        mine = [w for w in workers if w.model.region == region]
        listed = {
            w["WindowId"]: w
            for w in _all_pages(client, "describe_maintenance_windows", "WindowIdentities")
        }
        expected = {shared[region]}.union(*(w.model.windows for w in mine))
        assert set(listed) == expected, f"{region}: listing differs from the final state"
        shared_targets = {
            t["WindowTargetId"]: t["OwnerInformation"]
            for t in _all_pages(client, "describe_maintenance_window_targets", "Targets",
                                WindowId=shared[region])
        }
        assert shared_targets == {
            t: o for w in mine for t, o in w.model.shared_targets.items()
        }
        for worker in mine:
            for window_id, model in worker.model.windows.items():
                window = client.get_maintenance_window(WindowId=window_id)
                assert (window["Name"], window["Enabled"]) == (model.name, model.enabled)
                assert listed[window_id]["Name"] == model.name
                targets = _all_pages(client, "describe_maintenance_window_targets", "Targets",
                                     WindowId=window_id)
                assert {t["WindowTargetId"]: t["OwnerInformation"] for t in targets} == (
                    model.targets
                )
                for task_id, priority in model.tasks.items():
                    task = client.get_maintenance_window_task(
                        WindowId=window_id, WindowTaskId=task_id
                    )
                    assert task["Priority"] == priority
                tasks = _all_pages(client, "describe_maintenance_window_tasks", "Tasks",
                                   WindowId=window_id)
                assert {t["WindowTaskId"] for t in tasks} == set(model.tasks)
                tags = client.list_tags_for_resource(
                    ResourceType="MaintenanceWindow", ResourceId=window_id
                )["TagList"]
                assert {t["Key"]: t["Value"] for t in tags} == model.tags
                for execution in _all_pages(
                    client, "describe_maintenance_window_executions", "WindowExecutions",
                    WindowId=window_id,
                ):
                    found = client.get_maintenance_window_execution(
                        WindowExecutionId=execution["WindowExecutionId"]
                    )
                    assert found["Status"] == execution["Status"]
            for window_id in worker.model.deleted_windows:
                assert _code(partial(client.get_maintenance_window, WindowId=window_id)) == (
                    "DoesNotExistException"
                )
            for window_id, task_id in worker.model.gone_tasks:
                if window_id in worker.model.windows:
                    code = _code(partial(client.get_maintenance_window_task,
                                         WindowId=window_id, WindowTaskId=task_id))
                    assert code == "DoesNotExistException"
            gone_shared = {t for w, t in worker.model.gone_targets if w == shared[region]}
            assert not gone_shared & set(shared_targets)
        _check_commands(client, mine)


def _check_commands(client: Any, workers: list[Worker]) -> None:
    """Every command a worker sent is listed once, as sent, and has finished on its nodes."""
    listed = {
        c["CommandId"]: c for c in _all_pages(client, "list_commands", "Commands")
    }
    for worker in workers:
        mine = {
            command_id for command_id, command in listed.items()
            if command["Comment"].startswith(worker.model.prefix)
        }
        assert mine == set(worker.model.commands)
        for command_id, (comment, instances) in worker.model.commands.items():
            command = listed[command_id]
            assert command["Comment"] == comment
            assert command["Status"] in ("Success", "Cancelled"), command
            nodes = _all_pages(client, "list_command_invocations", "CommandInvocations",
                               CommandId=command_id)
            assert sorted(n["InstanceId"] for n in nodes) == sorted(instances)


@pytest.mark.maintenance_windows(start=START)
def test_eight_threads_and_a_moving_clock_lose_nothing(mw: MaintenanceWindows) -> None:
    for instance in INSTANCES:
        mw.add_instance(instance)
    mw.on_task(
        "AWS-RunPowerShellScript", lambda _: TaskOutcome("SUCCESS", duration=timedelta(minutes=45))
    )
    clients = {region: boto3.client("ssm", region_name=region) for region in REGIONS}
    shared = {
        region: client.create_maintenance_window(
            Name="shared", Schedule="rate(2 hours)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=True,
        )["WindowId"]
        for region, client in clients.items()
    }
    counter = Counter()
    # Clients are thread-safe once made; one per worker, made here, as boto3 advises.
    workers = [
        Worker(n, boto3.session.Session().client("ssm", region_name=REGIONS[n % len(REGIONS)]),
               shared[REGIONS[n % len(REGIONS)]], counter)
        for n in range(WORKERS)
    ]
    errors: list[BaseException] = []
    advances = 0

    def clock() -> None:
        nonlocal advances
        try:
            while True:
                due = (advances + 1) * ADVANCE_EVERY
                with counter.condition:
                    counter.condition.wait_for(partial(counter.ready, due))
                    if counter.total < due:  # done, and every step owed has been made
                        return
                mw.advance(STEP)
                advances += 1
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    def work(worker: Worker) -> None:
        try:
            worker.run()
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    ticker = threading.Thread(target=clock)
    ticker.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counter.finish()
    ticker.join()

    assert errors == [], "".join(
        "".join(traceback.format_exception(error)) for error in errors[:2]
    )
    assert all(w.model.calls >= CALLS for w in workers)
    assert advances == counter.total // ADVANCE_EVERY
    assert mw.now == START + advances * STEP
    mw.advance(timedelta(hours=1))  # the commands sent last start and finish
    _check_final_state(workers, shared, clients)
    assert sum(len(w.model.commands) for w in workers) >= WORKERS
    # The clock moved while windows existed: executions happened and were recorded.
    runs = [
        e
        for region, client in clients.items()
        for e in _all_pages(client, "describe_maintenance_window_executions",
                            "WindowExecutions", WindowId=shared[region])
    ]
    assert len(runs) >= advances // 4

