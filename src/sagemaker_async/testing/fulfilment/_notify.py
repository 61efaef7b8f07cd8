"""SageMaker's SNS notifications: inference results and the TestNotification.

The message formats follow AWS's documentation ("Check prediction results" and
"Create an endpoint" in the SageMaker developer guide) and messages SageMaker
has sent, as published in public code: compact JSON, keys in SageMaker's order,
timestamps in UTC with milliseconds. Messages are published through moto's SNS
backend, which delivers them to subscribed SQS queues (as an SNS envelope, or
as is with raw message delivery).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from moto.sagemaker.models import sagemaker_backends
from moto.sns.models import sns_backends

from sagemaker_async.testing.control_plane._lifecycle import EndpointEvent

from ._async_config import endpoint_settings

log = logging.getLogger("sagemaker_async.testing")

EVENT_VERSION: Final = "1.0"
EVENT_SOURCE: Final = "aws:sagemaker"
RESPONSE_BODY_LIMIT: Final = 128 * 1024
"""The largest inference response SageMaker includes in a notification (128 KB)."""
RESPONSE_BODY_NOTE: Final = (
    "Check S3 path location(if configured) or Cloudwatch for additional details."
)
MODEL_FAILURE_REASON: Final = (
    "ClientError: Received server error (500) from model. "
    "See the SageMaker Endpoint logs in your account for more information."
)


def _compact(message: Mapping[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


def timestamp(moment: datetime) -> str:
    """``2022-01-25T22:46:00.608Z``: UTC, milliseconds, as SageMaker writes times."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


TEST_NOTIFICATION: Final = _compact(
    {"eventVersion": EVENT_VERSION, "eventSource": EVENT_SOURCE, "eventName": "TestNotification"}
)
"""What SageMaker publishes to each topic after CreateEndpoint and UpdateEndpoint."""


def inference_result(
    *,
    region: str,
    inference_id: str,
    received: datetime,
    finished: datetime,
    request_parameters: Mapping[str, str],
    failure_reason: str | None = None,
    response_parameters: Mapping[str, str] | None = None,
    response_body: bytes | None = None,
) -> str:
    """An ``InferenceResult`` message: ``Completed`` unless *failure_reason* is given.

    Args:
        region: The endpoint's region.
        inference_id: The invocation's inference id.
        received: When InvokeEndpointAsync accepted the request.
        finished: When the result (or failure) was written.
        request_parameters: ``accept``, ``contentType``, ``customAttributes``
            (those the request gave), ``endpointName`` and ``inputLocation``.
        failure_reason: Why the invocation failed; None when it completed.
        response_parameters: ``contentType`` and ``outputLocation`` (or
            ``failureLocation``), or None when nothing was written.
        response_body: The response to include (IncludeInferenceResponseIn),
            base64-encoded; left out above 128 KB, as SageMaker does.
    """
    message: dict[str, Any] = {
        "awsRegion": region,
        "eventTime": timestamp(finished),
        "receivedTime": timestamp(received),
        "invocationStatus": "Completed" if failure_reason is None else "Failed",
    }
    if failure_reason is not None:
        message["failureReason"] = failure_reason
    message["requestParameters"] = dict(request_parameters)
    if response_parameters is not None:
        message["responseParameters"] = dict(response_parameters)
    if response_body is not None and len(response_body) <= RESPONSE_BODY_LIMIT:
        message["responseBody"] = {
            "content": base64.b64encode(response_body).decode("ascii"),
            "message": RESPONSE_BODY_NOTE,
            "encoding": "BASE64",
        }
    message["inferenceId"] = inference_id
    message["eventVersion"] = EVENT_VERSION
    message["eventSource"] = EVENT_SOURCE
    message["eventName"] = "InferenceResult"
    return _compact(message)


def publish(topic_arn: str, message: str) -> bool:
    """Publish *message* to *topic_arn* through moto; False when there is no such topic.

    SageMaker cannot publish to a topic that does not exist either; the
    simulator logs it and carries on.
    """
    parts = topic_arn.split(":")
    if len(parts) < 6 or parts[2] != "sns":
        log.warning("not an SNS topic ARN, nothing published: %s", topic_arn)
        return False
    region, account = parts[3], parts[4]
    backend = sns_backends[account][region]
    if topic_arn not in backend.topics:
        log.warning("no SNS topic %s, nothing published", topic_arn)
        return False
    backend.publish(message, arn=topic_arn)
    return True


class TopicCheck:
    """Endpoint listener: publish the TestNotification when a create or update completes.

    SageMaker sends it to every configured topic after CreateEndpoint and
    UpdateEndpoint, to check it may publish there; consumers ignore it. A
    failed create, or an update that rolled back, sends none.
    """

    def __call__(self, event: EndpointEvent) -> None:
        if event.operation not in ("CreateEndpoint", "UpdateEndpoint"):
            return
        if event.status != "InService" or event.failure_reason is not None:
            return
        parts = event.endpoint_arn.split(":")
        region, account = parts[3], parts[4]
        backend = sagemaker_backends[account][region]
        settings = endpoint_settings(backend, event.endpoint_name, event.config_name)
        if settings is None:
            return
        for topic in settings.topics:
            publish(topic, TEST_NOTIFICATION)
