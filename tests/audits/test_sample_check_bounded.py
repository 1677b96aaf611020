"""The sample check stays readable when a dimension has hundreds of strata: pages show a bounded view,
officers download every stratum as CSV, and the statistics are those of the full check."""

import csv
import datetime
import io
import random

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.choices import RoundKind
from audits.models import AuditRound, RoundPopulation
from audits.representativeness import check_from_strata, goodness_of_fit, method_text, sample_check
from audits.representativeness_panel import (
    STRATA_SHOWN,
    officer_context,
    scorecard_addition,
    shown_strata,
    verdict_sentence,
)
from indicators.quarters import Quarter

ON = datetime.date(2017, 1, 3)
QUARTER = "2016-17-q4"


def team_strata(teams: int, *, seed: int = 7) -> dict[str, tuple[int, int]]:
    """``teams`` teams of 5 to 64 open cases, about a tenth of each drawn; a few drawn far more often."""
    rng = random.Random(seed)
    strata = {}
    for i in range(teams):
        population = 5 + (i * 37) % 60
        rate = 0.5 if i % 50 == 0 else 0.1  # every fiftieth team over-sampled: flagged
        strata[f"Team {i:04d}"] = (population, sum(rng.random() < rate for _ in range(population)))
    return strata


def generated_check(teams: int):
    by_team = team_strata(teams)
    population = sum(p for p, _ in by_team.values())
    sample = sum(s for _, s in by_team.values())
    return check_from_strata(
        quarter=QUARTER,
        rounds=[{"id": 1, "title": "Random", "sampling_date": ON}],
        strata={
            "team": by_team,
            "case_type": {"cin": (population, sample)},
            "time_open": {"over_2_years": (population, sample)},
        },
        labels={"team": {t: t for t in sorted(by_team)}, "case_type": {"cin": "CIN"}, "time_open": {}},
    )


def officer_html(check) -> str:
    context = officer_context(check, chart_prefix="q", download_url="/audits/results/sample-check.csv?quarter=x")
    return render_to_string("audits/includes/sample_check.html", {"sample_check": context})


def member_html(check) -> str:
    return render_to_string("audits/includes/scorecard_sample.html", {"sample": scorecard_addition(check)})


# -- which strata are shown ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "keys, shown",
    [
        # Up to the bound, every stratum in its own order.
        ([(False, 10), (True, 5), (False, 30)], [0, 1, 2]),
        # Beyond it: flagged first (largest first), then the largest; hidden counts last; ties by place.
        (
            [(False, 1)] * 20 + [(False, 50), (True, 3), (False, None), (True, 9)] + [(False, 2)] * 10,
            [23, 21, 20, *range(24, 34), *range(12)],
        ),
    ],
)
def test_shown_strata_are_the_flagged_then_the_largest(keys, shown):
    assert shown_strata(keys) == shown[:STRATA_SHOWN]


def test_a_generated_check_of_300_teams_renders_a_bounded_table_and_chart():
    check = generated_check(300)
    by_team = check.dimensions[0]
    assert len(by_team.strata) == 300 and by_team.merged  # small teams merged, as before
    context = officer_context(check, chart_prefix="q")
    rows = context["dimensions"][0]["rows"]
    assert len(rows) == STRATA_SHOWN
    flagged = [s.label for s in by_team.strata if s.flag]
    assert 0 < len(flagged) < STRATA_SHOWN and {r["label"] for r in rows[: len(flagged)]} == set(flagged)
    html = officer_html(check)
    # The team table and the chart's data table: a bound's worth each, plus headers; the other two tables
    # have a row each.
    # Three tables (team, case type, time open) and their charts' data tables, and two bars a stratum.
    assert html.count("<tr") < 3 * (STRATA_SHOWN + 2)
    assert html.count("<rect") < 4 * STRATA_SHOWN
    assert "Showing 25 of 300 teams" in html and "The other 275 are not shown here" in html
    assert "/audits/results/sample-check.csv?quarter=x" in html
    assert "more merges" in html


def test_page_size_does_not_grow_between_100_and_1000_teams():
    small, large = generated_check(100), generated_check(1000)
    # Members' panel: see test_members_get_the_bounded_view (its suppression is slow on hundreds of strata).
    for render in (officer_html,):
        a, b = render(small), render(large)
        assert a.count("<tr") == b.count("<tr")
        assert a.count("<rect") == b.count("<rect")
        assert len(b) < len(a) * 1.1, (render.__name__, len(a), len(b))


def test_the_statistics_are_those_of_the_full_check():
    check = generated_check(300)
    by_team = check.dimensions[0]
    full = goodness_of_fit(
        [(s.value, s.label, s.population, s.sample) for s in by_team.strata], dimension="team", label="Team"
    )
    assert (by_team.chi_square, by_team.df, by_team.p_value) == (full.chi_square, full.df, full.p_value)
    # The command's JSON keeps every merge named; the page names three and counts the rest.
    assert check.as_json()["dimensions"][0]["method"] == full.method
    assert all(" + ".join(m) in full.method for m in full.merged)
    bounded = officer_context(check, chart_prefix="q")["dimensions"][0]["method"]
    assert bounded == method_text(by_team, merges=3, names=6)
    assert f"and {len(full.merged) - 3:,} more merges" in bounded and len(bounded) < 1000
    assert "Team 0001" in verdict_sentence(check) or len(verdict_sentence(check)) < 1000


def test_few_strata_read_as_before():
    check = generated_check(12)
    by_team = check.dimensions[0]
    assert method_text(by_team, merges=3, names=6) == by_team.method or len(by_team.merged) > 3
    context = officer_context(check, chart_prefix="q")
    assert [r["label"] for r in context["dimensions"][0]["rows"]] == [s.label for s in by_team.strata]
    assert not context["dimensions"][0]["not_shown"]
    assert all("not_shown" not in d for d in scorecard_addition(check)["dimensions"])


def test_members_get_the_bounded_view_and_hidden_counts_do_not_choose_it():
    check = generated_check(40)
    panel = scorecard_addition(check)
    by_team = panel["dimensions"][0]
    assert len(by_team["rows"]) == STRATA_SHOWN and by_team["not_shown"]["count"] == "15"
    # A hidden count ("c") never ranks a row ahead of a shown one; a hidden flag is never shown.
    populations = [r["population"] for r in by_team["rows"]]
    shown_counts = [p for p in populations if p != "c"]
    assert populations[: len(shown_counts)] == shown_counts
    assert all(r["flag"] == "" for r in by_team["rows"] if r["sample"] == "c")
    html = member_html(check)
    assert "Showing 25 of 40 teams" in html and "download" not in html.lower()


# -- the officers' download ------------------------------------------------------------------------


def frozen_round(teams: dict[str, tuple[int, int]]) -> AuditRound:
    """A random round whose population was frozen at the draw, straight in the tables."""
    round_ = AuditRound.objects.create(kind=RoundKind.RANDOM, quarter=QUARTER, title="Random", sampling_date=ON)
    add_strata(round_, teams)
    return round_


def add_strata(round_, teams):
    RoundPopulation.objects.filter(round=round_).delete()
    population, sample = sum(p for p, _ in teams.values()), sum(s for _, s in teams.values())
    now = timezone.now()
    rows = [
        RoundPopulation(round=round_, dimension="team", stratum=t, open_cases=p, sampled=s)
        for t, (p, s) in teams.items()
    ]
    rows += [
        RoundPopulation(round=round_, dimension="case_type", stratum="cin", open_cases=population, sampled=sample),
        RoundPopulation(
            round=round_, dimension="time_open", stratum="over_2_years", open_cases=population, sampled=sample
        ),
    ]
    for row in rows:
        row.counted_at = now
    RoundPopulation.objects.bulk_create(rows)


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_download_has_every_stratum_and_is_formula_safe(client, officer, db):
    teams = team_strata(300)
    teams['=HYPERLINK("http://evil.example","x")'] = (20, 2)
    round_ = frozen_round(teams)
    client.force_login(officer)
    rows = read_csv(client.get(reverse("audits:round_sample_check_csv", args=[round_.pk])))
    assert rows[0][:3] == ["Dimension", "Stratum", "Open cases"]
    by_team = {r[1]: r for r in rows[1:] if r[0] == "Team"}
    assert len(by_team) == 301 and len(rows) == 1 + 301 + 1 + 1
    assert '\'=HYPERLINK("http://evil.example","x")' in by_team
    assert by_team["Team 0000"][2] == str(teams["Team 0000"][0]) and by_team["Team 0000"][4] == str(
        teams["Team 0000"][1]
    )
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    # A negative residual stays a number (it does not start a formula), a merged team names its whole group.
    assert any(r[7].startswith("-") for r in by_team.values())
    assert any(" + " in r[9] for r in by_team.values())
    quarter = read_csv(client.get(reverse("audits:results_sample_check_csv") + f"?quarter={QUARTER}"))
    assert quarter == rows


def test_the_download_is_refused_to_others_and_404s_without_a_draw(client, officer, manager, member, auditor, build):
    round_ = frozen_round(team_strata(10))
    urls = [
        reverse("audits:round_sample_check_csv", args=[round_.pk]),
        reverse("audits:results_sample_check_csv") + f"?quarter={QUARTER}",
    ]
    for user in (manager, member, auditor):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403, 403]
    client.force_login(officer)
    thematic = build.round(title="Neglect")
    missing = [
        reverse("audits:round_sample_check_csv", args=[thematic.pk]),
        reverse("audits:round_sample_check_csv", args=[round_.pk + 1000]),
        reverse("audits:results_sample_check_csv") + "?quarter=2016-17-q3",  # no random round
        reverse("audits:results_sample_check_csv") + "?quarter=nonsense",
        reverse("audits:results_sample_check_csv"),
    ]
    assert [client.get(url).status_code for url in missing] == [404] * 5


def test_the_officer_pages_link_the_download_and_queries_do_not_grow(client, officer, db):
    round_ = frozen_round(team_strata(10))
    client.force_login(officer)
    pages = [reverse("audits:round_detail", args=[round_.pk]), reverse("audits:results") + f"?quarter={QUARTER}"]
    links = [reverse("audits:round_sample_check_csv", args=[round_.pk]), f"sample-check.csv?quarter={QUARTER}"]

    def measure():
        counts, sizes = [], []
        for url in [*pages, links[0]]:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(len(captured))
            sizes.append(len(response.content))
        return counts, sizes

    for page, link in zip(pages, links, strict=True):
        assert link in client.get(page).text
    before, small = measure()
    add_strata(round_, team_strata(600))
    after, large = measure()
    assert after == before
    # The pages hardly grow with 60 times the teams; the download has every one.
    assert large[0] < small[0] * 1.5 and large[1] < small[1] * 1.5 and large[2] > small[2] * 30


def test_the_selector_reads_the_frozen_strata(db):
    round_ = frozen_round(team_strata(40))
    check = sample_check(quarter=Quarter.parse(QUARTER), round_id=round_.pk)
    assert len(check.dimensions[0].strata) == 40
