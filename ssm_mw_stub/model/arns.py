"""The ARNs the service names resources by, built in one place.

Formats as they appear in the service's EventBridge events ("Amazon EventBridge event
examples for Systems Manager") and in the ARNs of the AWS Identity and Access Management
documentation for Systems Manager resource types.
"""

from __future__ import annotations

__all__ = [
    "automation_definition_arn",
    "instance_arn",
    "service_linked_role",
    "ssm_arn",
]


def ssm_arn(region: str, account: str, kind: str, resource_id: str) -> str:
    """``arn:aws:ssm:{region}:{account}:{kind}/{id}``, e.g. kind ``maintenancewindow``,
    ``windowtarget`` or ``windowtask``."""
    return f"arn:aws:ssm:{region}:{account}:{kind}/{resource_id}"


def instance_arn(region: str, account: str, instance_id: str) -> str:
    """The ARN of an EC2 instance, as a resource group lists its members."""
    return f"arn:aws:ec2:{region}:{account}:instance/{instance_id}"


def service_linked_role(account: str) -> str:
    """The Systems Manager service-linked role, used for tasks registered without a
    ServiceRoleArn ("Using service-linked roles for Systems Manager")."""
    return (
        f"arn:aws:iam::{account}:role/aws-service-role/ssm.amazonaws.com/"
        "AWSServiceRoleForAmazonSSM"
    )


def automation_definition_arn(region: str, account: str, name: str, version: str) -> str:
    """``arn:aws:ssm:{region}:{account}:automation-definition/{name}:{version}``, the runbook
    an Automation event names; AWS-owned runbooks (``AWS-...``) carry no account, as in
    the ``automation-definition/AWS-...:1`` resources of IAM's access-denied messages."""
    owner = "" if name.lower().startswith(("aws", "amazon", "amzn")) else account
    return f"arn:aws:ssm:{region}:{owner}:automation-definition/{name}:{version}"
