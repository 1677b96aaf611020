"""django-tables2 renders with our GOV.UK template: sortable headers with aria-sort, GOV.UK pagination."""

import re

import django_tables2 as tables
import pytest
from django.template import RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from perfsite.pagination import page_of


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


# One GOV.UK pagination (templates/includes/pagination.html) serves tables and plain lists alike.


def nav_of(html: str) -> str:
    """The pagination's markup, white space between tags folded (indentation differs by where it is included)."""
    found = re.search(r"<nav class=\"govuk-pagination\".*?</nav>", html, re.DOTALL)
    return re.sub(r">\s+<", "><", found.group(0)) if found else ""


def test_a_table_pages_with_the_shared_pagination(templates_used):
    render("?page=2")
    assert "includes/pagination.html" in templates_used


@pytest.mark.parametrize("query", ["", "?page=2", "?page=3&sort=-cases", "?page=2&team=a%20b"])
def test_a_table_and_a_list_of_the_same_rows_page_with_the_same_markup(query):
    request = RequestFactory().get("/teams/" + query)
    rows = [{"name": f"Team {i:02d}", "cases": i} for i in range(30)]
    listed = render_to_string(
        "includes/pagination.html", {"page": page_of(request, rows, per_page=10)}, request=request
    )
    assert nav_of(render(query)) == nav_of(listed) != ""


def test_a_prefixed_table_s_links_change_only_its_own_page():
    request = RequestFactory().get("/teams/?t-page=2&page=4")
    table = TeamTable([{"name": f"Team {i:02d}", "cases": i} for i in range(30)], prefix="t-")
    tables.RequestConfig(request, paginate={"per_page": 10}).configure(table)
    nav = nav_of(table.as_html(request))
    assert 'href="?t-page=1&amp;page=4" rel="prev"' in nav and 'href="?t-page=3&amp;page=4" rel="next"' in nav


def test_a_table_of_one_page_has_no_pagination():
    request = RequestFactory().get("/teams/")
    table = TeamTable([{"name": "Team 01", "cases": 1}])
    tables.RequestConfig(request, paginate={"per_page": 10}).configure(table)
    assert "govuk-pagination" not in table.as_html(request)


def test_two_lists_on_one_page_keep_their_own_page_parameters():
    """The include picks its page parameter for itself: the first list's must not carry over to the second."""
    request = RequestFactory().get("/worklist/?page=2&done=3")
    rows = list(range(100))
    include = '{% include "includes/pagination.html" with page=PAGE %}'
    html = Template(include.replace("PAGE", "to_do") + include.replace("PAGE", "done")).render(
        RequestContext(
            request,
            {"to_do": page_of(request, rows, per_page=10), "done": page_of(request, rows, field="done", per_page=10)},
        )
    )
    first, second = re.findall(r"<nav.*?</nav>", html, re.DOTALL)
    assert 'href="?page=3&amp;done=3" rel="next"' in first
    assert 'href="?page=2&amp;done=4" rel="next"' in second
