"""Officers upload caseload figures on a page: preview, row-numbered problems, confirm once, all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caseloads.models import CaseloadImportBatch, CaseloadReturn, ReturnStatus, Team, Worker

pytestmark = pytest.mark.django_db
HEADER = "month,team,staff_number,worker_name,role,employment,wte,cases\n"
GOOD = (
    "2017-02,Assessment North,S1,Ann Able,social_worker,permanent,1.00,18\n"
    "2017-02,Assessment North,S2,Ben Bold,senior_practitioner,agency,0.6,24\n"
)


def upload(client, content: str, name="caseloads.csv"):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(reverse("caseloads:import_upload", args=["returns"]), {"file": file})


def test_upload_preview_confirm_and_the_same_file_again(client, officer):
    client.force_login(officer)
    preview_url = upload(client, HEADER + GOOD)["Location"]
    preview = client.get(preview_url).content.decode()
    assert "Nothing is saved until you confirm" in preview
    assert "Would write 2 rows: 1 new teams (Assessment North), 2 new workers" in preview
    assert not Team.objects.exists() and not Worker.objects.exists()
    done = client.post(preview_url + "confirm/", follow=True).content.decode()
    assert "Imported caseloads.csv: Wrote 2 rows" in done
    assert CaseloadReturn.objects.get().status == ReturnStatus.SUBMITTED
    again = client.get(upload(client, HEADER + GOOD)["Location"]).content.decode()
    assert "1 unchanged" in again and "Nothing to import: discard" in again and "Confirm and import" not in again


def test_a_bad_file_is_rejected_with_each_problem_by_row_and_column(client, officer):
    client.force_login(officer)
    bad = GOOD + "2017-02,Assessment North,S3,Cal Cole,manager,permanent,1.5,4\n"
    html = client.get(upload(client, HEADER + bad)["Location"]).content.decode()
    assert "The file was not imported" in html and "1 row has problems" in html
    assert "&#x27;manager&#x27; is not known" in html and "1.5 is outside 0.01 to 1.00" in html
    batch = CaseloadImportBatch.objects.get()
    assert batch.state == "rejected"
    assert client.post(reverse("caseloads:import_confirm", args=[batch.pk])).status_code == 400
    assert not Worker.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "manager", "member", "outsider"])
def test_only_officers_may_upload(client, request, who):
    url = reverse("caseloads:import_upload", args=["returns"])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": SimpleUploadedFile("c.csv", (HEADER + GOOD).encode())}).status_code == 403
    assert not CaseloadImportBatch.objects.exists()


def test_the_caseloads_page_links_officers_to_the_upload(client, officer, manager):
    client.force_login(officer)
    assert reverse("caseloads:imports") in client.get(reverse("caseloads:index")).content.decode()
    client.force_login(manager)
    assert reverse("caseloads:imports") not in client.get(reverse("caseloads:index")).content.decode()


def test_a_compression_bomb_upload_is_rejected_promptly_with_a_clear_message(client, officer, settings):
    import io
    import time
    import zipfile

    settings.PERFSITE_IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 20_000_000)
    client.force_login(officer)
    file = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())
    started = time.monotonic()
    response = client.post(reverse("caseloads:import_upload", args=["returns"]), {"file": file}, follow=True)
    assert time.monotonic() - started < 3
    html = response.content.decode()
    assert "The workbook unpacks to 19.1 MB, more than the 1.0 MB an import reads" in html
    assert CaseloadImportBatch.objects.get().state == "rejected"


def test_visiting_the_preview_again_does_not_check_the_file_again(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    rows = "".join(
        f"2017-02,Assessment North,S{n},Worker {n},social_worker,permanent,1,{n % 30}\n" for n in range(1, 301)
    )
    preview_url = upload(client, HEADER + rows)["Location"]
    with django_assert_max_num_queries(8):
        html = client.get(preview_url).content.decode()
    assert "Would write 300 rows" in html and not Worker.objects.exists()
