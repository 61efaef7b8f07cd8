"""The few S3 reads and writes that awaiting results needs, with honest errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sagemaker_async.errors import AccessDeniedError, ResourceNotFoundError
from sagemaker_async.models import split_s3_uri

from ._calls import call

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def _denied(error: AccessDeniedError, uri: str, action: str) -> AccessDeniedError:
    bucket, _ = split_s3_uri(uri)
    return AccessDeniedError(
        f"S3 refused {action} on {uri}. Without s3:ListBucket on bucket {bucket!r}, a "
        "result that has not landed yet reads as 403 instead of 404; without "
        "s3:GetObject on the output and failure prefixes, no result can be read. "
        "sagemaker_async.iam.caller_policy generates both.",
        code=error.code,
        operation=error.operation,
        request_id=error.request_id,
    )


def get_object(s3: S3Client, uri: str) -> bytes | None:
    """The object's bytes, or None when there is no such key (yet)."""
    bucket, key = split_s3_uri(uri)
    try:
        response = call("GetObject", s3.get_object, Bucket=bucket, Key=key)
    except ResourceNotFoundError:
        return None
    except AccessDeniedError as error:
        raise _denied(error, uri, "GetObject") from error
    body: Any = response["Body"]
    try:
        return bytes(body.read())
    finally:
        body.close()


def list_keys(s3: S3Client, bucket: str, prefix: str) -> tuple[dict[str, float], int]:
    """Every key under *prefix* with its LastModified (epoch seconds), and the pages it took."""
    keys: dict[str, float] = {}
    pages = 0
    for page in _pages(s3, bucket, prefix):
        pages += 1
        for item in page.get("Contents", ()):
            modified = item.get("LastModified")
            keys[item["Key"]] = modified.timestamp() if modified is not None else 0.0
    return keys, pages


def _pages(s3: S3Client, bucket: str, prefix: str) -> Iterator[Any]:
    kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
    while True:
        try:
            page = call("ListObjectsV2", s3.list_objects_v2, **kwargs)
        except AccessDeniedError as error:
            raise _denied(error, f"s3://{bucket}/{prefix}", "ListObjectsV2") from error
        yield page
        token = page.get("NextContinuationToken")
        if not page.get("IsTruncated") or not token:
            return
        kwargs["ContinuationToken"] = token


def put_object(s3: S3Client, uri: str, body: Any, content_type: str | None) -> None:
    """Upload *body* (bytes or a binary file object) to *uri*."""
    bucket, key = split_s3_uri(uri)
    kwargs: dict[str, Any] = {"Bucket": bucket, "Key": key, "Body": body}
    if content_type is not None:
        kwargs["ContentType"] = content_type
    call("PutObject", s3.put_object, **kwargs)


def delete_object(s3: S3Client, uri: str) -> None:
    """Delete the object at *uri* (a missing one is no error)."""
    bucket, key = split_s3_uri(uri)
    call("DeleteObject", s3.delete_object, Bucket=bucket, Key=key)
