"""The roll-up page: the month's figures, the band chart, the trend against the optimum, by team."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from caseloads.models import Employment
from tests.caseloads.conftest import make_return, make_team, make_worker

pytestmark = pytest.mark.django_db
FEB16, DEC16, MARCH = datetime.date(2016, 2, 1), datetime.date(2016, 12, 1), datetime.date(2017, 3, 1)


@pytest.fixture
def data(team, other_team):
    a1, a2 = make_worker(team, name="Ann Able"), make_worker(team, name="Ben Bold", wte="0.40")
    b1 = make_worker(other_team, name="Cal Cole", employment=Employment.AGENCY, wte="0.60")
    make_return(team, FEB16, [(a1, 26), (a2, 11)])
    make_return(team, MARCH, [(a1, 18), (a2, 8)])
    make_return(other_team, MARCH, [(b1, 24)])
    return team, other_team


def test_officer_sees_every_team_with_charts_and_tables(client, officer, data):
    client.force_login(officer)
    response = client.get(reverse("caseloads:rollup"))
    assert response.status_code == 200
    assert response.context["month"] == MARCH  # the latest month with submitted returns
    rollup = response.context["rollup"]
    # 18 + 8 + 24 = 50 cases over 1.0 + 0.4 + 1.0 (agency) = 2.4 WTE
    assert (rollup.counted_cases, str(rollup.counted_wte), str(rollup.average_per_wte)) == (50, "2.40", "20.8")
    html = response.content.decode()
    assert html.count('role="img"') == 3
    assert "Optimum: 20" in html
    assert "Data for: % of staff by WTE caseload range, March 2017 (all teams)" in html
    assert "Data for: Average caseload per WTE, Feb 2016 to Mar 2017 (all teams)" in html
    assert "Safeguarding South" in html and "Assessment North" in html
    # The page is about teams, never about workers.
    for name in ("Ann Able", "Ben Bold", "Cal Cole"):
        assert name not in html
    trend = response.context["average_chart"]
    assert trend.table_rows[0][0] == "Feb 2016"
    assert len(trend.table_rows) == 14


def test_a_manager_sees_only_their_teams(client, manager, data):
    client.force_login(manager)
    response = client.get(reverse("caseloads:rollup"), {"month": "2017-03"})
    rollup = response.context["rollup"]
    assert [t.team for t in rollup.by_team] == ["Assessment North"]
    assert rollup.counted_cases == 26
    assert "Safeguarding South" not in response.content.decode()
    # Asking for another team's figures falls back to their own teams.
    other = data[1]
    response = client.get(reverse("caseloads:rollup"), {"month": "2017-03", "team": other.pk})
    assert response.context["rollup"].counted_cases == 26


def test_a_quarter_shows_its_last_month(client, officer, data):
    client.force_login(officer)
    response = client.get(reverse("caseloads:rollup"), {"quarter": "2016-17-q4"})
    assert response.context["month"] == MARCH


def test_one_team_and_an_empty_month(client, officer, data):
    team, _ = data
    client.force_login(officer)
    response = client.get(reverse("caseloads:rollup"), {"month": "2016-12", "team": team.pk})
    assert response.status_code == 200
    assert not response.context["rollup"].has_data
    assert "No returns were submitted for December 2016." in response.content.decode()


def test_no_data_at_all(client, officer):
    client.force_login(officer)
    response = client.get(reverse("caseloads:rollup"))
    assert response.status_code == 200
    assert "No returns have been submitted yet." in response.content.decode()


def test_index_lists_teams_and_their_return_status(client, officer, manager, data):
    _team, _other = data
    make_team("Closed", active=False)
    client.force_login(officer)
    response = client.get(reverse("caseloads:index"), {"month": "2017-03"})
    html = response.content.decode()
    assert "2 of 2 submitted" in html
    assert "Closed" not in html
    client.force_login(manager)
    response = client.get(reverse("caseloads:index"), {"month": "2017-03"})
    assert [t.name for t, _ in response.context["rows"]] == ["Assessment North"]


def test_team_page_lists_workers_and_returns(client, manager, data):
    team, _ = data
    make_worker(team, name="Gone Girl", ended_on=datetime.date(2016, 6, 30))
    client.force_login(manager)
    response = client.get(reverse("caseloads:team", kwargs={"team_id": team.pk}))
    assert [w.name for w in response.context["current_workers"]] == ["Ann Able", "Ben Bold"]
    assert [w.name for w in response.context["former_workers"]] == ["Gone Girl"]
    assert [r.month for r in response.context["returns"]] == [MARCH, FEB16]
    response = client.get(reverse("caseloads:team", kwargs={"team_id": team.pk}), {"month": "2016-12"})
    assert response.status_code == 302
    assert response.url == reverse("caseloads:return", kwargs={"team_id": team.pk, "month": DEC16})


@pytest.mark.parametrize("value", ["", "2", "x", None])
def test_the_filters_select_writes_what_djangos_select_writes(value):
    from django import forms
    from django.test.html import parse_html

    from caseloads.views.rollups import PlainSelect

    choices = [("", "All your teams"), ("1", "Assessment North"), ("2", "Children & <Families>"), ("3", '"Quoted"')]
    attrs = {"id": "id_team", "class": "govuk-select", "aria-describedby": "team-hint", "required": False}
    plain = PlainSelect(choices=choices).render("team", value, attrs=attrs)
    django = forms.Select(choices=choices).render("team", value, attrs=attrs)
    assert parse_html(plain) == parse_html(django)
    assert ("selected" in plain) == (value in {"", "2", None})  # None selects the empty choice, as Django does


def test_the_filter_form_writes_what_djangos_choice_fields_write():
    # The roll-up's filter keeps its choices as given instead of normalising them one by one, and
    # writes them in one pass: the markup must be what Django's own fields and selects write.
    from django import forms
    from django.test.html import parse_html

    from caseloads.views.rollups import RollupFilterForm, TeamChoice

    months = [datetime.date(2017, 3, 1), datetime.date(2017, 2, 1)]
    teams = [TeamChoice(1, "Assessment North"), TeamChoice(2, "Children & <Families>"), TeamChoice(3, "'Quoted'")]

    class DjangosForm(forms.Form):
        month = forms.ChoiceField(label="Month")
        team = forms.ChoiceField(label="Team", required=False)

    initial = {"month": "2017-02", "team": "2"}
    plain = RollupFilterForm(initial=initial, months=months, teams=teams)
    django = DjangosForm(initial=initial)
    django.fields["month"].choices = plain.fields["month"].choices
    django.fields["team"].choices = plain.fields["team"].choices
    assert plain.fields["team"].choices == [
        ("", "All your teams"),
        ("1", "Assessment North"),
        *[(str(t.pk), t.name) for t in teams[1:]],
    ]
    for name in ("month", "team"):
        assert parse_html(str(plain[name])) == parse_html(str(django[name])), name
