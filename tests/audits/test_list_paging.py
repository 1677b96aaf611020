"""The audit lists that grow with the years are paged: the rounds, a case's audits, and every table,
each ordered by a unique key last, in the same queries at any size, and no error on any ?page=."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.choices import AuditStatus, RoundKind
from audits.models import Audit, AuditRound
from audits.round_tallies import count_moves, standing_of
from perfsite.pagination import PER_PAGE
from tests.audits.test_query_counts import queries

HOSTILE = ["0", "-1", "abc", "2.5", "99999999999999999999999", "", "%00", "1e3", "<script>", "last"]


def add_rounds(count: int, *, auditor=None, case=None, first_year: int = 2000) -> list[AuditRound]:
    """``count`` thematic rounds, one a quarter from ``first_year``; each audits ``case`` once if given."""

    def quarter(n: int) -> str:
        year = first_year + n // 4
        return f"{year}-{(year + 1) % 100:02d}-q{1 + n % 4}"

    rounds = AuditRound.objects.bulk_create(
        AuditRound(kind=RoundKind.THEMATIC, quarter=quarter(n), title=f"Round {n:03d}") for n in range(count)
    )
    if case is not None:
        audits = Audit.objects.bulk_create(
            Audit(
                round=round_,
                case=case,
                team=case.team,
                case_type=case.case_type,
                auditor=auditor,
                status=AuditStatus.ALLOCATED if n % 2 else AuditStatus.SUBMITTED,
                due_on=datetime.date(2017, 3, 1),
            )
            for n, round_ in enumerate(rounds)
        )
        count_moves((None, standing_of(audit)) for audit in audits)  # written straight to the table
    return rounds


def round_names(response) -> list[str]:
    return [round_.title for round_, _count in response.context["rows"]]


# The rounds ---------------------------------------------------------------------------------------


def test_the_rounds_are_paged_newest_quarter_first_with_their_own_counts(client, build, officer, auditor):
    add_rounds(PER_PAGE + 10)
    team = build.team()
    newest = AuditRound.objects.order_by("-quarter").first()
    for status in (AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS, AuditStatus.SUBMITTED):
        build.audit(build.case(team), auditor=auditor, round=newest, status=status)
    client.force_login(officer)
    first = client.get(reverse("audits:round_list"))
    assert len(first.context["rows"]) == PER_PAGE
    round_, progress = first.context["rows"][0]
    assert (round_, progress.total, progress.to_do, progress.finished) == (newest, 3, 2, 1)
    html = first.content.decode()
    assert 'aria-label="Pages of audit rounds"' in html and "?page=2" in html
    second = client.get(reverse("audits:round_list"), {"page": 2})
    assert len(second.context["rows"]) == 10
    assert all((p.total, p.to_do, p.finished) == (0, 0, 0) for _round, p in second.context["rows"])
    every_round = AuditRound.objects.values_list("title", flat=True)
    assert sorted(round_names(first) + round_names(second)) == sorted(every_round)


def test_the_rounds_page_makes_the_same_queries_at_two_sizes(client, build, officer, auditor):
    client.force_login(officer)
    url = reverse("audits:round_list") + "?page=2"
    team = build.team()
    for round_ in add_rounds(PER_PAGE + 5):
        build.audit(build.case(team), auditor=auditor, round=round_)
    small = queries(client, url)
    for round_ in add_rounds(2 * PER_PAGE, first_year=1970):
        build.audit(build.case(team), auditor=auditor, round=round_)
    assert queries(client, url) == small


@pytest.mark.parametrize("value", HOSTILE)
def test_any_page_of_rounds_answers_a_page(client, officer, value):
    add_rounds(PER_PAGE + 5)
    client.force_login(officer)
    response = client.get(reverse("audits:round_list"), {"page": value})
    assert response.status_code == 200 and response.context["page"].number in (1, 2)


# A case's audits ----------------------------------------------------------------------------------


def test_a_case_s_audits_are_paged_newest_first(client, build, officer, auditor):
    case = build.case(build.team())
    add_rounds(PER_PAGE + 7, auditor=auditor, case=case)
    client.force_login(officer)
    url = reverse("audits:case_detail", args=[case.pk])
    first, second = client.get(url), client.get(url, {"page": 2})
    assert len(first.context["audits"]) == PER_PAGE and len(second.context["audits"]) == 7
    shown = [audit.pk for audit in first.context["audits"]] + [audit.pk for audit in second.context["audits"]]
    expected = Audit.objects.filter(case=case).order_by("-round__quarter", "-pk").values_list("pk", flat=True)
    assert shown == list(expected)
    assert 'aria-label="Pages of this case\'s audits"' in first.content.decode()


def test_a_case_s_page_makes_the_same_queries_at_two_sizes(client, build, officer, auditor):
    case = build.case(build.team())
    client.force_login(officer)
    url = reverse("audits:case_detail", args=[case.pk]) + "?page=2"
    add_rounds(PER_PAGE + 3, auditor=auditor, case=case)
    small = queries(client, url)
    add_rounds(2 * PER_PAGE, auditor=auditor, case=case, first_year=1970)
    assert queries(client, url) == small


@pytest.mark.parametrize("value", HOSTILE)
def test_any_page_of_a_case_s_audits_answers_a_page(client, build, officer, auditor, value):
    case = build.case(build.team())
    add_rounds(PER_PAGE + 3, auditor=auditor, case=case)
    client.force_login(officer)
    response = client.get(reverse("audits:case_detail", args=[case.pk]), {"page": value})
    assert response.status_code == 200 and response.context["audits"].number in (1, 2)


def test_members_still_see_no_round_or_case_page(client, build, member, auditor):
    case = build.case(build.team())
    add_rounds(PER_PAGE + 3, auditor=auditor, case=case)
    client.force_login(member)
    assert client.get(reverse("audits:round_list"), {"page": 2}).status_code == 403
    assert client.get(reverse("audits:case_detail", args=[case.pk]), {"page": 2}).status_code == 403


# Sorting that ties ---------------------------------------------------------------------------------


def paged_select(client, url, table: str) -> str:
    """The SQL of the query that read the page's rows from ``table``."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    selects = [q["sql"] for q in captured if f'FROM "{table}"' in q["sql"] and " LIMIT " in q["sql"]]
    assert selects, f"no paged query on {table}"
    return selects[-1]


@pytest.mark.parametrize("sort", ["team", "-team", "status", "auditor", "case_type"])
def test_a_table_sorted_on_a_column_that_ties_is_ordered_by_its_key_last(client, build, officer, auditor, sort):
    """Audits of one team tie when sorted by team: without a unique key last, the database may return
    the tied rows in another order for page 2 than for page 1, and a row shows twice or never."""
    team = build.team()
    round_ = build.round()
    for _ in range(3):
        build.audit(build.case(team), auditor=auditor, round=round_)
    client.force_login(officer)
    sql = paged_select(client, reverse("audits:round_detail", args=[round_.pk]) + f"?sort={sort}", "audits_audit")
    order_by = sql[sql.rindex("ORDER BY") :]
    assert re.search(r'"audits_audit"\."id" ASC\s+LIMIT', order_by), order_by


def test_every_audit_shows_once_across_the_pages_of_a_sort_that_ties(client, build, officer, auditor):
    team, round_ = build.team(), build.round()
    for _ in range(PER_PAGE + 5):
        build.audit(build.case(team), auditor=auditor, round=round_)
    client.force_login(officer)
    url = reverse("audits:team_audits")
    shown = []
    for page in (1, 2):
        table = client.get(url, {"sort": "team", "page": page}).context["table"]
        shown += [row.record.pk for row in table.paginated_rows]
    assert sorted(shown) == sorted(Audit.objects.values_list("pk", flat=True))
