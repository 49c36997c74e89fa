"""gunicorn on a free loopback port, configured as in production (DEBUG off, manifest statics)."""

from __future__ import annotations

import http.client
import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# The production settings of gunicorn (gc.freeze after fork, ...), when the project has them.
GUNICORN_CONFIG = "mirpal.gunicorn_conf"
STARTUP_SECONDS = 180


def gunicorn_config() -> str | None:
    """The config module gunicorn is started with, or None when the project has none."""
    return GUNICORN_CONFIG if importlib.util.find_spec(GUNICORN_CONFIG) is not None else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env() -> dict[str, str]:
    """A production deployment's settings on plain HTTP, for gunicorn and the bench process alike.

    Without MIRPAL_TESTING, passwords get the production hasher, so the demo accounts created by
    the bench process can sign in on the server.
    """
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("MIRPAL_BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "MIRPAL_URLCONF": "bench.urls",
        # DEBUG off refuses the embedded database unless it is asked for (mirpal/settings.py).
        "MIRPAL_EMBEDDED": "1",
    }
    env["MIRPAL_BENCH_SECRET_KEY"] = env["SECRET_KEY"]
    env.pop("MIRPAL_TESTING", None)
    return env


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def server_start(*, workers: int, log: Path, probe: str = "/bench/bare/") -> Server:
    """Collect static files, start gunicorn with `workers` sync workers, wait until it answers.

    gunicorn reads the project's config module; workers and address from the command line win.
    """
    port = free_port()
    env = {**production_env(), "SITE_URL": f"http://{HOST}:{port}"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    config = gunicorn_config()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                *(["--config", f"python:{config}"] if config else []),
                "mirpal.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--error-logfile",
                "-",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process=process, port=port, log=log)
    # Five workers importing Django on two busy cores can take a minute.
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", probe)
            if connection.getresponse().status == 200:
                connection.close()
                return server
            connection.close()
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(
                f"gunicorn did not answer on {HOST}:{port} in {STARTUP_SECONDS} s; see {log}"
            )
        time.sleep(0.2)
