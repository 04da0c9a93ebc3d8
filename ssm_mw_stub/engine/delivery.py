"""Run Command's side channels, delivered into moto while moto's ``mock_aws`` is active.

A command with ``OutputS3BucketName`` has each node's stdout and stderr uploaded to S3, and
one with a ``NotificationConfig`` publishes its status changes to an SNS topic;
AWS-RunPatchBaseline reads its InstallOverrideList and BaselineOverride from S3. Inside a
test those services exist only if moto is mocking them, so this module writes into moto
and does nothing otherwise: it never imports moto (it looks in ``sys.modules`` for a
``mock_aws`` that is active) and talks to moto the way the code under test would, through
boto3 S3 and SNS clients. Those calls never come back into the stub: its botocore hook
answers SSM calls only.

Like the SSM Agent's uploads and the service's notifications, delivery is best effort: a
bucket or topic that does not exist (or anything moto refuses) changes nothing about the
command, as "Failed to upload the output to s3" changes nothing on a real node.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

__all__ = ["Delivery", "moto_active"]


def moto_active() -> bool:
    """Whether moto's ``mock_aws`` is active right now (without importing moto)."""
    if "moto" not in sys.modules:
        return False
    stubber = getattr(sys.modules.get("moto.core.models"), "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


class Delivery:
    """Uploads and publications of one mock; clients are made once, when first needed."""

    __slots__ = ("_clients", "_session")

    def __init__(self) -> None:
        self._session: Any = None
        self._clients: dict[tuple[str, str], Any] = {}

    def _client(self, service: str, region: str) -> Any:
        client = self._clients.get((service, region))
        if client is None:
            if self._session is None:
                import boto3

                self._session = boto3.session.Session()
            client = self._clients[(service, region)] = self._session.client(
                service, region_name=region
            )
        return client

    def upload(self, region: str, bucket: str, key: str, body: str) -> None:
        """Put ``body`` at ``s3://bucket/key`` in moto's S3, if moto is active."""
        if not moto_active():
            return
        with contextlib.suppress(Exception):  # best effort, as the agent's own upload
            self._client("s3", region).put_object(
                Bucket=bucket, Key=key, Body=body.encode("utf-8", "surrogatepass")
            )

    def fetch(self, region: str, url: str) -> str | None:
        """The text at ``s3://bucket/key`` in moto's S3 (what AWS-RunPatchBaseline's
        BaselineOverride and InstallOverrideList name), if moto is active and has it; None
        otherwise (an https:// URL is never fetched: no network)."""
        if not url.startswith("s3://") or not moto_active():
            return None
        bucket, _, key = url[len("s3://"):].partition("/")
        try:
            body = self._client("s3", region).get_object(Bucket=bucket, Key=key)["Body"]
            return str(body.read().decode("utf-8", "replace"))
        except Exception:  # best effort, as for uploads: a missing object is no override
            return None

    def publish(self, topic_arn: str, message: str) -> None:
        """Publish ``message`` to the SNS topic ``topic_arn`` in moto, if moto is active."""
        if not moto_active():
            return
        parts = topic_arn.split(":")
        region = parts[3] if len(parts) > 5 and parts[3] else "us-east-1"
        with contextlib.suppress(Exception):  # best effort: an unknown topic gets nothing
            self._client("sns", region).publish(TopicArn=topic_arn, Message=message)
