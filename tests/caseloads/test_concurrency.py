"""Two people edit the same return: the second save is refused, names who and when, and the first is intact."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseloads.models import CaseloadLine, CaseloadReturn
from caseloads.months import add_months, first_of_month
from caseloads.services.returns import StaleReturn, save_return
from perfsite.roles import Role
from tests.caseloads.conftest import make_worker
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def last_month():
    return add_months(first_of_month(timezone.localdate()), -1)


@pytest.fixture
def deputy(team):
    user = make_user("deputy", Role.TEAM_MANAGER, last_name="Deputy")
    team.managers.add(user)
    return user


def test_the_second_of_two_concurrent_edits_is_refused(manager, deputy, team):
    ann = make_worker(team, name="Ann Able")
    ben = make_worker(team, name="Ben Bold")
    url = reverse("caseloads:return", kwargs={"team_id": team.pk, "month": last_month()})
    first, second = Client(), Client()
    first.force_login(manager)
    second.force_login(deputy)
    save_return(team=team, month=last_month(), expected_version=0, figures={ann.pk: 5}, user=manager)

    # Both open version 1 of the return.
    assert first.get(url).context["form"]["version"].value() == 1
    assert second.get(url).context["form"]["version"].value() == 1

    saved = first.post(url, {"version": 1, "action": "save", f"cases_{ann.pk}": 11, f"cases_{ben.pk}": 12})
    assert saved.status_code == 302

    refused = second.post(url, {"version": 1, "action": "save", f"cases_{ann.pk}": 99, f"cases_{ben.pk}": 98})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert f"{manager.get_full_name() or manager.username} changed this return on" in html
    assert timezone.localtime(CaseloadReturn.objects.get().updated_at).strftime("%H:%M") in html
    assert 'id="reload-link"' in html and f'href="{url}"' in html
    # What the second person typed is still in their form, so they can re-enter it after reloading.
    assert refused.context["form"][f"cases_{ann.pk}"].value() == "99"

    # The first person's figures are intact and the version moved on once.
    assert dict(CaseloadLine.objects.values_list("worker__name", "cases")) == {"Ann Able": 11, "Ben Bold": 12}
    assert CaseloadReturn.objects.get().version == 2

    # After reloading, the second person saves on top of the current version.
    assert second.get(url).context["form"]["version"].value() == 2
    again = second.post(url, {"version": 2, "action": "save", f"cases_{ann.pk}": 13, f"cases_{ben.pk}": 12})
    assert again.status_code == 302
    assert CaseloadLine.objects.get(worker=ann).cases == 13


def test_two_people_starting_the_same_return(manager, deputy, team):
    ann = make_worker(team, name="Ann Able")
    save_return(team=team, month=last_month(), expected_version=0, figures={ann.pk: 5}, user=manager)
    with pytest.raises(StaleReturn) as excinfo:
        save_return(team=team, month=last_month(), expected_version=0, figures={ann.pk: 7}, user=deputy)
    assert excinfo.value.changed_by == manager
    assert CaseloadLine.objects.get().cases == 5


def test_a_submit_on_a_stale_page_is_refused_too(manager, deputy, team):
    ann = make_worker(team, name="Ann Able")
    save_return(team=team, month=last_month(), expected_version=0, figures={ann.pk: 5}, user=manager)
    save_return(team=team, month=last_month(), expected_version=1, figures={ann.pk: 6}, user=manager)
    with pytest.raises(StaleReturn, match="changed this return"):
        save_return(team=team, month=last_month(), expected_version=1, figures={ann.pk: 9}, user=deputy, submit=True)
    assert CaseloadReturn.objects.get().status == "draft"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_in_two_transactions_one_wins(manager, deputy, team):
    """Two real transactions racing on the row lock: exactly one save lands, the other is refused."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections (PostgreSQL)")
    ann = make_worker(team, name="Ann Able")
    save_return(team=team, month=last_month(), expected_version=0, figures={ann.pk: 5}, user=manager)
    barrier = threading.Barrier(2)
    outcomes = {}

    def attempt(user, cases):
        try:
            barrier.wait()
            save_return(team=team, month=last_month(), expected_version=1, figures={ann.pk: cases}, user=user)
            outcomes[user.username] = "saved"
        except StaleReturn:
            outcomes[user.username] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=args) for args in ((manager, 11), (deputy, 22))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    assert CaseloadLine.objects.get().cases == (11 if winner == "manager" else 22)
    assert CaseloadReturn.objects.get().version == 2
