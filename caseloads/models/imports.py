"""Caseload figures uploaded through the web, kept as a batch for their preview and confirmation."""

from __future__ import annotations

from django.db import models

from perfsite.imports.batches import ImportBatchBase


class CaseloadImportKind(models.TextChoices):
    CASELOADS = "caseloads", "Caseload returns"


class CaseloadImportBatch(ImportBatchBase):
    kind = models.CharField(max_length=20, choices=CaseloadImportKind.choices, default=CaseloadImportKind.CASELOADS)

    class Meta(ImportBatchBase.Meta):
        verbose_name = "caseload import batch"
        verbose_name_plural = "caseload import batches"
