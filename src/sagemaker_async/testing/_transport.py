"""How boto3 reaches the simulator: moto in this process, or a moto server on 127.0.0.1."""

from __future__ import annotations

import atexit
import logging
import threading
from pathlib import Path
from typing import Final, Literal, Protocol

import boto3
import botocore.loaders
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
    """A moto server (``ThreadedMotoServer``) on 127.0.0.1, a free port: real HTTP.

    The server thread is started by the first simulator that needs it and then
    kept for the life of the process (stopping one costs half a second of its
    poll loop); each simulator starts and ends with moto's state reset, and the
    server is stopped at interpreter exit.
    """

    name: TransportName = "server"

    def __init__(self) -> None:
        self._url: str | None = None

    @property
    def endpoint_url(self) -> str | None:
        return self._url

    def start(self) -> None:
        _reset_moto()
        self._url = _shared_server_url()

    def stop(self) -> None:
        self._url = None
        _reset_moto()


_server_lock = threading.Lock()
_server: ThreadedMotoServer | None = None


def _shared_server_url(port: int = 0) -> str:
    global _server
    with _server_lock:
        if _server is None:
            # werkzeug logs every request at INFO to stderr; unless the application
            # configured that logger, keep test output quiet.
            werkzeug = logging.getLogger("werkzeug")
            if werkzeug.level == logging.NOTSET:
                werkzeug.setLevel(logging.WARNING)
            # Port 0: the OS picks a free port; loopback only, never 0.0.0.0.
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
            server.start()
            atexit.register(server.stop)
            _server = server
        host, port = _server.get_host_and_port()
    return f"http://{host}:{port}"


def serve_on(port: int) -> str:
    """Start the shared server on *port* of 127.0.0.1 (0: a free one); return its URL.

    Simulators started afterwards with the server transport use it.

    Raises:
        RuntimeError: The server already listens on another port.
    """
    url = _shared_server_url(port)
    if port and not url.endswith(f":{port}"):
        raise RuntimeError(f"the simulator's server already listens on {url}")
    return url


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
    loader = _shared_loader()
    core.register_component("data_loader", loader)
    session = boto3.Session(
        aws_access_key_id=FAKE_ACCESS_KEY_ID,
        aws_secret_access_key=FAKE_SECRET_ACCESS_KEY,
        aws_session_token=FAKE_SESSION_TOKEN,
        region_name=region,
        botocore_session=core,
        profile_name=_PROFILE,
    )
    # boto3 appends its data directory to the loader's paths for every session.
    loader.search_paths[:] = list(dict.fromkeys(loader.search_paths))
    return session


_loader: botocore.loaders.Loader | None = None


def _shared_loader() -> botocore.loaders.Loader:
    # Service models are large JSON files: one loader caches them for every
    # simulator's session, so building a SageMaker client takes milliseconds
    # instead of a tenth of a second.
    global _loader
    with _server_lock:
        if _loader is None:
            _loader = botocore.loaders.create_loader()
        return _loader
