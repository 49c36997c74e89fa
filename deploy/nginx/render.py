"""Render deploy/nginx/mirpal.conf.template for given web nodes and a listening address.

    python deploy/nginx/render.py --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 \\
        --listen 127.0.0.1:8080 --standalone --prefix /tmp/mirpal-nginx > /tmp/mirpal-nginx.conf
    nginx -t -c /tmp/mirpal-nginx.conf && nginx -c /tmp/mirpal-nginx.conf

Without --standalone the output is the http-level part that /etc/nginx/conf.d/ includes (the
compose file mounts deploy/nginx/mirpal.conf, which is this script's output with its defaults:
`python deploy/nginx/render.py > deploy/nginx/mirpal.conf` after changing the template). With
--standalone it is a whole nginx.conf whose pid, logs, temporary files and cache live under
--prefix, so a rehearsal (or a test) runs an nginx of its own next to the system's.

Only ${MIRPAL_...} placeholders are filled; nginx's own $variables pass through untouched.
Standard library only: it runs with any Python 3.11, inside or outside the project's venv.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("mirpal.conf.template")
# The compose file's defaults: the `web` service (every replica: Docker's DNS gives nginx each
# address), nginx's own port 80 in its container.
DEFAULT_UPSTREAMS = ("web:8000",)
DEFAULT_LISTEN = "80"
DEFAULT_RESOLVER = "127.0.0.11"
DEFAULT_LIBRARY_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PLACEHOLDER = re.compile(r"\$\{(MIRPAL_[A-Z_]+)\}")


def client_max_body_size(library_max_upload_bytes: int | None = None) -> str:
    """Two library files at the limit (a magazine issue's PDF and cover) and 1 MiB for the rest
    of the form, in whole megabytes as nginx reads them."""
    if library_max_upload_bytes is None:
        library_max_upload_bytes = int(
            os.environ.get("LIBRARY_MAX_UPLOAD_BYTES", DEFAULT_LIBRARY_MAX_UPLOAD_BYTES)
        )
    mebibyte = 1024 * 1024
    return f"{-(-(2 * library_max_upload_bytes + mebibyte) // mebibyte)}m"


def render(
    upstreams: list[str] | tuple[str, ...] = DEFAULT_UPSTREAMS,
    *,
    listen: str = DEFAULT_LISTEN,
    server_name: str = "_",
    forwarded_proto: str = "$scheme",
    body_size: str | None = None,
    # The official image has /var/cache/nginx; Debian's package has /var/lib/nginx instead.
    cache_dir: str = "/var/cache/nginx/mirpal",
    # The official image links this file to its standard output; Debian's nginx keeps the file.
    access_log: str = "/var/log/nginx/access.log",
    max_fails: int = 3,
    fail_timeout: str = "10s",
    resolver: str | None = None,
) -> str:
    """The http-level configuration (upstream, maps, cache, server) for conf.d/.

    With `resolver` (Docker's is 127.0.0.11) the upstream names are looked up again while nginx
    runs (`resolve`, nginx 1.27.3 or later), so web replicas added, removed or recreated with new
    addresses are found without reloading nginx; without it they are looked up once, at start.
    """
    if not upstreams:
        raise ValueError("at least one upstream (host:port) is needed")
    resolve = " resolve" if resolver else ""
    servers = "\n".join(
        f"    server {address} max_fails={max_fails} fail_timeout={fail_timeout}{resolve};"
        for address in upstreams
    )
    if resolver:
        # The upstream's state must live in shared memory for `resolve` to update it.
        servers = "    zone mirpal_web 64k;\n" + servers
    values = {
        "MIRPAL_RESOLVER": (
            f"# Names in the upstream are looked up again every 10 s (Docker's DNS).\n"
            f"resolver {resolver} valid=10s ipv6=off;\n\n"
            if resolver
            else ""
        ),
        "MIRPAL_UPSTREAM_SERVERS": servers,
        "MIRPAL_LISTEN": listen,
        "MIRPAL_SERVER_NAME": server_name,
        "MIRPAL_FORWARDED_PROTO": forwarded_proto,
        "MIRPAL_CLIENT_MAX_BODY_SIZE": body_size or client_max_body_size(),
        "MIRPAL_CACHE_DIR": cache_dir,
        "MIRPAL_ACCESS_LOG": access_log,
    }

    def fill(match: re.Match) -> str:
        try:
            return values[match.group(1)]
        except KeyError:
            raise KeyError(
                f"the template names {match.group(1)}, which render() does not fill"
            ) from None

    return PLACEHOLDER.sub(fill, TEMPLATE.read_text())


def render_standalone(
    upstreams: list[str] | tuple[str, ...],
    *,
    prefix: str | Path,
    listen: str,
    worker_processes: int = 1,
    **options,
) -> str:
    """A complete nginx.conf keeping everything it writes under `prefix` (a directory that
    nginx's worker user can enter, i.e. not 0700 when nginx starts as root)."""
    prefix = Path(prefix)
    site = render(
        upstreams,
        listen=listen,
        cache_dir=str(prefix / "cache"),
        access_log=str(prefix / "access.log"),
        **options,
    )
    indented = "\n".join(f"    {line}" if line else "" for line in site.splitlines())
    return f"""# A complete nginx.conf for MIRPAL, rendered by deploy/nginx/render.py --standalone.
worker_processes {worker_processes};
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;

events {{
    worker_connections 1024;
}}

http {{
    default_type application/octet-stream;
    client_body_temp_path {prefix / "client_body"};
    proxy_temp_path {prefix / "proxy"};
    fastcgi_temp_path {prefix / "fastcgi"};
    uwsgi_temp_path {prefix / "uwsgi"};
    scgi_temp_path {prefix / "scgi"};

{indented}
}}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--upstream",
        action="append",
        help="a web node, host:port (repeat for each); default: web:8000",
    )
    parser.add_argument("--listen", default=DEFAULT_LISTEN, help="nginx's listen, e.g. 8080")
    parser.add_argument("--server-name", default="_")
    parser.add_argument(
        "--forwarded-proto",
        default="$scheme",
        help="what X-Forwarded-Proto says: $scheme, or $http_x_forwarded_proto behind a balancer",
    )
    parser.add_argument("--client-max-body-size", default=None, help="default: from the library")
    parser.add_argument(
        "--resolver",
        default=None,
        help="DNS server to look upstream names up again at run time (nginx >= 1.27.3); "
        "default: Docker's when the upstreams are the compose default, none otherwise",
    )
    parser.add_argument(
        "--cache-dir",
        default="/var/cache/nginx/mirpal",
        help="the static files' cache; its parent must exist (Debian: /var/lib/nginx/mirpal)",
    )
    parser.add_argument("--access-log", default="/var/log/nginx/access.log")
    parser.add_argument("--standalone", action="store_true", help="a whole nginx.conf")
    parser.add_argument("--prefix", help="with --standalone: where pid, logs and cache go")
    parser.add_argument("--output", "-o", help="write here instead of standard output")
    args = parser.parse_args(argv)
    upstreams = args.upstream or list(DEFAULT_UPSTREAMS)
    resolver = args.resolver or (None if args.upstream else DEFAULT_RESOLVER)
    options = {
        "resolver": resolver,
        "listen": args.listen,
        "server_name": args.server_name,
        "forwarded_proto": args.forwarded_proto,
        "body_size": args.client_max_body_size,
    }
    if args.standalone:
        # Everything nginx writes goes under --prefix.
        if not args.prefix:
            parser.error("--standalone needs --prefix")
        Path(args.prefix).mkdir(parents=True, exist_ok=True)
        text = render_standalone(upstreams, prefix=Path(args.prefix).resolve(), **options)
    else:
        text = render(upstreams, cache_dir=args.cache_dir, access_log=args.access_log, **options)
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
