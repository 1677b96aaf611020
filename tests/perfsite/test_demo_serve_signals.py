"""The demo's server stops on SIGINT and SIGTERM, even when started in the background.

A non-interactive shell starts background jobs with SIGINT ignored; the child inherits that, so the
test starts the server the same way and then signals it.
"""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

SERVE = "import django; django.setup(); from perfsite.management.commands.demo import serve; serve('127.0.0.1:{port}')"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_pids(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as children:
            found += [int(child) for child in children.read().split()]
    return found


def wait_until_listening(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the demo server never listened")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_background_demo_server_stops_on_the_signal(signum, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"DJANGO_SETTINGS_MODULE": "perfsite.settings", "DJANGO_DEBUG": "1", "PERFSITE_VAR_DIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE.format(port=port)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # as a shell's `&` does
    )
    try:
        wait_until_listening(port, process)
        children = child_pids(process.pid)
        assert len(children) == 2  # without Redis: the web server and the embedded Celery worker
        process.send_signal(signum)
        assert process.wait(timeout=40) is not None
        for pid in children:  # the worker and the web server stop with the demo
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
