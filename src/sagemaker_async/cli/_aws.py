"""The options every AWS-calling command takes, and the client built from them."""

from __future__ import annotations

import argparse
import ipaddress
import os
from typing import TYPE_CHECKING, Any, Final, cast
from urllib.parse import urlparse

from ._console import BadInput

if TYPE_CHECKING:
    import boto3

    from sagemaker_async import AsyncInferenceClient

# What the simulator accepts; used only for an endpoint URL on this machine.
_LOOPBACK_KEY: Final = "testing"


def add_aws_options(parser: argparse.ArgumentParser) -> None:
    """``--endpoint-url``, ``--region`` and ``--profile``."""
    group = parser.add_argument_group("where to connect")
    group.add_argument(
        "--endpoint-url",
        help="send every request there (the URL `sagemaker-async simulator` prints, LocalStack)",
    )
    group.add_argument("--region", help="the AWS Region; must agree with the file's `region`")
    group.add_argument("--profile", help="the named profile of the AWS config to use")


def session_for(args: argparse.Namespace, file_region: str | None) -> boto3.Session:
    """A boto3 session for the options and the file's Region.

    On an endpoint URL of this machine, with neither ``--profile`` nor
    credentials in the environment, the simulator's fake ones are used, so that
    it needs no setup.

    Raises:
        BadInput: ``--region`` contradicts the file, or the profile does not exist.
    """
    import boto3
    from botocore.exceptions import ProfileNotFound

    region: str | None = args.region
    if region is not None and file_region is not None and region != file_region:
        raise BadInput(
            f"--region {region} contradicts the file's region {file_region}: "
            "drop --region or change the file"
        )
    region = region or file_region
    # Not session.get_credentials(): with none configured, it asks the instance
    # metadata service, which costs seconds off EC2.
    if _is_loopback(args.endpoint_url) and args.profile is None and not _env_credentials():
        return boto3.Session(
            aws_access_key_id=_LOOPBACK_KEY, aws_secret_access_key=_LOOPBACK_KEY, region_name=region
        )
    try:
        return boto3.Session(profile_name=args.profile, region_name=region)
    except ProfileNotFound as error:
        raise BadInput(f"--profile: {error}") from None


class _Connected:
    """A session whose clients all go to one endpoint URL, built on first use."""

    def __init__(self, session: boto3.Session, endpoint_url: str | None) -> None:
        self._session = session
        self._endpoint_url = endpoint_url
        self.region_name = session.region_name

    def client(self, service: str, **kwargs: Any) -> Any:
        return cast(Any, self._session).client(service, endpoint_url=self._endpoint_url, **kwargs)


def connect(args: argparse.Namespace, file_region: str | None) -> AsyncInferenceClient:
    """An ``AsyncInferenceClient`` whose every client honours the options."""
    from sagemaker_async import AsyncInferenceClient

    session = session_for(args, file_region)
    # The client builds each boto3 client when first used, through `client()`.
    return AsyncInferenceClient(cast("boto3.Session", _Connected(session, args.endpoint_url)))


def _env_credentials() -> bool:
    return bool(os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_PROFILE"))


def _is_loopback(url: str | None) -> bool:
    if not url:
        return False
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
