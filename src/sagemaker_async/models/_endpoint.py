"""Immutable values that describe a model and an asynchronous endpoint.

Every model is validated when it is built, before any AWS call: a bad value
raises one :class:`~sagemaker_async.errors.ValidationError` listing every
problem. Use :func:`attrs.evolve` to make a changed copy (it validates too).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Self, cast

import attrs

from sagemaker_async.errors import Problem

from . import constraints as c
from . import validation as v
from ._frozenmap import FrozenMap
from ._reading import read

NotificationTopic = Literal["SUCCESS_NOTIFICATION_TOPIC", "ERROR_NOTIFICATION_TOPIC"]
"""Which notification topics carry the inference response in their message."""

_TOPICS: tuple[NotificationTopic, ...] = ("SUCCESS_NOTIFICATION_TOPIC", "ERROR_NOTIFICATION_TOPIC")


def _str_map(value: Mapping[str, str]) -> Mapping[str, str]:
    # Anything but a mapping is left as it is, for validation to report:
    # callers without a type checker pass anything.
    anything = cast(object, value)
    if isinstance(anything, Mapping) and not isinstance(anything, FrozenMap):
        return FrozenMap(value)
    return value


def _empty_map() -> Mapping[str, str]:
    return FrozenMap()


def _topics(value: Sequence[NotificationTopic]) -> tuple[NotificationTopic, ...]:
    return tuple(value) if isinstance(value, list) else value  # type: ignore[return-value]


def _variants(value: Sequence[ProductionVariant]) -> tuple[ProductionVariant, ...]:
    return tuple(value) if isinstance(value, list) else value  # type: ignore[return-value]


def _float(value: float) -> float:
    # 1 and 1.0 are the same weight; AWS answers with a float. An integer too large
    # for a float is left as it is, for validation to report.
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return value
    return value


_TAGS = v.rules(
    v.is_type(Mapping, expected="a mapping of tag keys to values"),
    v.count(0, 50, "tags"),
    v.each_key(*c.TAG_KEY),
    v.each(*c.TAG_VALUE),
)


@attrs.frozen(kw_only=True)
class Container:
    """The inference container: its image, model artifact and environment.

    Args:
        image: The image URI, usually in ECR
            (``123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag``).
        model_data_url: The ``s3://`` URL of the model artifact (``model.tar.gz``).
        environment: Environment variables for the container (up to 100).
    """

    image: str = attrs.field(metadata=v.rules(*c.IMAGE))
    model_data_url: str | None = attrs.field(
        default=None, metadata=v.rules(*c.MODEL_DATA_URL, optional=True)
    )
    environment: Mapping[str, str] = attrs.field(
        factory=_empty_map,
        converter=_str_map,
        metadata=v.rules(
            v.is_type(Mapping, expected="a mapping of variable names to values"),
            v.count(0, 100, "variables"),
            v.each_key(*c.ENV_KEY),
            v.each(*c.ENV_VALUE),
        ),
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self)


@attrs.frozen(kw_only=True)
class Model:
    """A SageMaker model: a container and the role SageMaker runs it with.

    Example:
        >>> model = Model(
        ...     name="churn",
        ...     execution_role_arn="arn:aws:iam::123456789012:role/SageMakerRole",
        ...     container=Container(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"),
        ... )
    """

    name: str = attrs.field(metadata=v.rules(*c.NAME))
    execution_role_arn: str = attrs.field(metadata=v.rules(*c.ROLE_ARN))
    container: Container = attrs.field(
        metadata=v.rules(v.is_type(Container, expected="a Container"))
    )
    tags: Mapping[str, str] = attrs.field(factory=_empty_map, converter=_str_map, metadata=_TAGS)

    def __attrs_post_init__(self) -> None:
        v.validate(self)

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> Self:
        """Build from a ``DescribeModel`` answer (or a ``CreateModel`` request)."""
        return read(cls, response)


@attrs.frozen(kw_only=True)
class ServerlessConfig:
    """Capacity of a serverless variant.

    Args:
        memory_size_in_mb: 1024 to 6144, in steps of 1024.
        max_concurrency: Concurrent invocations, 1 to 200.
        provisioned_concurrency: Warm capacity, 1 to 200 and at most ``max_concurrency``.
    """

    memory_size_in_mb: int = attrs.field(metadata=v.rules(c.INT, v.between(1024, 6144, step=1024)))
    max_concurrency: int = attrs.field(metadata=v.rules(c.INT, v.between(1, 200)))
    provisioned_concurrency: int | None = attrs.field(
        default=None, metadata=v.rules(c.INT, v.between(1, 200), optional=True)
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterator[Problem]:
        provisioned = self.provisioned_concurrency
        if provisioned is not None and provisioned > self.max_concurrency:
            yield Problem(
                "provisioned_concurrency",
                f"at most max_concurrency ({self.max_concurrency})",
                provisioned,
            )


@attrs.frozen(kw_only=True)
class ProductionVariant:
    """One variant of an endpoint: which model, on which capacity.

    Give either ``instance_type`` (with ``initial_instance_count``) or
    ``serverless``, not both.
    """

    model_name: str = attrs.field(metadata=v.rules(*c.NAME))
    variant_name: str = attrs.field(default="AllTraffic", metadata=v.rules(*c.NAME))
    instance_type: str | None = attrs.field(
        default=None, metadata=v.rules(*c.INSTANCE_TYPE, optional=True)
    )
    initial_instance_count: int = attrs.field(
        default=1, metadata=v.rules(c.INT, v.between(1, c.INT32_MAX))
    )
    initial_variant_weight: float = attrs.field(
        default=1.0,
        converter=_float,
        metadata=v.rules(c.NUMBER, c.FINITE, v.between(0, c.FLOAT32_MAX)),
    )
    serverless: ServerlessConfig | None = attrs.field(
        default=None,
        metadata=v.rules(v.is_type(ServerlessConfig, expected="a ServerlessConfig"), optional=True),
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterator[Problem]:
        if self.instance_type is None and self.serverless is None:
            yield Problem("instance_type", "an instance type, or a serverless config instead", None)
        elif self.instance_type is not None and self.serverless is not None:
            yield Problem(
                "serverless",
                "no serverless config on a variant with an instance type (give one of the two)",
                self.serverless,
            )
        if (
            self.serverless is not None
            and self.instance_type is None
            and self.initial_instance_count != 1
        ):
            # AWS takes no instance count for a serverless variant: it would be dropped.
            yield Problem(
                "initial_instance_count",
                "the default 1 on a serverless variant (it has no instances to count)",
                self.initial_instance_count,
            )


@attrs.frozen(kw_only=True)
class NotificationConfig:
    """SNS topics told of each inference's success or error.

    Args:
        success_topic: The ARN of the topic for completed inferences.
        error_topic: The ARN of the topic for failed inferences.
        include_inference_response_in: Topics whose messages carry the response.
    """

    success_topic: str | None = attrs.field(
        default=None, metadata=v.rules(*c.SNS_TOPIC_ARN, optional=True)
    )
    error_topic: str | None = attrs.field(
        default=None, metadata=v.rules(*c.SNS_TOPIC_ARN, optional=True)
    )
    include_inference_response_in: tuple[NotificationTopic, ...] = attrs.field(
        default=(),
        converter=_topics,
        metadata=v.rules(
            v.is_type(tuple, expected="a tuple of topic kinds"),
            v.count(0, 2, "topic kinds"),
            v.each(v.one_of(_TOPICS, f"one of {', '.join(_TOPICS)}")),
        ),
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterator[Problem]:
        configured = {
            "SUCCESS_NOTIFICATION_TOPIC": self.success_topic,
            "ERROR_NOTIFICATION_TOPIC": self.error_topic,
        }
        seen: set[str] = set()
        for index, kind in enumerate(self.include_inference_response_in):
            where = f"include_inference_response_in[{index}]"
            if kind in seen:
                yield Problem(where, "each topic kind at most once", kind)
            seen.add(kind)
            if kind in configured and configured[kind] is None:
                field = "success_topic" if kind == "SUCCESS_NOTIFICATION_TOPIC" else "error_topic"
                yield Problem(where, f"a topic kind that is configured ({field} is not set)", kind)


@attrs.frozen(kw_only=True)
class AsyncInferenceConfig:
    """Where results and failures land, who is told, and how much runs at once.

    Args:
        output_path: ``s3://bucket/prefix`` for results (``{inference_id}.out``).
        failure_path: ``s3://bucket/prefix`` for failures (``{inference_id}-error.out``).
        notification: SNS topics told of successes and errors.
        kms_key_id: KMS key that encrypts the results in S3.
        max_concurrent_invocations_per_instance: 1 to 1000; SageMaker picks when unset.
    """

    output_path: str = attrs.field(metadata=v.rules(*c.DESTINATION_S3_URI))
    failure_path: str | None = attrs.field(
        default=None, metadata=v.rules(*c.DESTINATION_S3_URI, optional=True)
    )
    notification: NotificationConfig | None = attrs.field(
        default=None,
        metadata=v.rules(
            v.is_type(NotificationConfig, expected="a NotificationConfig"), optional=True
        ),
    )
    kms_key_id: str | None = attrs.field(
        default=None, metadata=v.rules(*c.KMS_KEY_ID, optional=True)
    )
    max_concurrent_invocations_per_instance: int | None = attrs.field(
        default=None, metadata=v.rules(c.INT, v.between(1, 1000), optional=True)
    )

    def __attrs_post_init__(self) -> None:
        v.validate(self)


@attrs.frozen(kw_only=True)
class EndpointConfig:
    """An endpoint configuration for asynchronous inference.

    Example:
        >>> config = EndpointConfig(
        ...     name="churn-v1",
        ...     variants=[ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
        ...     async_inference=AsyncInferenceConfig(output_path="s3://results/churn"),
        ... )
    """

    name: str = attrs.field(metadata=v.rules(*c.NAME))
    variants: tuple[ProductionVariant, ...] = attrs.field(
        converter=_variants,
        metadata=v.rules(
            v.is_type(tuple, expected="a tuple of ProductionVariant"),
            v.count(1, 10, "variants"),
            v.each(v.is_type(ProductionVariant, expected="a ProductionVariant")),
        ),
    )
    async_inference: AsyncInferenceConfig = attrs.field(
        metadata=v.rules(v.is_type(AsyncInferenceConfig, expected="an AsyncInferenceConfig"))
    )
    kms_key_id: str | None = attrs.field(
        default=None, metadata=v.rules(*c.KMS_KEY_ID, optional=True)
    )
    tags: Mapping[str, str] = attrs.field(factory=_empty_map, converter=_str_map, metadata=_TAGS)

    def __attrs_post_init__(self) -> None:
        v.validate(self, self._cross_problems)

    def _cross_problems(self) -> Iterator[Problem]:
        first_index: dict[str, int] = {}
        for index, variant in enumerate(self.variants):
            # SageMaker compares variant names without regard to case.
            key = variant.variant_name.lower()
            if key in first_index:
                yield Problem(
                    f"variants[{index}].variant_name",
                    f"a name distinct from variants[{first_index[key]}].variant_name",
                    variant.variant_name,
                )
            else:
                first_index[key] = index

    @property
    def model_names(self) -> tuple[str, ...]:
        """The distinct model names of the variants, in order."""
        return tuple(dict.fromkeys(variant.model_name for variant in self.variants))

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> Self:
        """Build from a ``DescribeEndpointConfig`` answer or a ``CreateEndpointConfig`` request."""
        return read(cls, response)


class EndpointStatus(enum.StrEnum):
    """Every status a SageMaker endpoint can have."""

    OUT_OF_SERVICE = "OutOfService"
    CREATING = "Creating"
    UPDATING = "Updating"
    SYSTEM_UPDATING = "SystemUpdating"
    ROLLING_BACK = "RollingBack"
    IN_SERVICE = "InService"
    DELETING = "Deleting"
    FAILED = "Failed"
    UPDATE_ROLLBACK_FAILED = "UpdateRollbackFailed"

    @classmethod
    def _missing_(cls, value: object) -> EndpointStatus | None:
        # A status SageMaker adds later must not break describing the endpoint:
        # it becomes a pseudo-member, which waiters treat as still changing.
        if not isinstance(value, str) or not value:
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


_TEXT = v.typed(str, expected="a string")
_OPTIONAL_TEXT = v.typed(str, expected="a string", optional=True)
_OPTIONAL_INT = v.typed(int, expected="an integer", optional=True)
_OPTIONAL_NUMBER = v.typed(int, float, expected="a number", optional=True)
_OPTIONAL_TIME = v.typed(datetime, expected="a datetime", optional=True)


@attrs.frozen(kw_only=True)
class VariantSummary:
    """A deployed variant as ``DescribeEndpoint`` reports it."""

    variant_name: str = attrs.field(metadata=_TEXT)
    current_instance_count: int | None = attrs.field(default=None, metadata=_OPTIONAL_INT)
    desired_instance_count: int | None = attrs.field(default=None, metadata=_OPTIONAL_INT)
    current_weight: float | None = attrs.field(default=None, metadata=_OPTIONAL_NUMBER)
    desired_weight: float | None = attrs.field(default=None, metadata=_OPTIONAL_NUMBER)

    def __attrs_post_init__(self) -> None:
        v.validate(self)


@attrs.frozen(kw_only=True)
class EndpointDescription:
    """An endpoint as SageMaker describes it; built by :meth:`from_response`."""

    name: str = attrs.field(metadata=_TEXT)
    arn: str = attrs.field(metadata=_TEXT)
    status: EndpointStatus = attrs.field(
        metadata=v.typed(EndpointStatus, expected="an EndpointStatus")
    )
    config_name: str | None = attrs.field(default=None, metadata=_OPTIONAL_TEXT)
    failure_reason: str | None = attrs.field(default=None, metadata=_OPTIONAL_TEXT)
    variants: tuple[VariantSummary, ...] = attrs.field(
        default=(), metadata=v.typed_items(VariantSummary, "VariantSummary")
    )
    async_inference: AsyncInferenceConfig | None = attrs.field(
        default=None,
        metadata=v.typed(AsyncInferenceConfig, expected="an AsyncInferenceConfig", optional=True),
    )
    creation_time: datetime | None = attrs.field(default=None, metadata=_OPTIONAL_TIME)
    last_modified_time: datetime | None = attrs.field(default=None, metadata=_OPTIONAL_TIME)

    def __attrs_post_init__(self) -> None:
        v.validate(self)

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> Self:
        """Build from a ``DescribeEndpoint`` answer; keys AWS adds later are ignored."""
        return read(cls, response)
