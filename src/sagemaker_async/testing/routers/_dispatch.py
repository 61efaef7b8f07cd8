"""Making boto3's sagemaker-inference-router-runtime clients reach the simulator.

moto has no such service. In-process, moto's botocore stubber matches request
URLs against its services' patterns: requests to the router runtime's host
are answered here first. Over HTTP, the moto server picks an application per
request: requests for ``/inference-routers/...`` get this one. Both patches
are class attributes, undone when the simulator stops.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from moto.core.botocore_stubber import BotocoreStubber
from moto.iam.models import get_account_id_from
from moto.moto_server.werkzeug_app import (  # pyright: ignore[reportMissingTypeStubs]
    DomainDispatcherApplication,
)

from sagemaker_async.testing.control_plane._moto_patch import Patcher

from ._runtime import Answer, Caller

HOST: Final = re.compile(
    r"https?://inferencerouter-runtime\.sagemaker\.([a-z0-9-]+)\.amazonaws\.com"
)
PATH_PREFIX: Final = "/inference-routers/"
_SCOPE: Final = re.compile(r"Credential=([^/,\s]+)/[0-9]{8}/([a-z0-9-]+)/")

Handle = Callable[[str, Mapping[str, str], Caller], Answer]

_REASONS: Final = {202: "Accepted", 400: "Bad Request", 404: "Not Found"}


def caller_of(headers: Mapping[str, str], default_region: str) -> Caller:
    """The account (as moto maps access keys to accounts) and the signed Region."""
    authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    match = _SCOPE.search(authorization)
    key, region = (match[1], match[2]) if match else ("", default_region)
    account = os.environ.get("MOTO_ACCOUNT_ID") or next(
        (v for k, v in headers.items() if k.lower() == "x-moto-account-id"), None
    )
    return Caller(account or get_account_id_from(key), region)


def patch_transports(patcher: Patcher, handle: Handle) -> None:
    """Route router runtime requests to *handle* on both transports."""
    process_request = BotocoreStubber.process_request
    get_application = DomainDispatcherApplication.get_application

    def patched_process_request(self: BotocoreStubber, request: Any) -> Any:
        host = HOST.match(str(request.url))
        if host is None:
            return process_request(self, request)
        headers = {str(k): _text(v) for k, v in dict(request.headers).items()}
        return handle(urlsplit(str(request.url)).path, headers, caller_of(headers, host[1]))

    def patched_get_application(self: DomainDispatcherApplication, environ: dict[str, Any]) -> Any:
        path = str(environ.get("PATH_INFO", ""))
        if not path.startswith(PATH_PREFIX):
            return get_application(self, environ)
        return _wsgi(handle)

    patcher.replace(BotocoreStubber, "process_request", patched_process_request)
    patcher.replace(DomainDispatcherApplication, "get_application", patched_get_application)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _wsgi(handle: Handle) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"].read(length)  # no body is defined: drain it
        caller = caller_of(headers, "us-east-1")
        status, answer_headers, body = handle(str(environ.get("PATH_INFO", "")), headers, caller)
        reason = _REASONS.get(status, "Error")
        start_response(
            f"{status} {reason}", [*answer_headers.items(), ("Content-Length", str(len(body)))]
        )
        return [body]

    return application
