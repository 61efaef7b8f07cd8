"""S3 URIs as the library takes them: ``s3://bucket/key``, never URL-encoded.

SageMaker writes and answers locations as plain ``s3://{bucket}/{key}``: a
space, ``+``, ``%``, ``#`` or ``?`` in a key is that character, not an escape.
So a URI splits at the first slash after the bucket, and nothing is decoded.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from . import validation as v

SCHEME: Final = "s3://"
KEY_BYTES: Final = 1024
"""The longest S3 key, in UTF-8 bytes."""

_BUCKET: Final = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")
# Names S3 keeps for access points, directory and table buckets, and its own use.
RESERVED_PREFIXES: Final = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_SUFFIXES: Final = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
# XML 1.0, which S3 lists keys in, cannot carry these.
_NOT_XML: Final = frozenset("\ufffe\uffff")


def _ip_like(name: str) -> bool:
    return re.fullmatch(r"[0-9]+(\.[0-9]+){3}", name) is not None


def is_bucket_name(name: str) -> bool:
    """Whether *name* follows S3's rules for general purpose bucket names."""
    return (
        _BUCKET.fullmatch(name) is not None
        and ".." not in name
        and not _ip_like(name)
        and not name.startswith(RESERVED_PREFIXES)
        and not name.endswith(RESERVED_SUFFIXES)
    )


def is_key(key: str) -> bool:
    """Whether S3 stores *key* as given: at most 1024 UTF-8 bytes, no control characters."""
    try:
        size = len(key.encode())
    except UnicodeEncodeError:  # a lone surrogate: not text S3 can store
        return False
    return size <= KEY_BYTES and not any(
        unicodedata.category(char) == "Cc" or char in _NOT_XML for char in key
    )


def split_s3_uri(uri: str) -> tuple[str, str]:
    """Split ``s3://bucket/key`` into bucket and key (the key may be empty), decoding nothing.

    Raises:
        ValueError: *uri* does not start with ``s3://`` and a bucket.
    """
    if not uri.startswith(SCHEME):
        raise ValueError(f"not an S3 URI: {uri!r}")
    bucket, key = _parts(uri)
    if not bucket:
        raise ValueError(f"not an S3 URI: {uri!r}")
    return bucket, key


def _parts(uri: str) -> tuple[str, str]:
    # The first slash after the scheme ends the bucket; the rest, as it is, is the key.
    bucket, _, key = uri[len(SCHEME) :].partition("/")
    return bucket, key


S3_SCHEME: Final = v.Rule(
    "an S3 URI like s3://bucket/prefix with a valid bucket name",
    lambda uri: uri.startswith(SCHEME),
)
BUCKET_RULE: Final = v.Rule(
    "a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and "
    "ending with a letter or digit, without '..', not an IP address, and without a prefix "
    f"({', '.join(RESERVED_PREFIXES)}) or suffix ({', '.join(RESERVED_SUFFIXES)}) S3 reserves",
    lambda uri: is_bucket_name(_parts(uri)[0]),
)
KEY_RULE: Final = v.Rule(
    f"a key of at most {KEY_BYTES} UTF-8 bytes without control characters",
    lambda uri: is_key(_parts(uri)[1]),
)
OBJECT_KEY: Final = v.Rule(
    "a key after the bucket (s3://bucket/key names an object)",
    lambda uri: _parts(uri)[1] != "" and not uri.endswith("/"),
)
