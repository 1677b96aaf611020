"""Scorecard pages. Members read published versions only, rendered once from their frozen snapshots
(``scorecards.views_published``); performance officers also preview any quarter, publish, amend and
write commentary."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from indicators.models import Indicator
from indicators.quarters import Quarter
from perfsite.access import role_required
from perfsite.pagination import page_of
from perfsite.roles import Role, is_performance_officer
from scorecards.commentary import CommentaryError, commentary_history, remove_commentary, save_commentary
from scorecards.forms import AmendmentForm, CommentaryForm
from scorecards.messages import key_message
from scorecards.models import Commentary, CommitteePack, PackStatus, PublishedScorecard
from scorecards.packs import pack_is_lost, request_pack
from scorecards.publishing import PublishingError, amend, describe_changes, preview_snapshot, publish
from scorecards.snapshot import level_of

READERS = tuple(Role)  # every role reads published scorecards (aggregates only)
OFFICERS = (Role.PERFORMANCE_OFFICER,)


def _published_quarters() -> list[str]:
    return sorted(set(PublishedScorecard.objects.values_list("quarter", flat=True)), reverse=True)


def _neighbours(quarter: Quarter, published: list[str]) -> tuple[Quarter | None, Quarter | None]:
    """The published quarters just before and after ``quarter``."""
    earlier = [q for q in published if q < quarter.slug]
    later = [q for q in published if q > quarter.slug]
    return (Quarter.parse(earlier[0]) if earlier else None, Quarter.parse(later[-1]) if later else None)


@role_required(*READERS)
def index(request):
    latest = (
        PublishedScorecard.objects.latest_versions()
        .order_by("-quarter")
        .values("quarter", "version", "published_at", headline=F("snapshot__headline"))
    )
    # Four quarters a year for as long as the council publishes: a page of them, newest first.
    page = page_of(request, latest)
    published = [{**row, "quarter": Quarter.parse(row["quarter"])} for row in page]
    context = {"published": published, "page": page}
    if is_performance_officer(request.user):
        context.update(_quarters_to_publish([Quarter.parse(slug) for slug in _published_quarters()]))
    return render(request, "scorecards/index.html", context)


def _quarters_to_publish(published: list[Quarter]) -> dict:
    """What an officer may publish next, from the data rather than the clock: the quarter after the
    latest published one, then every other unpublished quarter that holds a figure."""
    from indicators.selectors import quarters_holding_data

    holding = quarters_holding_data()
    if published:
        following = max(published).next()
    else:
        following = holding[-1] if holding else Quarter.containing(timezone.localdate())
    done = set(published)
    others = [q for q in holding if q not in done and q != following]
    return {"next_quarter": None if following in done else following, "unpublished": others}


def _versions(quarter: Quarter):
    return list(
        PublishedScorecard.objects.for_quarter(quarter)
        .order_by("version")
        .only("quarter", "version", "published_at", "published_by", "reason", "changes", "sha256")
        .select_related("published_by")
    )


@require_http_methods(["GET", "POST"])
@role_required(*OFFICERS)
def publish_quarter(request, quarter: Quarter):
    """GET: the confirmation page (what publishing does and who will read it); POST: publish."""
    if request.method == "GET":
        if PublishedScorecard.objects.for_quarter(quarter).exists():
            messages.info(request, f"{quarter.label} is already published: publish an amendment to change it.")
            return redirect("scorecards:scorecard", quarter=quarter)
        return render(request, "scorecards/publish.html", {"quarter": quarter})
    try:
        publish(quarter=quarter, user=request.user)
    except PublishingError as error:
        messages.error(request, str(error))
        return redirect("scorecards:preview", quarter=quarter)
    messages.success(request, f"{quarter.label} is published. Members can now read it.")
    return redirect("scorecards:scorecard", quarter=quarter)


@require_http_methods(["GET", "POST"])
@role_required(*OFFICERS)
def amend_quarter(request, quarter: Quarter):
    versions = _versions(quarter)
    if not versions:
        messages.error(request, f"{quarter.label} has not been published yet: publish it first.")
        return redirect("scorecards:preview", quarter=quarter)
    current = PublishedScorecard.objects.get(pk=versions[-1].pk)
    changes = describe_changes(current.snapshot, preview_snapshot(quarter))
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = amend(quarter=quarter, user=request.user, reason=form.cleaned_data["reason"])
        except PublishingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Amendment {amendment.version - 1} to {quarter.label} is published.")
            return redirect("scorecards:scorecard", quarter=quarter)
    return render(
        request,
        "scorecards/amend.html",
        {"quarter": quarter, "form": form, "changes": changes, "current": current},
    )


@require_http_methods(["GET", "POST"])
@role_required(*OFFICERS)
def commentary(request, quarter: Quarter, indicator_id: int):
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    from indicators.selectors import quarter_rows

    # Back to the indicator's message on its level's page of the preview, where every message is.
    back = (
        reverse("scorecards:preview_level", kwargs={"quarter": quarter, "level": level_of(indicator.framework_level)})
        + f"#message-{indicator.pk}"
    )

    rows = quarter_rows(quarter, indicators=[indicator.pk])
    generated = key_message(rows[0]).text if rows else ""
    existing = Commentary.objects.filter(indicator=indicator, quarter=quarter.slug).first()
    initial = {"mode": existing.mode, "text": existing.text} if existing else None
    form = CommentaryForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            if remove_commentary(indicator=indicator, quarter=quarter, user=request.user):
                messages.success(request, f"The commentary on {indicator.code} was removed.")
            return redirect(back)
        if form.is_valid():
            try:
                _, changed = save_commentary(
                    indicator=indicator,
                    quarter=quarter,
                    mode=form.cleaned_data["mode"],
                    text=form.cleaned_data["text"],
                    user=request.user,
                )
            except CommentaryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"The commentary on {indicator.code} is saved."
                    if changed
                    else f"The commentary on {indicator.code} was already as entered.",
                )
                return redirect(back)
    return render(
        request,
        "scorecards/commentary.html",
        {
            "quarter": quarter,
            "indicator": indicator,
            "generated": generated,
            "form": form,
            "existing": existing,
            "history": page_of(request, commentary_history(indicator=indicator, quarter=quarter), field="history_page"),
            "published": PublishedScorecard.objects.for_quarter(quarter).exists(),
            "back": back,
        },
    )


def _current_published(quarter: Quarter) -> PublishedScorecard:
    scorecard = (
        PublishedScorecard.objects.for_quarter(quarter)
        .order_by("-version")
        .only("quarter", "version", "sha256", "published_at")
        .first()
    )
    if scorecard is None:
        raise Http404("This quarter has not been published.")
    return scorecard


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def pack(request, quarter: Quarter):
    scorecard = _current_published(quarter)
    if request.method == "POST":
        committee_pack, queued = request_pack(scorecard=scorecard, user=request.user)
        committee_pack.refresh_from_db(fields=["status"])
        # Say what is true when the page shows: a pack built at once (eager tasks) is ready, not "being built".
        if committee_pack.status == PackStatus.READY:
            messages.success(request, "The committee pack is ready to download.")
        elif queued:
            messages.info(request, "The committee pack is being built. This page shows its progress.")
        return redirect("scorecards:pack", quarter=quarter)
    committee_pack = CommitteePack.objects.filter(scorecard=scorecard).first()
    return render(
        request,
        "scorecards/pack.html",
        {"quarter": quarter, "scorecard": scorecard, "pack": committee_pack, "status": _status(committee_pack)},
    )


def _status(committee_pack: CommitteePack | None) -> dict:
    if committee_pack is None:
        return {"status": "none", "progress": 0, "step": "", "label": "Not built yet"}
    if pack_is_lost(committee_pack):
        # Seen as failed as soon as the heartbeat is stale; the retry marks it so (packs.request_pack).
        return {"status": "stopped", "progress": committee_pack.progress, "step": committee_pack.step,
                "label": "Stopped", "never_started": committee_pack.status == PackStatus.QUEUED}  # fmt: skip
    status = {
        "status": committee_pack.status,
        "progress": committee_pack.progress,
        "step": committee_pack.step,
        "label": committee_pack.get_status_display(),
    }
    if committee_pack.status == PackStatus.READY:
        scorecard = committee_pack.scorecard
        for fmt in ("pdf", "xlsx"):
            status[fmt] = reverse(
                "scorecards:pack_download",
                kwargs={"quarter": scorecard.quarter_obj, "version": scorecard.version, "fmt": fmt},
            )
    return status


@role_required(*READERS)
def pack_status(request, quarter: Quarter):
    scorecard = _current_published(quarter)
    committee_pack = CommitteePack.objects.filter(scorecard=scorecard).select_related("scorecard").first()
    response = JsonResponse(_status(committee_pack))
    response["Cache-Control"] = "no-store"
    return response


@role_required(*READERS)
def pack_download(request, quarter: Quarter, version: int, fmt: str):
    if fmt not in ("pdf", "xlsx"):
        raise Http404("The pack comes as pdf or xlsx.")
    committee_pack = get_object_or_404(
        CommitteePack.objects.select_related("scorecard"),
        scorecard__quarter=quarter.slug,
        scorecard__version=version,
        status=PackStatus.READY,
    )
    field = getattr(committee_pack, fmt)
    if not field or not field.storage.exists(field.name):
        raise Http404("The file is no longer there: request the pack again.")
    content_type = (
        "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = FileResponse(
        field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1], content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
