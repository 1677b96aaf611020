"""The team manager's journey: file, save, submit, read the results; refusals; an officer reopens."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from caseloads.computed import AVERAGE_CODE, OVER_CODE
from caseloads.models import CaseloadLine, CaseloadReturn, Employment, ReturnReopening, ReturnStatus, WorkerRole
from caseloads.months import add_months, first_of_month
from caseloads.services.returns import FigureOverCeiling, save_return
from tests.caseloads.conftest import make_return, make_worker

pytestmark = pytest.mark.django_db


def last_month():
    return add_months(first_of_month(timezone.localdate()), -1)


def url(team, month=None):
    return reverse("caseloads:return", kwargs={"team_id": team.pk, "month": month or last_month()})


@pytest.fixture
def workers(team):
    return [
        make_worker(team, name="Ann Able", wte="1.00"),
        make_worker(
            team, name="Ben Bold", role=WorkerRole.SENIOR_PRACTITIONER, employment=Employment.AGENCY, wte="0.60"
        ),
        make_worker(team, name="Cal Cole", wte="0.40"),
        make_worker(team, name="Dee Dale", role=WorkerRole.TEAM_MANAGER),
    ]


def post(client, team, figures, *, action="save", version=0, month=None, **extra):
    data = {"version": version, "action": action, **extra}
    data.update({f"cases_{worker.pk}": value for worker, value in figures.items()})
    return client.post(url(team, month), data)


def submit_url(team, month=None):
    return reverse("caseloads:submit", kwargs={"team_id": team.pk, "month": month or last_month()})


def submit(client, team, figures, *, version=0, month=None):
    """Check and submit: the return page saves the figures and sends the manager to the check page,
    whose button submits them. Submitting goes through that step since issue 10 part 4."""
    checked = post(client, team, figures, action="submit", version=version, month=month)
    assert checked.status_code == 302 and checked.url == submit_url(team, month), checked
    current = CaseloadReturn.objects.get(team=team, month=month or last_month())
    assert current.status == ReturnStatus.DRAFT  # nothing is submitted before the check page
    assert client.get(submit_url(team, month)).status_code == 200
    return client.post(submit_url(team, month), {"version": current.version})


def test_the_form_is_prefilled_with_active_workers_and_last_months_figures(client, manager, team, workers):
    ann, ben, *_ = workers
    make_worker(team, name="Gone Before", ended_on=add_months(last_month(), -1))
    make_worker(team, name="Starts Later", started_on=add_months(last_month(), 2))
    make_return(team, add_months(last_month(), -1), [(ann, 17), (ben, 22)])
    client.force_login(manager)
    response = client.get(url(team))
    assert response.status_code == 200
    html = response.content.decode()
    for worker in workers:
        assert worker.name in html
    assert "Gone Before" not in html
    assert "Starts Later" not in html
    rows = {row.worker.name: row for row in response.context["rows"]}
    assert rows["Ann Able"].last_month == 17
    # The hint is shown beside the field, not copied into it.
    assert response.context["form"][f"cases_{ann.pk}"].value() is None
    assert not CaseloadReturn.objects.filter(month=last_month()).exists()  # opening the page writes nothing


def test_save_draft_then_submit_shows_the_results(
    client, manager, team, workers, queued_recomputes, django_capture_on_commit_callbacks
):
    ann, ben, cal, dee = workers
    client.force_login(manager)
    response = post(client, team, {ann: 18, ben: 24, cal: ""})
    assert response.status_code == 302
    draft = CaseloadReturn.objects.get()
    assert (draft.status, draft.version, draft.updated_by) == (ReturnStatus.DRAFT, 1, manager)
    assert dict(draft.lines.values_list("worker__name", "cases")) == {
        "Ann Able": 18,
        "Ben Bold": 24,
        "Cal Cole": None,
        "Dee Dale": None,
    }
    page = client.get(url(team))
    assert page.context["form"][f"cases_{ann.pk}"].value() == 18

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, team, {ann: 18, ben: 24, cal: 8, dee: 3}, version=1)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by, draft.version) == (ReturnStatus.SUBMITTED, manager, 3)
    assert queued_recomputes == [((AVERAGE_CODE, OVER_CODE), (draft.month.isoformat(),))]

    results = client.get(url(team))
    assert results.status_code == 200
    assert "caseloads/return_results.html" in [t.name for t in results.templates]
    # Counted: Ann 18/1.0, Ben 24/1.0 (agency), Cal 8/0.4 = 20.0 exactly; Dee (team manager) excluded.
    assert results.context["average"] == Decimal(50) / Decimal("2.4")
    assert results.context["over_count"] == 1
    assert results.context["counted_count"] == 3
    html = results.content.decode()
    assert "20.8 cases per WTE" in html
    assert html.count("govuk-tag--red") == 1  # only Ben is flagged over 20
    assert "Excluded" in html


def test_submit_needs_every_figure(client, manager, team, workers):
    ann, ben, cal, dee = workers
    client.force_login(manager)
    response = post(client, team, {ann: 18, ben: "", cal: 8, dee: 0}, action="submit")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"cases_{ben.pk}": ["Enter the cases held by Ben Bold, or 0 if they hold none"]
    }
    assert "Error: " in response.content.decode().split("</title>")[0]
    assert CaseloadReturn.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "must be 0 or more"), ("twelve", "as a whole number"), ("2.5", "as a whole number")],
)
def test_bad_figures_name_the_worker(client, manager, team, workers, value, message):
    client.force_login(manager)
    response = post(client, team, {workers[0]: value})
    errors = response.context["form"].errors[f"cases_{workers[0].pk}"]
    assert "Ann Able" in errors[0]
    assert message in errors[0]
    assert f'href="#id_cases_{workers[0].pk}"' in response.content.decode()


def test_implausible_figures_need_explicit_confirmation(client, manager, team, workers):
    ann, ben, cal, dee = workers
    make_return(team, add_months(last_month(), -1), [(ann, 20), (ben, 20)])
    client.force_login(manager)
    figures = {ann: 61, ben: 9, cal: 8, dee: 1}  # 61 is over 60; 9 is down by more than half from 20
    response = post(client, team, figures)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "61 cases is more than 60" in errors[f"cases_{ann.pk}"][0]
    assert "down from 20 last month" in errors[f"cases_{ben.pk}"][0]
    assert not CaseloadReturn.objects.filter(month=last_month()).exists()
    html = response.content.decode()
    assert f'name="confirm_{ann.pk}"' in html

    # Confirming one is not enough; and a confirmation is for the figure it was given for.
    response = post(client, team, figures, **{f"confirm_{ann.pk}": "61", f"confirm_{ben.pk}": "8"})
    assert list(response.context["form"].errors) == [f"cases_{ben.pk}"]
    assert not CaseloadReturn.objects.filter(month=last_month()).exists()

    response = post(client, team, figures, **{f"confirm_{ann.pk}": "61", f"confirm_{ben.pk}": "9"})
    assert response.status_code == 302
    lines = dict(
        CaseloadLine.objects.filter(caseload_return__month=last_month()).values_list(
            "worker__name", "confirmed_implausible"
        )
    )
    assert lines == {"Ann Able": True, "Ben Bold": True, "Cal Cole": False, "Dee Dale": False}
    # Once confirmed, saving the same figure again needs no new confirmation.
    response = post(client, team, {**figures, cal: 9}, version=1)
    assert response.status_code == 302


def test_no_edit_after_submit(client, manager, team, workers):
    ann, *_ = workers
    submitted = make_return(team, last_month(), [(w, 10) for w in workers], user=manager)
    client.force_login(manager)
    page = client.get(url(team))
    assert 'name="cases_' not in page.content.decode()
    response = post(client, team, {ann: 30}, version=submitted.version)
    assert response.status_code == 409
    assert "cannot be changed" in response.content.decode()
    assert CaseloadLine.objects.get(worker=ann).cases == 10


def test_another_teams_return_is_404_for_every_page_and_method(client, manager, other_team):
    worker = make_worker(other_team, name="Not Yours")
    make_return(other_team, last_month(), [(worker, 5)])
    client.force_login(manager)
    month = last_month()
    urls = [
        reverse("caseloads:team", kwargs={"team_id": other_team.pk}),
        reverse("caseloads:return", kwargs={"team_id": other_team.pk, "month": month}),
        reverse("caseloads:return", kwargs={"team_id": other_team.pk, "month": add_months(month, -3)}),
        reverse("caseloads:worker_add", kwargs={"team_id": other_team.pk}),
        reverse("caseloads:worker_edit", kwargs={"worker_id": worker.pk}),
        reverse("caseloads:worker_move", kwargs={"worker_id": worker.pk}),
        reverse("caseloads:worker_end", kwargs={"worker_id": worker.pk}),
    ]
    for address in urls:
        assert client.get(address).status_code == 404, address
        assert client.post(address, {"version": 1, f"cases_{worker.pk}": 1}).status_code == 404, address
    assert CaseloadLine.objects.get(worker=worker).cases == 5
    # A team that does not exist looks the same as a team that is not yours.
    assert client.get(reverse("caseloads:team", kwargs={"team_id": 999999})).status_code == 404
    # Reopening is for officers: a manager is refused outright (403), whoever's team it is.
    reopen = reverse("caseloads:reopen", kwargs={"team_id": other_team.pk, "month": month})
    assert client.get(reopen).status_code == 403


def test_future_and_malformed_months_are_404(client, manager, team):
    client.force_login(manager)
    future = add_months(first_of_month(timezone.localdate()), 1)
    assert client.get(url(team, future)).status_code == 404
    assert client.get(f"/caseloads/teams/{team.pk}/returns/2017-13/").status_code == 404


def test_an_officer_reopens_with_a_reason_and_the_manager_corrects(client, manager, officer, team, workers):
    ann, *_ = workers
    submitted = make_return(team, last_month(), [(w, 10) for w in workers], user=manager)
    reopen = reverse("caseloads:reopen", kwargs={"team_id": team.pk, "month": last_month()})
    client.force_login(officer)
    assert "Reopen this return" in client.get(url(team)).content.decode()
    response = client.post(reopen, {"version": submitted.version, "reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Enter the reason for reopening the return"]}
    response = client.post(reopen, {"version": submitted.version, "reason": "Ann's figure was Ben's"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.submitted_at, submitted.version) == (ReturnStatus.DRAFT, None, 2)
    assert ReturnReopening.objects.get().reason == "Ann's figure was Ben's"
    assert submitted.history.first().history_change_reason == "Reopened: Ann's figure was Ben's"

    client.force_login(manager)
    page = client.get(url(team))
    assert "Ann&#x27;s figure was Ben&#x27;s" in page.content.decode()
    response = submit(client, team, dict.fromkeys(workers, 10) | {ann: 12}, version=2)
    assert response.status_code == 302
    assert CaseloadLine.objects.get(worker=ann).cases == 12
    assert CaseloadReturn.objects.get().status == ReturnStatus.SUBMITTED


def test_reopening_a_draft_is_refused(client, officer, team, workers):
    make_return(team, last_month(), [(w, 10) for w in workers], submitted=False)
    client.force_login(officer)
    reopen = reverse("caseloads:reopen", kwargs={"team_id": team.pk, "month": last_month()})
    response = client.post(reopen, {"version": 1, "reason": "why not"})
    assert response.status_code == 302
    assert ReturnReopening.objects.count() == 0


def test_a_reopened_return_keeps_its_workers(client, manager, officer, team, workers, other_team):
    """Workers who moved team after the first submission stay on the return being corrected."""
    ann, *_ = workers
    returned = make_return(team, last_month(), [(w, 10) for w in workers], user=manager)
    ann.team = other_team
    ann.save()
    client.force_login(officer)
    reopen = reverse("caseloads:reopen", kwargs={"team_id": team.pk, "month": last_month()})
    client.post(reopen, {"version": returned.version, "reason": "typo"})
    client.force_login(manager)
    page = client.get(url(team))
    assert "Ann Able" in page.content.decode()


def test_a_worker_who_left_drops_off_a_draft_at_its_next_save(client, manager, team, workers):
    ann, ben, cal, dee = workers
    client.force_login(manager)
    post(client, team, {ann: 1, ben: 2, cal: 3, dee: 4})
    dee.ended_on = last_month()  # last day of in post before the month's end
    dee.save()
    response = post(client, team, {ann: 1, ben: 2, cal: 3}, version=1)
    assert response.status_code == 302
    assert sorted(CaseloadLine.objects.values_list("worker__name", flat=True)) == ["Ann Able", "Ben Bold", "Cal Cole"]


def test_history_is_shown_on_the_return(client, manager, team, workers):
    client.force_login(manager)
    post(client, team, {workers[0]: 5})
    post(client, team, {workers[0]: 6}, version=1)
    page = client.get(url(team))
    assert page.context["events"][0].version == 2
    assert [c.cases for c in page.context["line_changes"] if c.worker_id == workers[0].pk] == [6, 5]


def test_an_old_month_can_be_filed(client, manager, team, workers):
    client.force_login(manager)
    old = datetime.date(2016, 2, 1)
    response = submit(client, team, dict.fromkeys(workers, 4), month=old)
    assert response.status_code == 302
    assert CaseloadReturn.objects.get().month == old


def test_the_optional_split_by_case_type(client, manager, team, workers):
    ann, ben, cal, dee = workers
    client.force_login(manager)
    figures = {ann: 10, ben: 4, cal: "", dee: 0}
    split = {f"split_{ann.pk}_cases_child_protection": 6, f"split_{ann.pk}_cases_looked_after": 3}
    response = post(client, team, figures, **split, **{f"split_{ben.pk}_cases_child_in_need": 5})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"split_{ben.pk}_cases_early_help"] == [
        "Ben Bold's cases by case type add up to 5, more than their 4 cases"
    ]
    response = post(client, team, figures, **{f"split_{cal.pk}_cases_care_leaver": 2})
    assert response.context["form"].errors[f"cases_{cal.pk}"] == [
        "Enter the total cases held by Cal Cole as well as the split"
    ]
    assert post(client, team, figures, **split).status_code == 302
    line = CaseloadLine.objects.get(worker=ann)
    assert (line.cases, line.cases_child_protection, line.cases_looked_after, line.cases_early_help) == (10, 6, 3, None)
    page = client.get(url(team))
    assert page.context["form"][f"split_{ann.pk}_cases_child_protection"].value() == 6
    # Lowering the total below the split, with no split posted (e.g. a script), drops the split.
    from caseloads.services.returns import save_return

    save_return(team=team, month=last_month(), expected_version=1, figures={ann.pk: 5}, user=manager)
    line.refresh_from_db()
    assert (line.cases, line.cases_child_protection) == (5, None)


def test_the_results_show_the_split(client, manager, team, workers):
    ann, *_ = workers
    make_return(team, last_month(), [(w, 10) for w in workers], user=manager)
    CaseloadLine.objects.filter(worker=ann).update(cases_child_protection=7)
    client.force_login(manager)
    assert "Child protection 7" in client.get(url(team)).content.decode()


def test_enter_in_a_field_saves_a_draft_never_submits(client, manager, team, workers):
    client.force_login(manager)
    html = client.get(url(team)).content.decode()
    form = html[html.index('<form method="post" novalidate>') :]
    first = re.search(r'<button[^>]*name="action" value="(\w+)"', form[: form.index("</form>")])
    assert first.group(1) == "save"


def test_every_problem_is_shown_at_once(client, manager, team, workers):
    """An implausible figure is flagged beside other errors, not only once they are corrected."""
    ann, ben, cal, dee = workers
    client.force_login(manager)
    response = post(client, team, {ann: 61, ben: "twelve", cal: "", dee: 1}, action="submit")
    errors = response.context["form"].errors
    assert "61 cases is more than 60" in errors[f"cases_{ann.pk}"][0]
    assert "as a whole number" in errors[f"cases_{ben.pk}"][0]
    assert "Enter the cases held by Cal Cole" in errors[f"cases_{cal.pk}"][0]
    assert f'name="confirm_{ann.pk}"' in response.content.decode()
    assert not CaseloadReturn.objects.exists()


def test_a_figure_over_the_ceiling_cannot_be_confirmed(client, manager, team, workers, settings):
    settings.PERFSITE_CASELOAD_MAX_CASES = 90
    ann, ben, cal, dee = workers
    client.force_login(manager)
    figures = {ann: 91, ben: 1, cal: 1, dee: 1}
    response = post(client, team, figures, **{f"confirm_{ann.pk}": "91"})
    assert response.status_code == 200
    assert "must be 90 or fewer" in response.context["form"].errors[f"cases_{ann.pk}"][0]
    assert not CaseloadReturn.objects.exists()
    with pytest.raises(FigureOverCeiling):
        save_return(
            team=team, month=last_month(), expected_version=0, figures={ann.pk: 91}, confirmed={ann.pk}, user=manager
        )
    assert post(client, team, {**figures, ann: 90}, **{f"confirm_{ann.pk}": "90"}).status_code == 302


def test_the_check_page_says_what_submitting_does_and_who_will_see_it(client, manager, team, workers):
    client.force_login(manager)
    response = post(client, team, dict.fromkeys(workers, 5), action="submit")
    assert response.url == submit_url(team)
    page = client.get(submit_url(team)).content.decode()
    assert "you can no longer change it" in page and "scrutiny members" in page and "never a worker" in page
    assert CaseloadReturn.objects.get().status == ReturnStatus.DRAFT


def test_submitting_twice_or_from_a_stale_page_changes_nothing(client, manager, team, workers):
    client.force_login(manager)
    post(client, team, dict.fromkeys(workers, 5), action="submit")
    draft = CaseloadReturn.objects.get()
    stale = client.post(submit_url(team), {"version": draft.version - 1})
    assert stale.status_code == 409
    assert CaseloadReturn.objects.get().status == ReturnStatus.DRAFT
    assert client.post(submit_url(team), {"version": draft.version}).status_code == 302
    submitted = CaseloadReturn.objects.get()
    again = client.post(submit_url(team), {"version": draft.version})
    assert again.status_code == 409
    assert CaseloadReturn.objects.get().version == submitted.version


def test_an_incomplete_draft_cannot_be_submitted_from_the_check_page(client, manager, team, workers):
    client.force_login(manager)
    post(client, team, {workers[0]: 5})
    assert client.get(submit_url(team)).url == url(team)
    response = client.post(submit_url(team), {"version": 1})
    assert response.url == url(team)
    assert CaseloadReturn.objects.get().status == ReturnStatus.DRAFT


def test_the_check_page_is_refused_outside_the_managers_teams(client, manager, member, other_team):
    make_worker(other_team, name="Zed Zeta")
    client.force_login(manager)
    assert client.get(submit_url(other_team)).status_code == 404
    assert client.post(submit_url(other_team), {"version": 0}).status_code == 404
    client.force_login(member)
    assert client.post(submit_url(other_team), {"version": 0}).status_code == 403


def test_a_month_without_a_return_reads_no_return_not_none(client, manager, team, workers):
    """Issue 10 part 3: with no return for the month before, the guide column said "None"."""
    client.force_login(manager)
    html = client.get(url(team)).content.decode()
    cells = re.findall(
        r'<td class="govuk-table__cell govuk-table__cell--numeric" id="id_cases_\d+-hint"[^>]*>(.*?)</td>', html
    )
    assert len(cells) == len(workers)
    assert all("No return" in cell and "None" not in cell for cell in cells)
