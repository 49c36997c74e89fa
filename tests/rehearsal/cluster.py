"""The pieces of a two-node rehearsal: gunicorn web nodes in the production configuration, each
with its own local folders, and nginx from the distribution in front of them, configured by
deploy/nginx/render.py as a deployment is."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from deploy.nginx.render import render_standalone
from tests.worker import ROOT

HOST = "127.0.0.1"
SECRET_KEY = "rehearsal-" + "x7Qp2mLw9RtZ4nB6yHc1" * 3


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def production_env(base: dict[str, str]) -> dict[str, str]:
    """A deployment's settings on plain HTTP behind one proxy, on the test run's services."""
    env = {key: value for key, value in os.environ.items() if key != "MIRPAL_TESTING"}
    return (
        env
        | {
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "PROXY_COUNT": "1",
            "LOG_LEVEL": "WARNING",
        }
        | base
    )


def collect_static(env: dict[str, str]) -> None:
    """The manifest the production static storage reads (as a deployment's build step makes)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )


def wait_for(url: str, *, timeout: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited; its log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout:g} s; log:\n{log.read_text()[-3000:]}")


class WebNode:
    """gunicorn with the project's config, two sync workers, its own MEDIA_ROOT and
    PROTECTED_MEDIA_ROOT (what a second machine would have), on a free port."""

    def __init__(self, name: str, *, env: dict[str, str], folder: Path, port: int) -> None:
        self.name = name
        self.port = port
        self.folder = folder / name
        self.log = folder / f"{name}.log"
        self.env = env | {
            "MEDIA_ROOT": str(self.folder / "media"),
            "PROTECTED_MEDIA_ROOT": str(self.folder / "protected"),
        }
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def files(self) -> list[Path]:
        """Every file the node wrote to its own folders."""
        return [path for path in self.folder.rglob("*") if path.is_file()]

    def start(self) -> WebNode:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "--config",
                    "python:mirpal.gunicorn_conf",
                    "mirpal.wsgi",
                    "--bind",
                    f"{HOST}:{self.port}",
                    "--workers",
                    "2",
                    "--error-logfile",
                    "-",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(f"{self.url}/healthz/ready", timeout=120, process=self.process, log=self.log)
        return self

    def kill(self) -> None:
        """The machine dies: master and workers at once, nothing finished."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


class Nginx:
    """The distribution's nginx with deploy/nginx's configuration, everything it writes kept in
    its own folder."""

    def __init__(self, binary: str, *, upstreams: list[str], port: int, folder: Path) -> None:
        self.binary = binary
        self.port = port
        self.prefix = folder / "nginx"
        self.upstreams = upstreams
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> Nginx:
        self.prefix.mkdir(parents=True, exist_ok=True)
        # nginx started as root runs its workers as another user, who must enter the folder
        # (the rehearsal's folder is made 0755 too).
        self.prefix.chmod(0o755)
        config = self.prefix / "nginx.conf"
        config.write_text(
            render_standalone(self.upstreams, prefix=self.prefix, listen=f"{HOST}:{self.port}")
        )
        log = self.prefix / "error.log"
        log.touch()
        check = subprocess.run(
            [self.binary, "-t", "-c", str(config), "-p", str(self.prefix)],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t refused the configuration:\n{check.stderr}")
        self.process = subprocess.Popen(
            [self.binary, "-c", str(config), "-p", str(self.prefix), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(f"{self.url}/healthz/live", timeout=30, process=self.process, log=log)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
