"""Paged tables whose page size a query string cannot break.

django-tables2 reads ``?per_page=`` from the request and hands it to the paginator as given:
``-1`` made every page "empty" (a 500), and a huge number would render every row at once. Every
paged list goes through ``BoundedPaginator``: a page size outside 1 to ``MAX_PER_PAGE`` falls back
to the nearest bound.
"""

from __future__ import annotations

from django.core.paginator import Paginator
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
