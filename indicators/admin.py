from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from indicators.benchmarks import options_for
from indicators.computed import is_computed, refusal
from indicators.imports import OptionError
from indicators.models import (
    ActionNote,
    BenchmarkSource,
    ImportBatch,
    Indicator,
    IndicatorValue,
    PerformanceAction,
    PerformanceActionReminder,
    Theme,
)
from indicators.provenance import by_hand
from perfsite.history_admin import HistoryAdmin
from perfsite.imports.admin import ImportBatchAdmin


class IndicatorValueAdminForm(forms.ModelForm):
    """The admin refuses a computed indicator's actuals and targets, as the value form and imports do."""

    class Meta:
        model = IndicatorValue
        fields = (
            "indicator",
            "series",
            "period_label",
            "period_start",
            "period_end",
            "value",
            "scale",
            "numerator",
            "denominator",
            "status",
            "footnote",
        )

    def clean(self):
        data = super().clean()
        indicator = data.get("indicator") or (self.instance.indicator if self.instance.indicator_id else None)
        if indicator is not None:
            was = self.instance.series if self.instance.pk else None
            for series in {was, data.get("series")} - {None}:
                problem = refusal(indicator, series)
                if problem:
                    raise forms.ValidationError(problem)
        return data


def _computed_figure(obj) -> bool:
    return isinstance(obj, IndicatorValue) and refusal(obj.indicator, obj.series) is not None


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    form = IndicatorValueAdminForm
    extra = 0

    def has_delete_permission(self, request, obj=None):
        # A computed indicator's figures are removed by recomputing, benchmarks on the value's own page.
        return not (isinstance(obj, Indicator) and is_computed(obj)) and super().has_delete_permission(request, obj)

    fields = ("series", "period_label", "period_start", "period_end", "value", "scale", "status", "footnote")
    ordering = ("series", "-period_end")
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ("code", "ref", "description", "kind", "polarity", "unit", "tolerance", "theme", "active")
    list_filter = ("kind", "polarity", "unit", "theme", "framework_level", "framework_theme", "active", "is_computed")
    search_fields = ("code", "description", "owner")
    filter_horizontal = ("also_in",)
    list_select_related = ("theme",)
    inlines = [IndicatorValueInline]
    readonly_fields = ("created_at", "updated_at")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(HistoryAdmin):
    form = IndicatorValueAdminForm
    list_display = ("indicator", "series", "period_label", "period_start", "period_end", "figure", "status")
    list_filter = ("series", "status", "indicator__theme")
    search_fields = ("indicator__code", "period_label", "footnote")
    list_select_related = ("indicator",)
    autocomplete_fields = ("indicator",)
    date_hierarchy = "period_end"
    readonly_fields = ("updated_at", "updated_by", "source_kind", "source_detail", "loaded_at")

    def has_delete_permission(self, request, obj=None):
        return not _computed_figure(obj) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        computed = [item for item in queryset.select_related("indicator") if _computed_figure(item)]
        for item in computed[:1]:
            self.message_user(request, refusal(item.indicator, item.series), messages.ERROR)
        super().delete_queryset(request, queryset.exclude(pk__in=[item.pk for item in computed]))

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if not change or form.changed_data:
            source = by_hand("in the admin").fields()
            for name, value in source.items():
                setattr(obj, name, value)
            obj.loaded_at = timezone.now()
        super().save_model(request, obj, form, change)


class BenchmarkSourceAdminForm(forms.ModelForm):
    """A source refresh_benchmarks could not read is refused here, not at the next refresh."""

    class Meta:
        model = BenchmarkSource
        fields = ("indicator", "publication", "file_pattern", "column", "filters", "as_at", "year_to", "include_home")

    def clean(self):
        data = super().clean()
        if self.errors or data.get("indicator") is None:
            return data
        try:
            options_for(BenchmarkSource(**data))
        except OptionError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


@admin.register(BenchmarkSource)
class BenchmarkSourceAdmin(HistoryAdmin):
    form = BenchmarkSourceAdminForm
    list_display = ("indicator", "publication", "file_pattern", "column", "as_at", "year_to", "include_home")
    search_fields = ("indicator__code", "file_pattern", "column", "publication")
    list_select_related = ("indicator",)
    autocomplete_fields = ("indicator",)


admin.site.register(ImportBatch, ImportBatchAdmin)


class ActionNoteInline(admin.TabularInline):
    model = ActionNote
    extra = 0
    fields = ("written_on", "text", "author")
    autocomplete_fields = ("author",)


@admin.register(PerformanceAction)
class PerformanceActionAdmin(HistoryAdmin):
    """Status changes belong to the action's page, where the lifecycle is enforced; admin shows it read-only."""

    list_display = ("indicator", "quarter", "description", "owner", "owner_service", "due_on", "status")
    list_filter = ("status", "quarter")
    search_fields = ("indicator__code", "description", "owner_service")
    list_select_related = ("indicator", "owner")
    autocomplete_fields = ("indicator", "owner")
    readonly_fields = ("status", "dropped_reason", "created_at", "created_by", "updated_at")
    inlines = [ActionNoteInline]


@admin.register(PerformanceActionReminder)
class PerformanceActionReminderAdmin(admin.ModelAdmin):
    list_display = ("action", "week_starting", "recipient", "sent_at")
    list_select_related = ("action",)
    readonly_fields = ("action", "week_starting", "recipient", "sent_at")
