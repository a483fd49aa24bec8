"""S3 emulators on 127.0.0.1 for the lakehouse store tests: moto speaking the real S3 HTTP protocol.

``ThreadedMotoServer`` runs inside the test process and suits s3fs. delta-rs holds the GIL during some
HTTP calls, which would starve an in-process server, so Delta tests on ``s3://`` run moto as a child
process (``python -m moto.server``). moto's state is per process: every test makes its own bucket.

What moto 5.2 guarantees (read in ``moto/s3/responses.py``, ``put_object``): ``If-None-Match: *`` and
``If-Match: <etag>`` are checked and answered with 412 ``PreconditionFailed``, but the check and the
write are not under a lock, so two requests arriving together could in theory both pass. Real S3
serialises them. The deterministic tests therefore prove the retry logic, and the threaded ones
exercise it; pyproject pins ``moto[server]`` to the 5.2 line that was checked.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

CREDENTIALS = {"key": "testing", "secret": "testing"}


@dataclass
class S3Endpoint:
    url: str
    stop: Any

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )

    def new_bucket(self) -> str:
        name = f"t-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name)
        return name

    def s3fs_options(self, **extra: Any) -> dict[str, Any]:
        """s3fs options that fail fast: a stopped server answers within about a second."""
        return {
            **CREDENTIALS,
            "client_kwargs": {"endpoint_url": self.url, "region_name": "us-east-1"},
            "config_kwargs": {"connect_timeout": 1, "read_timeout": 5, "retries": {"max_attempts": 1}},
            **extra,
        }

    def delta_options(self) -> dict[str, str]:
        return {
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
            "aws_region": "us-east-1",
            "aws_endpoint_url": self.url,
            "aws_allow_http": "true",
            "aws_conditional_put": "etag",
            "max_retries": "1",
            "retry_timeout": "2s",
            "connect_timeout": "1s",
            "timeout": "10s",
        }


def threaded_server() -> S3Endpoint:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return S3Endpoint(url=f"http://{host}:{port}", stop=server.stop)


def process_server() -> S3Endpoint:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("moto server did not start") from None
            time.sleep(0.05)

    def stop() -> None:
        proc.terminate()
        proc.wait(timeout=10)

    return S3Endpoint(url=f"http://127.0.0.1:{port}", stop=stop)


@pytest.fixture(scope="session")
def s3_threaded() -> Iterator[S3Endpoint]:
    endpoint = threaded_server()
    yield endpoint
    endpoint.stop()


@pytest.fixture(scope="session")
def s3_process() -> Iterator[S3Endpoint]:
    endpoint = process_server()
    yield endpoint
    endpoint.stop()
