"""Checking a public method's arguments before its body runs, so before any AWS call.

A parameter means the same thing in every method that has it (``endpoint_name``
is always a SageMaker name, ``timeout`` always seconds to wait), so its rules
are looked up by name in :data:`ARGUMENTS`; a method adds or overrides rules
for its own parameters. A parameter without rules is a mistake found when the
class is defined, not when a user passes it something odd.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, ParamSpec, TypeVar, cast

import attrs

from sagemaker_async.errors import Problem, ValidationError

from . import constraints as c
from . import validation as v
from ._arguments import SECONDS
from ._endpoint import EndpointConfig, Model
from ._router import InferenceRouter
from ._scaling import ScalingPolicy

P = ParamSpec("P")
R = TypeVar("R")

MAX_MINUTES: Final = 63 * 24 * 60
"""CloudWatch keeps one-minute datapoints for 15 days; GetMetricData reads up to 63 days."""


@attrs.frozen
class Arg:
    """The rules of one argument, checked in order; *optional* lets None through.

    *convert* turns the value into what the rules check and the method receives
    (a one-shot iterable into a tuple, say); it raises TypeError for what it cannot take.
    """

    rules: tuple[v.Rule, ...]
    optional: bool = False
    convert: Callable[[Any], Any] | None = attrs.field(default=None, eq=False)

    @property
    def or_none(self) -> Arg:
        """The same rules, with None allowed."""
        return attrs.evolve(self, optional=True)


LATER: Final = Arg(())
"""Checked by the method itself (before any call), with every other problem of the request."""


def instance_of(kind: type, expected: str) -> Arg:
    """An instance of *kind*."""
    return Arg((v.is_type(kind, expected=expected),))


def _tuple_of_names(value: object) -> tuple[object, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise TypeError(value)
    return tuple(cast("Iterable[object]", value))


def _every_name(names: tuple[object, ...]) -> bool:
    return all(v.first_broken(c.NAME, name) is None for name in names)


CALLABLE: Final = v.Rule("a callable", callable)
NAME: Final = Arg(c.NAME)
FLAG: Final = instance_of(bool, "True or False")
TIMEOUT: Final = Arg(SECONDS)
CALLBACK: Final = Arg((CALLABLE,))
NAMES: Final = Arg(
    (
        v.is_type(tuple, expected="an iterable of names (not one name)"),
        v.Rule(
            "SageMaker names only (letters, digits and hyphens, 1 to 63)",
            lambda names: all(isinstance(name, str) for name in names) and _every_name(names),
        ),
    ),
    convert=_tuple_of_names,
)
S3_URI: Final = Arg(c.S3_URI)
S3_OBJECT: Final = Arg((*c.S3_URI, c.OBJECT_KEY))

ARGUMENTS: Final[Mapping[str, Arg]] = {
    **dict.fromkeys(
        ("endpoint_name", "config_name", "variant_name", "name", "router_name", "target_name"),
        NAME,
    ),
    **dict.fromkeys(("wait", "force"), FLAG),
    "timeout": TIMEOUT,
    "on_progress": CALLBACK.or_none,
    "model": instance_of(Model, "a Model"),
    "config": instance_of(EndpointConfig, "an EndpointConfig"),
    "router": instance_of(InferenceRouter, "an InferenceRouter"),
    "policy": instance_of(ScalingPolicy, "a ScalingPolicy"),
    "scaling": instance_of(ScalingPolicy, "a ScalingPolicy").or_none,
    "minutes": Arg(
        (
            v.Rule(
                f"a whole number of minutes from 1 to {MAX_MINUTES}",
                lambda minutes: c.INT.ok(minutes) and 1 <= minutes <= MAX_MINUTES,
            ),
        )
    ),
    "config_names": NAMES,
    # invoke_async's request is checked as one value, problems across arguments included.
    **dict.fromkeys(
        (
            "body",
            "bodies",
            "concurrency",
            "input_location",
            "content_type",
            "accept",
            "inference_id",
            "custom_attributes",
            "request_ttl_seconds",
            "invocation_timeout_seconds",
            "output_path_extension",
            "filename",
            "inline",
        ),
        LATER,
    ),
}
"""The rules of every parameter of the client's public methods, by name."""


def _problem(name: str, arg: Arg, value: object) -> tuple[Problem | None, object]:
    if value is None and arg.optional:
        return None, value
    if arg.convert is not None:
        try:
            value = arg.convert(value)
        except (TypeError, ValueError):
            return Problem(name, arg.rules[0].expected, value), value
    broken = v.first_broken(arg.rules, value)
    return (None if broken is None else Problem(name, broken.expected, value)), value


def checked(**overrides: Arg) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Check every argument by its rules first; raise one ValidationError naming each bad one.

    Raises:
        TypeError: At definition, when a parameter has no rules.
    """

    def decorate(method: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(method)
        specs: dict[str, Arg] = {}
        for name, parameter in signature.parameters.items():
            if name == "self" or parameter.kind is inspect.Parameter.VAR_KEYWORD:
                continue
            arg = overrides.get(name, ARGUMENTS.get(name))
            if arg is None:
                raise TypeError(f"{method.__qualname__}: no rules for the parameter {name!r}")
            specs[name] = arg
        subject = "AsyncInferenceClient" if method.__name__ == "__init__" else method.__name__

        @functools.wraps(method)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = signature.bind(*args, **kwargs)
            problems: list[Problem] = []
            for name, arg in specs.items():
                if name not in bound.arguments:
                    continue  # the default, which follows the rules
                problem, value = _problem(name, arg, bound.arguments[name])
                if problem is not None:
                    problems.append(problem)
                bound.arguments[name] = value
            if problems:
                raise ValidationError(subject, problems)
            return method(*bound.args, **bound.kwargs)

        wrapper.__checked__ = tuple(specs)  # type: ignore[attr-defined]
        return wrapper

    return decorate


def is_s3_object(value: object) -> bool:
    """Whether *value* is an ``s3://bucket/key`` URI naming an object."""
    return _problem("", S3_OBJECT, value)[0] is None
