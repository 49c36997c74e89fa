"""wrk, driven by the Lua script bench.wrk writes: headers reach the server, a non-2xx answer is
an error, and the figures its done() prints are read back."""

import argparse
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.run import Generator, generator_choose
from bench.wrk import lua_script, lua_string, parse_report, run_wrk, wrk_binary

needs_wrk = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


class _RecordingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        with self.server.lock:
            self.server.answered += 1
            self.server.headers.append(dict(self.headers))
        status = {"/ok": 200, "/moved": 302}.get(self.path, 404)
        body = b"{}"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def recording_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RecordingHandler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.answered = 0
    server.headers = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@needs_wrk
def test_sends_the_headers_and_counts_the_answers(recording_server):
    headers = {
        "Cookie": 'sessionid=abc"\\def',
        "Authorization": "Api-Key 1234.secret",
        "Accept-Language": "ru-RU,ru;q=0.9",
    }

    result = run_wrk(
        binary=shutil.which("wrk"),
        host="127.0.0.1",
        port=recording_server.server_address[1],
        path="/ok",
        headers=headers,
        duration=1,
        threads=2,
        connections=4,
    )

    assert result.errors == 0
    assert result.requests > 20
    # wrk counts the answers inside its window; the server may have answered a few more.
    assert result.requests <= recording_server.answered <= result.requests + 4
    assert all(
        {name: seen[name] for name in headers} == headers for seen in recording_server.headers
    )
    assert 0 < result.percentile(50) <= result.percentile(95) <= result.percentile(99)
    assert result.per_second == pytest.approx(result.requests / result.seconds)


@needs_wrk
@pytest.mark.parametrize("path", ["/moved", "/missing"])
def test_an_answer_other_than_2xx_is_an_error(recording_server, path):
    result = run_wrk(
        binary=shutil.which("wrk"),
        host="127.0.0.1",
        port=recording_server.server_address[1],
        path=path,
        duration=1,
        threads=1,
        connections=2,
    )

    assert result.requests == 0
    assert result.errors >= recording_server.answered - 2 > 0


def test_report_line_is_parsed_and_failures_add_up():
    output = (
        "Running 5s test @ http://127.0.0.1:8000/\n"
        "  2 threads and 8 connections\n"
        "MIRPAL-WRK requests=1200 duration_us=5000000 not_2xx=3 connect=0 read=2 write=0 "
        "timeout=1 p50_us=6500 p90_us=9000 p95_us=11250 p99_us=20000\n"
    )

    result = parse_report(output)

    assert (result.requests, result.errors, result.seconds) == (1197, 6, 5.0)
    assert result.per_second == pytest.approx(239.4)
    assert (result.percentile(50), result.percentile(95)) == (6.5, 11.25)


def test_report_without_the_script_line_is_refused():
    with pytest.raises(ValueError, match="MIRPAL-WRK"):
        parse_report("Running 5s test @ http://127.0.0.1:8000/\n")


def test_lua_strings_escape_quotes_backslashes_and_non_ascii():
    assert lua_string('a"b\\c') == '"a\\034b\\092c"'
    assert lua_string("é\n") == '"\\195\\169\\010"'
    script = lua_script({"Cookie": "sessionid=x"})
    assert 'wrk.headers["Cookie"] = "sessionid=x"' in script
    assert "function done(summary, latency, requests)" in script


def test_refuses_anything_but_loopback():
    with pytest.raises(ValueError, match="loopback only"):
        run_wrk(binary="wrk", host="example.org", port=80, path="/", duration=1)


def test_without_wrk_and_without_root_the_python_generator_runs(
    recording_server, monkeypatch, tmp_path
):
    monkeypatch.setenv("PATH", str(tmp_path))  # no wrk, no apt-get
    options = argparse.Namespace(generator="auto", clients=1, connections=2)

    generator = generator_choose(options)
    result = generator.run(
        port=recording_server.server_address[1], path="/ok", headers={}, duration=0.5
    )

    assert generator.wrk is None
    assert "Python bench.load" in generator.describe()
    assert "wrk is not installed" in generator.describe()
    assert result.requests > 0
    assert result.errors == 0


def test_wrk_is_installed_only_by_root(monkeypatch, tmp_path):
    fake_apt = tmp_path / "apt-get"
    fake_apt.write_text("#!/bin/sh\nexit 1\n")
    fake_apt.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(os, "geteuid", lambda: 1000)

    assert wrk_binary(install=True) == (
        None,
        "wrk is not installed and this user cannot install it (apt-get as root)",
    )


@needs_wrk
def test_wrk_when_there_is_one():
    generator = generator_choose(argparse.Namespace(generator="auto", clients=2, connections=4))

    assert generator == Generator(shutil.which("wrk"), "", threads=2, connections=8)
    assert generator.describe() == f"wrk ({shutil.which('wrk')}), 2 threads, 8 connections"
