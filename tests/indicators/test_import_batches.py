"""Upload batches move only through the shared lifecycle, and the database refuses any other state."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from indicators.imports import importer_for
from indicators.models import ImportBatch
from perfsite.imports.batches import BATCH_LIFECYCLE, BatchState, apply_batch, cancel_batch, create_batch
from perfsite.lifecycle import InvalidTransition

P, R, A, C = BatchState.PREVIEWED, BatchState.REJECTED, BatchState.APPLIED, BatchState.CANCELLED
K = BatchState.CHECKING


@pytest.mark.parametrize(
    ("transition", "current", "expected"),
    [
        ("reject", P, R),
        ("apply", P, A),
        ("cancel", P, C),
        ("cancel", R, C),
        ("apply", R, None),
        ("apply", A, None),
        ("apply", C, None),
        ("cancel", A, None),
        ("cancel", C, None),
        ("reject", A, None),
        ("reject", R, None),
        ("checked", K, P),
        ("reject", K, R),
        ("cancel", K, C),
        ("apply", K, None),
        ("checked", P, None),
        ("checked", R, None),
        ("checked", C, None),
    ],
)
def test_the_transition_table(transition, current, expected):
    if expected is None:
        with pytest.raises(InvalidTransition):
            BATCH_LIFECYCLE.next_status(transition, current)
    else:
        assert BATCH_LIFECYCLE.next_status(transition, current) == expected


@pytest.mark.django_db
def test_the_database_refuses_a_state_outside_the_lifecycle(officer):
    batch = ImportBatch.objects.create(kind="values", filename="v.csv", content=b"x", uploaded_by=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(state="imported")


def _importer(batch):
    return importer_for(batch.kind)


@pytest.mark.django_db
def test_a_rejected_upload_can_only_be_discarded(officer):
    batch, result = create_batch(
        model=ImportBatch,
        kind="values",
        filename="v.csv",
        content=b"code\nX\n",
        user=officer,
        importer_for=_importer,
    )
    assert result.errors and batch.state == R
    with pytest.raises(InvalidTransition):
        apply_batch(batch=batch, user=officer, importer_for=_importer)
    cancel_batch(batch=batch)
    batch.refresh_from_db()
    assert batch.state == C and bytes(batch.content) == b""
    with pytest.raises(InvalidTransition):
        cancel_batch(batch=batch)
