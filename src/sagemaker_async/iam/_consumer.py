"""The notification consumer's policy: a queue of its own, subscribed to the endpoint's topics.

What ``NotificationQueue.create``, awaiting with the queue and
``NotificationQueue.delete`` call, and nothing else; docs/iam.md explains each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from sagemaker_async.errors import Problem

from ._arguments import resolve_target
from ._document import PolicyDocument, Statement
from ._resources import Problems, Target, invalid

_QUEUE_NAME: Final = re.compile(r"[A-Za-z0-9_-]{1,80}")
_TOPIC_ARN: Final = re.compile(
    r"arn:(?P<partition>aws[a-z-]*):sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?"
)


def _check_queue_name(name: object) -> str:
    if isinstance(name, str) and _QUEUE_NAME.fullmatch(name):
        return name
    raise invalid(
        "queue_name",
        "1 to 80 letters, digits, hyphens and underscores (a standard SQS queue name)",
        name,
    )


def _check_topics(problems: Problems, target: Target, topics: Iterable[str]) -> tuple[str, ...]:
    if not isinstance(topics, Iterable):  # pyright: ignore[reportUnnecessaryIsInstance]
        problems.add(Problem("topics", "a sequence of SNS topic ARNs", topics))
        return ()
    given: tuple[object, ...] = (topics,) if isinstance(topics, str) else tuple(topics)
    if not given:
        problems.add(Problem("topics", "at least one SNS topic ARN", topics))
    for index, topic in enumerate(given):
        match = _TOPIC_ARN.fullmatch(topic) if isinstance(topic, str) else None  # pyright: ignore[reportUnnecessaryIsInstance]
        if match is None:
            problems.add(
                Problem(
                    f"topics[{index}]",
                    "an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:name",
                    topic,
                )
            )
        elif target.partition and match["partition"] != target.partition:
            problems.add(
                Problem(
                    f"topics[{index}]",
                    f"a topic in partition {target.partition!r} (the partition of {target.region})",
                    topic,
                )
            )
    return tuple(str(topic) for topic in given)


def consumer_policy(
    queue_name: str, topics: Iterable[str], *, account: str, region: str
) -> PolicyDocument:
    """The permissions of a consumer that owns a notification queue.

    Covers ``NotificationQueue.create(queue_name, topics=topics, ...)``,
    awaiting results with the queue (including returning others' messages to
    it at once), and ``.delete()``. Reading the result bodies from S3 is in
    :func:`caller_policy` (step ``await``).

    Args:
        queue_name: The consumer's queue, in *region* and *account*.
        topics: The SNS topics it subscribes to (the endpoint's success and
            error topics).
        account: The 12-digit id of the queue's account.
        region: The queue's region; the partition follows from it.

    Raises:
        ValidationError: An argument is not valid; the error lists every one.
    """
    subject = "consumer_policy arguments"
    problems = Problems()
    target = resolve_target(problems, account, region)
    problems.check(lambda: _check_queue_name(queue_name), "")
    arns = _check_topics(problems, target, topics)
    problems.raise_any(subject)
    queue = target.arn("sqs", queue_name)
    return PolicyDocument(
        statements=[
            # create: CreateQueue, then the queue's ARN and its policy; delete: DeleteQueue.
            Statement(
                sid="OwnQueue",
                actions=[
                    "sqs:CreateQueue",
                    "sqs:DeleteQueue",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                    "sqs:SetQueueAttributes",
                ],
                resources=[queue],
            ),
            # Awaiting: receive, delete what was handed over, return others' messages at once.
            Statement(
                sid="ReadNotifications",
                actions=[
                    "sqs:ChangeMessageVisibility",
                    "sqs:DeleteMessage",
                    "sqs:ReceiveMessage",
                ],
                resources=[queue],
            ),
            # Only this queue, over SQS, may be subscribed to the topics.
            Statement(
                sid="SubscribeQueue",
                actions=["sns:Subscribe"],
                resources=list(arns),
                conditions={"StringEquals": {"sns:Endpoint": [queue], "sns:Protocol": ["sqs"]}},
            ),
            # Unsubscribe authorizes against no resource: it takes "*" only.
            Statement(sid="Unsubscribe", actions=["sns:Unsubscribe"], resources=["*"]),
        ]
    )
