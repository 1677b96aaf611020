"""The officer's quarter page and the members' scorecard number Appendix 3's footnotes the same way,
because both take them from ``indicators.appendix``."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from scorecards.publishing import publish
from tests.scorecards.conftest import Q4, add_value, make_indicator
from tests.scorecards.published import whole_scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def footnoted(db):
    """Two target and two tracker indicators whose figures carry notes: one of two lines, one repeated."""
    specs = [
        ("CASAS5", "target", 18, "Previous period data amended / refreshed / final published data"),
        ("CASCYP 14", "target", 22, "Reported as a % target PI again following 2015/16"),
        ("CASCYP 16", "tracker", 114, "School leavers whose status is 'not known'\nThe definition was revised"),
        ("CASCYP 36", "tracker", 128, "Previous period data amended / refreshed"),
        ("CASCYP 24", "tracker", 129, "Previous period data amended / refreshed"),
    ]
    for code, kind, ref, note in specs:
        indicator = make_indicator(code, kind=kind, ref=ref, description=f"Description of {code}")
        add_value(indicator, "actual", "2017-01-01", "2017-03-31", "12.5", "Jan - Mar 2017", footnote=note)
        add_value(indicator, "actual", "2016-10-01", "2016-12-31", "12.0", "Oct - Dec 2016")
    return [code for code, *_ in specs]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def quarter_page_numbering(html: str, codes) -> tuple[dict, list]:
    marks = {}
    for code in codes:
        start = html.index(f">{code}</a>:")
        cell = html[start : html.index("</td>", start)]
        marks[code] = [int(n) for n in re.findall(r'href="#footnote-(\d+)"', cell)]
    notes = [(int(n), _text(text)) for n, text in re.findall(r'<li id="footnote-(\d+)">\[\d+\] (.*?)</li>', html)]
    return marks, notes


def scorecard_numbering(html: str, codes) -> tuple[dict, list]:
    appendix = html[html.index('id="appendix-3"') :]
    marks = {}
    for code in codes:
        start = appendix.index(f'<th scope="row" class="govuk-table__header">{code}</th>')
        cell = appendix[start : appendix.index("</td>", start)]
        marks[code] = [int(n) for n in re.findall(r"\[(\d+)\]", _text(cell))]
    notes = [(int(n), _text(text)) for n, text in re.findall(r"<li>\[(\d+)\] (.*?)</li>", appendix)]
    return marks, notes


def test_the_quarter_page_and_the_members_scorecard_number_footnotes_alike(client, officer, member, footnoted):
    publish(quarter=Q4, user=officer)
    client.force_login(officer)
    officer_page = client.get(reverse("indicators:quarter", args=[Q4.slug])).content.decode()
    client.force_login(member)
    # Appendix 3 is its own page, linked from the scorecard's first page.
    members_page = whole_scorecard(client, reverse("scorecards:scorecard", kwargs={"quarter": Q4}))

    on_quarter_page = quarter_page_numbering(officer_page, footnoted)
    on_scorecard = scorecard_numbering(members_page, footnoted)
    assert on_quarter_page == on_scorecard
    marks, notes = on_scorecard
    # Table 1 holds [1] and [2]; Table 2 carries on at [3]; the repeated note keeps its number.
    assert marks == {"CASAS5": [1], "CASCYP 14": [2], "CASCYP 16": [3, 4], "CASCYP 36": [5], "CASCYP 24": [5]}
    assert [n for n, _ in notes] == [1, 2, 3, 4, 5]
    assert notes[2] == (3, "School leavers whose status is 'not known'")


def test_the_export_numbers_footnotes_as_the_pages_do(client, officer, footnoted):
    import csv
    import io

    client.force_login(officer)
    response = client.get(reverse("indicators:quarter_export", args=[Q4.slug, "csv"]))
    records = {r["code"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert records["CASCYP 16"]["footnotes"] == (
        "[3] School leavers whose status is 'not known'\n[4] The definition was revised"
    )
    assert records["CASCYP 24"]["footnotes"] == "[5] Previous period data amended / refreshed"
