"""The service's rules for the values the models carry, as reusable field rules.

Patterns are those of the botocore SageMaker service model, tightened where
the service documents more (S3 URIs must name a valid bucket, and keys that
travel in HTTP headers be printable ASCII; names are anchored). botocore checks
none of them client-side. The service reads them as Java regexes, whose digit
class is ASCII only: hence ``[0-9]`` here.
"""

from __future__ import annotations

import math
import re
from typing import Final

from . import validation as v
from ._instance_types import is_instance_type
from ._s3_uris import BUCKET_RULE, KEY_RULE, S3_SCHEME, SCHEME
from ._s3_uris import OBJECT_KEY as OBJECT_KEY

NAME_PATTERN: Final = r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
ROLE_ARN_PATTERN: Final = r"arn:aws[a-z\-]*:iam::[0-9]{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"
SNS_ARN_PATTERN: Final = r"arn:aws[a-z\-]*:sns:[a-z0-9\-]*:[0-9]{12}:[a-zA-Z0-9_.-]+"
KMS_KEY_PATTERN: Final = r"[a-zA-Z0-9:/_-]*"
MODEL_DATA_HTTPS_PATTERN: Final = r"https://[^/\s]+(/\S*)?"
ENV_KEY_PATTERN: Final = r"[a-zA-Z_][a-zA-Z0-9_]*"
IMAGE_PATTERN: Final = r"\S+"

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
HEADER_SAFE: Final = v.Rule(
    "printable ASCII characters only (it travels in an HTTP header, which holds no others)",
    lambda text: all(" " <= char <= "~" for char in text),
)
NO_END_SPACES: Final = v.Rule(
    "no space at either end (HTTP drops it, and AWS would see another value)",
    lambda text: text == text.strip(" "),
)

S3_URI = (TEXT, S3_SCHEME, BUCKET_RULE, KEY_RULE)
"""Any ``s3://bucket[/key]`` the library reads or writes."""
DESTINATION_S3_URI = (TEXT, v.length(1, 512), *S3_URI[1:], HEADER_SAFE)
"""An output or failure path: SageMaker answers the locations under it in HTTP headers."""
HEADER_S3_URI = (TEXT, v.length(1, 1024), *S3_URI[1:], HEADER_SAFE, NO_END_SPACES)
"""An S3 URI sent in an HTTP header (InvokeEndpointAsync's InputLocation)."""


def _when_s3(rule: v.Rule) -> v.Rule:
    return v.Rule(rule.expected, lambda url: not url.startswith(SCHEME) or rule.ok(url))


_HTTPS = re.compile(MODEL_DATA_HTTPS_PATTERN)
MODEL_DATA_URL = (
    TEXT,
    v.length(1, 1024),
    v.Rule(
        "an s3:// or https:// URL of the model artifact",
        lambda url: url.startswith(SCHEME) or _HTTPS.fullmatch(url) is not None,
    ),
    *(_when_s3(rule) for rule in S3_URI[2:]),
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
