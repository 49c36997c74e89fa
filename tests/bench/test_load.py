"""The load generator counts exactly the requests a server answered, so `make bench` can't drift."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import run_load


class _CountingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread workers offer
    disable_nagle_algorithm = True  # headers and body go out in two writes

    def do_GET(self):
        with self.server.lock:
            self.server.answered[self.path] = self.server.answered.get(self.path, 0) + 1
        status, body = (200, b'{"ok": true}') if self.path == "/ok" else (404, b"missing")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def counting_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.answered = {}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_counts_every_answered_request_and_reports_latencies(counting_server):
    result = run_load(
        host="127.0.0.1",
        port=counting_server.server_address[1],
        path="/ok",
        duration=0.5,
        processes=2,
        connections=2,
    )

    # Requests answered after the window closed are not counted; those are at most one per
    # connection.
    answered = counting_server.answered["/ok"]
    assert result.errors == 0
    assert answered - 4 <= result.requests <= answered
    assert result.requests > 50
    assert len(result.latencies_ms) == result.requests
    assert result.per_second == result.requests / 0.5
    assert 0 < result.percentile(50) <= result.percentile(95) <= max(result.latencies_ms)


def test_wrong_status_counts_as_error_and_max_requests_bounds_each_connection(counting_server):
    result = run_load(
        host="127.0.0.1",
        port=counting_server.server_address[1],
        path="/missing",
        duration=2,
        processes=1,
        connections=2,
        max_requests=7,
    )

    assert (result.requests, result.errors) == (0, 14)
    assert counting_server.answered == {"/missing": 14}


def test_refuses_anything_but_loopback():
    with pytest.raises(ValueError, match="loopback only"):
        run_load(host="example.org", port=80, path="/", duration=0.5)
