"""``status``: the endpoint, its variants, scaling, backlog of the last hour, recent failures."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, Final

import attrs

from sagemaker_async.models import split_s3_uri

from ._console import EXIT_FAILED, EXIT_OK, Console
from ._context import Context

if TYPE_CHECKING:
    from sagemaker_async import AsyncInferenceClient, EndpointDescription

_BARS: Final = "▁▂▃▄▅▆▇█"
RECENT_FAILURES: Final = 5
FAILURE_BYTES: Final = 1024
FAILURE_LINE: Final = 160


def sparkline(values: list[float]) -> str:
    """One bar per value, scaled from zero to the largest."""
    if not values:
        return ""
    top = max(values)
    if top <= 0:
        return _BARS[0] * len(values)
    return "".join(
        _BARS[min(len(_BARS) - 1, int(value / top * (len(_BARS) - 1)))] for value in values
    )


def run_status(args: argparse.Namespace, console: Console) -> int:
    """Print the endpoint's status (``--json``: one object)."""
    from sagemaker_async.errors import ResourceNotFoundError

    context = Context.open(args)
    client = context.client
    name = context.deployment.endpoint_name
    try:
        endpoint = client.describe_endpoint(name)
    except ResourceNotFoundError:
        if args.json:
            console.say(json.dumps({"endpoint_name": name, "status": None}))
        else:
            console.note(f"endpoint {name} does not exist; `sagemaker-async apply` creates it")
        return EXIT_FAILED
    report = _report(client, endpoint)
    if args.json:
        console.say(json.dumps(report, indent=2, default=str))
    else:
        _print(console, report)
    return EXIT_OK


def _report(client: AsyncInferenceClient, endpoint: EndpointDescription) -> dict[str, Any]:
    variant = endpoint.variants[0].variant_name if endpoint.variants else "AllTraffic"
    scaling = client.describe_autoscaling(endpoint.name, variant_name=variant)
    metrics = client.endpoint_metrics(endpoint.name, minutes=60)
    backlog = [value for _, value in metrics.series.get("ApproximateBacklogSize", ())]
    return {
        "endpoint_name": endpoint.name,
        "status": str(endpoint.status.value),
        "failure_reason": endpoint.failure_reason,
        "config_name": endpoint.config_name,
        "instance_count": metrics.instance_count,
        "variants": [attrs.asdict(each) for each in endpoint.variants],
        "scaling": None if scaling is None else attrs.asdict(scaling.policy),
        "backlog_size": metrics.backlog_size,
        "backlog_size_per_instance": metrics.backlog_size_per_instance,
        "oldest_request_age_seconds": metrics.oldest_request_age_seconds,
        "backlog_last_hour": backlog,
        "recent_failures": _recent_failures(client, endpoint),
    }


def _recent_failures(
    client: AsyncInferenceClient, endpoint: EndpointDescription
) -> list[dict[str, str]]:
    """The newest objects under the failure path: where, when, and their first line."""
    from botocore.exceptions import BotoCoreError, ClientError

    config = endpoint.async_inference
    path = config.failure_path if config is not None else None
    if path is None:
        return []
    bucket, prefix = split_s3_uri(path)
    prefix = prefix.rstrip("/") + "/" if prefix else ""
    # A status without its failures still helps: a denied or failed read leaves them out.
    try:
        items: list[Any] = []
        pages = client.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for page in pages:
            items.extend(page.get("Contents", ()))
        newest = sorted(items, key=lambda item: item["LastModified"])[-RECENT_FAILURES:][::-1]
        return [_failure(client, bucket, item) for item in newest]
    except (BotoCoreError, ClientError):
        return []


def _failure(client: AsyncInferenceClient, bucket: str, item: Any) -> dict[str, str]:
    key = item["Key"]
    # The first bytes are enough for a line; a failure body can be a whole traceback.
    answer = client.s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{FAILURE_BYTES - 1}")
    text = answer["Body"].read().decode("utf-8", "replace").strip()
    first = text.splitlines()[0] if text else ""
    return {
        "location": f"s3://{bucket}/{key}",
        "last_modified": item["LastModified"].isoformat(),
        "reason": first[:FAILURE_LINE],
    }


def _print(console: Console, report: dict[str, Any]) -> None:
    console.say(f"endpoint      {report['endpoint_name']}: {report['status']}")
    if report["failure_reason"]:
        console.say(f"failure       {report['failure_reason']}")
    console.say(f"config        {report['config_name']}")
    for variant in report["variants"]:
        console.say(
            f"variant       {variant['variant_name']}: {variant['current_instance_count']} "
            f"instances (desired {variant['desired_instance_count']})"
        )
    scaling = report["scaling"]
    if scaling is None:
        console.say("scaling       none")
    else:
        console.say(
            f"scaling       {scaling['min_instances']} to {scaling['max_instances']} instances, "
            f"target {scaling['target_backlog_per_instance']:g} waiting per instance"
        )
    backlog = report["backlog_size"]
    line = sparkline(report["backlog_last_hour"])
    shown = "no data" if backlog is None else f"{backlog:g}"
    console.say(f"backlog       {shown} now; last hour {line or '(no datapoints)'}")
    failures = report["recent_failures"]
    console.say(f"failures      {len(failures) or 'none'}{' recent:' if failures else ''}")
    for failure in failures:
        console.say(f"  {failure['last_modified']}  {failure['location']}")
        if failure["reason"]:
            console.say(f"    {failure['reason']}")
