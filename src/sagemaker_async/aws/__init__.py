"""Calling AWS: error translation, retries, backoff, shared clients, S3 helpers."""

from __future__ import annotations

from ._answers import read_answer
from ._backoff import Backoff
from ._calls import (
    RETRIES,
    Retries,
    Trail,
    call,
    is_missing_config,
    is_transient,
    retrying,
    service_error,
)
from ._s3 import delete_object, get_object, list_keys, put_object
from ._services import RETRY_ATTEMPTS, SERVICES_ARGUMENTS, ServiceAccess, Services, user_agent

__all__ = [
    "RETRIES",
    "RETRY_ATTEMPTS",
    "SERVICES_ARGUMENTS",
    "Backoff",
    "Retries",
    "ServiceAccess",
    "Services",
    "Trail",
    "call",
    "delete_object",
    "get_object",
    "is_missing_config",
    "is_transient",
    "list_keys",
    "put_object",
    "read_answer",
    "retrying",
    "service_error",
    "user_agent",
]
