"""The indicator list (filters, sorting, CSV/XLSX) and an indicator's page (chart, RAG and change history)."""

from __future__ import annotations

import csv
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Indicator
from indicators.values import upsert_value
from tests.indicators.conftest import add, make_indicator

LIST = reverse("indicators:list")


def codes_in(response) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/indicators/\d+/">([^<]+)</a>', response.content.decode())


def test_the_list_filters_by_rag_kind_polarity_theme_and_words(client, member, appendix3, published_q4):
    client.force_login(member)
    q4 = {"quarter": "2016-17-q4"}
    red = codes_in(client.get(LIST, {**q4, "rag": "RED"}))
    assert set(red) == {"CASCYP 31", "CASCYP 32", "CASCYP 16", "CASCYP 18", "CASCYP 21", "CASCYP 28", "CASCYP 24"}
    amber = codes_in(client.get(LIST, {**q4, "rag": "AMBER"}))
    assert set(amber) == {"CASCYP 8", "CASCYP 19", "CASCYP 29", "CASCYP 20", "CASCYP 11"}
    targets = codes_in(client.get(LIST, {**q4, "kind": "target"}))
    assert targets == ["CASCYP 15", "CASAS5", "CASCYP 9", "CASCYP 31", "CASCYP 32", "CASCYP 14", "CASCYP 8"]
    assert codes_in(client.get(LIST, {**q4, "polarity": "neutral"})) == ["CASCYP 36", "CIN 1", "CLA 1"]
    safer = Indicator.objects.get(code="CASAS5").also_in.get()
    assert set(codes_in(client.get(LIST, {**q4, "theme": safer.pk}))) == {"CASAS5", "CASCYP 14", "CASCYP 29"}
    assert codes_in(client.get(LIST, {**q4, "search": "conception 16"})) == ["CASCYP 21"]
    assert "7 indicators" in client.get(LIST, {**q4, "rag": "RED"}).content.decode()


def test_the_list_sorts(client, member, appendix3, published_q4):
    client.force_login(member)
    by_latest = codes_in(client.get(LIST, {"quarter": "2016-17-q4", "kind": "target", "sort": "-latest"}))
    assert by_latest == ["CASAS5", "CASCYP 32", "CASCYP 31", "CASCYP 15", "CASCYP 9", "CASCYP 8", "CASCYP 14"]


def test_the_list_exports_csv_and_xlsx(client, member, appendix3, published_q4):
    client.force_login(member)
    response = client.get(LIST, {"quarter": "2016-17-q4", "rag": "AMBER", "_export": "csv"})
    assert response["Content-Disposition"].endswith('indicators-2016-17-q4.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["PI ref"] for r in rows} == {"CASCYP 8", "CASCYP 19", "CASCYP 29", "CASCYP 20", "CASCYP 11"}
    eight = next(r for r in rows if r["PI ref"] == "CASCYP 8")
    assert (eight["Latest"], eight["Latest RAG"], eight["Theme"], eight["Better is"]) == (
        "17.4",
        "AMBER",
        "Altogether Better for Children and Young People",
        "lower",
    )
    xlsx = client.get(LIST, {"quarter": "2016-17-q4", "_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "PI ref" and sheet.max_row == 1 + 32


def test_the_indicator_page_shows_definition_series_chart_and_histories(
    client, member, officer, appendix3, published_q4
):
    ind = Indicator.objects.get(code="CASCYP 28")
    upsert_value(
        indicator=ind,
        series="actual",
        period_label="As at Mar 2017",
        period_start=ind.values.get(series="actual", period_label="As at Mar 2017").period_start,
        period_end=ind.values.get(series="actual", period_label="As at Mar 2017").period_end,
        value="50.1",
        numerator=501,
        user=officer,
        reason="Corrected after the return",
    )
    client.force_login(member)
    response = client.get(reverse("indicators:detail", args=[ind.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rate of children with a child protection plan per 10,000 population" in html
    assert "Lower is better" in html and "3. Assessment and safeguarding services" in html
    # The chart is an accessible SVG with its data table.
    assert "<svg" in html and 'role="img"' in html and "perfsite-chart-table" in html
    # Every series as a table.
    for caption in ("Actual", "Target", "National", "Regional (North East)", "Statistical neighbours"):
        assert f">{caption}</caption>" in html
    # RAG history: As at Mar 2017 rated against As at Dec 2016 (45.1, RED) in Q4 2016/17.
    history_table = html[html.index("RAG history") :]
    assert "Quarter 4 2016/17 (Jan - Mar 2017)" in history_table
    assert "against 45.1 (As at Dec 2016)" in history_table
    # Members do not get the officers' buttons, nor the change history (it names staff).
    assert "Add an actual" not in html and "Correct<span" not in html
    assert "Change history" not in html and "Corrected after the return" not in html and "Officer" not in html
    client.force_login(officer)
    html = client.get(reverse("indicators:detail", args=[ind.pk])).content.decode()
    assert "Add an actual" in html
    # Change history: who changed what, before and after.
    changes = html[html.index("Change history") :]
    assert "Value 50.0 → 50.1" in changes and "Officer" in changes and "Corrected after the return" in changes
    assert "Imported from values.csv" in changes


def test_an_indicator_without_figures(client, member, db, published_q4):
    ind = make_indicator("EMPTY 1")
    client.force_login(member)
    html = client.get(reverse("indicators:detail", args=[ind.pk])).content.decode()
    assert "There is no actual figure yet." in html and "No figures yet." in html


def test_an_unknown_indicator_is_not_found(client, member, db):
    client.force_login(member)
    assert client.get(reverse("indicators:detail", args=[999999])).status_code == 404


def test_periods_sharing_a_label_are_told_apart_in_the_chart(client, member, db, published_q4):
    ind = make_indicator("DUP 1")
    add(ind, "actual", "2016-04-01", "2017-03-31", "1", "Year")
    add(ind, "actual", "2015-04-01", "2016-03-31", "2", "Year")
    client.force_login(member)
    html = client.get(reverse("indicators:detail", args=[ind.pk])).content.decode()
    assert "Year (Apr 2015-Mar 2016)" in html and "Year (Apr 2016-Mar 2017)" in html
