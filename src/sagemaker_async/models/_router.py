"""Inference routers: one name to invoke, a backlog spread over endpoints in several Regions.

A router holds routing targets; each lists the asynchronous endpoints (by ARN, in
any Region of one partition) that serve the same model, and where every result
and failure lands, whichever endpoint served it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Final, Self, cast

import attrs

from sagemaker_async.errors import Problem

from . import constraints as c
from . import validation as v
from ._endpoint import NotificationConfig
from ._frozenmap import FrozenMap
from ._reading import read

ENDPOINT_ARN_PATTERN: Final = (
    rf"arn:(?P<partition>aws[a-z\-]*):sagemaker:(?P<region>[a-z0-9\-]+):(?P<account>[0-9]{{12}})"
    rf":endpoint/(?P<name>{c.NAME_PATTERN})"
)
DEFAULT_MAX_TIME_IN_BACKLOG_SECONDS: Final = 900
_ENDPOINT_ARN: Final = re.compile(ENDPOINT_ARN_PATTERN)


class RoutingPreference(enum.StrEnum):
    """How a router chooses among a routing target's destinations (default LocalRegionFirst)."""

    LOCAL_REGION_FIRST = "LocalRegionFirst"
    INSTANCE_POOL_ORDER = "InstancePoolOrder"


class _Open(enum.StrEnum):
    @classmethod
    def _missing_(cls, value: object) -> Any:
        # A value SageMaker adds later must not break describing the router.
        if not isinstance(value, str) or not value:
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class RoutingStatus(_Open):
    """Whether the router can send a destination requests, as DescribeInferenceRouter saw it."""

    ROUTABLE = "Routable"
    UNROUTABLE = "Unroutable"
    UNKNOWN = "Unknown"


class InferenceRouterStatus(_Open):
    """Every status an inference router can have."""

    IN_SERVICE = "InService"
    CREATING = "Creating"
    UPDATING = "Updating"
    FAILED = "Failed"
    DELETING = "Deleting"


def _strings(value: Sequence[str]) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else value  # type: ignore[return-value]


def _targets(value: Sequence[RoutingTarget]) -> tuple[RoutingTarget, ...]:
    return tuple(value) if isinstance(value, list) else value  # type: ignore[return-value]


def _preference(value: RoutingPreference | None) -> RoutingPreference | None:
    # AWS's string becomes the member; anything else is left for validation to report.
    anything = cast(object, value)
    if isinstance(anything, str) and anything in RoutingPreference._value2member_map_:
        return RoutingPreference(anything)
    return value


def _str_map(value: Mapping[str, str]) -> Mapping[str, str]:
    anything = cast(object, value)
    if isinstance(anything, Mapping) and not isinstance(anything, FrozenMap):
        return FrozenMap(value)
    return value


def _empty_map() -> Mapping[str, str]:
    return FrozenMap()


DESTINATION_ARN = (
    c.TEXT,
    v.length(20, 2048),
    v.pattern(
        ENDPOINT_ARN_PATTERN,
        "an endpoint ARN like arn:aws:sagemaker:us-east-1:123456789012:endpoint/name",
    ),
)


def endpoint_arn_parts(arn: str) -> tuple[str, str, str, str]:
    """The partition, Region, account and endpoint name of an endpoint ARN."""
    match = _ENDPOINT_ARN.fullmatch(arn)
    if match is None:
        raise ValueError(f"not an endpoint ARN: {arn!r}")
    return match["partition"], match["region"], match["account"], match["name"]


@attrs.frozen(kw_only=True)
class RoutingTarget:
    """A model a router serves: the endpoints that serve it, where its results land.

    Args:
        name: What callers name when they invoke the router.
        destinations: 1 to 10 distinct asynchronous endpoint ARNs, in any Region
            of one partition.
        output_path: ``s3://bucket/prefix`` for results, in the router's Region
            and account; every destination writes here.
        failure_path: ``s3://bucket/prefix`` for failures, same rules.
        notification: SNS topics the router tells of each success and error
            (``include_inference_response_in`` is not available to routers).
        kms_key_id: The KMS key that encrypts the results (an ARN when a
            destination is in another Region or account).
        max_time_in_backlog_seconds: 60 to 21600: how long a request waits at a
            destination before it moves to another (900 when unset).
        routing_preference: :class:`RoutingPreference` (LocalRegionFirst when unset).
    """

    name: str = attrs.field(metadata=v.rules(*c.NAME))
    destinations: tuple[str, ...] = attrs.field(
        converter=_strings,
        metadata=v.rules(
            v.is_type(tuple, expected="a tuple of endpoint ARNs"),
            v.count(1, 10, "destinations"),
            v.each(*DESTINATION_ARN),
        ),
    )
    output_path: str = attrs.field(metadata=v.rules(*c.DESTINATION_S3_URI))
    failure_path: str = attrs.field(metadata=v.rules(*c.DESTINATION_S3_URI))
    notification: NotificationConfig | None = attrs.field(
        default=None,
        metadata=v.rules(
            v.is_type(NotificationConfig, expected="a NotificationConfig"), optional=True
        ),
    )
    kms_key_id: str | None = attrs.field(
        default=None, metadata=v.rules(*c.KMS_KEY_ID, optional=True)
    )
    max_time_in_backlog_seconds: int | None = attrs.field(
        default=None, metadata=v.rules(c.INT, v.between(60, 21_600), optional=True)
    )
    routing_preference: RoutingPreference | None = attrs.field(
        default=None,
        converter=_preference,
        metadata=v.rules(
            v.is_type(RoutingPreference, expected="a RoutingPreference"), optional=True
        ),
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterator[Problem]:
        first: dict[str, int] = {}
        partitions: dict[str, int] = {}
        for index, arn in enumerate(self.destinations):
            if arn in first:
                yield Problem(
                    f"destinations[{index}]",
                    f"an ARN distinct from destinations[{first[arn]}]",
                    arn,
                )
                continue
            first[arn] = index
            partition = endpoint_arn_parts(arn)[0]
            if partitions and partition not in partitions:
                (other, at), *_ = partitions.items()
                yield Problem(
                    f"destinations[{index}]",
                    f"an ARN in the partition of destinations[{at}] ({other})",
                    arn,
                )
            partitions.setdefault(partition, index)
        if self.notification is not None and self.notification.include_inference_response_in:
            yield Problem(
                "notification.include_inference_response_in",
                "no topic kinds (a router's notifications carry the result's location only)",
                self.notification.include_inference_response_in,
            )

    @property
    def backlog_seconds(self) -> int:
        """MaxTimeInBacklogSeconds as the router applies it (900 when unset)."""
        if self.max_time_in_backlog_seconds is None:
            return DEFAULT_MAX_TIME_IN_BACKLOG_SECONDS
        return self.max_time_in_backlog_seconds

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> Self:
        """Build from one of ``RoutingTargets`` of a DescribeInferenceRouter answer."""
        return read(cls, response)


@attrs.frozen(kw_only=True)
class InferenceRouter:
    """An inference router: a Regional name to invoke instead of an endpoint.

    Example:
        >>> router = InferenceRouter(
        ...     name="churn",
        ...     targets=[
        ...         RoutingTarget(
        ...             name="churn-model",
        ...             destinations=["arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn"],
        ...             output_path="s3://results/churn",
        ...             failure_path="s3://results/churn-failures",
        ...         )
        ...     ],
        ... )
    """

    name: str = attrs.field(metadata=v.rules(*c.NAME))
    targets: tuple[RoutingTarget, ...] = attrs.field(
        converter=_targets,
        metadata=v.rules(
            v.is_type(tuple, expected="a tuple of RoutingTarget"),
            v.count(1, 20, "routing targets"),
            v.each(v.is_type(RoutingTarget, expected="a RoutingTarget")),
        ),
    )
    tags: Mapping[str, str] = attrs.field(
        factory=_empty_map,
        converter=_str_map,
        metadata=v.rules(
            v.is_type(Mapping, expected="a mapping of tag keys to values"),
            v.count(0, 50, "tags"),
            v.each_key(*c.TAG_KEY),
            v.each(*c.TAG_VALUE),
        ),
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterator[Problem]:
        first: dict[str, int] = {}
        for index, target in enumerate(self.targets):
            if target.name in first:
                yield Problem(
                    f"targets[{index}].name",
                    f"a name distinct from targets[{first[target.name]}].name",
                    target.name,
                )
            else:
                first[target.name] = index

    def target(self, name: str) -> RoutingTarget | None:
        """The routing target called *name*, if there is one."""
        return next((target for target in self.targets if target.name == name), None)

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> Self:
        """Build from a ``CreateInferenceRouter`` request or a DescribeInferenceRouter answer."""
        return read(cls, response)


def _status_map(value: Mapping[str, RoutingStatus]) -> Mapping[str, RoutingStatus]:
    anything = cast(object, value)  # anything but a mapping is left for validation to report
    if isinstance(anything, Mapping) and not isinstance(anything, FrozenMap):
        return FrozenMap(value)
    return value


def _no_status() -> Mapping[str, RoutingStatus]:
    return FrozenMap()


@attrs.frozen(kw_only=True)
class InferenceRouterDescription:
    """A router as SageMaker describes it; built by :meth:`from_response`.

    ``destination_status`` maps each destination ARN to its
    :class:`RoutingStatus` as SageMaker checked it when describing.
    """

    name: str = attrs.field(metadata=v.typed(str, expected="a string"))
    arn: str = attrs.field(metadata=v.typed(str, expected="a string"))
    status: InferenceRouterStatus = attrs.field(
        metadata=v.typed(InferenceRouterStatus, expected="an InferenceRouterStatus")
    )
    status_reason: str | None = attrs.field(
        default=None, metadata=v.typed(str, expected="a string", optional=True)
    )
    targets: tuple[RoutingTarget, ...] = attrs.field(
        default=(), metadata=v.typed_items(RoutingTarget, "RoutingTarget")
    )
    destination_status: Mapping[str, RoutingStatus] = attrs.field(
        factory=_no_status,
        converter=_status_map,
        metadata=v.rules(
            v.is_type(Mapping, expected="a mapping of endpoint ARNs to RoutingStatus"),
            v.each_key(c.TEXT),
            v.each(v.is_type(RoutingStatus, expected="a RoutingStatus")),
        ),
    )
    creation_time: datetime | None = attrs.field(
        default=None, metadata=v.typed(datetime, expected="a datetime", optional=True)
    )
    last_modified_time: datetime | None = attrs.field(
        default=None, metadata=v.typed(datetime, expected="a datetime", optional=True)
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self)

    def target(self, name: str) -> RoutingTarget | None:
        """The routing target called *name*, if there is one."""
        return next((target for target in self.targets if target.name == name), None)

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> Self:
        """Build from a ``DescribeInferenceRouter`` answer; keys AWS adds later are ignored."""
        return read(cls, response)
