"""The arguments the IAM policy generators share, checked and resolved.

Each check records its problems in a :class:`Problems`, so a generator
reports every bad argument in one :class:`ValidationError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal

from sagemaker_async.errors import Problem
from sagemaker_async.models import EndpointConfig, Model, default_input_path

from ._resources import (
    KmsKey,
    Problems,
    S3Location,
    Target,
    check_account,
    kms_key,
    partition_of,
    s3_location,
)

Step = Literal["deploy", "update", "invoke", "await", "teardown"]
"""A step of the endpoint's lifecycle the caller runs through the client."""

STEPS: Final[tuple[Step, ...]] = ("deploy", "update", "invoke", "await", "teardown")

# Stand-ins for values that failed their checks; never in a policy, since the
# generator raises before it builds one.
NO_LOCATION: Final = S3Location("", "")
NO_KEY: Final = KmsKey("")


def resolve_target(problems: Problems, account: str, region: str) -> Target:
    """The partition, region and account of the endpoint."""
    checked = problems.check(lambda: check_account(account), "")
    partition = problems.check(lambda: partition_of(region), "")
    return Target(partition, region, checked)


def check_models(problems: Problems, model: object, config: object) -> None:
    """A Model, an EndpointConfig, and a variant of the config that serves the model."""
    if not isinstance(model, Model):
        problems.add(Problem("model", "a Model", model))
    if not isinstance(config, EndpointConfig):
        problems.add(Problem("config", "an EndpointConfig", config))
    if (
        isinstance(model, Model)
        and isinstance(config, EndpointConfig)
        and model.name not in config.model_names
    ):
        problems.add(
            Problem(
                "config.variants",
                f"a variant whose model_name is {model.name!r} (the model given)",
                config.model_names,
            )
        )


def check_role_partition(problems: Problems, target: Target, model: Model) -> None:
    """The execution role lives in the partition of the region."""
    partition = model.execution_role_arn.split(":", 2)[1]
    if target.partition and partition != target.partition:
        problems.add(
            Problem(
                "model.execution_role_arn",
                f"a role ARN in partition {target.partition!r} (the partition of {target.region})",
                model.execution_role_arn,
            )
        )


def check_steps(problems: Problems, steps: Iterable[Step]) -> frozenset[Step]:
    """The steps chosen: at least one, each a known step (one string is one step)."""
    expected = f"one of {', '.join(STEPS)}"
    given: tuple[object, ...]
    if isinstance(steps, str):
        given = (steps,)
    elif isinstance(steps, Iterable):  # pyright: ignore[reportUnnecessaryIsInstance]
        given = tuple(steps)
    else:
        problems.add(Problem("steps", f"a sequence of steps, each {expected}", steps))
        return frozenset()
    chosen: frozenset[Step] = frozenset(step for step in STEPS if step in given)
    for index, step in enumerate(given):
        if step not in STEPS:
            problems.add(Problem(f"steps[{index}]", expected, step))
    if not given:
        problems.add(Problem("steps", f"at least {expected}", steps))
    return chosen


def input_location(
    config: EndpointConfig, endpoint_name: str | None, input_path: str | None
) -> S3Location:
    """Where payloads are uploaded: *input_path*, or the default prefix of the endpoint."""
    if input_path is None:
        output_path = config.async_inference.output_path
        return s3_location(default_input_path(output_path, endpoint_name), "input_path")
    return s3_location(input_path, "input_path")


def resolve_output_key(problems: Problems, target: Target, config: EndpointConfig) -> KmsKey | None:
    """The key that encrypts results in S3, if the config names one."""
    key_id = config.async_inference.kms_key_id
    if key_id is None:
        return None
    return problems.check(
        lambda: kms_key(target, key_id, "config.async_inference.kms_key_id"), NO_KEY
    )
