"""Refresh every registered DfE benchmark source from a folder of downloaded EES files, in one run.

Each ``BenchmarkSource`` names its file (a pattern), column, filters, day of the year and whether
the home authority's figure is also written. ``refresh_benchmarks`` reads each registered source
through the same DfE import as ``import_ees`` (``indicators.imports.ees``), all inside one
transaction: one bad file rejects the whole run and names the file, row and column; a good run
reports, per indicator, what is new, changed or unchanged, which figures are missing and which
neighbours are suppressed. Running it twice changes nothing. See docs/data-formats.md.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from django.db import transaction

from indicators.imports import EesOptions, OptionError, run_import
from indicators.models import BenchmarkSource, ImportKind
from perfsite.imports import ImportResult


@dataclass
class SourceReport:
    indicator: str
    filename: str = ""
    result: ImportResult | None = None
    problem: str = ""  # no file, or options that are not valid

    @property
    def line(self) -> str:
        if self.problem:
            return f"{self.indicator}: {self.problem}"
        r = self.result
        return (
            f"{self.indicator} from {self.filename}: {r.new} new, {r.changed} changed, {r.count('unchanged')} unchanged"
        )

    @property
    def missing(self) -> list[str]:
        """Figures not written: suppressed or absent cells, kept council figures, neighbours left out."""
        return list(self.result.warnings) if self.result else []


@dataclass
class RefreshReport:
    sources: list[SourceReport] = field(default_factory=list)
    dry_run: bool = False

    @property
    def errors(self) -> list[str]:
        """Every rejected row as ``FILE row N, column C: message``; any one means nothing was written."""
        found = []
        for source in self.sources:
            if source.problem and source.filename:
                found.append(f"{source.filename}: {source.problem}")
            for problem in source.result.errors if source.result else []:
                where = f"row {problem.row}" if problem.row else "the file"
                column = f", column {problem.column}" if problem.column else ""
                found.append(f"{source.filename} {where}{column} ({source.indicator}): {problem.message}")
        return found

    @property
    def applied(self) -> bool:
        return not self.errors and not self.dry_run


def options_for(source: BenchmarkSource) -> EesOptions:
    return EesOptions.from_strings(
        indicator=source.indicator.code,
        column=source.column,
        as_at=source.as_at,
        year_to=source.year_to,
        filters=source.filter_lines,
        include_home=source.include_home,
        publication=source.publication,
    )


def pick_file(pattern: str, names: list[str]) -> str | None:
    """The file the pattern names; of several (releases side by side), the last by name: the newest."""
    matches = sorted(name for name in names if fnmatch.fnmatchcase(name, pattern))
    return matches[-1] if matches else None


def refresh_benchmarks(*, files: dict[str, bytes], user=None, dry_run: bool = False) -> RefreshReport:
    """Read every registered source from ``files`` (name -> contents); all or nothing."""
    report = RefreshReport(dry_run=dry_run)
    sources = list(BenchmarkSource.objects.select_related("indicator").order_by("indicator__code"))
    with transaction.atomic():
        for source in sources:
            entry = SourceReport(indicator=source.indicator.code)
            report.sources.append(entry)
            name = pick_file(source.file_pattern, list(files))
            if name is None:
                entry.problem = f"no file matches {source.file_pattern!r}; its benchmarks were left as they were."
                continue
            entry.filename = name
            try:
                options = options_for(source)
            except OptionError as exc:
                entry.problem = f"the registered source is not valid: {exc}"
                continue
            entry.result = run_import(ImportKind.EES, files[name], name, options=options, user=user)
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report
