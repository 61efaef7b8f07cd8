"""An endpoint's AsyncInferenceConfig as the invocation half needs it.

moto stores the configuration as the request gave it (PascalCase keys); this
reads the few values that decide where results land and who is told.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
from moto.sagemaker.models import SageMakerModelBackend

SUCCESS_NOTIFICATION_TOPIC: Final = "SUCCESS_NOTIFICATION_TOPIC"
ERROR_NOTIFICATION_TOPIC: Final = "ERROR_NOTIFICATION_TOPIC"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


@attrs.frozen(kw_only=True)
class AsyncSettings:
    """Where an asynchronous endpoint writes results and whom it notifies."""

    output_path: str | None
    failure_path: str | None = None
    success_topic: str | None = None
    error_topic: str | None = None
    include_response_in: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, config: object) -> AsyncSettings | None:
        """Read moto's stored ``AsyncInferenceConfig``; None when there is none."""
        if not isinstance(config, Mapping) or not config:
            return None
        stored: Mapping[str, Any] = config  # pyright: ignore[reportUnknownVariableType]
        output: Mapping[str, Any] = stored.get("OutputConfig") or {}
        notification: Mapping[str, Any] = output.get("NotificationConfig") or {}
        include = notification.get("IncludeInferenceResponseIn") or ()
        return cls(
            output_path=_text(output.get("S3OutputPath")),
            failure_path=_text(output.get("S3FailurePath")),
            success_topic=_text(notification.get("SuccessTopic")),
            error_topic=_text(notification.get("ErrorTopic")),
            include_response_in=frozenset(str(item) for item in include),
        )

    @property
    def topics(self) -> tuple[str, ...]:
        """The configured topics, each once (success first)."""
        return tuple(dict.fromkeys(t for t in (self.success_topic, self.error_topic) if t))


def endpoint_settings(
    backend: SageMakerModelBackend, endpoint_name: str, config_name: str | None = None
) -> AsyncSettings | None:
    """The settings of *config_name* (default: the config the endpoint serves).

    A config deleted while in use (AWS allows it) is read from what the
    endpoint keeps of it.
    """
    endpoint = backend.endpoints.get(endpoint_name)
    name = config_name or (None if endpoint is None else endpoint.endpoint_config_name)
    config = None if name is None else backend.endpoint_configs.get(name)
    if config is not None:
        return AsyncSettings.from_config(config.async_inference_config)
    if endpoint is None:
        return None
    return AsyncSettings.from_config(getattr(endpoint, "async_inference_config", None))
