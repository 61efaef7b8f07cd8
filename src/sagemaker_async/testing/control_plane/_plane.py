"""SageMaker's rules for models, endpoint configs and endpoints, enforced on moto's state.

moto stores the resources; this module decides what each call may do and what
DescribeEndpoint shows: names validated, duplicates and missing resources
rejected with SageMaker's messages, and endpoints moved through timed lifecycles.
Every public method is called with :attr:`ControlPlane.lock` held (it is
reentrant), from the test's thread or from the moto server's request threads.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any, NoReturn

import attrs
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import (
    FakeEndpoint,
    FakeEndpointConfig,
    SageMakerModelBackend,
    sagemaker_backends,
)
from moto.sagemaker.utils import arn_formatter

from sagemaker_async.testing._clock import Clock

from ._lifecycle import (
    IN_PROGRESS,
    EndpointEvent,
    EndpointView,
    Lifecycle,
    creating,
    deleting,
    resizing,
    updating,
)
from ._messages import (
    ENDPOINT_CONFIG_NAME,
    ENDPOINT_NAME,
    MODEL_NAME,
    NameRule,
    already_exists,
    in_progress,
    name_problems,
    not_found,
    validation_message,
)
from ._planned_faults import Faults, ForcedStatus

Listener = Callable[[EndpointEvent], None]


@attrs.frozen
class Delays:
    """Seconds each endpoint operation stays in its transitional status."""

    create: float
    update: float
    delete: float


@attrs.define
class _Tracked:
    lifecycle: Lifecycle
    started_at: datetime  # wall time, for PendingDeploymentSummary.StartTime
    seen: int = -1  # last timeline position applied to moto and announced


def _reject(message: str) -> NoReturn:
    raise ValidationError(message)


def _check_names(*fields: tuple[NameRule, str]) -> None:
    problems = [text for rule, value in fields for text in name_problems(rule, value)]
    message = validation_message(problems)
    if message is not None:
        _reject(message)


def _model_arn(backend: SageMakerModelBackend, name: str) -> str:
    return arn_formatter("model", name, backend.account_id, backend.region_name)


def _config_arn(backend: SageMakerModelBackend, name: str) -> str:
    return FakeEndpointConfig.arn_formatter(name, backend.account_id, backend.region_name)


def _endpoint_arn(backend: SageMakerModelBackend, name: str) -> str:
    return FakeEndpoint.arn_formatter(name, backend.account_id, backend.region_name)


def _set(endpoint: FakeEndpoint, **fields: object) -> None:
    # moto types failure_reason as None and lacks the other attributes DescribeEndpoint
    # returns on AWS; moto camel-cases every attribute into the answer (None omitted).
    for field, value in fields.items():
        setattr(endpoint, field, value)


def _has_model(backend: SageMakerModelBackend, name: str) -> bool:
    return any(model.model_name == name for model in backend.list_models())


class ControlPlane:
    """The simulator's state and SageMaker's rules, shared by every transport."""

    def __init__(self, clock: Clock, delays: Delays) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.delays = delays
        self.faults = Faults()
        self.calls: Counter[str] = Counter()
        self._listeners: list[Listener] = []
        self._tracked: dict[tuple[str, str, str], _Tracked] = {}

    # -- listeners: the seam for the invocation half (TestNotification etc.) --

    def add_listener(self, listener: Listener) -> None:
        with self.lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self.lock:
            self._listeners.remove(listener)

    # -- models --

    def check_new_model(self, backend: SageMakerModelBackend, name: str) -> None:
        """CreateModel: a valid name not yet taken."""
        _check_names((MODEL_NAME, name))
        if _has_model(backend, name):
            _reject(already_exists("model", _model_arn(backend, name)))

    def check_model(self, backend: SageMakerModelBackend, name: str) -> None:
        """DescribeModel, DeleteModel: a valid name that exists."""
        _check_names((MODEL_NAME, name))
        if not _has_model(backend, name):
            _reject(not_found("model", _model_arn(backend, name)))

    # -- endpoint configurations --

    def check_new_config(
        self,
        backend: SageMakerModelBackend,
        name: str,
        production_variants: list[dict[str, Any]] | None,
    ) -> None:
        """CreateEndpointConfig: a valid, free name whose variants name existing models."""
        _check_names((ENDPOINT_CONFIG_NAME, name))
        if name in backend.endpoint_configs:
            _reject(already_exists("endpoint configuration", _config_arn(backend, name)))
        for variant in production_variants or []:
            model_name = str(variant.get("ModelName", ""))
            if not _has_model(backend, model_name):
                _reject(not_found("model", _model_arn(backend, model_name)))

    def read_config(self, backend: SageMakerModelBackend, name: str) -> FakeEndpointConfig:
        """DescribeEndpointConfig and CreateEndpoint's read: eventually consistent."""
        _check_names((ENDPOINT_CONFIG_NAME, name))
        config = backend.endpoint_configs.get(name)
        if config is None or self.faults.take_hidden_read(name):
            _reject(not_found("endpoint configuration", _config_arn(backend, name)))
        return config

    def check_config(self, backend: SageMakerModelBackend, name: str) -> None:
        """DeleteEndpointConfig: a valid name that exists (in use or not, as on AWS)."""
        _check_names((ENDPOINT_CONFIG_NAME, name))
        if name not in backend.endpoint_configs:
            _reject(not_found("endpoint configuration", _config_arn(backend, name)))

    # -- endpoints --

    def create_endpoint(
        self,
        backend: SageMakerModelBackend,
        name: str,
        config_name: str,
        tags: list[dict[str, str]] | None,
    ) -> FakeEndpoint:
        """CreateEndpoint: ``Creating`` now, ``InService`` (or ``Failed``) later."""
        self.settle(backend)
        _check_names((ENDPOINT_NAME, name), (ENDPOINT_CONFIG_NAME, config_name))
        if name in backend.endpoints:
            _reject(already_exists("endpoint", _endpoint_arn(backend, name)))
        config = self.read_config(backend, config_name)
        # moto's classes confuse type checkers: an abstract CloudFormation method
        # (never called here) and a metaclass that hides the instance's type.
        endpoint = FakeEndpoint(  # type: ignore[abstract]
            account_id=backend.account_id,
            region_name=backend.region_name,
            endpoint_name=name,
            endpoint_config_name=config_name,
            production_variants=config.production_variants,
            data_capture_config=config.data_capture_config,
            tags=tags or [],
        )
        assert isinstance(endpoint, FakeEndpoint)
        # Not in moto's FakeEndpoint; DescribeEndpoint returns it on AWS.
        _set(endpoint, async_inference_config=config.async_inference_config)
        backend.endpoints[name] = endpoint
        failure = self.faults.take_create_failure(name)
        now = self.clock.time()
        lifecycle = creating(now, config_name, self.delays.create, failure)
        self._start(backend, name, lifecycle)
        return endpoint

    def update_endpoint(
        self, backend: SageMakerModelBackend, name: str, config_name: str
    ) -> FakeEndpoint:
        """UpdateEndpoint (not in moto): ``Updating``, then the new config in service."""
        self.settle(backend)
        _check_names((ENDPOINT_NAME, name), (ENDPOINT_CONFIG_NAME, config_name))
        endpoint = self._endpoint(backend, name)
        if endpoint.endpoint_status != "InService":
            _reject(in_progress(endpoint.arn))
        if config_name not in backend.endpoint_configs:
            _reject(not_found("endpoint configuration", _config_arn(backend, config_name)))
        failure = self.faults.take_update_failure(name)
        now = self.clock.time()
        current = self._view(backend, endpoint)
        lifecycle = updating(now, current, config_name, self.delays.update, failure)
        self._start(backend, name, lifecycle)
        return endpoint

    def check_resizable(self, backend: SageMakerModelBackend, name: str) -> FakeEndpoint:
        """UpdateEndpointWeightsAndCapacities: an endpoint that is not changing already."""
        self.settle(backend)
        _check_names((ENDPOINT_NAME, name))
        endpoint = self._endpoint(backend, name)
        if endpoint.endpoint_status != "InService":
            _reject(in_progress(endpoint.arn))
        return endpoint

    def resize(self, backend: SageMakerModelBackend, name: str, at: float, until: float) -> None:
        """A variant's instance count changed at *at*: ``Updating`` until *until*.

        A scale-in (nothing to wait for) shows ``Updating`` for the update delay.
        """
        endpoint = backend.endpoints.get(name)
        if endpoint is None:
            return
        current = self._view(backend, endpoint)
        if current.status not in ("InService", "Updating"):
            return  # creating, failing or deleting: that lifecycle goes on
        seconds = until - at if until > at else self.delays.update
        self._start(backend, name, resizing(at, current, seconds))

    def describe_endpoint(self, backend: SageMakerModelBackend, name: str) -> FakeEndpoint:
        """DescribeEndpoint: the endpoint as its lifecycle stands now."""
        self.settle(backend)
        _check_names((ENDPOINT_NAME, name))
        return self._endpoint(backend, name)

    def delete_endpoint(self, backend: SageMakerModelBackend, name: str) -> None:
        """DeleteEndpoint: ``Deleting`` now, gone later; refused while in progress."""
        self.settle(backend)
        _check_names((ENDPOINT_NAME, name))
        endpoint = self._endpoint(backend, name)
        if endpoint.endpoint_status in IN_PROGRESS:
            _reject(in_progress(endpoint.arn))
        now = self.clock.time()
        current = self._view(backend, endpoint)
        self._start(backend, name, deleting(now, current, self.delays.delete))

    def status(self, backend: SageMakerModelBackend, name: str) -> str | None:
        """The status DescribeEndpoint would show now (None: no such endpoint)."""
        self.settle(backend)
        endpoint = backend.endpoints.get(name)
        return None if endpoint is None else endpoint.endpoint_status

    def status_at(self, backend: SageMakerModelBackend, name: str, at: float) -> str | None:
        """The status the endpoint had (or has) at clock instant *at*, as far as it is known."""
        self.settle(backend)
        tracked = self._tracked.get(self._key(backend, name))
        if tracked is None:
            endpoint = backend.endpoints.get(name)
            return None if endpoint is None else endpoint.endpoint_status
        forced = self.faults.forced.get(name)
        if forced is not None:
            return forced.status
        view = tracked.lifecycle.view_at(at)
        return None if view is None else view.status

    def force_status(
        self, backend: SageMakerModelBackend, name: str, forced: ForcedStatus | None
    ) -> None:
        """Show (and obey) *forced* instead of the lifecycle's status; None clears it."""
        if forced is None:
            self.faults.forced.pop(name, None)
        else:
            self.faults.forced[name] = forced
        self.settle(backend)

    def counts(self, backend: SageMakerModelBackend) -> dict[str, int]:
        """How many models, endpoint configs and endpoints *backend* holds now."""
        self.settle(backend)
        return {
            "models": sum(1 for _ in backend.list_models()),
            "endpoint_configs": len(backend.endpoint_configs),
            "endpoints": len(backend.endpoints),
        }

    def forget(self) -> None:
        """Drop every lifecycle (the simulator is stopping and moto resets)."""
        self._tracked.clear()

    # -- time --

    def settle_all(self) -> None:
        """:meth:`settle` every account and Region with an endpoint the simulator tracks."""
        for account_id, region in {(key[0], key[1]) for key in self._tracked}:
            self.settle(sagemaker_backends[account_id][region])

    def settle(self, backend: SageMakerModelBackend) -> None:
        """Bring every endpoint of *backend* to its state at the clock's current time.

        Transitions are computed on read: each state entered since the last read
        is applied to moto's endpoint and announced to listeners, in order.
        """
        now = self.clock.time()
        for name in list(backend.endpoints):
            tracked = self._tracked.get(self._key(backend, name))
            if tracked is None:
                continue  # not created through the simulator: left as moto has it
            timeline = tracked.lifecycle.timeline()
            index = tracked.lifecycle.index_at(now)
            for position in range(tracked.seen + 1, index + 1):
                self._announce(backend, name, tracked.lifecycle, timeline, position)
            tracked.seen = max(tracked.seen, index)
            view = timeline[index][1]
            if view is None:
                del backend.endpoints[name]
                del self._tracked[self._key(backend, name)]
                self.faults.forced.pop(name, None)  # a new endpoint of that name starts afresh
            else:
                self._apply(backend, backend.endpoints[name], view, tracked.started_at)

    # -- helpers --

    @staticmethod
    def _key(backend: SageMakerModelBackend, name: str) -> tuple[str, str, str]:
        return (backend.account_id, backend.region_name, name)

    def _endpoint(self, backend: SageMakerModelBackend, name: str) -> FakeEndpoint:
        endpoint = backend.endpoints.get(name)
        if endpoint is None:
            _reject(not_found("endpoint", _endpoint_arn(backend, name)))
        return endpoint

    def _view(self, backend: SageMakerModelBackend, endpoint: FakeEndpoint) -> EndpointView:
        tracked = self._tracked.get(self._key(backend, endpoint.endpoint_name))
        view = None if tracked is None else tracked.lifecycle.view_at(self.clock.time())
        if view is not None:
            return view
        reason: str | None = getattr(endpoint, "failure_reason", None)
        return EndpointView(endpoint.endpoint_status, endpoint.endpoint_config_name, reason)

    def _start(self, backend: SageMakerModelBackend, name: str, lifecycle: Lifecycle) -> None:
        started_at = utcnow()
        self._tracked[self._key(backend, name)] = _Tracked(lifecycle, started_at)
        self.settle(backend)

    def _apply(
        self,
        backend: SageMakerModelBackend,
        endpoint: FakeEndpoint,
        view: EndpointView,
        started_at: datetime,
    ) -> None:
        forced = self.faults.forced.get(endpoint.endpoint_name)
        status = view.status if forced is None else forced.status
        reason = view.failure_reason if forced is None else forced.failure_reason
        if endpoint.endpoint_config_name != view.config_name:
            self._serve(backend, endpoint, view.config_name)
        if endpoint.endpoint_status != status:
            endpoint.last_modified_time = utcnow()
        endpoint.endpoint_status = status
        pending = (
            None
            if view.pending_config_name is None
            else {"EndpointConfigName": view.pending_config_name, "StartTime": started_at}
        )
        _set(endpoint, failure_reason=reason, pending_deployment_summary=pending)

    @staticmethod
    def _serve(backend: SageMakerModelBackend, endpoint: FakeEndpoint, config_name: str) -> None:
        endpoint.endpoint_config_name = config_name
        config = backend.endpoint_configs.get(config_name)
        if config is None:
            return  # deleted while in use (AWS allows it): keep what was deployed
        endpoint.production_variants = endpoint._process_production_variants(  # pyright: ignore[reportPrivateUsage]
            config.production_variants
        )
        endpoint.data_capture_config = config.data_capture_config
        _set(endpoint, async_inference_config=config.async_inference_config)

    def _announce(
        self,
        backend: SageMakerModelBackend,
        name: str,
        lifecycle: Lifecycle,
        timeline: tuple[tuple[float, EndpointView | None], ...],
        position: int,
    ) -> None:
        at, view = timeline[position]
        before = None if position == 0 else timeline[position - 1][1]
        previous = lifecycle.previous_status if before is None else before.status
        shown = view if view is not None else before
        event = EndpointEvent(
            endpoint_name=name,
            endpoint_arn=_endpoint_arn(backend, name),
            operation=lifecycle.operation,
            previous_status=previous,
            status=None if view is None else view.status,
            config_name="" if shown is None else shown.config_name,
            pending_config_name=None if view is None else view.pending_config_name,
            failure_reason=None if shown is None else shown.failure_reason,
            at=at,
        )
        for listener in list(self._listeners):
            listener(event)
