"""Uploads for performance officers: choose a file, preview what it changes, then confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from indicators.forms import EesUploadForm, UploadForm
from indicators.imports.batches import BatchStateError, apply_batch, cancel_batch, create_batch, preview_batch
from indicators.imports.files import INDICATOR_COLUMNS, INDICATOR_OPTIONAL, VALUE_COLUMNS, VALUE_OPTIONAL
from indicators.models import ImportBatch, ImportKind, ImportState
from indicators.views.access import officer_required

KIND_SLUGS = {"indicators": ImportKind.INDICATORS, "values": ImportKind.VALUES, "ees": ImportKind.EES}
COLUMNS = {
    ImportKind.INDICATORS: (INDICATOR_COLUMNS, INDICATOR_OPTIONAL),
    ImportKind.VALUES: (VALUE_COLUMNS, VALUE_OPTIONAL),
}


def _kind(slug: str) -> str:
    try:
        return KIND_SLUGS[slug]
    except KeyError:
        raise Http404("No such import") from None


@officer_required
def imports_index(request):
    batches = ImportBatch.objects.select_related("uploaded_by").defer("content")[:25]
    return render(request, "indicators/imports.html", {"batches": batches, "kinds": ImportKind})


@officer_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind: str):
    import_kind = _kind(kind)
    form_class = EesUploadForm if import_kind == ImportKind.EES else UploadForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = create_batch(
            kind=import_kind,
            filename=upload.name,
            content=upload.read(),
            user=request.user,
            options=form.cleaned_data.get("options"),
        )
        return redirect("indicators:import_preview", pk=batch.pk)
    return render(
        request,
        "indicators/import_upload.html",
        {
            "form": form,
            "kind": ImportKind(import_kind),
            "columns": COLUMNS.get(import_kind),
            "error_title": bool(form.errors),
        },
    )


def _own_batch(request, pk: int) -> ImportBatch:
    # An officer sees every batch; the uploader is recorded, not a scope.
    return get_object_or_404(ImportBatch, pk=pk)


@officer_required
def import_preview(request, pk: int):
    batch = _own_batch(request, pk)
    result = preview_batch(batch) if batch.state == ImportState.PREVIEWED else None
    return render(request, "indicators/import_preview.html", {"batch": batch, "result": result})


@officer_required
@require_POST
def import_confirm(request, pk: int):
    batch = _own_batch(request, pk)
    try:
        result = apply_batch(batch=batch, user=request.user)
    except BatchStateError as exc:
        messages.error(request, str(exc))
        return redirect("indicators:import_preview", pk=batch.pk)
    if not result.applied:
        batch.refresh_from_db()
        return render(request, "indicators/import_preview.html", {"batch": batch, "result": result}, status=400)
    messages.success(request, f"Imported {batch.filename}: {result.summary_line()}.")
    return redirect("indicators:imports")


@officer_required
@require_POST
def import_cancel(request, pk: int):
    batch = _own_batch(request, pk)
    try:
        cancel_batch(batch=batch)
    except BatchStateError as exc:
        messages.error(request, str(exc))
        return redirect("indicators:import_preview", pk=batch.pk)
    messages.info(request, f"The upload of {batch.filename} was cancelled; nothing was imported.")
    return redirect("indicators:imports")
