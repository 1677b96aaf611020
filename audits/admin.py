"""Django admin for the audit programme, held to the same rules as the pages.

- Audits and moderations are created only by rounds and by sending for moderation (no "add" here).
- Status is never edited directly; the lifecycle moves through admin actions that call the services.
- A submitted audit's grades are read-only; a moderator's grade is recorded only on the moderation page.
- Changing an auditor or a moderator checks independence, exactly as allocation does.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction

from audits.choices import AuditStatus
from audits.lifecycle import InvalidTransition
from audits.models import ActionReminder, Audit, AuditAction, AuditRound, Case, Moderation, ThemeGrade
from audits.round_tallies import recount_rounds
from audits.services import auditing
from audits.services.allocating import NotIndependent, check_independent
from audits.tallies import quarters_of, refresh_audit, refresh_quarters
from perfsite.history_admin import HistoryAdmin


@admin.register(Case)
class CaseAdmin(HistoryAdmin):
    list_display = ("case_ref", "case_type", "team", "worker", "opened_on", "closed_on")
    list_filter = ("case_type", "team")
    search_fields = ("case_ref",)
    list_select_related = ("team", "worker")
    autocomplete_fields = ()
    raw_id_fields = ("worker",)


class RoundAuditInline(admin.TabularInline):
    model = Audit
    fields = ("case", "team", "auditor", "status", "overall_grade")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AuditRound)
class AuditRoundAdmin(HistoryAdmin):
    list_display = ("title", "quarter", "kind", "rate", "seed", "sampling_date", "due_on")
    list_filter = ("kind", "quarter")
    readonly_fields = ("kind", "quarter", "rate", "seed", "sampling_date", "selection", "created_by", "created_at")
    fields = ("title", *readonly_fields, "due_on")
    inlines = (RoundAuditInline,)

    def has_add_permission(self, request):
        # Rounds are drawn on the rounds page or with draw_sample, so seeds and independence are kept.
        return False

    def has_delete_permission(self, request, obj=None):
        """Only a round whose audits have not been started may be deleted (a mistaken draw)."""
        if obj is None:
            return super().has_delete_permission(request)
        started = obj.audits.exclude(status=AuditStatus.ALLOCATED).exists()
        return super().has_delete_permission(request, obj) and not started

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The audits PROTECT the round from accidental deletion; an unstarted round's audits go with it.
        unstarted = all(not obj.audits.exclude(status=AuditStatus.ALLOCATED).exists() for obj in objs)
        if not unstarted:
            return deleted, counts, perms_needed, protected
        perms_needed = {name for name in perms_needed if name != Audit._meta.verbose_name}
        return deleted, counts, perms_needed, []

    @transaction.atomic
    def delete_model(self, request, obj):
        for audit in obj.audits.all():
            audit._history_user = request.user
            audit.delete()
        super().delete_model(request, obj)


class ThemeGradeInline(admin.TabularInline):
    model = ThemeGrade
    fields = ("theme", "grade", "evidence")
    extra = 0
    max_num = 4

    def _locked(self, obj) -> bool:
        return obj is not None and not obj.is_editable

    def get_readonly_fields(self, request, obj=None):
        return self.fields if self._locked(obj) else ()

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj)


class ActionInline(admin.TabularInline):
    model = AuditAction
    fields = ("description", "owner", "due_on", "closed_at", "closed_by")
    readonly_fields = ("closed_at", "closed_by")
    raw_id_fields = ("owner",)
    extra = 0


class AuditAdminForm(forms.ModelForm):
    class Meta:
        model = Audit
        fields = ("auditor", "due_on", "overall_grade", "grade_reason", "strengths", "areas_for_development")

    def clean(self):
        data = super().clean()
        auditor = data.get("auditor")
        if self.instance.pk and "auditor" in self.changed_data and auditor is not None:
            case = Case.objects.select_related("team", "worker").get(pk=self.instance.case_id)
            try:
                check_independent(case, auditor)
            except NotIndependent as exc:
                self.add_error("auditor", str(exc))
        return data


@admin.register(Audit)
class AuditAdmin(HistoryAdmin):
    form = AuditAdminForm
    list_display = ("case", "round", "team", "case_type", "auditor", "status", "overall_grade", "completed_on")
    list_filter = ("status", "round__quarter", "round__kind", "team", "case_type")
    search_fields = ("case__case_ref",)
    list_select_related = ("case", "round", "team", "auditor")
    raw_id_fields = ("auditor",)
    inlines = (ThemeGradeInline, ActionInline)
    actions = ("close_audits",)
    history_list_display = ("status", "overall_grade", "auditor")
    lifecycle_fields = (
        "round",
        "case",
        "team",
        "case_type",
        "status",
        "allocated_at",
        "started_at",
        "submitted_at",
        "completed_on",
        "closed_at",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            # Submitted: the auditor's judgement stands; a moderator's grade is how it changes.
            return [field.name for field in Audit._meta.fields if field.name != "id"]
        return list(self.lifecycle_fields)

    def save_model(self, request, obj, form, change):
        # Reverting to an earlier version (the history page) can bring back another status, grade or
        # completion date, so the tallies of the quarter before and after are counted again.
        before, round_before = Audit.objects.filter(pk=obj.pk).values_list("completed_on", "round_id").first()
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        # Only this audit's round changed (a revert may bring back an earlier team, so not only its team).
        refresh_quarters(quarters=quarters_of(before, obj.completed_on), rounds=[obj.round_id])
        # A revert may bring back another status, or even another round: both rounds are counted again.
        recount_rounds(rounds=[round_before, obj.round_id])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_audit(form.instance)  # theme grades from the inline

    @admin.action(description="Close the selected audits (submitted or moderated)")
    def close_audits(self, request, queryset):
        closed, refused = 0, []
        for audit in queryset.select_related("case"):
            try:
                closed += auditing.close_audit(audit=audit, user=request.user)
            except (InvalidTransition, ValueError) as exc:
                refused.append(f"{audit.case.case_ref}: {exc}")
        if closed:
            self.message_user(request, f"{closed} audit(s) closed.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)


class ModerationAdminForm(forms.ModelForm):
    class Meta:
        model = Moderation
        fields = ("moderator",)

    def clean(self):
        data = super().clean()
        moderator = data.get("moderator")
        if "moderator" in self.changed_data and moderator is not None:
            audit = self.instance.audit
            case = Case.objects.select_related("team", "worker").get(pk=audit.case_id)
            exclusions = {audit.auditor_id: "completed this audit"} if audit.auditor_id else {}
            try:
                check_independent(case, moderator, other_exclusions=exclusions)
            except NotIndependent as exc:
                self.add_error("moderator", str(exc))
        return data


@admin.register(Moderation)
class ModerationAdmin(HistoryAdmin):
    form = ModerationAdminForm
    list_display = ("audit", "moderator", "grade", "sent_at", "moderated_at")
    list_filter = ("moderated_at",)
    search_fields = ("audit__case__case_ref",)
    list_select_related = ("audit__case", "audit__round", "moderator")
    raw_id_fields = ("moderator",)
    history_list_display = ("grade", "moderator")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fixed = ["audit", "sent_by", "sent_at", "grade", "rationale", "moderated_at"]
        if obj is not None and not obj.is_pending:
            fixed.append("moderator")
        return fixed

    def save_model(self, request, obj, form, change):
        # Reverting to an earlier version (the history page) can bring back another moderated grade.
        super().save_model(request, obj, form, change)
        refresh_audit(obj.audit)


@admin.register(AuditAction)
class AuditActionAdmin(HistoryAdmin):
    list_display = ("description", "audit", "owner", "due_on", "closed_at")
    list_filter = ("due_on", "closed_at")
    search_fields = ("description", "audit__case__case_ref")
    list_select_related = ("audit__case", "audit__round", "owner")
    raw_id_fields = ("owner", "audit")
    readonly_fields = ("closed_at", "closed_by")


@admin.register(ActionReminder)
class ActionReminderAdmin(admin.ModelAdmin):
    list_display = ("recipient", "week_starting", "sent_at")
    readonly_fields = ("owner", "week_starting", "sent_at", "recipient", "actions")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Uploads of the case list and historic results: the shared read-only record (perfsite.imports.admin).
from audits.models import AuditImportBatch  # noqa: E402
from perfsite.imports.admin import ImportBatchAdmin  # noqa: E402

admin.site.register(AuditImportBatch, ImportBatchAdmin)
