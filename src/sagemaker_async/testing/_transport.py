"""How boto3 reaches the simulator: moto in this process, or a moto server on 127.0.0.1."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final, Literal, Protocol

import boto3
import botocore.session
from moto import mock_aws
from moto.core.base_backend import BackendDict
from moto.core.model_instances import reset_model_data
from moto.server import ThreadedMotoServer

TransportName = Literal["inprocess", "server"]
TRANSPORTS: Final[tuple[TransportName, ...]] = ("inprocess", "server")

# Fake, and sent only to moto: never a real account's.
FAKE_ACCESS_KEY_ID: Final = "testing"
FAKE_SECRET_ACCESS_KEY: Final = "testing"
FAKE_SESSION_TOKEN: Final = "testing"
_PROFILE: Final = "sagemaker-async-simulator"


class Transport(Protocol):
    """Starts and stops moto; tells clients where it listens."""

    name: TransportName

    @property
    def endpoint_url(self) -> str | None:
        """None in-process (moto intercepts botocore), the server's URL otherwise."""
        ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


class InProcess:
    """``moto.mock_aws``: botocore's requests never leave the process."""

    name: TransportName = "inprocess"

    def __init__(self) -> None:
        self._mock = mock_aws()

    @property
    def endpoint_url(self) -> str | None:
        return None

    def start(self) -> None:
        self._mock.start()  # resets moto's state

    def stop(self) -> None:
        self._mock.stop()  # and drops it


class Server:
    """``moto.server.ThreadedMotoServer`` on 127.0.0.1, a free port: real HTTP."""

    name: TransportName = "server"

    def __init__(self) -> None:
        # Port 0: the OS picks a free port; loopback only, never 0.0.0.0.
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._url: str | None = None
        self._werkzeug_level = logging.NOTSET

    @property
    def endpoint_url(self) -> str | None:
        return self._url

    def start(self) -> None:
        _reset_moto()
        # werkzeug logs every request at INFO to stderr; keep test output quiet.
        werkzeug = logging.getLogger("werkzeug")
        self._werkzeug_level = werkzeug.level
        werkzeug.setLevel(logging.WARNING)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self._url = f"http://{host}:{port}"

    def stop(self) -> None:
        try:
            self._server.stop()
        finally:
            self._url = None
            logging.getLogger("werkzeug").setLevel(self._werkzeug_level)
            _reset_moto()


def _reset_moto() -> None:
    # The server thread shares this process's backends; reset them directly (what
    # POST /moto-api/reset does) rather than over HTTP.
    BackendDict.reset()
    reset_model_data()


def make_transport(name: TransportName) -> Transport:
    """The transport called *name*.

    Raises:
        ValueError: *name* is not ``"inprocess"`` or ``"server"``.
    """
    if name == "inprocess":
        return InProcess()
    if name == "server":
        return Server()
    raise ValueError(f"`transport` must be one of {TRANSPORTS}, got {name!r}")


def build_session(region: str, endpoint_url: str | None, directory: Path) -> boto3.Session:
    """A boto3 session with fake credentials whose every client talks to moto.

    The session reads a private AWS config file written to *directory* (never
    ``~/.aws``): its profile sets the region and, for the server transport, an
    ``endpoint_url`` for every service, so clients built from the session by code
    under test reach 127.0.0.1 without being told. In-process, configured
    endpoint URLs are ignored so that moto intercepts every request.
    """
    config_file = directory / "config"
    lines = [f"[profile {_PROFILE}]", f"region = {region}"]
    if endpoint_url is None:
        lines.append("ignore_configured_endpoint_urls = true")
    else:
        lines.append(f"endpoint_url = {endpoint_url}")
    config_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    core = botocore.session.Session()
    core.set_config_variable("config_file", str(config_file))
    core.set_config_variable("credentials_file", str(directory / "credentials"))
    return boto3.Session(
        aws_access_key_id=FAKE_ACCESS_KEY_ID,
        aws_secret_access_key=FAKE_SECRET_ACCESS_KEY,
        aws_session_token=FAKE_SESSION_TOKEN,
        region_name=region,
        botocore_session=core,
        profile_name=_PROFILE,
    )
