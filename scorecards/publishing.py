"""Previewing, publishing and amending a quarter's scorecard.

Publishing freezes a snapshot (``scorecards.snapshot``) as version 1. A correction is a new
version that carries its reason and a list, in words, of what it changed; earlier versions stay
exactly as they were (the model refuses updates and deletes). An amendment that would change
nothing is refused, so the record never fills with empty corrections.
"""

from __future__ import annotations

from django.db import IntegrityError, OperationalError
from django.utils import timezone

from indicators.computed import recompute, registered_codes
from indicators.models import Indicator
from indicators.quarters import Quarter
from perfsite.one_reading import ReadingConflict, conflicted, retrying
from perfsite.queue import enqueue_on_commit
from perfsite.roles import is_performance_officer
from scorecards.models import PublishedScorecard
from scorecards.panels import panel_sections
from scorecards.snapshot import build_snapshot, snapshot_sha256
from scorecards.sources import gather_sources


class PublishingError(Exception):
    pass


def preview_snapshot(quarter: Quarter) -> dict:
    """What publishing ``quarter`` now would freeze."""
    return build_snapshot(gather_sources(quarter))


def versions_of(quarter: Quarter) -> list[PublishedScorecard]:
    """Every published version of ``quarter``, oldest first (without loading the snapshots' neighbours)."""
    return list(PublishedScorecard.objects.for_quarter(quarter).order_by("version"))


def current_version(quarter: Quarter) -> PublishedScorecard | None:
    return PublishedScorecard.objects.for_quarter(quarter).order_by("-version").first()


def _check_officer(user) -> None:
    if not is_performance_officer(user):
        raise PublishingError("Only a performance officer can publish a scorecard.")


def recompute_quarter_figures(quarter: Quarter) -> None:
    """Bring the computed indicators the quarter's rows show up to date with their records, before a snapshot.

    The Appendix 3 rows read the computed figures, which a queued task updates after each change; a
    publish landing between a change and its task would otherwise freeze the figure from before it.
    The quarter and the previous one are recomputed: the rows' latest and previous figures, and the
    panels' previous quarter and earlier month. Run inside ``perfsite.one_reading`` (as ``publish``
    and ``amend`` do), the roll-ups read here are the very ones the panels are then built from.
    Recomputing is idempotent: figures already right are not written again.
    """
    # Only indicators already defined: publishing does not add rows the scorecard did not have.
    codes = list(Indicator.objects.filter(code__in=registered_codes()).values_list("code", flat=True))
    if codes:
        days = [day for q in (quarter.previous(), quarter) for day in (q.start, *q.months, q.end)]
        recompute(codes=codes, days=days)


def _refuse_if_conflicted(error: Exception) -> None:
    """Every attempt met a figure being recomputed meanwhile: say so, rather than fail with a database error."""
    if conflicted(error):
        raise PublishingError(
            "The figures were being recomputed while you published, every time it was tried. Nothing was "
            "published: wait a minute and publish again."
        ) from error


def _warm_on_commit(scorecard: PublishedScorecard) -> None:
    """Render the new version's pages into the cache once it is committed (scorecards.frozen); a
    version the worker never warmed is rendered on its first view instead."""
    from scorecards.tasks import warm_published_scorecard

    enqueue_on_commit(warm_published_scorecard, scorecard.pk)


def publish(*, quarter: Quarter, user) -> PublishedScorecard:
    """Freeze ``quarter``'s scorecard as version 1, every figure from one reading of the records."""
    _check_officer(user)

    def freeze() -> PublishedScorecard:
        recompute_quarter_figures(quarter)
        snapshot = preview_snapshot(quarter)
        if PublishedScorecard.objects.for_quarter(quarter).exists():
            raise PublishingError(
                f"{quarter.label} is already published. To correct it, publish an amendment with its reason."
            )
        scorecard = PublishedScorecard.objects.create(
            quarter=quarter.slug,
            version=1,
            snapshot=snapshot,
            sha256=snapshot_sha256(snapshot),
            published_by=user,
            published_at=timezone.now(),
        )
        # Only the attempt that commits warms the cache: a rolled-back attempt's callback is dropped.
        _warm_on_commit(scorecard)
        return scorecard

    try:
        return retrying(freeze)
    except IntegrityError:
        raise PublishingError(f"{quarter.label} was published by someone else a moment ago.") from None
    except (OperationalError, ReadingConflict) as error:
        _refuse_if_conflicted(error)
        raise


def amend(*, quarter: Quarter, user, reason: str) -> PublishedScorecard:
    """Publish a correction of ``quarter`` as its next version, with ``reason``."""
    _check_officer(user)
    reason = " ".join((reason or "").split())
    if not reason:
        raise PublishingError("Enter the reason for the amendment: members will read it on the scorecard.")

    def freeze() -> PublishedScorecard:
        recompute_quarter_figures(quarter)
        snapshot = preview_snapshot(quarter)
        sha = snapshot_sha256(snapshot)
        current = current_version(quarter)
        if current is None:
            raise PublishingError(f"{quarter.label} has not been published yet: publish it first.")
        if current.sha256 == sha:
            raise PublishingError(
                f"Nothing has changed since version {current.version} was published, so there is nothing to amend."
            )
        scorecard = PublishedScorecard.objects.create(
            quarter=quarter.slug,
            version=current.version + 1,
            snapshot=snapshot,
            sha256=sha,
            reason=reason,
            changes=describe_changes(current.snapshot, snapshot),
            published_by=user,
            published_at=timezone.now(),
        )
        # Only the attempt that commits warms the cache: a rolled-back attempt's callback is dropped.
        _warm_on_commit(scorecard)
        return scorecard

    try:
        return retrying(freeze)
    except IntegrityError:
        raise PublishingError(f"Someone else amended {quarter.label} a moment ago: reload and check.") from None
    except (OperationalError, ReadingConflict) as error:
        _refuse_if_conflicted(error)
        raise


def verify(scorecard: PublishedScorecard) -> bool:
    """True when the stored snapshot is still the one that was published."""
    return snapshot_sha256(scorecard.snapshot) == scorecard.sha256


# -- what an amendment changed --------------------------------------------------------------------

_CELL_LABELS = {
    "latest": "latest figure",
    "target": "target",
    "previous": "previous period",
    "twelve_months_earlier": "12 months earlier",
    "national": "national figure",
    "regional": "regional figure",
    "statistical_neighbours": "statistical neighbours' figure",
}


def _rows_by_code(snapshot: dict) -> dict[str, dict]:
    return {row["code"]: row for section in snapshot.get("sections", []) for row in section["rows"]}


def _cell_text(cell: dict) -> str:
    if not cell["display"]:
        return "none"
    return f"{cell['display']} ({cell['period']})" if cell["period"] else cell["display"]


def _messages_by_code(snapshot: dict) -> dict[str, str]:
    return {
        item["code"]: item["text"] + (" " + item["commentary"]["text"] if item.get("commentary") else "")
        for group in snapshot.get("key_messages", [])
        for part in ("issues", "others")
        for item in group[part]
    }


def describe_changes(before: dict, after: dict) -> list[str]:
    """What differs between two snapshots, in sentences a member can read."""
    changes: list[str] = []
    old_rows, new_rows = _rows_by_code(before), _rows_by_code(after)
    for code in sorted(set(old_rows) - set(new_rows)):
        changes.append(f"{code} was removed from the scorecard.")
    for code in sorted(set(new_rows) - set(old_rows)):
        changes.append(f"{code} was added to the scorecard.")
    for code in sorted(set(old_rows) & set(new_rows)):
        old, new = old_rows[code], new_rows[code]
        for name, label in _CELL_LABELS.items():
            if (old[name]["display"], old[name]["period"]) != (new[name]["display"], new[name]["period"]):
                changes.append(f"{code}: {label} changed from {_cell_text(old[name])} to {_cell_text(new[name])}.")
        if old["headline_rag"] != new["headline_rag"]:
            changes.append(f"{code}: rating changed from {old['headline_rag']} to {new['headline_rag']}.")
    old_messages, new_messages = _messages_by_code(before), _messages_by_code(after)
    for code in sorted(set(old_messages) & set(new_messages)):
        if old_messages[code] != new_messages[code] and not any(c.startswith(f"{code}:") for c in changes):
            changes.append(f"{code}: the key message or its commentary was revised.")
    for section in panel_sections(after):
        old_panel, new_panel = before.get(section["key"]) or {}, section["data"]
        if any(old_panel.get(k) != new_panel.get(k) for k in section["figures"]):
            changes.append(f"{section['change_label']}: figures were revised.")
    # Performance actions (absent from snapshots published before they existed).
    if (before.get("actions") or {}).get("all") != (after.get("actions") or {}).get("all"):
        changes.append("Performance actions were updated.")
    if not changes and before != after:
        changes.append("Presentation details were revised; no figure changed.")
    return changes
