"""The reminder task: the 5th working day in England, one email per manager per month."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail
from model_bakery import baker

from caseloads.models import ReminderSent
from caseloads.services.reminders import due_date, month_to_chase
from caseloads.tasks import send_return_reminders
from caseloads.workdays import bank_holidays, easter_sunday, is_working_day, nth_working_day
from tests.caseloads.conftest import make_return, make_team, make_worker

D = datetime.date

# Bank holidays in England and Wales, as published on gov.uk.
GOV_UK_BANK_HOLIDAYS = {
    2016: {D(2016, 1, 1), D(2016, 3, 25), D(2016, 3, 28), D(2016, 5, 2), D(2016, 5, 30), D(2016, 8, 29),
           D(2016, 12, 26), D(2016, 12, 27)},
    2017: {D(2017, 1, 2), D(2017, 4, 14), D(2017, 4, 17), D(2017, 5, 1), D(2017, 5, 29), D(2017, 8, 28),
           D(2017, 12, 25), D(2017, 12, 26)},
    2020: {D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25), D(2020, 8, 31),
           D(2020, 12, 25), D(2020, 12, 28)},
    2021: {D(2021, 1, 1), D(2021, 4, 2), D(2021, 4, 5), D(2021, 5, 3), D(2021, 5, 31), D(2021, 8, 30),
           D(2021, 12, 27), D(2021, 12, 28)},
    2022: {D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2), D(2022, 6, 3),
           D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)},
    2023: {D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8), D(2023, 5, 29),
           D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)},
    2026: {D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31),
           D(2026, 12, 25), D(2026, 12, 28)},
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(GOV_UK_BANK_HOLIDAYS))
def test_bank_holidays_match_gov_uk(year):
    assert bank_holidays(year) == GOV_UK_BANK_HOLIDAYS[year]


@pytest.mark.parametrize(
    ("year", "easter"), [(2016, D(2016, 3, 27)), (2017, D(2017, 4, 16)), (2019, D(2019, 4, 21)), (2038, D(2038, 4, 25))]
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_extra_bank_holidays_can_be_configured(settings):
    settings.PERFSITE_EXTRA_BANK_HOLIDAYS = ["2027-06-07"]
    assert not is_working_day(D(2027, 6, 7))


@pytest.mark.parametrize(
    ("year", "month", "fifth"),
    [
        (2017, 4, D(2017, 4, 7)),  # Sat 1st: Mon 3 .. Fri 7
        (2017, 5, D(2017, 5, 8)),  # Mon 1 May is a bank holiday: Tue 2 .. Mon 8
        (2017, 1, D(2017, 1, 9)),  # Mon 2 Jan is the substitute New Year: Tue 3 .. Mon 9
        (2016, 12, D(2016, 12, 7)),
        (2016, 3, D(2016, 3, 7)),
        (2018, 4, D(2018, 4, 9)),  # Easter Monday 2 April: Tue 3 .. Mon 9
    ],
)
def test_fifth_working_day(year, month, fifth):
    assert nth_working_day(year, month, 5) == fifth


def test_chasing_starts_on_the_fifth_working_day():
    assert due_date(D(2017, 3, 1)) == D(2017, 4, 7)
    assert month_to_chase(D(2017, 4, 6)) is None
    assert month_to_chase(D(2017, 4, 7)) == D(2017, 3, 1)
    assert month_to_chase(D(2017, 4, 28)) == D(2017, 3, 1)


@pytest.fixture
def teams(db):
    mandy = baker.make("auth.User", username="mandy", email="mandy@example.org", first_name="Mandy")
    nora = baker.make("auth.User", username="nora", email="nora@example.org")
    quiet = baker.make("auth.User", username="quiet", email="")
    a = make_team("Assessment North", managers=[mandy])
    b = make_team("Looked After South", managers=[mandy, nora, quiet])
    c = make_team("Disability", managers=[nora])
    make_team("Closed Team", managers=[mandy], active=False)
    make_return(c, D(2017, 3, 1), [(make_worker(c), 3)])  # submitted: no reminder for c
    make_return(a, D(2017, 3, 1), [(make_worker(a), 3)], submitted=False)  # a draft still needs chasing
    return mandy, nora, a, b, c


def test_reminders_are_sent_once_per_manager_per_month(teams):
    _mandy, _nora, *_ = teams
    assert send_return_reminders("2017-04-06") == 0
    assert mail.outbox == []
    assert send_return_reminders("2017-04-07") == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"mandy@example.org", "nora@example.org"}
    mandy_mail = by_recipient["mandy@example.org"]
    assert "Assessment North" in mandy_mail.body and "Looked After South" in mandy_mail.body
    assert "Closed Team" not in mandy_mail.body
    assert "March 2017" in mandy_mail.subject
    assert "due today" in mandy_mail.body
    assert "/caseloads/teams/" in mandy_mail.body
    assert "Disability" not in by_recipient["nora@example.org"].body
    # Idempotent: later runs in the month send nothing more.
    assert send_return_reminders("2017-04-07") == 0
    assert send_return_reminders("2017-04-10") == 0
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_a_failed_email_is_retried_next_time(teams, monkeypatch):
    import caseloads.services.reminders as reminders

    def broken(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(ConnectionError):
        send_return_reminders("2017-04-07")
    assert ReminderSent.objects.count() == 0
    monkeypatch.undo()
    assert send_return_reminders("2017-04-10") == 2


def test_nobody_is_chased_once_every_return_is_in(teams):
    _mandy, _nora, a, b, _c = teams
    for team in (a, b):
        team.returns.all().delete()
        make_return(team, D(2017, 3, 1), [])
    assert send_return_reminders("2017-04-07") == 0


def test_the_beat_entry_names_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["caseloads-return-reminders"]
    assert entry["task"] == send_return_reminders.name == "caseloads.tasks.send_return_reminders"
