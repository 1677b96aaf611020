"""``unique_last``: every paged queryset ends its order with the primary key, unless it cannot or already does."""

from __future__ import annotations

import pytest
from django.db.models import Count

from caseloads.models import Team
from perfsite.pagination import BoundedPaginator, unique_last

pytestmark = pytest.mark.django_db


def order_of(items) -> list:
    return list(items.query.order_by) if items.query.order_by else list(items.model._meta.ordering)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda: Team.objects.order_by("service_area"), ["service_area", "pk"]),
        (lambda: Team.objects.order_by("-service_area", "name"), ["-service_area", "name", "pk"]),
        (lambda: Team.objects.all(), ["name", "pk"]),  # the model's own ordering, then the key
        (lambda: Team.objects.order_by("name", "-pk"), ["name", "-pk"]),  # already unique last
        (lambda: Team.objects.order_by("name", "id"), ["name", "id"]),
        (lambda: Team.objects.order_by("service_area").values("name"), ["service_area", "pk"]),
    ],
)
def test_a_queryset_is_ordered_by_its_key_last(build, expected):
    assert order_of(unique_last(build())) == expected


def test_grouped_values_and_unions_and_lists_are_left_as_they_are():
    grouped = Team.objects.values("service_area").annotate(n=Count("pk")).order_by("service_area")
    assert unique_last(grouped) is grouped
    union = Team.objects.filter(active=True).union(Team.objects.filter(active=False)).order_by("name")
    assert unique_last(union) is union
    rows = [3, 1, 2]
    assert unique_last(rows) is rows


def test_grouped_values_still_count_each_group_once():
    Team.objects.create(name="A", service_area="assessment")
    Team.objects.create(name="B", service_area="assessment")
    grouped = Team.objects.values("service_area").annotate(n=Count("pk")).order_by("service_area")
    assert list(BoundedPaginator(grouped, 10).page(1)) == [{"service_area": "assessment", "n": 2}]
