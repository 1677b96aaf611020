"""Forms for performance officers: a value or target, an upload, and the DfE import's options."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from indicators.computed import refusal
from indicators.imports.ees_options import EesOptions, OptionError, parse_filter, parse_month_day
from indicators.models import VALUE_DECIMAL_PLACES, FrameworkLevel, Indicator, IndicatorValue, Series, Status
from indicators.quarters import Quarter
from indicators.services import to_decimal
from indicators.values import clean_value_fields
from perfsite.imports.forms import UploadForm
from perfsite.text_limits import FOOTNOTE_MAX, too_long_message
from perfsite.widgets import GovukDateInput

NUMBER_HINT = "As published, with its decimal places (69.0 is kept as 69.0)."


class FigureField(forms.CharField):
    """A Decimal figure kept as typed, so its decimal places survive (Django's DecimalField drops them)."""

    def __init__(self, *, required=True, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(required=required, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"})

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            number = to_decimal(text, name=self.label or "figure")
            typed = Decimal(text.strip().replace(",", ""))
        except (ValidationError, InvalidOperation):
            raise ValidationError(f"Enter {(self.label or 'the figure').lower()} as a number, like 45.9") from None
        if -typed.as_tuple().exponent > VALUE_DECIMAL_PLACES:
            raise ValidationError(f"Give {VALUE_DECIMAL_PLACES} decimal places or fewer.")
        return number


class ValueForm(forms.Form):
    series = forms.ChoiceField(choices=Series.choices, widget=forms.RadioSelect, label="Series")
    period_label = forms.CharField(
        label="Period, as printed",
        max_length=80,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        help_text="For example 2016/17, Oct - Dec 2016, As at Mar 2017 or 2015/16 ac yr (final).",
    )
    period_start = forms.DateField(label="Period starts", widget=GovukDateInput, help_text="For example 1 4 2016")
    period_end = forms.DateField(
        label="Period ends", widget=GovukDateInput, help_text="For a snapshot (As at ...), the same day as the start."
    )
    value = FigureField(label="Value", help_text=NUMBER_HINT)
    numerator = FigureField(label="Numerator", required=False, help_text="For example the number of cases.")
    denominator = FigureField(label="Denominator", required=False)
    status = forms.ChoiceField(
        label="Status", choices=[("", "Not stated"), *Status.choices], required=False, widget=forms.RadioSelect
    )
    footnote = forms.CharField(
        label="Footnote",
        required=False,
        max_length=FOOTNOTE_MAX,
        error_messages={"max_length": too_long_message("Footnote", FOOTNOTE_MAX)},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown under the quarterly table, e.g. Previous period data amended.",
    )

    # The figure's version when the form was opened: a correction based on an older one is refused.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            "This page is out of date: reload the figure, then make your correction again",
        ),
    )

    def __init__(self, *args, indicator: Indicator, instance: IndicatorValue | None = None, **kwargs):
        self.indicator, self.instance = indicator, instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": instance.version,
                    "series": instance.series,
                    "period_label": instance.period_label,
                    "period_start": instance.period_start,
                    "period_end": instance.period_end,
                    "value": str(instance.figure),
                    "numerator": "" if instance.numerator is None else str(instance.numerator.normalize()),
                    "denominator": "" if instance.denominator is None else str(instance.denominator.normalize()),
                    "status": instance.status,
                    "footnote": instance.footnote,
                },
            )
        super().__init__(*args, **kwargs)
        if instance is None:
            del self.fields["version"]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The period must end on or after the day it starts")
        # Neither a computed figure nor a figure into a computed series may be typed in.
        for series in {self.instance.series if self.instance else None, data.get("series")} - {None}:
            problem = refusal(self.indicator, series)
            if problem:
                self.add_error("series", problem)
                break
        if self.errors:
            return data
        clash = IndicatorValue.objects.filter(
            indicator=self.indicator, series=data["series"], period_start=start, period_end=end
        )
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error(
                "period_start",
                f"There is already a figure in the {Series(data['series']).label.lower()} series for this period; "
                "correct that one",
            )
            return data
        try:
            data["fields"] = clean_value_fields(
                series=data["series"],
                period_label=data["period_label"],
                period_start=start,
                period_end=end,
                value=data["value"],
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
                status=data.get("status") or "",
                footnote=data.get("footnote") or "",
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return data


class EesUploadForm(UploadForm):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.all(),
        label="Indicator",
        help_text="The indicator the figures are benchmarks for.",
        empty_label="Choose an indicator",
    )
    column = forms.CharField(
        label="Column",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        help_text="The name of the figure's column in row 1, e.g. rate_per_10000.",
    )
    filters = forms.CharField(
        label="Filters",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One COLUMN=VALUE a line, e.g. population_type=Children looked after on 31 March each year",
    )
    timing = forms.ChoiceField(
        label="What each year's figure covers",
        widget=forms.RadioSelect,
        choices=[("as_at", "A snapshot on one day (as at)"), ("year_to", "The 12 months ending on one day")],
    )
    month_day = forms.CharField(
        label="Day of the year",
        max_length=5,
        help_text="As MM-DD, e.g. 03-31 for 31 March.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
    )
    include_home = forms.BooleanField(
        label="Also write the home authority's own figure as the actual, where none is stored", required=False
    )
    replace_home = forms.BooleanField(
        label="Replace the council's own figures",
        help_text="Only with this ticked does a DfE figure replace an actual the council has already stored.",
        required=False,
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            parse_month_day(data["month_day"])
        except OptionError as exc:
            self.add_error("month_day", str(exc))
        lines = [line for line in (data.get("filters") or "").splitlines() if line.strip()]
        for line in lines:
            try:
                parse_filter(line)
            except OptionError as exc:
                self.add_error("filters", str(exc))
        if self.errors:
            return data
        timing = data["timing"]
        data["options"] = EesOptions.from_strings(
            indicator=data["indicator"].code,
            column=data["column"],
            as_at=data["month_day"] if timing == "as_at" else "",
            year_to=data["month_day"] if timing == "year_to" else "",
            filters=lines,
            include_home=data.get("include_home", False),
            replace_home=data.get("replace_home", False),
        )
        return data

    def batch_options(self) -> dict:
        return self.cleaned_data["options"].as_dict()


def quarter_choices(quarters: list[Quarter]) -> list[tuple[str, str]]:
    return [(q.slug, q.label) for q in quarters]


_SELECTED = mark_safe(" selected")  # nosec B308 - constant markup


class QuickSelect(forms.Select):
    """A select written in Python: Django renders each option through a template, which at fifty
    quarters cost more than the query behind them. The markup is Django's own (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, _SELECTED if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class QuickTextInput(forms.TextInput):
    """A text input written in Python, as Django's ``input.html`` and ``attrs.html`` write it: the
    attributes in their given order, ``True`` bare, ``False`` left out, every value escaped. Two
    templates for one tag cost the quarter page more than its filters' query."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        shown = context["value"]
        markup = format_html('<input type="{}" name="{}"', context["type"], context["name"])
        if shown is not None:
            markup += format_html(' value="{}"', f"{shown}")  # stringformat:"s": a plain str, escaped
        for key, attribute in context["attrs"].items():
            if attribute is True:
                markup += format_html(" {}", key)
            elif attribute is not False:
                markup += format_html(' {}="{}"', key, f"{attribute}")
        return markup + mark_safe(">")  # nosec B308 - constant markup


class QuarterPickerForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter", widget=QuickSelect)

    def __init__(self, *args, quarters: list[Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices(quarters)


class QuarterFilterForm(forms.Form):
    """The quarter page's filters: which table, framework level and theme, and a search on code or words."""

    search = forms.CharField(
        label="Code or words in the description", required=False, max_length=100, widget=QuickTextInput
    )
    table = forms.ChoiceField(
        label="Table",
        widget=QuickSelect,
        required=False,
        choices=[
            ("", "Both tables"),
            ("target", "Table 1: target indicators"),
            ("tracker", "Table 2: tracker indicators"),
        ],
    )
    level = forms.ChoiceField(label="Framework level", required=False, widget=QuickSelect)
    theme = forms.TypedChoiceField(label="Theme", required=False, coerce=int, empty_value=None, widget=QuickSelect)

    def __init__(self, *args, themes: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "All levels"), *FrameworkLevel.choices]
        self.fields["theme"].choices = [("", "All themes"), *themes]

    def filters(self) -> dict:
        """The valid filters as keyword arguments of ``quarter_page.shown_indicators`` (none when invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"table": data["table"], "level": data["level"], "theme": data["theme"], "search": data["search"]}
