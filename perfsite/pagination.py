"""Paging every list that can grow, from the query string, without ever failing.

Tables (django-tables2) read ``?per_page=`` from the request and hand it to the paginator as given:
``-1`` made every page "empty" (a 500), and a huge number would render every row at once. Every
paged table goes through ``BoundedPaginator``: a page size outside 1 to ``MAX_PER_PAGE`` falls back
to the nearest bound. Plain lists (an auditor's worklist, import batches) use ``page_of``: each page
shows ``PER_PAGE`` rows and the GOV.UK pagination (``templates/includes/pagination.html``), and a
hostile or stale ``?page=`` (not a number, zero, negative, past the end) answers the first or the
last page, never an error.
"""

from django.core.paginator import Page, Paginator
from django_tables2 import RequestConfig

PER_PAGE = 50
MAX_PER_PAGE = 200


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, **kwargs):
        try:
            per_page = int(per_page)
        except (TypeError, ValueError):
            per_page = PER_PAGE
        super().__init__(object_list, min(max(per_page, 1), MAX_PER_PAGE), *args, **kwargs)


def paginate_table(request, table, *, per_page: int = PER_PAGE):
    """Sort and page ``table`` from the request (``?sort=``, ``?page=``, ``?per_page=``)."""
    return RequestConfig(request, paginate={"per_page": per_page, "paginator_class": BoundedPaginator}).configure(table)


def page_of(request, items, *, field: str = "page", per_page: int = PER_PAGE) -> Page:
    """The page of ``items`` (an ordered queryset or a list) that ``request.GET[field]`` asks for."""
    page = Paginator(items, per_page).get_page(request.GET.get(field))
    page.field = field  # the template's links change only this parameter of the query string
    return page
