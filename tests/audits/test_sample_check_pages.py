"""Officers see the sample check on the round and results pages; nobody else does; queries stay flat."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.choices import AuditStatus, RoundKind
from audits.models import AuditRound
from audits.population import freeze_population

ON = datetime.date(2017, 1, 3)


@pytest.fixture
def drawn(build):
    round_ = AuditRound.objects.create(kind=RoundKind.RANDOM, quarter="2016-17-q4", title="Random Q4", sampling_date=ON)
    add_cases(build, round_, 60)
    freeze_population(round_id=round_.pk, on=ON)  # as the draw does
    return round_


def add_cases(build, round_, count):
    teams = [build.team() for _ in range(3)]
    for i in range(count):
        case = build.case(
            teams[i % 3], case_type=("cin", "cp", "lac")[i % 3], opened_on=datetime.date(2015, 1 + i % 12, 1)
        )
        if i % 5 == 0:
            build.audit(
                case,
                round=round_,
                status=AuditStatus.SUBMITTED,
                overall_grade=2,
                completed_on=datetime.date(2017, 2, 1),
            )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.text


def test_the_round_page_shows_the_check_with_a_chart_and_its_table(client, officer, drawn):
    client.force_login(officer)
    _, page = queries(client, reverse("audits:round_detail", args=[drawn.pk]))
    assert "Is the sample representative?" in page
    assert "Sample share against population share by case type" in page
    assert 'role="img"' in page and "Data for: Sample share against population share by team" in page
    assert "Pearson chi-square goodness of fit" in page


def test_a_thematic_round_says_it_is_not_tested(client, officer, build):
    thematic = build.round(title="Neglect")
    client.force_login(officer)
    page = client.get(reverse("audits:round_detail", args=[thematic.pk])).text
    assert "chosen on purpose, so it is not tested" in page


def test_the_results_page_shows_the_check_to_officers_only(client, officer, manager, build, drawn):
    build.team("Mine", managers=[manager])
    url = reverse("audits:results") + "?quarter=2016-17-q4"
    client.force_login(officer)
    assert "Is the sample representative?" in client.get(url).text
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200 and "Is the sample representative?" not in response.text


def test_the_pages_queries_do_not_grow_with_the_cases(client, officer, build, drawn):
    client.force_login(officer)
    urls = [reverse("audits:round_detail", args=[drawn.pk]), reverse("audits:results") + "?quarter=2016-17-q4"]
    before = [queries(client, url)[0] for url in urls]
    add_cases(build, drawn, 90)
    freeze_population(round_id=drawn.pk, on=ON, replace=True)  # as if drawn from the larger case list
    assert [queries(client, url)[0] for url in urls] == before
