"""The ARNs the IAM policies name, derived from the values that deploy an endpoint.

Each function checks its input and raises a :class:`ValidationError` with one
:class:`Problem` that says what to pass; :class:`Problems` gathers them so a
policy generator reports every bad argument at once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

import attrs

from sagemaker_async.errors import Problem, ValidationError
from sagemaker_async.models import NAME_PATTERN, split_s3_uri

T = TypeVar("T")

SAGEMAKER_PRINCIPAL: Final = "sagemaker.amazonaws.com"
# The endpoint prefix of the SageMaker API in botocore's endpoints.json.
_SAGEMAKER_ENDPOINT_PREFIX: Final = "api.sagemaker"

_ACCOUNT = re.compile(r"[0-9]{12}")
_NAME = re.compile(NAME_PATTERN)
# <account>.dkr.ecr[-fips].<region>.<dns suffix>/<repository>[:tag][@digest], and the
# dual-stack form <account>.dkr-ecr.<region>.on.aws/...
_ECR_IMAGE = re.compile(
    r"(?P<account>[0-9]{12})\.dkr(?:\.ecr(?:-fips)?|-ecr)\.(?P<region>[a-z0-9-]+)\.[a-z0-9.-]+"
    r"/(?P<repository>[^:@\s]+)(?::[^@\s]+)?(?:@\S+)?"
)
_IMAGE_NAME = re.compile(r"(?P<repository>[^:@\s]+)(?::[^@\s/]+)?(?:@\S+)?")
# ECR repository names: lowercase path components separated by '/'.
_REPOSITORY = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")
_KMS_ARN = re.compile(
    r"arn:(?P<partition>[a-z-]+):kms:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):"
    r"(?P<kind>key|alias)/(?P<name>\S+)"
)
_KMS_ALIAS = re.compile(r"alias/[a-zA-Z0-9/_-]+")
_KMS_KEY_ID = re.compile(r"(?:mrk-)?[a-zA-Z0-9-]+")
# Virtual-hosted (bucket.s3[.-]region.amazonaws.com) and path-style S3 hosts.
_S3_VIRTUAL_HOST = re.compile(
    r"(?P<bucket>[a-z0-9.-]+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?"
)
_S3_PATH_HOST = re.compile(r"s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?")


class Problems:
    """Gathers the problems of several checks, to raise them as one error."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, problem: Problem) -> None:
        """Record *problem*."""
        self.found.append(problem)

    def check(self, compute: Callable[[], T], fallback: T) -> T:
        """Return ``compute()``, or record its problems and return *fallback*.

        The fallback is never used for a policy: :meth:`raise_any` raises first.
        """
        try:
            return compute()
        except ValidationError as error:
            self.found.extend(error.problems)
            return fallback

    def raise_any(self, subject: str) -> None:
        """Raise one :class:`ValidationError` if any problem was recorded."""
        if self.found:
            raise ValidationError(subject, self.found)


def invalid(path: str, expected: str, received: object) -> ValidationError:
    """A ValidationError with one problem, for :meth:`Problems.check` to gather."""
    return ValidationError(path, (Problem(path, expected, received),))


@functools.cache
def _sagemaker_partitions() -> Mapping[str, str]:
    """Region -> partition, for every region where botocore knows SageMaker's API."""
    # Imported here: loading botocore's data costs time that `import sagemaker_async` must not.
    from botocore.loaders import create_loader

    data: Any = create_loader().load_data("endpoints")
    found: dict[str, str] = {}
    for partition in data["partitions"]:
        service = partition["services"].get(_SAGEMAKER_ENDPOINT_PREFIX, {})
        # Endpoint keys include pseudo-regions such as "us-east-1-fips": keep real regions.
        for region in service.get("endpoints", {}):
            if region in partition["regions"]:
                found[region] = partition["partition"]
    return found


def check_account(account: object, path: str = "account") -> str:
    """Return *account* if it is a 12-digit account id."""
    if isinstance(account, str) and _ACCOUNT.fullmatch(account):
        return account
    raise invalid(path, "a 12-digit AWS account id as a string, like '123456789012'", account)


def partition_of(region: object) -> str:
    """The partition (``aws``, ``aws-cn``, ``aws-us-gov``, ...) of a SageMaker region."""
    known = _sagemaker_partitions()
    if isinstance(region, str) and region in known:
        return known[region]
    raise invalid(
        "region",
        "a region where SageMaker is offered, like 'us-east-1' or 'cn-north-1' "
        f"(botocore knows {len(known)}; upgrade botocore if the region is new)",
        region,
    )


def check_name(name: object, path: str) -> str:
    """Return *name* if it is a valid SageMaker resource name."""
    if isinstance(name, str) and _NAME.fullmatch(name):
        return name
    raise invalid(
        path,
        f"letters, digits and hyphens, starting and ending with a letter or digit "
        f"(pattern {NAME_PATTERN})",
        name,
    )


@attrs.frozen
class Target:
    """Where the endpoint lives: partition, region and account."""

    partition: str
    region: str
    account: str

    def arn(self, service: str, resource: str) -> str:
        """``arn:<partition>:<service>:<region>:<account>:<resource>``."""
        return f"arn:{self.partition}:{service}:{self.region}:{self.account}:{resource}"

    def sagemaker(self, kind: str, name: str) -> str:
        """The ARN of a SageMaker resource; SageMaker lowercases names in its ARNs."""
        return self.arn("sagemaker", f"{kind}/{name.lower()}")

    def s3(self, path: str) -> str:
        """The ARN of an S3 bucket or object path (S3 ARNs have no region or account)."""
        return f"arn:{self.partition}:s3:::{path}"


@attrs.frozen
class S3Location:
    """A bucket and a key (or key prefix) in it."""

    bucket: str
    key: str

    @property
    def objects(self) -> str:
        """The IAM resource path of every object under this location, as a prefix."""
        prefix = self.key.rstrip("/")
        return f"{self.bucket}/{prefix}/*" if prefix else f"{self.bucket}/*"

    @property
    def artifact(self) -> str:
        """The IAM resource path of the object, or of every object under a prefix."""
        if not self.key or self.key.endswith("/"):
            return f"{self.bucket}/{self.key}*"
        return f"{self.bucket}/{self.key}"


def s3_location(uri: object, path: str) -> S3Location:
    """Split an ``s3://bucket/key`` URI; anything without a valid bucket is a problem."""
    if isinstance(uri, str):
        try:
            bucket, key = split_s3_uri(uri)
        except ValueError:
            pass
        else:
            return S3Location(bucket, key)
    raise invalid(path, "an S3 URI with a bucket, like 's3://bucket/prefix/'", uri)


def model_artifact(url: str, path: str) -> S3Location:
    """The S3 location of a model artifact given as ``s3://`` or ``https://`` URL."""
    if url.startswith("s3://"):
        return s3_location(url, path)
    parts = urlsplit(url)
    host = parts.hostname or ""
    key = parts.path.lstrip("/")
    virtual = _S3_VIRTUAL_HOST.fullmatch(host)
    if virtual is not None:
        return S3Location(virtual["bucket"], key)
    if _S3_PATH_HOST.fullmatch(host) and "/" in key:
        bucket, _, rest = key.partition("/")
        return S3Location(bucket, rest)
    raise invalid(
        path,
        "an s3:// URL of the model artifact (or an https:// URL of an S3 object)",
        url,
    )


def ecr_repository(target: Target, image: str, registry_account: str | None) -> str:
    """The ARN of the ECR repository an image is pulled from."""
    match = _ECR_IMAGE.fullmatch(image)
    if match is not None:
        if registry_account is not None and registry_account != match["account"]:
            raise invalid(
                "registry_account",
                f"None, or the account the image URI names ({match['account']})",
                registry_account,
            )
        repository, account, region = match["repository"], match["account"], match["region"]
    else:
        named = _IMAGE_NAME.fullmatch(image)
        if registry_account is None or named is None:
            raise invalid(
                "model.container.image",
                "an ECR image URI like '123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag' "
                "(or pass registry_account= with the account whose ECR registry holds the "
                "repository)",
                image,
            )
        account = check_account(registry_account, "registry_account")
        repository, region = named["repository"], target.region
    if _REPOSITORY.fullmatch(repository) is None:
        raise invalid(
            "model.container.image",
            "an image whose repository name is lowercase letters, digits and ._-/ "
            "(an ECR repository name)",
            image,
        )
    return f"arn:{target.partition}:ecr:{region}:{account}:repository/{repository}"


@attrs.frozen
class KmsKey:
    """The IAM resource of a KMS key, and the alias that must name it, if any.

    IAM matches KMS actions against key ARNs only: a key given by alias is
    granted as any key of its account and region carrying that alias.
    """

    resource: str
    alias: str | None = None

    @property
    def conditions(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """The condition that ties the key to its alias (none for a key id or ARN)."""
        if self.alias is None:
            return {}
        return {"ForAnyValue:StringEquals": {"kms:ResourceAliases": (self.alias,)}}


def kms_key(target: Target, key_id: str, path: str) -> KmsKey:
    """The IAM resource of a key given by id, ARN, alias name or alias ARN."""
    arn = _KMS_ARN.fullmatch(key_id)
    if arn is not None:
        if arn["kind"] == "key":
            return KmsKey(key_id)
        owner = f"arn:{arn['partition']}:kms:{arn['region']}:{arn['account']}"
        return KmsKey(f"{owner}:key/*", f"alias/{arn['name']}")
    if _KMS_ALIAS.fullmatch(key_id):
        return KmsKey(target.arn("kms", "key/*"), key_id)
    if _KMS_KEY_ID.fullmatch(key_id):
        return KmsKey(target.arn("kms", f"key/{key_id}"))
    raise invalid(path, "a KMS key id, key ARN, alias name ('alias/...') or alias ARN", key_id)


def endpoint_log_group(endpoint_name: str | None) -> str:
    """The CloudWatch log group of an endpoint (every endpoint's when unnamed)."""
    return f"/aws/sagemaker/Endpoints/{'*' if endpoint_name is None else endpoint_name}"
