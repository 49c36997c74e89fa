"""Two web nodes behind nginx beside one: the anonymous event list and the API event list served
through the distribution's nginx (configured by deploy/nginx/render.py, as deployed) in front of
the bench's gunicorn alone, then in front of it and a second gunicorn of the same size.

On one machine both nodes share its cores, so the second node adds no capacity here: the rows
show what the proxy costs and that the load spreads over both nodes, not how a second machine
scales."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from bench import report
from bench.cpu import ServerCpu
from bench.server import BASE_DIR, HOST, Server, free_port, server_start
from deploy.nginx.render import render_standalone

# The scenarios measured through nginx, by key.
BEHIND_NGINX = ("event-list-anonymous", "api-events")


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


class Servers:
    """The CPU of several gunicorn masters and their workers, read as one."""

    def __init__(self, servers: list[Server]) -> None:
        self.cpus = [ServerCpu(server.process.pid) for server in servers]
        self.master_pid = self.cpus[0].master_pid

    def seconds(self) -> float | None:
        readings = [cpu.seconds() for cpu in self.cpus]
        return None if None in readings else sum(readings)


class Nginx:
    def __init__(self, binary: str, upstreams: list[str]) -> None:
        self.binary = binary
        self.port = free_port()
        self.prefix = Path(tempfile.mkdtemp(prefix="mirpal-bench-nginx-"))
        # Started as root, nginx's workers run as another user, who must enter the folder.
        self.prefix.chmod(0o755)
        config = self.prefix / "nginx.conf"
        config.write_text(
            render_standalone(upstreams, prefix=self.prefix, listen=f"{HOST}:{self.port}")
        )
        self.process = subprocess.Popen(
            [binary, "-c", str(config), "-p", str(self.prefix), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        time.sleep(0.5)
        if self.process.poll() is not None:
            raise RuntimeError(f"nginx did not start: {(self.prefix / 'error.log').read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        shutil.rmtree(self.prefix, ignore_errors=True)


def measure_behind_nginx(
    *, options, first: Server, requests: dict, scenarios, measure, generator, database_cpu
) -> list[report.Row]:
    """Rows for the BEHIND_NGINX scenarios: through nginx to `first` alone, then to `first` and
    a second node. `requests` maps a scenario's key to its (path, headers); `measure` is
    bench.run.measure."""
    binary = nginx_binary()
    chosen = [scenario for scenario in scenarios if scenario.key in BEHIND_NGINX]
    if binary is None or not chosen:
        if chosen:
            print("(not measured: the pages behind nginx; nginx is not installed)")
        return []
    rows: list[report.Row] = []
    log = BASE_DIR / ".local" / "bench" / "gunicorn-second-node.log"
    second = server_start(workers=options.workers, log=log)
    try:
        for label, nodes in (("1 node", [first]), ("2 nodes", [first, second])):
            nginx = Nginx(binary, [f"{HOST}:{node.port}" for node in nodes])
            try:
                for scenario in chosen:
                    path, headers = requests[scenario.key]
                    if options.warmup > 0:
                        generator.run(
                            port=nginx.port, path=path, headers=headers, duration=options.warmup
                        )
                    rows.append(
                        measure(
                            scenario=scenario,
                            name=f"{scenario.name.format(**vars(options))}, nginx + {label}",
                            generator=generator,
                            port=nginx.port,
                            path=path,
                            headers=headers,
                            duration=options.duration,
                            server_cpu=Servers(nodes),
                            database_cpu=database_cpu,
                        )
                    )
            finally:
                nginx.stop()
    finally:
        second.stop()
    return rows
