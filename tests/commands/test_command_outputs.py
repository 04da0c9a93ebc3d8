"""Output in moto's S3 and notifications in moto's SNS, while moto's ``mock_aws`` is active;
nothing at all (and moto never imported) otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

from ..helpers import NODES, START

A, B, C, D = NODES
REGION = "us-east-1"


@pytest.fixture
def aws(mw: MaintenanceWindows) -> Iterator[MaintenanceWindows]:
    """moto's mock_aws active beside the stub, and the fleet."""
    with mock_aws():
        for node in NODES:
            mw.add_instance(node, tags={"Env": "prod"})
        yield mw


def outcome(inv: Invocation) -> TaskOutcome:
    if inv.instance_id == B:
        return TaskOutcome("FAILED", duration=timedelta(minutes=2), stdout="half done\n",
                           stderr="E: disk full\n", response_code=3)
    return TaskOutcome("SUCCESS", duration=timedelta(minutes=1),
                       stdout=f"ok on {inv.instance_id}\n")


def objects(s3: Any, bucket: str) -> dict[str, str]:
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode()
        for item in listed
    }


def test_output_is_written_to_moto_s3_under_aws_key_layout(aws: Any) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="run-output")
    ssm = boto3.client("ssm", region_name=REGION)
    aws.on_task("AWS-RunShellScript", outcome)
    command_id = ssm.send_command(
        DocumentName="AWS-RunShellScript", InstanceIds=[A, B],
        Parameters={"commands": ["apt-get upgrade -y"]},
        OutputS3BucketName="run-output", OutputS3KeyPrefix="runs/",
    )["Command"]["CommandId"]
    aws.advance(timedelta(minutes=10))
    base = f"runs/{command_id}"
    plugin = "awsrunShellScript/0.awsrunShellScript"
    assert objects(s3, "run-output") == {
        f"{base}/{A}/{plugin}/stdout": f"ok on {A}\n",
        f"{base}/{B}/{plugin}/stdout": "half done\n",
        f"{base}/{B}/{plugin}/stderr": "E: disk full\nfailed to run commands: exit status 3",
    }  # an empty stream is not uploaded (A has no stderr object)
    answer = ssm.get_command_invocation(CommandId=command_id, InstanceId=B)
    url = f"https://s3.us-east-1.amazonaws.com/run-output/{base}/{B}/{plugin}"
    assert (answer["StandardOutputUrl"], answer["StandardErrorUrl"]) == (
        f"{url}/stdout", f"{url}/stderr"
    )
    [node] = ssm.list_command_invocations(CommandId=command_id, InstanceId=B, Details=True)[
        "CommandInvocations"]
    assert node["StandardOutputUrl"] == f"{url}/stdout"
    plugin_answer = node["CommandPlugins"][0]
    assert plugin_answer["OutputS3BucketName"] == "run-output"
    assert plugin_answer["OutputS3KeyPrefix"] == f"{base}/{B}/awsrunShellScript"
    assert plugin_answer["StandardErrorUrl"] == f"{url}/stderr"


def test_a_multi_step_document_writes_under_its_step(aws: Any) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="patch-output")
    ssm = boto3.client("ssm", region_name=REGION)
    aws.on_task("AWS-RunPatchBaseline", lambda inv: TaskOutcome("SUCCESS", stdout="Installed"))
    command_id = ssm.send_command(
        DocumentName="AWS-RunPatchBaseline", InstanceIds=[A],
        Parameters={"Operation": ["Install"]}, OutputS3BucketName="patch-output",
    )["Command"]["CommandId"]
    aws.advance(timedelta(0))
    assert objects(s3, "patch-output") == {
        f"{command_id}/{A}/awsrunShellScript/PatchLinux/stdout": "Installed"
    }


def test_a_windows_command_writes_where_its_task_says(
    aws: Any, ssm: Any, command_window: Callable[..., str]
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="mw-output")
    window_id = command_window([C], TaskInvocationParameters={"RunCommand": {
        "OutputS3BucketName": "mw-output", "OutputS3KeyPrefix": "{{WINDOW_ID}}"}})
    aws.on_task("RUN_COMMAND", outcome)
    aws.advance(timedelta(hours=3))
    [command] = ssm.list_commands()["Commands"]
    assert list(objects(s3, "mw-output")) == [
        f"{window_id}/{command['CommandId']}/{C}/awsrunShellScript/0.awsrunShellScript/stdout"
    ]


def test_a_bucket_that_does_not_exist_changes_nothing(aws: Any) -> None:
    ssm = boto3.client("ssm", region_name=REGION)
    aws.on_task("AWS-RunShellScript", outcome)
    command_id = ssm.send_command(
        DocumentName="AWS-RunShellScript", InstanceIds=[A], OutputS3BucketName="no-such-bucket",
    )["Command"]["CommandId"]
    aws.advance(timedelta(minutes=5))
    # The agent only logs a failed upload; the command reports success (mozilla/ssm-acquire#1).
    answer = ssm.get_command_invocation(CommandId=command_id, InstanceId=A)
    assert answer["Status"] == "Success"
    assert answer["StandardOutputUrl"].endswith("/stdout")
    assert boto3.client("s3", region_name=REGION).list_buckets()["Buckets"] == []


def _queue_on_topic(name: str) -> tuple[str, Any, str]:
    """A topic with an SQS queue subscribed (raw delivery): how a test reads SNS back."""
    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    topic = sns.create_topic(Name=name)["TopicArn"]
    queue = sqs.create_queue(QueueName=f"{name}-queue")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn,
                  Attributes={"RawMessageDelivery": "true"})
    return topic, sqs, queue


def _messages(sqs: Any, queue: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            return found
        found.extend(json.loads(m["Body"]) for m in batch)
        for message in batch:
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])


def test_command_notifications_are_published_to_moto_sns(aws: Any) -> None:
    topic, sqs, queue = _queue_on_topic("run-command")
    ssm = boto3.client("ssm", region_name=REGION)
    aws.on_task("AWS-RunShellScript", outcome)
    command_id = ssm.send_command(
        DocumentName="AWS-RunShellScript", InstanceIds=[A, B],
        OutputS3BucketName="awss3bucketname", OutputS3KeyPrefix="runcommand",
        ServiceRoleArn="arn:aws:iam::123456789012:role/sns",
        NotificationConfig={"NotificationArn": topic, "NotificationEvents": ["All"],
                            "NotificationType": "Command"},
    )["Command"]["CommandId"]
    aws.advance(timedelta(minutes=5))
    messages = _messages(sqs, queue)
    # Pending is never notified; InProgress when it starts, then its final status.
    assert [m["status"] for m in messages] == ["InProgress", "Failed"]
    assert messages[0] == {
        "commandId": command_id,
        "documentName": "AWS-RunShellScript",
        "instanceIds": [A, B],
        "requestedDateTime": "2026-11-24T00:00:00Z",
        "expiresAfter": "2026-11-24T02:00:00Z",
        "outputS3BucketName": "awss3bucketname",
        "outputS3KeyPrefix": "runcommand",
        "status": "InProgress",
        "eventTime": "2026-11-24T00:00:00Z",
    }
    assert messages[1]["eventTime"] == "2026-11-24T00:02:00Z"


def test_invocation_notifications_follow_the_events_asked_for(aws: Any) -> None:
    topic, sqs, queue = _queue_on_topic("run-command-nodes")
    ssm = boto3.client("ssm", region_name=REGION)
    aws.on_task("AWS-RunShellScript", outcome)
    command_id = ssm.send_command(
        DocumentName="AWS-RunShellScript", Targets=[{"Key": "tag:Env", "Values": ["prod"]}],
        NotificationConfig={"NotificationArn": topic, "NotificationEvents": ["Failed"],
                            "NotificationType": "Invocation"},
    )["Command"]["CommandId"]
    aws.advance(timedelta(minutes=5))
    assert _messages(sqs, queue) == [{
        "commandId": command_id,
        "documentName": "AWS-RunShellScript",
        "instanceId": B,
        "requestedDateTime": "2026-11-24T00:00:00Z",
        "status": "Failed",
        "eventTime": "2026-11-24T00:02:00Z",
    }]


def test_a_topic_that_does_not_exist_changes_nothing(aws: Any) -> None:
    ssm = boto3.client("ssm", region_name=REGION)
    command_id = ssm.send_command(
        DocumentName="AWS-RunShellScript", InstanceIds=[A],
        NotificationConfig={"NotificationArn": "arn:aws:sns:us-east-1:123456789012:missing",
                            "NotificationEvents": ["All"]},
    )["Command"]["CommandId"]
    aws.advance(timedelta(minutes=5))
    assert ssm.get_command_invocation(CommandId=command_id, InstanceId=A)["Status"] == "Success"


def test_without_moto_nothing_is_written_and_moto_is_never_imported() -> None:
    script = textwrap.dedent(f"""
        import sys
        from datetime import timedelta
        import boto3
        from ssm_mw_stub import mock_maintenance_windows, TaskOutcome
        with mock_maintenance_windows(start="{START.isoformat()}") as mw:
            mw.add_instance("{A}")
            mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome("SUCCESS", stdout="out"))
            ssm = boto3.client("ssm", region_name="us-east-1")
            command = ssm.send_command(
                DocumentName="AWS-RunShellScript", InstanceIds=["{A}"],
                OutputS3BucketName="bucket-name",
                NotificationConfig={{
                    "NotificationArn": "arn:aws:sns:us-east-1:123456789012:topic",
                    "NotificationEvents": ["All"]}},
            )["Command"]
            mw.advance(timedelta(minutes=1))
            answer = ssm.get_command_invocation(
                CommandId=command["CommandId"], InstanceId="{A}")
            assert answer["StandardOutputContent"] == "out", answer
        assert "moto" not in sys.modules, "moto was imported"
        print("clean")
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False,
        env={"AWS_EC2_METADATA_DISABLED": "true", "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "clean"
