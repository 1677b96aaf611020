"""Signals other apps hook onto (the scorecard's computed indicators).

``return_status_changed`` is sent, after the transaction commits, whenever a caseload return is
submitted or reopened, by a manager, an officer or the import. Keyword argument:
``caseload_return`` (the CaseloadReturn, as saved).
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

return_status_changed = Signal()


def send_return_status_changed_on_commit(caseload_return) -> None:
    from caseloads.models import CaseloadReturn

    transaction.on_commit(lambda: return_status_changed.send(sender=CaseloadReturn, caseload_return=caseload_return))
