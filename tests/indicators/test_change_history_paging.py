"""An indicator's change history in pages: the same entries as reading the whole history, in flat queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.history import _definition_entry, _figure_entry, change_history
from indicators.models import Indicator, IndicatorValue
from perfsite.pagination import PER_PAGE
from tests.indicators.conftest import add, make_indicator
from tests.indicators.test_query_counts import count_queries

pytestmark = pytest.mark.django_db


def whole_history(indicator) -> list:
    """The oracle: every record read in date order, each compared with the one before it, newest first."""
    entries, previous = [], None
    for record in Indicator.history.filter(id=indicator.pk).order_by("history_date"):
        entries.append(_definition_entry(record, previous))
        previous = record
    last_by_id = {}
    for record in IndicatorValue.history.filter(indicator_id=indicator.pk).order_by("history_date"):
        entries.append(_figure_entry(record, last_by_id.get(record.id)))
        last_by_id[record.id] = record
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def make_history(indicator, changes: int) -> None:
    """A definition edit, then figures added, corrected and one removed: ``changes`` records or so."""
    indicator.description = "Renamed"
    indicator.save()
    values = [add(indicator, "actual", f"{2000 + n}-04-01", f"{2001 + n}-03-31", "50.0") for n in range(changes // 3)]
    for n, value in enumerate(values):
        value.value = Decimal("50.1") + n
        value._change_reason = f"Correction {n}"
        value.save()
    values[0].delete()


def every_page(indicator, per_page: int) -> list:
    found, number = [], 1
    while True:
        page, entries = change_history(indicator, page=number, per_page=per_page)
        found.extend(entries)
        if not page.has_next():
            return found
        number += 1


def test_the_pages_together_are_the_whole_history():
    indicator = make_indicator("HIST 1")
    make_history(indicator, 40)
    expected = whole_history(indicator)
    assert len(expected) == 2 + 26 + 1  # created and renamed; 13 added and 13 corrected; one removed
    assert every_page(indicator, per_page=7) == expected
    assert every_page(indicator, per_page=100) == expected
    changes = [entry.changes for entry in expected]
    assert ["Value 50.1 → 51.1"] not in changes and ["Value 50.0 → 51.1"] in changes
    assert ["Description: Indicator HIST 1 → Renamed"] in changes and ["Indicator created"] in changes


def rows_of_history(response) -> int:
    html = response.content.decode()
    section = html[html.index('id="change-history"') :]
    return section.count('<tr class="govuk-table__row">') - 1  # less the header row


def test_the_detail_page_shows_one_page_of_changes(client, officer):
    indicator = make_indicator("HIST 2")
    make_history(indicator, 90)  # 2 + 60 + 1 = 63 changes
    client.force_login(officer)
    url = reverse("indicators:detail", args=[indicator.pk])
    first = client.get(url)
    assert rows_of_history(first) == PER_PAGE
    assert 'aria-label="Pages of the change history"' in first.content.decode()
    assert rows_of_history(client.get(url, {"history_page": 2})) == 63 - PER_PAGE
    assert rows_of_history(client.get(url, {"history_page": "99"})) == 63 - PER_PAGE  # the last page
    assert rows_of_history(client.get(url, {"history_page": "-1"})) == 63 - PER_PAGE  # never an error
    assert rows_of_history(client.get(url, {"history_page": "x"})) == PER_PAGE
    assert re.search(r"history_page=2", first.content.decode())


def test_members_get_no_change_history(client, member):
    from tests.indicators.conftest import publish

    publish("2016-17-q4")
    indicator = make_indicator("HIST 3")
    make_history(indicator, 9)
    client.force_login(member)
    html = client.get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    assert 'id="change-history"' not in html and "Pages of the change history" not in html


@pytest.mark.slow
def test_the_query_count_does_not_grow_with_the_history(client, officer):
    client.force_login(officer)
    counts = []
    for changes in (180, 450):  # page 2 of either holds corrections and additions only
        indicator = make_indicator(f"HIST {changes}")
        make_history(indicator, changes)
        url = reverse("indicators:detail", args=[indicator.pk])
        counts.append(count_queries(lambda url=url: client.get(url, {"history_page": 2})))
    assert counts[0] == counts[1]
