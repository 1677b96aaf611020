"""Admin for teams, workers and returns (lines inline), with the change history of each."""

from __future__ import annotations

from django.contrib import admin

from caseloads.models import CaseloadLine, CaseloadReturn, ReminderSent, ReturnReopening, ReturnStatus, Team, Worker
from caseloads.tallies import refresh_tallies
from perfsite.history_admin import HistoryAdmin


def _recount(return_ids) -> None:
    """An admin edit (a save or a history revert) may change a submitted return's figures,
    its team or month, or its status: lock the returns as the services do, then recount their tallies."""
    ids = sorted({pk for pk in return_ids if pk is not None})
    if ids:
        list(CaseloadReturn.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        refresh_tallies(returns=ids)


class WorkerInline(admin.TabularInline):
    model = Worker
    fields = ("name", "staff_number", "role", "employment", "wte", "started_on", "ended_on")
    extra = 0
    show_change_link = True


@admin.register(Team)
class TeamAdmin(HistoryAdmin):
    list_display = ("name", "service_area", "active")
    list_filter = ("service_area", "active")
    search_fields = ("name",)
    filter_horizontal = ("managers",)
    inlines = [WorkerInline]


@admin.register(Worker)
class WorkerAdmin(HistoryAdmin):
    list_display = ("name", "staff_number", "team", "role", "employment", "wte", "started_on", "ended_on")
    list_filter = ("team", "role", "employment")
    search_fields = ("name", "staff_number")
    list_select_related = ("team",)
    autocomplete_fields = ("user",)
    history_list_display = ("team", "role", "employment", "wte", "ended_on")


class CaseloadLineInline(admin.TabularInline):
    model = CaseloadLine
    fields = (
        "worker",
        "role",
        "employment",
        "wte",
        "cases",
        "cases_early_help",
        "cases_child_in_need",
        "cases_child_protection",
        "cases_looked_after",
        "cases_care_leaver",
        "confirmed_implausible",
    )
    raw_id_fields = ("worker",)
    extra = 0

    def has_change_permission(self, request, obj=None):
        # A submitted return is read-only until an officer reopens it (with a reason) on its page.
        return (obj is None or obj.status != ReturnStatus.SUBMITTED) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status != ReturnStatus.SUBMITTED) and super().has_delete_permission(request, obj)


class ReturnReopeningInline(admin.TabularInline):
    model = ReturnReopening
    fields = ("reopened_at", "reopened_by", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # reopen from the return's page, which records the reason and moves the status


@admin.register(CaseloadReturn)
class CaseloadReturnAdmin(HistoryAdmin):
    list_display = ("team", "month", "status", "version", "submitted_at", "submitted_by", "updated_at")
    list_filter = ("status", "month", "team__service_area", "team")
    list_select_related = ("team", "submitted_by")
    date_hierarchy = "month"
    search_fields = ("team__name",)
    readonly_fields = (
        "status",
        "version",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "submitted_at",
        "submitted_by",
        "first_submitted_at",
    )
    inlines = [CaseloadLineInline, ReturnReopeningInline]
    history_list_display = ("status", "version")

    def save_model(self, request, obj, form, change):
        # Admin edits are changes like any other: they move the version on, so an open form elsewhere is refused.
        from django.utils import timezone

        if change:
            obj.version += 1
        obj.updated_at = timezone.now()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        _recount([obj.pk])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _recount([form.instance.pk])


@admin.register(CaseloadLine)
class CaseloadLineAdmin(HistoryAdmin):
    list_display = ("caseload_return", "worker", "role", "employment", "wte", "cases")
    list_filter = ("caseload_return__month", "role", "employment")
    search_fields = ("worker__name", "worker__staff_number", "caseload_return__team__name")
    list_select_related = ("caseload_return__team", "worker")
    raw_id_fields = ("caseload_return", "worker")

    def has_change_permission(self, request, obj=None):
        submitted = obj is not None and obj.caseload_return.status == ReturnStatus.SUBMITTED
        return not submitted and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        submitted = obj is not None and obj.caseload_return.status == ReturnStatus.SUBMITTED
        return not submitted and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # A line added to (or moved onto or off) a submitted return changes that return's figures.
        before = CaseloadLine.objects.filter(pk=obj.pk).values_list("caseload_return_id", flat=True).first()
        super().save_model(request, obj, form, change)
        _recount([before, obj.caseload_return_id])


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("manager", "month", "sent_at", "teams")
    list_filter = ("month",)
    readonly_fields = ("manager", "month", "sent_at", "teams")

    def has_add_permission(self, request):
        return False


# Uploads of caseload figures: the shared read-only record (perfsite.imports.admin).
from caseloads.models import CaseloadImportBatch  # noqa: E402
from perfsite.imports.admin import ImportBatchAdmin  # noqa: E402

admin.site.register(CaseloadImportBatch, ImportBatchAdmin)
