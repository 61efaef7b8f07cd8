"""Scaling activities: what DescribeScalingActivities answers.

Kept per account and Region, oldest first, and answered newest first. A page
token is the ActivityId the next page starts at, so a page stays right while
new activities arrive between calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import attrs

from ._errors import invalid_max_results, invalid_token

DEFAULT_MAX_RESULTS: Final = 50


@attrs.frozen(kw_only=True)
class ScalingActivity:
    """One change of a scalable target's capacity."""

    activity_id: str
    service_namespace: str
    resource_id: str
    scalable_dimension: str
    description: str
    cause: str
    start_time: datetime
    end_time: datetime
    status_code: str = "Successful"
    status_message: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ScalingActivity shape of the JSON protocol (times as epoch seconds)."""
        body: dict[str, Any] = {
            "ActivityId": self.activity_id,
            "ServiceNamespace": self.service_namespace,
            "ResourceId": self.resource_id,
            "ScalableDimension": self.scalable_dimension,
            "Description": self.description,
            "Cause": self.cause,
            "StartTime": self.start_time.timestamp(),
            "EndTime": self.end_time.timestamp(),
            "StatusCode": self.status_code,
        }
        if self.status_message is not None:
            body["StatusMessage"] = self.status_message
        return body


class ActivityLog:
    """Every Region's scaling activities."""

    def __init__(self) -> None:
        self._activities: dict[tuple[str, str], list[ScalingActivity]] = {}

    def record(self, account_id: str, region: str, activity: ScalingActivity) -> None:
        """Add the newest activity."""
        self._activities.setdefault((account_id, region), []).append(activity)

    def describe(self, account_id: str, region: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """The DescribeScalingActivities answer to *request* (its JSON body).

        Raises:
            AWSValidationException: MaxResults outside 1..50.
            JsonRESTError: InvalidNextTokenException, for a NextToken that no
                earlier answer gave.
        """
        limit = int(request.get("MaxResults") or DEFAULT_MAX_RESULTS)
        if not 1 <= limit <= DEFAULT_MAX_RESULTS:
            raise invalid_max_results(limit)
        matching = [
            each
            for each in reversed(self._activities.get((account_id, region), []))
            if each.service_namespace == request.get("ServiceNamespace")
            and request.get("ResourceId") in (None, each.resource_id)
            and request.get("ScalableDimension") in (None, each.scalable_dimension)
        ]
        start = 0
        token = request.get("NextToken")
        if token is not None:
            ids = [each.activity_id for each in matching]
            if token not in ids:
                raise invalid_token()
            start = ids.index(token)
        page = matching[start : start + limit]
        answer: dict[str, Any] = {"ScalingActivities": [each.to_json() for each in page]}
        if start + limit < len(matching):
            answer["NextToken"] = matching[start + limit].activity_id
        return answer

    def clear(self) -> None:
        """Forget every activity."""
        self._activities.clear()
