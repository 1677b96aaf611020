"""Signals other apps may hook onto; audits itself publishes nothing into indicators."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# Sent with ``audit=`` once the transaction that submitted or moderated an audit (or imported its
# results) has committed, so receivers never see a grade that was rolled back.
audit_grade_changed = Signal()


def announce_grade_change(audit) -> None:
    from audits.models import Audit

    transaction.on_commit(lambda: audit_grade_changed.send(sender=Audit, audit=audit))
