"""The worklist reads only what it shows, in the order its lists' indexes keep, and writes each row as before."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.choices import AuditStatus, Grade
from audits.models import Moderation

NOT_SHOWN = ("caseloads_worker", "audits_moderation", "strengths", "areas_for_development", "grade_reason")


def test_the_lists_read_no_column_the_page_does_not_show(client, build, auditor, moderator):
    team = build.team()
    worker = build.worker(team)
    build.audit(build.case(team, worker=worker), auditor=auditor)
    done = build.completed(Grade.GOOD, team=team, auditor=auditor)
    Moderation.objects.create(audit=done, moderator=moderator, grade=1)
    client.force_login(auditor)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("audits:worklist"))
    assert response.status_code == 200
    audit_queries = [q["sql"] for q in captured if '"audits_audit"' in q["sql"]]
    assert len(audit_queries) == 4  # each list's count and page
    for sql in audit_queries:
        assert not [name for name in NOT_SHOWN if name in sql], sql


def test_each_list_has_an_index_for_its_rows_and_order(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "audits_audit")
    assert constraints["audit_to_do_by_due"]["columns"] == ["auditor_id", "due_on"]
    assert constraints["audit_done_by_completed"]["columns"] == ["auditor_id", "completed_on"]


def test_rows_are_written_escaped_with_their_tags(client, build, auditor):
    team = build.team("Brook & <Vale>")
    today = timezone.localdate()
    round_ = build.round()
    yesterday = today - datetime.timedelta(days=1)
    late = build.audit(build.case(team, ref="C-LATE"), auditor=auditor, round=round_, due_on=yesterday)
    build.audit(
        build.case(team, ref="C-BEGUN", case_type="lac"),
        auditor=auditor,
        round=round_,
        status=AuditStatus.IN_PROGRESS,
        due_on=today + datetime.timedelta(days=30),
    )
    build.completed(Grade.GOOD, team=team, auditor=auditor, completed_on=datetime.date(2017, 2, 15))
    client.force_login(auditor)
    html = client.get(reverse("audits:worklist")).content.decode()
    assert "Brook &amp; &lt;Vale&gt;" in html and "<Vale>" not in html
    assert (
        f'href="/audits/{late.pk}/edit/">C-LATE<span class="govuk-visually-hidden">: start the audit</span></a>' in html
    )
    assert '>C-BEGUN<span class="govuk-visually-hidden">: continue the audit</span>' in html
    assert html.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1
    assert f"{late.due_on:%-d %b %Y} <strong" in html
    assert round_.display_name in html and "Looked after child" in html
    assert ">15 Feb 2017</td>" in html
    assert '<strong class="govuk-tag govuk-tag--turquoise">2 Good</strong>' in html
    assert "Allocated</strong>" in html and "In progress</strong>" in html and "Submitted</strong>" in html


def test_the_worklist_makes_a_handful_of_queries_at_any_size(client, build, auditor, django_assert_max_num_queries):
    client.force_login(auditor)
    for count in (3, 70):  # within one page, then past it in both lists
        team, round_ = build.team(), build.round()
        for _ in range(count):
            build.audit(build.case(team), auditor=auditor, round=round_)
            build.completed(Grade.GOOD, team=team, auditor=auditor, round=round_)
        # session, user, roles; each list's count and page
        with django_assert_max_num_queries(7):
            assert client.get(reverse("audits:worklist") + "?to_do_page=2&done_page=2").status_code == 200
