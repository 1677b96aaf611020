"""A transactional test's flush empties every table; the rows the data migrations made (roles,
themes) are put back after it, so a test that runs next, in any order xdist chooses, still has them."""

import pytest
from django.contrib.auth.models import Group

from indicators.models import Theme
from perfsite.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_transactional_test_whose_flush_empties_the_tables():
    assert Theme.objects.count() == 6


def test_the_next_one_still_has_the_migrations_rows():
    assert Theme.objects.count() == 6
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}
