"""scripts/load.py drives only 127.0.0.1, stops at its bounds and counts what failed."""

from __future__ import annotations

import importlib.util
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "load.py"


@pytest.fixture(scope="module")
def load():
    spec = importlib.util.spec_from_file_location("perfsite_load_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status = 200 if self.path == "/ok" else 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("url", ["http://example.com:80", "https://127.0.0.1:8000", "http://localhost:8000"])
def test_refuses_anything_but_plain_http_on_127_0_0_1(load, url):
    with pytest.raises(SystemExit):
        load.local_only(url)


def test_a_phase_stops_at_its_request_cap_and_counts_failures(load, server):
    parts = load.local_only(server)
    paths = iter(["/ok", "/missing"] * 10)
    lock = threading.Lock()

    def pick(rng):
        with lock:
            return next(paths), None

    phase = load.run_phase(parts, users=3, seconds=30, max_requests=8, pick=pick, timeout=5)
    assert len(phase.latencies) == 8
    assert sum(phase.failures.values()) == 4
    assert phase.failures == {"HTTP 404 /missing": 4}


def test_thinking_users_make_fewer_requests_in_the_same_time(load, server):
    parts = load.local_only(server)
    phase = load.run_phase(
        parts, users=2, seconds=0.6, max_requests=10_000, pick=lambda rng: ("/ok", None), timeout=5, think=0.2
    )
    # Two users pausing 0.2 s on average for 0.6 s can make a handful of requests, never thousands.
    assert 0 < len(phase.latencies) < 40
    assert phase.failures == {}
