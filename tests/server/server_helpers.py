"""Helpers of the server tests: a server in a child process, raw HTTP, clients by URL.

A server in the test's own process is also an active mock, which answers the test's boto3
calls in-process before they reach HTTP; tests that must see boto3's requests cross the
wire use a server in a child process (``python -m ssm_mw_stub serve --port 0``), reading
its URL from the first line it prints.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

__all__ = [
    "SERVER_SEED", "SERVER_START", "HttpAnswer", "ServerProcess", "client_for",
    "nightly_command_window", "post", "raw_request", "server_process",
]

#: The start and seed of the server in a child process (the tutorial's start).
SERVER_START = "2026-11-23T00:00:00Z"
SERVER_SEED = "differential"

#: What SDKs send with every SSM request.
SSM_HEADERS = {"Content-Type": "application/x-amz-json-1.1"}


@dataclass
class ServerProcess:
    process: subprocess.Popen[str]
    url: str
    stderr: Any


@contextmanager
def server_process(*args: str, env: Mapping[str, str] | None = None) -> Iterator[ServerProcess]:
    """``python -m ssm_mw_stub serve --port 0 ARGS`` in a child process; stopped (SIGTERM)
    at the end of the block."""
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "ssm_mw_stub", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=stderr, text=True, env=env,
        )
        try:
            assert process.stdout is not None
            url = process.stdout.readline().strip()  # the first line: the URL, flushed
            if not url.startswith("http://"):
                process.wait(timeout=30)
                stderr.seek(0)
                raise RuntimeError(f"the server did not start: {url!r} {stderr.read()}")
            yield ServerProcess(process, url, stderr)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
            if process.stdout is not None:
                process.stdout.close()


def client_for(url: str, region: str = "us-east-1", **config: Any) -> Any:
    """A boto3 SSM client whose requests go to ``url`` (with placeholder credentials)."""
    return boto3.client(
        "ssm", region_name=region, endpoint_url=url, aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}, **config),
    )


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def raw_request(
    url: str, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
) -> HttpAnswer:
    """One HTTP request on a fresh connection, headers exactly as given (plus Host and,
    for a body, Content-Length)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return HttpAnswer(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    finally:
        connection.close()


def post(url: str, operation: str | None, body: Any = None, **headers: str) -> HttpAnswer:
    """An SSM request as an SDK sends it (JSON body, target header), headers overridable."""
    sent = dict(SSM_HEADERS)
    if operation is not None:
        sent["X-Amz-Target"] = f"AmazonSSM.{operation}"
    sent.update({name.replace("_", "-"): value for name, value in headers.items()})
    payload = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
    return raw_request(url, "POST", "/", payload, sent)


def nightly_command_window(ssm: Any) -> str:
    """A window at 02:00 UTC every night whose AWS-RunShellScript task runs on the nodes
    tagged Role=web; returns its id."""
    window = ssm.create_maintenance_window(
        Name="nightly", Schedule="cron(0 2 * * ? *)", Duration=3, Cutoff=1,
        AllowUnassociatedTargets=False)["WindowId"]
    target = ssm.register_target_with_maintenance_window(
        WindowId=window, ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Role", "Values": ["web"]}])["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target]}], MaxConcurrency="2",
        MaxErrors="2", TaskInvocationParameters={
            "RunCommand": {"Parameters": {"commands": ["apt-get upgrade -y"]}}})
    return str(window)
