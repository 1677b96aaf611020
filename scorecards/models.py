"""Officer commentary, published scorecards (immutable snapshots) and the committee packs built from them.

A published scorecard is a frozen JSON snapshot of everything the page shows. Version 1 is the
publication; every later version is an amendment that carries its reason. Rows are never
updated or deleted: the model and its queryset refuse, so nothing can be silently rewritten
(``scorecards.publishing`` is the only writer).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from simple_history.models import HistoricalRecords

from indicators.quarters import Quarter
from perfsite.lifecycle import Lifecycle
from perfsite.text_limits import AMENDMENT_REASON_MAX, COMMENTARY_MAX, length_at_most


class ImmutableError(Exception):
    """Raised on any attempt to change or delete what has been published."""


class CommentaryMode(models.TextChoices):
    ADD = "add", "Add to the generated message"
    REPLACE = "replace", "Replace the generated message"


class Commentary(models.Model):
    """An officer's words about one indicator in one quarter, shown with (or instead of) the generated message."""

    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=10, help_text="Like 2016-17-q4.")
    mode = models.CharField(max_length=10, choices=CommentaryMode.choices, default=CommentaryMode.ADD)
    text = models.TextField(max_length=COMMENTARY_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    # Every earlier wording, with who wrote it and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["quarter", "indicator"]
        verbose_name_plural = "commentary"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "quarter"], name="scorecard_commentary_one_per_quarter"),
            models.CheckConstraint(condition=Q(mode__in=CommentaryMode.values), name="scorecard_commentary_mode"),
            models.CheckConstraint(condition=GreaterThan(Length(Trim("text")), 0), name="scorecard_commentary_text"),
            length_at_most("text", COMMENTARY_MAX, name="scorecard_commentary_text_bounded"),
        ]

    def __str__(self) -> str:
        return f"Commentary on {self.indicator_id} for {self.quarter}"


class KeyIssue(models.Model):
    """An indicator an officer chose as a key performance issue for a quarter (exception reporting).

    Members read the chosen issues first in each level, with the officer's reason, and every other
    message under "Other messages" (``scorecards.exceptions``).
    """

    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=10, help_text="Like 2016-17-q4.")
    reason = models.CharField(max_length=300, blank=True, help_text="Why members should look at it first.")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["quarter", "indicator"]
        constraints = [models.UniqueConstraint(fields=["indicator", "quarter"], name="scorecard_key_issue_once")]

    def __str__(self) -> str:
        return f"Key issue {self.indicator_id} in {self.quarter}"


class PublishedScorecardQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("A published scorecard cannot be changed; publish an amendment instead.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableError("A published scorecard cannot be changed; publish an amendment instead.")

    def delete(self):
        raise ImmutableError("A published scorecard cannot be deleted; publish an amendment instead.")

    def for_quarter(self, quarter: Quarter | str):
        return self.filter(quarter=str(quarter))

    def latest_versions(self):
        """The current version of every published quarter."""
        newer = PublishedScorecard.objects.filter(
            quarter=models.OuterRef("quarter"), version__gt=models.OuterRef("version")
        )
        return self.filter(~models.Exists(newer))


class PublishedScorecard(models.Model):
    """One published version of a quarter's scorecard: version 1 is the publication, later ones amendments."""

    quarter = models.CharField(max_length=10, help_text="Like 2016-17-q4.")
    version = models.PositiveSmallIntegerField()
    snapshot = models.JSONField(help_text="Everything the scorecard shows, as published.")
    sha256 = models.CharField(max_length=64, help_text="Of the snapshot's canonical JSON: proves it is unchanged.")
    reason = models.TextField(
        blank=True, max_length=AMENDMENT_REASON_MAX, help_text="Why an amendment was published (empty for version 1)."
    )
    changes = models.JSONField(default=list, blank=True, help_text="What an amendment changed, in words.")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()

    objects = PublishedScorecardQuerySet.as_manager()

    class Meta:
        ordering = ["-quarter", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(fields=["quarter", "version"], name="scorecard_one_row_per_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="scorecard_version_from_one"),
            models.CheckConstraint(
                condition=Q(version=1) | GreaterThan(Length(Trim("reason")), 0),
                name="scorecard_amendment_has_reason",
            ),
            models.CheckConstraint(condition=Q(quarter__regex=r"^\d{4}-\d{2}-q[1-4]$"), name="scorecard_quarter_slug"),
            length_at_most("reason", AMENDMENT_REASON_MAX, name="scorecard_amendment_reason_bounded"),
        ]

    def __str__(self) -> str:
        kind = "published" if self.version == 1 else f"amendment {self.version - 1}"
        return f"Scorecard {self.quarter} ({kind})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("A published scorecard cannot be changed; publish an amendment instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("A published scorecard cannot be deleted; publish an amendment instead.")

    @property
    def quarter_obj(self) -> Quarter:
        return Quarter.parse(self.quarter)

    @property
    def is_amendment(self) -> bool:
        return self.version > 1


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


# Every write of a pack's status goes through this table (``scorecards.packs`` is the only writer).
# A build whose worker died stays "building" until the user retries (``lose`` then ``retry``) or
# the broker redelivers its task (``resume``): a heartbeat older than
# PERFSITE_PACK_HEARTBEAT_TIMEOUT_SECONDS is what "died" means.
PACK_LIFECYCLE = Lifecycle(
    "committee pack",
    PackStatus,
    {
        "start": ({PackStatus.QUEUED}, PackStatus.BUILDING),
        "resume": ({PackStatus.BUILDING}, PackStatus.BUILDING),
        "finish": ({PackStatus.BUILDING}, PackStatus.READY),
        "fail": ({PackStatus.QUEUED, PackStatus.BUILDING}, PackStatus.FAILED),
        "lose": ({PackStatus.QUEUED, PackStatus.BUILDING}, PackStatus.FAILED),
        "retry": ({PackStatus.FAILED}, PackStatus.QUEUED),
        "rebuild": ({PackStatus.READY}, PackStatus.QUEUED),
    },
)


def pack_upload_to(pack: CommitteePack, filename: str) -> str:
    return f"scorecards/packs/{pack.scorecard.quarter}/v{pack.scorecard.version}/{filename}"


class CommitteePack(models.Model):
    """The PDF and XLSX of one published version; built once and reused for that snapshot."""

    scorecard = models.OneToOneField(PublishedScorecard, on_delete=models.PROTECT, related_name="pack")
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    step = models.CharField(max_length=120, blank=True, help_text="What the builder is doing now.")
    pdf = models.FileField(upload_to=pack_upload_to, blank=True)
    xlsx = models.FileField(upload_to=pack_upload_to, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, help_text="The snapshot the files were built from.")
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the build last said it was alive; a stale one means its worker died."
    )
    task_id = models.CharField(max_length=64, blank=True, help_text="The Celery task building the pack.")

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            PACK_LIFECYCLE.status_constraint("status", "scorecard_pack_status"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="scorecard_pack_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status=PackStatus.READY) | (~Q(pdf="") & ~Q(xlsx="")),
                name="scorecard_pack_ready_has_files",
            ),
        ]

    def __str__(self) -> str:
        return f"Committee pack for {self.scorecard} ({self.get_status_display()})"

    @property
    def is_ready(self) -> bool:
        return self.status == PackStatus.READY

    @property
    def is_pending(self) -> bool:
        return self.status in (PackStatus.QUEUED, PackStatus.BUILDING)
