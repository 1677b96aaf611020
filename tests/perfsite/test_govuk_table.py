"""django-tables2 renders with our GOV.UK template: sortable headers with aria-sort, GOV.UK pagination."""

import django_tables2 as tables
from django.test import RequestFactory


class TeamTable(tables.Table):
    name = tables.Column()
    cases = tables.Column()


def render(query: str = "") -> str:
    request = RequestFactory().get("/teams/" + query)
    data = [{"name": f"Team {i:02d}", "cases": i} for i in range(30)]
    table = TeamTable(data, order_by=request.GET.get("sort"))
    tables.RequestConfig(request, paginate={"per_page": 10}).configure(table)
    return table.as_html(request)


def test_table_uses_govuk_classes_and_scoped_headers():
    html = render()
    assert '<table class="govuk-table">' in html
    assert '<th scope="col" class="govuk-table__header' in html
    assert 'class="govuk-table__cell"' in html


def test_sortable_headers_say_how_they_are_sorted():
    assert 'aria-sort="none"' in render()
    html = render("?sort=-cases")
    assert 'aria-sort="descending"' in html
    html = render("?sort=name")
    assert 'aria-sort="ascending"' in html


def test_pagination_is_govuk_pagination():
    html = render("?page=2")
    assert 'class="govuk-pagination"' in html
    assert 'aria-current="page"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "Team 10" in html
