"""The client's autoscaling and metrics methods (mixed into ``AsyncInferenceClient``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sagemaker_async.aws import Services
from sagemaker_async.models import EndpointMetrics, ScalingDescription, ScalingPolicy, checked

from ._autoscaling import Autoscaling
from ._metrics import endpoint_metrics


class ScalingMethods:
    """Scale an asynchronous endpoint on its backlog, down to zero, and read its backlog."""

    _aws: Services
    _autoscaling: Autoscaling
    _now: Callable[[], datetime]

    @checked()
    def enable_autoscaling(
        self, endpoint_name: str, policy: ScalingPolicy, *, variant_name: str = "AllTraffic"
    ) -> ScalingDescription:
        """Scale the variant on its backlog per instance; with ``min_instances=0``, to zero.

        Registers the variant as a scalable target, puts a target-tracking policy on
        ``ApproximateBacklogSizePerInstance`` and, when the policy scales to zero, a
        step policy that adds an instance when the ``HasBacklogWithoutCapacity``
        alarm fires (Average, 60 s, 2 of 2, >= 1), so the first request wakes a
        sleeping endpoint. Applying again replaces what is there, never duplicates.

        Raises:
            ValidationError: The endpoint is not asynchronous, not InService, has no
                such variant, or the variant is serverless.
        """
        return self._autoscaling.enable(endpoint_name, policy, variant_name)

    @checked()
    def describe_autoscaling(
        self, endpoint_name: str, *, variant_name: str = "AllTraffic"
    ) -> ScalingDescription | None:
        """What autoscaling exists for the variant (alarms included), or None."""
        return self._autoscaling.describe(endpoint_name, variant_name)

    @checked()
    def disable_autoscaling(self, endpoint_name: str, *, variant_name: str = "AllTraffic") -> None:
        """Remove the alarms, policies and scalable target of the variant (idempotent)."""
        self._autoscaling.disable(endpoint_name, variant_name)

    @checked()
    def endpoint_metrics(self, endpoint_name: str, *, minutes: int = 60) -> EndpointMetrics:
        """The endpoint's backlog metrics of the last *minutes* and its serving instances.

        One ``GetMetricData`` call (one datapoint a minute per metric) and one
        ``DescribeEndpoint`` (``instance_count`` is the sum of CurrentInstanceCount).
        """
        return endpoint_metrics(self._aws, endpoint_name, minutes, self._now)
