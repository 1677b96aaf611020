"""Exception reporting: proposals, the officer's choice, and members reading the chosen issues first (part 8)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators.models import Indicator
from indicators.quarters import Quarter
from indicators.rag import Rag
from scorecards.exceptions import choose_key_issues, chosen_for, proposals, worsening
from scorecards.models import KeyIssue
from scorecards.publishing import preview_snapshot

Q4 = Quarter.parse("2016-17-q4")


@dataclass
class C:
    value: D | None = None
    rag: Rag = Rag.NA


@dataclass
class R:
    indicator_id: int
    code: str
    kind: str
    polarity: str
    latest: C
    previous: C
    target: C
    framework_level: str = "universal"


def row(n, latest, previous, *, kind="tracker", polarity="higher", previous_rag=Rag.GREEN, target_rag=Rag.NA,
        level="universal"):  # fmt: skip
    return R(n, f"PI {n}", kind, polarity, C(D(latest)), C(D(previous), previous_rag), C(D(1), target_rag), level)


@pytest.mark.parametrize(
    ("latest", "previous", "polarity", "expected"),
    [("90", "100", "higher", D("0.1")), ("110", "100", "lower", D("0.1")), ("110", "100", "higher", D("-0.1")),
     ("5", "0", "higher", None), ("5", "4", "neutral", None)],
)  # fmt: skip
def test_worsening(latest, previous, polarity, expected):
    assert worsening(row(1, latest, previous, polarity=polarity)) == expected


def test_proposals_are_the_red_ones_and_the_most_worsened_in_each_level():
    rows = [
        row(1, "50", "60", previous_rag=Rag.RED),  # red and worsened by 16.7%
        row(2, "95", "100"),  # worsened by 5%
        row(3, "99", "100"),  # worsened by 1%: the third in its level, not proposed
        row(4, "80", "70", kind="target", target_rag=Rag.RED),  # red against its target, improved
        row(5, "70", "80", level="corporate_parenting"),  # alone in its level
    ]
    found = {p.code: (p.level, p.reason) for p in proposals(rows, level_of=lambda level: level)}
    assert found == {
        "PI 1": ("universal", "RED against the previous period; worsened by 16.7% of the previous figure"),
        "PI 2": ("universal", "Worsened by 5.0% of the previous figure"),
        "PI 4": ("universal", "RED against its target"),
        "PI 5": ("corporate_parenting", "Worsened by 12.5% of the previous figure"),
    }


def test_the_officer_chooses_and_members_read_the_chosen_issues_first(client, officer, member, small_scorecard):
    url = reverse("scorecards:key_issues", kwargs={"quarter": Q4.slug})
    client.force_login(member)
    assert client.get(url).status_code == 403 and client.post(url, {}).status_code == 403
    client.force_login(officer)
    page = client.get(url).text
    assert "Proposed: RED against its target" in page  # CASCYP 31, 73.4 against 85.0
    ids = {i.code: i.pk for i in Indicator.objects.all()}
    before = {g["key"]: [m["code"] for m in g["issues"]] for g in preview_snapshot(Q4)["key_messages"]}
    response = client.post(url, {"issue": [ids["CASCYP 24"]], f"reason-{ids['CASCYP 24']}": "  Rising  since March "})
    assert response.status_code == 302
    assert chosen_for(Q4) == {ids["CASCYP 24"]: "Rising since March"}
    groups = {g["key"]: g for g in preview_snapshot(Q4)["key_messages"]}
    issues = [m["code"] for g in groups.values() for m in g["issues"]]
    others = [m["code"] for g in groups.values() for m in g["others"]]
    assert issues == ["CASCYP 24"] and "CASCYP 31" in others
    assert before != {key: [m["code"] for m in g["issues"]] for key, g in groups.items()}
    (chosen,) = [m for g in groups.values() for m in g["issues"]]
    assert chosen["issue_reason"] == "Rising since March"
    preview = client.get(reverse("scorecards:preview", kwargs={"quarter": Q4.slug})).text
    assert "Why it is a key issue:</strong> Rising since March" in preview


def test_hostile_choices_are_refused_without_saving(client, officer, small_scorecard):
    url = reverse("scorecards:key_issues", kwargs={"quarter": Q4.slug})
    client.force_login(officer)
    for data in ({"issue": ["abc"]}, {"issue": ["999999"]}):
        response = client.post(url, data)
        assert response.status_code == 200 and "Choose only indicators with a figure this quarter." in response.text
    ids = list(Indicator.objects.values_list("pk", flat=True))
    long = client.post(url, {"issue": [ids[0]], f"reason-{ids[0]}": "x" * 301})
    assert "300 characters or fewer" in long.text
    assert not KeyIssue.objects.exists()


@pytest.mark.django_db
def test_choosing_again_replaces_the_choice(officer, small_scorecard):
    first, second = Indicator.objects.order_by("code")[:2]
    choose_key_issues(quarter=Q4, choices={first.pk: "a"}, user=officer)
    choose_key_issues(quarter=Q4, choices={second.pk: "b"}, user=officer)
    assert chosen_for(Q4) == {second.pk: "b"}
