"""A small real HTTP server on loopback that records webhook deliveries and answers with the
statuses it is told to, in order (then 200).

Loopback is an internal address, refused to outbound requests: tests that deliver to it set
OUTBOUND_ALLOWED_NETWORKS to LOOPBACK (the `allow_loopback` fixture in tests/api/conftest.py, and
the same variable in a worker's environment).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOOPBACK = "127.0.0.1/32"


class HookServer:
    """`headers` go on every answer (a Location for a redirect); `during(request)` runs while
    the POST is being answered, in the server's thread; `endless` streams the answer's body until
    the client hangs up, counting what it managed to send in `streamed`."""

    def __init__(
        self,
        statuses: list[int] | None = None,
        *,
        headers: dict[str, str] | None = None,
        during: Callable[[dict], None] | None = None,
        endless: bool = False,
    ):
        self.statuses = list(statuses or [])
        self.received: list[dict] = []
        self.streamed = 0
        self.finished = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = {"headers": dict(self.headers), "body": body}
                owner.received.append(request)
                if during is not None:
                    during(request)
                code = owner.statuses.pop(0) if owner.statuses else 200
                self.send_response(code)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if endless:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self._stream()
                else:
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                owner.finished.set()

            def _stream(self):
                chunk = b"x" * 65536
                try:
                    while owner.streamed < 1024**3:
                        self.wfile.write(chunk)
                        owner.streamed += len(chunk)
                except OSError:  # the client hung up
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HookServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
