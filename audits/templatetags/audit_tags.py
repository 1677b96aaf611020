from __future__ import annotations

from decimal import Decimal

from django import template

from audits.choices import GRADE_TAG_CLASSES, STATUS_TAG_CLASSES, AuditStatus, Grade

register = template.Library()


@register.filter
def status_tag_class(status: str) -> str:
    try:
        return STATUS_TAG_CLASSES[AuditStatus(status)]
    except ValueError:
        return "govuk-tag--grey"


@register.filter
def status_label(status: str) -> str:
    try:
        return AuditStatus(status).label
    except ValueError:
        return status


@register.filter
def grade_tag_class(grade) -> str:
    try:
        return GRADE_TAG_CLASSES[Grade(int(grade))]
    except (TypeError, ValueError):
        return "govuk-tag--grey"


@register.filter
def grade_label(grade) -> str:
    try:
        return Grade(int(grade)).label
    except (TypeError, ValueError):
        return "Not graded"


@register.filter
def pct(value) -> str:
    """A percentage to one decimal place, or a dash when there is none."""
    if value is None:
        return "\u2013"
    return f"{Decimal(value):.1f}%"


@register.filter
def signed_points(value) -> str:
    if value is None:
        return "\u2013"
    value = Decimal(value)
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "")
    return f"{sign}{abs(value):.1f} points"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
