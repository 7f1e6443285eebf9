"""Shared fixtures: real gateways on 127.0.0.1 (one without auth, one with), real boto3 clients."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import boto3
import pytest
import uvicorn
from botocore import UNSIGNED
from botocore.config import Config

from core.model_registry import registry
from core.settings import Settings
from gateway.app import create_app
from gateway.catalog import ServiceCatalog

ACCESS_KEY = "AKIDTESTGATEWAY"
SECRET_KEY = "test-secret-key"
API_KEY = "test-api-key"


@dataclass
class RunningGateway:
    url: str
    settings: Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def start_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., RunningGateway]]:
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(catalog: ServiceCatalog | None = None, **overrides: object) -> RunningGateway:
        """A gateway over the default services, or over `catalog` (services under construction)."""
        settings = Settings(**{"data_dir": tmp_path_factory.mktemp("data"), **overrides})  # type: ignore[arg-type]
        port = _free_port()
        app = create_app(settings, catalog=catalog)
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("gateway did not start")
            time.sleep(0.02)
        servers.append((server, thread))
        return RunningGateway(f"http://127.0.0.1:{port}", settings)

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
    registry.configure(Settings())


@pytest.fixture(scope="session")
def gateway(start_gateway: Callable[..., RunningGateway]) -> RunningGateway:
    """Auth off, the default a user gets from `make serve`."""
    return start_gateway()


@pytest.fixture(scope="session")
def secured_gateway(start_gateway: Callable[..., RunningGateway]) -> RunningGateway:
    """Auth on: an API key for REST, an access key for SigV4, and a small body limit to test it."""
    return start_gateway(api_keys=[API_KEY], aws_credentials={ACCESS_KEY: SECRET_KEY}, max_body_bytes=256 * 1024)


@pytest.fixture(scope="session")
def aws_client() -> Callable[..., object]:
    def make(service: str, url: str, *, secret: str = SECRET_KEY, access_key: str = ACCESS_KEY,
             signed: bool = True, validate: bool = True) -> object:
        config = Config(
            retries={"max_attempts": 1},
            parameter_validation=validate,
            **({"signature_version": UNSIGNED} if not signed else {}),
        )
        return boto3.client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id=access_key,
                            aws_secret_access_key=secret, config=config)

    return make


@dataclass
class S3Server:
    endpoint_url: str

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name="us-east-1")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """A real S3 API (moto's server) on 127.0.0.1, path-style, with dummy credentials in the environment."""
    from moto.server import ThreadedMotoServer

    mp = pytest.MonkeyPatch()
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        mp.setenv(name, value)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield S3Server(f"http://127.0.0.1:{port}")
    server.stop()
    mp.undo()
