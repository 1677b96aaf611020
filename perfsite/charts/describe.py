"""Plain-English text alternatives generated from the figures (WCAG 1.1.1)."""

from __future__ import annotations

from decimal import Decimal

from .fmt import format_value, round_half_up
from .model import Point


def target_decimals(target: Decimal, decimals: int) -> int:
    """A target is printed as set ("20", "65%"), not padded to the series' decimals ("20.0")."""
    exponent = int(target.normalize().as_tuple().exponent)
    return max(0, min(decimals, -exponent))


def join_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _numbers(categories: list[str], points: list[Point]) -> list[tuple[str, Decimal]]:
    return [(c, v) for c, v in zip(categories, points, strict=True) if isinstance(v, Decimal)]


def gaps_sentence(categories: list[str], points: list[Point], *, noun: str = "period") -> str:
    """Say which categories have no figure, and which were suppressed, so a gap is never read as zero."""
    parts = []
    missing = [c for c, v in zip(categories, points, strict=True) if v is None]
    hidden = [c for c, v in zip(categories, points, strict=True) if isinstance(v, str)]
    if missing:
        if len(missing) <= 3:
            parts.append(f"no data for {join_words(missing)}")
        else:
            parts.append(f"no data for {len(missing)} {noun}s")
    if hidden:
        which = join_words(hidden) if len(hidden) <= 3 else f"{len(hidden)} {noun}s"
        parts.append(f"figures for {which} are suppressed to protect confidentiality")
    return "; ".join(parts)


def extremes(pairs: list[tuple[str, Decimal]], decimals: int, unit: str) -> str:
    high_cat, high = max(pairs, key=lambda p: p[1])
    low_cat, low = min(pairs, key=lambda p: p[1])
    if round_half_up(high, decimals) == round_half_up(low, decimals):
        return ""
    high_text, low_text = format_value(high, decimals, unit), format_value(low, decimals, unit)
    return f"highest {high_text} ({high_cat}), lowest {low_text} ({low_cat})"


def trend_sentence(name: str, categories: list[str], points: list[Point], decimals: int, unit: str) -> str:
    pairs = _numbers(categories, points)
    clauses: list[str] = []
    if not pairs:
        clauses.append("no data")
    elif len(pairs) == 1:
        cat, value = pairs[0]
        clauses.append(f"{format_value(value, decimals, unit)} in {cat}")
    else:
        (first_cat, first), (last_cat, last) = pairs[0], pairs[-1]
        a, b = round_half_up(first, decimals), round_half_up(last, decimals)
        f, lst = format_value(first, decimals, unit), format_value(last, decimals, unit)
        if b > a:
            clauses.append(f"rose from {f} in {first_cat} to {lst} in {last_cat}")
        elif b < a:
            clauses.append(f"fell from {f} in {first_cat} to {lst} in {last_cat}")
        else:
            clauses.append(f"was {f} in both {first_cat} and {last_cat}")
        ext = extremes(pairs, decimals, unit)
        if ext:
            clauses.append(ext)
    gaps = gaps_sentence(categories, points)
    if gaps and pairs:
        clauses.append(gaps)
    return f"{name}: {'; '.join(clauses)}."


def target_sentence(
    target: Decimal, label: str, latest: list[tuple[str, str, Decimal]], decimals: int, unit: str
) -> str:
    """ "Target 20." or "Optimum: 20.", then where the latest figure sits (one series only)."""
    target_text = format_value(target, target_decimals(target, decimals), unit)
    if not label:
        sentence = f"Target {target_text}."
    elif target_text in label:
        sentence = f"{label.rstrip('.')}."
    else:
        sentence = f"{label.rstrip('.')} ({target_text})."
    if len(latest) == 1:
        _name, category, value = latest[0]
        v, t = round_half_up(value, decimals), round_half_up(target, decimals)
        where = "above" if v > t else "below" if v < t else "level with"
        sentence += f" The latest figure ({format_value(value, decimals, unit)}, {category}) is {where} the target."
    return sentence


def values_list(categories: list[str], points: list[Point], decimals: int, unit: str) -> str:
    """ "A 12.0%, B no data, C c" for short category lists."""
    out = []
    for cat, value in zip(categories, points, strict=True):
        if value is None:
            out.append(f"{cat} no data")
        elif isinstance(value, str):
            out.append(f"{cat} suppressed")
        else:
            out.append(f"{cat} {format_value(value, decimals, unit)}")
    return ", ".join(out)
