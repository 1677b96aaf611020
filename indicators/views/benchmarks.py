"""Refresh benchmarks: the officers' page for ``refresh_benchmarks``, several DfE files at once."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from indicators.benchmarks import refresh_benchmarks
from indicators.models import BenchmarkSource
from indicators.views.access import officer_required

MAX_FILES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented pattern for one input taking several files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class RefreshForm(forms.Form):
    files = MultipleFileField(
        label="DfE files", help_text="Choose every CSV downloaded from Explore Education Statistics; up to 20."
    )
    dry_run = forms.BooleanField(label="Check only: write nothing", required=False)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise ValidationError(f"Choose {MAX_FILES} files or fewer")
        limit = settings.PERFSITE_IMPORT_MAX_BYTES
        names = set()
        for upload in files:
            if Path(upload.name).suffix.lower() != ".csv":
                raise ValidationError(f"{upload.name} must be a CSV file")
            if upload.size > limit:
                raise ValidationError(f"{upload.name} must be smaller than {limit // (1024 * 1024)} MB")
            if upload.name in names:
                raise ValidationError(f"{upload.name} is chosen twice")
            names.add(upload.name)
        return files


@officer_required
@require_http_methods(["GET", "POST"])
def refresh(request):
    form = RefreshForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        files = {upload.name: upload.read() for upload in form.cleaned_data["files"]}
        report = refresh_benchmarks(files=files, user=request.user, dry_run=form.cleaned_data["dry_run"])
    sources = BenchmarkSource.objects.select_related("indicator").order_by("indicator__code")
    return render(request, "indicators/refresh_benchmarks.html", {"form": form, "report": report, "sources": sources})
