"""Writes to the indicator register. Every write keeps its history (who, when, before, after)."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from indicators import figures_version
from indicators.conf import default_tolerance
from indicators.models import (
    VALUE_DECIMAL_PLACES,
    FrameworkLevel,
    FrameworkTheme,
    Indicator,
    Kind,
    Polarity,
    Theme,
    Unit,
    scale_of,
)

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


def check_choice(value: str, choices, name: str, *, blank: bool = False) -> str:
    if blank and value == "":
        return value
    # A frozenset, as Django builds ``.values`` anew on every access (a hot path of large imports).
    if value not in _values_of(choices):
        raise ValidationError(f"{name} must be one of {', '.join(choices.values)}, not {value!r}.")
    return value


# django-simple-history keeps a change reason in 100 characters; the full source is the value's provenance.
HISTORY_REASON_MAX = 100


def history_reason(reason: str) -> str:
    """The change reason as history keeps it (100 characters); the full source stays in provenance."""
    return reason[: HISTORY_REASON_MAX - 1] + "…" if len(reason) > HISTORY_REASON_MAX else reason


def set_history_user(instance, user, reason: str = "") -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    if reason:
        instance._change_reason = history_reason(reason)


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
        "kind": check_choice(kind, Kind, "kind"),
        "polarity": check_choice(polarity, Polarity, "polarity"),
        "unit": check_choice(unit, Unit, "unit"),
        "decimals": int(decimals),
        "theme": themes[0],
    }
    if not 0 <= fields["decimals"] <= VALUE_DECIMAL_PLACES:
        raise ValidationError(f"decimals must be 0 to {VALUE_DECIMAL_PLACES}.")
    optional = {
        "tolerance": tolerance,
        "framework_level": None
        if framework_level is None
        else check_choice(framework_level, FrameworkLevel, "framework level", blank=True),
        "framework_theme": None
        if framework_theme is None
        else check_choice(framework_theme, FrameworkTheme, "framework theme", blank=True),
        "ref": ref,
        "owner": owner,
        "active": active,
        "is_computed": is_computed,
    }
    fields.update({k: v for k, v in optional.items() if v is not None})
    if "tolerance" in fields and fields["tolerance"] < 0:
        raise ValidationError("The tolerance must be zero or more.")
    also_in = {t.pk for t in themes[1:]}
    figures_version.claim_writes()
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
