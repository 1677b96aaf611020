"""Scrutiny members read the indicators only up to the published horizon (issues 3 and 6).

The horizon is the end of the latest published quarter. A member sees no figure for a period
after it on any page or download under /indicators/, cannot open a quarter ending after it (404),
and sees no figures at all while nothing is published. Every other role sees everything.

The register here: one indicator with Q3 and Q4 2016/17 figures (published) and a Q1 2017/18
figure, a 2017/18 target and an Apr - Jun 2017 benchmark (not published). The unpublished
figures are written so that they appear nowhere else on a page: 77.7, 88.8, 66.6.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from indicators.history import change_history
from indicators.horizon import NOTHING_PUBLISHED, Horizon, horizon_for, last_quarter_by, member_horizon
from indicators.models import Series
from indicators.quarters import Quarter
from indicators.rag import Rag
from indicators.selectors import quarter_rows
from perfsite.roles import Role
from tests.indicators.conftest import add, make_indicator, publish

D = Decimal
Q3 = Quarter.parse("2016-17-q3")
Q4 = Quarter.parse("2016-17-q4")
NEXT = Quarter.parse("2017-18-q1")
UNPUBLISHED = ("77.7", "88.8", "66.6", "Apr - Jun 2017", "2017/18")
LIST = reverse("indicators:list")
INDEX = reverse("indicators:quarter_latest")
FORMATS = ("csv", "json", "xlsx")


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# -- the rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "start", "end", "through", "allowed"),
    [
        # actuals and benchmarks: the period must end on or before the horizon
        ("actual", "2017-01-01", "2017-03-31", "2017-03-31", True),
        ("actual", "2017-04-01", "2017-04-30", "2017-03-31", False),
        ("actual", "2017-03-31", "2017-03-31", "2017-03-31", True),
        ("actual", "2016-04-01", "2017-03-31", "2016-12-31", False),  # a year to date past the horizon
        ("national", "2016-04-01", "2017-03-31", "2017-03-31", True),
        ("national", "2017-04-01", "2017-06-30", "2017-03-31", False),
        ("regional", "2017-04-01", "2017-06-30", "2017-03-31", False),
        ("statistical_neighbours", "2017-04-01", "2017-06-30", "2017-03-31", False),
        # targets: the period must start on or before it (the published quarter's row showed it)
        ("target", "2016-04-01", "2017-03-31", "2016-12-31", True),
        ("target", "2017-04-01", "2018-03-31", "2017-03-31", False),
        ("target", "2017-01-01", "2017-03-31", "2017-03-31", True),
        # nothing published: nothing at all
        ("actual", "2010-01-01", "2010-03-31", None, False),
        ("target", "2010-01-01", "2010-03-31", None, False),
    ],
)
def test_which_figures_a_member_may_see(series, start, end, through, allowed):
    horizon = Horizon(limited=True, through=day(through) if through else None)
    assert horizon.allows_period(series=series, start=day(start), end=day(end)) is allowed
    # Every other reader sees every figure.
    assert Horizon().allows_period(series=series, start=day(start), end=day(end)) is True


@pytest.mark.parametrize(
    ("published_through", "through"),
    [
        (None, None),
        ("2017-03-31", "2017-03-31"),
        ("2016-12-31", "2016-12-31"),
        # a date inside a quarter is taken back to the end of the quarter before
        ("2017-05-15", "2017-03-31"),
        ("2017-04-01", "2017-03-31"),
        ("2017-06-29", "2017-03-31"),
    ],
)
def test_the_member_horizon_is_a_quarter_end(published_through, through):
    horizon = Horizon.members(day(published_through) if published_through else None)
    assert horizon.limited
    assert horizon.through == (day(through) if through else None)
    assert horizon.nothing_published is (through is None)


@pytest.mark.parametrize(
    ("on", "quarter"),
    [
        ("2017-03-31", "2016-17-q4"),
        ("2017-03-30", "2016-17-q3"),
        ("2017-01-01", "2016-17-q3"),
        ("2016-12-31", "2016-17-q3"),
    ],
)
def test_last_quarter_by(on, quarter):
    assert last_quarter_by(day(on)) == Quarter.parse(quarter)


def test_quarters_a_member_may_open():
    quarters = [NEXT, Q4, Q3, Q3.previous()]
    horizon = Horizon.members(Q4.end)
    assert horizon.quarters(quarters) == [Q4, Q3, Q3.previous()]
    assert horizon.default_quarter(quarters) == Q4
    assert horizon.allows_quarter(Q4) and not horizon.allows_quarter(NEXT)
    # The latest published quarter is offered even when no figure falls in it.
    assert Horizon.members(NEXT.end).quarters([Q4, Q3]) == [NEXT, Q4, Q3]
    nothing = Horizon.members(None)
    assert nothing.quarters(quarters) == [] and nothing.default_quarter(quarters) is None
    assert not nothing.allows_quarter(Q3.previous())
    everyone = Horizon()
    assert everyone.quarters(quarters) == quarters and everyone.default_quarter(quarters) == NEXT


def test_member_horizon_takes_the_latest_date_any_app_gives(monkeypatch):
    class Silent:  # no hook: most apps
        pass

    class Answers:
        def __init__(self, answer):
            self.answer = answer

        def published_through(self):
            return self.answer

    configs = [Silent(), Answers(None), Answers(day("2016-12-31")), Answers(day("2017-03-31")), Answers(None)]
    monkeypatch.setattr("indicators.horizon.apps.get_app_configs", lambda: configs)
    assert member_horizon() == day("2017-03-31")
    monkeypatch.setattr("indicators.horizon.apps.get_app_configs", lambda: [Silent(), Answers(None)])
    assert member_horizon() is None


# -- the register ----------------------------------------------------------------------------------


@pytest.fixture
def register(db):
    ind = make_indicator("HZ 1", description="Horizon test indicator", kind="target", polarity="higher")
    add(ind, "actual", "2016-10-01", "2016-12-31", "41.0", "Oct - Dec 2016")
    add(ind, "actual", "2017-01-01", "2017-03-31", "42.0", "Jan - Mar 2017")
    add(ind, "actual", "2017-04-01", "2017-06-30", "77.7", "Apr - Jun 2017")
    add(ind, "target", "2016-04-01", "2017-03-31", "40.0", "2016/17")
    add(ind, "target", "2017-04-01", "2018-03-31", "88.8", "2017/18")
    add(ind, "national", "2016-04-01", "2016-12-31", "50.5", "Apr - Dec 2016")
    add(ind, "national", "2017-04-01", "2017-06-30", "66.6", "Apr - Jun 2017")
    return ind


@pytest.fixture
def published(register):
    publish(Q3.slug, Q4.slug)
    return register


def detail(ind) -> str:
    return reverse("indicators:detail", args=[ind.pk])


def quarter_url(quarter: Quarter) -> str:
    return reverse("indicators:quarter", args=[quarter.slug])


def export_url(quarter: Quarter, fmt: str) -> str:
    return reverse("indicators:quarter_export", args=[quarter.slug, fmt])


def assert_nothing_unpublished(text: str) -> None:
    for marker in UNPUBLISHED:
        assert marker not in text, marker


def list_export(client, fmt: str, **params) -> tuple[str, list[dict]]:
    response = client.get(LIST, {**params, "_export": fmt})
    assert response.status_code == 200
    filename = response["Content-Disposition"]
    if fmt == "csv":
        return filename, list(csv.DictReader(io.StringIO(response.content.decode())))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    return filename, [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def quarter_export(client, quarter: Quarter, fmt: str) -> str:
    """The download as text, whatever its format."""
    response = client.get(export_url(quarter, fmt))
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        return json.dumps([[str(v) for v in row] for row in sheet.iter_rows(values_only=True)])
    return response.content.decode()


# -- a member, with Q3 and Q4 2016/17 published ----------------------------------------------------


def test_an_unpublished_quarter_is_not_found(client, member, published):
    client.force_login(member)
    for quarter in (NEXT, NEXT.next(), Quarter.parse("2030-31-q1")):
        assert client.get(quarter_url(quarter)).status_code == 404
        for fmt in FORMATS:
            assert client.get(export_url(quarter, fmt)).status_code == 404
    # Not even as a redirect to its canonical spelling.
    assert client.get("/indicators/quarters/2017-18-Q1/").status_code == 404


def test_a_published_quarter_shows_its_figures_and_nothing_after(client, member, published):
    client.force_login(member)
    for quarter, latest in ((Q4, "42.0"), (Q3, "41.0")):
        response = client.get(quarter_url(quarter))
        assert response.status_code == 200
        text = text_of(response)
        assert latest in text and "40.0" in text and "50.5" in text
        assert_nothing_unpublished(text)
        # No link to the unpublished quarter; its downloads are not offered.
        html = response.content.decode()
        assert quarter_url(NEXT) not in html and export_url(NEXT, "csv") not in html
        for fmt in FORMATS:
            exported = quarter_export(client, quarter, fmt)
            # The XLSX holds figures as numbers: 42.0 is read back as 42.
            assert (latest.removesuffix(".0") if fmt == "xlsx" else latest) in exported
            assert_nothing_unpublished(exported)


def test_the_quarter_page_offers_the_previous_quarter_but_not_the_next(client, member, published):
    client.force_login(member)
    html = client.get(quarter_url(Q4)).content.decode()
    assert quarter_url(Q3) in html
    assert 'rel="next"' not in html
    assert 'rel="next"' in client.get(quarter_url(Q3)).content.decode()


def test_the_quarter_index_lists_published_quarters_only(client, member, published):
    client.force_login(member)
    response = client.get(INDEX)
    html = response.content.decode()
    assert "Quarters up to the latest published" in html
    assert f"You see figures up to the end of {Q4.label}" in text_of(response)
    assert Q4.label in html and Q3.label in html
    assert NEXT.label not in html and NEXT.slug not in html
    assert f'<option value="{NEXT.slug}"' not in html
    # Asking the picker for it is an error on the form, not a redirect to a quarter.
    refused = client.get(INDEX, {"quarter": NEXT.slug})
    assert refused.status_code == 200 and "Error: " in refused.content.decode()
    assert client.get(INDEX, {"quarter": Q4.slug})["Location"] == quarter_url(Q4)


def test_the_list_defaults_to_the_latest_published_quarter(client, member, published):
    client.force_login(member)
    for params in ({}, {"quarter": NEXT.slug}, {"quarter": "nonsense"}):
        response = client.get(LIST, params)
        text = text_of(response)
        assert f"as it stood at the end of {Q4.label}" in text
        assert "42.0" in text
        assert_nothing_unpublished(text)
        assert f'<option value="{NEXT.slug}"' not in response.content.decode()
    # An earlier published quarter can still be chosen.
    assert "41.0" in text_of(client.get(LIST, {"quarter": Q3.slug}))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_list_downloads_stop_at_the_horizon(client, member, published, fmt):
    client.force_login(member)
    for params in ({}, {"quarter": NEXT.slug}):
        filename, rows = list_export(client, fmt, **params)
        assert filename.endswith(f'indicators-{Q4.slug}.{fmt}"')
        (row,) = rows
        assert row["Latest"] == "42.0" and row["Period covered"] == "Jan - Mar 2017"
        assert_nothing_unpublished(json.dumps(rows))


def test_the_indicator_page_shows_figures_up_to_the_horizon(client, member, published):
    client.force_login(member)
    html = client.get(detail(published)).content.decode()
    text = text_of(client.get(detail(published)))
    # Series tables and the chart's data table: nothing after the horizon, in any series.
    assert_nothing_unpublished(text)
    assert "Oct - Dec 2016" in text and "Jan - Mar 2017" in text and "2016/17" in text and "50.5" in text
    # The latest position is the latest published quarter's.
    latest = text[text.index("Latest position") : text.index("Trend")]
    assert "42.0 (Jan - Mar 2017)" in latest and "40.0" in latest
    # RAG history: rated in Q4 and Q3 only.
    history = html[html.index("RAG history") :]
    assert Q4.label in history and Q3.label in history and NEXT.label not in history
    assert "No quarter has been published yet" not in html
    assert f"You see figures up to the end of {Q4.label}, the latest quarter published" in text


def test_everything_published_is_seen_once_the_next_quarter_is(client, member, published):
    publish(NEXT.slug)
    client.force_login(member)
    text = text_of(client.get(detail(published)))
    assert "77.7" in text and "88.8" in text and "66.6" in text
    assert client.get(quarter_url(NEXT)).status_code == 200
    assert "77.7" in text_of(client.get(LIST))


# -- a mid-year horizon ----------------------------------------------------------------------------


def test_only_q3_published(client, member, register):
    publish(Q3.slug)
    client.force_login(member)
    assert client.get(quarter_url(Q4)).status_code == 404
    for fmt in FORMATS:
        assert client.get(export_url(Q4, fmt)).status_code == 404
    quarter = text_of(client.get(quarter_url(Q3)))
    assert "41.0" in quarter and "42.0" not in quarter
    text = text_of(client.get(detail(register)))
    assert "41.0" in text and "42.0" not in text and "Jan - Mar 2017" not in text
    assert_nothing_unpublished(text)
    # The annual 2016/17 target was on the published Q3 row: the indicator page agrees with it.
    assert "40.0" in quarter and "40.0" in text
    latest = text[text.index("Latest position") : text.index("Trend")]
    assert "41.0 (Oct - Dec 2016)" in latest
    list_text = text_of(client.get(LIST))
    assert f"as it stood at the end of {Q3.label}" in list_text and "42.0" not in list_text


# -- nothing published -----------------------------------------------------------------------------


def test_with_nothing_published_a_member_sees_no_figures(client, member, register):
    client.force_login(member)
    figures = ("41.0", "42.0", "40.0", "50.5", *UNPUBLISHED)
    for url in (LIST, detail(register), INDEX):
        response = client.get(url)
        assert response.status_code == 200
        text = text_of(response)
        assert NOTHING_PUBLISHED in text, url
        for figure in figures:
            assert figure not in text, (url, figure)
    # The indicator's definition is still there.
    assert "Horizon test indicator" in text_of(client.get(detail(register)))
    for quarter in (Q3, Q4, NEXT):
        assert client.get(quarter_url(quarter)).status_code == 404
        for fmt in FORMATS:
            assert client.get(export_url(quarter, fmt)).status_code == 404
    for fmt in ("csv", "xlsx"):
        _, rows = list_export(client, fmt)
        assert rows == []


# -- everyone else ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "manager", "auditor", "admin_user"])
def test_other_roles_see_everything(client, request, published, who):
    client.force_login(request.getfixturevalue(who))
    text = text_of(client.get(detail(published)))
    for figure in ("77.7", "88.8", "66.6", "41.0", "42.0"):
        assert figure in text
    assert client.get(quarter_url(NEXT)).status_code == 200
    assert "77.7" in quarter_export(client, NEXT, "csv")
    # Their list defaults to the latest quarter with figures, published or not.
    assert "77.7" in text_of(client.get(LIST))
    assert NEXT.label in text_of(client.get(INDEX))


def test_other_roles_see_everything_with_nothing_published(client, manager, register):
    client.force_login(manager)
    assert "77.7" in text_of(client.get(detail(register)))
    assert client.get(quarter_url(NEXT)).status_code == 200
    assert NOTHING_PUBLISHED not in text_of(client.get(LIST))
    assert "You see figures up to" not in text_of(client.get(LIST))


def test_a_member_with_another_role_sees_everything(client, member, published):
    member.groups.add(Group.objects.get_or_create(name=Role.TEAM_MANAGER.value)[0])
    client.force_login(member)
    assert "77.7" in text_of(client.get(detail(published)))
    assert client.get(quarter_url(NEXT)).status_code == 200


def test_horizon_for(member, manager, officer, published):
    assert horizon_for(member) == Horizon(limited=True, through=Q4.end)
    assert horizon_for(manager) == Horizon() and horizon_for(officer) == Horizon()


# -- the guard on rows -----------------------------------------------------------------------------


def test_rows_blank_any_cell_past_the_horizon(register):
    (row,) = quarter_rows(NEXT)
    assert row.latest.value == D("77.7") and row.target.value == D("88.8") and row.national.value == D("66.6")
    (guarded,) = Horizon.members(Q4.end).rows([row])
    for name in ("latest", "target", "national"):
        assert guarded.cell(name).is_empty, name
    # Nothing is rated once the latest figure is gone; inside cells stay, unrated.
    assert guarded.previous.value == D("42.0") and guarded.previous.rag == Rag.NA
    assert all(guarded.cell(name).rag == Rag.NA for name in ("previous", "twelve_months_earlier", "regional"))
    # A row of a quarter inside the horizon is left exactly as it is.
    (inside,) = quarter_rows(Q4)
    assert Horizon.members(Q4.end).rows([inside]) == [inside]
    assert Horizon().rows([row]) == [row]


def test_values_filter(register):
    values = list(register.values.all())
    shown = Horizon.members(Q4.end).values(values)
    assert sorted(str(v.figure) for v in shown) == ["40.0", "41.0", "42.0", "50.5"]
    assert Horizon.members(None).values(values) == []
    assert Horizon().values(values) == values
    assert {v.series for v in shown} == {Series.ACTUAL, Series.TARGET, Series.NATIONAL}


# -- queries ---------------------------------------------------------------------------------------


def count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def grow(ind, count: int, *, first: str) -> None:
    """``count`` more quarters of figures from ``first`` (before the horizon), and indicators with figures after it."""
    quarter = Quarter.parse(first)
    for n in range(count):
        add(ind, "actual", quarter.start.isoformat(), quarter.end.isoformat(), str(30 + n % 9), quarter.period_label)
        quarter = quarter.next()
    for n in range(count):
        other = make_indicator(f"GROW {first}-{n:03d}")
        add(other, "actual", "2017-01-01", "2017-03-31", "12.0", "Jan - Mar 2017")
        add(other, "actual", "2017-04-01", "2017-06-30", "77.7", "Apr - Jun 2017")


def measure(client, user, ind) -> dict[str, int]:
    client.force_login(user)
    urls = {
        "list": LIST,
        "list csv": LIST + "?_export=csv",
        "list xlsx": LIST + "?_export=xlsx",
        "index": INDEX,
        "quarter": quarter_url(Q4),
        **{f"quarter {fmt}": export_url(Q4, fmt) for fmt in FORMATS},
        "detail": detail(ind),
    }
    counts = {}
    for name, url in urls.items():
        counts[name] = count_queries(lambda url=url: client.get(url))
        assert client.get(url).status_code == 200, url
    return counts


def test_query_counts_are_constant(client, member, manager, published):
    grow(published, 3, first="2005-06-q1")
    member_small, manager_small = measure(client, member, published), measure(client, manager, published)
    grow(published, 30, first="1990-91-q1")
    member_large, manager_large = measure(client, member, published), measure(client, manager, published)
    assert member_small == member_large
    assert manager_small == manager_large
    # The horizon costs a member one query on each page and download, no more.
    assert {k: v for k, v in member_small.items() if k != "detail"} == {
        k: v + 1 for k, v in manager_small.items() if k != "detail"
    }
    # On an indicator's page a member also skips the change history's page (indicators.history) and
    # the current row (three).
    with CaptureQueriesContext(connection) as history:
        change_history(published)
    assert member_small["detail"] == manager_small["detail"] + 1 - len(history) - 3


def test_query_counts_with_nothing_published(client, member, register):
    client.force_login(member)
    small = {url: count_queries(lambda url=url: client.get(url)) for url in (LIST, INDEX, detail(register))}
    grow(register, 20, first="2005-06-q1")
    large = {url: count_queries(lambda url=url: client.get(url)) for url in (LIST, INDEX, detail(register))}
    assert small == large
