"""Officers upload the case list and historic results on pages: preview, row-numbered problems, confirm once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits.models import Audit, AuditImportBatch, Case

pytestmark = pytest.mark.django_db

CASES = "case_ref,case_type,team,worker_staff_number,opened_on,closed_on\n"
RESULTS = "case_ref,team,case_type,quarter,overall_grade,moderated_grade,completed_on\n"


@pytest.fixture
def north(build):
    return build.team("North")


def upload(client, kind, content: str, name="file.csv"):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(reverse("audits:import_upload", args=[kind]), {"file": file})


def test_case_list_upload_preview_confirm(client, officer, north):
    client.force_login(officer)
    response = upload(client, "cases", CASES + "C-000001,cin,North,,2016-04-01,\nC-000002,cp,North,,2016-05-01,\n")
    batch = AuditImportBatch.objects.get()
    assert response["Location"] == reverse("audits:import_preview", args=[batch.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "Nothing is saved until you confirm" in preview and "2 case(s) created, 0 updated, 0 unchanged" in preview
    assert "govuk-panel--confirmation" not in preview  # a pending preview is not a success
    assert not Case.objects.exists()  # the preview rehearsed the import and rolled it back
    done = client.post(reverse("audits:import_confirm", args=[batch.pk]), follow=True)
    assert "Imported file.csv: 2 case(s) created, 0 updated, 0 unchanged." in done.content.decode()
    batch.refresh_from_db()
    assert batch.state == "applied" and batch.summary == {"created": 2, "updated": 0, "unchanged": 0}
    assert Case.objects.count() == 2 and Case.history.filter(history_user=officer).count() == 2
    again = client.post(reverse("audits:import_confirm", args=[batch.pk]), follow=True)
    assert "This upload was already applied." in again.content.decode()
    assert Case.objects.count() == 2


def test_a_bad_case_list_is_rejected_with_every_problem_by_row(client, officer, north):
    client.force_login(officer)
    content = CASES + "C-000001,cin,North,,2016-04-01,\nC-000002,adoption,Nowhere,,2016-05-01,\n"
    preview_url = upload(client, "cases", content)["Location"]
    batch = AuditImportBatch.objects.get()
    assert batch.state == "rejected" and batch.get_state_display() == "Rejected"
    html = client.get(preview_url).content.decode()
    assert "The file was not imported" in html and "1 row has problems" in html and "Rejected" in html
    assert "no team is called &#x27;Nowhere&#x27;" in html and '<td class="govuk-table__cell">team</td>' in html
    assert client.post(reverse("audits:import_confirm", args=[batch.pk])).status_code == 400
    assert not Case.objects.exists()
    index = client.get(reverse("audits:imports")).content.decode()
    assert 'govuk-tag--red">Rejected' in index
    client.post(reverse("audits:import_cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == "cancelled" and bytes(batch.content) == b""


def test_historic_results_upload_is_all_or_nothing(client, officer, north):
    client.force_login(officer)
    good = "C-000001,North,cin,2015-16-q4,good,,2016-03-10\n"
    preview_url = upload(client, "results", RESULTS + good + "C-000002,North,cp,2015-16-q4,grand,,2016-03-10\n")[
        "Location"
    ]
    assert "Row 3" not in client.get(preview_url).content.decode()  # rows are shown in their own column
    assert "&#x27;grand&#x27; is not a grade" in client.get(preview_url).content.decode()
    assert not Audit.objects.exists() and not Case.objects.exists()
    preview_url = upload(client, "results", RESULTS + good)["Location"]
    assert "1 result(s) created" in client.get(preview_url).content.decode()
    client.post(preview_url + "confirm/")
    assert Audit.objects.get().case.case_ref == "C-000001"


@pytest.mark.parametrize("who", ["auditor", "moderator", "manager", "member", "outsider"])
@pytest.mark.parametrize("name", ["imports", "upload", "preview", "confirm", "cancel"])
def test_only_officers_may_use_the_upload_pages(client, request, officer, who, name):
    batch = AuditImportBatch.objects.create(kind="cases", filename="c.csv", content=b"x", uploaded_by=officer)
    url = {
        "imports": reverse("audits:imports"),
        "upload": reverse("audits:import_upload", args=["cases"]),
        "preview": reverse("audits:import_preview", args=[batch.pk]),
        "confirm": reverse("audits:import_confirm", args=[batch.pk]),
        "cancel": reverse("audits:import_cancel", args=[batch.pk]),
    }[name]
    method = client.post if name in {"confirm", "cancel"} else client.get
    anonymous = method(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    client.force_login(request.getfixturevalue(who))
    assert method(url).status_code == 403
    batch.refresh_from_db()
    assert batch.state == "previewed"


def test_the_imports_pages_link_to_each_other(client, officer):
    client.force_login(officer)
    html = client.get(reverse("indicators:imports")).content.decode()
    assert reverse("audits:import_upload", args=["cases"]) in html
    assert reverse("caseloads:import_upload", args=["returns"]) in html
    html = client.get(reverse("audits:imports")).content.decode()
    assert reverse("indicators:imports") in html and reverse("caseloads:import_upload", args=["returns"]) in html
