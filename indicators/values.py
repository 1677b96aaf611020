"""Writes of an indicator's figures (values, targets, benchmarks): add, correct with a version check,
delete, and the computed indicators' own writes. Every write keeps its history and its provenance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from indicators import figures_version, provenance
from indicators.computed import refuse_hand_entry, source_of
from indicators.models import (
    VALUE_DECIMAL_PLACES,
    Indicator,
    IndicatorValue,
    Series,
    Status,
    quantize,
    scale_of,
)
from indicators.provenance import Provenance, by_hand
from indicators.services import check_choice, set_history_user, to_decimal
from perfsite.one_reading import ReadingConflict
from perfsite.text_limits import FOOTNOTE_MAX


@dataclass(frozen=True)
class ValueFields:
    """A value as a write would leave it, for comparing with what is stored."""

    period_label: str
    value: Decimal
    scale: int
    numerator: Decimal | None
    denominator: Decimal | None
    status: str
    footnote: str

    @classmethod
    def of(cls, item: IndicatorValue) -> ValueFields:
        return cls(
            period_label=item.period_label,
            value=item.value,
            scale=item.scale,
            numerator=item.numerator,
            denominator=item.denominator,
            status=item.status,
            footnote=item.footnote,
        )


def clean_value_fields(
    *,
    series: str,
    period_label: str,
    period_start: datetime.date,
    period_end: datetime.date,
    value,
    numerator=None,
    denominator=None,
    status: str = "",
    footnote: str = "",
) -> ValueFields | None:
    """Check and normalise a value's fields; None when ``value`` is None (no figure)."""
    check_choice(series, Series, "series")
    check_choice(status or "", Status, "status", blank=True)
    if not isinstance(period_start, datetime.date) or not isinstance(period_end, datetime.date):
        raise ValidationError("The period's start and end must be dates.")
    if period_start > period_end:
        raise ValidationError("The period must start on or before the day it ends.")
    label = " ".join((period_label or "").split())
    if not label:
        raise ValidationError("The period needs a label, e.g. 2016/17 or As at Mar 2017.")
    if len(label) > 80:
        raise ValidationError("The period label must be 80 characters or fewer.")
    number = to_decimal(value, name="value")
    if number is None:
        return None
    num = to_decimal(numerator, name="numerator")
    den = to_decimal(denominator, name="denominator")
    if den is not None and den == 0:
        raise ValidationError("The denominator cannot be zero.")
    if len((footnote or "").strip()) > FOOTNOTE_MAX:
        raise ValidationError(f"The footnote must be {FOOTNOTE_MAX:,} characters or fewer.")
    scale = scale_of(number)
    return ValueFields(
        period_label=label,
        value=quantize(number, VALUE_DECIMAL_PLACES),
        scale=scale,
        numerator=None if num is None else quantize(num, VALUE_DECIMAL_PLACES),
        denominator=None if den is None else quantize(den, VALUE_DECIMAL_PLACES),
        status=status or "",
        footnote=(footnote or "").strip(),
    )


def upsert_value(*, indicator: Indicator, series: str, **value) -> bool:
    """Write one figure by hand or from an import (``_write_value``'s arguments); True if anything changed.

    A computed indicator's actuals and targets are refused (ComputedFigureRefused): only its
    source writes them, through ``upsert_computed_value``.
    """
    refuse_hand_entry(indicator, series)
    return _write_value(indicator=indicator, series=series, **value)


def upsert_computed_value(*, indicator: Indicator, **value) -> bool:
    """``upsert_value`` for a computed indicator's source (indicators.computed): the one writer of its figures."""
    if not indicator.is_computed:
        raise ValueError(f"{indicator.code} is not a computed indicator")
    source = source_of(indicator.code)
    value.setdefault("provenance", provenance.computed(source.records if source else "other records"))
    return _write_value(indicator=indicator, **value)


def _write_value(
    *,
    indicator: Indicator,
    series: str,
    period_label: str,
    period_start: datetime.date,
    period_end: datetime.date,
    value,
    numerator=None,
    denominator=None,
    status: str = "",
    footnote: str = "",
    user=None,
    reason: str = "",
    provenance: Provenance | None = None,
) -> bool:
    """Write one figure on its natural key (indicator, series, period dates); True if anything changed.

    A value of None removes the figure for that period, if there was one (the removal is in the
    history too). Writing what is already there changes nothing and records no history, nor a new
    provenance: ``provenance`` (a hand entry when None) is that of the write that sets a figure.
    """
    source = (provenance or by_hand()).fields()
    fields = clean_value_fields(
        series=series,
        period_label=period_label,
        period_start=period_start,
        period_end=period_end,
        value=value,
        numerator=numerator,
        denominator=denominator,
        status=status,
        footnote=footnote,
    )
    key = {"indicator": indicator, "series": series, "period_start": period_start, "period_end": period_end}
    with transaction.atomic():
        figures_version.claim_writes()
        existing = IndicatorValue.objects.select_for_update().filter(**key).first()
        if fields is None:
            if existing is None:
                return False
            set_history_user(existing, user, reason or "Figure removed")
            existing.delete()
            return True
        if existing is not None:
            if ValueFields.of(existing) == fields:
                return False
            return _update(existing, fields, user=user, reason=reason, source=source)
        try:
            with transaction.atomic():
                item = IndicatorValue(
                    **key, **fields.__dict__, **source, loaded_at=timezone.now(), updated_by=_user_or_none(user)
                )
                set_history_user(item, user, reason)
                item.save()
        except IntegrityError:
            # Another writer created it between our read and our insert: update theirs.
            existing = IndicatorValue.objects.select_for_update().filter(**key).first()
            if existing is None:
                # Theirs is newer than this transaction's snapshot (perfsite.one_reading): read again.
                raise ReadingConflict(f"{indicator.code} {period_label} was written by another transaction.") from None
            if ValueFields.of(existing) == fields:
                return False
            return _update(existing, fields, user=user, reason=reason, source=source)
    return True


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _update(existing: IndicatorValue, fields: ValueFields, *, user, reason: str, source: dict) -> bool:
    changed = [name for name, value in fields.__dict__.items() if getattr(existing, name) != value]
    for name in changed:
        setattr(existing, name, getattr(fields, name))
    for name, value in source.items():
        setattr(existing, name, value)
    existing.loaded_at = timezone.now()
    existing.updated_by = _user_or_none(user)
    existing.version += 1
    set_history_user(existing, user, reason)
    existing.save(update_fields=[*changed, *source, "loaded_at", "version", "updated_by", "updated_at"])
    return True


@transaction.atomic
def delete_value(*, item: IndicatorValue, user=None, reason: str = "") -> None:
    refuse_hand_entry(item.indicator, item.series)
    set_history_user(item, user, reason or "Figure removed")
    item.delete()


class StaleValue(Exception):
    """Another officer changed the figure after this one opened it (the caseload return's rule)."""

    def __init__(self, *, changed_by, changed_at: datetime.datetime | None):
        self.changed_by, self.changed_at = changed_by, changed_at
        who = (changed_by.get_full_name() or changed_by.username) if changed_by else "Someone else"
        when = timezone.localtime(changed_at).strftime("%-d %B %Y at %H:%M") if changed_at else "just now"
        super().__init__(
            f"{who} changed this figure on {when}, after you opened it. Your correction has not been saved: "
            "reload the figure to see theirs, then make yours again."
        )


@transaction.atomic
def correct_value(
    *,
    item: IndicatorValue,
    series: str,
    period_start: datetime.date,
    period_end: datetime.date,
    fields: ValueFields,
    user=None,
    reason: str = "Corrected by a performance officer",
    expected_version: int | None = None,
) -> bool:
    """Correct a figure in place, its period and series included; True if anything changed.

    ``expected_version`` is the version the officer's form showed: if someone has changed the figure
    since, ``StaleValue`` names who and when, and nothing is saved (the row is locked while checked).
    """
    refuse_hand_entry(item.indicator, item.series)
    refuse_hand_entry(item.indicator, series)
    figures_version.claim_writes()
    item = IndicatorValue.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=item.pk)
    if expected_version is not None and item.version != expected_version:
        raise StaleValue(changed_by=item.updated_by, changed_at=item.updated_at)
    wanted = {"series": series, "period_start": period_start, "period_end": period_end, **fields.__dict__}
    changed = [name for name, value in wanted.items() if getattr(item, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(item, name, wanted[name])
    source = by_hand("corrected").fields()
    for name, value in source.items():
        setattr(item, name, value)
    item.loaded_at = timezone.now()
    item.updated_by = _user_or_none(user)
    item.version += 1
    set_history_user(item, user, reason)
    try:
        with transaction.atomic():
            item.save(update_fields=[*changed, *source, "loaded_at", "version", "updated_by", "updated_at"])
    except IntegrityError:
        raise ValidationError("There is already a figure of this series for this period.") from None
    return True
