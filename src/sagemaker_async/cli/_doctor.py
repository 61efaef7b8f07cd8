"""``doctor``: what stands between this machine and a working deployment, with remedies.

Only read-only calls: STS for the identity, S3 for the buckets, IAM for the
role (and ``iam:SimulatePrincipalPolicy`` when the caller may use it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from sagemaker_async.models import split_s3_uri

from ._aws import session_for
from ._console import EXIT_FAILED, EXIT_OK, Console
from ._doctor_permissions import NotChecked, check_caller, missing
from ._policies import policies_of

if TYPE_CHECKING:
    from ._deployment_file import Deployment

MINIMUM_BOTOCORE = (1, 44, 4)

Check = Callable[[], str]
"""Returns what it found; raises :class:`Trouble` with the remedy."""


class Trouble(Exception):
    """A check failed; the text says what to do."""


def run_doctor(args: argparse.Namespace, console: Console) -> int:
    """Run every check, one line each; exit 1 if any failed."""
    from ._context import read

    deployment = read(args.file) if args.file is not None else None
    session = session_for(args, deployment.region if deployment else None)

    def client(service: str) -> Any:
        return cast(Any, session).client(service, endpoint_url=args.endpoint_url)

    caller: list[str] = []

    def identity() -> str:
        caller.append(_identity(client("sts"), deployment))
        return caller[-1]

    checks: list[tuple[str, Check]] = [
        ("versions", _versions),
        ("region", lambda: _region(session.region_name)),
        ("credentials", identity),
    ]
    if deployment is not None:
        for bucket in _buckets(deployment):
            checks.append((f"bucket {bucket}", _bucket_check(client, bucket, deployment.region)))
        checks.append(("execution role", lambda: _role(client("iam"), deployment)))
        checks.append(
            ("caller permissions", lambda: _permissions(client("iam"), caller, deployment))
        )
    failed = 0
    for name, check in checks:
        try:
            console.say(f"ok    {name}: {check()}")
        except Trouble as trouble:
            failed += 1
            console.say(f"FAIL  {name}: {trouble}")
        except Exception as error:
            failed += 1
            console.say(f"FAIL  {name}: {error}")
    console.say(f"{len(checks) - failed} of {len(checks)} checks passed")
    return EXIT_FAILED if failed else EXIT_OK


def _versions() -> str:
    import boto3
    import botocore

    from sagemaker_async.aws._services import user_agent

    found = tuple(int(part) for part in botocore.__version__.split(".")[:3])
    text = (
        f"{user_agent().replace('/', ' ')}, Python {sys.version.split()[0]}, "
        f"boto3 {boto3.__version__}, botocore {botocore.__version__}"
    )
    if found < MINIMUM_BOTOCORE:
        raise Trouble(f"{text}: botocore >= 1.44.4 needed; pip install -U boto3 botocore")
    return text


def _region(region: str | None) -> str:
    if not region:
        raise Trouble("none configured: pass --region, set AWS_DEFAULT_REGION or run aws configure")
    return region


def _identity(sts: Any, deployment: Deployment | None) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        arn = str(sts.get_caller_identity()["Arn"])
        account = str(sts.get_caller_identity()["Account"])
    except (BotoCoreError, ClientError) as error:
        raise Trouble(
            f"{error}; run `aws configure` or `aws sso login`, or pass --profile"
        ) from None
    if deployment is not None and account != deployment.account:
        raise Trouble(
            f"signed in as {arn}, in account {account}, but the file says account "
            f"{deployment.account}: pass the right --profile or fix `account`"
        )
    return arn


def _permissions(iam: Any, caller: list[str], deployment: Deployment) -> str:
    if not caller:
        raise Trouble("unknown caller (the credentials check failed)")
    try:
        missing = check_caller(iam, caller[0], deployment)
    except NotChecked as reason:
        return f"not checked: {reason}; compare with the caller policy `sagemaker-async iam` prints"
    if missing:
        raise Trouble(
            f"{caller[0]} may not {missing}: attach the caller policy `sagemaker-async iam` prints"
        )
    return f"{caller[0]} may do every step of the file's caller policy"


def _buckets(deployment: Deployment) -> list[str]:
    paths = [deployment.config.async_inference.output_path]
    paths.append(deployment.config.async_inference.failure_path or "")
    paths.append(deployment.input_path or "")
    names = [split_s3_uri(path)[0] for path in paths if path]
    return list(dict.fromkeys(names))


def _bucket_check(client: Callable[[str], Any], bucket: str, region: str) -> Check:
    def check() -> str:
        from botocore.exceptions import ClientError

        s3 = client("s3")
        try:
            located = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint")
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            raise Trouble(
                f"{code}: create it in {region}, or allow s3:GetBucketLocation on it"
            ) from None
        where = located or "us-east-1"
        if where != region:
            raise Trouble(
                f"in {where}, the endpoint in {region}: use a bucket in {region} "
                "(cross-Region results cost transfer and need other permissions)"
            )
        return f"reachable, in {where}"

    return check


def _role(iam: Any, deployment: Deployment) -> str:
    from botocore.exceptions import ClientError

    arn = deployment.model.execution_role_arn
    name = arn.rsplit("/", 1)[-1]
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise Trouble(
            f"{code} for {arn}: create it with the trust policy `sagemaker-async iam` "
            "prints, or allow iam:GetRole"
        ) from None
    trust = role.get("AssumeRolePolicyDocument", {})
    text = trust if isinstance(trust, str) else json.dumps(trust)
    if "sagemaker.amazonaws.com" not in text:
        raise Trouble(
            f"{arn} does not trust sagemaker.amazonaws.com: use the trust policy "
            "`sagemaker-async iam` prints"
        )
    try:
        denied = missing(iam, arn, policies_of(deployment)["execution_role_policy"])
    except NotChecked as reason:
        return f"exists, trusts SageMaker (permissions not checked: {reason})"
    if denied:
        raise Trouble(
            f"{arn} may not {denied}: attach the execution role policy `sagemaker-async iam` prints"
        )
    return "exists, trusts SageMaker, may do what the execution role policy grants"
