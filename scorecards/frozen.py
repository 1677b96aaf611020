"""A published scorecard is rendered once: its frozen parts are cached HTML, per audience.

A published version never changes, so each part of its page (the first page, one page per level
of performance, one per panel, Appendix 3) is rendered from the snapshot once, at publication
(``warm``) or on first view, and kept in the cache (Redis in production, the local cache when
embedded). The key names everything the HTML depends on: the version (pk and the snapshot's
sha256), the audience (member or officer), the part, the route it is read through (the current
scorecard or a numbered version: the links differ) and a digest of the templates and of the
rendering code (``RENDERING``). A cached part holds nothing about who reads it: no name, no CSRF
token. What can change after publication (the versions list, whether this one is current, the
neighbouring quarters, revisions since publication, officer links) is rendered per request around
it, by ``scorecards.views_published``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from django.core.cache import cache
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from indicators.quarters import Quarter
from perfsite.roles import is_performance_officer
from scorecards.models import PublishedScorecard
from scorecards.snapshot import RAG_ORDER, SCHEMA_VERSION

# Bump when Python code that shapes the cached HTML changes (template tags, chart drawing); a change
# to any template is picked up by the template digest on its own.
RENDERING = 1
MEMBER, OFFICER = "member", "officer"
AUDIENCES = (MEMBER, OFFICER)
SUMMARY, APPENDIX = "summary", "appendix"
# What separates a part's heading from its body: the per-request parts go between them.
DYNAMIC_MARK = "<!--perfsite:per-request-->"
# What separates the page's title (plain text, for <title>) from its HTML in a cached part.
TITLE_MARK = "\x00"
MISSING = "missing"  # cached for a part the version lacks; a rendered part holds TITLE_MARK, so never equals it
# Kept until evicted: a key never names content that could change.
TIMEOUT = None
TEMPLATES = {
    SUMMARY: "scorecards/frozen/summary.html",
    "level": "scorecards/frozen/level.html",
    "panel": "scorecards/frozen/panel.html",
    APPENDIX: "scorecards/frozen/appendix.html",
}


# A sparkline's presentation attributes are fallbacks for renderers without the stylesheet (the PDF
# pack); on the page the stylesheet's chart classes set the same font, colour and widths, so a level
# with hundreds of sparklines need not repeat them in each. The frozen snapshot keeps them.
SPARKLINE_FALLBACKS = re.compile(
    r'(?<=focusable="false") font-family="Arial, Helvetica, sans-serif" font-size="14"(?=>)'
    r'|(?<=perfsite-chart__series-1") d="(?P<d>[^"]*)" fill="none" stroke="#1d70b8" stroke-width="2"'
    r'|(?<=perfsite-chart__series-1") d="(?P<m>[^"]*)" fill="#1d70b8"'
)
BLANK_LINES = re.compile(r"\n\s*\n")
INDENTS = re.compile(r"\n[ \t]+")


def compact(html: str) -> str:
    """The part's HTML without what a browser ignores or the stylesheet supplies: blank lines,
    indentation (the parts hold no <pre> or <textarea>) and sparklines' fallback attributes."""

    def keep_path(match: re.Match) -> str:
        path = match.group("d") if match.group("d") is not None else match.group("m")
        return "" if path is None else f' d="{path}"'

    html = SPARKLINE_FALLBACKS.sub(keep_path, html)
    return INDENTS.sub("\n", BLANK_LINES.sub("\n", html))


def audience_of(user) -> str:
    """Officers get their own rendering; every other reader sees what members see."""
    return OFFICER if is_performance_officer(user) else MEMBER


@functools.cache
def template_digest() -> str:
    """A digest of every template the service can render, read once per process: a deployment
    that changes any template renders every scorecard part afresh."""
    digest = hashlib.sha256(f"{RENDERING}:{SCHEMA_VERSION}".encode())
    folders: set[Path] = set()
    for engine in engines.all():
        folders.update(Path(folder) for folder in getattr(engine, "template_dirs", ()))
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*.html")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def route_of(scorecard, *, versioned: bool) -> str:
    return f"v{scorecard.version}" if versioned else "current"


def part_url(quarter: Quarter, part: str, *, version: int | None) -> str:
    """The URL of ``part`` ("summary", "appendix", "level:<key>", "panel:<key>") of a published scorecard,
    read as the current scorecard (``version`` None) or as that numbered version."""
    kind, _, key = part.partition(":")
    kwargs: dict = {"quarter": quarter}
    prefix = "scorecards:"
    if version is not None:
        kwargs["version"] = version
        prefix = "scorecards:version_"
    if kind == SUMMARY:
        return reverse("scorecards:scorecard" if version is None else "scorecards:version", kwargs=kwargs)
    if kind == APPENDIX:
        return reverse(f"{prefix}appendix", kwargs=kwargs)
    return reverse(f"{prefix}{kind}", kwargs={**kwargs, kind: key})


def cache_key(scorecard, *, audience: str, part: str, route: str) -> str:
    version = f"{scorecard.pk}:v{scorecard.version}:{scorecard.sha256[:20]}"
    return f"scorecard:frozen:{version}:{audience}:{route}:{part}:{template_digest()}"


def parts_of(snapshot: dict) -> list[str]:
    """Every part of a snapshot's page."""
    from scorecards.panels import panel_sections

    levels = [f"level:{section['key']}" for section in snapshot.get("sections", [])]
    panels = [f"panel:{section['key']}" for section in panel_sections(snapshot)]
    return [SUMMARY, *levels, *panels, APPENDIX]


def part_context(snapshot: dict, *, part: str, urls: dict[str, str], audience: str, mode: str) -> tuple[str, dict]:
    """The title and template context of one part of ``snapshot``: the published page's and the
    officer's preview's (``scorecards.preview``), which differ only in ``mode`` and in the addresses."""
    from scorecards.panels import panel_sections

    kind, _, key = part.partition(":")
    panels = panel_sections(snapshot)
    context = {
        "snapshot": snapshot,
        "quarter": Quarter.parse(snapshot["quarter"]["slug"]),
        "audience": audience,
        "is_officer": audience == OFFICER,
        "mode": mode,
        "rag_order": tuple(rag.value for rag in RAG_ORDER),
        "dynamic_mark": mark_safe(DYNAMIC_MARK),  # noqa: S308 - a constant comment  # nosec B308, B703
        "urls": urls,
        "panels": panels,
    }
    title = "Appendix 3" if kind == APPENDIX else ""
    if kind == "level":
        context["section"] = next(s for s in snapshot["sections"] if s["key"] == key)
        context["group"] = next((g for g in snapshot.get("key_messages", []) if g["key"] == key), None)
        title = context["section"]["label"]
    elif kind == "panel":
        context["section"] = next(s for s in panels if s["key"] == key)
        title = context["section"]["title"]
    return title, context


def render_part(scorecard, snapshot: dict, *, audience: str, part: str, versioned: bool) -> str:
    """The HTML of one part, from the snapshot alone: nothing about the reader, so it can be shared."""
    quarter = Quarter.parse(snapshot["quarter"]["slug"])
    version = scorecard.version if versioned else None
    urls = {p: part_url(quarter, p, version=version) for p in parts_of(snapshot)}
    title, context = part_context(snapshot, part=part, urls=urls, audience=audience, mode="published")
    context["scorecard"] = scorecard
    return title + TITLE_MARK + compact(render_to_string(TEMPLATES[part.partition(":")[0]], context))


def frozen_part(scorecard, *, audience: str, part: str, versioned: bool) -> tuple[str, SafeString, SafeString] | None:
    """The cached (title, heading, body) of ``part``, rendered now if the cache lost it; None if the
    scorecard has no such part. ``scorecard`` may be loaded without its snapshot: it is read only
    on a miss."""
    key = cache_key(scorecard, audience=audience, part=part, route=route_of(scorecard, versioned=versioned))
    html = cache.get(key)
    if html is None:
        snapshot = PublishedScorecard.objects.values_list("snapshot", flat=True).get(pk=scorecard.pk)
        # A page the scorecard does not have is remembered too: asking again must not load the snapshot.
        html = (
            render_part(scorecard, snapshot, audience=audience, part=part, versioned=versioned)
            if part in parts_of(snapshot)
            else MISSING
        )
        cache.set(key, html, TIMEOUT)
    if html == MISSING:
        return None
    title, _, html = html.partition(TITLE_MARK)
    head, _, body = html.partition(DYNAMIC_MARK)
    # Both halves came from our own templates, escaped as they were rendered; the title is escaped when shown.
    return title, mark_safe(head), mark_safe(body)  # noqa: S308  # nosec B308, B703


def warm(scorecard_id: int) -> int:
    """Render every part of a just-published version, for both audiences, into the cache, as read
    through the current scorecard's address (a numbered version's address renders on first view);
    how many parts were rendered."""
    scorecard = PublishedScorecard.objects.get(pk=scorecard_id)
    rendered = 0
    for part in parts_of(scorecard.snapshot):
        for audience in AUDIENCES:
            html = render_part(scorecard, scorecard.snapshot, audience=audience, part=part, versioned=False)
            cache.set(cache_key(scorecard, audience=audience, part=part, route="current"), html, TIMEOUT)
            rendered += 1
    return rendered
