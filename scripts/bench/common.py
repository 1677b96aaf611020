"""What every measurement shares: the benchmark quarter, timing, the printed row, raw-SQL floors, signed-in clients."""

from __future__ import annotations

import statistics
import time

QUARTER = "2016-17-q4"
QUARTER_START, QUARTER_END = "2017-01-01", "2017-03-31"


ROWS: list[tuple] = []


def median_seconds(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def query_count(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def report(label: str, seconds: float, floor: float, floor_label: str, queries: int | str = "", extra: str = ""):
    ratio = seconds / floor if floor else float("inf")
    ROWS.append((label, seconds, floor, ratio, queries))
    print(
        f"  {label:38} {seconds * 1000:9.1f} ms   floor {floor * 1000:8.1f} ms ({floor_label:18}) "
        f"ratio {ratio:7.2f}x  queries {queries!s:>4} {extra}",
        flush=True,
    )


def raw_sql(*statements):
    """A floor: run each statement and fetch every row, as the page's own queries would."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def clients():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from load import complete_second_factor

    from perfsite.demo import ensure_demo_second_factors

    # Officers must give a second factor: signed in as the verify page leaves them, not redirected to it.
    ensure_demo_second_factors()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["auditor", "officer", "member"])}
    made = {}
    for name, user in users.items():
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        complete_second_factor(client, user)
        made[name] = client
    return made, users


def page(client, url: str):
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    return get


def cleanup(*statements: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [])


def timed_copy(cursor, table: str, columns: list[str], rows) -> float:
    """Seconds to COPY ``rows`` into ``table`` through Django's ``cursor``: the imports' floor.

    Its foreign keys are checked as it copies: Django declares them DEFERRABLE INITIALLY DEFERRED,
    so a COPY that is rolled back, as the floor is, would otherwise never check them, while an
    import (or a COPY) that commits checks every row's at its commit.
    """
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    start = time.perf_counter()
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return time.perf_counter() - start
