"""The upload form every import page starts from."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

UPLOAD_SUFFIXES = {".csv", ".xlsx"}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File", help_text="A CSV or XLSX file whose first row names the columns.", allow_empty_file=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise ValidationError("The selected file must be a CSV or XLSX")
        limit = settings.PERFSITE_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(f"The selected file must be smaller than {limit // (1024 * 1024)} MB")
        return upload

    def batch_options(self) -> dict:
        """What the batch keeps besides the file, for an import that takes options."""
        return {}
