"""An out-of-date figure is flagged on every part of the published scorecard members read (issue 9, build 2):
its level page, its Appendix 3 row (page and spreadsheet) and the pack's Indicators sheet, each with where
the figure came from."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from indicators import provenance
from scorecards.pack_xlsx import render_xlsx
from scorecards.packs import pack_meta
from scorecards.publishing import publish
from tests.scorecards.conftest import Q4, add_value, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale_published(officer):
    """A tracker whose latest figure is a 2015 calendar year (out of date in Q4 2016/17), with England's
    figure for the same year, as the demo's CASCYP 21."""
    conceptions = make_indicator(
        "CASCYP 21",
        description="Under 16 conception rate per 1,000 girls aged 13 to 15",
        kind="tracker",
        polarity="lower",
        unit="per_1000",
        framework_level="early_help",
        ref=122,
    )
    where = provenance.from_file("values.csv", row=69).fields()
    add_value(conceptions, "actual", "2015-01-01", "2015-12-31", "6.6", "Jan - Dec 2015", **where)
    add_value(conceptions, "actual", "2014-01-01", "2014-12-31", "5.8", "Jan - Dec 2014")
    add_value(conceptions, "national", "2015-01-01", "2015-12-31", "3.7", "Jan - Dec 2015")
    return publish(quarter=Q4, user=officer)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _appendix_row(html: str, code: str) -> str:
    row = re.search(rf"<tr[^>]*>\s*<td[^>]*>[^<]*</td>\s*<th[^>]*>{re.escape(code)}</th>.*?</tr>", html, re.S)
    assert row, f"{code} is not in Appendix 3"
    return _text(row.group(0))


def test_the_level_page_flags_it_and_names_its_source(client, member, stale_published):
    client.force_login(member)
    page = _text(client.get(reverse("scorecards:level", args=[Q4.slug, "early_help_universal"])).text)
    assert "Out of date" in page
    assert "Source: File import: values.csv, row 69" in page


def test_the_appendix_3_page_flags_it(client, member, stale_published):
    """Before: Appendix 3 showed 6.6 (Jan - Dec 2015) rated against last year and England, with no flag."""
    client.force_login(member)
    html = client.get(reverse("scorecards:appendix", args=[Q4.slug])).text
    assert "Out of date" in _appendix_row(html, "CASCYP 21")


def test_a_current_figure_is_not_flagged_in_appendix_3(client, member, small_scorecard, officer):
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    html = client.get(reverse("scorecards:appendix", args=[Q4.slug])).text
    assert "Out of date" not in _appendix_row(html, "CASCYP 31")


def test_the_packs_spreadsheet_flags_it_on_the_indicators_and_appendix_sheets(stale_published):
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(stale_published.snapshot, pack_meta(stale_published))))
    sheet = book["Indicators"]
    headers = [cell.value for cell in sheet[1]]
    (row,) = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[headers.index("PI ref")] == "CASCYP 21"]
    assert row[headers.index("Out of date")] == "Out of date"
    assert row[headers.index("Not rated because")].startswith("Out of date: Jan - Dec 2015 ended more than")
    assert row[headers.index("Latest: source")].startswith("File import: values.csv, row 69")
    (appendix,) = [r for r in book["Appendix 3 table 2"].iter_rows(min_row=4, values_only=True) if r[1] == "CASCYP 21"]
    assert appendix[4] == "Jan - Dec 2015, out of date"
