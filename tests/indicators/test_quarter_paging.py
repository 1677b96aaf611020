"""The quarter page at any size: filters, pages of 100 indicators, and the whole quarter's RAG totals.

The totals come from one aggregate on PostgreSQL (``quarter_page.TOTALS_SQL``); on SQLite from the
rows. Either way they must equal the rows' own headline RAGs, which is what these tests check:
run them with DATABASE_URL set to PostgreSQL to check the SQL.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from indicators.disclosure import member_safe_rows
from indicators.quarter_page import PER_PAGE, headline_counts, page_rows, rag_totals, shown_indicators, totals_from
from indicators.quarters import Quarter
from indicators.selectors import quarter_rows
from tests.indicators.conftest import add, make_indicator, publish, theme
from tests.indicators.test_query_counts import count_queries, make_register

Q4 = Quarter.parse("2016-17-q4")
URL = reverse("indicators:quarter", args=[Q4.slug])
SAFER = "Altogether Safer"


def shown_codes(response) -> list[str]:
    """The PI refs heading the figures rows of Appendix 3's tables (the RAG totals come before them)."""
    html = response.content.decode()
    return re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', html[html.index('id="table-1"') :])


def totals_cells(response) -> list[tuple[str, str]]:
    return re.findall(r'data-rag="(\w+)">(\d+)</td>', response.content.decode())


# (code, kind, polarity, unit, latest (value, numerator, denominator), comparator (value, n, d), officer's RAG)
# The comparator is the target of a target indicator and the previous quarter's actual of a tracker.
CASES = [
    ("EXACT AMBER", "target", "lower", "percent", ("45.9", None, None), ("45", None, None), "AMBER"),
    ("JUST RED", "target", "lower", "percent", ("45.91", None, None), ("45", None, None), "RED"),
    ("GREEN EQUAL", "target", "higher", "percent", ("45", None, None), ("45.0", None, None), "GREEN"),
    ("ZERO TARGET", "target", "lower", "count", ("1", None, None), ("0", None, None), "RED"),
    ("NEUTRAL", "target", "neutral", "percent", ("50", None, None), ("40", None, None), "NA"),
    ("NO TARGET", "target", "higher", "percent", ("50", None, None), None, "NA"),
    ("NO LATEST", "target", "higher", "percent", None, ("50", None, None), "NA"),
    ("TRACK UP", "tracker", "higher", "percent", ("51", None, None), ("50", None, None), "GREEN"),
    ("TRACK DOWN", "tracker", "higher", "percent", ("49.5", None, None), ("50", None, None), "AMBER"),
    ("TRACK NEG", "tracker", "higher", "score", ("-12.5", None, None), ("-12.3", None, None), "AMBER"),
    ("SMALL COUNT", "tracker", "lower", "count", ("3", None, None), ("8", None, None), "GREEN"),  # c for members
    ("SMALL SHARE", "target", "higher", "percent", ("75.0", "3", "4"), ("60", None, None), "GREEN"),  # c
    ("SMALL OTHER", "tracker", "higher", "count", ("9", None, None), ("4", None, None), "GREEN"),  # c compared
    ("CASE AUDIT 1", "target", "higher", "percent", ("100.0", "2", "2"), ("65", None, None), "NA"),  # too few
]


def _add_figure(indicator, series, start, end, figure) -> None:
    value, numerator, denominator = figure
    extra = {}
    if numerator is not None:
        extra = {"numerator": Decimal(numerator), "denominator": Decimal(denominator)}
    add(indicator, series, start, end, value, **extra)


@pytest.fixture
def rated(db):
    for code, kind, polarity, unit, latest, comparator, _ in CASES:
        indicator = make_indicator(code, kind=kind, polarity=polarity, unit=unit, is_computed=code == "CASE AUDIT 1")
        if latest is not None:
            _add_figure(indicator, "actual", "2017-01-01", "2017-03-31", latest)
        if comparator is not None and kind == "target":
            _add_figure(indicator, "target", "2016-04-01", "2017-03-31", comparator)
        elif comparator is not None:
            _add_figure(indicator, "actual", "2016-10-01", "2016-12-31", comparator)
    # Out of date (two years old): the target covering it is still rated, like with like.
    stale = make_indicator("STALE", kind="target", polarity="higher")
    add(stale, "actual", "2014-04-01", "2015-03-31", "70")
    add(stale, "target", "2014-04-01", "2015-03-31", "60")
    add(stale, "national", "2016-04-01", "2017-03-31", "90")  # another period: not rated, not the headline
    inactive = make_indicator("INACTIVE", active=False)
    add(inactive, "actual", "2017-01-01", "2017-03-31", "1")


def test_the_officers_totals_are_the_rows_headline_rags(rated):
    rows = quarter_rows(Q4)
    expected = {code: rag for code, *_, rag in CASES} | {"STALE": "GREEN"}
    assert {row.code: row.headline_rag.value for row in rows} == expected  # the table above is right
    assert rag_totals(Q4, member_only=False, rows_for_python=lambda: rows) == totals_from(headline_counts(rows))


def test_the_members_totals_rate_no_hidden_figure(rated):
    rows = member_safe_rows(quarter_rows(Q4))
    by_code = {row.code: row.headline_rag.value for row in rows}
    assert by_code["SMALL COUNT"] == by_code["SMALL SHARE"] == by_code["SMALL OTHER"] == "NA"
    assert by_code["EXACT AMBER"] == "AMBER"
    totals = rag_totals(Q4, member_only=True, rows_for_python=lambda: rows)
    assert totals == totals_from(headline_counts(rows))
    assert totals != rag_totals(Q4, member_only=False, rows_for_python=lambda: quarter_rows(Q4))


def test_the_page_shows_the_totals_for_the_whole_quarter_whatever_the_filters(client, officer, rated):
    client.force_login(officer)
    whole = totals_cells(client.get(URL))
    counts = headline_counts(quarter_rows(Q4))
    assert whole == [
        (rag, str(counts.get((kind, rag), 0)))
        for kind in ("target", "tracker")
        for rag in ("GREEN", "AMBER", "RED", "NA")
    ]
    filtered = client.get(URL, {"search": "TRACK UP"})
    assert shown_codes(filtered) == ["TRACK UP"]
    assert totals_cells(filtered) == whole


@pytest.mark.django_db
def test_filters_by_table_level_theme_and_search(client, officer):
    make_indicator("T ONE", kind="target", framework_level="universal")
    make_indicator("T TWO", kind="target", framework_level="early_help", theme=theme(SAFER))
    make_indicator("K ONE", kind="tracker", framework_level="early_help", also_in=[SAFER])
    make_indicator("K TWO", kind="tracker", framework_level="corporate_parenting", description="Care leavers in work")
    client.force_login(officer)
    assert shown_codes(client.get(URL)) == ["T ONE", "T TWO", "K ONE", "K TWO"]
    assert shown_codes(client.get(URL, {"table": "tracker"})) == ["K ONE", "K TWO"]
    assert shown_codes(client.get(URL, {"level": "early_help"})) == ["T TWO", "K ONE"]
    safer = theme(SAFER).pk
    assert shown_codes(client.get(URL, {"theme": safer})) == ["T TWO", "K ONE"]  # K ONE is also in it
    assert shown_codes(client.get(URL, {"search": "two"})) == ["T TWO", "K TWO"]
    assert shown_codes(client.get(URL, {"search": "leavers"})) == ["K TWO"]
    assert shown_codes(client.get(URL, {"table": "tracker", "level": "early_help"})) == ["K ONE"]
    nothing = client.get(URL, {"search": "no such"})
    assert shown_codes(nothing) == [] and "No indicators match these filters." in nothing.content.decode()
    # A value that is not a choice is an error on the form, not a crash; nothing is filtered.
    bad = client.get(URL, {"table": "both", "level": "nonsense"})
    assert bad.status_code == 200 and "Error:" in bad.content.decode()
    assert len(shown_codes(bad)) == 4


@pytest.mark.django_db
def test_pages_of_a_hundred_in_appendix_order(client, officer):
    make_register(230)
    client.force_login(officer)
    order = list(shown_indicators().values_list("code", flat=True))
    first = client.get(URL)
    html = first.content.decode()
    assert shown_codes(first) == order[:PER_PAGE]
    assert "Showing indicators 1 to 100 of 230" in html and 'aria-label="Pages of indicators"' in html
    assert shown_codes(client.get(URL, {"page": 2})) == order[100:200]
    last = client.get(URL, {"page": 3})
    assert shown_codes(last) == order[200:]
    # A stale or hostile page number answers a page, never an error.
    assert shown_codes(client.get(URL, {"page": 99})) == order[200:]
    assert shown_codes(client.get(URL, {"page": "x"})) == order[:PER_PAGE]
    # Paging keeps the filters.
    targets = client.get(URL, {"table": "target", "page": 2})
    assert shown_codes(targets) == [c for c, k in shown_indicators(table="target").values_list("code", "kind")][100:]


def test_appendix_order_is_table_then_theme_then_ref(db):
    make_indicator("B", kind="tracker", ref=1)
    make_indicator("C", kind="target", ref=5, theme=theme(SAFER))
    make_indicator("A", kind="target", ref=9)
    make_indicator("D", kind="target", ref=None)
    assert list(shown_indicators().values_list("code", flat=True)) == ["A", "D", "C", "B"]


def measure(client, user, count: int) -> int:
    from indicators.models import Indicator

    Indicator.objects.all().delete()
    make_register(count)
    client.force_login(user)
    queries = count_queries(lambda: client.get(URL, {"page": 2}))
    assert len(shown_codes(client.get(URL, {"page": 2}))) == min(PER_PAGE, count - PER_PAGE)
    return queries


@pytest.mark.slow
@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_register(client, officer, member):
    publish(Q4.slug)
    assert measure(client, officer, 130) == measure(client, officer, 450)
    assert measure(client, member, 130) == measure(client, member, 450)


def test_members_still_open_only_published_quarters(client, member, rated):
    client.force_login(member)
    assert client.get(URL).status_code == 404
    publish(Q4.slug)
    response = client.get(URL, {"search": "SMALL COUNT"})
    assert response.status_code == 200
    assert "data-value-id" not in response.content.decode()  # no source tooltip for members


def test_outsiders_are_refused(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_text_from_the_database_is_escaped_in_the_rows(client, officer):
    indicator = make_indicator("<b>X</b>", description='Rate of <script>alert("x")</script> & more')
    add(indicator, "actual", "2017-01-01", "2017-03-31", "12.5", label="Q4 <i>2016/17</i>", footnote="Note <u>1</u>")
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html
    assert "<b>X</b>" not in html and "&lt;b&gt;X&lt;/b&gt;" in html
    assert "Q4 &lt;i&gt;2016/17&lt;/i&gt;" in html and "Note &lt;u&gt;1&lt;/u&gt;" in html


@pytest.mark.django_db
def test_a_page_of_rows_is_those_indicators_rows_of_the_whole_quarter():
    """On PostgreSQL the page reads its rows in one query of its own (``PAGE_ROWS_SQL``): it must build
    exactly the rows ``quarter_rows`` builds, themes and every cell included, in Appendix 3's order."""
    make_register(230)
    by_id = {row.indicator_id: row for row in quarter_rows(Q4)}
    for filters in ({}, {"theme": theme(SAFER)}, {"search": "1"}, {"table": "tracker"}):
        shown = shown_indicators(**filters)
        order = list(shown.values_list("pk", flat=True))
        assert order, filters
        for start, stop in ((0, PER_PAGE), (PER_PAGE, 2 * PER_PAGE), (2 * PER_PAGE, 3 * PER_PAGE)):
            expected = [by_id[pk] for pk in order[start:stop]]
            assert page_rows(Q4, shown, start=start, stop=stop) == expected, (filters, start)
    assert any(row.also_in for row in by_id.values())


@pytest.mark.django_db
def test_page_rows_refuses_indicators_in_another_order():
    with pytest.raises(ValueError, match="Appendix 3's order"):
        page_rows(Q4, shown_indicators().order_by("code"), start=0, stop=PER_PAGE)


@pytest.mark.django_db
def test_every_row_is_quarter_rows_in_one_query():
    """The preview reads every row in ``PAGE_ROWS_SQL``'s one query on PostgreSQL (``every_row``): the
    same rows ``quarter_rows`` builds, themes and cells included, for every indicator or a narrowed set."""
    from indicators.models import Indicator
    from indicators.quarter_page import every_row

    make_register(230)
    by_id = {row.indicator_id: row for row in quarter_rows(Q4)}
    rows = every_row(Q4)
    assert rows == [by_id[pk] for pk in shown_indicators().values_list("pk", flat=True)]
    narrowed = Indicator.objects.active().filter(kind="tracker")
    assert every_row(Q4, indicators=narrowed) == [row for row in rows if row.kind == "tracker"]
    expected_queries = 1 if connection.vendor == "postgresql" else 3
    assert count_queries(lambda: every_row(Q4)) == expected_queries
