"""One InvokeEndpointAsync request: validated before any call, then sent."""

from __future__ import annotations

import io
import secrets
import uuid
from collections.abc import Iterator
from typing import IO, Any, Final

import attrs

from sagemaker_async.errors import Problem
from sagemaker_async.models import constraints as c
from sagemaker_async.models import validation as v

INLINE_BODY_LIMIT: Final = 128_000
"""The largest payload InvokeEndpointAsync takes inline, in bytes."""

PAYLOAD_LIMIT: Final = 1_000_000_000
"""The largest payload asynchronous inference accepts (1 GB)."""

_HEADER = (c.TEXT, v.length(0, 1024), c.HEADER_SAFE, c.NO_END_SPACES)
"""A value SageMaker takes in an HTTP header (``\\p{ASCII}*``, at most 1024 characters)."""

INFERENCE_ID_RULES: Final = (
    c.TEXT,
    v.length(1, 64),
    v.pattern(r"[!-~][ -~]*", "printable ASCII characters, not starting with a space"),
    c.NO_END_SPACES,
)
"""An InferenceId AWS receives as sent (``\\S[\\p{Print}]*``, 1 to 64, in an HTTP header)."""

Body = bytes | str | IO[bytes]
"""A payload: bytes, text (sent as UTF-8) or a binary file object."""


def _size(body: object) -> int | None:
    if isinstance(body, bytes | bytearray):
        return len(body)
    if isinstance(body, str):
        return len(body.encode())
    seek = getattr(body, "seek", None)
    tell = getattr(body, "tell", None)
    if seek is None or tell is None:
        return None
    try:
        here = tell()
        end = seek(0, io.SEEK_END)
        seek(here)
    except (OSError, ValueError):
        return None
    return int(end - here)


@attrs.frozen(kw_only=True)
class InvokeRequest:
    """The arguments of one ``invoke_async`` call, checked against the API's rules."""

    endpoint_name: str = attrs.field(metadata=v.rules(*c.NAME))
    body: Any = attrs.field(default=None, eq=False)
    input_location: str | None = attrs.field(
        default=None,
        metadata=v.rules(*c.HEADER_S3_URI, c.OBJECT_KEY, optional=True),
    )
    inline: bool = attrs.field(
        default=False, metadata=v.rules(v.is_type(bool, expected="True or False"))
    )
    content_type: str | None = attrs.field(default=None, metadata=v.rules(*_HEADER, optional=True))
    accept: str | None = attrs.field(default=None, metadata=v.rules(*_HEADER, optional=True))
    custom_attributes: str | None = attrs.field(
        default=None, metadata=v.rules(*_HEADER, optional=True)
    )
    inference_id: str | None = attrs.field(
        default=None, metadata=v.rules(*INFERENCE_ID_RULES, optional=True)
    )
    request_ttl_seconds: int | None = attrs.field(
        default=None, metadata=v.rules(c.INT, v.between(60, 21600), optional=True)
    )
    invocation_timeout_seconds: int | None = attrs.field(
        default=None, metadata=v.rules(c.INT, v.between(1, 3600), optional=True)
    )
    output_path_extension: str | None = attrs.field(
        default=None,
        metadata=v.rules(
            c.TEXT,
            v.length(1, 512),
            v.pattern(
                r"(?!s3:|https:)[a-zA-Z0-9!_.*'()/-]+",
                "a relative key path of letters, digits and !_.*'()/-",
            ),
            optional=True,
        ),
    )
    filename: str | None = attrs.field(
        default=None,
        metadata=v.rules(
            c.TEXT,
            v.length(1, 32),
            v.pattern(
                r"(?!.*\..*\.)[a-zA-Z0-9][a-zA-Z0-9_.-]*",
                "a file name of letters, digits and -_. with at most one dot",
            ),
            optional=True,
        ),
    )

    def __attrs_post_init__(self) -> None:
        # Named for the call the user made, not for this private class.
        v.validate(self, self._cross_problems, subject="invoke_async")

    def _cross_problems(self) -> Iterator[Problem]:
        if (self.body is None) == (self.input_location is None):
            yield Problem(
                "body",
                "either a body or an input_location (exactly one)",
                self.body if self.body is not None else self.input_location,
            )
            return
        if self.body is None:
            if self.inline:
                yield Problem("inline", "False when input_location is given", True)
            return
        if not isinstance(self.body, bytes | bytearray | str) and not hasattr(self.body, "read"):
            yield Problem("body", "bytes, str or a binary file object", self.body)
            return
        size = _size(self.body)
        limit = INLINE_BODY_LIMIT if self.inline else PAYLOAD_LIMIT
        if size is not None and size > limit:
            yield Problem("body", f"at most {limit:,} bytes", f"{size:,} bytes")

    def payload(self) -> bytes | IO[bytes]:
        """The body as bytes or a binary file object."""
        if isinstance(self.body, str):
            return self.body.encode()
        if isinstance(self.body, bytearray):
            return bytes(self.body)
        return self.body  # type: ignore[no-any-return]

    def parameters(self, inference_id: str, input_location: str | None) -> dict[str, Any]:
        """The keyword arguments of ``invoke_endpoint_async``."""
        params: dict[str, Any] = {"EndpointName": self.endpoint_name, "InferenceId": inference_id}
        if input_location is not None:
            params["InputLocation"] = input_location
        else:
            payload = self.payload()
            params["Body"] = payload if isinstance(payload, bytes) else payload.read()
        for key, value in (
            ("ContentType", self.content_type),
            ("Accept", self.accept),
            ("CustomAttributes", self.custom_attributes),
            ("RequestTTLSeconds", self.request_ttl_seconds),
            ("InvocationTimeoutSeconds", self.invocation_timeout_seconds),
            ("S3OutputPathExtension", self.output_path_extension),
            ("Filename", self.filename),
        ):
            if value is not None:
                params[key] = value
        return params


INPUT_PATH_RULES: Final = (
    c.TEXT,
    # Room for the slash and an id of 64 characters: InputLocation takes 1024.
    v.length(1, 1024 - 65),
    *c.S3_URI[1:],
    c.HEADER_SAFE,
)
"""What an ``input_path`` must be for every InputLocation under it to reach AWS intact."""

ID_PREFIX_LIMIT: Final = 19
"""The longest ``inference_id_prefix``: a generated id adds 45 characters, and AWS takes 64."""

ID_PREFIX_RULES: Final = (
    c.TEXT,
    v.Rule(
        f"1 to {ID_PREFIX_LIMIT} characters (the ids made from it add 45, "
        "and an InferenceId takes at most 64)",
        lambda value: 1 <= len(value) <= ID_PREFIX_LIMIT,
    ),
    v.pattern(r"[!-~][ -~]*", "printable ASCII characters, not starting with a space"),
)
"""What an ``inference_id_prefix`` must be for every id made from it to be a valid InferenceId."""


def id_prefix(given: str | None = None) -> str:
    """The prefix of one client's inference ids: *given*, then 12 random hex digits.

    Ids sharing it let awaiting list only this client's results under a prefix,
    and a queue filtered on *given* hear of them.
    """
    return (given or "") + secrets.token_hex(6)


def new_inference_id(prefix: str) -> str:
    """A fresh inference id: the client's prefix, a hyphen and a random UUID (33 characters)."""
    return f"{prefix}-{uuid.uuid4().hex}"
