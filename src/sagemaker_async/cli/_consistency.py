"""Whether a deployment's ARNs, image and keys all belong to its partition and Region.

SageMaker needs the role in the endpoint's partition, and the image, the KMS
keys and the SNS topics in its Region; a file mixing them fails at the first
call that reads them. Every mismatch is reported at once, each naming its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from sagemaker_async.errors import Problem, ValidationError
from sagemaker_async.iam._resources import partition_of

if TYPE_CHECKING:
    from ._deployment_file import Deployment

_ARN: Final = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):(?P<region>[^:]*):"
)
_IMAGE: Final = re.compile(
    r"^\d{12}\.dkr\.ecr(-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<cn>\.cn)?/"
)


def check(deployment: Deployment, source: str) -> None:
    """Raise one :class:`ValidationError` listing every field outside the Region's partition."""
    problems = list(_problems(deployment))
    if problems:
        raise ValidationError(f"deployment file {source}", problems)


def _problems(deployment: Deployment) -> Iterator[Problem]:
    region = deployment.region
    try:
        partition = partition_of(region)
    except ValidationError as error:  # a Region SageMaker (as botocore knows it) lacks
        yield from error.problems
        return
    role = deployment.model.execution_role_arn
    match = _ARN.match(role)
    if match is not None and match["partition"] != partition:
        yield Problem(
            "model.execution_role_arn",
            f"a role in partition {partition} (the partition of region {region})",
            role,
        )
    image = deployment.model.container.image
    found = _IMAGE.match(image)
    # In the endpoint's Region, hence its partition, but for a China-only host name.
    if found is not None and (found["region"] != region or (found["cn"] and partition != "aws-cn")):
        yield Problem(
            "model.container.image",
            f"an ECR image in region {region}, as the endpoint",
            image,
        )
    config = deployment.config
    regional = [("config.kms_key_id", config.kms_key_id)]
    asynchronous = config.async_inference
    regional.append(("config.async_inference.kms_key_id", asynchronous.kms_key_id))
    notification = asynchronous.notification
    if notification is not None:
        regional.append(
            ("config.async_inference.notification.success_topic", notification.success_topic)
        )
        regional.append(
            ("config.async_inference.notification.error_topic", notification.error_topic)
        )
    for field, value in regional:
        arn = _ARN.match(value or "")
        if arn is None:
            continue
        if arn["partition"] != partition or arn["region"] != region:
            yield Problem(
                field, f"an ARN in region {region} (partition {partition}), as the endpoint", value
            )
