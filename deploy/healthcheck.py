"""The container's health check: asks this node's gunicorn for /healthz/live (or /healthz/ready).

    python deploy/healthcheck.py [live|ready]     exit 0 on a 200, 1 otherwise

Standard library only (the slim image has no curl). The request is made the way nginx makes it,
because the settings answer anything else with a 400 or a redirect: a Host from ALLOWED_HOSTS,
and X-Forwarded-Proto: https, which Django believes when PROXY_COUNT is set (it is, behind
nginx); without PROXY_COUNT, SECURE_SSL_REDIRECT=0 is needed for a 200 over plain HTTP.
"""

import http.client
import os
import sys


def host() -> str:
    for name in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = name.strip()
        if name and name != "*":
            # ".example.org" allows every subdomain: any one of them will do.
            return "www" + name if name.startswith(".") else name
    return "localhost"


def main(argv: list[str]) -> int:
    probe = argv[1] if len(argv) > 1 else "live"
    if probe not in {"live", "ready"}:
        print(f"unknown probe {probe!r}: live or ready", file=sys.stderr)
        return 2
    port = int(os.environ.get("PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request(
            "GET",
            f"/healthz/{probe}",
            headers={"Host": host(), "X-Forwarded-Proto": "https"},
        )
        response = connection.getresponse()
        body = response.read(512)
    except OSError as error:
        print(f"/healthz/{probe}: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if response.status != 200:
        print(f"/healthz/{probe}: {response.status} {body!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
