"""Publishing and the published scorecard: a publish's reading, and the member pages served from the cache."""

from __future__ import annotations

import time

from bench.common import QUARTER, clients, median_seconds, page, query_count, report


def measure_publish(repeat: int) -> None:
    """A publish's reading (issue 9: recompute the computed rows, then build the snapshot, in one
    REPEATABLE READ transaction, rolled back) beside building the snapshot alone (the preview's work)."""
    from django.db import transaction

    from indicators.quarters import Quarter
    from perfsite.one_reading import one_reading
    from scorecards.publishing import preview_snapshot, recompute_quarter_figures

    quarter = Quarter.parse(QUARTER)

    def reading():
        with one_reading():
            recompute_quarter_figures(quarter)
            preview_snapshot(quarter)
            transaction.set_rollback(True)

    print("\nPublishing (one reading, rolled back)")
    seconds = median_seconds(reading, repeat)
    floor = median_seconds(lambda: preview_snapshot(quarter), repeat)
    report("publish: one reading", seconds, floor, "snapshot alone", query_count(reading))


def measure_published(repeat: int) -> None:
    """Issue 13 part 1: the published member scorecard served from its cached rendering, its first page's
    size, each part it links to, a conditional GET, and the cost of rendering it cold; floor: /healthz."""
    import re

    from django.core.cache import cache
    from django.test import Client

    made, _ = clients()
    member = made["member"]
    bare_seconds = median_seconds(page(Client(SERVER_NAME="localhost"), "/healthz"), repeat)
    first_url = f"/scorecards/{QUARTER}/"
    cache.clear()
    start = time.perf_counter()
    first = page(member, first_url)()
    cold = time.perf_counter() - start
    print(f"\nPublished scorecard, cached ({repeat} requests each, median; floor /healthz in the same run)")
    report("member first page, cold cache", cold, bare_seconds, "bare view /healthz", "", "rendered on first view")
    fetch = page(member, first_url)
    report(
        "member first page, cached",
        median_seconds(fetch, repeat),
        bare_seconds,
        "bare view /healthz",
        query_count(fetch),
        f"{len(first.content) / 1024:8.0f} KiB first view",
    )

    # What a browser asks for: the page compressed (every browser sends Accept-Encoding: gzip).
    def compressed():
        response = member.get(first_url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        if response.status_code != 200 or response.get("Content-Encoding") != "gzip":
            encoding = response.get("Content-Encoding")
            raise SystemExit(f"{first_url} asked for gzip: HTTP {response.status_code}, {encoding}")
        return response

    report(
        "member first page, cached, gzip",
        median_seconds(compressed, repeat),
        bare_seconds,
        "bare view /healthz",
        query_count(compressed),
        f"{len(compressed().content) / 1024:8.0f} KiB sent",
    )
    etag = first["ETag"]

    def conditional():
        response = member.get(first_url, HTTP_IF_NONE_MATCH=etag)
        if response.status_code != 304:
            raise SystemExit(f"{first_url} with its ETag: HTTP {response.status_code}, not 304")

    report("member first page, 304", median_seconds(conditional, repeat), bare_seconds, "bare view /healthz",
           query_count(conditional))  # fmt: skip
    links = dict.fromkeys(
        re.findall(r'href="(/scorecards/[^"#]+/(?:levels/[^"/#]+|panels/[^"/#]+|appendix-3)/)', first.text)
    )
    for link in links:
        fetch = page(member, link)
        size = len(fetch().content)
        label = "  part " + link.removeprefix(first_url).rstrip("/")
        report(label[:38], median_seconds(fetch, repeat), bare_seconds, "bare view /healthz", query_count(fetch),
               f"{size / 1024:8.0f} KiB")  # fmt: skip
