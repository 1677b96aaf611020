"""The indicator register a page at a time: on PostgreSQL sorted and filtered by RAG in SQL (indicators.register).

The oracle is the register as it was: every row built in Python, made member-safe, filtered by its
headline RAG and sorted by django-tables2 (``IndicatorTable`` over the list). The page must show the
same indicators in the same order, for every sortable column both ways, with and without the RAG
filter, for an officer and for a scrutiny member. Run with DATABASE_URL set to PostgreSQL to check
the SQL; on SQLite the register is still the Python list.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from indicators.disclosure import rows_for
from indicators.models import Indicator
from indicators.quarters import Quarter
from indicators.selectors import quarter_rows
from indicators.tables import IndicatorTable
from tests.indicators.conftest import add, make_indicator, publish
from tests.indicators.test_quarter_paging import rated  # noqa: F401  (the fixture: every RAG rule once)
from tests.indicators.test_query_counts import count_queries, make_register

Q4 = Quarter.parse("2016-17-q4")
URL = reverse("indicators:list")
SORTS = ["code", "description", "kind", "latest", "latest_period", "rag"]


def listed_codes(client, **query) -> list[str]:
    """Every page's PI refs, in order (50 a page)."""
    codes, page = [], 1
    while True:
        response = client.get(URL, {"quarter": Q4.slug, "page": page, **query})
        assert response.status_code == 200
        found = re.findall(r'<a class="govuk-link" href="/indicators/\d+/">([^<]+)</a>', response.content.decode())
        codes += found
        if 'rel="next"' not in response.content.decode():
            return codes
        page += 1


def python_codes(user, *, sort: str, rag: str = "") -> list[str]:
    rows = rows_for(user, quarter_rows(Q4, indicators=Indicator.objects.active()))
    if rag:
        rows = [row for row in rows if row.headline_rag.value == rag]
    return [bound.record.code for bound in IndicatorTable(rows, order_by=(sort,)).rows]


@pytest.fixture
def register(rated):  # noqa: F811
    make_register(70)
    # Equal figures and equal descriptions, so the order of ties is tested too; mixed case and a hidden c.
    for n, code in enumerate(["tie b", "Tie A", "TIE C"]):
        indicator = make_indicator(code, description="Same words", ref=None)
        add(indicator, "actual", "2017-01-01", "2017-03-31", "45.0")
        add(indicator, "target", "2016-04-01", "2017-03-31", str(40 + n))
    publish(Q4.slug)


@pytest.mark.slow
@pytest.mark.parametrize("who", ["officer", "member"])
def test_every_sort_and_rag_filter_lists_what_the_python_register_listed(client, register, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for sort in SORTS:
        for direction in ("", "-"):
            for rag in ("", "GREEN", "NA"):
                expected = python_codes(user, sort=direction + sort, rag=rag)
                assert listed_codes(client, sort=direction + sort, rag=rag) == expected, (who, direction + sort, rag)
    # The member's view hides small figures: their RAG is not rated, so the two registers differ.
    officer_na = python_codes(request.getfixturevalue("officer"), sort="code", rag="NA")
    assert python_codes(request.getfixturevalue("member"), sort="code", rag="NA") != officer_na


@pytest.mark.django_db
def test_a_register_page_costs_the_same_queries_at_two_sizes(client, officer):
    def queries(count: int) -> int:
        Indicator.objects.all().delete()
        make_register(count)
        client.force_login(officer)
        page = {"quarter": Q4.slug, "sort": "-rag", "rag": "GREEN", "page": 2}
        assert client.get(URL, page).status_code == 200
        return count_queries(lambda: client.get(URL, page))

    assert queries(130) == queries(450)


@pytest.mark.django_db
def test_the_download_still_carries_every_indicator_in_the_chosen_order(client, officer):
    make_register(120)
    client.force_login(officer)
    csv = client.get(URL, {"quarter": Q4.slug, "sort": "-code", "_export": "csv"}).content.decode()
    codes = [line.split(",")[0] for line in csv.splitlines()[1:]]
    assert codes == python_codes(officer, sort="-code")
    assert len(codes) == 120
