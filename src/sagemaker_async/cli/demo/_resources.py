"""The demo's resources besides SageMaker's: bucket, SNS topics, the SQS queue, S3 objects.

These are what an application sets up once for notifications; the library only
reads the queue (:class:`~sagemaker_async.NotificationQueue`). Every call goes
through ``_service_errors.call``, so failures read like the library's own.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from sagemaker_async.aws import call
from sagemaker_async.errors import ResourceNotFoundError

from ._plan import Plan
from ._report import DemoFailure
from ._target import Target


class DemoError(DemoFailure):
    """Something the demo checks is not as it should be."""


def create_bucket(target: Target) -> None:
    """Create the simulator's bucket (on AWS the bucket is the user's and exists)."""
    kwargs: dict[str, Any] = {"Bucket": target.bucket}
    if target.region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": target.region}
    call("CreateBucket", target.s3.create_bucket, **kwargs)


def create_notifications(target: Target, plan: Plan) -> str:
    """Create the success and error topics and a queue subscribed to both; return its URL.

    The queue policy lets only these two topics send to it, as SQS requires for
    an SNS subscription on AWS.
    """
    for arn in (plan.success_topic, plan.error_topic):
        created = call("CreateTopic", target.sns.create_topic, Name=arn.rpartition(":")[2])
        if created["TopicArn"] != arn:
            raise DemoError(f"SNS named the topic {created['TopicArn']}, expected {arn}")
    queue_url = call("CreateQueue", target.sqs.create_queue, QueueName=plan.queue_name)["QueueUrl"]
    attributes = call(
        "GetQueueAttributes",
        target.sqs.get_queue_attributes,
        QueueUrl=queue_url,
        AttributeNames=["QueueArn"],
    )
    queue_arn = attributes["Attributes"]["QueueArn"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SageMakerNotifications",
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {
                    "ArnEquals": {"aws:SourceArn": [plan.success_topic, plan.error_topic]}
                },
            }
        ],
    }
    call(
        "SetQueueAttributes",
        target.sqs.set_queue_attributes,
        QueueUrl=queue_url,
        Attributes={"Policy": json.dumps(policy)},
    )
    for arn in (plan.success_topic, plan.error_topic):
        call("Subscribe", target.sns.subscribe, TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)
    return queue_url


def delete_notifications(target: Target, plan: Plan, queue_url: str | None) -> None:
    """Delete the queue and the topics (deleting a topic deletes its subscriptions).

    Without *queue_url* (its creation failed half-way), the queue is looked up by name.
    """
    with contextlib.suppress(ResourceNotFoundError):
        if queue_url is None:
            found = call("GetQueueUrl", target.sqs.get_queue_url, QueueName=plan.queue_name)
            queue_url = found["QueueUrl"]
        call("DeleteQueue", target.sqs.delete_queue, QueueUrl=queue_url)
    for arn in (plan.success_topic, plan.error_topic):
        call("DeleteTopic", target.sns.delete_topic, TopicArn=arn)


def delete_objects(target: Target, prefix: str) -> int:
    """Delete every object under *prefix* in the target's bucket; return how many."""
    deleted = 0
    while True:
        page = call("ListObjectsV2", target.s3.list_objects_v2, Bucket=target.bucket, Prefix=prefix)
        keys = [{"Key": item["Key"]} for item in page.get("Contents", ()) if "Key" in item]
        if not keys:
            return deleted
        response = call(
            "DeleteObjects",
            target.s3.delete_objects,
            Bucket=target.bucket,
            Delete={"Objects": keys, "Quiet": True},
        )
        errors = response.get("Errors", ())
        if errors:
            first = errors[0]
            raise DemoError(f"S3 kept {first.get('Key')}: {first.get('Message')}")
        deleted += len(keys)


def delete_bucket(target: Target) -> None:
    """Delete the simulator's bucket, which must be empty by now."""
    call("DeleteBucket", target.s3.delete_bucket, Bucket=target.bucket)


def leftovers(target: Target, plan: Plan) -> list[str]:
    """What the demo created that still exists, by name (empty after a full teardown)."""
    found: list[str] = []
    sagemaker = target.sagemaker
    if _exists("DescribeEndpoint", sagemaker.describe_endpoint, EndpointName=plan.endpoint_name):
        found.append(f"endpoint {plan.endpoint_name}")
    for config_name in plan.config_names:
        if _exists(
            "DescribeEndpointConfig",
            sagemaker.describe_endpoint_config,
            EndpointConfigName=config_name,
        ):
            found.append(f"endpoint config {config_name}")
    if _exists("DescribeModel", sagemaker.describe_model, ModelName=plan.model.name):
        found.append(f"model {plan.model.name}")
    for arn in (plan.success_topic, plan.error_topic):
        if _exists("GetTopicAttributes", target.sns.get_topic_attributes, TopicArn=arn):
            found.append(f"topic {arn}")
    # SQS may answer for a deleted queue for up to 60 s: only the simulator is exact.
    if target.simulator is not None and _exists(
        "GetQueueUrl", target.sqs.get_queue_url, QueueName=plan.queue_name
    ):
        found.append(f"queue {plan.queue_name}")
    if target.owns_bucket:
        buckets = call("ListBuckets", target.s3.list_buckets).get("Buckets", ())
        if any(bucket.get("Name") == target.bucket for bucket in buckets):
            found.append(f"bucket {target.bucket}")
    else:
        page = call(
            "ListObjectsV2", target.s3.list_objects_v2, Bucket=target.bucket, Prefix=plan.prefix
        )
        if page.get("KeyCount", 0):
            found.append(f"objects under s3://{target.bucket}/{plan.prefix}")
    return found


def _exists(operation: str, method: Any, **kwargs: Any) -> bool:
    try:
        call(operation, method, **kwargs)
    except ResourceNotFoundError:
        return False
    return True
