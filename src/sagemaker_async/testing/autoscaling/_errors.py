"""Application Auto Scaling's errors, as its API answers them.

"No scalable target registered for ..." is AWS's text, as public reports of
PutScalingPolicy and PutScheduledAction answers quote it; the "No ... found
for ..." texts are moto's, with AWS's error code (ObjectNotFoundException,
where moto says ValidationException). No public material quotes the answer
for a variant that does not exist: that text follows the form AWS uses for
a missing ECS service ("ECS service doesn't exist: service/...").
"""

from __future__ import annotations

from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.core.exceptions import JsonRESTError


class ObjectNotFoundException(JsonRESTError):
    """A scalable target or scaling policy that the request names does not exist."""

    def __init__(self, message: str) -> None:
        super().__init__("ObjectNotFoundException", message)


def missing_variant(resource_id: str) -> AWSValidationException:
    """RegisterScalableTarget for an endpoint or variant that does not exist."""
    return AWSValidationException(f"SageMaker endpoint variant doesn't exist: {resource_id}")


def target_not_registered(namespace: str, resource_id: str, dimension: str) -> Exception:
    """A policy put on a resource that is not a registered scalable target."""
    return ObjectNotFoundException(
        f"No scalable target registered for service namespace: {namespace}, "
        f"resource ID: {resource_id}, scalable dimension: {dimension}"
    )


def target_not_found(namespace: str, resource_id: str, dimension: str) -> Exception:
    """DeregisterScalableTarget for a target that is not registered."""
    return ObjectNotFoundException(
        f"No scalable target found for service namespace: {namespace}, "
        f"resource ID: {resource_id}, scalable dimension: {dimension}"
    )


def policy_not_found(namespace: str, resource_id: str, dimension: str, name: str) -> Exception:
    """DeleteScalingPolicy for a policy that does not exist."""
    return ObjectNotFoundException(
        f"No scaling policy found for service namespace: {namespace}, "
        f"resource ID: {resource_id}, scalable dimension: {dimension}, policy name: {name}"
    )


def unsupported_metric(metric_type: str) -> AWSValidationException:
    """A predefined metric this simulator does not publish for SageMaker variants."""
    return AWSValidationException(
        f"The simulator does not model the predefined metric type {metric_type} for "
        "SageMaker variants: use a CustomizedMetricSpecification."
    )


def invalid_max_results(value: int) -> AWSValidationException:
    """DescribeScalingActivities with MaxResults outside 1..50."""
    bound = "greater than or equal to 1" if value < 1 else "less than or equal to 50"
    return AWSValidationException(
        f"1 validation error detected: Value '{value}' at 'maxResults' failed to satisfy "
        f"constraint: Member must have value {bound}"
    )


def invalid_token() -> JsonRESTError:
    """A NextToken that no earlier answer gave."""
    return JsonRESTError("InvalidNextTokenException", "Invalid NextToken.")
