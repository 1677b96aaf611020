"""Demo data: every indicator of Appendix 3 with its printed figures, and DfE benchmark series.

The data are files in ``indicators/demo_data/`` loaded through the same imports a performance
officer uses, so the demo exercises the import path. Running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indicators.conf import ees_data_dir
from indicators.imports import EesOptions, ImportResult, run_import
from indicators.models import BenchmarkSource, ImportKind, Indicator
from indicators.services import ensure_default_themes

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
CLA_ON_31_MARCH = "population_type=Children looked after on 31 March each year"


@dataclass(frozen=True)
class EesDemo:
    filename: str
    indicator: str
    column: str
    as_at: str = ""
    year_to: str = ""
    filters: tuple[str, ...] = ()
    include_home: bool = True
    publication: str = ""


# The DfE publication each shipped file comes from (demo_data/dfe-ees/README.md), so the provenance of a
# DfE-fed figure names its publication as well as its file, column and filter.
CIN = "Children in need"
CLA = "Children looked after in England including adoptions"
CSWW = "Children's social work workforce"
PUBLICATIONS = {
    "b1_children_in_need_2013_to_2025.csv": CIN,
    "cla_number_and_rate_per_10k_children.csv": CLA,
    "csww_indicators_2017_to_2025.csv": CSWW,
}


def _ees(filename: str, indicator: str, column: str, as_at: str, **options) -> EesDemo:
    return EesDemo(filename, indicator, column, as_at, publication=PUBLICATIONS[filename], **options)


EES_DEMOS = (
    _ees(
        "cla_number_and_rate_per_10k_children.csv", "CASCYP 24", "rate_per_10000", "03-31", filters=(CLA_ON_31_MARCH,)
    ),
    _ees("cla_number_and_rate_per_10k_children.csv", "CLA 1", "children_count", "03-31", filters=(CLA_ON_31_MARCH,)),
    _ees("b1_children_in_need_2013_to_2025.csv", "CIN 1", "At31_episodes", "03-31"),
    _ees("csww_indicators_2017_to_2025.csv", "CSWW 1", "turnover_rate_fte", "09-30"),
    _ees("csww_indicators_2017_to_2025.csv", "CSWW 2", "agency_rate_fte", "09-30"),
    _ees("csww_indicators_2017_to_2025.csv", "CSWW 3", "vacancy_rate_fte", "09-30"),
    _ees("csww_indicators_2017_to_2025.csv", "CSWW 4", "caseload_fte", "09-30"),
)


class DemoDataError(RuntimeError):
    pass


def _check(result: ImportResult, stdout) -> None:
    if result.errors:
        raise DemoDataError(f"{result.filename}: " + "; ".join(str(e) for e in result.errors[:10]))
    stdout.write(f"  {result.filename}: {result.summary_line()}")


def load_demo(*, stdout, ees_dir: Path | None = None) -> None:
    ensure_default_themes()
    for kind, name in ((ImportKind.INDICATORS, "indicators.csv"), (ImportKind.VALUES, "values.csv")):
        path = DEMO_DATA / name
        _check(run_import(kind, path.read_bytes(), name), stdout)
    ees_dir = ees_dir or ees_data_dir()
    files: dict[str, bytes] = {}
    for demo in EES_DEMOS:
        path = ees_dir / demo.filename
        if demo.filename not in files:
            if not path.is_file():
                stdout.write(f"  Skipped DfE benchmarks for {demo.indicator}: {path} is missing.")
                continue
            files[demo.filename] = path.read_bytes()
        options = EesOptions.from_strings(
            indicator=demo.indicator,
            column=demo.column,
            as_at=demo.as_at,
            year_to=demo.year_to,
            filters=demo.filters,
            include_home=demo.include_home,
            publication=demo.publication,
        )
        result = run_import(ImportKind.EES, files[demo.filename], demo.filename, options=options)
        if result.errors:
            raise DemoDataError(f"{demo.filename} for {demo.indicator}: {result.errors[0]}")
        register_source(demo)
        stdout.write(f"  {demo.filename} -> {demo.indicator} ({demo.column}): {result.summary_line()}")


def register_source(demo: EesDemo) -> None:
    """Record the demo indicator's DfE source, so ``refresh_benchmarks`` on the folder reads it again."""
    indicator = Indicator.objects.get(code=demo.indicator)
    wanted = {
        "publication": demo.publication,
        "file_pattern": demo.filename,
        "column": demo.column,
        "filters": "\n".join(demo.filters),
        "as_at": demo.as_at,
        "year_to": demo.year_to,
        "include_home": demo.include_home,
    }
    source = BenchmarkSource.objects.filter(indicator=indicator).first()
    if source is None:
        BenchmarkSource.objects.create(indicator=indicator, **wanted)
        return
    changed = [name for name, value in wanted.items() if getattr(source, name) != value]
    if changed:  # the demo run twice changes nothing, history included
        for name in changed:
            setattr(source, name, wanted[name])
        source.save(update_fields=changed)
