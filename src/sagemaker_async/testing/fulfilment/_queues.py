"""An SQS queue subscribed to SNS topics, as a notification consumer sets one up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient


def subscribe_queue(
    sqs: SQSClient,
    sns: SNSClient,
    queue_name: str,
    topic_arns: Iterable[str],
    *,
    raw_delivery: bool,
) -> str:
    """Create *queue_name*, subscribe it to each of *topic_arns*; returns the queue URL."""
    url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    queue_arn = attributes["Attributes"]["QueueArn"]
    for topic_arn in dict.fromkeys(topic_arns):
        sns.subscribe(
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=queue_arn,
            Attributes={"RawMessageDelivery": "true" if raw_delivery else "false"},
        )
    return url
