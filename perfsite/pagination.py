"""Paging every list that can grow, from the query string, without ever failing.

Tables (django-tables2) read ``?per_page=`` from the request and hand it to the paginator as given:
``-1`` made every page "empty" (a 500), and a huge number would render every row at once. Every
paged table goes through ``BoundedPaginator``: a page size outside 1 to ``MAX_PER_PAGE`` falls back
to the nearest bound. Plain lists (an auditor's worklist, import batches) use ``page_of``: each page
shows ``PER_PAGE`` rows and the GOV.UK pagination (``templates/includes/pagination.html``), and a
hostile or stale ``?page=`` (not a number, zero, negative, past the end) answers the first or the
last page, never an error.

Both order a queryset by its primary key last (``unique_last``): rows that tie on the sort (two
audits of one team, sorted by team) would otherwise come back in whatever order the database
likes on each query, so a row could show on two pages, or on none.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django_tables2 import RequestConfig
from django_tables2.data import TableQuerysetData
from django_tables2.rows import BoundRows

PER_PAGE = 50
MAX_PER_PAGE = 200


def unique_last(items):
    """``items`` ordered as asked, then by primary key, so that every row has one place in the order.

    Lists, querysets that already end with the primary key, and querysets whose rows are not single
    records (a union is ordered by its selected columns only; ordering grouped values by a key would
    split their groups) are returned as they are."""
    if not isinstance(items, QuerySet) or items.query.combinator or isinstance(items.query.group_by, tuple):
        return items
    ordering = list(items.query.order_by) or (list(items.model._meta.ordering) if items.query.default_ordering else [])
    last = ordering[-1] if ordering else None
    if isinstance(last, str) and last.lstrip("-") in ("pk", items.model._meta.pk.name):
        return items
    return items.order_by(*ordering, "pk")


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, **kwargs):
        try:
            per_page = int(per_page)
        except (TypeError, ValueError):
            per_page = PER_PAGE
        if isinstance(object_list, BoundRows) and isinstance(object_list.data, TableQuerysetData):
            # A table hands over its rows, already sorted by ?sort=: the tie-break goes on their queryset.
            object_list.data.data = unique_last(object_list.data.data)
        else:
            object_list = unique_last(object_list)
        super().__init__(object_list, min(max(per_page, 1), MAX_PER_PAGE), *args, **kwargs)


def paginate_table(request, table, *, per_page: int = PER_PAGE):
    """Sort and page ``table`` from the request (``?sort=``, ``?page=``, ``?per_page=``)."""
    return RequestConfig(request, paginate={"per_page": per_page, "paginator_class": BoundedPaginator}).configure(table)


def page_of(request, items, *, field: str = "page", per_page: int = PER_PAGE) -> Page:
    """The page of ``items`` (a queryset or a list) that ``request.GET[field]`` asks for."""
    page = Paginator(unique_last(items), per_page).get_page(request.GET.get(field))
    page.field = field  # the template's links change only this parameter of the query string
    return page
