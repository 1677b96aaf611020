"""Demo performance actions for the red indicators of Quarter 4 2016/17 that the committee report discusses.

Written in the spirit of the report's narrative (referral processing, assessment timeliness, case-file
quality, caseloads, the rise in looked after children and child protection plans, NEET), in our own
words. Each action is keyed by indicator, quarter and text, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from indicators.action_models import ACTION_LIFECYCLE, ActionNote, PerformanceAction
from indicators.models import Indicator

QUARTER = "2016-17-q4"


@dataclass(frozen=True)
class DemoAction:
    code: str
    what: str
    service: str
    due_on: datetime.date
    moves: tuple[str, ...] = ()
    reason: str = ""
    notes: tuple[tuple[datetime.date, str], ...] = ()
    owned_by_officer: bool = False


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


DEMO_ACTIONS = (
    DemoAction(
        "CASCYP 31",
        "Finish the pilot of the joint referral procedure agreed with the police, so that referrals which need "
        "no social care response are redirected before they reach the First Contact Team, then roll it out.",
        "First Contact Service",
        d(2017, 9, 30),
        moves=("start",),
        notes=(
            (
                d(2017, 4, 20),
                "Pilot running in two localities; early figures show fewer contacts converting to referrals.",
            ),
            (d(2017, 6, 15), "Pilot evaluation drafted for the Safeguarding Board; roll-out plan awaiting sign-off."),
        ),
        owned_by_officer=True,
    ),
    DemoAction(
        "CASCYP 31",
        "Report weekly, by team, the referrals not processed within one working day, with the reason for each delay.",
        "Performance and Information Team",
        d(2017, 5, 31),
        moves=("start", "complete"),
        notes=((d(2017, 5, 26), "Weekly exception report in place and reviewed at the managers' meeting."),),
    ),
    DemoAction(
        "CASCYP 32",
        "Team managers review every single assessment open for more than 35 days at supervision and agree "
        "a completion date.",
        "Assessment Teams",
        d(2017, 6, 30),
        moves=("start",),
        notes=((d(2017, 5, 10), "Day-35 prompt added to the case management system; managers use it."),),
    ),
    DemoAction(
        "CASE AUDIT 1",
        "Run practice workshops on the new audit standard for every social work team, starting with the themes "
        "graded inadequate most often this quarter.",
        "Quality Assurance and Practice Improvement",
        d(2017, 7, 31),
        moves=("start",),
        notes=((d(2017, 5, 2), "Four of ten teams have had the workshop; the rest are booked for June and July."),),
    ),
    DemoAction(
        "CASE AUDIT 1",
        "Re-audit case files graded inadequate within three months, to check that the agreed actions were taken.",
        "Quality Assurance and Practice Improvement",
        d(2017, 6, 30),
    ),
    DemoAction(
        "CASELOAD 1",
        "Run a rolling recruitment campaign for experienced social workers, with a market supplement for "
        "hard-to-fill teams.",
        "Children's Services Workforce Development",
        d(2017, 12, 31),
        moves=("start",),
        notes=((d(2017, 6, 1), "Twelve offers made since April; leavers still roughly match new starters."),),
    ),
    DemoAction(
        "CASCYP 24",
        "Analyse why more children entered care this year (neglect in particular) and present the findings with "
        "the Placement Efficiency Plan.",
        "Looked After and Permanence Service",
        d(2017, 9, 30),
        moves=("start",),
        notes=((d(2017, 6, 20), "Case sample of 60 recent entrants drawn; neglect is the main need in most of them."),),
    ),
    DemoAction(
        "CASCYP 28",
        "Review children on a child protection plan for more than 15 months at a multi-agency panel.",
        "Safeguarding and Professional Practice",
        d(2017, 8, 31),
    ),
    DemoAction(
        "CASCYP 28",
        "Commission an external review of child protection thresholds.",
        "Safeguarding and Professional Practice",
        d(2017, 7, 31),
        moves=("drop",),
        reason="The Local Safeguarding Children Board's own threshold review covers the same ground; "
        "we take part in that instead.",
    ),
    DemoAction(
        "CASCYP 16",
        "Follow up every 16 and 17 year old whose activity is not known, with the colleges and training providers, "
        "so that NEET young people are offered support sooner.",
        "Education and Skills: Progression and Learning",
        d(2017, 10, 31),
        moves=("start",),
    ),
)


@transaction.atomic
def load_demo_actions(*, stdout) -> int:
    officer = get_user_model().objects.filter(username="officer").first()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={a.code for a in DEMO_ACTIONS})}
    created = 0
    for spec in DEMO_ACTIONS:
        indicator = indicators.get(spec.code)
        if indicator is None:
            continue
        if PerformanceAction.objects.filter(indicator=indicator, quarter=QUARTER, description=spec.what).exists():
            continue
        action = PerformanceAction(
            indicator=indicator,
            quarter=QUARTER,
            description=spec.what,
            owner=officer if spec.owned_by_officer else None,
            owner_service=spec.service,
            due_on=spec.due_on,
            created_by=officer,
        )
        action._history_user = officer
        action.save()
        for move in spec.moves:
            action.status = ACTION_LIFECYCLE.next_status(move, action.status)
            if move == "drop":
                action.dropped_reason = spec.reason
            action._history_user = officer
            action.save()
        for written_on, text in spec.notes:
            ActionNote.objects.create(action=action, written_on=written_on, text=text, author=officer)
        created += 1
    stdout.write(f"  performance actions: {created} added for {QUARTER}")
    return created
