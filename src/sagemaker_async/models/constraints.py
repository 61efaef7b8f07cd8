"""The service's rules for the values the models carry, as reusable field rules.

Patterns are those of the botocore SageMaker service model, tightened where
the service documents more (S3 URIs must name a valid bucket; names are
anchored). botocore checks none of them client-side. The service reads them
as Java regexes, whose digit class is ASCII only: hence ``[0-9]`` here.
"""

from __future__ import annotations

import math
import re
from typing import Final

from . import validation as v
from ._instance_types import is_instance_type

NAME_PATTERN: Final = r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
ROLE_ARN_PATTERN: Final = r"arn:aws[a-z\-]*:iam::[0-9]{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"
SNS_ARN_PATTERN: Final = r"arn:aws[a-z\-]*:sns:[a-z0-9\-]*:[0-9]{12}:[a-zA-Z0-9_.-]+"
KMS_KEY_PATTERN: Final = r"[a-zA-Z0-9:/_-]*"
# Bucket names: 3..63 lowercase letters, digits, dots and hyphens, starting and
# ending with a letter or digit; keys: anything printable after the slash.
S3_BUCKET_PATTERN: Final = r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]"
S3_URI_PATTERN: Final = rf"s3://(?P<bucket>{S3_BUCKET_PATTERN})(/(?P<key>\S*))?"
MODEL_DATA_URL_PATTERN: Final = rf"{S3_URI_PATTERN}|https://[^/\s]+(/\S*)?"
ENV_KEY_PATTERN: Final = r"[a-zA-Z_][a-zA-Z0-9_]*"
IMAGE_PATTERN: Final = r"\S+"

_S3_URI = re.compile(S3_URI_PATTERN)

TEXT = v.is_type(str, expected="a string")
INT = v.is_type(int, expected="an integer")
NUMBER = v.is_type(int, float, expected="a number")
# The JSON AWS reads has no NaN or infinity.
FINITE = v.Rule("a finite number", math.isfinite)

INT32_MAX: Final = 2_147_483_647
"""The largest Integer the service takes."""
FLOAT32_MAX: Final = 3.4028234663852886e38
"""The largest Float the service takes."""

NAME = (
    TEXT,
    v.length(1, 63),
    v.pattern(
        NAME_PATTERN,
        "letters, digits and hyphens, starting and ending with a letter or digit "
        f"(pattern {NAME_PATTERN})",
    ),
)
ROLE_ARN = (
    TEXT,
    v.length(20, 2048),
    v.pattern(ROLE_ARN_PATTERN, "an IAM role ARN like arn:aws:iam::123456789012:role/name"),
)
SNS_TOPIC_ARN = (
    TEXT,
    v.length(1, 2048),
    v.pattern(SNS_ARN_PATTERN, "an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:topic"),
)
KMS_KEY_ID = (
    TEXT,
    v.length(1, 2048),
    v.pattern(KMS_KEY_PATTERN, "a KMS key id, alias or ARN (letters, digits and :/_-)"),
)
DESTINATION_S3_URI = (
    TEXT,
    v.length(1, 512),
    v.pattern(S3_URI_PATTERN, "an S3 URI like s3://bucket/prefix with a valid bucket name"),
)
MODEL_DATA_URL = (
    TEXT,
    v.length(1, 1024),
    v.pattern(MODEL_DATA_URL_PATTERN, "an s3:// or https:// URL of the model artifact"),
)
IMAGE = (
    TEXT,
    v.length(1, 255),
    v.pattern(IMAGE_PATTERN, "a container image URI without whitespace"),
)
INSTANCE_TYPE = (
    TEXT,
    v.Rule("a SageMaker instance type such as 'ml.m5.large'", is_instance_type),
)
TAG_KEY = (
    TEXT,
    v.length(1, 128),
    v.aws_tag_text("letters, digits, spaces and _.:/=+-@"),
    v.Rule("not starting with 'aws:' (reserved by AWS)", lambda key: not key.startswith("aws:")),
)
TAG_VALUE = (TEXT, v.length(0, 256), v.aws_tag_text("letters, digits, spaces and _.:/=+-@"))
ENV_KEY = (
    TEXT,
    v.length(1, 1024),
    v.pattern(ENV_KEY_PATTERN, f"an environment variable name (pattern {ENV_KEY_PATTERN})"),
)
ENV_VALUE = (TEXT, v.length(0, 1024))


def split_s3_uri(uri: str) -> tuple[str, str]:
    """Split ``s3://bucket/key`` into bucket and key (the key may be empty)."""
    match = _S3_URI.fullmatch(uri)
    if match is None:
        raise ValueError(f"not an S3 URI: {uri!r}")
    return match["bucket"], match["key"] or ""
