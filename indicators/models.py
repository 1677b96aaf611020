"""The indicator register: themes, indicators, and their values as series over periods."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from indicators.conf import default_tolerance
from perfsite.imports.batches import BatchState, ImportBatchBase
from perfsite.text_limits import FOOTNOTE_MAX, length_at_most

# Values keep up to this many decimal places; the figure as entered keeps its own scale.
VALUE_DECIMAL_PLACES = 4


class Kind(models.TextChoices):
    TARGET = "target", "Target"
    TRACKER = "tracker", "Tracker"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEUTRAL = "neutral", "Neutral (not rated)"


class Unit(models.TextChoices):
    PERCENT = "percent", "%"
    RATE_PER_1000 = "per_1000", "Rate per 1,000"
    RATE_PER_10000 = "per_10000", "Rate per 10,000"
    RATE_PER_100000 = "per_100000", "Rate per 100,000"
    COUNT = "count", "Count"
    SCORE = "score", "Score"
    DAYS = "days", "Days"
    NUMBER = "number", "Number"


class FrameworkLevel(models.TextChoices):
    """The four levels of the Durham framework (Appendix 5 of the reference report)."""

    UNIVERSAL = "universal", "1. Universal services"
    EARLY_HELP = "early_help", "2. Early help"
    ASSESSMENT_SAFEGUARDING = "assessment_safeguarding", "3. Assessment and safeguarding services"
    CORPORATE_PARENTING = "corporate_parenting", "4. Corporate parenting support"


class FrameworkTheme(models.TextChoices):
    """The four themes of the Durham framework (Appendix 5), each with its questions."""

    SAFEGUARDING = "safeguarding", "Safeguarding"
    VOICE_OF_THE_CHILD = "voice_of_the_child", "The voice of the child"
    ACHIEVING_ASPIRATION = "achieving_aspiration", "Achieving aspiration"
    SOCIAL_WORK_PRACTICE = "social_work_practice", "Social work practice"


class Series(models.TextChoices):
    ACTUAL = "actual", "Actual"
    TARGET = "target", "Target"
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"


BENCHMARK_SERIES = (Series.NATIONAL, Series.REGIONAL, Series.STATISTICAL_NEIGHBOURS)


class SourceKind(models.TextChoices):
    """Where a figure came from (``indicators.provenance``)."""

    HAND = "hand", "Entered by hand"
    FILE = "file", "File import"
    EES = "ees", "DfE published statistics (EES file)"
    COMPUTED = "computed", "Computed by perfsite"


class Status(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    FINAL = "final", "Final"


class Theme(models.Model):
    """A council priority theme such as "Altogether Better for Children and Young People"."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(default=100, help_text="Themes are listed in this order.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def with_themes(self):
        return self.select_related("theme").prefetch_related("also_in")

    def in_theme(self, theme):
        return self.filter(Q(theme=theme) | Q(also_in=theme)).distinct()


def _default_tolerance() -> Decimal:
    return default_tolerance()


class Indicator(models.Model):
    code = models.CharField("PI ref", max_length=30, unique=True, help_text="As the council writes it, e.g. CASCYP 15.")
    ref = models.PositiveIntegerField(
        "Ref", null=True, blank=True, help_text="The indicator's number in the corporate indicator set; orders tables."
    )
    description = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    unit = models.CharField(max_length=12, choices=Unit.choices)
    decimals = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(VALUE_DECIMAL_PLACES)], help_text="Decimal places to show."
    )
    tolerance = models.DecimalField(
        "RAG tolerance (%)",
        max_digits=5,
        decimal_places=2,
        default=_default_tolerance,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="How far behind, in percent of the comparator, is still AMBER. 0 means no amber band.",
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="indicators", help_text="The theme it is reported under."
    )
    also_in = models.ManyToManyField(
        Theme, blank=True, related_name="also_indicators", help_text="Other themes it also belongs to."
    )
    framework_level = models.CharField(max_length=30, choices=FrameworkLevel.choices, blank=True)
    framework_theme = models.CharField(max_length=30, choices=FrameworkTheme.choices, blank=True)
    owner = models.CharField(max_length=120, blank=True, help_text="The service or post accountable for it.")
    is_computed = models.BooleanField(
        default=False, help_text="Its actuals are computed by perfsite (audits, caseloads), not entered."
    )
    active = models.BooleanField(default=True, help_text="Only active indicators appear in quarterly tables.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[also_in])
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = [F("ref").asc(nulls_last=True), "code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="indicator_kind_valid"),
            models.CheckConstraint(condition=Q(polarity__in=Polarity.values), name="indicator_polarity_valid"),
            models.CheckConstraint(condition=Q(tolerance__gte=0), name="indicator_tolerance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:detail", args=[self.pk])

    @property
    def themes(self) -> list[Theme]:
        """The reporting theme first, then the others (uses the prefetch when there is one)."""
        others = sorted((t for t in self.also_in.all() if t.pk != self.theme_id), key=lambda t: (t.position, t.name))
        return [self.theme, *others]


class IndicatorValueQuerySet(models.QuerySet):
    def series(self, series: str):
        return self.filter(series=series)

    def ending_by(self, day):
        return self.filter(period_end__lte=day)


class IndicatorValue(models.Model):
    """One figure of one series for one period: an actual, a target or a benchmark."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    series = models.CharField(max_length=30, choices=Series.choices)
    period_label = models.CharField(
        max_length=80, help_text="As printed, e.g. 2015/16 ac yr (final), Oct - Dec 2016, As at Mar 2017."
    )
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=18, decimal_places=VALUE_DECIMAL_PLACES)
    scale = models.PositiveSmallIntegerField(
        default=1,
        validators=[MaxValueValidator(VALUE_DECIMAL_PLACES)],
        help_text="Decimal places the figure was given with (69.0 is 1, 382 is 0).",
    )
    numerator = models.DecimalField(max_digits=18, decimal_places=VALUE_DECIMAL_PLACES, null=True, blank=True)
    denominator = models.DecimalField(max_digits=18, decimal_places=VALUE_DECIMAL_PLACES, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    footnote = models.TextField(blank=True, max_length=FOOTNOTE_MAX)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up by one at every change; a correction based on an older version is refused."
    )
    # Provenance (indicators.provenance): what wrote the figure as it stands, and when. Blank on
    # figures stored before provenance was kept; the history keeps each earlier figure's own.
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices, blank=True)
    source_detail = models.CharField(
        max_length=400, blank=True, help_text="The file and row, or the DfE file, column and filter, it came from."
    )
    loaded_at = models.DateTimeField(null=True, blank=True, help_text="When the figure was written from its source.")

    history = HistoricalRecords()
    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "series", "period_end", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "series", "period_start", "period_end"],
                name="indicators_one_value_per_series_period",
                violation_error_message="There is already a value of this series for this period.",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")),
                name="indicators_period_starts_before_it_ends",
                violation_error_message="The period must start on or before the day it ends.",
            ),
            models.CheckConstraint(condition=Q(series__in=Series.values), name="indicators_series_valid"),
            models.CheckConstraint(condition=Q(status__in=[*Status.values, ""]), name="indicators_status_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="indicators_value_version_positive"),
            length_at_most("footnote", FOOTNOTE_MAX, name="indicators_value_footnote_bounded"),
            models.CheckConstraint(
                condition=Q(source_kind__in=[*SourceKind.values, ""]), name="indicators_source_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "series", "period_end"], name="indicators_value_lookup")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.get_series_display()} {self.period_label}: {self.figure}"

    @property
    def figure(self) -> Decimal:
        """The value with the decimal places it was given with."""
        return quantize(self.value, self.scale)


def quantize(number: Decimal, scale: int) -> Decimal:
    exponent = _EXPONENTS.get(scale)
    return number.quantize(exponent if exponent is not None else Decimal(1).scaleb(-scale))


# 1, 0.1, 0.01...: every figure of a page is quantized, and each exponent is the same Decimal every time.
_EXPONENTS = {scale: Decimal(1).scaleb(-scale) for scale in range(12)}


def scale_of(number: Decimal) -> int:
    """Decimal places a figure was written with, capped at what the database keeps."""
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"{number} is not a finite number.")
    return min(max(0, -exponent), VALUE_DECIMAL_PLACES)


class BenchmarkSource(models.Model):
    """Where an indicator's DfE figures come from, so ``refresh_benchmarks`` reads them all in one run."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="benchmark_source")
    publication = models.CharField(max_length=200, blank=True, help_text="DfE's publication, e.g. Children in need.")
    file_pattern = models.CharField(
        max_length=200, help_text="The file's name in the folder; * matches anything, e.g. csww_indicators_*.csv."
    )
    column = models.CharField(max_length=100, help_text="The figure's column, e.g. rate_per_10000.")
    filters = models.TextField(blank=True, help_text="One COLUMN=VALUE a line: only rows matching every one.")
    as_at = models.CharField("As at (MM-DD)", max_length=5, blank=True, help_text="A snapshot on this day each year.")
    year_to = models.CharField(
        "Year to (MM-DD)", max_length=5, blank=True, help_text="The 12 months ending on this day each year."
    )
    include_home = models.BooleanField(
        default=False, help_text="Also write the home authority's figure as the actual, where none is stored."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(as_at="") & ~Q(year_to="")) | (~Q(as_at="") & Q(year_to="")),
                name="benchmark_source_as_at_or_year_to",
                violation_error_message="Give exactly one of as at or year to.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.file_pattern} ({self.column})"

    @property
    def filter_lines(self) -> list[str]:
        return [line.strip() for line in self.filters.splitlines() if line.strip()]


class ImportKind(models.TextChoices):
    INDICATORS = "indicators", "Indicators"
    VALUES = "values", "Values, targets and benchmarks"
    EES = "ees", "DfE published statistics (Explore Education Statistics)"


# An upload's states and their transitions are the shared import framework's.
ImportState = BatchState


class ImportBatch(ImportBatchBase):
    """An indicators, values or DfE file uploaded through the web (``perfsite.imports.batches``)."""

    kind = models.CharField(max_length=12, choices=ImportKind.choices)

    class Meta(ImportBatchBase.Meta):
        verbose_name_plural = "import batches"


# Performance actions live in their own module; importing them here registers them with the app.
from indicators.action_models import (  # noqa: E402, F401
    ActionNote,
    ActionStatus,
    PerformanceAction,
    PerformanceActionReminder,
)
