"""GOV.UK-style widgets that Django does not have."""

from __future__ import annotations

import datetime

from django import forms


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year as three text boxes.

    Renders through the ``govuk`` template pack; ``value_from_datadict`` returns an
    ISO string (or the raw parts when they do not form a date) so DateField's own
    validation produces the error message.
    """

    template_name = "govuk/widgets/date_input.html"
    part_names = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                parsed = datetime.date.fromisoformat(value)
            except ValueError:
                # Not a date: give back what was typed (day/month/year) so the user can correct it.
                parts = value.split("/")
                return parts if len(parts) == 3 else [None, None, None]
            return [parsed.day, parsed.month, parsed.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (part.strip() if part else "" for part in super().value_from_datadict(data, files, name))
        if not (day or month or year):
            return None
        try:
            return datetime.date(int(year), int(month), int(day)).isoformat()
        except (TypeError, ValueError, OverflowError):  # OverflowError: a part of 20+ digits
            return f"{day}/{month}/{year}"
