"""Admin: published versions and packs are read-only (publishing goes through the pages and their
services, never an edit form); commentary shows its full history."""

from django.contrib import admin

from perfsite.history_admin import HistoryAdmin
from scorecards.models import Commentary, CommitteePack, KeyIssue, PublishedScorecard


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishedScorecard)
class PublishedScorecardAdmin(ReadOnlyAdmin):
    list_display = ("quarter", "version", "published_at", "published_by", "reason")
    list_filter = ("quarter",)
    search_fields = ("quarter", "reason")
    fields = ("quarter", "version", "published_at", "published_by", "reason", "changes", "sha256")
    readonly_fields = fields
    list_select_related = ("published_by",)


@admin.register(CommitteePack)
class CommitteePackAdmin(ReadOnlyAdmin):
    list_display = ("scorecard", "status", "progress", "requested_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = (
        "scorecard", "status", "progress", "step", "pdf", "xlsx", "snapshot_sha256", "error",
        "requested_by", "requested_at", "started_at", "finished_at",
    )  # fmt: skip
    list_select_related = ("scorecard",)


@admin.register(Commentary)
class CommentaryAdmin(HistoryAdmin):
    list_display = ("indicator", "quarter", "mode", "author", "updated_at")
    list_filter = ("quarter", "mode")
    search_fields = ("indicator__code", "text")
    list_select_related = ("indicator", "author")
    readonly_fields = ("author", "updated_at")
    autocomplete_fields = ()

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        obj.author = request.user
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(KeyIssue)
class KeyIssueAdmin(HistoryAdmin):
    list_display = ("quarter", "indicator", "reason", "chosen_by", "chosen_at")
    list_filter = ("quarter",)
    list_select_related = ("indicator", "chosen_by")
    readonly_fields = ("chosen_by", "chosen_at")
    autocomplete_fields = ("indicator",)

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        obj.chosen_by, obj.chosen_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
