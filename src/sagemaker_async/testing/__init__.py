"""Test your SageMaker asynchronous inference code without AWS.

A simulator layered on `moto <https://docs.getmoto.org>`_ (the ``testing``
extra: ``pip install 'sagemaker-async[testing]'``) that makes SageMaker's
control plane behave as it does on AWS, where moto does not:

- endpoints are ``Creating`` for ``create_seconds`` before ``InService``;
  UpdateEndpoint (absent from moto) is ``Updating`` and then serves the new
  config; DeleteEndpoint is ``Deleting`` before the endpoint is gone;
- duplicate models, endpoint configs and endpoints are rejected, missing ones
  reported, names validated, with SageMaker's error codes and messages;
- faults on demand: a create that fails, an update that rolls back (or fails
  to), any forced status, an endpoint config not yet visible to reads;
- faults in transit: a :class:`FaultInjector` attached to any boto3 client
  fails a chosen fraction of its requests with throttling, 5xx answers, lost
  connections and read timeouts (the request took effect, the answer was lost);
- status is a function of a clock: pass a :class:`FakeClock` and waiters that
  accept an injected clock and sleep finish in milliseconds (botocore's pauses
  between retries then pass on that clock too);
- InvokeEndpointAsync is fulfilled as SageMaker does it (moto writes a canned
  answer to a random bucket): after a latency on that clock, a handler you
  give turns the input into the result, written to the output location (or a
  failure to the failure location), and the endpoint's SNS topics are told,
  including the TestNotification after CreateEndpoint and UpdateEndpoint.

It runs in-process (``moto.mock_aws``) or as a moto server on 127.0.0.1 (real
HTTP), with fake credentials; nothing leaves the machine. Only one simulator
can be active in a process at a time.

Example::

    from sagemaker_async.testing import FakeClock, simulated_sagemaker

    clock = FakeClock()
    with simulated_sagemaker(clock=clock, create_seconds=300) as sim:
        sagemaker = sim.client("sagemaker")
        sagemaker.create_model(ModelName="m", ExecutionRoleArn=role, PrimaryContainer=container)
        sagemaker.create_endpoint_config(EndpointConfigName="c", ProductionVariants=variants)
        sagemaker.create_endpoint(EndpointName="e", EndpointConfigName="c")
        assert sim.status("e") == "Creating"
        clock.advance(300)  # five simulated minutes, no real time
        assert sagemaker.describe_endpoint(EndpointName="e")["EndpointStatus"] == "InService"

With pytest, the ``sagemaker_simulator`` fixture (registered by this package)
yields an in-process simulator with the default delays.
"""

from __future__ import annotations

from sagemaker_async.testing.control_plane._lifecycle import EndpointEvent
from sagemaker_async.testing.faults._injector import (
    FAULT_KINDS,
    ErrorAnswer,
    Fault,
    FaultInjector,
    FaultKind,
)

from ._clock import Clock, FakeClock
from ._handler import Handler, Latency
from ._simulator import (
    DEFAULT_CREATE_SECONDS,
    DEFAULT_DELETE_SECONDS,
    DEFAULT_LATENCY,
    DEFAULT_UPDATE_SECONDS,
    SageMakerSimulator,
    simulated_sagemaker,
)

__all__ = [
    "DEFAULT_CREATE_SECONDS",
    "DEFAULT_DELETE_SECONDS",
    "DEFAULT_LATENCY",
    "DEFAULT_UPDATE_SECONDS",
    "FAULT_KINDS",
    "Clock",
    "EndpointEvent",
    "ErrorAnswer",
    "FakeClock",
    "Fault",
    "FaultInjector",
    "FaultKind",
    "Handler",
    "Latency",
    "SageMakerSimulator",
    "simulated_sagemaker",
]
