"""Enable, describe and disable backlog autoscaling of an asynchronous endpoint's variant."""

from __future__ import annotations

import contextlib
import logging
from typing import Any, cast

from sagemaker_async.aws import Services, read_answer
from sagemaker_async.errors import Problem, ResourceNotFoundError, ServiceError, ValidationError
from sagemaker_async.models import (
    EndpointDescription,
    EndpointStatus,
    ScalingDescription,
    ScalingPolicy,
    check_names,
    tracking_policy_name,
    wake_alarm_name,
    wake_policy_name,
)
from sagemaker_async.serialization import _scaling as wire

log = logging.getLogger("sagemaker_async")


def _missing_is_done(error: ServiceError) -> None:
    # A retried delete that finds nothing: the attempt whose answer was lost did it.
    if not isinstance(error, ResourceNotFoundError):
        raise error


class Autoscaling:
    """Application Auto Scaling and CloudWatch calls for one client."""

    def __init__(self, aws: Services) -> None:
        self._aws = aws

    # -- enable --

    def enable(
        self, endpoint_name: str, policy: ScalingPolicy, variant_name: str
    ) -> ScalingDescription:
        """Register the variant, put the policies (and the wake alarm); re-applying replaces."""
        check_names("enable_autoscaling", endpoint_name=endpoint_name, variant_name=variant_name)
        given = cast(object, policy)  # callers without a type checker pass anything
        if not isinstance(given, ScalingPolicy):
            raise ValidationError(
                "enable_autoscaling", [Problem("policy", "a ScalingPolicy", policy)]
            )
        self._check_endpoint(endpoint_name, variant_name)
        aws = self._aws
        scaling = aws.autoscaling
        resource = wire.resource_id(endpoint_name, variant_name)
        aws.call(
            "RegisterScalableTarget",
            scaling.register_scalable_target,
            **wire.register_target(resource, policy),
        )
        tracking = tracking_policy_name(endpoint_name, variant_name)
        aws.call(
            "PutScalingPolicy",
            scaling.put_scaling_policy,
            **wire.tracking_policy(resource, tracking, endpoint_name, policy),
        )
        if policy.scales_to_zero:
            self._put_wake(endpoint_name, variant_name, resource)
        else:
            self._delete_wake(endpoint_name, variant_name, resource)
        described = self.describe(endpoint_name, variant_name)
        assert described is not None  # just registered
        return described

    def _put_wake(self, endpoint_name: str, variant_name: str, resource: str) -> None:
        aws = self._aws
        answer = aws.call(
            "PutScalingPolicy",
            aws.autoscaling.put_scaling_policy,
            **wire.wake_policy(resource, wake_policy_name(endpoint_name, variant_name)),
        )
        alarm = wire.wake_alarm(
            wake_alarm_name(endpoint_name, variant_name), endpoint_name, answer["PolicyARN"]
        )
        aws.call("PutMetricAlarm", aws.cloudwatch.put_metric_alarm, **alarm)

    def _delete_wake(self, endpoint_name: str, variant_name: str, resource: str) -> None:
        aws = self._aws
        aws.call(
            "DeleteAlarms",
            aws.cloudwatch.delete_alarms,
            AlarmNames=[wake_alarm_name(endpoint_name, variant_name)],
        )
        with contextlib.suppress(ResourceNotFoundError):
            aws.call(
                "DeleteScalingPolicy",
                aws.autoscaling.delete_scaling_policy,
                echo=_missing_is_done,
                **wire.delete_policy(resource, wake_policy_name(endpoint_name, variant_name)),
            )

    def _check_endpoint(self, endpoint_name: str, variant_name: str) -> None:
        """An asynchronous, InService endpoint with an instance-based variant of that name."""
        aws = self._aws
        answer = aws.call(
            "DescribeEndpoint", aws.sagemaker.describe_endpoint, EndpointName=endpoint_name
        )
        described = read_answer(EndpointDescription, answer, "DescribeEndpoint")
        problems: list[Problem] = []
        if described.status is not EndpointStatus.IN_SERVICE:
            problems.append(Problem("endpoint_name", "an InService endpoint", described.status))
        config: dict[str, Any] = {}
        if described.config_name is not None:
            config = dict(
                aws.call(
                    "DescribeEndpointConfig",
                    aws.sagemaker.describe_endpoint_config,
                    EndpointConfigName=described.config_name,
                )
            )
        # Some emulators leave AsyncInferenceConfig out of DescribeEndpoint: ask the config too.
        if described.async_inference is None and "AsyncInferenceConfig" not in config:
            problems.append(Problem("endpoint_name", "an asynchronous endpoint", endpoint_name))
        variants = {str(each["VariantName"]): each for each in config.get("ProductionVariants", [])}
        variant = variants.get(variant_name)
        if variants and variant is None:
            problems.append(Problem("variant_name", f"one of {sorted(variants)}", variant_name))
        elif variant is not None and "ServerlessConfig" in variant:
            problems.append(
                Problem(
                    "variant_name",
                    "an instance-based variant (a serverless variant scales by itself)",
                    variant_name,
                )
            )
        if problems:
            raise ValidationError("enable_autoscaling", problems)

    # -- describe --

    def describe(self, endpoint_name: str, variant_name: str) -> ScalingDescription | None:
        """What exists for the variant, or None when it is not registered."""
        check_names("describe_autoscaling", endpoint_name=endpoint_name, variant_name=variant_name)
        aws = self._aws
        scaling = aws.autoscaling
        resource = wire.resource_id(endpoint_name, variant_name)
        targets = aws.call(
            "DescribeScalableTargets",
            scaling.describe_scalable_targets,
            **wire.describe_targets(resource),
        )["ScalableTargets"]
        if not targets:
            return None
        policies: list[Any] = list(
            aws.call(
                "DescribeScalingPolicies",
                scaling.describe_scaling_policies,
                **wire.describe_policies(resource),
            )["ScalingPolicies"]
        )
        tracking_name = tracking_policy_name(endpoint_name, variant_name)
        empty: dict[str, Any] = {}
        tracking: dict[str, Any] = next(
            (p for p in policies if p["PolicyName"] == tracking_name), empty
        )
        alarms = [alarm["AlarmName"] for each in policies for alarm in each.get("Alarms", [])]
        wake = wake_alarm_name(endpoint_name, variant_name)
        if wake not in alarms and self._alarm_exists(wake):
            alarms.append(wake)
        return ScalingDescription(
            endpoint_name=endpoint_name,
            variant_name=variant_name,
            policy=wire.policy_of(targets[0], tracking),
            resource_id=resource,
            policy_names=tuple(sorted(p["PolicyName"] for p in policies)),
            alarm_names=tuple(sorted(dict.fromkeys(alarms))),
        )

    def _alarm_exists(self, name: str) -> bool:
        aws = self._aws
        answer = aws.call("DescribeAlarms", aws.cloudwatch.describe_alarms, AlarmNames=[name])
        return bool(answer.get("MetricAlarms"))

    def registered(self, endpoint_name: str, variant_names: list[str]) -> list[str]:
        """Which of the endpoint's variants have a scalable target (one request)."""
        if not variant_names:
            return []
        aws = self._aws
        resources = {wire.resource_id(endpoint_name, name): name for name in variant_names}
        targets = aws.call(
            "DescribeScalableTargets",
            aws.autoscaling.describe_scalable_targets,
            ServiceNamespace=wire.NAMESPACE,
            ResourceIds=list(resources),
            ScalableDimension=wire.DIMENSION,
        )["ScalableTargets"]
        found = {str(each["ResourceId"]) for each in targets}
        return [name for resource, name in resources.items() if resource in found]

    # -- disable --

    def disable(self, endpoint_name: str, variant_name: str) -> None:
        """Delete the wake alarm, every policy and the scalable target; nothing there is fine."""
        check_names("disable_autoscaling", endpoint_name=endpoint_name, variant_name=variant_name)
        aws = self._aws
        scaling = aws.autoscaling
        resource = wire.resource_id(endpoint_name, variant_name)
        aws.call(
            "DeleteAlarms",
            aws.cloudwatch.delete_alarms,
            AlarmNames=[wake_alarm_name(endpoint_name, variant_name)],
        )
        policies = aws.call(
            "DescribeScalingPolicies",
            scaling.describe_scaling_policies,
            **wire.describe_policies(resource),
        )["ScalingPolicies"]
        # Gone already (another disable, or DeleteEndpoint deregistered it) is done.
        with contextlib.suppress(ResourceNotFoundError):
            for each in policies:
                aws.call(
                    "DeleteScalingPolicy",
                    scaling.delete_scaling_policy,
                    echo=_missing_is_done,
                    **wire.delete_policy(resource, each["PolicyName"]),
                )
            aws.call(
                "DeregisterScalableTarget",
                scaling.deregister_scalable_target,
                echo=_missing_is_done,
                **wire.target(resource),
            )
