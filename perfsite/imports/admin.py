"""One admin for every app's upload batches: a record to read, never edited (states move only by the pages)."""

from __future__ import annotations

from django.contrib import admin


class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("uploaded_at", "kind", "filename", "state", "uploaded_by", "applied_at")
    list_filter = ("kind", "state")
    exclude = ("content",)
    readonly_fields = (
        "kind",
        "filename",
        "options",
        "state",
        "uploaded_by",
        "uploaded_at",
        "applied_at",
        "summary",
        "summary_line",
    )

    def has_add_permission(self, request):
        return False
