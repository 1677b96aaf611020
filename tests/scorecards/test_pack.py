"""The committee pack: both files build from the frozen snapshot; the PDF is tagged; the web builds it
on Celery with progress, and asking again for the same snapshot reuses the files."""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from scorecards.models import CommitteePack, PackStatus
from scorecards.pack_pdf import render_pdf
from scorecards.pack_xlsx import render_xlsx
from scorecards.packs import build_pack, pack_meta, request_pack
from scorecards.publishing import amend, publish
from scorecards.snapshot import all_charts
from tests.scorecards.conftest import Q4
from tests.scorecards.pdftext import is_tagged, page_sizes, pdf_text, structure_types

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(small_scorecard, officer):
    return publish(quarter=Q4, user=officer)


def test_the_pdf_is_tagged_a4_and_carries_the_scorecard(published):
    pdf = render_pdf(published.snapshot, pack_meta(published))
    assert pdf.startswith(b"%PDF-")
    assert is_tagged(pdf)
    assert {"Document", "H1", "H2", "Table", "TH", "TD", "L", "LI", "Figure"} <= structure_types(pdf)
    sizes = page_sizes(pdf)
    assert (595, 842) in sizes and (842, 595) in sizes  # A4, with the wide appendix in landscape
    assert set(sizes) == {(595, 842), (842, 595)}
    text = pdf_text(pdf)
    assert "Performance scorecard: Quarter 4 2016/17 (Jan - Mar 2017)" in text
    assert "Page 1 of" in text
    assert "73.4% of statutory referrals processed within 1 working day (Jan - Mar 2017)" in text
    for code in ("CASCYP 31", "CASCYP 30", "CASCYP 24"):
        assert code in text
    assert "Table 1: Key target indicators" in text and "Table 2: Key tracker indicators" in text
    assert "Data for: Average caseload per WTE, by month, against the optimum" in text


def test_the_xlsx_has_the_tables_messages_and_every_charts_data(published):
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(published.snapshot, pack_meta(published))))
    assert book.sheetnames == [
        "Summary",
        "Key messages",
        "Indicators",
        "Appendix 3 table 1",
        "Appendix 3 table 2",
        "Audits",
        "Caseloads",
        "Audit sample",
        "Actions",
        "Chart data",
    ]
    messages = list(book["Key messages"].iter_rows(min_row=2, values_only=True))
    assert ("Assessment and safeguarding services", "Key performance issue", "CASCYP 31", "RED") in [
        m[:4] for m in messages
    ]
    assert messages[0][:4] == ("Early help and universal services", "Other message", "CASCYP 30", "GREEN")
    table1 = [row for row in book["Appendix 3 table 1"].iter_rows(min_row=4, values_only=True) if row[1]]
    referrals = next(row for row in table1 if row[1] == "CASCYP 31")
    assert referrals[3:9] == (73.4, "Jan - Mar 2017", 85.0, "RED", 81.6, "RED")
    rules = book["Appendix 3 table 1"].conditional_formatting
    assert any('"RED"' in rule.formula[0] for ranges in rules for rule in ranges.rules)
    chart_titles = {row[0] for row in book["Chart data"].iter_rows(values_only=True) if row[0]}
    for chart in all_charts(published.snapshot):
        assert chart["title"] in chart_titles


def test_building_twice_for_the_same_snapshot_reuses_the_pack(published, member):
    pack, queued = request_pack(scorecard=published, user=member)
    assert queued
    if not settings.CELERY_TASK_ALWAYS_EAGER or pack.status != PackStatus.READY:
        build_pack(pack.pk)  # without an eager worker, run the task body here
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY and pack.progress == 100
    names, finished = (pack.pdf.name, pack.xlsx.name), pack.finished_at
    again, queued_again = request_pack(scorecard=published, user=member)
    assert not queued_again
    assert build_pack(pack.pk) == "ready"
    again.refresh_from_db()
    assert (again.pdf.name, again.xlsx.name) == names and again.finished_at == finished
    assert CommitteePack.objects.count() == 1


def test_a_failed_or_lost_build_is_queued_again(published, member):
    now = timezone.now()
    pack = CommitteePack.objects.create(
        scorecard=published, status=PackStatus.FAILED, requested_at=now, snapshot_sha256=published.sha256
    )
    _, queued = request_pack(scorecard=published, user=member)
    assert queued
    CommitteePack.objects.filter(pk=pack.pk).update(
        status=PackStatus.BUILDING, started_at=now - datetime.timedelta(hours=2), requested_at=now
    )
    _, queued = request_pack(scorecard=published, user=member)
    assert queued
    CommitteePack.objects.filter(pk=pack.pk).update(status=PackStatus.BUILDING, started_at=timezone.now())
    _, queued = request_pack(scorecard=published, user=member)
    assert not queued  # still being built by a live worker


def test_a_member_requests_the_pack_sees_progress_and_downloads_both_files(client, published, member):
    client.force_login(member)
    pack_url = reverse("scorecards:pack", kwargs={"quarter": Q4})
    page = client.get(pack_url)
    assert page.status_code == 200
    assert b"Build the committee pack" in page.content
    assert client.post(pack_url).status_code == 302
    pack = CommitteePack.objects.get()
    if pack.status != PackStatus.READY:
        status = client.get(reverse("scorecards:pack_status", kwargs={"quarter": Q4})).json()
        assert status["status"] in ("queued", "building")
        assert b"<progress" in client.get(pack_url).content
        build_pack(pack.pk)
    status = client.get(reverse("scorecards:pack_status", kwargs={"quarter": Q4})).json()
    assert status["status"] == "ready"
    assert b"Download the PDF" in client.get(pack_url).content
    pdf = client.get(status["pdf"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    xlsx = client.get(status["xlsx"])
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_each_version_has_its_own_pack(client, published, officer, small_scorecard):
    from indicators.models import IndicatorValue

    request_pack(scorecard=published, user=officer)
    build_pack(CommitteePack.objects.get().pk)
    IndicatorValue.objects.filter(indicator=small_scorecard["referrals"], period_label="Jan - Mar 2017").update(
        value="74.1"
    )
    amendment = amend(quarter=Q4, user=officer, reason="Refreshed")
    pack, queued = request_pack(scorecard=amendment, user=officer)
    assert queued and pack.scorecard == amendment
    build_pack(pack.pk)
    pack.refresh_from_db()
    assert "74.1% of statutory referrals" in pdf_text(pack.pdf.read())
    assert "Amendment 1" in pdf_text(pack.pdf.open("rb").read())


def test_no_pack_for_an_unpublished_quarter(client, member, small_scorecard):
    client.force_login(member)
    assert client.get(reverse("scorecards:pack", kwargs={"quarter": Q4})).status_code == 404
    assert client.post(reverse("scorecards:pack", kwargs={"quarter": Q4})).status_code == 404


def test_downloads_need_a_ready_pack_and_a_known_format(client, published, member):
    client.force_login(member)
    for fmt in ("pdf", "doc"):
        response = client.get(reverse("scorecards:pack_download", kwargs={"quarter": Q4, "version": 1, "fmt": fmt}))
        assert response.status_code == 404


def test_outsiders_and_anonymous_users_cannot_download(client, published, outsider, member):
    request_pack(scorecard=published, user=member)
    build_pack(CommitteePack.objects.get().pk)
    url = reverse("scorecards:pack_download", kwargs={"quarter": Q4, "version": 1, "fmt": "pdf"})
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_the_pack_page_never_says_being_built_above_ready(client, published, member):
    """Issue 10 part 2: the message says what is true when the page shows."""
    client.force_login(member)
    url = reverse("scorecards:pack", kwargs={"quarter": published.quarter_obj})
    page = client.post(url, follow=True).content.decode()
    if CommitteePack.objects.get().status == PackStatus.READY:  # eager tasks: built within the request
        assert "The pack is ready." in page and "being built" not in page
    else:  # a real worker builds it: the page shows its progress, not "ready"
        assert "being built" in page and "The pack is ready." not in page
