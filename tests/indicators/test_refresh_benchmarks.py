"""refresh_benchmarks: every registered DfE source from one folder, all or nothing (issue 9 part 6)."""

from __future__ import annotations

import io
import shutil

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from indicators.benchmarks import pick_file, refresh_benchmarks
from indicators.demo import EES_DEMOS, load_demo
from indicators.models import BenchmarkSource, IndicatorValue
from tests.indicators.conftest import make_indicator

EES = settings.BASE_DIR / "indicators" / "demo_data" / "dfe-ees"


def stored() -> dict:
    """Every figure with what it says, its source included (not when it was loaded)."""
    return {
        (v.indicator.code, v.series, v.period_start, v.period_end): (
            v.value,
            v.scale,
            v.period_label,
            v.footnote,
            v.status,
            v.source_kind,
            v.source_detail,
        )
        for v in IndicatorValue.objects.select_related("indicator")
    }


def refresh(folder, *args) -> str:
    out = io.StringIO()
    call_command("refresh_benchmarks", str(folder), *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("pattern", "names", "picked"),
    [
        ("csww_*.csv", ["csww_2017_to_2024.csv", "csww_2017_to_2025.csv"], "csww_2017_to_2025.csv"),
        ("b1.csv", ["B1.csv"], None),
        ("b1_*.csv", ["a.csv"], None),
    ],
)  # fmt: skip
def test_pick_file(pattern, names, picked):
    assert pick_file(pattern, names) == picked


@pytest.mark.django_db
def test_the_demo_registers_its_dfe_sources_and_a_refresh_reproduces_its_benchmarks_exactly():
    load_demo(stdout=io.StringIO())
    assert set(BenchmarkSource.objects.values_list("indicator__code", flat=True)) == {d.indicator for d in EES_DEMOS}
    before, history = stored(), IndicatorValue.history.count()
    output = refresh(EES)
    assert stored() == before and IndicatorValue.history.count() == history
    assert "CASCYP 24 from cla_number_and_rate_per_10k_children.csv: 0 new, 0 changed" in output
    assert refresh(EES) == output  # a second run: the same report, nothing changed


@pytest.mark.django_db
def test_a_refresh_fills_benchmarks_removed_since_and_reports_per_indicator():
    load_demo(stdout=io.StringIO())
    before = stored()
    IndicatorValue.objects.filter(indicator__code="CSWW 4", series="national").delete()
    output = refresh(EES)
    assert "CSWW 4 from csww_indicators_2017_to_2025.csv: 9 new, 0 changed" in output
    assert stored() == before


@pytest.mark.django_db
def test_a_folder_with_one_bad_file_changes_nothing_and_names_file_row_and_column(tmp_path):
    load_demo(stdout=io.StringIO())
    IndicatorValue.objects.filter(indicator__code="CSWW 4", series="national").delete()
    before, history = stored(), IndicatorValue.history.count()
    for item in EES.glob("*.csv"):
        shutil.copy(item, tmp_path / item.name)
    bad = tmp_path / "b1_children_in_need_2013_to_2025.csv"
    lines = bad.read_text().splitlines(keepends=True)
    header = lines[0].strip().split(",")
    column = header.index("At31_episodes")
    cells = lines[5].rstrip("\n").split(",")
    cells[column] = "lots"
    lines[5] = ",".join(cells) + "\n"
    bad.write_text("".join(lines))
    with pytest.raises(CommandError, match="Nothing was written"):
        refresh(tmp_path)
    assert stored() == before and IndicatorValue.history.count() == history
    report = refresh_benchmarks(files={p.name: p.read_bytes() for p in tmp_path.iterdir()})
    assert report.errors == [
        "b1_children_in_need_2013_to_2025.csv row 6, column at31_episodes (CIN 1): "
        "'lots' is neither a number nor a suppression code (:, c, low, u, x, z)."
    ]
    assert not report.applied


@pytest.mark.django_db
def test_a_missing_file_is_reported_and_the_rest_refreshed(tmp_path):
    load_demo(stdout=io.StringIO())
    shutil.copy(EES / "cla_number_and_rate_per_10k_children.csv", tmp_path)
    output = refresh(tmp_path)
    assert "CIN 1: no file matches 'b1_children_in_need_2013_to_2025.csv'" in output
    assert "CASCYP 24 from cla_number_and_rate_per_10k_children.csv: 0 new" in output


@pytest.mark.django_db
def test_suppressed_neighbours_and_the_count_are_named_in_the_report(tmp_path, settings):
    settings.PERFSITE_STATISTICAL_NEIGHBOURS = ["E08000001", "E08000002", "E08000003"]
    settings.PERFSITE_HOME_AUTHORITY_CODE = "E06000047"
    indicator = make_indicator("PCT 2")
    BenchmarkSource.objects.create(indicator=indicator, file_pattern="pct_*.csv", column="pct", year_to="03-31")
    (tmp_path / "pct_2017.csv").write_text(
        "time_period,geographic_level,new_la_code,la_name,region_code,region_name,pct\n"
        "201617,National,,,,,20.0\n"
        "201617,Regional,,,E12000001,North East,21.0\n"
        "201617,Local authority,E08000001,Gateshead,E12000001,North East,19.0\n"
        "201617,Local authority,E08000002,Sunderland,E12000001,North East,c\n"
        "201617,Local authority,E08000003,Wigan,E12000002,North West,23.0\n"
    )
    output = refresh(tmp_path)
    assert "PCT 2 from pct_2017.csv: 3 new, 0 changed, 0 unchanged" in output
    assert "Mean of 2 of the 3 statistical neighbours; missing: Sunderland (E08000002) suppressed" in output
    assert "2016/17: Mean of 2 of the 3 statistical neighbours." in output


@pytest.mark.django_db
def test_the_officer_page_takes_several_files_at_once(client, officer, member):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("indicators:refresh_benchmarks")
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    load_demo(stdout=io.StringIO())
    IndicatorValue.objects.filter(indicator__code="CSWW 4", series="national").delete()
    client.force_login(officer)
    assert "Registered sources" in client.get(url).text
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), "text/csv") for p in sorted(EES.glob("*.csv"))]
    checked = client.post(url, {"files": uploads, "dry_run": "on"}).text
    assert "Checked: nothing was written" in checked
    assert "CSWW 4 from csww_indicators_2017_to_2025.csv: 9 new" in checked
    assert not IndicatorValue.objects.filter(indicator__code="CSWW 4", series="national").exists()
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), "text/csv") for p in sorted(EES.glob("*.csv"))]
    done = client.post(url, {"files": uploads}).text
    assert "Benchmarks refreshed" in done
    assert IndicatorValue.objects.filter(indicator__code="CSWW 4", series="national").count() == 9
    wrong = client.post(url, {"files": [SimpleUploadedFile("notes.txt", b"hello", "text/plain")]})
    assert wrong.status_code == 200 and "notes.txt must be a CSV file" in wrong.text
    assert "Choose" in client.post(url, {}).text


@pytest.mark.django_db
def test_the_demo_names_the_dfe_publication_of_every_source_and_every_figure_read_from_it():
    """Before: the demo registered its sources with no publication, so provenance named only file and column."""
    cla, cin, csww = (
        "Children looked after in England including adoptions",
        "Children in need",
        "Children's social work workforce",
    )
    expected = {
        "CASCYP 24": cla,
        "CLA 1": cla,
        "CIN 1": cin,
        "CSWW 1": csww,
        "CSWW 2": csww,
        "CSWW 3": csww,
        "CSWW 4": csww,
    }
    load_demo(stdout=io.StringIO())
    sources = {s.indicator.code: s for s in BenchmarkSource.objects.select_related("indicator")}
    assert {code: source.publication for code, source in sources.items()} == expected
    for code, publication in expected.items():
        source = sources[code]
        details = set(
            IndicatorValue.objects.filter(indicator__code=code, source_kind="ees").values_list(
                "source_detail", flat=True
            )
        )
        assert details, code
        for detail in details:
            assert detail.startswith(f"{publication}; {source.file_pattern}; column {source.column.lower()}"), detail
            if source.filters:
                assert "filter population_type=Children looked after on 31 March each year" in detail
    # A demo database registered before the publications were named gets them on the next run.
    BenchmarkSource.objects.update(publication="")
    load_demo(stdout=io.StringIO())
    assert set(BenchmarkSource.objects.values_list("publication", flat=True)) == {cla, cin, csww}
