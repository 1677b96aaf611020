"""Template helpers behind the ``govuk`` crispy-forms template pack and our layouts."""

from __future__ import annotations

from django import forms, template
from django.forms.widgets import Input

from perfsite.widgets import GovukDateInput

register = template.Library()

_INPUT_CLASSES = (
    (GovukDateInput, ""),
    (forms.Textarea, "govuk-textarea"),
    (forms.SelectMultiple, "govuk-select"),
    (forms.Select, "govuk-select"),
    (forms.ClearableFileInput, "govuk-file-upload"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (Input, "govuk-input"),
)


def widget_kind(bound_field) -> str:
    widget = bound_field.field.widget
    # CheckboxSelectMultiple subclasses RadioSelect, so it must be asked first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, GovukDateInput):
        return "date"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def govuk_kind(bound_field) -> str:
    return widget_kind(bound_field)


@register.filter
def govuk_anchor(bound_field) -> str:
    """The id the error summary links to: the first input of a group, else the field."""
    if widget_kind(bound_field) in {"radios", "checkboxes", "date"}:
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


def character_limit(bound_field) -> int | None:
    """A textarea's maximum length, shown with GOV.UK's character count; None for any other field."""
    if not isinstance(bound_field.field.widget, forms.Textarea):
        return None
    return getattr(bound_field.field, "max_length", None)


@register.filter
def govuk_character_limit(bound_field) -> int | None:
    return character_limit(bound_field)


def _described_by(bound_field) -> str:
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}-error")
    if character_limit(bound_field):
        ids.append(f"{bound_field.auto_id}-info")
    return " ".join(ids)


@register.filter
def govuk_described_by(bound_field) -> str:
    return _described_by(bound_field)


@register.filter
def govuk_widget(bound_field):
    """Render the field's widget with GOV.UK classes, error modifier and aria-describedby."""
    widget = bound_field.field.widget
    css = next((cls for kind, cls in _INPUT_CLASSES if isinstance(widget, kind)), "")
    if css and bound_field.errors and css != "govuk-checkboxes__input":
        css = f"{css} {css}--error"
    attrs = {}
    existing = widget.attrs.get("class", "")
    if character_limit(bound_field):
        # GOV.UK's character count tells the user as they type; maxlength would cut pasted text off silently.
        existing = f"govuk-js-character-count {existing}".strip()
        attrs["maxlength"] = False
    if css or existing:
        attrs["class"] = f"{css} {existing}".strip()
    described_by = _described_by(bound_field)
    if described_by:
        attrs["aria-describedby"] = described_by
    return bound_field.as_widget(attrs=attrs)


@register.filter
def rag_tag_class(rag: str | None) -> str:
    """GOV.UK tag colour for a RAG word; the word itself is always shown too."""
    return {
        "GREEN": "govuk-tag--green",
        "AMBER": "govuk-tag--yellow",
        "RED": "govuk-tag--red",
    }.get((rag or "").upper(), "govuk-tag--grey")
