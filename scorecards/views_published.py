"""The published scorecard's pages: its first page, a page per level of performance, per panel and
Appendix 3, for the current version or any numbered one.

Each page is its frozen part (``scorecards.frozen``: rendered once, from the cache) inside what is
worked out per request in a few small queries that never load the snapshot: which versions exist
and whether this one is current, the neighbouring published quarters, revisions since publication
and the reader's own header (name, sign-out form and its CSRF token, messages). The ETag digests
all of it, so a conditional GET answers 304 until anything on the page would change, and a new
amendment, a new revision or a new published quarter gives a new ETag.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import re_accepts_gzip as ACCEPTS_GZIP
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from indicators.quarters import Quarter
from perfsite.access import role_required
from perfsite.roles import is_performance_officer, roles_of
from scorecards import frozen, published_shell
from scorecards.models import PublishedScorecard
from scorecards.revisions import REVISIONS_FORMAT, revision_marker_sql, revisions_since
from scorecards.views import READERS, _neighbours


@dataclass
class PageState:
    """What a published page shows that can change after publication."""

    quarter: Quarter
    scorecard: PublishedScorecard  # without its snapshot
    versions: list
    versioned: bool
    published: list[str]
    marker: tuple
    revisions: list = field(default_factory=list)

    @property
    def current(self):
        return self.versions[-1]

    @property
    def is_current(self) -> bool:
        return self.scorecard.version == self.current.version


def _published_sql() -> str:
    table = PublishedScorecard._meta.db_table
    first_published = f"SELECT f.published_at FROM {table} f WHERE f.quarter = %s AND f.version = 1"  # noqa: S608  # nosec B608
    return (
        f"SELECT p.id, p.quarter, p.version, p.published_at, p.sha256, p.reason, r.n, r.last_id, r.last_at "  # noqa: S608  # nosec B608
        f"FROM {table} p CROSS JOIN ({revision_marker_sql(first_published)}) r "
        "WHERE p.quarter = %s OR p.version = 1 ORDER BY p.quarter, p.version"
    )


PUBLISHED_SQL = _published_sql()


def _aware(value):
    """A date-time from a raw row: SQLite returns text, and naive UTC, where PostgreSQL returns it aware."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def _published_rows(quarter: Quarter) -> tuple[list[PublishedScorecard], list[str], tuple]:
    """In one query: every version of ``quarter`` (oldest first, without the snapshots or the long lists
    of changes), every published quarter (each has a version 1), and the revisions marker since the
    quarter was first published (``revision_marker_sql``; a revision before a later version only moves
    it). Raw SQL: on the hottest page the ORM took 25 ms to compose what PostgreSQL ran in 0.2 ms."""
    with connection.cursor() as cursor:
        cursor.execute(PUBLISHED_SQL, [quarter.slug, quarter.slug])
        rows = cursor.fetchall()
    versions = [
        PublishedScorecard(id=pk, quarter=slug, version=version, published_at=_aware(at), sha256=sha, reason=reason)
        for pk, slug, version, at, sha, reason, *_ in rows
        if slug == quarter.slug
    ]
    quarters = sorted({row[1] for row in rows}, reverse=True)
    marker = (rows[0][6], rows[0][7], _aware(rows[0][8])) if versions else (0, None, None)
    return versions, quarters, marker


def _amendments_html(quarter: Quarter, amendments: list) -> str:
    """The amendments up to the version shown, with what each changed: they never change, so they are
    rendered once for each set of versions."""
    if not amendments:
        return ""
    key = f"scorecard:amendments:{':'.join(str(a.pk) for a in amendments)}:{frozen.template_digest()}"
    html = cache.get(key)
    if html is None:
        changes = dict(
            PublishedScorecard.objects.filter(pk__in=[a.pk for a in amendments]).values_list("pk", "changes")
        )
        for amendment in amendments:
            amendment.changes = changes[amendment.pk]
        html = render_to_string("scorecards/includes/amendments.html", {"quarter": quarter, "amendments": amendments})
        cache.set(key, html, None)
    return mark_safe(html)  # noqa: S308 - our own template's output  # nosec B308, B703


def _state(request, quarter: Quarter, version: int | None) -> PageState:
    versions, published, marker = _published_rows(quarter)
    if version is None:
        if not versions:
            raise Http404("This quarter has not been published.")
        chosen = versions[-1]
    else:
        chosen = next((v for v in versions if v.version == version), None)
        if chosen is None:
            raise Http404("There is no such version of this scorecard.")
    state = PageState(quarter, chosen, versions, version is not None, published, marker)
    count, last, _ = state.marker
    if count:
        # Recomputed only when a revision is recorded: the key moves with the last one.
        key = f"scorecard:revisions:{REVISIONS_FORMAT}:{chosen.pk}:{count}:{last}"
        state.revisions = cache.get(key)
        if state.revisions is None:
            state.revisions = revisions_since(PublishedScorecard.objects.get(pk=chosen.pk))
            cache.set(key, state.revisions, None)
    return state


def _page_digest(request, state: PageState, *, audience: str, part: str) -> str:
    """Everything the page shows except its CSRF token, digested: the frozen part's key, the per-request
    state, and the reader (their own header: name and menu). It names the cached page around the frozen
    part (``published_shell``), which takes each response's token afresh."""
    route = frozen.route_of(state.scorecard, versioned=state.versioned)
    parts = [
        frozen.cache_key(state.scorecard, audience=audience, part=part, route=route),
        repr([(v.pk, v.version, v.published_at.isoformat()) for v in state.versions]),
        repr(state.published),
        repr(state.marker),
        repr((request.user.pk, request.user.get_full_name(), request.user.username, request.user.is_staff)),
        repr(sorted(roles_of(request.user))),  # the menu and the officer links
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _etag(request, page_digest: str) -> str:
    """The page and the CSRF secret its sign-out form's token is made from: a new secret is a new page."""
    secret = request.META.get("CSRF_COOKIE", "")
    return '"' + hashlib.sha256(f"{page_digest}\n{secret}".encode()).hexdigest()[:32] + '"'


def _last_modified(state: PageState) -> int:
    moments = [v.published_at for v in state.versions]
    if state.marker[2] is not None:
        moments.append(state.marker[2])
    return int(max(moments).timestamp())  # whole seconds, as If-Modified-Since comes back


def _published_page(request, quarter: Quarter, *, version: int | None, part: str):
    try:
        state = _state(request, quarter, version)
    except Http404:
        if version is None and part == frozen.SUMMARY and is_performance_officer(request.user):
            return redirect("scorecards:preview", quarter=quarter)
        raise
    audience = frozen.audience_of(request.user)
    # A flash message is shown once: that page must not be remembered and served again by a 304.
    remembered = not len(get_messages(request))
    get_token(request)  # the sign-out form's CSRF secret exists before the ETag digests it
    etag = last_modified = None
    if remembered:
        page_digest = _page_digest(request, state, audience=audience, part=part)
        etag, last_modified = _etag(request, page_digest), _last_modified(state)
        unchanged = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if unchanged is not None:
            return _headers(unchanged, etag, last_modified)
    found = frozen.frozen_part(state.scorecard, audience=audience, part=part, versioned=state.versioned)
    if found is None:
        raise Http404("This scorecard has no such page.")
    title, head, body = found

    def context() -> dict:
        earlier, later = _neighbours(quarter, state.published)
        amendments = [v for v in state.versions if 1 < v.version <= state.scorecard.version]
        return {
            "quarter": quarter,
            "scorecard": state.scorecard,
            "part": part.partition(":")[0],
            "title": title,
            "head": head,
            "body": body,
            "is_current": state.is_current,
            "current": state.current,
            "versions": state.versions,
            "amendments": amendments,
            "amendments_html": _amendments_html(quarter, amendments) if part == frozen.SUMMARY else "",
            "earlier": earlier,
            "later": later,
            "revisions": state.revisions,
            "is_officer": audience == frozen.OFFICER,
            "summary_url": frozen.part_url(quarter, frozen.SUMMARY, version=version),
        }

    if etag is None:  # a flash message: rendered in full, never remembered
        response = render(request, published_shell.TEMPLATE, context())
    elif ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        route = frozen.route_of(state.scorecard, versioned=state.versioned)
        frozen_key = frozen.cache_key(state.scorecard, audience=audience, part=part, route=route)
        content = published_shell.compressed_page(
            request, page_digest, context, head=head, body=body, frozen_key=frozen_key
        )
        response = HttpResponse(content)
        # What gzip_page would have done (it leaves a response already encoded alone): a compressed
        # representation has a weak ETag, and the answer depends on what the browser accepts.
        response["Content-Encoding"] = "gzip"
        etag = f"W/{etag}"
        patch_vary_headers(response, ("Accept-Encoding",))
    else:
        response = HttpResponse(published_shell.page(request, page_digest, context, head=head, body=body))
    return _headers(response, etag, last_modified)


def _headers(response, etag: str | None, last_modified: int | None):
    """Kept only by the reader's own browser, and checked with the server before each reuse."""
    if etag is None:
        patch_cache_control(response, private=True, no_store=True)
    else:
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _view(part_of):
    @require_safe
    @gzip_page
    @role_required(*READERS)
    def view(request, quarter: Quarter, version: int | None = None, **kwargs):
        return _published_page(request, quarter, version=version, part=part_of(kwargs))

    return view


scorecard = _view(lambda kwargs: frozen.SUMMARY)
level = _view(lambda kwargs: f"level:{kwargs['level']}")
panel = _view(lambda kwargs: f"panel:{kwargs['panel']}")
appendix = _view(lambda kwargs: frozen.APPENDIX)
