"""Writes to the indicator register. Every write keeps its history (who, when, before, after)."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from indicators import provenance
from indicators.computed import refuse_hand_entry, source_of
from indicators.conf import default_tolerance
from indicators.models import (
    VALUE_DECIMAL_PLACES,
    FrameworkLevel,
    FrameworkTheme,
    Indicator,
    IndicatorValue,
    Kind,
    Polarity,
    Series,
    Status,
    Theme,
    Unit,
    quantize,
    scale_of,
)
from indicators.provenance import Provenance, by_hand
from perfsite.text_limits import FOOTNOTE_MAX

MAX_ABS_VALUE = Decimal(10) ** (18 - VALUE_DECIMAL_PLACES)


def to_decimal(number, *, name: str) -> Decimal | None:
    """A Decimal from a Decimal, int or numeric string; floats are refused (they are not exact)."""
    if number is None or number == "":
        return None
    if isinstance(number, (bool, float)):
        raise ValidationError(f"{name} must be a Decimal, not {type(number).__name__}.")
    try:
        result = number if isinstance(number, Decimal) else Decimal(str(number).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"{name} must be a number, not {number!r}.") from None
    if not result.is_finite():
        raise ValidationError(f"{name} must be a finite number.")
    if abs(result) >= MAX_ABS_VALUE:
        raise ValidationError(f"{name} is too large.")
    if scale_of(result) < max(0, -result.as_tuple().exponent):
        # More decimal places than the database keeps: round, half up, as a published table would.
        result = result.quantize(Decimal(1).scaleb(-VALUE_DECIMAL_PLACES), rounding=ROUND_HALF_UP)
    return result


ALTOGETHER_THEMES = (
    "Altogether Better for Children and Young People",
    "Altogether Safer",
    "Altogether Healthier",
    "Altogether Wealthier",
    "Altogether Greener",
    "Altogether Better Council",
)


def ensure_default_themes() -> None:
    """The council's six Altogether themes (also created by migration 0002); idempotent."""
    for position, name in enumerate(ALTOGETHER_THEMES, start=1):
        if not Theme.objects.filter(name__iexact=name).exists():
            Theme.objects.create(name=name, slug=_unique_slug(name), position=position * 10)


def get_or_create_themes(names: list[str]) -> list[Theme]:
    themes = []
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        theme = Theme.objects.filter(name__iexact=name).first()
        if theme is None:
            theme = Theme.objects.create(name=name, slug=_unique_slug(name))
        if theme not in themes:
            themes.append(theme)
    return themes


def _unique_slug(name: str) -> str:
    base = slugify(name)[:110] or "theme"
    slug, n = base, 1
    while Theme.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@functools.cache
def _values_of(choices) -> frozenset[str]:
    return frozenset(choices.values)


def _check_choice(value: str, choices, name: str, *, blank: bool = False) -> str:
    if blank and value == "":
        return value
    # A frozenset, as Django builds ``.values`` anew on every access (a hot path of large imports).
    if value not in _values_of(choices):
        raise ValidationError(f"{name} must be one of {', '.join(choices.values)}, not {value!r}.")
    return value


# django-simple-history keeps a change reason in 100 characters; the full source is the value's provenance.
HISTORY_REASON_MAX = 100


def set_history_user(instance, user, reason: str = "") -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    if reason:
        too_long = len(reason) > HISTORY_REASON_MAX
        instance._change_reason = reason[: HISTORY_REASON_MAX - 1] + "…" if too_long else reason


@transaction.atomic
def save_indicator(
    *,
    code: str,
    description: str,
    kind: str,
    polarity: str,
    unit: str,
    decimals: int,
    themes: list[Theme],
    tolerance: Decimal | None = None,
    framework_level: str | None = None,
    framework_theme: str | None = None,
    ref: int | None = None,
    owner: str | None = None,
    active: bool | None = None,
    is_computed: bool | None = None,
    user=None,
    reason: str = "",
) -> tuple[Indicator, bool]:
    """Create or update the indicator ``code``; returns it and whether anything changed.

    Arguments left as None keep the indicator's current value (or the default when new).
    """
    if not themes:
        raise ValidationError("An indicator needs at least one theme.")
    fields = {
        "description": description,
        "kind": _check_choice(kind, Kind, "kind"),
        "polarity": _check_choice(polarity, Polarity, "polarity"),
        "unit": _check_choice(unit, Unit, "unit"),
        "decimals": int(decimals),
        "theme": themes[0],
    }
    if not 0 <= fields["decimals"] <= VALUE_DECIMAL_PLACES:
        raise ValidationError(f"decimals must be 0 to {VALUE_DECIMAL_PLACES}.")
    optional = {
        "tolerance": tolerance,
        "framework_level": None
        if framework_level is None
        else _check_choice(framework_level, FrameworkLevel, "framework level", blank=True),
        "framework_theme": None
        if framework_theme is None
        else _check_choice(framework_theme, FrameworkTheme, "framework theme", blank=True),
        "ref": ref,
        "owner": owner,
        "active": active,
        "is_computed": is_computed,
    }
    fields.update({k: v for k, v in optional.items() if v is not None})
    if "tolerance" in fields and fields["tolerance"] < 0:
        raise ValidationError("The tolerance must be zero or more.")
    also_in = {t.pk for t in themes[1:]}
    indicator = Indicator.objects.select_for_update().filter(code=code).first()
    if indicator is None:
        fields.setdefault("tolerance", default_tolerance())
        indicator = Indicator(code=code, **fields)
        set_history_user(indicator, user, reason)
        indicator.full_clean(exclude=["theme"])
        indicator.save()
        indicator.also_in.set(also_in)
        return indicator, True
    changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
    also_in_changed = set(indicator.also_in.values_list("pk", flat=True)) != also_in
    if not changed and not also_in_changed:
        return indicator, False
    for name in changed:
        setattr(indicator, name, fields[name])
    set_history_user(indicator, user, reason)
    if changed:
        indicator.full_clean(exclude=["theme"], validate_unique=False)
        indicator.save(update_fields=[*[("theme" if n == "theme" else n) for n in changed], "updated_at"])
    if also_in_changed:
        indicator.also_in.set(also_in)
    return indicator, True


def ensure_computed_indicator(
    *,
    code: str,
    description: str,
    kind: str,
    polarity: str,
    unit: str,
    decimals: int,
    themes: list[str],
    framework_level: str,
    tolerance: Decimal | None = None,
    framework_theme: str = "",
    owner: str | None = None,
) -> Indicator:
    """The computed indicator ``code``, created or brought up to date (idempotent).

    Audits and caseloads publish their figures through this and ``upsert_computed_value``.
    A tolerance of None keeps the indicator's own (a performance officer may have set it).
    """
    with transaction.atomic():
        indicator, _ = save_indicator(
            code=code,
            description=description,
            kind=kind,
            polarity=polarity,
            unit=unit,
            decimals=decimals,
            themes=get_or_create_themes(themes),
            tolerance=to_decimal(tolerance, name="tolerance"),
            framework_level=framework_level,
            framework_theme=framework_theme,
            owner=owner,
            is_computed=True,
            reason="Computed indicator defined by perfsite",
        )
    return indicator


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
    _check_choice(series, Series, "series")
    _check_choice(status or "", Status, "status", blank=True)
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
            existing = IndicatorValue.objects.select_for_update().get(**key)
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
