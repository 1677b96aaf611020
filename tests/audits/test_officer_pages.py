"""Officer pages: drawing rounds, the round page, sending for moderation, the results page."""

import datetime

import pytest
from django.urls import reverse

from audits.choices import AuditStatus, Grade, RoundKind
from audits.models import AuditRound, Moderation
from indicators.quarters import Quarter


@pytest.fixture
def cases(build, auditor, second_auditor):
    north, south = build.team("North"), build.team("South")
    for _ in range(30):
        build.case(north)
    for _ in range(5):
        build.case(south)
    return north, south


def random_form(**changes):
    data = {"quarter": "2016-17-q4", "rate": "5", "seed": "42", "auditors": []}
    data.update(changes)
    return data


def test_an_officer_draws_and_allocates_a_random_round(client, officer, cases, auditor, second_auditor):
    client.force_login(officer)
    page = client.get(reverse("audits:round_random_new"))
    assert page.status_code == 200 and "Draw and allocate" in page.text
    response = client.post(reverse("audits:round_random_new"), random_form(auditors=[auditor.pk, second_auditor.pk]))
    round_ = AuditRound.objects.get()
    assert response.status_code == 302 and response.url == reverse("audits:round_detail", args=[round_.pk])
    assert round_.seed == 42 and round_.created_by == officer
    counts = sorted(round_.audits.filter(auditor=a).count() for a in (auditor, second_auditor))
    assert counts == [1, 2]
    detail = client.get(response.url)
    assert detail.status_code == 200 and "Send for moderation" in detail.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quarter": "2016-q4"}, "quarter", "Select a quarter from the list"),
        ({"rate": "0"}, "rate", "Rate must be more than 0"),
        ({"rate": "abc"}, "rate", "Rate must be a number"),
        ({"seed": "-1"}, "seed", "Seed must be 0 or more"),
        (
            {"sampling_date_day": "1", "sampling_date_month": "6", "sampling_date_year": "2017"},
            "sampling_date",
            "Sampling date must be in Quarter 4 2016/17",
        ),
        ({"auditors": []}, "auditors", "Select at least one auditor"),
    ],
)
def test_the_random_round_form_names_each_bad_field(client, officer, cases, changes, field, message):
    client.force_login(officer)
    response = client.post(reverse("audits:round_random_new"), random_form(**changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not AuditRound.objects.exists()


def test_the_round_form_offers_quarters_from_the_data_and_refuses_a_future_sampling_date(client, officer, cases):
    """The case list ends in 2016 while the clock runs on: the form offers the data's quarter first,
    lists quarters to choose from, never a quarter not yet started, and refuses a future date."""
    client.force_login(officer)
    form = client.get(reverse("audits:round_random_new")).context["form"]
    assert form["quarter"].value() == "2016-17-q1"  # the quarter of the latest case activity
    today = datetime.date.today()
    slugs = [slug for slug, _label in form.fields["quarter"].choices]
    assert "2016-17-q4" in slugs and all(Quarter.parse(slug).start <= today for slug in slugs)
    assert 'type="text" name="quarter"' not in client.get(reverse("audits:round_random_new")).text
    tomorrow = today + datetime.timedelta(days=1)
    future = {
        "quarter": Quarter.containing(tomorrow).slug,
        "sampling_date_day": tomorrow.day,
        "sampling_date_month": tomorrow.month,
        "sampling_date_year": tomorrow.year,
    }
    response = client.post(reverse("audits:round_random_new"), random_form(**future))
    assert "today or earlier" in response.context["form"].errors["sampling_date"][0]
    assert not AuditRound.objects.exists()


def test_the_page_lists_cases_without_an_independent_auditor(client, officer, cases, auditor):
    north, _south = cases
    north.managers.add(auditor)
    client.force_login(officer)
    response = client.post(reverse("audits:round_random_new"), random_form(auditors=[auditor.pk]))
    assert response.status_code == 200
    assert "no independent auditor" in response.text
    assert "(North): Auditor manages North" in response.text
    assert not AuditRound.objects.exists()


def test_a_thematic_round_from_the_page(client, officer, cases, auditor):
    client.force_login(officer)
    data = {"quarter": "2016-17-q4", "title": "Neglect", "case_types": ["cin"], "auditors": [auditor.pk]}
    response = client.post(reverse("audits:round_thematic_new"), data)
    assert response.status_code == 302
    assert AuditRound.objects.get().audits.count() == 35
    again = client.post(reverse("audits:round_thematic_new"), {**data, "case_types": []})
    assert "Choose the cases" in again.context["form"].errors["case_types"][0]


def test_sending_a_sample_for_moderation_from_the_round_page(client, officer, build, auditor, moderator):
    round_ = build.round()
    for _ in range(12):
        build.completed(Grade.GOOD, auditor=auditor, round=round_)
    client.force_login(officer)
    url = reverse("audits:round_send_for_moderation", args=[round_.pk])
    response = client.post(url, {"rate": "10", "moderators": [moderator.pk]}, follow=True)
    assert "2 audits sent for moderation" in response.text
    assert Moderation.objects.filter(moderator=moderator).count() == 2
    chosen = round_.audits.exclude(moderation__isnull=False).first()
    response = client.post(url, {"case_refs": chosen.case.case_ref.lower(), "moderators": [moderator.pk]}, follow=True)
    assert "1 audit sent" in response.text
    response = client.post(url, {"case_refs": "C-NOTHERE", "moderators": [moderator.pk]}, follow=True)
    assert "Not in this round: C-NOTHERE" in response.text


def test_the_moderator_records_a_grade_through_the_page(client, moderator, build, auditor):
    audit = build.completed(Grade.GOOD, auditor=auditor)
    moderation = Moderation.objects.create(audit=audit, moderator=moderator)
    client.force_login(moderator)
    url = reverse("audits:moderation_record", args=[moderation.pk])
    bad = client.post(url, {})
    assert bad.context["form"].errors == {
        "grade": ["Select the moderated grade"],
        "rationale": ["Enter the rationale for the moderated grade"],
    }
    ok = client.post(url, {"grade": "3", "rationale": "No evidence the child was seen"})
    assert ok.status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.MODERATED and audit.agreed_grade == Grade.REQUIRES_IMPROVEMENT
    again = client.post(url, {"grade": "1", "rationale": "again"})
    assert again.status_code == 302
    moderation.refresh_from_db()
    assert moderation.grade == Grade.REQUIRES_IMPROVEMENT


def test_the_results_page_shows_the_figures_the_chart_and_the_table(client, officer, build, moderator):
    north = build.team("North")
    # The headline is the random sample's (issue 9): these audits are of the quarters' random rounds.
    sample = build.round(kind=RoundKind.RANDOM, title="Random sample")
    for grade, n in ((Grade.GOOD, 8), (Grade.REQUIRES_IMPROVEMENT, 12)):
        for _ in range(n):
            build.completed(grade, team=north, round=sample)
    earlier = build.round("2016-17-q3", kind=RoundKind.RANDOM, title="Random sample")
    build.completed(Grade.GOOD, team=north, completed_on=datetime.date(2016, 12, 1), round=earlier)
    neglect = build.round(kind=RoundKind.THEMATIC, title="Neglect")
    build.completed(Grade.INADEQUATE, team=north, round=neglect)
    client.force_login(officer)
    response = client.get(reverse("audits:results") + "?quarter=2016-17-q4")
    text = response.text
    assert response.status_code == 200
    assert "40.0%" in text and "21.9% to 61.3%" in text
    assert "65.0%" in text and "Not met" in text
    assert "Ofsted March 2016" in text
    assert 'role="img"' in text and "Data for: Agreed grades" in text
    assert "is not proof of change" in text
    assert "Previous quarter (2016-17-q3)" in text and "100.0% of 1" in text
    assert "style=" not in text
    # The thematic round is reported on its own, as not representative, and not in the 40.0% above.
    assert "Thematic rounds" in text and "Not representative" in text and "Neglect" in text
    assert "1 audit completed: 0 outstanding, 0 good, 0 requiring improvement, 1 inadequate" in text


def test_the_officer_returns_and_closes_audits_from_the_audit_page(client, officer, build, auditor):
    audit = build.completed(Grade.GOOD, auditor=auditor)
    client.force_login(officer)
    page = client.get(reverse("audits:audit_detail", args=[audit.pk])).text
    assert "Return to auditor" in page and "Close audit" in page
    bad = client.post(reverse("audits:audit_return", args=[audit.pk]), {"reason": ""})
    assert bad.context["form"].errors["reason"] == ["Enter why the audit is being returned to its auditor"]
    client.post(reverse("audits:audit_return", args=[audit.pk]), {"reason": "Missing evidence"})
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS
    other = build.completed(Grade.GOOD, auditor=auditor)
    client.post(reverse("audits:audit_close", args=[other.pk]))
    other.refresh_from_db()
    assert other.status == AuditStatus.CLOSED
