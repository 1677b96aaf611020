"""One page of a list that can grow, read from the query string without ever failing.

Lists the service shows in full would grow with the years (an auditor's audits, import batches,
a record's history); each page shows ``PER_PAGE`` rows and the GOV.UK pagination
(``templates/includes/pagination.html``). A hostile or stale ``?page=`` (not a number, zero,
negative, past the end) answers the first or the last page, never an error.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 50


def page_of(request, items, *, field: str = "page", per_page: int = PER_PAGE) -> Page:
    """The page of ``items`` (an ordered queryset or a list) that ``request.GET[field]`` asks for."""
    page = Paginator(items, per_page).get_page(request.GET.get(field))
    page.field = field  # the template's links change only this parameter of the query string
    return page
