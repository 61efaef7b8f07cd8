"""One accepted InvokeEndpointAsync request and where its outcome goes."""

from __future__ import annotations

from datetime import datetime

import attrs

from sagemaker_async.testing._handler import Handler


@attrs.frozen(kw_only=True)
class Invocation:
    """An accepted InvokeEndpointAsync request and where its outcome goes."""

    account_id: str
    region: str
    endpoint_name: str
    inference_id: str
    input_location: str | None
    body: bytes | None = attrs.field(default=None, repr=False)
    content_type: str | None = None
    accept: str | None = None
    custom_attributes: str | None = None
    output_location: str
    failure_location: str | None = None
    success_topic: str | None = None
    error_topic: str | None = None
    include_response_on_success: bool = False
    include_response_on_failure: bool = False
    handler: Handler
    received: datetime  # wall time, for the notification's receivedTime
    accepted_at: float  # simulator clock
    latency: float  # seconds the model takes once a slot runs it
    ttl_seconds: int | None = None  # RequestTTLSeconds, if the request gave it
    timeout_seconds: int | None = None  # InvocationTimeoutSeconds, if the request gave it

    def request_parameters(self) -> dict[str, str]:
        """The notification's ``requestParameters`` (only what the request had)."""
        parameters: dict[str, str] = {}
        for key, value in (
            ("accept", self.accept),
            ("contentType", self.content_type),
            ("customAttributes", self.custom_attributes),
            ("endpointName", self.endpoint_name),
            ("inputLocation", self.input_location),
        ):
            if value is not None:
                parameters[key] = value
        return parameters
