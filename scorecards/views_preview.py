"""The officer's preview of a quarter's scorecard, in the published page's parts: a first page with
the headline, key performance issues and each level's and panel's summary, then a page per level,
per panel and for Appendix 3, each built only as far as it shows (``scorecards.preview``) and
rendered with the published page's part templates (``scorecards.frozen``)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from indicators.quarters import Quarter
from perfsite.access import role_required
from scorecards import frozen
from scorecards.models import Commentary, PublishedScorecard
from scorecards.preview import NoSuchPart, build_part, part_urls
from scorecards.views import OFFICERS


def _preview_page(request, quarter: Quarter, part: str):
    try:
        snapshot = build_part(quarter, part)
    except NoSuchPart:
        raise Http404("The preview has no such page.") from None
    urls = part_urls(quarter)
    title, context = frozen.part_context(snapshot, part=part, urls=urls, audience=frozen.OFFICER, mode="preview")
    kind = part.partition(":")[0]
    if kind in (frozen.SUMMARY, "level"):  # the pages that show key messages, with their commentary links
        context["commentary"] = {
            c.indicator_id: c for c in Commentary.objects.filter(quarter=quarter.slug).select_related("author")
        }
    html = frozen.compact(render_to_string(frozen.TEMPLATES[kind], context))
    head, _, body = html.partition(frozen.DYNAMIC_MARK)
    # The versions without their snapshots: the first page says which one members read.
    current = (
        PublishedScorecard.objects.for_quarter(quarter)
        .order_by("-version")
        .only("quarter", "version", "published_at")
        .first()
    )
    return render(
        request,
        "scorecards/scorecard.html",
        {
            "quarter": quarter,
            "snapshot": {"quarter": snapshot["quarter"]},
            "part": kind,
            "title": title,
            # Both halves come from our own templates, escaped as they were rendered.
            "head": mark_safe(head),  # noqa: S308  # nosec B308, B703
            "body": mark_safe(body),  # noqa: S308  # nosec B308, B703
            "current": current,
            "summary_url": urls[frozen.SUMMARY],
            "earlier": quarter.previous(),
            "later": quarter.next(),
        },
    )


@role_required(*OFFICERS)
def preview(request, quarter: Quarter):
    return _preview_page(request, quarter, frozen.SUMMARY)


@role_required(*OFFICERS)
def level(request, quarter: Quarter, level: str):
    return _preview_page(request, quarter, f"level:{level}")


@role_required(*OFFICERS)
def panel(request, quarter: Quarter, panel: str):
    return _preview_page(request, quarter, f"panel:{panel}")


@role_required(*OFFICERS)
def appendix(request, quarter: Quarter):
    return _preview_page(request, quarter, frozen.APPENDIX)
