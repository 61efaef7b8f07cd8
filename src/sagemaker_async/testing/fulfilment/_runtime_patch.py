"""Patches for the invocation half: sagemaker-runtime, S3 reads, SQS long polls.

Like :mod:`._moto_patch`, these replace class attributes for as long as a
simulator runs, so in-process moto and the moto server thread share them:

- InvokeEndpointAsync is answered by :func:`._invoke_async.accept` instead of
  moto's (which writes to a random bucket and publishes nothing);
- every request of every service first pumps the fulfilment queue, so what
  is due by the simulator's clock has landed before the request is served;
- GetObject, HeadObject and ListObjectsV2 on a bucket whose reads are denied
  answer 403 AccessDenied;
- on a simulated clock, an SQS long poll waits on that clock: it advances it
  to the next due invocation (or to the end of the wait) instead of blocking.
"""

from __future__ import annotations

from collections.abc import Generator, Set
from contextlib import contextmanager
from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import BaseResponse
from moto.s3.exceptions import S3AccessDeniedError
from moto.s3.responses import S3Response
from moto.sagemakerruntime.responses import SageMakerRuntimeResponse
from moto.sqs.models import Message, SQSBackend

from sagemaker_async.testing.control_plane._moto_patch import Patcher
from sagemaker_async.testing.control_plane._plane import ControlPlane

from ._fulfilment import Fulfilment
from ._invoke_async import accept


@contextmanager
def patched_runtime(
    plane: ControlPlane,
    fulfilment: Fulfilment,
    denied_reads: Set[str],
    *,
    simulated_waits: bool,
) -> Generator[Patcher, None, None]:
    """moto with SageMaker's asynchronous invocations, for the duration of the block.

    Args:
        plane: The lifecycle half's state (endpoint statuses).
        fulfilment: The invocation queue.
        denied_reads: Buckets whose reads answer 403 (read live, not copied).
        simulated_waits: Whether SQS long polls wait on the simulator's clock
            (a fake clock) rather than in real time.
    """
    patcher = Patcher()
    try:
        _patch_invoke(patcher, plane, fulfilment)
        _patch_pump(patcher, fulfilment)
        _patch_reads(patcher, denied_reads)
        if simulated_waits:
            _patch_long_poll(patcher, fulfilment)
        yield patcher
    finally:
        patcher.restore()


def _patch_invoke(patcher: Patcher, plane: ControlPlane, fulfilment: Fulfilment) -> None:
    def invoke_endpoint_async(self: SageMakerRuntimeResponse) -> TYPE_RESPONSE:
        return accept(plane, fulfilment, self)

    # moto finds handlers by name (InvokeEndpointAsync -> invoke_endpoint_async).
    patcher.replace(SageMakerRuntimeResponse, "invoke_endpoint_async", invoke_endpoint_async)
    # An inline Body is binary: keep it as bytes instead of decoding it as UTF-8.
    patcher.replace(SageMakerRuntimeResponse, "use_raw_body", True)


def _patch_pump(patcher: Patcher, fulfilment: Fulfilment) -> None:
    setup_class = BaseResponse.setup_class

    def pumping_setup_class(
        self: BaseResponse,
        request: Any,
        full_url: str | None = None,
        headers: Any = None,
        use_raw_body: bool | None = None,
    ) -> None:
        fulfilment.pump()
        setup_class(self, request, full_url, headers, use_raw_body)

    # Every moto response class sets itself up through BaseResponse.setup_class
    # (S3Response through super()), before it reads anything.
    patcher.replace(BaseResponse, "setup_class", pumping_setup_class)


def _patch_reads(patcher: Patcher, denied: Set[str]) -> None:
    get_object = S3Response.get_object
    head_object = S3Response.head_object
    list_objects_v2 = S3Response.list_objects_v2

    def patched_get_object(self: S3Response) -> TYPE_RESPONSE:
        if self.bucket_name in denied:
            raise S3AccessDeniedError()
        return get_object(self)

    def patched_head_object(
        self: S3Response,
        bucket_name: str,
        query: dict[str, Any],
        key_name: str,
        headers: dict[str, Any],
    ) -> TYPE_RESPONSE:
        if bucket_name in denied:
            return 403, {}, b""  # HEAD answers carry no body
        return head_object(self, bucket_name, query, key_name, headers)

    def patched_list_objects_v2(self: S3Response) -> TYPE_RESPONSE:
        if self.bucket_name in denied:
            raise S3AccessDeniedError()
        return list_objects_v2(self)

    patcher.replace(S3Response, "get_object", patched_get_object)
    patcher.replace(S3Response, "head_object", patched_head_object)
    patcher.replace(S3Response, "list_objects_v2", patched_list_objects_v2)


def _patch_long_poll(patcher: Patcher, fulfilment: Fulfilment) -> None:
    receive_message = SQSBackend.receive_message
    clock = fulfilment.clock

    def patched_receive_message(
        self: SQSBackend,
        queue_name: str,
        count: int,
        wait_seconds_timeout: int,
        visibility_timeout: int,
        message_attribute_names: list[str] | None = None,
    ) -> list[Message]:
        deadline = clock.time() + wait_seconds_timeout
        while True:
            fulfilment.pump()
            messages = receive_message(
                self, queue_name, count, 0, visibility_timeout, message_attribute_names
            )
            now = clock.time()
            if messages or now >= deadline:
                return messages
            due = fulfilment.next_due()
            until = deadline if due is None else min(due, deadline)
            if until > now:
                clock.sleep(until - now)
                if clock.time() <= now:
                    return messages  # a clock that sleep does not move: stop waiting

    patcher.replace(SQSBackend, "receive_message", patched_receive_message)
