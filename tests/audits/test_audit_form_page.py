"""The audit form at /audits/<pk>/edit/: every validation rule, draft, submit, double submit, read-only."""

import re

import pytest
from django.urls import reverse

from audits.choices import AuditStatus, Grade, Theme
from perfsite.roles import Role


def form_data(action="submit", **changes):
    data = {f"{theme.value}_grade": "2" for theme in Theme}
    data |= {f"{theme.value}_evidence": f"{theme.label} evidence" for theme in Theme}
    data |= {"overall_grade": "2", "strengths": "Child seen alone", "areas_for_development": "", "grade_reason": ""}
    data |= changes
    data["action"] = action
    return data


@pytest.fixture
def audit(build, auditor):
    return build.audit(build.case(build.team("North"), ref="C-000123"), auditor=auditor)


@pytest.fixture
def client_auditor(client, auditor):
    client.force_login(auditor)
    return client


def edit_url(audit):
    return reverse("audits:audit_edit", args=[audit.pk])


def submit_url(audit):
    return reverse("audits:audit_submit", args=[audit.pk])


def submit(client, audit, data):
    """Check your answers, then submit (the flow since issue 10 part 4): the form only saves and
    leads to the check page; its button submits."""
    checked = client.post(edit_url(audit), data)
    assert checked.status_code == 302 and checked.url == submit_url(audit)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS  # saved, not submitted
    assert client.get(submit_url(audit)).status_code == 200
    return client.post(submit_url(audit))


def test_the_form_shows_the_case_summary_and_the_four_themes(client_auditor, audit):
    response = client_auditor.get(edit_url(audit))
    assert response.status_code == 200
    text = response.text
    assert "C-000123" in text and "North" in text
    for label in ("Safeguarding", "The Voice of the Child", "Achieving Aspiration", "Social Work Practice"):
        assert label in text
    for grade in ("1 Outstanding", "2 Good", "3 Requires improvement", "4 Inadequate"):
        assert grade in text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"safeguarding_grade": ""}, "safeguarding_grade", "Select a grade for Safeguarding"),
        ({"voice_of_the_child_grade": ""}, "voice_of_the_child_grade", "Select a grade for The Voice of the Child"),
        ({"achieving_aspiration_grade": ""}, "achieving_aspiration_grade", "Select a grade for Achieving Aspiration"),
        ({"social_work_practice_grade": ""}, "social_work_practice_grade", "Select a grade for Social Work Practice"),
        ({"safeguarding_evidence": ""}, "safeguarding_evidence", "Enter the evidence for Safeguarding"),
        ({"overall_grade": ""}, "overall_grade", "Select the overall grade"),
        (
            {"strengths": "", "areas_for_development": ""},
            "strengths",
            "Enter at least one strength or area for development",
        ),
        (
            {"overall_grade": "2", "social_work_practice_grade": "4"},
            "grade_reason",
            "Explain why the overall grade is Good when Social Work Practice is graded Inadequate",
        ),
        ({"overall_grade": "7"}, "overall_grade", "Select a valid choice"),
    ],
)
def test_each_rule_is_shown_against_its_field_and_nothing_is_saved(client_auditor, audit, changes, field, message):
    response = client_auditor.post(edit_url(audit), form_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    assert "There is a problem" in response.text
    assert "<title>Error: " in response.text
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ALLOCATED and audit.overall_grade is None


def test_a_reason_lets_good_stand_with_an_inadequate_theme(client_auditor, audit):
    data = form_data(overall_grade="2", safeguarding_grade="4", grade_reason="Risk was managed despite the recording")
    response = submit(client_auditor, audit, data)
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED and audit.grade_reason


def test_areas_for_development_alone_is_enough(client_auditor, audit):
    response = client_auditor.post(edit_url(audit), form_data(strengths="", areas_for_development="Chronology"))
    assert response.status_code == 302


def test_save_draft_keeps_partial_work_without_the_submission_rules(client_auditor, audit):
    response = client_auditor.post(
        edit_url(audit), form_data("save", overall_grade="", safeguarding_grade="3", strengths="")
    )
    assert response.status_code == 302 and response.url == edit_url(audit)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS and audit.overall_grade is None
    assert audit.theme_grades.get(theme="safeguarding").grade == Grade.REQUIRES_IMPROVEMENT
    page = client_auditor.get(edit_url(audit)).text
    assert 'value="3" checked' in page


def test_submit_then_double_submit_changes_nothing_more(client_auditor, audit):
    first = submit(client_auditor, audit, form_data())
    assert first.status_code == 302 and first.url == reverse("audits:audit_detail", args=[audit.pk])
    audit.refresh_from_db()
    snapshot = (audit.status, audit.submitted_at, audit.overall_grade, audit.history.count())
    second = client_auditor.post(edit_url(audit), form_data(overall_grade="4"))
    assert second.status_code == 302
    again = client_auditor.post(submit_url(audit))
    assert again.status_code == 302 and again.url == reverse("audits:audit_detail", args=[audit.pk])
    audit.refresh_from_db()
    assert (audit.status, audit.submitted_at, audit.overall_grade, audit.history.count()) == snapshot


def test_a_submitted_audit_is_read_only_to_its_auditor(client_auditor, audit):
    submit(client_auditor, audit, form_data())
    response = client_auditor.post(
        edit_url(audit), form_data("save", overall_grade="4", strengths="Changed"), follow=True
    )
    assert "can no longer be changed" in response.text
    audit.refresh_from_db()
    assert audit.overall_grade == Grade.GOOD and audit.strengths == "Child seen alone"
    detail = client_auditor.get(reverse("audits:audit_detail", args=[audit.pk])).text
    assert "Continue the audit" not in detail and '<form method="post" novalidate>' not in detail
    add = client_auditor.get(reverse("audits:action_add", args=[audit.pk]))
    assert add.status_code == 403


@pytest.mark.parametrize("url", [edit_url, submit_url])
@pytest.mark.parametrize(("method", "told"), [("get", False), ("post", True)])
def test_a_submitted_audit_s_form_and_check_page_lead_to_its_page(client_auditor, audit, url, method, told):
    """Both pages answer a submitted audit alike; only a resent form is told why nothing changed."""
    submit(client_auditor, audit, form_data())
    response = getattr(client_auditor, method)(url(audit))
    assert response.status_code == 302 and response.url == reverse("audits:audit_detail", args=[audit.pk])
    page = client_auditor.get(response.url).text
    assert ("This audit has been submitted and can no longer be changed." in page) is told


def test_history_on_the_audit_page_shows_who_and_when(client_auditor, audit, auditor):
    client_auditor.post(edit_url(audit), form_data("save", overall_grade="3"))
    submit(client_auditor, audit, form_data())
    page = client_auditor.get(reverse("audits:audit_detail", args=[audit.pk])).text
    assert "History of grades and status" in page
    assert "Overall grade" in page and "Requires improvement" in page
    assert page.count(auditor.get_full_name() or auditor.username) >= 2
    history = [(h.overall_grade, h.history_user_id) for h in audit.history.order_by("history_id")]
    assert (Grade.REQUIRES_IMPROVEMENT, auditor.pk) in history and (Grade.GOOD, auditor.pk) in history


def test_actions_are_added_with_owner_and_due_date(client_auditor, audit, build):
    owner = build.user("owner")
    audit.team.managers.add(owner)
    url = reverse("audits:action_add", args=[audit.pk])
    bad = client_auditor.post(
        url, {"description": "", "owner": "", "due_on_day": "31", "due_on_month": "2", "due_on_year": "2030"}
    )
    errors = bad.context["form"].errors
    assert errors["description"] == ["Enter what needs to happen"]
    assert errors["owner"] == ["Select the owner of the action"]
    assert errors["due_on"] == ["Due date must be a real date"]
    past = client_auditor.post(
        url, {"description": "x", "owner": owner.pk, "due_on_day": "1", "due_on_month": "1", "due_on_year": "2017"}
    )
    assert past.context["form"].errors["due_on"] == ["Due date must be today or in the future"]
    outsider = build.user("someone")
    wrong = client_auditor.post(
        url, {"description": "x", "owner": outsider.pk, "due_on_day": "1", "due_on_month": "1", "due_on_year": "2040"}
    )
    assert wrong.context["form"].errors["owner"] == ["Select the owner of the action"]
    ok = client_auditor.post(
        url,
        {
            "description": "Update the plan",
            "owner": owner.pk,
            "due_on_day": "1",
            "due_on_month": "1",
            "due_on_year": "2040",
        },
    )
    assert ok.status_code == 302
    action = audit.actions.get()
    assert (action.owner, action.due_on.year) == (owner, 2040)
    client_auditor.post(reverse("audits:action_remove", args=[audit.pk, action.pk]))
    assert not audit.actions.exists()


def test_findings_are_bounded_with_a_character_count_and_nothing_saved_beyond(client_auditor, audit):
    from perfsite.text_limits import AUDIT_FINDING_MAX

    page = client_auditor.get(edit_url(audit)).text
    assert page.count(f'data-module="govuk-character-count" data-maxlength="{AUDIT_FINDING_MAX}"') == 7
    assert 'id="id_strengths-info"' in page and " maxlength=" not in page

    too_long = "x" * (AUDIT_FINDING_MAX + 1)
    response = client_auditor.post(
        edit_url(audit), form_data("save", strengths=too_long, safeguarding_evidence=too_long)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["strengths"] == ["Strengths must be 5,000 characters or fewer"]
    assert errors["safeguarding_evidence"] == ["Safeguarding: evidence must be 5,000 characters or fewer"]
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ALLOCATED and audit.strengths == "" and audit.history.count() == 1

    exactly = "x" * AUDIT_FINDING_MAX
    assert client_auditor.post(edit_url(audit), form_data(strengths=exactly)).status_code == 302
    audit.refresh_from_db()
    assert len(audit.strengths) == AUDIT_FINDING_MAX


def _first_button_value(html: str) -> str:
    """The button Enter presses: the first submit button of the audit form, in DOM order."""
    form = html[html.index('<form method="post" novalidate>') :]
    form = form[: form.index("</form>")]
    match = re.search(r'<button[^>]*name="action" value="(\w+)"', form)
    return match.group(1)


def test_enter_in_a_field_saves_a_draft_never_submits(client_auditor, audit):
    assert _first_button_value(client_auditor.get(edit_url(audit)).text) == "save"


def test_the_check_page_says_what_submitting_does_and_who_will_see_it(client_auditor, audit):
    client_auditor.post(edit_url(audit), form_data())
    page = client_auditor.get(submit_url(audit)).text
    assert "Check your answers" in page
    assert "you can no longer change it" in page
    assert "scrutiny members" in page and "without case references or names" in page
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS


def test_an_incomplete_audit_cannot_reach_or_pass_the_check_page(client_auditor, audit):
    client_auditor.post(edit_url(audit), form_data("save", overall_grade=""))
    assert client_auditor.get(submit_url(audit)).url == edit_url(audit)
    response = client_auditor.post(submit_url(audit))
    assert response.url == edit_url(audit)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS and audit.submitted_at is None


def test_only_its_auditor_may_submit_an_audit(client, audit, build, auditor):
    other = build.user("other_auditor", Role.AUDITOR)
    client.force_login(other)
    assert client.post(submit_url(audit)).status_code == 404
    manager = build.user("some_manager", Role.TEAM_MANAGER)
    client.force_login(manager)
    assert client.post(submit_url(audit)).status_code == 403
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ALLOCATED
