"""No network and no credentials inside the mock; no change at all to boto3 outside it.

Inside a mock, every operation the stub answers is made with

- a socket guard: ``socket.socket.connect``/``connect_ex``, ``socket.create_connection``
  and ``socket.getaddrinfo`` record the attempt and raise, so a call that tried to reach a
  network (an endpoint, the instance metadata service, a DNS lookup) would fail, and the
  attempt would be on record even if something swallowed the error;
- a credential provider that cannot provide: the client's botocore session resolves to
  ``DeferredRefreshableCredentials`` whose refresh function records the call and raises.
  Client creation only keeps the deferred object; the first thing that reads a key (which
  signing does, in ``SigV4Auth.add_auth``) calls the refresh. So any signing, or any other
  read of the credentials, would blow up and be recorded;
- real-looking keys in the environment, with ``RequestSigner.sign`` patched to record and
  raise: environment credentials are found by the default chain, and must still never be
  used to sign.

Outside a mock the library must change nothing: the request botocore would send (URL,
method, headers that identify the call, body, signature scheme) is observed at
``before-send`` and compared with the request of a session from which the library's hook
has been removed; the observer answers in place of the network.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.credentials import (
    CredentialProvider,
    CredentialResolver,
    DeferredRefreshableCredentials,
)
from botocore.signers import RequestSigner

from ssm_mw_stub import hook, mock_maintenance_windows
from ssm_mw_stub.errors import UnmockedOperationError

from ..helpers import START
from .mw_fuzz_strategies import OPERATIONS
from .mw_scenario import every_operation


class NetworkUsed(AssertionError):
    """Raised by the socket guard: something tried to open a connection."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way botocore (urllib3, the metadata fetchers) could reach a network raises."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def guard(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args[1:] if name.startswith('socket.') else args}")
            raise NetworkUsed(f"{name} was called: network access is forbidden here")

        return guard

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


class _RefusingProvider(CredentialProvider):
    METHOD = "refusing-test-provider"
    CANONICAL_NAME = "RefusingTestProvider"

    def __init__(self, reads: list[str]) -> None:
        super().__init__()
        self.reads = reads

    def load(self) -> DeferredRefreshableCredentials:
        def refresh() -> dict[str, str]:
            self.reads.append("refresh")
            raise AssertionError("the stub read credentials")

        return DeferredRefreshableCredentials(refresh_using=refresh, method=self.METHOD)


def _client_without_credentials(reads: list[str], region: str = "eu-west-1") -> Any:
    session = botocore.session.Session()
    resolver = CredentialResolver([_RefusingProvider(reads)])
    session.register_component("credential_provider", resolver)
    return boto3.Session(botocore_session=session).client("ssm", region_name=region)


def test_no_operation_opens_a_socket_or_reads_credentials(no_network: list[str]) -> None:
    reads: list[str] = []
    ssm = _client_without_credentials(reads)
    with mock_maintenance_windows(start=START) as mw:
        made = every_operation(mw, ssm)
    assert made == set(OPERATIONS)
    assert no_network == []
    assert reads == []


def test_the_guards_do_catch_a_real_call(no_network: list[str]) -> None:
    """The proof above is only as good as its guards: outside the mock they fire."""
    reads: list[str] = []
    ssm = _client_without_credentials(reads)
    with pytest.raises(AssertionError, match="read credentials"):
        ssm.describe_maintenance_windows()  # signing comes before sending
    assert reads == ["refresh"]
    signed = boto3.client(
        "ssm", region_name="eu-west-1", aws_access_key_id="AKIAEXAMPLE",
        aws_secret_access_key="secret", config=Config(retries={"max_attempts": 0}),
    )
    with pytest.raises(Exception, match="network access is forbidden here"):
        signed.describe_maintenance_windows()
    assert no_network


def test_credentials_in_the_environment_are_never_used(
    no_network: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN")
    signatures: list[str] = []

    def sign(self: RequestSigner, operation_name: str, *args: Any, **kwargs: Any) -> None:
        signatures.append(operation_name)
        raise AssertionError(f"{operation_name} was signed")

    monkeypatch.setattr(RequestSigner, "sign", sign)
    ssm = boto3.session.Session().client("ssm", region_name="ap-southeast-2")
    # The default chain did find them: they are there to be (mis)used.
    assert ssm._request_signer._credentials.access_key == "AKIAIOSFODNN7EXAMPLE"
    with mock_maintenance_windows(start=START) as mw:
        made = every_operation(mw, ssm)
    assert made == set(OPERATIONS)
    assert signatures == []
    assert no_network == []


def test_other_ssm_operations_are_stopped_before_the_network(no_network: list[str]) -> None:
    reads: list[str] = []
    ssm = _client_without_credentials(reads)
    with mock_maintenance_windows(start=START), pytest.raises(
        UnmockedOperationError, match="GetParameter"
    ):
        ssm.get_parameter(Name="/db/password")
    assert no_network == []
    assert reads == []


# --- outside the mock: botocore's own request, untouched ------------------------------


class _Observer:
    """``before-send`` handler: keeps the request botocore would send and answers it."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        self.requests.append(request)
        return AWSResponse(request.url, 200, {"x-amzn-requestid": "observed"},
                           _RawBody(b'{"WindowIdentities": []}'))


class _RawBody:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


def _observed(session: botocore.session.Session, **client_args: Any) -> Any:
    client = boto3.Session(botocore_session=session).client(
        "ssm", aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="secret", **client_args
    )
    observer = _Observer()
    client.meta.events.register_first("before-send.ssm", observer)
    client.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": ["patch"]}])
    [request] = observer.requests
    return {
        "url": request.url,
        "method": request.method,
        "target": request.headers["X-Amz-Target"],
        "content-type": request.headers["Content-Type"],
        "body": request.body,
        "signed": request.headers["Authorization"].split(b" ")[0],
        "credential": request.headers["Authorization"].split(b"Credential=")[1].split(b"/")[0],
    }


def _session_without_the_hook() -> botocore.session.Session:
    session = botocore.session.Session()
    session.unregister("before-call.ssm", hook.before_call)
    return session


@pytest.mark.parametrize(
    "client_args",
    [
        {"region_name": "us-east-1"},
        {"region_name": "eu-central-1"},
        {"region_name": "cn-north-1"},
        {"region_name": "us-gov-west-1", "config": Config(use_fips_endpoint=True)},
        {"region_name": "us-west-2", "endpoint_url": "http://localhost:4566"},
    ],
    ids=["us-east-1", "eu-central-1", "china", "fips", "custom-endpoint"],
)
def test_outside_the_mock_requests_are_exactly_botocores(
    client_args: dict[str, Any], no_network: list[str]
) -> None:
    plain = _observed(_session_without_the_hook(), **client_args)
    before = _observed(botocore.session.Session(), **client_args)
    with mock_maintenance_windows(start=START):
        pass
    after = _observed(botocore.session.Session(), **client_args)
    assert before == plain
    assert after == plain
    assert plain["signed"] == b"AWS4-HMAC-SHA256"
    assert plain["credential"] == b"AKIAEXAMPLE"
    assert no_network == []
