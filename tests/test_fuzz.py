"""Arbitrary arguments to every public constructor and client method, against the simulator.

Property: a call returns, or raises one of this library's errors (never a bare
TypeError, ValueError, KeyError, botocore exception...); and when it raises
ValidationError, no request reached AWS. Methods and parameters are found by
introspection, so one added later without a strategy here fails
``test_every_parameter_has_a_strategy``.
"""

from __future__ import annotations

import collections
import decimal
import inspect
import io
import typing
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sagemaker_async as sa
from sagemaker_async.testing import FakeClock, SageMakerSimulator, simulated_sagemaker

EXAMPLES = 150
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"
ENDPOINT_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn"
TOPIC = "arn:aws:sns:us-east-1:123456789012:churn-ok"
SERVICES = (
    "sagemaker",
    "sagemaker-runtime",
    "s3",
    "application-autoscaling",
    "cloudwatch",
    "sagemaker-inference-router-runtime",
)
CASES: collections.Counter[str] = collections.Counter()
STATE_FIELDS = frozenset({"endpoint_name", "variant_name", "router_name", "target_name"})
"""The arguments naming a resource whose state may refuse a call after it is read."""

# -- values: anything, and nearly right ------------------------------------------------

junk = st.one_of(
    st.none(),
    st.integers(),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.binary(max_size=20),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.tuples(st.text(max_size=3)),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    st.builds(object),
)
ascii_text = st.text(st.characters(max_codepoint=0x7F), max_size=70)
odd_text = st.text(
    st.one_of(
        st.characters(max_codepoint=0x7F),
        st.sampled_from("é日\u2028\x85\u00a0\ufeff"),
    ),
    max_size=70,
)
names = st.one_of(
    st.from_regex(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,20}", fullmatch=True),
    st.sampled_from(["churn", "a" * 63, "a" * 64, "-a", "a-", "", "churn v1", "churn_1", "é"]),
    st.text(st.sampled_from("aZ09-_ ./é\n"), max_size=70),
    junk,
)
buckets = st.one_of(
    st.sampled_from(
        [
            "results-bucket",
            "abc",
            "ab",
            "a" * 63,
            "a" * 64,
            "Results",
            "results_bucket",
            "results..bucket",
            "-results",
            "results-",
            "192.168.5.4",
            "xn--results",
            "results-s3alias",
            "results--x-s3",
            "",
        ]
    ),
    st.text(st.sampled_from("az09.-_A"), max_size=66),
)
keys = st.one_of(odd_text, st.text(max_size=40), st.sampled_from(["a b.json", "a+b%20#?.json"]))
s3_uris = st.one_of(
    st.builds(lambda bucket, key: f"s3://{bucket}/{key}", buckets, keys),
    st.builds(lambda bucket: f"s3://{bucket}", buckets),
    st.sampled_from(["s3:/results-bucket/k", "https://results-bucket/k", "s3://", "/tmp/k"]),
    junk,
)
numbers = st.one_of(
    st.integers(-5, 4000),
    st.floats(-1, 1e6, allow_nan=False),
    st.sampled_from([0, 1, 60, 3600, 21600, 21601, 2**31 - 1, 2**31, 10**400]),
    junk,
)
flags = st.one_of(st.booleans(), junk)
callables = st.one_of(st.just(lambda *_: None), junk)
headers = st.one_of(ascii_text, odd_text, junk)
bodies = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=40),
    st.builds(io.BytesIO, st.binary(max_size=40)),
    s3_uris,
    junk,
)


def _valid_policy() -> sa.ScalingPolicy:
    return sa.ScalingPolicy(max_instances=2)


def _valid_model() -> sa.Model:
    return sa.Model(name="churn", execution_role_arn=ROLE, container=sa.Container(image=IMAGE))


def _valid_config() -> sa.EndpointConfig:
    return sa.EndpointConfig(
        name="churn-v1",
        variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
        async_inference=sa.AsyncInferenceConfig(output_path="s3://results-bucket/churn"),
    )


def _valid_router() -> sa.InferenceRouter:
    return sa.InferenceRouter(
        name="churn",
        targets=[
            sa.RoutingTarget(
                name="churn-model",
                destinations=[ENDPOINT_ARN],
                output_path="s3://results-bucket/routed",
                failure_path="s3://results-bucket/routed-failures",
            )
        ],
    )


PARAMETERS: dict[str, st.SearchStrategy[Any]] = {
    **dict.fromkeys(
        ("endpoint_name", "config_name", "variant_name", "name", "router_name", "target_name"),
        names,
    ),
    **dict.fromkeys(("wait", "force", "inline"), flags),
    **dict.fromkeys(
        ("timeout", "minutes", "concurrency", "request_ttl_seconds", "invocation_timeout_seconds"),
        numbers,
    ),
    "on_progress": callables,
    "model": st.one_of(st.builds(_valid_model), junk),
    "config": st.one_of(st.builds(_valid_config), junk),
    "router": st.one_of(st.builds(_valid_router), junk),
    **dict.fromkeys(("policy", "scaling"), st.one_of(st.builds(_valid_policy), junk)),
    "config_names": st.one_of(st.lists(names, max_size=3), st.iterables(names, max_size=3), junk),
    "body": bodies,
    "bodies": st.one_of(st.lists(bodies, max_size=3), junk),
    **dict.fromkeys(("input_location", "output_location", "failure_location"), s3_uris),
    **dict.fromkeys(("content_type", "accept", "custom_attributes"), headers),
    "inference_id": st.one_of(ascii_text, odd_text, junk),
    "output_path_extension": st.one_of(ascii_text, junk),
    "filename": st.one_of(ascii_text, junk),
}
"""A strategy for every parameter of the client's public methods, by name."""

CONSTRUCTOR: dict[str, st.SearchStrategy[Any]] = {
    "session": junk,
    **dict.fromkeys(
        (
            "sagemaker_client",
            "runtime_client",
            "s3_client",
            "autoscaling_client",
            "cloudwatch_client",
            "router_runtime_client",
        ),
        junk,
    ),
    "input_path": s3_uris,
    "inference_id_prefix": st.one_of(ascii_text, odd_text, junk),
    "backoff": st.one_of(st.builds(sa.Backoff), junk),
    "clock": callables,
    "sleep": callables,
    "now": callables,
}


def public_methods() -> dict[str, Callable[..., Any]]:
    """Every public method of the client, found by introspection."""
    found = {}
    for name, member in inspect.getmembers(sa.AsyncInferenceClient):
        static = inspect.getattr_static(sa.AsyncInferenceClient, name)
        if name.startswith("_") or isinstance(static, property) or not callable(member):
            continue
        found[name] = member
    return found


def parameters(method: Callable[..., Any]) -> list[inspect.Parameter]:
    return [
        parameter
        for parameter in inspect.signature(method).parameters.values()
        if parameter.name != "self" and parameter.kind is not inspect.Parameter.VAR_KEYWORD
    ]


METHODS = public_methods()


def test_every_parameter_has_a_strategy() -> None:
    missing = [
        f"{name}({parameter.name})"
        for name, method in METHODS.items()
        for parameter in parameters(method)
        if parameter.name not in PARAMETERS
    ]
    missing += [
        f"__init__({parameter.name})"
        for parameter in parameters(sa.AsyncInferenceClient.__init__)
        if parameter.name not in CONSTRUCTOR
    ]

    assert missing == []


def test_every_public_method_checks_its_arguments_first() -> None:
    unchecked = [
        name
        for name, method in {**METHODS, "__init__": sa.AsyncInferenceClient.__init__}.items()
        if not hasattr(method, "__checked__")
    ]

    assert unchecked == []


# -- the simulator, shared by a module's examples ---------------------------------------


class Requests:
    """Counts the requests the client's boto3 clients send."""

    def __init__(self, client: sa.AsyncInferenceClient) -> None:
        self.count = 0
        for service in SERVICES:
            client.services.client(service).meta.events.register("before-call", self._one)

    def _one(self, **_: Any) -> None:
        self.count += 1


@pytest.fixture(scope="module")
def simulator() -> Iterator[SageMakerSimulator]:
    # Simulated seconds: a waiter or a retry costs no real time.
    with simulated_sagemaker(transport="inprocess", clock=FakeClock()) as sim:
        sim.client("s3").create_bucket(Bucket="results-bucket")
        yield sim


@pytest.fixture(scope="module")
def fuzzed(simulator: SageMakerSimulator) -> tuple[sa.AsyncInferenceClient, Requests]:
    client = simulator.async_client(backoff=sa.Backoff(2.0, 30.0))
    return client, Requests(client)


def arguments(method: Callable[..., Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Each parameter either left out (when it has a default) or drawn from its strategy."""
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for parameter in parameters(method):
        strategy = PARAMETERS[parameter.name]
        if parameter.default is not inspect.Parameter.empty:
            strategy = st.one_of(st.just(inspect.Parameter.empty), strategy)
        parts[parameter.name] = strategy
    return st.fixed_dictionaries(parts).map(
        lambda drawn: {k: v for k, v in drawn.items() if v is not inspect.Parameter.empty}
    )


def settle(outcome: object) -> None:
    """Consume what a call returned that would act later (a generator, say)."""
    if inspect.isgenerator(outcome):
        list(outcome)


def check_call(call: Callable[[], object], requests: Requests | None = None) -> str:
    """Run *call*: "returned", "refused", or the library error's name; anything else raises.

    A refusal that came after a request is "refused for its state" when it is about the
    resource named (read first), and "refused after a request" otherwise.
    """
    before = requests.count if requests is not None else 0
    try:
        settle(call())
    except sa.ValidationError as error:
        str(error)  # never raises, however odd the value
        sent = requests.count - before if requests is not None else 0
        if sent == 0:
            return "refused"
        # What only the resource's state can tell (the endpoint is not InService, not
        # asynchronous, has no such variant or routing target) is refused once it is read,
        # as docs/bad-input.md says; an argument's own problem never is.
        state = set(error.fields) <= STATE_FIELDS
        return "refused for its state" if state else "refused after a request"
    except sa.SageMakerAsyncError as error:
        str(error)
        return type(error).__name__
    return "returned"


@pytest.mark.parametrize("method_name", sorted(METHODS))
def test_a_method_raises_only_library_errors(
    method_name: str, fuzzed: tuple[sa.AsyncInferenceClient, Requests]
) -> None:
    client, requests = fuzzed
    method = METHODS[method_name]

    @FUZZ
    @given(arguments(method))
    def run(kwargs: dict[str, Any]) -> None:
        outcome = check_call(lambda: getattr(client, method_name)(**kwargs), requests)
        CASES[f"{method_name}:{outcome}"] += 1
        assert outcome != "refused after a request"

    run()


@FUZZ
@given(st.fixed_dictionaries({}, optional=CONSTRUCTOR))
def test_the_constructor_raises_only_library_errors(kwargs: dict[str, Any]) -> None:
    outcome = check_call(lambda: sa.AsyncInferenceClient(**kwargs))
    CASES[f"AsyncInferenceClient:{outcome}"] += 1


# -- model constructors ------------------------------------------------------------------

GOOD_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "image": st.just(IMAGE),
    "execution_role_arn": st.just(ROLE),
    "container": st.builds(sa.Container, image=st.just(IMAGE)),
    "model_name": names,
    "instance_type": st.sampled_from(["ml.m5.large", "ml.m5.larger", "m5.large"]),
    "output_path": s3_uris,
    "failure_path": s3_uris,
    "model_data_url": s3_uris,
    "success_topic": st.sampled_from([TOPIC, TOPIC + " ", "arn:aws:sns:x"]),
    "error_topic": st.sampled_from([TOPIC, "topic"]),
    "destinations": st.lists(
        st.sampled_from([ENDPOINT_ARN, ENDPOINT_ARN + "x", "arn"]), max_size=3
    ),
    "variants": st.lists(
        st.builds(
            sa.ProductionVariant, model_name=st.just("churn"), instance_type=st.just("ml.m5.large")
        ),
        max_size=2,
    ),
    "targets": st.lists(st.builds(lambda: _valid_router().targets[0]), max_size=2),
    "async_inference": st.builds(
        sa.AsyncInferenceConfig, output_path=st.just("s3://results-bucket/o")
    ),
    "tags": st.dictionaries(odd_text, odd_text, max_size=3),
    "policy": st.builds(_valid_policy),
    "serverless": st.builds(
        sa.ServerlessConfig, memory_size_in_mb=st.just(2048), max_concurrency=st.just(5)
    ),
    "notification": st.builds(sa.NotificationConfig, success_topic=st.just(TOPIC)),
    "async_inference_config": st.none(),
    "environment": st.dictionaries(odd_text, odd_text, max_size=3),
}
MODELS = sorted(
    (getattr(sa, name) for name in sa.__all__ if attrs.has(getattr(sa, name))),
    key=lambda cls: cls.__name__,
)


def holds_a_model(annotation: object) -> bool:
    if isinstance(annotation, type) and attrs.has(annotation):
        return True
    return any(holds_a_model(arg) for arg in typing.get_args(annotation))


def field_strategy(field: attrs.Attribute[Any]) -> st.SearchStrategy[Any]:
    options = [junk, names, numbers, s3_uris]
    if field.name in GOOD_FIELDS:
        options.insert(0, GOOD_FIELDS[field.name])
    # Hypothesis would build nested models from arbitrary values, raising while it draws.
    if field.type is not None and not holds_a_model(field.type):
        options.append(st.from_type(field.type))
    return st.one_of(*options)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_a_model_raises_only_validation_errors(cls: type) -> None:
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    required = {f.name: field_strategy(f) for f in fields if f.default is attrs.NOTHING}
    optional = {f.name: field_strategy(f) for f in fields if f.default is not attrs.NOTHING}

    @FUZZ
    @given(st.fixed_dictionaries(required, optional=optional))
    def run(kwargs: dict[str, Any]) -> None:
        try:
            cls(**kwargs)
        except sa.ValidationError as error:
            str(error)
            CASES[f"{cls.__name__}:refused"] += 1
            return
        CASES[f"{cls.__name__}:built"] += 1

    run()


@FUZZ
@given(
    st.fixed_dictionaries(
        {}, optional={"initial": numbers, "maximum": numbers, "multiplier": numbers}
    )
)
def test_backoff_raises_only_validation_errors(kwargs: dict[str, Any]) -> None:
    outcome = check_call(lambda: sa.Backoff(**kwargs))
    CASES[f"Backoff:{outcome}"] += 1


def test_decimal_nan_is_refused() -> None:
    with pytest.raises(sa.ValidationError, match="initial_variant_weight"):
        sa.ProductionVariant(
            model_name="churn",
            instance_type="ml.m5.large",
            initial_variant_weight=decimal.Decimal("NaN"),
        )


def test_a_decimal_nan_beside_a_cross_field_rule_is_refused() -> None:
    # Decimal NaN raises InvalidOperation when compared: found by the property above.
    with pytest.raises(sa.ValidationError) as info:
        sa.ServerlessConfig(
            memory_size_in_mb=2048,
            max_concurrency=decimal.Decimal("NaN"),
            provisioned_concurrency=1,
        )

    assert info.value.fields == ("max_concurrency",)


def test_summary() -> None:
    # Runs last in this module (pytest keeps file order): the cases each property ran.
    for line in sorted(CASES.items()):
        print(*line)
