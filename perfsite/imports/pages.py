"""The upload pages every import shares: list, upload, preview (or problems), confirm, cancel.

An app describes its imports as ``UploadKind``s and mounts ``UploadPages(...).urls()`` in its
URLconf, under its own namespace, with its own batch model. Only performance officers may use
them. The pages speak of pages, not commands (``ImportResult.via == "page"``).

Other apps' import pages are found through ``AppConfig.upload_links(user)``, as navigation is,
so one app's Imports page can point to every other without importing it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from perfsite.access import role_required
from perfsite.imports import background
from perfsite.imports.batches import (
    BatchState,
    ImportBatchBase,
    ImporterFor,
    apply_batch,
    cancel_batch,
    create_batch,
    preview_batch,
)
from perfsite.imports.forms import UploadForm
from perfsite.imports.preview import Preview
from perfsite.lifecycle import InvalidTransition
from perfsite.pagination import page_of
from perfsite.roles import Role


@dataclass(frozen=True)
class UploadKind:
    slug: str  # in the URL
    kind: str  # stored on the batch
    title: str  # "Import the case list"
    description: str  # one line on the Imports page
    importer_for: ImporterFor
    form_class: type[UploadForm] = UploadForm
    required: Sequence[str] = ()
    optional: Sequence[str] = ()
    guidance: str = ""  # instead of the column list, for a file whose columns vary


@dataclass
class UploadPages:
    namespace: str
    model: type[ImportBatchBase]
    kinds: Sequence[UploadKind]
    section: str  # "Indicators": the app's name, for titles and breadcrumbs
    section_url: str  # a URL name, for the breadcrumb
    intro: str = (
        "Upload a CSV or XLSX file. You will see what it would change before anything is saved. "
        "A file with any problem is rejected whole; uploading the same file twice changes nothing."
    )
    extra_links: Callable | None = None  # user -> links to other apps' import pages
    roles: tuple[Role, ...] = (Role.PERFORMANCE_OFFICER,)
    _by_slug: dict = field(init=False, repr=False)

    def __post_init__(self):
        self._by_slug = {kind.slug: kind for kind in self.kinds}
        self._by_kind = {kind.kind: kind for kind in self.kinds}
        background.register(self.model, self._importer_for)

    def urls(self) -> list:
        guard = role_required(*self.roles)
        return [
            path("imports/", guard(require_safe(self.index)), name="imports"),
            path(
                "imports/<str:kind>/upload/",
                guard(require_http_methods(["GET", "POST"])(self.upload)),
                name="import_upload",
            ),
            path("imports/batches/<int:pk>/", guard(require_safe(self.preview)), name="import_preview"),
            path("imports/batches/<int:pk>/progress/", guard(require_safe(self.progress)), name="import_progress"),
            path("imports/batches/<int:pk>/check/", guard(require_POST(self.check_again)), name="import_check"),
            path("imports/batches/<int:pk>/confirm/", guard(require_POST(self.confirm)), name="import_confirm"),
            path("imports/batches/<int:pk>/cancel/", guard(require_POST(self.cancel)), name="import_cancel"),
        ]

    # helpers ---------------------------------------------------------------------------------

    def _url(self, name: str, *args) -> str:
        return reverse(f"{self.namespace}:{name}", args=args)

    def _importer_for(self, batch):
        return self._by_kind[batch.kind].importer_for(batch)

    def _context(self, **extra) -> dict:
        return {
            "section": self.section,
            "section_url": reverse(self.section_url),
            "imports_url": self._url("imports"),
            "namespace": self.namespace,
            **extra,
        }

    def _preview_context(self, batch, preview: Preview | None) -> dict:
        upload_kind = self._by_kind[batch.kind]
        return self._context(
            batch=batch,
            result=preview,
            upload_kind=upload_kind,
            upload_url=self._url("import_upload", upload_kind.slug),
            confirm_url=self._url("import_confirm", batch.pk),
            cancel_url=self._url("import_cancel", batch.pk),
        )

    # views -----------------------------------------------------------------------------------

    def index(self, request):
        batches = page_of(
            request, self.model.objects.select_related("uploaded_by").defer("content").order_by("-uploaded_at", "-pk")
        )
        kinds = [(kind, self._url("import_upload", kind.slug)) for kind in self.kinds]
        others = self.extra_links(request.user) if self.extra_links else []
        return render(
            request,
            "imports/index.html",
            self._context(batches=batches, kinds=kinds, intro=self.intro, others=others),
        )

    def upload(self, request, kind: str):
        upload_kind = self._by_slug.get(kind)
        if upload_kind is None:
            raise Http404("No such import")
        form = upload_kind.form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            file = form.cleaned_data["file"]
            batch, _ = create_batch(
                model=self.model,
                kind=upload_kind.kind,
                filename=file.name,
                content=file.read(),
                user=request.user,
                importer_for=self._importer_for,
                options=form.batch_options(),
            )
            if batch.state == BatchState.CHECKING:
                background.queue_check(batch)
            return redirect(self._url("import_preview", batch.pk))
        return render(
            request,
            "imports/upload.html",
            self._context(form=form, upload_kind=upload_kind, error_title=bool(form.errors)),
        )

    def preview(self, request, pk: int):
        # An officer sees every batch; the uploader is recorded, not a scope.
        batch = get_object_or_404(self.model, pk=pk)
        if batch.state == BatchState.CHECKING:
            return render(request, "imports/checking.html", self._checking_context(batch))
        return render(request, "imports/preview.html", self._preview_context(batch, self._kept_preview(batch)))

    def _checking_context(self, batch) -> dict:
        return self._context(
            batch=batch,
            rows_read=background.rows_read(batch),
            not_queued=background.not_queued(batch),
            stalled=background.stalled(batch),
            preview_url=self._url("import_preview", batch.pk),
            progress_url=self._url("import_progress", batch.pk),
            check_url=self._url("import_check", batch.pk),
            cancel_url=self._url("import_cancel", batch.pk),
        )

    def progress(self, request, pk: int):
        """What the checking page polls: whether the check is done and how many rows it has read."""
        batch = get_object_or_404(self.model.objects.defer("content"), pk=pk)
        return JsonResponse(
            {"state": batch.state, "rows_read": background.rows_read(batch), "not_queued": background.not_queued(batch)}
        )

    def check_again(self, request, pk: int):
        batch = get_object_or_404(self.model.objects.defer("content"), pk=pk)
        if batch.state == BatchState.CHECKING:
            background.requeue_check(batch)
        return redirect(self._url("import_preview", batch.pk))

    def _kept_preview(self, batch) -> Preview | None:
        if batch.state not in (BatchState.PREVIEWED, BatchState.REJECTED):
            return None
        if batch.preview:
            return Preview.from_record(batch.preview)
        # An upload kept before previews were recorded is checked now.
        importer = self._importer_for(batch)
        return Preview.of(preview_batch(batch=batch, importer=importer), importer)

    def confirm(self, request, pk: int):
        batch = get_object_or_404(self.model, pk=pk)
        if batch.state == BatchState.CHECKING:
            messages.error(request, "This file is still being checked; it can be confirmed once the check is done.")
            return redirect(self._url("import_preview", batch.pk))
        if batch.state == BatchState.REJECTED:
            return render(
                request, "imports/preview.html", self._preview_context(batch, self._kept_preview(batch)), status=400
            )
        try:
            result = apply_batch(batch=batch, user=request.user, importer_for=self._importer_for)
        except InvalidTransition as exc:
            messages.error(request, f"This upload was already {exc.lifecycle.label(exc.current)}.")
            return redirect(self._url("import_preview", batch.pk))
        if not result.applied:
            batch.refresh_from_db()
            preview = Preview.of(result, self._importer_for(batch))
            return render(request, "imports/preview.html", self._preview_context(batch, preview), status=400)
        batch.refresh_from_db()
        messages.success(request, f"Imported {batch.filename}: {batch.summary_line.rstrip('.')}.")
        return redirect(self._url("imports"))

    def cancel(self, request, pk: int):
        batch = get_object_or_404(self.model, pk=pk)
        try:
            cancel_batch(batch=batch)
        except InvalidTransition as exc:
            messages.error(request, f"This upload was already {exc.lifecycle.label(exc.current)}.")
            return redirect(self._url("import_preview", batch.pk))
        messages.info(request, f"The upload of {batch.filename} was cancelled; nothing was imported.")
        return redirect(self._url("imports"))


def upload_links(user, *, exclude: str = "") -> list:
    """Every other app's import pages this user may use, from ``AppConfig.upload_links(user)``."""
    links = []
    for config in apps.get_app_configs():
        provider = getattr(config, "upload_links", None)
        if provider is not None and config.label != exclude:
            links.extend(provider(user))
    return links
