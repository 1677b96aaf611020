"""The change history of one audit's grades and status, in words: who, when, before, after.

Three queries per audit whatever happened to it: the audit's history, its theme grades' and its
moderation's, each with the user who made the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from audits.choices import AuditStatus, Grade, Theme
from audits.models import Audit, Moderation, ThemeGrade


@dataclass(frozen=True)
class Change:
    when: object
    who: str
    what: str
    before: str
    after: str
    reason: str = ""


def _grade(value) -> str:
    return Grade(value).label if value else "none"


def _status(value) -> str:
    return AuditStatus(value).label if value else "none"


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "System"
    return user.get_full_name() or user.username


def _changes(records, fields: dict[str, tuple[str, callable]], label_prefix: str = "") -> list[Change]:
    changes = []
    previous = None
    for record in records:
        for name, (label, show) in fields.items():
            before = getattr(previous, name) if previous is not None else None
            after = getattr(record, name)
            if record.history_type == "-":
                continue
            if before != after and (previous is not None or after not in (None, "")):
                changes.append(
                    Change(
                        when=record.history_date,
                        who=_who(record),
                        what=f"{label_prefix}{label}",
                        before=show(before),
                        after=show(after),
                        reason=record.history_change_reason or "",
                    )
                )
        previous = record
    return changes


def grade_history(audit: Audit) -> list[Change]:
    audit_records = Audit.history.filter(id=audit.pk).select_related("history_user").order_by("history_date", "pk")
    changes = _changes(audit_records, {"status": ("Status", _status), "overall_grade": ("Overall grade", _grade)})
    theme_records = (
        ThemeGrade.history.filter(audit_id=audit.pk).select_related("history_user").order_by("history_date", "pk")
    )
    by_theme: dict[str, list] = {}
    for record in theme_records:
        by_theme.setdefault(record.theme, []).append(record)
    for theme, records in by_theme.items():
        changes += _changes(records, {"grade": ("grade", _grade)}, label_prefix=f"{Theme(theme).label} ")
    moderation_records = (
        Moderation.history.filter(audit_id=audit.pk).select_related("history_user").order_by("history_date", "pk")
    )
    changes += _changes(moderation_records, {"grade": ("Moderated grade", _grade)})
    return sorted(changes, key=lambda change: change.when)
