"""Patches on moto's SageMaker backend and response classes, undone on exit.

Class attributes are replaced, not instances: moto builds a backend per account
and region, and ``ThreadedMotoServer`` serves from the same classes in a thread
of this process, so one set of patches serves both transports. Each patched
method takes the control plane's lock and lets it apply SageMaker's rules
before (or instead of) moto's own code.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from contextlib import contextmanager
from typing import Any, Final

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionResult
from moto.sagemaker.models import (
    FakeEndpoint,
    FakeEndpointConfig,
    Model,
    SageMakerModelBackend,
)
from moto.sagemaker.responses import SageMakerResponse

from ._plane import ControlPlane

_MISSING: Final = object()
_ACTIVE = threading.Lock()


class Patcher:
    """Replaces class attributes and puts the originals back, last first."""

    def __init__(self) -> None:
        self._undo: list[tuple[type, str, object]] = []

    def replace(self, owner: type, name: str, value: object) -> None:
        """Set ``owner.name`` to *value* until :meth:`restore`."""
        # The raw class __dict__ entry (not getattr): an inherited attribute is
        # restored by deleting the override, a function by setting it back as is.
        self._undo.append((owner, name, owner.__dict__.get(name, _MISSING)))
        setattr(owner, name, value)

    def restore(self) -> None:
        """Undo every :meth:`replace`, in reverse order."""
        while self._undo:
            owner, name, original = self._undo.pop()
            if original is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


@contextmanager
def patched_sagemaker(plane: ControlPlane) -> Generator[Patcher, None, None]:
    """moto's SageMaker with *plane*'s rules, for the duration of the block.

    Raises:
        RuntimeError: another simulator is active in this process (the patches
            are process-wide, so two would fight over them).
    """
    if not _ACTIVE.acquire(blocking=False):
        raise RuntimeError(
            "A SageMaker simulator is already active in this process; "
            "exit it before starting another."
        )
    patcher = Patcher()
    try:
        _patch_backend(patcher, plane)
        _patch_responses(patcher, plane)
        yield patcher
    finally:
        patcher.restore()
        _ACTIVE.release()


def _patch_backend(patcher: Patcher, plane: ControlPlane) -> None:
    backend = SageMakerModelBackend
    create_model = backend.create_model
    describe_model = backend.describe_model
    delete_model = backend.delete_model
    create_endpoint_config = backend.create_endpoint_config
    delete_endpoint_config = backend.delete_endpoint_config
    list_endpoints = backend.list_endpoints

    def patched_create_model(
        self: SageMakerModelBackend, model_name: str, *args: Any, **kwargs: Any
    ) -> Model:
        with plane.lock:
            plane.check_new_model(self, model_name)
            return create_model(self, model_name, *args, **kwargs)

    def patched_describe_model(self: SageMakerModelBackend, model_name: str) -> Model:
        with plane.lock:
            plane.check_model(self, model_name)
            return describe_model(self, model_name)

    def patched_delete_model(self: SageMakerModelBackend, model_name: str) -> None:
        with plane.lock:
            plane.check_model(self, model_name)
            delete_model(self, model_name)

    def patched_create_endpoint_config(
        self: SageMakerModelBackend,
        endpoint_config_name: str,
        production_variants: list[dict[str, Any]],
        *args: Any,
        **kwargs: Any,
    ) -> FakeEndpointConfig:
        with plane.lock:
            plane.check_new_config(self, endpoint_config_name, production_variants)
            return create_endpoint_config(
                self, endpoint_config_name, production_variants, *args, **kwargs
            )

    def patched_describe_endpoint_config(
        self: SageMakerModelBackend, endpoint_config_name: str
    ) -> dict[str, Any]:
        with plane.lock:
            return plane.read_config(self, endpoint_config_name).response_object

    def patched_delete_endpoint_config(
        self: SageMakerModelBackend, endpoint_config_name: str
    ) -> None:
        with plane.lock:
            plane.check_config(self, endpoint_config_name)
            delete_endpoint_config(self, endpoint_config_name)

    def patched_create_endpoint(
        self: SageMakerModelBackend,
        endpoint_name: str,
        endpoint_config_name: str,
        tags: list[dict[str, str]] | None = None,
    ) -> FakeEndpoint:
        with plane.lock:
            return plane.create_endpoint(self, endpoint_name, endpoint_config_name, tags)

    def update_endpoint(
        self: SageMakerModelBackend, endpoint_name: str, endpoint_config_name: str
    ) -> FakeEndpoint:
        with plane.lock:
            return plane.update_endpoint(self, endpoint_name, endpoint_config_name)

    def patched_describe_endpoint(
        self: SageMakerModelBackend, endpoint_name: str
    ) -> dict[str, Any]:
        with plane.lock:
            return plane.describe_endpoint(self, endpoint_name).response_object

    def patched_delete_endpoint(self: SageMakerModelBackend, endpoint_name: str) -> None:
        with plane.lock:
            plane.delete_endpoint(self, endpoint_name)

    def patched_list_endpoints(
        self: SageMakerModelBackend, *args: Any, **kwargs: Any
    ) -> Any:  # moto's paginate decorator returns (page, next_token)
        with plane.lock:
            plane.settle(self)
            return list_endpoints(self, *args, **kwargs)

    patcher.replace(backend, "create_model", patched_create_model)
    patcher.replace(backend, "describe_model", patched_describe_model)
    patcher.replace(backend, "delete_model", patched_delete_model)
    patcher.replace(backend, "create_endpoint_config", patched_create_endpoint_config)
    patcher.replace(backend, "describe_endpoint_config", patched_describe_endpoint_config)
    patcher.replace(backend, "delete_endpoint_config", patched_delete_endpoint_config)
    patcher.replace(backend, "create_endpoint", patched_create_endpoint)
    patcher.replace(backend, "update_endpoint", update_endpoint)
    patcher.replace(backend, "describe_endpoint", patched_describe_endpoint)
    patcher.replace(backend, "delete_endpoint", patched_delete_endpoint)
    patcher.replace(backend, "list_endpoints", patched_list_endpoints)


def _patch_responses(patcher: Patcher, plane: ControlPlane) -> None:
    call_action = SageMakerResponse.call_action

    def patched_call_action(self: SageMakerResponse) -> TYPE_RESPONSE:
        operation = self._get_action()  # pyright: ignore[reportPrivateUsage]
        with plane.lock:
            plane.calls[operation] += 1
        return call_action(self)

    def update_endpoint(self: SageMakerResponse) -> ActionResult:
        name = self._get_param("EndpointName")  # pyright: ignore[reportPrivateUsage]
        config_name = self._get_param("EndpointConfigName")  # pyright: ignore[reportPrivateUsage]
        with plane.lock:
            endpoint = plane.update_endpoint(self.sagemaker_backend, name, config_name)
        return ActionResult({"EndpointArn": endpoint.arn})

    patcher.replace(SageMakerResponse, "call_action", patched_call_action)
    # moto finds handlers by name (UpdateEndpoint -> update_endpoint) at request time.
    patcher.replace(SageMakerResponse, "update_endpoint", update_endpoint)
