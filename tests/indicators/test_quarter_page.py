"""/indicators/quarters/<slug>/: Appendix 3's two tables for a quarter, the picker and downloads."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.indicators.conftest import add, make_indicator


@pytest.fixture
def demo(appendix3, published_q4):
    """Appendix 3's figures, with Quarter 4 2016/17 published (the member readers here may open it)."""
    return appendix3


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def table(html: str, number: int) -> str:
    start = html.index(f'id="table-{number}"')
    end = html.index('id="table-2"') if number == 1 else len(html)
    return html[start:end]


def test_quarter_page_has_both_tables_grouped_by_theme(client, member, demo):
    client.force_login(member)
    response = client.get(reverse("indicators:quarter", args=["2016-17-q4"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quarter 4 2016/17 (Jan - Mar 2017)" in html
    first, second = table(html, 1), table(html, 2)
    assert "Table 1: Key target indicators" in first and "Period target and current performance to target" in first
    assert "Table 2: Key tracker indicators" in second and "Previous period data and performance" in second
    assert "CASCYP 15" in first and "CASCYP 15" not in second
    assert "CASCYP 24" in second and "CASCYP 24" not in first
    assert first.count("Altogether Better for Children and Young People</th>") == 1
    # Table 1 lists its rows in the report's order.
    codes = re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', first)
    assert codes == ["CASCYP 15", "CASAS5", "CASCYP 9", "CASCYP 31", "CASCYP 32", "CASCYP 14", "CASCYP 8"]


def test_rag_is_a_tag_with_its_word(client, member, demo):
    client.force_login(member)
    html = client.get(reverse("indicators:quarter", args=["2016-17-q4"])).content.decode()
    tags = re.findall(r'<strong class="govuk-tag (govuk-tag--\w+)">(\w+)</strong>', html)
    assert tags, "RAG tags"
    classes = {
        "GREEN": "govuk-tag--green",
        "AMBER": "govuk-tag--yellow",
        "RED": "govuk-tag--red",
        "NA": "govuk-tag--grey",
    }
    assert all(classes[word] == css for css, word in tags)
    words = {word for _, word in tags}
    assert words == {"GREEN", "AMBER", "RED", "NA"}
    # CASCYP 15's row: 69.0 against 64.0 GREEN, 63.6 GREEN, national 69.3 AMBER, North East 68.4 GREEN.
    start = html.index(">CASCYP 15</th>") + 1
    row = html[start : html.index("</tr>", start)]
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).split()
    assert cells[:12] == [
        "CASCYP",
        "15",
        "69.0",
        "2015/16",
        "ac",
        "yr",
        "(final)",
        "64.0",
        "GREEN",
        "63.6",
        "GREEN",
        "69.3",
    ]
    assert cells[12:15] == ["AMBER", "68.4", "GREEN"]


def test_footnotes_are_numbered_in_order_under_their_table(client, member, demo):
    client.force_login(member)
    html = client.get(reverse("indicators:quarter", args=["2016-17-q4"])).content.decode()
    notes = re.findall(r'<li id="footnote-(\d)">\[\d\] ([^<]+)</li>', html)
    assert [n for n, _ in notes] == ["1", "2", "3", "4", "5"]
    assert notes[0][1].startswith("Previous period data amended / refreshed / final published data")
    assert notes[2][1].startswith("The high number of school leavers whose status is &#x27;not known&#x27;")
    assert notes[3][1].startswith("The definition was revised this period from 16-18 year old")
    first = table(html, 1)
    assert 'href="#footnote-1"' in first and 'href="#footnote-2"' in first and "footnote-3" not in first
    assert "(Also in Altogether Safer)" in first


def test_benchmarks_with_different_vintages_show_each_period(client, member, demo):
    client.force_login(member)
    text = text_of(client.get(reverse("indicators:quarter", args=["2016-17-q4"])))
    assert "England: 2011/12 - 2013/14; North East: 2010/11 - 2012/13" in text


def test_picker_and_neighbouring_quarters(client, member, manager, demo):
    client.force_login(member)
    response = client.get(reverse("indicators:quarter_latest"), {"quarter": "2016-17-q4"})
    assert response.status_code == 302 and response["Location"] == reverse("indicators:quarter", args=["2016-17-q4"])
    index = client.get(reverse("indicators:quarter_latest"))
    assert index.status_code == 200 and "Quarter 4 2016/17 (Jan - Mar 2017)" in index.content.decode()
    page = client.get(reverse("indicators:quarter", args=["2016-17-q4"])).content.decode()
    assert reverse("indicators:quarter", args=["2016-17-q3"]) in page
    # Q4 2016/17 is the latest published quarter: a member is not offered the next one (issue 6).
    assert reverse("indicators:quarter", args=["2017-18-q1"]) not in page
    assert '<option value="2016-17-q4" selected>' in page
    client.force_login(manager)
    page = client.get(reverse("indicators:quarter", args=["2016-17-q4"])).content.decode()
    assert reverse("indicators:quarter", args=["2017-18-q1"]) in page
    client.force_login(member)
    # An unknown quarter in the picker is an error on the form, not a crash.
    bad = client.get(reverse("indicators:quarter_latest"), {"quarter": "1999-00-q9"})
    assert bad.status_code == 200 and "Error: " in bad.content.decode()


@pytest.mark.parametrize("slug", ["2016-17-q5", "2016-18-q4", "nonsense"])
def test_a_bad_quarter_is_not_found(client, member, demo, slug):
    client.force_login(member)
    assert client.get(f"/indicators/quarters/{slug}/").status_code == 404


def test_an_uppercase_slug_redirects_to_the_canonical_one(client, member, demo):
    client.force_login(member)
    response = client.get("/indicators/quarters/2016-17-Q4/")
    assert response.status_code == 302 and response["Location"].endswith("/2016-17-q4/")


def test_downloads_are_the_export(client, member, demo):
    client.force_login(member)
    csv_response = client.get(reverse("indicators:quarter_export", args=["2016-17-q4", "csv"]))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert 'filename="scorecard-2016-17-q4.csv"' in csv_response["Content-Disposition"]
    records = {r["code"]: r for r in csv.DictReader(io.StringIO(csv_response.content.decode()))}
    assert (records["CASCYP 29"]["previous"], records["CASCYP 29"]["previous_rag"]) == ("45", "AMBER")
    data = json.loads(client.get(reverse("indicators:quarter_export", args=["2016-17-q4", "json"])).content)
    assert {r["code"]: r for r in data}["CASCYP 29"] == records["CASCYP 29"]
    xlsx = client.get(reverse("indicators:quarter_export", args=["2016-17-q4", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "2016-17-q4" and sheet["A1"].value == "code"
    assert client.get(reverse("indicators:quarter_export", args=["2016-17-q4", "pdf"])).status_code == 404


def test_an_empty_quarter_still_lists_every_active_indicator(client, member, db, published_q4):
    make_indicator("T 1", kind="target")
    make_indicator("T 2", kind="tracker")
    make_indicator("T 3", kind="tracker", active=False)
    client.force_login(member)
    text = text_of(client.get(reverse("indicators:quarter", args=["2016-17-q4"])))
    assert "T 1" in text and "T 2" in text and "T 3" not in text
    assert text.count("No data") == 2


def test_a_provisional_latest_figure_says_so(client, member, db, published_q4):
    ind = make_indicator("P 1")
    add(ind, "actual", "2016-04-01", "2017-03-31", "12.5", "2016/17", status="provisional")
    client.force_login(member)
    assert "12.5 (provisional)" in text_of(client.get(reverse("indicators:quarter", args=["2016-17-q4"])))
