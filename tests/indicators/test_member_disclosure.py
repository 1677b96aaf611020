"""Disclosure control on the indicator pages (issue 6, item 5): what a scrutiny member sees.

A member sees every count from 1 to 5, and every percentage or rate built on one, as ``c``; a
hidden figure is never rated (NA), and no rating is given against a hidden comparator. Officers
and every other role see the figures. Members never see the change history, which names staff.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from indicators.disclosure import disclosed_figure, member_safe_row, rows_for
from indicators.history import change_history
from indicators.models import Indicator
from indicators.quarters import Quarter
from indicators.rag import Rag
from indicators.selectors import CELL_NAMES, quarter_rows
from indicators.values import upsert_value
from perfsite.disclosure import SUPPRESSED
from perfsite.roles import Role
from tests.conftest import make_user
from tests.indicators.conftest import add, make_indicator, publish

Q4 = Quarter.parse("2016-17-q4")
LIST = reverse("indicators:list")
QUARTER = reverse("indicators:quarter", args=[Q4.slug])
D = Decimal

# Figures that identify nobody but whose presence would give a hidden one away.
SHARE_ON_FOUR = "44.4"  # 4 of 9
RATE_ON_THREE = "6.67"  # 3 per 45,000, per 100,000


# -- the rule, cell by cell ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "numerator", "denominator", "expected"),
    [
        # counts: 1 to 5 hidden, 0 and 6 shown
        ("3", "count", None, None, ("c", None, None)),
        ("1", "count", None, None, ("c", None, None)),
        ("5", "count", None, None, ("c", None, None)),
        ("0", "count", None, None, (D("0"), None, None)),
        ("6", "count", None, None, (D("6"), None, None)),
        ("2.5", "count", None, None, (D("2.5"), None, None)),
        # a count of 3 in another unit is not a count
        ("3", "score", None, None, (D("3"), None, None)),
        # percentages on a small numerator or denominator
        ("44.4", "percent", "4", "9", ("c", "c", D("9"))),
        ("40.0", "percent", "2", "5", ("c", "c", "c")),
        ("50.0", "percent", "30", "60", (D("50.0"), D("30"), D("60"))),
        ("75.0", "percent", "6", "8", (D("75.0"), D("6"), D("8"))),
        # 0 of a small group is 0%: the zero would give the hidden percentage back
        ("0.0", "percent", "0", "4", ("c", "c", "c")),
        # a percentage without its basis is shown
        ("40.0", "percent", None, None, (D("40.0"), None, None)),
        # a rate on a small count: the count is hidden, and the rate with the population would give it back
        ("6.67", "per_100000", "3", "45000", ("c", "c", D("45000"))),
        ("66.67", "per_100000", "30", "45000", (D("66.67"), D("30"), D("45000"))),
        # a hidden count shown beside both parts of its basis would be given back by them
        ("3", "count", "30", "10", ("c", "c", D("10"))),
        # a numerator or denominator of WTE (not whole) is not a count
        ("2.5", "number", "5.5", "2.2", (D("2.5"), D("5.5"), D("2.2"))),
        # nothing to show
        (None, "count", None, None, (None, None, None)),
    ],
)
def test_the_rule_for_one_figure(value, unit, numerator, denominator, expected):
    def number(text):
        return None if text is None else D(text)

    got = disclosed_figure(number(value), unit=unit, numerator=number(numerator), denominator=number(denominator))
    assert got == expected


# -- data ----------------------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    priya = make_user("priya", Role.PERFORMANCE_OFFICER, last_name="Ramanathan", is_staff=True)
    # Members read Q4 2016/17, the quarter of these figures, only once it is published (issue 6).
    publish(Q4.slug, by=priya)
    return priya


def small_register(staff) -> dict[str, Indicator]:
    """Four indicators whose Q4 2016/17 rows hold small counts and percentages or rates on them."""
    small = make_indicator("SMALL 1", unit="count", decimals=0, polarity="lower", description="Small count")
    add(small, "actual", "2016-10-01", "2016-12-31", "12", "Oct - Dec 2016")
    add(small, "actual", "2016-01-01", "2016-03-31", "2", "Jan - Mar 2016")
    add(small, "target", "2016-04-01", "2017-03-31", "4", "2016/17")
    add(small, "national", "2015-04-01", "2016-03-31", "40", "2015/16")
    add(small, "regional", "2015-04-01", "2016-03-31", "7", "2015/16")
    add(small, "statistical_neighbours", "2015-04-01", "2016-03-31", "5", "2015/16")
    upsert_value(
        indicator=small,
        series="actual",
        period_label="Jan - Mar 2017",
        period_start=datetime.date(2017, 1, 1),
        period_end=datetime.date(2017, 3, 31),
        value="3",
        user=staff,
        reason="Corrected by the named officer",
    )

    share = make_indicator("SHARE 1", description="Share on a small numerator")
    add(share, "actual", "2017-01-01", "2017-03-31", SHARE_ON_FOUR, "Jan - Mar 2017", numerator=D(4), denominator=D(9))
    add(share, "actual", "2016-10-01", "2016-12-31", "55.0", "Oct - Dec 2016", numerator=D(11), denominator=D(20))
    add(share, "target", "2017-01-01", "2017-03-31", "65.0", "Jan - Mar 2017")

    safe = make_indicator("SAFE 1", description="Shown, but its previous figure is not")
    add(safe, "actual", "2017-01-01", "2017-03-31", "50.0", "Jan - Mar 2017", numerator=D(30), denominator=D(60))
    add(safe, "actual", "2016-10-01", "2016-12-31", "60.0", "Oct - Dec 2016", numerator=D(3), denominator=D(5))
    add(safe, "target", "2017-01-01", "2017-03-31", "45.0", "Jan - Mar 2017")

    rate = make_indicator("RATE 1", unit="per_100000", decimals=2, polarity="lower", description="Rate on 3")
    add(
        rate,
        "actual",
        "2017-01-01",
        "2017-03-31",
        RATE_ON_THREE,
        "Jan - Mar 2017",
        numerator=D(3),
        denominator=D(45000),
    )
    add(rate, "target", "2017-01-01", "2017-03-31", "10.00", "Jan - Mar 2017")

    return {i.code: i for i in (small, share, safe, rate)}


def more_indicators(count: int) -> None:
    """``count`` more count indicators, some of whose figures are small."""
    for n in range(count):
        more = make_indicator(f"MORE {n:03d}", unit="count", decimals=0, kind="tracker")
        add(more, "actual", "2017-01-01", "2017-03-31", str(n % 9), "Jan - Mar 2017")
        add(more, "actual", "2016-10-01", "2016-12-31", str((n + 4) % 9), "Oct - Dec 2016")
        add(more, "national", "2015-04-01", "2016-03-31", str(n % 7), "2015/16")


@pytest.fixture
def register(staff):
    return small_register(staff)


# -- rows ----------------------------------------------------------------------------------------


def test_member_rows_hide_small_figures_and_rate_nothing_hidden(register, member, officer):
    rows = {row.code: row for row in quarter_rows(Q4)}
    assert rows["SMALL 1"].latest.value == D("3") and rows["SMALL 1"].target.rag == Rag.GREEN
    safe = {row.code: row for row in rows_for(member, rows.values())}
    assert rows_for(officer, rows.values()) == list(rows.values())

    small = safe["SMALL 1"]
    assert small.latest.value == SUPPRESSED
    assert [small.cell(name).value for name in CELL_NAMES] == ["c", D("12"), "c", "c", D("40"), D("7"), "c"]
    assert {small.cell(name).rag for name in CELL_NAMES} == {Rag.NA}
    assert small.headline_label == "Target c (2016/17)"

    share = safe["SHARE 1"]
    assert (share.latest.value, share.latest.numerator, share.latest.denominator) == ("c", "c", D(9))
    assert share.target.value == D("65.0") and share.target.rag == Rag.NA
    assert rows["SHARE 1"].target.rag == Rag.RED

    # SAFE 1's latest is shown and rated against its target; its previous figure (3 of 5) is not,
    # and neither is the rating against it (an officer sees RED).
    guarded = safe["SAFE 1"]
    assert guarded.latest.value == D("50.0") and guarded.target.rag == Rag.GREEN
    assert guarded.previous.value == "c" and guarded.previous.rag == Rag.NA
    assert rows["SAFE 1"].previous.rag == Rag.RED

    assert safe["RATE 1"].latest.value == "c" and safe["RATE 1"].target.rag == Rag.NA
    assert rows["RATE 1"].target.rag == Rag.GREEN


def test_a_row_without_small_figures_is_unchanged(db):
    big = make_indicator("BIG 1")
    add(big, "actual", "2017-01-01", "2017-03-31", "50.0", "Jan - Mar 2017", numerator=D(30), denominator=D(60))
    add(big, "actual", "2016-10-01", "2016-12-31", "0.0", "Oct - Dec 2016", numerator=D(0), denominator=D(60))
    add(big, "target", "2017-01-01", "2017-03-31", "45.0", "Jan - Mar 2017")
    add(big, "national", "2015-04-01", "2016-03-31", "51.0", "2015/16")
    (row,) = quarter_rows(Q4)
    assert row.target.rag == Rag.GREEN and row.previous.rag == Rag.GREEN and row.national.rag == Rag.AMBER
    assert member_safe_row(row) == row


@pytest.mark.parametrize("who", ["auditor", "moderator", "manager", "officer", "admin_user"])
def test_every_other_role_sees_the_figures(register, who, request):
    user = request.getfixturevalue(who)
    rows = quarter_rows(Q4)
    assert rows_for(user, rows) == rows


def test_a_member_who_has_another_role_sees_the_figures(register, member):
    from django.contrib.auth.models import Group

    member.groups.add(Group.objects.get_or_create(name=Role.TEAM_MANAGER.value)[0])
    member._perfsite_roles = None
    rows = quarter_rows(Q4)
    assert rows_for(member, rows) == rows


# -- pages ---------------------------------------------------------------------------------------


def table_row(html: str, marker: str) -> str:
    """The <tr> holding ``marker``."""
    index = html.index(marker)
    return html[html.rindex("<tr", 0, index) : html.index("</tr>", index)]


def cells(row_html: str) -> list[str]:
    found = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in found]


def rags(row_html: str) -> list[str]:
    return re.findall(r'<strong class="govuk-tag[^"]*">(\w+)</strong>', row_html)


def assert_no_staff_name(text: str) -> None:
    for name in ("Ramanathan", "Priya", "priya"):
        assert name not in text


def test_the_quarter_page(client, register, member, officer):
    client.force_login(member)
    html = client.get(QUARTER).content.decode()
    assert "shown as <strong>c</strong>" in html
    small = table_row(html, '<th scope="row" class="govuk-table__header">SMALL 1</th>')
    assert cells(small)[:4] == ["SMALL 1", "c", "Jan - Mar 2017", "c NA"]
    assert set(rags(small)) == {"NA"} and len(rags(small)) == 5
    share = table_row(html, '<th scope="row" class="govuk-table__header">SHARE 1</th>')
    assert cells(share)[1] == "c" and set(rags(share)) == {"NA"}
    guarded = table_row(html, '<th scope="row" class="govuk-table__header">SAFE 1</th>')
    assert cells(guarded)[1] == "50.0" and rags(guarded)[0] == "GREEN"
    assert SHARE_ON_FOUR not in html and RATE_ON_THREE not in html
    assert_no_staff_name(html)

    client.force_login(officer)
    html = client.get(QUARTER).content.decode()
    assert "shown as <strong>c</strong>" not in html
    small = table_row(html, '<th scope="row" class="govuk-table__header">SMALL 1</th>')
    assert cells(small)[:4] == ["SMALL 1", "3", "Jan - Mar 2017", "4 GREEN"]
    assert SHARE_ON_FOUR in html and RATE_ON_THREE in html


def test_the_list(client, register, member, officer):
    q4 = {"quarter": Q4.slug}
    client.force_login(member)
    html = client.get(LIST, q4).content.decode()
    assert "shown as <strong>c</strong>" in html
    small = cells(table_row(html, ">SMALL 1</a>"))
    assert small[2:] == ["Target", "c", "Jan - Mar 2017", "Target c (2016/17)", "NA"]
    assert cells(table_row(html, ">SHARE 1</a>"))[-1] == "NA"
    assert SHARE_ON_FOUR not in html and RATE_ON_THREE not in html
    assert_no_staff_name(html)
    # Filtering on a rating must not reveal a hidden figure's rating; sorting on a hidden figure works.
    green = client.get(LIST, {**q4, "rag": "GREEN"}).content.decode()
    assert ">SAFE 1</a>" in green and ">SMALL 1</a>" not in green and ">RATE 1</a>" not in green
    assert ">SMALL 1</a>" in client.get(LIST, {**q4, "rag": "NA"}).content.decode()
    for order in ("latest", "-latest"):
        assert client.get(LIST, {**q4, "sort": order}).status_code == 200

    client.force_login(officer)
    html = client.get(LIST, q4).content.decode()
    assert cells(table_row(html, ">SMALL 1</a>"))[2:] == [
        "Target",
        "3",
        "Jan - Mar 2017",
        "Target 4 (2016/17)",
        "GREEN",
    ]
    green = client.get(LIST, {**q4, "rag": "GREEN"}).content.decode()
    assert ">SMALL 1</a>" in green and ">RATE 1</a>" in green


def list_export(client, fmt: str) -> dict[str, dict]:
    response = client.get(LIST, {"quarter": Q4.slug, "_export": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    return {row["PI ref"]: row for row in rows}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_list_downloads(client, register, member, officer, fmt):
    client.force_login(member)
    rows = list_export(client, fmt)
    assert (rows["SMALL 1"]["Latest"], rows["SMALL 1"]["Latest RAG"]) == ("c", "NA")
    assert rows["SMALL 1"]["Compared with"] == "Target c (2016/17)"
    assert (rows["SHARE 1"]["Latest"], rows["SHARE 1"]["Latest RAG"]) == ("c", "NA")
    assert (rows["RATE 1"]["Latest"], rows["RATE 1"]["Latest RAG"]) == ("c", "NA")
    assert (str(rows["SAFE 1"]["Latest"]), rows["SAFE 1"]["Latest RAG"]) == ("50.0", "GREEN")
    assert_no_staff_name(repr(rows))

    client.force_login(officer)
    rows = list_export(client, fmt)
    assert (str(rows["SMALL 1"]["Latest"]), rows["SMALL 1"]["Latest RAG"]) == ("3", "GREEN")
    assert str(rows["SHARE 1"]["Latest"]) == SHARE_ON_FOUR


def quarter_export(client, fmt: str) -> dict[str, dict]:
    response = client.get(reverse("indicators:quarter_export", args=[Q4.slug, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    elif fmt == "json":
        rows = json.loads(response.content)
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
        rows = [
            {k: shown_text(cell) for k, cell in zip(header, row, strict=True)} for row in sheet.iter_rows(min_row=2)
        ]
    return {row["code"]: row for row in rows}


def shown_text(cell) -> str:
    """A cell as a spreadsheet shows it: a number to its format's decimal places."""
    if cell.value is None:
        return ""
    if isinstance(cell.value, (int, float)):
        places = len(cell.number_format.split(".")[1]) if "." in cell.number_format else 0
        return f"{cell.value:.{places}f}"
    return str(cell.value)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_the_quarter_downloads(client, register, member, officer, fmt):
    client.force_login(member)
    rows = quarter_export(client, fmt)
    small = rows["SMALL 1"]
    assert [small[c] for c in ("latest", "target", "previous", "twelve_months_earlier")] == ["c", "c", "12", "c"]
    assert [small[c] for c in ("national", "regional", "statistical_neighbours")] == ["40", "7", "c"]
    assert {v for k, v in small.items() if k.endswith("_rag")} == {"NA"}
    share = rows["SHARE 1"]
    assert (share["latest"], share["target"], share["target_rag"], share["previous_rag"]) == ("c", "65.0", "NA", "NA")
    safe = rows["SAFE 1"]
    assert (safe["latest"], safe["target_rag"], safe["previous"], safe["previous_rag"]) == ("50.0", "GREEN", "c", "NA")
    assert (rows["RATE 1"]["latest"], rows["RATE 1"]["target_rag"]) == ("c", "NA")
    text = repr(rows)
    assert SHARE_ON_FOUR not in text and RATE_ON_THREE not in text
    assert_no_staff_name(text)

    client.force_login(officer)
    rows = quarter_export(client, fmt)
    assert (rows["SMALL 1"]["latest"], rows["SMALL 1"]["target_rag"]) == ("3", "GREEN")
    assert (rows["SAFE 1"]["previous"], rows["SAFE 1"]["previous_rag"]) == ("60.0", "RED")
    assert rows["SHARE 1"]["latest"] == SHARE_ON_FOUR


def test_the_xlsx_writes_hidden_figures_as_text_and_others_as_numbers(client, register, member):
    client.force_login(member)
    response = client.get(reverse("indicators:quarter_export", args=[Q4.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    by_code = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    small = by_code["SMALL 1"]
    assert small[header.index("latest")].value == "c"
    assert small[header.index("national")].value == 40 and small[header.index("national")].number_format == "0"


def test_the_indicator_page(client, register, member, officer):
    small, share = register["SMALL 1"], register["SHARE 1"]
    client.force_login(member)
    response = client.get(reverse("indicators:detail", args=[small.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "shown as <strong>c</strong>" in html
    # Latest position: hidden, and no rating of it.
    assert re.search(r'<p class="govuk-body-l">c <span', html)
    comparisons = html[html.index("How the latest figure compares") : html.index('<h2 class="govuk-heading-m">Trend')]
    assert set(rags(comparisons)) == {"NA"}
    # Series tables: the small figures as c.
    figures = {(f.series, f.period_label): f.figure for _, items in response.context["series_tables"] for f in items}
    assert figures[("actual", "Jan - Mar 2017")] == "c" and figures[("actual", "Oct - Dec 2016")] == D("12")
    assert figures[("target", "2016/17")] == "c" and figures[("statistical_neighbours", "2015/16")] == "c"
    # The chart: c markers, drawn as gaps and printed in its table.
    chart = response.context["chart"]
    actual_column = chart.table_headers.index("County Durham")
    printed = {row[0]: row[actual_column] for row in chart.table_rows}
    assert printed["Jan - Mar 2017"] == "c" and printed["Jan - Mar 2016"] == "c" and printed["Oct - Dec 2016"] == "12"
    assert "suppressed" in chart.description
    # RAG history: nothing rated on a hidden figure (Q4) or against one (Q3's target and previous).
    history = html[html.index("RAG history") :]
    q4 = table_row(history, "Quarter 4 2016/17")
    assert cells(q4)[1] == "c (Jan - Mar 2017)" and rags(q4) == ["NA"] * 6
    q3 = table_row(history, "Quarter 3 2016/17")
    assert cells(q3)[1] == "12 (Oct - Dec 2016)" and rags(q3) == ["NA", "NA", "NA", "GREEN", "RED", "NA"]
    assert "against c (2016/17)" in q3
    # No change history, no staff name anywhere (the figure was last changed by one).
    assert "Change history" not in html and "Corrected by the named officer" not in html
    assert_no_staff_name(html)
    assert response.context["history"] == []

    response = client.get(reverse("indicators:detail", args=[share.pk]))
    html = response.content.decode()
    latest = table_row(html, "Jan - Mar 2017<br>")
    assert cells(latest)[1:4] == ["c", "c", "9"]
    assert SHARE_ON_FOUR not in html

    client.force_login(officer)
    response = client.get(reverse("indicators:detail", args=[small.pk]))
    html = response.content.decode()
    assert re.search(r'<p class="govuk-body-l">3 <span', html)
    assert "Change history" in html and "Corrected by the named officer" in html
    assert "Priya Ramanathan" in html
    chart = response.context["chart"]
    printed = {row[0]: row[chart.table_headers.index("County Durham")] for row in chart.table_rows}
    assert printed["Jan - Mar 2017"] == "3"
    html = client.get(reverse("indicators:detail", args=[share.pk])).content.decode()
    assert cells(table_row(html, "Jan - Mar 2017<br>"))[1:4] == [SHARE_ON_FOUR, "4", "9"]


def test_every_figure_hidden_still_shows_the_chart_table(client, member, staff):
    only = make_indicator("ONLY SMALL", unit="count", decimals=0)
    add(only, "actual", "2017-01-01", "2017-03-31", "2", "Jan - Mar 2017")
    client.force_login(member)
    html = client.get(reverse("indicators:detail", args=[only.pk])).content.decode()
    assert "No figures yet." not in html and "Data for:" in html


# -- queries -------------------------------------------------------------------------------------


def count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def measure(client, user, indicator) -> dict[str, int]:
    client.force_login(user)
    urls = {
        "list": LIST + f"?quarter={Q4.slug}",
        "list csv": LIST + f"?quarter={Q4.slug}&_export=csv",
        "list xlsx": LIST + f"?quarter={Q4.slug}&_export=xlsx",
        "quarter": QUARTER,
        **{
            f"quarter {fmt}": reverse("indicators:quarter_export", args=[Q4.slug, fmt])
            for fmt in ("csv", "json", "xlsx")
        },
        "detail": reverse("indicators:detail", args=[indicator.pk]),
    }
    counts = {}
    for name, url in urls.items():
        counts[name] = count_queries(lambda url=url: client.get(url))
        assert client.get(url).status_code == 200
    return counts


def more_history(indicator, staff, count: int) -> None:
    """``count`` more quarters of actuals from 2010, each written by the named officer (more history)."""
    quarter = Quarter.parse("2009-10-q4")
    for n in range(count):
        upsert_value(
            indicator=indicator,
            series="actual",
            period_label=quarter.period_label,
            period_start=quarter.start,
            period_end=quarter.end,
            value=str(n % 8),
            user=staff,
        )
        quarter = quarter.next()


def test_query_counts_do_not_grow_for_members(client, member, officer, staff):
    small = small_register(staff)["SMALL 1"]
    more_indicators(3)
    more_history(small, staff, 2)
    member_small, officer_small = measure(client, member, small), measure(client, officer, small)
    Indicator.objects.filter(code__startswith="MORE").delete()
    more_indicators(40)
    more_history(small, staff, 20)
    member_large, officer_large = measure(client, member, small), measure(client, officer, small)
    assert member_small == member_large
    assert officer_small == officer_large
    # Members make the officers' queries and one more: the published horizon (indicators.horizon).
    assert {k: v for k, v in member_small.items() if k != "detail"} == {
        k: v + 1 for k, v in officer_small.items() if k != "detail"
    }
    # On an indicator's page, less the change history's page (indicators.history), and less the
    # three of the current quarter's row: a member's latest position is picked from the figures
    # already loaded.
    with CaptureQueriesContext(connection) as history:
        change_history(small)
    assert member_small["detail"] == officer_small["detail"] + 1 - len(history) - 3
