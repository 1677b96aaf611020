"""Property-based fuzzing: every URL pattern, with generated path and query values, read and posted to
by every role, never answers 500 (issue 12, finding 5).

The URL patterns are enumerated from the resolver (so a new page is fuzzed without editing this file);
each converter's value is drawn from its own regex (a route it matches) or from a list of hostile
values (one it may not). A page that shows a form is then posted generated values for that form's own
field names. The number of examples per route is fixed, so the run is bounded (about a minute on
SQLite) and runs in CI with the rest of the suite (``make test`` selects no markers out).
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import PathConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

EXAMPLES_PER_ROUTE = 3
ROLES = ("auditor", "moderator", "manager", "officer", "member", "admin", None)
HOSTILE = (
    "",
    "0",
    "-1",
    "9" * 25,
    "-" + "9" * 25,
    "1e309",
    "NaN",
    "\x00",
    "a\x00b",
    '=HYPERLINK("http://evil.example")',
    "'; DROP TABLE indicators_indicator; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "9999-00-q4",
    "0000-01-q1",
    "2016-17-q4",
    "2016-17-q5",
    "2017-03",
    "9999-12",
    "0000-00",
    "2017-02-30",
    "x" * 6000,
    "٣",
    "\U0001d7d7\U0001d7d7",
    "csv",
    "xlsx",
    "yaml",
    "pdf",
)
QUERY_KEYS = (
    "page", "per_page", "sort", "quarter", "month", "_export", "q", "o", "p", "search", "theme", "kind",
    "polarity", "rag", "series", "team", "status", "round", "grade", "case_ref", "next", "e", "all",
)  # fmt: skip
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
VALUES = st.one_of(st.sampled_from(HOSTILE), TEXT, st.integers(-(10**25), 10**25).map(str))
FORM_NAME = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"')


def routes():
    def walk(patterns, prefix=()):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, (*prefix, entry.pattern))
            else:
                yield (*prefix, entry.pattern)

    return list(walk(get_resolver().url_patterns))


def route_id(parts) -> str:
    return "".join(str(part) for part in parts) or "/"


def converter_values(converter):
    """A value the converter matches (its own regex), a small number, or a hostile one."""
    matching = st.from_regex(converter.regex, fullmatch=True, alphabet=st.characters(codec="utf-8"))
    safe = "/" if isinstance(converter, PathConverter) else ""
    return st.one_of(matching, st.integers(1, 40).map(str), st.sampled_from(HOSTILE)).map(
        lambda value: quote(value, safe=safe)
    )


def part_strategy(pattern):
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        pieces = []
        position = 0
        for match in re.finditer(r"<(?:[^>:]+:)?([^>]+)>", route):
            pieces.append(st.just(route[position : match.start()]))
            pieces.append(converter_values(pattern.converters[match.group(1)]))
            position = match.end()
        pieces.append(st.just(route[position:]))
        return st.tuples(*pieces).map("".join)
    assert isinstance(pattern, RegexPattern)
    regex = pattern.regex.pattern
    return st.from_regex(regex, fullmatch=True, alphabet=st.characters(codec="utf-8")).map(
        lambda value: quote(value, safe="/")
    )


def path_strategy(parts):
    return st.tuples(*(part_strategy(part) for part in parts)).map(lambda pieces: "/" + "".join(pieces))


@pytest.fixture
def users(db, settings, tmp_path):
    """The demo's data and one user per role, so generated small ids and slugs reach real records."""
    from django.contrib.auth import get_user_model

    from perfsite.demo import ensure_demo_users, load_app_demos

    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_demo_users(password="fuzz-demo-password-1234")
    load_app_demos(stdout=io.StringIO())
    return {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}


def fuzz_route(client, users, parts) -> None:
    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],  # report the failing input as generated: shrinking costs more than it helps here
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        path=path_strategy(parts),
        query=st.dictionaries(st.one_of(st.sampled_from(QUERY_KEYS), TEXT), VALUES, max_size=4),
        role=st.sampled_from(ROLES),
        data=st.data(),
    )
    def fuzz(path, query, role, data):
        client.logout()
        if role is not None:
            client.force_login(users[role])
        url = path + ("?" + urlencode(query) if query else "")
        page = client.get(url)
        assert page.status_code < 500, f"GET {url} as {role}: {page.status_code}"
        html = page.content.decode(errors="replace") if page.status_code == 200 else ""
        names = sorted(set(FORM_NAME.findall(html)) - {"csrfmiddlewaretoken"})
        if "/admin/" in path and "delete" in path:
            return  # posting would delete the demo data the other routes read
        form = data.draw(st.dictionaries(st.sampled_from(names) if names else TEXT, VALUES, max_size=12), label="form")
        posted = client.post(url, form)
        assert posted.status_code < 500, f"POST {url} {form!r} as {role}: {posted.status_code}"

    fuzz()


@pytest.mark.slow
def test_no_route_answers_500_to_any_role_or_input(users):
    client = Client(raise_request_exception=False)
    failures = []
    for parts in routes():
        try:
            fuzz_route(client, users, parts)
        except AssertionError as error:
            failures.append(str(error).splitlines()[0])
    assert not failures, "\n".join(failures)
