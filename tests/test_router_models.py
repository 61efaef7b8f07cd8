"""Inference router models: validation before any AWS call, and reading AWS's answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

import sagemaker_async as sa
from sagemaker_async.serialization import to_request

EAST = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-east"
WEST = "arn:aws:sagemaker:us-west-2:123456789012:endpoint/churn-west"


def target(**changes: Any) -> sa.RoutingTarget:
    kwargs: dict[str, Any] = {
        "name": "churn",
        "destinations": [EAST, WEST],
        "output_path": "s3://results-bucket/churn",
        "failure_path": "s3://results-bucket/failures",
    }
    kwargs.update(changes)
    return sa.RoutingTarget(**kwargs)


def problems(error: pytest.ExceptionInfo[sa.ValidationError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def test_destinations_become_a_tuple() -> None:
    expected = (EAST, WEST)
    assert expected == target().destinations


def test_routing_preference_is_read_from_its_aws_value() -> None:
    expected = sa.RoutingPreference.INSTANCE_POOL_ORDER
    assert expected == target(routing_preference="InstancePoolOrder").routing_preference


def test_routing_preference_values_are_aws_strings() -> None:
    expected = ["LocalRegionFirst", "InstancePoolOrder"]
    assert expected == [str(member) for member in sa.RoutingPreference]


def test_backlog_seconds_default_to_900() -> None:
    expected = 900
    assert expected == target().backlog_seconds


def test_a_repeated_destination_is_refused() -> None:
    with pytest.raises(sa.ValidationError) as error:
        target(destinations=[EAST, EAST])

    expected = [
        f"destinations[1]: expected an ARN distinct from destinations[0], received {EAST!r} (str)"
    ]
    assert expected == problems(error)


def test_destinations_of_two_partitions_are_refused() -> None:
    china = "arn:aws-cn:sagemaker:cn-north-1:123456789012:endpoint/churn"
    with pytest.raises(sa.ValidationError) as error:
        target(destinations=[EAST, china])

    expected = [
        "destinations[1]: expected an ARN in the partition of destinations[0] (aws), "
        f"received {china!r} (str)"
    ]
    assert expected == problems(error)


def test_an_inference_component_is_not_a_destination() -> None:
    component = "arn:aws:sagemaker:us-east-1:123456789012:inference-component/churn"
    with pytest.raises(sa.ValidationError) as error:
        target(destinations=[component])

    expected = [
        "destinations[0]: expected an endpoint ARN like "
        f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/name, received {component!r} (str)"
    ]
    assert expected == problems(error)


def test_eleven_destinations_are_refused() -> None:
    with pytest.raises(sa.ValidationError) as error:
        target(destinations=[f"{EAST}{index}" for index in range(11)])

    expected = ("destinations",)
    assert expected == error.value.fields


def test_the_failure_path_is_required() -> None:
    with pytest.raises(sa.ValidationError) as error:
        target(failure_path=None)

    expected = ["failure_path: expected a value (this field is required), received None (NoneType)"]
    assert expected == problems(error)


def test_max_time_in_backlog_below_60_is_refused() -> None:
    with pytest.raises(sa.ValidationError) as error:
        target(max_time_in_backlog_seconds=59)

    expected = [
        "max_time_in_backlog_seconds: expected a number from 60 to 21600, received 59 (int)"
    ]
    assert expected == problems(error)


def test_a_router_notification_carries_no_response() -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:churn-ok"
    notification = sa.NotificationConfig(
        success_topic=topic, include_inference_response_in=["SUCCESS_NOTIFICATION_TOPIC"]
    )
    with pytest.raises(sa.ValidationError) as error:
        target(notification=notification)

    expected = ("notification.include_inference_response_in",)
    assert expected == error.value.fields


def test_routing_target_names_are_unique_in_a_router() -> None:
    with pytest.raises(sa.ValidationError) as error:
        sa.InferenceRouter(name="churn", targets=[target(), target()])

    expected = [
        "targets[1].name: expected a name distinct from targets[0].name, received 'churn' (str)"
    ]
    assert expected == problems(error)


def test_a_router_needs_a_routing_target() -> None:
    with pytest.raises(sa.ValidationError) as error:
        sa.InferenceRouter(name="churn", targets=[])

    expected = ["targets: expected 1 to 20 routing targets, received () (tuple)"]
    assert expected == problems(error)


def test_router_finds_a_target_by_name() -> None:
    router = sa.InferenceRouter(name="churn", targets=[target()])

    assert target() == router.target("churn")


def test_unset_fields_are_omitted_from_the_request() -> None:
    expected = {
        "Name": "churn",
        "Destinations": [{"ResourceArn": EAST}],
        "AsyncInferenceConfig": {
            "OutputConfig": {
                "S3OutputPath": "s3://results-bucket/churn",
                "S3FailurePath": "s3://results-bucket/failures",
            }
        },
    }
    assert expected == to_request(target(destinations=[EAST]))


def describe_answer() -> dict[str, Any]:
    return {
        "InferenceRouterName": "churn",
        "InferenceRouterArn": "arn:aws:sagemaker:us-east-1:123456789012:inference-router/churn",
        "Status": "Failed",
        "StatusReason": "Internal failure",
        "RoutingTargets": [
            {
                **to_request(target()),
                "Destinations": [
                    {"ResourceArn": EAST, "RoutingStatus": "Routable"},
                    {"ResourceArn": WEST, "RoutingStatus": "Unroutable"},
                ],
            }
        ],
        "CreationTime": datetime(2026, 1, 1, tzinfo=UTC),
        "LastModifiedTime": datetime(2026, 1, 2, tzinfo=UTC),
        "SomethingNew": 1,
    }


def test_description_reads_each_destinations_routing_status() -> None:
    description = sa.InferenceRouterDescription.from_response(describe_answer())

    expected = {EAST: sa.RoutingStatus.ROUTABLE, WEST: sa.RoutingStatus.UNROUTABLE}
    assert expected == dict(description.destination_status)


def test_description_reads_status_reason_and_targets() -> None:
    description = sa.InferenceRouterDescription.from_response(describe_answer())

    expected = (sa.InferenceRouterStatus.FAILED, "Internal failure", (target(),))
    assert expected == (description.status, description.status_reason, description.targets)


def test_a_status_aws_adds_later_is_kept() -> None:
    answer = {**describe_answer(), "Status": "Migrating"}

    expected = "Migrating"
    assert expected == sa.InferenceRouterDescription.from_response(answer).status


def test_router_reads_back_from_its_request() -> None:
    router = sa.InferenceRouter(name="churn", targets=[target()], tags={"team": "ml"})

    assert router == sa.InferenceRouter.from_response(to_request(router))


def test_evolve_validates() -> None:
    with pytest.raises(sa.ValidationError):
        attrs.evolve(target(), name="-bad")
