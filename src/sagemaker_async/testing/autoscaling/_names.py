"""How Application Auto Scaling names a SageMaker variant: namespace, dimension, resource id."""

from __future__ import annotations

import re
from typing import Final

NAMESPACE: Final = "sagemaker"
DIMENSION: Final = "sagemaker:variant:DesiredInstanceCount"
DEFAULT_COOLDOWN: Final = 300
"""Seconds, for every cooldown a SageMaker variant's policy leaves unset."""

_RESOURCE_ID: Final = re.compile(r"endpoint/(?P<endpoint>[^/]+)/variant/(?P<variant>[^/]+)")


def resource_id(endpoint_name: str, variant_name: str) -> str:
    """``endpoint/{endpoint_name}/variant/{variant_name}``."""
    return f"endpoint/{endpoint_name}/variant/{variant_name}"


def endpoint_prefix(endpoint_name: str) -> str:
    """What every resource id of the endpoint's variants starts with."""
    return f"endpoint/{endpoint_name}/variant/"


def parse_resource_id(value: str) -> tuple[str, str] | None:
    """``(endpoint_name, variant_name)`` of a variant's resource id, or None."""
    match = _RESOURCE_ID.fullmatch(value)
    if match is None:
        return None
    return match["endpoint"], match["variant"]


def is_variant(namespace: str, dimension: str | None) -> bool:
    """Whether a namespace and dimension name a SageMaker variant's instance count."""
    return namespace == NAMESPACE and dimension == DIMENSION
