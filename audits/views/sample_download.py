"""The sample check's full per-stratum table as CSV, for officers: the pages show a bounded view.

The pages it comes from (a random round, a quarter's results) are officers' only, and so is this.
Every cell goes through ``perfsite.spreadsheet.csv_row``: team names are typed in by people.
"""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from audits.choices import RoundKind
from audits.models import AuditRound
from audits.representativeness import SampleCheck, sample_check
from audits.representativeness_panel import download_rows
from indicators.quarters import Quarter, QuarterError
from perfsite.access import role_required
from perfsite.roles import Role
from perfsite.spreadsheet import csv_row


def _csv(check: SampleCheck, *, filename: str) -> HttpResponse:
    if not check.rounds:
        raise Http404("No random sample was drawn, so there is no check to download.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerows(csv_row(row) for row in download_rows(check))
    return response


@role_required(Role.PERFORMANCE_OFFICER)
def round_sample_check_csv(request, pk):
    round_ = get_object_or_404(AuditRound, pk=pk, kind=RoundKind.RANDOM, sampling_date__isnull=False)
    check = sample_check(quarter=round_.quarter_obj, round_id=round_.pk)
    return _csv(check, filename=f"sample-check-round-{round_.pk}.csv")


@role_required(Role.PERFORMANCE_OFFICER)
def quarter_sample_check_csv(request):
    try:
        quarter = Quarter.parse(request.GET.get("quarter", ""))
    except QuarterError as exc:
        raise Http404(str(exc)) from exc
    return _csv(sample_check(quarter=quarter), filename=f"sample-check-{quarter.slug}.csv")
