"""InvokeInferenceRouterAsync as SageMaker answers it: checked, then handed to routing.

The request names a router of the caller's account in the Region it is sent
to, one of its asynchronous routing targets, and an input already in S3 in a
bucket of that Region and account (there is no inline body). The answer is a
202 with the routing target's output and failure locations.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Final
from urllib.parse import unquote

import attrs
from moto.s3.models import s3_backends

from sagemaker_async.testing.fulfilment._fulfilment import Fulfilment
from sagemaker_async.testing.fulfilment._invocation import Invocation

from ._checks import items, section
from ._records import RouterStore
from ._routing import RoutedRequest, Routing

ACCEPTED: Final = 202
PATH: Final = re.compile(r"/inference-routers/(?P<name>[^/]+)/async-invocations/?")
FILENAME: Final = re.compile(r"(?!.*\..*\.)[a-zA-Z0-9][a-zA-Z0-9-_\.]*")
EXTENSION: Final = re.compile(r"(?!s3:|https:)[a-zA-Z0-9!_.*'()/-]+")
INFERENCE_ID: Final = re.compile(r"\S[\x20-\x7e]*")
S3_URI: Final = re.compile(r"s3://(?P<bucket>[^/]+)/(?P<key>.+)")
DEFAULT_BACKLOG_SECONDS: Final = 900
DEFAULT_TTL_SECONDS: Final = 21_600

Answer = tuple[int, dict[str, str], bytes]


class Refused(Exception):
    """The router runtime's error answer: a code, a message and an HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    def answer(self) -> Answer:
        """The rest-json error response."""
        body = json.dumps({"__type": self.code, "message": self.message}).encode()
        return (
            self.status,
            {"x-amzn-ErrorType": self.code, "content-type": "application/json"},
            body,
        )


def _invalid(message: str) -> Refused:
    return Refused("ValidationException", message)


def _seconds(headers: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = headers.get(f"x-amzn-sagemaker-{name.lower()}")
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise _invalid(f"Value '{raw}' at '{name}' is not a whole number of seconds.") from None
    if not low <= value <= high:
        raise _invalid(
            f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
            f"constraint: Member must have value between {low} and {high}"
        )
    return value


def _check(value: str | None, pattern: re.Pattern[str], where: str, high: int) -> None:
    if value is None:
        return
    if len(value) > high or pattern.fullmatch(value) is None:
        raise _invalid(
            f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
            f"constraint: Member must have length less than or equal to {high} and satisfy "
            f"regular expression pattern: {pattern.pattern}"
        )


def _join(*parts: str) -> str:
    return "/".join(part.strip("/") for part in parts if part.strip("/"))


@attrs.frozen
class Caller:
    """Who sent the request, and to which Region."""

    account_id: str
    region: str


class RouterRuntime:
    """Answers InvokeInferenceRouterAsync for both transports."""

    def __init__(
        self,
        store: RouterStore,
        routing: Routing,
        fulfilment: Fulfilment,
        clock_time: Callable[[], float],
    ) -> None:
        self._store = store
        self._routing = routing
        self._fulfilment = fulfilment
        self._time = clock_time

    def handle(self, path: str, headers: Mapping[str, str], caller: Caller) -> Answer:
        """Answer one request; errors become their rest-json answers."""
        self._fulfilment.pump()
        try:
            with self._fulfilment.lock:
                return self._accept(path, {k.lower(): v for k, v in headers.items()}, caller)
        except Refused as refused:
            return refused.answer()

    def _accept(self, path: str, headers: Mapping[str, str], caller: Caller) -> Answer:
        match = PATH.fullmatch(path)
        if match is None:
            raise Refused("UnknownOperationException", f"No operation at {path}.", 404)
        name = unquote(match["name"])
        now = self._time()
        record = self._store.get((caller.account_id, caller.region, name), now)
        if record is None or record.status not in ("InService", "Updating"):
            raise _invalid(
                f"Inference router {name} of account {caller.account_id} not found in "
                f"{caller.region}, or not in service."
            )
        target_name = headers.get("x-amzn-sagemaker-routing-target-name") or ""
        target = record.target(target_name)
        if target is None:
            raise _invalid(f"Routing target {target_name} not found in inference router {name}.")
        config = section(target, "AsyncInferenceConfig")
        if not config:
            raise _invalid(
                f"Routing target {target_name} is not configured for asynchronous inference."
            )
        input_location = headers.get("x-amzn-sagemaker-inputlocation")
        if input_location is None:
            raise _invalid("InputLocation is required: upload the input to Amazon S3 first.")
        self._check_input(input_location, caller)
        inference_id = headers.get("x-amzn-sagemaker-inference-id")
        _check(inference_id, INFERENCE_ID, "inferenceId", 64)
        filename = headers.get("x-amzn-sagemaker-filename")
        _check(filename, FILENAME, "filename", 64)
        extension = headers.get("x-amzn-sagemaker-s3outputpathextension")
        _check(extension, EXTENSION, "s3OutputPathExtension", 512)
        ttl = _seconds(headers, "RequestTTLSeconds", 60, 21_600)
        timeout = _seconds(headers, "InvocationTimeoutSeconds", 1, 3_600)
        inference_id = inference_id or str(uuid.uuid4())
        output_config = section(config, "OutputConfig")
        topics = section(output_config, "NotificationConfig")
        client = section(config, "ClientConfig")
        output = (
            f"{str(output_config['S3OutputPath']).rstrip('/')}/"
            f"{_join(extension or '', filename or f'{inference_id}.out')}"
        )
        failure = f"{str(output_config['S3FailurePath']).rstrip('/')}/{inference_id}-error.out"
        handler, latency = self._fulfilment.handler_for(name)
        template = Invocation(
            account_id=caller.account_id,
            region=caller.region,
            endpoint_name=name,
            inference_id=inference_id,
            input_location=input_location,
            content_type=headers.get("x-amzn-sagemaker-content-type"),
            accept=headers.get("x-amzn-sagemaker-accept"),
            custom_attributes=headers.get("x-amzn-sagemaker-custom-attributes"),
            output_location=output,
            failure_location=failure,
            success_topic=topics.get("SuccessTopic"),
            error_topic=topics.get("ErrorTopic"),
            handler=handler,
            received=self._fulfilment.wall(now),
            accepted_at=now,
            latency=latency,
            timeout_seconds=timeout,
        )
        seconds = float(ttl or DEFAULT_TTL_SECONDS)
        routed = RoutedRequest(
            template=template,
            router_region=caller.region,
            destinations=tuple(str(d.get("ResourceArn")) for d in items(target, "Destinations")),
            local_first=target.get("RoutingPreference") != "InstancePoolOrder",
            backlog_seconds=float(client.get("MaxTimeInBacklogSeconds") or DEFAULT_BACKLOG_SECONDS),
            deadline=now + seconds,
            ttl=seconds,
            caller_account=caller.account_id,
        )
        self._routing.submit(routed, now)
        headers_out = {
            "content-type": "application/json",
            "X-Amzn-SageMaker-OutputLocation": output,
            "X-Amzn-SageMaker-FailureLocation": failure,
        }
        return ACCEPTED, headers_out, json.dumps({"InferenceId": inference_id}).encode()

    @staticmethod
    def _check_input(location: str, caller: Caller) -> None:
        match = S3_URI.fullmatch(location)
        if match is None:
            raise _invalid(f"InputLocation {location} is not an S3 URI (s3://bucket/key).")
        bucket = s3_backends[caller.account_id]["aws"].buckets.get(match["bucket"])
        if bucket is None:
            raise _invalid(
                f"The input bucket {match['bucket']} must be in the inference router's Region "
                f"({caller.region}) and owned by its account ({caller.account_id})."
            )
        if bucket.region_name != caller.region:
            raise _invalid(
                f"The input bucket {match['bucket']} is in {bucket.region_name}: it must be in "
                f"the inference router's Region ({caller.region})."
            )
