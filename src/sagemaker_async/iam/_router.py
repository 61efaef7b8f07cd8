"""Policies for inference routers: the caller's, and what each destination's role adds.

The caller manages and invokes the router, uploads inputs, reads results and
failures at the routing targets' paths. Each destination endpoint's execution
role reads the inputs, which sit in the router's Region, not the endpoint's.
"""

from __future__ import annotations

import functools

from sagemaker_async.errors import Problem
from sagemaker_async.models import InferenceRouter, default_input_path, split_s3_uri

from ._arguments import resolve_target
from ._document import PolicyDocument, Statement
from ._resources import KmsKey, Problems, S3Location, Target, kms_key


def _check(problems: Problems, router: object, input_path: object) -> None:
    if not isinstance(router, InferenceRouter):
        problems.add(Problem("router", "an InferenceRouter", router))
    if input_path is not None and (
        not isinstance(input_path, str) or not input_path.startswith("s3://")
    ):
        problems.add(Problem("input_path", "an S3 URI like 's3://bucket/prefix/'", input_path))


def _inputs(target: Target, router: InferenceRouter, input_path: str | None) -> list[str]:
    paths = (
        [input_path]
        if input_path is not None
        else [default_input_path(t.output_path, router.name) for t in router.targets]
    )
    return sorted({target.s3(S3Location(*split_s3_uri(path)).objects) for path in paths})


def _result_keys(problems: Problems, target: Target, router: object) -> list[KmsKey]:
    """The KMS keys that encrypt the routing targets' results, each once."""
    if not isinstance(router, InferenceRouter):
        return []
    keys: dict[tuple[str, str | None], KmsKey] = {}
    for index, routing_target in enumerate(router.targets):
        if routing_target.kms_key_id is None:
            continue
        key = problems.check(
            functools.partial(
                kms_key, target, routing_target.kms_key_id, f"router.targets[{index}].kms_key_id"
            ),
            None,
        )
        if key is not None:
            keys.setdefault((key.resource, key.alias), key)
    return [keys[each] for each in sorted(keys, key=lambda k: (k[0], k[1] or ""))]


def _key_statements(sid: str, actions: list[str], keys: list[KmsKey]) -> list[Statement]:
    # A key named by alias needs its own condition, so one statement per key.
    return [
        Statement(
            sid=f"{sid}{index if len(keys) > 1 else ''}",
            actions=actions,
            resources=[key.resource],
            conditions=key.conditions,
        )
        for index, key in enumerate(keys, start=1)
    ]


def router_caller_policy(
    router: InferenceRouter, *, account: str, region: str, input_path: str | None = None
) -> PolicyDocument:
    """What ``AsyncInferenceClient`` needs to manage, invoke and await through *router*.

    Args:
        router: The router, as created.
        account: The router's account.
        region: The router's Region (the partition follows from it).
        input_path: The client's ``input_path``; by default inputs go under
            ``sagemaker-async-inputs/<router>/`` in each routing target's output bucket.

    Raises:
        ValidationError: An argument is not valid; the error lists every one.
    """
    problems = Problems()
    target = resolve_target(problems, account, region)
    _check(problems, router, input_path)
    keys = _result_keys(problems, target, router)
    problems.raise_any("router_caller_policy arguments")
    arn = target.sagemaker("inference-router", router.name)
    destinations = sorted({d for t in router.targets for d in t.destinations})
    manage = [
        "sagemaker:CreateInferenceRouter",
        "sagemaker:DeleteInferenceRouter",
        "sagemaker:DescribeInferenceRouter",
        "sagemaker:UpdateInferenceRouter",
    ]
    if router.tags:
        manage.append("sagemaker:AddTags")
    outputs = {S3Location(*split_s3_uri(t.output_path)) for t in router.targets}
    failures = {S3Location(*split_s3_uri(t.failure_path)) for t in router.targets}
    buckets = sorted({location.bucket for location in outputs | failures})
    return PolicyDocument(
        statements=[
            Statement(sid="ManageRouter", actions=manage, resources=[arn]),
            # SageMaker checks each destination with the caller's permissions.
            Statement(
                sid="CheckDestinations",
                actions=["sagemaker:DescribeEndpoint"],
                resources=destinations,
            ),
            Statement(
                sid="InvokeRouter",
                actions=["sagemaker:InvokeInferenceRouterAsync"],
                resources=[arn],
            ),
            Statement(
                sid="InvokeDestinations",
                actions=["sagemaker:InvokeEndpointAsync"],
                resources=destinations,
            ),
            # A refused request's upload is deleted again.
            Statement(
                sid="PutInputs",
                actions=["s3:DeleteObject", "s3:PutObject"],
                resources=_inputs(target, router, input_path),
            ),
            Statement(
                sid="ReadResults",
                actions=["s3:GetObject"],
                resources=sorted(target.s3(location.objects) for location in outputs | failures),
            ),
            # Without ListBucket, S3 answers 403 (not 404) for a result that has not landed yet.
            Statement(
                sid="ListResultBuckets",
                actions=["s3:ListBucket"],
                resources=[target.s3(bucket) for bucket in buckets],
            ),
            *_key_statements("DecryptResults", ["kms:Decrypt"], keys),
        ]
    )


def router_execution_role_policy(
    router: InferenceRouter, *, account: str, region: str, input_path: str | None = None
) -> PolicyDocument:
    """What each destination endpoint's execution role adds: reading the router's inputs.

    Attach it to the execution role of every destination of *router* (the
    results and failures are written to the routing targets' paths, so the
    role needs ``s3:PutObject`` there too).
    """
    problems = Problems()
    target = resolve_target(problems, account, region)
    _check(problems, router, input_path)
    keys = _result_keys(problems, target, router)
    problems.raise_any("router_execution_role_policy arguments")
    outputs = {S3Location(*split_s3_uri(t.output_path)) for t in router.targets}
    failures = {S3Location(*split_s3_uri(t.failure_path)) for t in router.targets}
    return PolicyDocument(
        statements=[
            Statement(
                sid="ReadRouterInputs",
                actions=["s3:GetObject"],
                resources=_inputs(target, router, input_path),
            ),
            Statement(
                sid="WriteRouterResults",
                actions=["s3:PutObject"],
                resources=sorted(target.s3(location.objects) for location in outputs | failures),
            ),
            *_key_statements(
                "EncryptRouterResults",
                ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                keys,
            ),
        ]
    )
