#!/usr/bin/env python
"""A bounded mixed load of N signed-in users against a server on 127.0.0.1, beside a bare view's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perfsite_bench \\
        .venv/bin/python scripts/load.py --users 50 --seconds 120

Without ``--url`` it starts gunicorn as the Procfile does (3 workers) on a free port of 127.0.0.1,
in production mode (DEBUG off, manifest static files, a throwaway secret), and stops it at the end.
With ``--url`` it drives that server instead, which must run with the same DATABASE_URL and
DJANGO_SECRET_KEY as this script, since the users' sessions are created here, in the database.

Up to three phases of ``--seconds`` each (``--phases``): every user requests the bare view
(/healthz); each user requests the key pages in a fixed mix for its role; every user requests the
members' published scorecard. Each phase stops at ``--seconds`` or at ``--max-requests``,
whichever comes first, and never runs past the hard caps below. Only 127.0.0.1 is ever requested.
Prints requests per second, failures and p50/p95/p99 latency.

``--think 0`` (the default) is a closed loop: each user asks again as soon as it has an answer,
which measures the server's capacity (the ratios to the bare view). ``--think S`` makes each user
pause between requests for a time drawn uniformly from 0 to 2*S seconds (S on average), as a
person reading a page does: that is how "N users" of a committee week are modelled for latency.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_USERS = 200
MAX_SECONDS = 900
MAX_REQUESTS = 200_000
QUARTER = "2016-17-q4"
# (username, path, weight): the mix a committee week might bring, most of it members reading.
MIX = (
    ("member", f"/scorecards/{QUARTER}/", 40),
    ("officer", f"/scorecards/{QUARTER}/preview/", 5),
    ("officer", f"/audits/results/?quarter={QUARTER}", 10),
    ("auditor", "/audits/", 15),
    ("officer", f"/indicators/quarters/{QUARTER}/", 15),
    ("officer", "/caseloads/rollup/", 15),
)


def local_only(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.hostname != "127.0.0.1":
        raise SystemExit("load.py only drives http://127.0.0.1:PORT.")
    return parts


def server_environment(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "0")
    env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    env.setdefault("PERFSITE_VAR_DIR", var_dir)
    return env


def start_gunicorn(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [python, "-m", "gunicorn", "perfsite.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "--workers", str(workers)], cwd=ROOT, env=env)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start within 60 s.")


def sessions() -> dict[str, str]:
    """A session cookie for each role's demo user, made in the database the server reads."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    cookies = {}
    for user in get_user_model().objects.filter(username__in={name for name, _, _ in MIX}):
        client = Client()
        client.force_login(user)
        complete_second_factor(client, user)
        cookies[user.username] = client.cookies["sessionid"].value
    missing = {name for name, _, _ in MIX} - set(cookies)
    if missing:
        raise SystemExit(f"No demo user {', '.join(sorted(missing))}: run bench_scale.py or manage.py demo first.")
    return cookies


def complete_second_factor(client, user) -> None:
    """Record a second factor as given, as the verify page does, for a user asked for one: officers
    must give it (PERFSITE_MFA_REQUIRED), so their pages would otherwise answer with a redirect."""
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    from perfsite.mfa.policy import STEP_SESSION_KEY

    session = client.session
    if STEP_SESSION_KEY not in session:
        return
    device = next(devices_for_user(user, confirmed=True), None)
    if device is None:
        raise SystemExit(f"{user.username} must give a second factor but has no device: run manage.py demo first.")
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    del session[STEP_SESSION_KEY]
    session.save()


class Phase:
    def __init__(self, seconds: float, max_requests: int):
        self.deadline = time.monotonic() + seconds
        self.left = max_requests
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.failures: dict[str, int] = {}

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True

    def record(self, seconds: float, failure: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if failure:
                self.failures[failure] = self.failures.get(failure, 0) + 1


def request(parts, path: str, cookie: str | None, timeout: float) -> str | None:
    """One GET; None when it answered 200, else why it failed."""
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return None if response.status == 200 else f"HTTP {response.status} {path}"
    except (OSError, http.client.HTTPException) as exc:
        return f"{type(exc).__name__} {path}"
    finally:
        connection.close()


def run_phase(
    parts, *, users: int, seconds: float, max_requests: int, pick, timeout: float, think: float = 0.0
) -> Phase:
    phase = Phase(seconds, max_requests)

    def user_loop(number: int):
        rng = random.Random(number)  # noqa: S311 - a reproducible mix, not a secret
        if think:
            # Users arrive spread over one think time, not all in the same instant.
            time.sleep(rng.uniform(0, think))
        while phase.take():
            path, cookie = pick(rng)
            start = time.perf_counter()
            failure = request(parts, path, cookie, timeout)
            phase.record(time.perf_counter() - start, failure)
            if think:
                time.sleep(min(rng.uniform(0, 2 * think), max(0.0, phase.deadline - time.monotonic())))

    started = time.perf_counter()
    threads = [threading.Thread(target=user_loop, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + timeout + 5)
    phase.elapsed = time.perf_counter() - started
    return phase


def summarise(label: str, phase: Phase) -> float:
    done = len(phase.latencies)
    rate = done / phase.elapsed if phase.elapsed else 0.0
    if done:
        cuts = statistics.quantiles(phase.latencies, n=100, method="inclusive")
        p50, p95, p99 = (cuts[49], cuts[94], cuts[98])
    else:
        p50 = p95 = p99 = float("nan")
    failed = sum(phase.failures.values())
    print(
        f"  {label:26} {done:7,} requests {rate:8.1f} req/s  p50 {p50 * 1000:8.0f} ms  p95 {p95 * 1000:8.0f} ms  "
        f"p99 {p99 * 1000:8.0f} ms  failures {failed}",
        flush=True,
    )
    for why, count in sorted(phase.failures.items(), key=lambda item: -item[1])[:5]:
        print(f"      {count:6} x {why}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server on http://127.0.0.1:PORT (default: start gunicorn)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=20_000, help="per phase")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers, as the Procfile")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a request counts as failed")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds a user pauses between requests")
    parser.add_argument("--phases", default="bare,mixed,published", help="which phases, comma-separated, in order")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS or not 0 < args.seconds <= MAX_SECONDS:
        raise SystemExit(f"--users is 1 to {MAX_USERS} and --seconds at most {MAX_SECONDS}.")
    phases = [name.strip() for name in args.phases.split(",") if name.strip()]
    if not phases or set(phases) - {"bare", "mixed", "published"}:
        raise SystemExit("--phases names bare, mixed and/or published.")
    if not 0 <= args.think <= 60:
        raise SystemExit("--think is 0 to 60 seconds.")
    max_requests = min(args.max_requests, MAX_REQUESTS)

    var_dir = tempfile.mkdtemp(prefix="perfsite-load-")
    if not args.url:
        os.environ.update(server_environment(var_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")
    import django

    django.setup()
    cookies = sessions()
    server = None
    if args.url:
        url = args.url
    else:
        server, url = start_gunicorn(dict(os.environ), args.workers)
    parts = local_only(url)
    weighted = [(path, name) for name, path, weight in MIX for _ in range(weight)]
    try:
        print(
            f"{url}: {args.users} users, {args.seconds:.0f} s per phase, at most {max_requests:,} requests each, "
            f"think {args.think:g} s"
        )
        print(f"  {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs, {args.workers} gunicorn workers")

        def pick_mixed(rng):
            path, name = rng.choice(weighted)
            return path, cookies[name]

        picks = {
            "bare": ("bare view /healthz", lambda rng: ("/healthz", None)),
            "mixed": ("mixed key pages", pick_mixed),
            "published": ("published scorecard only", lambda rng: (MIX[0][1], cookies["member"])),
        }
        rates = {}
        for name in phases:
            label, pick = picks[name]
            phase = run_phase(
                parts,
                users=args.users,
                seconds=args.seconds,
                max_requests=max_requests,
                pick=pick,
                timeout=args.timeout,
                think=args.think,
            )
            rates[name] = summarise(label, phase)
        if rates.get("bare"):
            ratios = ", ".join(f"{name} {rates[name] / rates['bare']:.3f}x" for name in rates if name != "bare")
            if ratios:
                print(f"  ratio to the bare view: {ratios}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
