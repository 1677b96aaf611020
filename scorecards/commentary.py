"""Officer commentary per indicator per quarter; every version is kept (simple_history) with its author and time."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from indicators.quarters import Quarter
from perfsite.roles import is_performance_officer
from scorecards.models import Commentary, CommentaryMode


class CommentaryError(Exception):
    pass


@transaction.atomic
def save_commentary(*, indicator, quarter: Quarter, mode: str, text: str, user) -> tuple[Commentary, bool]:
    """Add or change the commentary; returns it and whether anything changed."""
    if not is_performance_officer(user):
        raise CommentaryError("Only a performance officer can write commentary.")
    if mode not in CommentaryMode.values:
        raise CommentaryError(f"The mode must be one of {', '.join(CommentaryMode.values)}.")
    text = " ".join((text or "").split())
    if not text:
        raise CommentaryError("Enter the commentary.")
    existing = Commentary.objects.select_for_update().filter(indicator=indicator, quarter=quarter.slug).first()
    if existing is not None:
        if (existing.mode, existing.text) == (mode, text):
            return existing, False
        existing.mode, existing.text, existing.author, existing.updated_at = mode, text, user, timezone.now()
        existing._history_user = user
        existing.save(update_fields=["mode", "text", "author", "updated_at"])
        return existing, True
    note = Commentary(
        indicator=indicator, quarter=quarter.slug, mode=mode, text=text, author=user, updated_at=timezone.now()
    )
    note._history_user = user
    note.save()
    return note, True


@transaction.atomic
def remove_commentary(*, indicator, quarter: Quarter, user) -> bool:
    if not is_performance_officer(user):
        raise CommentaryError("Only a performance officer can remove commentary.")
    note = Commentary.objects.select_for_update().filter(indicator=indicator, quarter=quarter.slug).first()
    if note is None:
        return False
    note._history_user = user
    note.delete()
    return True


def commentary_history(*, indicator, quarter: Quarter):
    """Every version of the commentary, newest first, with who wrote it and when."""
    return (
        Commentary.history.filter(indicator_id=indicator.pk, quarter=quarter.slug)
        .select_related("history_user", "author")
        .order_by("-history_date", "-history_id")
    )
