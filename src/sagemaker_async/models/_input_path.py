"""Where request payloads are uploaded when the caller names no input location.

The client uploads there and the IAM policies grant exactly that prefix, so
both derive it here.
"""

from __future__ import annotations

from typing import Final

from ._s3_uris import split_s3_uri

INPUT_PREFIX: Final = "sagemaker-async-inputs"


def default_input_path(output_path: str, endpoint_name: str | None) -> str:
    """``s3://<output bucket>/sagemaker-async-inputs/<endpoint name>/``.

    The bucket is the one of *output_path*, the endpoint's
    ``AsyncInferenceConfig.output_path``. Without an endpoint name the path ends
    in ``*/``: a pattern for policies that cover every endpoint, never a place
    to upload to.
    """
    bucket, _ = split_s3_uri(output_path)
    name = "*" if endpoint_name is None else endpoint_name
    return f"s3://{bucket}/{INPUT_PREFIX}/{name}/"
