from django.contrib import admin

from indicators.models import ImportBatch, Indicator, IndicatorValue, Theme
from perfsite.history_admin import HistoryAdmin


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
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
    list_display = ("indicator", "series", "period_label", "period_start", "period_end", "figure", "status")
    list_filter = ("series", "status", "indicator__theme")
    search_fields = ("indicator__code", "period_label", "footnote")
    list_select_related = ("indicator",)
    autocomplete_fields = ("indicator",)
    date_hierarchy = "period_end"
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("uploaded_at", "kind", "filename", "state", "uploaded_by", "applied_at")
    list_filter = ("kind", "state")
    exclude = ("content",)
    readonly_fields = ("kind", "filename", "options", "state", "uploaded_by", "uploaded_at", "applied_at", "summary")

    def has_add_permission(self, request):
        return False
