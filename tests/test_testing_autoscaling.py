"""The simulator's Application Auto Scaling and CloudWatch alarms, through plain boto3.

moto runs in-process (and once over HTTP) with the autoscaling room's patches
on a FakeClock; the variants are a small in-memory CapacityPort. Metric data
is put at the wall-clock instant of each simulated minute, then the room is
told the minute ended, as the simulator does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, cast

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.base_backend import BackendDict
from moto.server import ThreadedMotoServer

from sagemaker_async.testing import FakeClock
from sagemaker_async.testing.autoscaling._capacity_port import CapacityRefusedError
from sagemaker_async.testing.autoscaling._room import AutoScaling

if TYPE_CHECKING:  # the stubs are a typing tool, not installed with the tests
    from mypy_boto3_application_autoscaling import ApplicationAutoScalingClient
    from mypy_boto3_application_autoscaling.type_defs import (
        StepScalingPolicyConfigurationTypeDef,
        TargetTrackingScalingPolicyConfigurationTypeDef,
    )
    from mypy_boto3_cloudwatch import CloudWatchClient
    from mypy_boto3_cloudwatch.literals import ComparisonOperatorType
    from mypy_boto3_cloudwatch.type_defs import DimensionTypeDef, MetricDatumTypeDef

ACCOUNT = "123456789012"
REGION = "us-east-1"
START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
ENDPOINT = "churn"
RESOURCE = f"endpoint/{ENDPOINT}/variant/AllTraffic"
NAMESPACE: Final = "sagemaker"
DIMENSION: Final = "sagemaker:variant:DesiredInstanceCount"
METRIC = "ApproximateBacklogSizePerInstance"
DIMENSIONS: list[DimensionTypeDef] = [{"Name": "EndpointName", "Value": ENDPOINT}]


# One session for every test: its loader reads each service model once.
SESSION = boto3.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
)


def wall(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


class Variants:
    """An in-memory CapacityPort: desired counts by endpoint and variant."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = {}
        self.changes: list[int] = []
        self.refusal: str | None = None

    def variant_exists(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> bool:
        return (endpoint_name, variant_name) in self.counts

    def desired_count(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str
    ) -> int | None:
        return self.counts.get((endpoint_name, variant_name))

    def set_desired_count(
        self, account_id: str, region: str, endpoint_name: str, variant_name: str, count: int
    ) -> None:
        if self.refusal is not None:
            raise CapacityRefusedError(self.refusal)
        self.counts[endpoint_name, variant_name] = count
        self.changes.append(count)


class World:
    """The room, its clock and variants, and boto3 clients reaching moto."""

    def __init__(self, aas: ApplicationAutoScalingClient, cloudwatch: CloudWatchClient) -> None:
        self.aas = aas
        self.cloudwatch = cloudwatch
        self.clock = FakeClock()
        self.variants = Variants()
        self.variants.counts[ENDPOINT, "AllTraffic"] = 1
        self.room = AutoScaling(self.clock, wall, self.variants)

    @property
    def desired(self) -> int | None:
        return self.variants.counts.get((ENDPOINT, "AllTraffic"))

    def minute(self, number: int, value: float | None = None, metric: str = METRIC) -> None:
        """Move to minute *number*, put *value* (if any) stamped then, end the minute."""
        at = 60.0 * number
        self.clock.advance(at - self.clock.time())
        if value is not None:
            self.put(metric, value, at)
        self.room.on_minute(ACCOUNT, REGION, at)

    def put(self, metric: str, value: float, at: float, **extra: Any) -> None:
        datum = cast(
            "MetricDatumTypeDef",
            {"MetricName": metric, "Timestamp": wall(at), "Dimensions": DIMENSIONS}
            | (extra or {"Value": value}),
        )
        self.cloudwatch.put_metric_data(Namespace="AWS/SageMaker", MetricData=[datum])

    def register(self, low: int = 0, high: int = 10, **extra: Any) -> None:
        self.aas.register_scalable_target(
            ServiceNamespace=NAMESPACE,
            ResourceId=RESOURCE,
            ScalableDimension=DIMENSION,
            MinCapacity=low,
            MaxCapacity=high,
            **extra,
        )

    def tracking(self, target: float = 5.0, name: str = "backlog", **config: Any) -> Any:
        return self.aas.put_scaling_policy(
            PolicyName=name,
            ServiceNamespace=NAMESPACE,
            ResourceId=RESOURCE,
            ScalableDimension=DIMENSION,
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration=cast(
                "TargetTrackingScalingPolicyConfigurationTypeDef",
                {
                    "TargetValue": target,
                    "CustomizedMetricSpecification": {
                        "MetricName": METRIC,
                        "Namespace": "AWS/SageMaker",
                        "Dimensions": DIMENSIONS,
                        "Statistic": "Average",
                    },
                    **config,
                },
            ),
        )

    def step(
        self,
        steps: Sequence[Mapping[str, Any]],
        name: str = "wake",
        adjustment: str = "ChangeInCapacity",
        **config: Any,
    ) -> str:
        answer = self.aas.put_scaling_policy(
            PolicyName=name,
            ServiceNamespace=NAMESPACE,
            ResourceId=RESOURCE,
            ScalableDimension=DIMENSION,
            PolicyType="StepScaling",
            StepScalingPolicyConfiguration=cast(
                "StepScalingPolicyConfigurationTypeDef",
                {"AdjustmentType": adjustment, "StepAdjustments": list(steps), **config},
            ),
        )
        return answer["PolicyARN"]

    def alarm(
        self,
        name: str,
        threshold: float,
        actions: Sequence[str] = (),
        operator: ComparisonOperatorType = "GreaterThanOrEqualToThreshold",
        periods: int = 1,
        metric: str = METRIC,
        **extra: Any,
    ) -> None:
        self.cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/SageMaker",
            MetricName=metric,
            Dimensions=DIMENSIONS,
            Statistic=extra.pop("Statistic", "Average"),
            Period=60,
            EvaluationPeriods=periods,
            Threshold=threshold,
            ComparisonOperator=operator,
            AlarmActions=list(actions),
            **extra,
        )

    def described(self, name: str) -> Any:
        return self.cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]

    def state(self, name: str) -> str:
        return str(self.described(name)["StateValue"])

    def alarm_names(self) -> list[str]:
        return sorted(a["AlarmName"] for a in self.cloudwatch.describe_alarms()["MetricAlarms"])

    def activities(self, **filters: Any) -> list[Any]:
        answer = self.aas.describe_scaling_activities(ServiceNamespace=NAMESPACE, **filters)
        return list(answer["ScalingActivities"])


UP_ONE = [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}]
DOWN_ONE = [{"MetricIntervalUpperBound": 0.0, "ScalingAdjustment": -1}]


def in_process() -> World:
    return World(SESSION.client("application-autoscaling"), SESSION.client("cloudwatch"))


@pytest.fixture
def world() -> Iterator[World]:
    with mock_aws():
        made = in_process()
        with made.room.patched():
            yield made


def error_of(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response.get("Error", {})
    return error.get("Code", ""), error.get("Message", "")


def tracking_alarm(world: World, kind: str) -> Any:
    (name,) = [n for n in world.alarm_names() if f"-{kind}-" in n]
    return world.described(name)


# -- scalable targets --


def test_registering_a_missing_variant_is_refused(world: World) -> None:
    with pytest.raises(ClientError) as caught:
        world.aas.register_scalable_target(
            ServiceNamespace=NAMESPACE,
            ResourceId="endpoint/churn/variant/Blue",
            ScalableDimension=DIMENSION,
            MinCapacity=0,
            MaxCapacity=4,
        )

    expected = (
        "ValidationException",
        "SageMaker endpoint variant doesn't exist: endpoint/churn/variant/Blue",
    )
    assert expected == error_of(caught)


def test_registering_again_updates_min_and_max(world: World) -> None:
    world.register(low=1, high=4)
    world.register(low=0, high=8)

    (target,) = world.aas.describe_scalable_targets(ServiceNamespace=NAMESPACE)["ScalableTargets"]
    assert (target["MinCapacity"], target["MaxCapacity"]) == (0, 8)


def test_a_registered_target_names_the_service_linked_role(world: World) -> None:
    world.register()

    (target,) = world.aas.describe_scalable_targets(ServiceNamespace=NAMESPACE)["ScalableTargets"]
    expected = (
        f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/sagemaker.application-autoscaling"
        ".amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
    )
    assert expected == target["RoleARN"]


def test_a_registered_target_is_not_suspended(world: World) -> None:
    world.register()

    (target,) = world.aas.describe_scalable_targets(ServiceNamespace=NAMESPACE)["ScalableTargets"]
    expected = {
        "DynamicScalingInSuspended": False,
        "DynamicScalingOutSuspended": False,
        "ScheduledScalingSuspended": False,
    }
    assert expected == target["SuspendedState"]


def test_deregistering_an_unknown_target_is_refused(world: World) -> None:
    with pytest.raises(ClientError) as caught:
        world.aas.deregister_scalable_target(
            ServiceNamespace=NAMESPACE, ResourceId=RESOURCE, ScalableDimension=DIMENSION
        )

    expected = (
        "ObjectNotFoundException",
        f"No scalable target found for service namespace: sagemaker, resource ID: {RESOURCE}, "
        f"scalable dimension: {DIMENSION}",
    )
    assert expected == error_of(caught)


def test_deregistering_deletes_the_policies_and_their_alarms(world: World) -> None:
    world.register()
    world.tracking()
    world.step(UP_ONE)

    world.aas.deregister_scalable_target(
        ServiceNamespace=NAMESPACE, ResourceId=RESOURCE, ScalableDimension=DIMENSION
    )

    policies = world.aas.describe_scaling_policies(ServiceNamespace=NAMESPACE)["ScalingPolicies"]
    assert (policies, world.alarm_names()) == ([], [])


def test_is_autoscaled_once_registered(world: World) -> None:
    world.register()

    expected = (True, False)
    actual = (
        world.room.is_autoscaled(ACCOUNT, REGION, ENDPOINT, "AllTraffic"),
        world.room.is_autoscaled(ACCOUNT, REGION, ENDPOINT, "Blue"),
    )
    assert expected == actual


def test_deleting_the_endpoint_deregisters_its_variants(world: World) -> None:
    world.variants.counts["other", "AllTraffic"] = 1
    world.register()
    world.tracking()
    world.aas.register_scalable_target(
        ServiceNamespace=NAMESPACE,
        ResourceId="endpoint/other/variant/AllTraffic",
        ScalableDimension=DIMENSION,
        MinCapacity=1,
        MaxCapacity=2,
    )

    world.room.endpoint_deleted(ACCOUNT, REGION, ENDPOINT)

    targets = world.aas.describe_scalable_targets(ServiceNamespace=NAMESPACE)["ScalableTargets"]
    expected = (["endpoint/other/variant/AllTraffic"], list[str]())
    assert expected == ([t["ResourceId"] for t in targets], world.alarm_names())


# -- target tracking: the alarms it creates --


def test_target_tracking_creates_alarm_high_and_alarm_low(world: World) -> None:
    world.register()

    answer = world.tracking()

    names = sorted(alarm["AlarmName"] for alarm in answer["Alarms"])
    prefix = f"TargetTracking-{RESOURCE}-"
    assert [
        names[0].startswith(prefix + "AlarmHigh-"),
        names[1].startswith(prefix + "AlarmLow-"),
    ] == [True, True]


def test_the_policy_lists_the_alarms_it_created(world: World) -> None:
    world.register()
    created = world.tracking()["Alarms"]

    (policy,) = world.aas.describe_scaling_policies(ServiceNamespace=NAMESPACE)["ScalingPolicies"]
    assert created == policy["Alarms"]


def test_alarm_high_settings(world: World) -> None:
    world.register()
    arn = world.tracking(target=5.0)["PolicyARN"]

    alarm = tracking_alarm(world, "AlarmHigh")

    expected = {
        "Namespace": "AWS/SageMaker",
        "MetricName": METRIC,
        "Dimensions": DIMENSIONS,
        "Statistic": "Average",
        "ComparisonOperator": "GreaterThanThreshold",
        "Threshold": 5.0,
        "Period": 60,
        "EvaluationPeriods": 3,
        "AlarmActions": [arn],
        "AlarmDescription": f"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {arn}.",
        "StateValue": "INSUFFICIENT_DATA",
    }
    assert expected == {key: alarm[key] for key in expected}


def test_alarm_low_settings(world: World) -> None:
    world.register()
    arn = world.tracking(target=5.0)["PolicyARN"]

    alarm = tracking_alarm(world, "AlarmLow")

    expected = {
        "ComparisonOperator": "LessThanThreshold",
        "Threshold": 4.5,
        "Period": 60,
        "EvaluationPeriods": 15,
        "AlarmActions": [arn],
    }
    assert expected == {key: alarm[key] for key in expected}


def test_disabled_scale_in_creates_no_alarm_low(world: World) -> None:
    world.register()

    answer = world.tracking(DisableScaleIn=True)

    assert [alarm["AlarmName"].split("-")[-6] for alarm in answer["Alarms"]] == ["AlarmHigh"]


def test_predefined_invocations_per_instance_watches_the_variant(world: World) -> None:
    world.register()
    world.aas.put_scaling_policy(
        PolicyName="invocations",
        ServiceNamespace=NAMESPACE,
        ResourceId=RESOURCE,
        ScalableDimension=DIMENSION,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 70.0,
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"
            },
        },
    )

    alarm = tracking_alarm(world, "AlarmHigh")

    expected = (
        "InvocationsPerInstance",
        "Sum",
        [
            {"Name": "EndpointName", "Value": ENDPOINT},
            {"Name": "VariantName", "Value": "AllTraffic"},
        ],
    )
    assert expected == (alarm["MetricName"], alarm["Statistic"], alarm["Dimensions"])


def test_an_unmodelled_predefined_metric_is_refused(world: World) -> None:
    world.register()

    with pytest.raises(ClientError) as caught:
        world.aas.put_scaling_policy(
            PolicyName="concurrency",
            ServiceNamespace=NAMESPACE,
            ResourceId=RESOURCE,
            ScalableDimension=DIMENSION,
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": 5.0,
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "SageMakerVariantProvisionedConcurrencyUtilization"
                },
            },
        )

    expected = (
        "ValidationException",
        "The simulator does not model the predefined metric type "
        "SageMakerVariantProvisionedConcurrencyUtilization for SageMaker variants: "
        "use a CustomizedMetricSpecification.",
    )
    assert expected == error_of(caught)


def test_putting_a_policy_again_replaces_its_alarms(world: World) -> None:
    world.register()
    first = world.tracking(target=5.0)

    second = world.tracking(target=8.0)

    replaced = sorted(alarm["AlarmName"] for alarm in second["Alarms"])
    expected = (first["PolicyARN"], replaced, [8.0, 7.2])
    actual = (
        second["PolicyARN"],
        world.alarm_names(),
        [tracking_alarm(world, kind)["Threshold"] for kind in ("AlarmHigh", "AlarmLow")],
    )
    assert expected == actual


def test_describing_policies_by_name_answers_only_those(world: World) -> None:
    world.register()
    world.tracking(name="backlog")
    world.step(UP_ONE, name="wake")

    answer = world.aas.describe_scaling_policies(ServiceNamespace=NAMESPACE, PolicyNames=["wake"])

    assert [each["PolicyName"] for each in answer["ScalingPolicies"]] == ["wake"]


def test_deleting_a_policy_deletes_its_alarms(world: World) -> None:
    world.register()
    world.tracking()

    world.aas.delete_scaling_policy(
        PolicyName="backlog",
        ServiceNamespace=NAMESPACE,
        ResourceId=RESOURCE,
        ScalableDimension=DIMENSION,
    )

    assert world.alarm_names() == []


def test_a_policy_for_an_unregistered_target_is_refused(world: World) -> None:
    with pytest.raises(ClientError) as caught:
        world.tracking()

    expected = (
        "ObjectNotFoundException",
        f"No scalable target registered for service namespace: sagemaker, "
        f"resource ID: {RESOURCE}, scalable dimension: {DIMENSION}",
    )
    assert expected == error_of(caught)


def test_deleting_an_unknown_policy_is_refused(world: World) -> None:
    world.register()

    with pytest.raises(ClientError) as caught:
        world.aas.delete_scaling_policy(
            PolicyName="ghost",
            ServiceNamespace=NAMESPACE,
            ResourceId=RESOURCE,
            ScalableDimension=DIMENSION,
        )

    expected = (
        "ObjectNotFoundException",
        f"No scaling policy found for service namespace: sagemaker, resource ID: {RESOURCE}, "
        f"scalable dimension: {DIMENSION}, policy name: ghost",
    )
    assert expected == error_of(caught)


# -- alarm evaluation --


def test_a_new_alarm_has_insufficient_data(world: World) -> None:
    world.alarm("busy", 1.0)

    expected = ("INSUFFICIENT_DATA", "Unchecked: Initial alarm creation")
    alarm = world.described("busy")
    assert expected == (alarm["StateValue"], alarm["StateReason"])


def test_m_of_n_breaching_datapoints_raise_the_alarm(world: World) -> None:
    world.alarm("busy", 1.0, periods=3, DatapointsToAlarm=2)
    for number, value in enumerate([0.0, 0.0, 0.0, 2.0, 0.0, 3.0], start=1):
        world.minute(number, value)

    assert world.state("busy") == "ALARM"


def test_fewer_than_m_breaching_datapoints_are_ok(world: World) -> None:
    world.alarm("busy", 1.0, periods=3, DatapointsToAlarm=2)
    for number, value in enumerate([0.0, 0.0, 0.0, 2.0, 0.0, 0.0], start=1):
        world.minute(number, value)

    assert world.state("busy") == "OK"


def test_the_alarm_reason_lists_the_breaching_datapoints(world: World) -> None:
    world.alarm("busy", 1.0, periods=3, DatapointsToAlarm=2)
    for number, value in enumerate([0.0, 0.0, 0.0, 2.0, 3.0], start=1):
        world.minute(number, value)

    expected = (
        "Threshold Crossed: 2 out of the last 3 datapoints [3.0 (01/05/24 12:05:00), "
        "2.0 (01/05/24 12:04:00)] were greater than or equal to the threshold (1.0) "
        "(minimum 2 datapoints for OK -> ALARM transition)."
    )
    assert expected == world.described("busy")["StateReason"]


def test_the_ok_reason_lists_the_datapoints_within_the_threshold(world: World) -> None:
    world.alarm("busy", 1.0, periods=2)
    world.minute(1, 5.0)
    world.minute(2, 5.0)
    world.minute(3, 0.0)

    expected = (
        "Threshold Crossed: 1 out of the last 2 datapoints [0.0 (01/05/24 12:03:00)] was not "
        "greater than or equal to the threshold (1.0) "
        "(minimum 1 datapoint for ALARM -> OK transition)."
    )
    assert expected == world.described("busy")["StateReason"]


def test_the_reason_data_holds_the_evaluated_datapoints(world: World) -> None:
    world.alarm("busy", 1.0)
    world.minute(1, 4.0)

    data = json.loads(world.described("busy")["StateReasonData"])

    expected = {
        "statistic": "Average",
        "period": 60,
        "threshold": 1.0,
        "recentDatapoints": [4.0],
        "evaluatedDatapoints": [
            {"timestamp": "2024-05-01T12:01:00.000+0000", "sampleCount": 1.0, "value": 4.0}
        ],
    }
    assert expected == {key: data[key] for key in expected}


def test_state_changes_are_stamped_on_the_wall_clock(world: World) -> None:
    world.alarm("busy", 1.0)
    world.minute(1, 4.0)

    assert wall(60) == world.described("busy")["StateUpdatedTimestamp"]


def test_one_breaching_datapoint_of_one_raises_a_three_period_alarm(world: World) -> None:
    # Fewer real datapoints than periods, TreatMissingData missing: the real ones decide.
    world.alarm("busy", 1.0, periods=3)
    world.minute(1, 2.0)

    assert world.state("busy") == "ALARM"


def test_when_data_stops_the_alarm_has_insufficient_data(world: World) -> None:
    world.alarm("busy", 1.0)
    world.minute(1, 2.0)
    for number in (2, 3, 4):
        world.minute(number)

    expected = ("INSUFFICIENT_DATA", "Insufficient Data: 1 datapoint was unknown.")
    alarm = world.described("busy")
    assert expected == (alarm["StateValue"], alarm["StateReason"])


def test_missing_data_within_the_evaluation_range_is_looked_past(world: World) -> None:
    world.alarm("busy", 1.0)
    world.minute(1, 2.0)
    world.minute(2)
    world.minute(3)

    assert world.state("busy") == "ALARM"


def test_missing_data_treated_as_breaching_raises_the_alarm(world: World) -> None:
    world.alarm("busy", 1.0, TreatMissingData="breaching")
    world.minute(1, 0.0)
    for number in (2, 3, 4):
        world.minute(number)

    assert world.state("busy") == "ALARM"


def test_missing_data_treated_as_not_breaching_is_ok(world: World) -> None:
    world.alarm("busy", 1.0, TreatMissingData="notBreaching")
    world.minute(1, 5.0)
    for number in (2, 3, 4):
        world.minute(number)

    assert world.state("busy") == "OK"


def test_ignored_missing_data_keeps_the_state(world: World) -> None:
    world.alarm("busy", 1.0, TreatMissingData="ignore")
    world.minute(1, 5.0)
    for number in (2, 3, 4):
        world.minute(number)

    assert world.state("busy") == "ALARM"


def test_updating_an_alarm_keeps_its_state(world: World) -> None:
    world.alarm("busy", 1.0)
    world.minute(1, 5.0)

    world.alarm("busy", 2.0)

    assert world.state("busy") == "ALARM"


def test_statistic_sets_are_aggregated_per_period(world: World) -> None:
    world.alarm("slow", 900.0, metric="TimeInBacklog", Statistic="Maximum")
    world.clock.advance(60)
    world.put(
        "TimeInBacklog",
        0.0,
        60,
        StatisticValues={"SampleCount": 4, "Sum": 1200.0, "Minimum": 50.0, "Maximum": 950.0},
    )
    world.room.on_minute(ACCOUNT, REGION, 60)

    assert world.state("slow") == "ALARM"


def test_a_datapoint_put_late_still_counts(world: World) -> None:
    world.alarm("busy", 1.0, periods=2, TreatMissingData="notBreaching")
    world.minute(1)
    world.minute(2, 5.0)
    world.put(METRIC, 5.0, 60)  # minute 1's datapoint, put after minute 2's
    world.minute(3)

    assert world.state("busy") == "ALARM"


# -- actions --


def test_an_alarm_entering_alarm_runs_its_step_policy(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 0
    world.register()
    world.alarm("wake", 1.0, [world.step(UP_ONE)], metric="HasBacklogWithoutCapacity")

    world.minute(1, 1.0, metric="HasBacklogWithoutCapacity")

    assert world.desired == 1


def test_an_alarm_staying_in_alarm_runs_its_policy_every_minute(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE, Cooldown=0)])

    for number in (1, 2, 3):
        world.minute(number, 5.0)

    assert world.variants.changes == [2, 3, 4]


def test_set_alarm_state_runs_the_new_state_actions(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE)])

    world.cloudwatch.set_alarm_state(AlarmName="busy", StateValue="ALARM", StateReason="test")

    assert world.desired == 2


def test_set_alarm_state_to_the_same_state_runs_nothing(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE, Cooldown=0)])
    world.cloudwatch.set_alarm_state(AlarmName="busy", StateValue="ALARM", StateReason="test")

    world.cloudwatch.set_alarm_state(AlarmName="busy", StateValue="ALARM", StateReason="again")

    assert world.variants.changes == [2]


def test_an_alarm_with_actions_disabled_runs_nothing(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE)], ActionsEnabled=False)

    world.minute(1, 5.0)

    assert world.variants.changes == []


def test_ok_actions_run_when_the_alarm_is_ok(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 3
    world.register()
    idle = world.step(DOWN_ONE, name="idle")
    world.alarm("busy", 1.0, OKActions=[idle])

    world.minute(1, 0.0)

    assert world.desired == 2


# -- target tracking: scaling --


def test_alarm_high_scales_out_to_current_times_metric_over_target(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 2
    world.register()
    world.tracking(target=5.0)

    world.minute(1, 12.0)

    assert world.desired == 5  # ceil(2 * 12 / 5)


def test_scaling_out_stops_at_max_capacity(world: World) -> None:
    world.register(high=3)
    world.tracking(target=5.0)

    world.minute(1, 50.0)

    assert world.desired == 3


def test_alarm_low_scales_in(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 4
    world.register()
    world.tracking(target=5.0)

    world.minute(1, 1.0)

    assert world.desired == 1  # ceil(4 * 1 / 5)


def test_scaling_in_removes_at_least_one_instance(world: World) -> None:
    world.register()
    world.tracking(target=5.0)

    world.minute(1, 4.4)  # below 90% of the target; ceil(1 * 4.4 / 5) is still 1

    assert world.desired == 0


def test_scaling_in_stops_at_min_capacity(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 4
    world.register(low=2)
    world.tracking(target=5.0)

    world.minute(1, 0.0)

    assert world.desired == 2


def test_target_tracking_never_scales_out_from_zero(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 0
    world.register()
    world.tracking(target=5.0)

    world.minute(1, 50.0)

    assert (world.variants.changes, world.activities()) == ([], [])


def test_within_the_scale_out_cooldown_only_a_larger_scale_out_happens(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 2
    world.register()
    world.tracking(target=5.0, ScaleOutCooldown=300)
    world.minute(1, 10.0)  # 2 -> 4
    world.variants.counts[ENDPOINT, "AllTraffic"] = 3  # someone else set 3

    world.minute(2, 6.0)  # ceil(3 * 6 / 5) = 4: no more than the last scale-out
    world.minute(3, 10.0)  # ceil(3 * 10 / 5) = 6: more

    assert world.variants.changes == [4, 6]


def test_scale_in_waits_for_the_scale_in_cooldown(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 4
    world.register()
    world.tracking(target=5.0, ScaleInCooldown=300)

    for number in range(1, 7):
        world.minute(number, 1.0 if number == 1 else 0.0)

    assert world.variants.changes == [1, 0]
    assert wall(360) == world.activities()[0]["StartTime"]


def test_no_scale_in_while_a_scale_out_cooldown_runs(world: World) -> None:
    world.register()
    world.tracking(target=5.0, ScaleOutCooldown=300, ScaleInCooldown=0)
    world.alarm("idle", 1.0, [world.step(DOWN_ONE, name="idle", Cooldown=0)], "LessThanThreshold")

    for number in range(1, 7):
        world.minute(number, 20.0 if number == 1 else 0.0)

    assert world.variants.changes == [4, 3]
    assert wall(360) == world.activities()[0]["StartTime"]


def test_suspended_scale_out_does_not_scale_out(world: World) -> None:
    world.register(SuspendedState={"DynamicScalingOutSuspended": True})
    world.alarm("busy", 1.0, [world.step(UP_ONE)])

    world.minute(1, 5.0)

    assert world.variants.changes == []


# -- step scaling --


def test_the_step_holding_the_breach_runs(world: World) -> None:
    steps = [
        {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1},
        {"MetricIntervalLowerBound": 10.0, "ScalingAdjustment": 3},
    ]
    world.register()
    world.alarm("busy", 10.0, [world.step(steps)])

    world.minute(1, 25.0)

    assert world.desired == 4


def test_a_step_lower_bound_is_inclusive_above_the_threshold(world: World) -> None:
    steps = [
        {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1},
        {"MetricIntervalLowerBound": 10.0, "ScalingAdjustment": 3},
    ]
    world.register()
    world.alarm("busy", 10.0, [world.step(steps)])

    world.minute(1, 20.0)

    assert world.desired == 4


def test_percent_change_is_at_least_the_minimum_magnitude(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 10
    world.register(high=20)
    steps = [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 15}]
    arn = world.step(steps, adjustment="PercentChangeInCapacity", MinAdjustmentMagnitude=2)
    world.alarm("busy", 1.0, [arn])

    world.minute(1, 5.0)

    assert world.desired == 12  # 15% of 10 is 1.5, rounded to 1, raised to 2


def test_a_small_percent_change_is_one_instance(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 2
    world.register()
    steps = [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 10}]
    world.alarm("busy", 1.0, [world.step(steps, adjustment="PercentChangeInCapacity")])

    world.minute(1, 5.0)

    assert world.desired == 3


def test_exact_capacity_sets_the_count(world: World) -> None:
    world.register()
    steps = [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 5}]
    world.alarm("busy", 1.0, [world.step(steps, adjustment="ExactCapacity")])

    world.minute(1, 5.0)

    assert world.desired == 5


def test_within_the_cooldown_a_step_counts_from_before_the_scale_out(world: World) -> None:
    world.variants.counts[ENDPOINT, "AllTraffic"] = 4
    world.register()
    steps = [
        {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 2},
        {"MetricIntervalLowerBound": 10.0, "ScalingAdjustment": 3},
    ]
    world.alarm("busy", 0.0, [world.step(steps, Cooldown=300)], "GreaterThanThreshold")

    world.minute(1, 5.0)  # +2: 4 -> 6
    world.minute(2, 15.0)  # +3 from 4: 7, one more

    assert world.variants.changes == [6, 7]


def test_metric_aggregation_maximum_picks_the_step(world: World) -> None:
    world.register()
    steps = [
        {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 6.0, "ScalingAdjustment": 1},
        {"MetricIntervalLowerBound": 6.0, "ScalingAdjustment": 4},
    ]
    arn = world.step(steps, MetricAggregationType="Maximum")
    world.alarm("busy", 0.0, [arn], "GreaterThanThreshold", periods=2)
    world.minute(1, 9.0)
    world.minute(2, 1.0)

    assert world.desired == 5  # the first minute already ran it: 1 + 4


def test_the_policy_asking_for_the_largest_capacity_wins(world: World) -> None:
    world.register()
    small = world.step(UP_ONE, name="small")
    large = world.step([{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 3}], name="large")
    world.alarm("nudge", 1.0, [small])
    world.alarm("shove", 1.0, [large])

    world.minute(1, 5.0)

    expected = (4, "monitor alarm shove in state ALARM triggered policy large")
    assert expected == (world.desired, world.activities()[0]["Cause"])


# -- scaling activities --


def test_a_scaling_activity_says_what_was_set_and_why(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE)])
    world.minute(1, 5.0)

    (activity,) = world.activities()

    expected = {
        "ServiceNamespace": NAMESPACE,
        "ResourceId": RESOURCE,
        "ScalableDimension": DIMENSION,
        "Description": "Setting desired instance count to 2.",
        "Cause": "monitor alarm busy in state ALARM triggered policy wake",
        "StartTime": wall(60),
        "EndTime": wall(60),
        "StatusCode": "Successful",
        "StatusMessage": "Successfully set desired instance count to 2. "
        "Change successfully fulfilled by sagemaker.",
    }
    assert expected == {key: value for key, value in activity.items() if key != "ActivityId"}


def test_a_refused_change_is_a_failed_activity(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE)])
    world.variants.refusal = "The endpoint is not InService."
    world.minute(1, 5.0)

    (activity,) = world.activities()

    expected = (
        "Failed",
        "Failed to set desired instance count to 2. Reason: The endpoint is not InService.",
        1,
    )
    assert expected == (activity["StatusCode"], activity["StatusMessage"], world.desired)


def test_a_refused_change_is_tried_again_the_next_minute(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE)])
    world.variants.refusal = "The endpoint is not InService."
    world.minute(1, 5.0)
    world.variants.refusal = None

    world.minute(2, 5.0)

    assert world.desired == 2


def test_scaling_activities_come_newest_first(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE, Cooldown=0)])
    for number in (1, 2, 3):
        world.minute(number, 5.0)

    expected = [f"Setting desired instance count to {count}." for count in (4, 3, 2)]
    assert expected == [each["Description"] for each in world.activities()]


def test_scaling_activities_filter_by_resource(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE)])
    world.minute(1, 5.0)

    expected: tuple[list[str], list[Any]] = ([RESOURCE], [])
    actual = (
        [each["ResourceId"] for each in world.activities(ResourceId=RESOURCE)],
        world.activities(ResourceId="endpoint/other/variant/AllTraffic"),
    )
    assert expected == actual


def test_scaling_activities_come_in_pages(world: World) -> None:
    world.register()
    world.alarm("busy", 1.0, [world.step(UP_ONE, Cooldown=0)])
    for number in (1, 2, 3):
        world.minute(number, 5.0)

    first = world.aas.describe_scaling_activities(ServiceNamespace=NAMESPACE, MaxResults=2)
    second = world.aas.describe_scaling_activities(
        ServiceNamespace=NAMESPACE, MaxResults=2, NextToken=first["NextToken"]
    )

    expected = ([4, 3], [2], False)
    actual = (
        [int(each["Description"].split()[-1][:-1]) for each in first["ScalingActivities"]],
        [int(each["Description"].split()[-1][:-1]) for each in second["ScalingActivities"]],
        "NextToken" in second,
    )
    assert expected == actual


def test_more_than_fifty_results_a_page_is_refused(world: World) -> None:
    with pytest.raises(ClientError) as caught:
        world.aas.describe_scaling_activities(ServiceNamespace=NAMESPACE, MaxResults=51)

    expected = (
        "ValidationException",
        "1 validation error detected: Value '51' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 50",
    )
    assert expected == error_of(caught)


# -- the patches' lifetime --


def test_leaving_the_block_gives_back_moto_as_it_was() -> None:
    with mock_aws():
        world = in_process()
        with world.room.patched():
            pass

        with pytest.raises(NotImplementedError):
            world.aas.describe_scaling_activities(ServiceNamespace=NAMESPACE)


def test_over_http_a_policy_scales_and_records_its_activity() -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        world = World(
            SESSION.client("application-autoscaling", endpoint_url=url),
            SESSION.client("cloudwatch", endpoint_url=url),
        )
        with world.room.patched():
            world.register()
            world.tracking(target=5.0)
            world.minute(1, 12.0)

            expected = (3, ["Setting desired instance count to 3."])
            actual = (world.desired, [each["Description"] for each in world.activities()])
            assert expected == actual
    finally:
        server.stop()
        BackendDict.reset()
