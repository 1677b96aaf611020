"""Moderation: an officer sends a sample of submitted audits to moderators, who re-grade them."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audits import conf, sampling
from audits.allocation import allocate
from audits.choices import AuditStatus, Grade
from audits.computed import recompute_after
from audits.lifecycle import Transition, move
from audits.models import Audit, AuditRound, Moderation
from audits.round_tallies import count_moves, standing_of
from audits.services.allocating import auditor_facts, case_facts, display_name
from audits.tallies import refresh_audit


class ModerationError(ValueError):
    pass


def awaiting_moderation(round_: AuditRound):
    """Submitted audits of the round not yet sent to a moderator."""
    return round_.audits.filter(status=AuditStatus.SUBMITTED, moderation__isnull=True)


def choose_sample(audits: Sequence[Audit], *, rate: Decimal, seed: int) -> list[Audit]:
    """ceil(rate% of the audits), at least one, drawn reproducibly from ``seed``."""
    ordered = sorted(audits, key=lambda audit: audit.pk)
    size = sampling.sample_size(len(ordered), rate)
    generator = random.Random(seed)  # noqa: S311 - reproducibility, not secrecy
    return sorted(generator.sample(ordered, size), key=lambda audit: audit.pk)


@transaction.atomic
def send_for_moderation(
    *,
    moderators: Sequence,
    user,
    round_: AuditRound | None = None,
    audits: Sequence[Audit] | None = None,
    rate: Decimal | None = None,
    seed: int | None = None,
) -> list[Moderation]:
    """Send the chosen ``audits`` or a ``rate``% sample of ``round_``'s to independent moderators,
    balancing their load. All or nothing: AllocationRefused when an audit has no independent moderator."""
    if not moderators:
        raise ModerationError("Choose at least one moderator.")
    if audits is None:
        if round_ is None:
            raise ModerationError("Choose the audits or the round to sample from.")
        pool = list(awaiting_moderation(round_))
        if not pool:
            raise ModerationError("No submitted audit in this round is waiting to be sent for moderation.")
        rate = conf.default_moderation_rate() if rate is None else sampling.validate_rate(rate)
        audits = choose_sample(pool, rate=rate, seed=sampling.new_seed() if seed is None else seed)
    ids = [audit.pk for audit in audits]
    locked = list(
        Audit.objects.select_for_update(of=("self",))
        .select_related("case__team", "case__worker", "auditor")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if not locked:
        raise ModerationError("Choose at least one audit to send for moderation.")
    already = set(Moderation.objects.filter(audit_id__in=ids).values_list("audit__case__case_ref", flat=True))
    not_submitted = [audit.case.case_ref for audit in locked if audit.status != AuditStatus.SUBMITTED]
    if already:
        raise ModerationError(f"Already sent for moderation: {', '.join(sorted(already))}.")
    if not_submitted:
        raise ModerationError(f"Only submitted audits can be moderated; not submitted: {', '.join(not_submitted)}.")
    facts = [
        case_facts(
            audit.case,
            key=audit.pk,
            other_exclusions={audit.auditor_id: "completed this audit"} if audit.auditor_id else {},
        )
        for audit in locked
    ]
    by_id = {moderator.pk: moderator for moderator in moderators}
    assignment = allocate(facts, auditor_facts(moderators))
    now = timezone.now()
    created = []
    for audit in locked:
        moderation = Moderation(audit=audit, moderator=by_id[assignment[audit.pk]], sent_by=user, sent_at=now)
        moderation._history_user = user
        moderation.save()
        created.append(moderation)
    count_moves((standing_of(audit), standing_of(audit, sent_for_moderation=True)) for audit in locked)
    return created


@transaction.atomic
def record_moderation(*, moderation: Moderation, user, grade: int, rationale: str) -> Moderation:
    """The moderator's own grade and why; it becomes the audit's agreed grade."""
    moderation = Moderation.objects.select_for_update().select_related("audit").get(pk=moderation.pk)
    if moderation.moderator_id != user.pk:
        raise PermissionDenied("Only the moderator this audit was sent to may moderate it.")
    if not moderation.is_pending:
        raise ModerationError("This audit has already been moderated.")
    if grade not in Grade.values:
        raise ModerationError("Select the moderated grade")
    if not rationale.strip():
        raise ModerationError("Enter the rationale for the moderated grade")
    audit = moderation.audit
    before = standing_of(audit, sent_for_moderation=True)
    move(audit, Transition.MODERATE)
    moderation.grade = grade
    moderation.rationale = rationale.strip()
    moderation.moderated_at = timezone.now()
    moderation._history_user = user
    moderation.save(update_fields=["grade", "rationale", "moderated_at"])
    audit._history_user = user
    audit._change_reason = f"Moderated by {display_name(user)}"
    audit.save(update_fields=["status"])
    refresh_audit(audit)  # the audit tallies' lock first (round_tallies)
    count_moves([(before, standing_of(audit, sent_for_moderation=True))])
    recompute_after(audit.completed_on)
    return moderation
