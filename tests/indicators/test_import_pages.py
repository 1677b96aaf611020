"""Web uploads: choose a file, preview rows new/changed/unchanged or every problem, confirm once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import ImportBatch, Indicator, IndicatorValue
from tests.indicators.conftest import CYP, make_indicator

VALUES = (
    "code,series,period_label,period_start,period_end,value\n"
    "CASCYP 31,actual,2016/17,2016-04-01,2017-03-31,73.4\n"
    "CASCYP 31,target,2016/17,2016-04-01,2017-03-31,85.0\n"
)


def upload(client, kind, content: str, name="values.csv", **extra):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(reverse("indicators:import_upload", args=[kind]), {"file": file, **extra})


@pytest.fixture
def cascyp31(db):
    return make_indicator("CASCYP 31")


def test_upload_preview_confirm(client, officer, cascyp31):
    client.force_login(officer)
    response = upload(client, "values", VALUES)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("indicators:import_preview", args=[batch.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "Nothing is saved until you confirm" in preview and "2 new, 0 changed, 0 unchanged" in preview
    assert "CASCYP 31 · Actual · 2016/17" in preview
    assert not IndicatorValue.objects.exists()
    done = client.post(reverse("indicators:import_confirm", args=[batch.pk]), follow=True)
    assert "Imported values.csv: 2 new, 0 changed, 0 unchanged." in done.content.decode()
    batch.refresh_from_db()
    assert (batch.state, batch.summary) == ("applied", {"new": 2, "changed": 0, "unchanged": 0})
    assert IndicatorValue.objects.count() == 2
    assert IndicatorValue.history.filter(history_user=officer).count() == 2
    # Confirming twice does not import twice.
    again = client.post(reverse("indicators:import_confirm", args=[batch.pk]), follow=True)
    assert "This upload was already applied." in again.content.decode()
    assert IndicatorValue.history.count() == 2


def test_the_same_file_again_previews_as_unchanged(client, officer, cascyp31):
    client.force_login(officer)
    batch_url = upload(client, "values", VALUES)["Location"]
    client.post(batch_url + "confirm/")
    preview = client.get(upload(client, "values", VALUES)["Location"]).content.decode()
    assert "0 new, 0 changed, 2 unchanged" in preview
    assert "Confirm and import" not in preview and "Nothing to import: discard" in preview


def test_a_bad_file_shows_every_problem_and_cannot_be_confirmed(client, officer, cascyp31):
    client.force_login(officer)
    bad = VALUES + "CASCYP 99,actual,2016/17,2016-04-01,2017-03-31,1\nCASCYP 31,actual,x,2016-04-01,2017-03-31,abc\n"
    preview_url = upload(client, "values", bad)["Location"]
    html = client.get(preview_url).content.decode()
    assert "<title>Error: " in html and "The file was not imported" in html
    assert "2 rows have problems" in html
    assert "&#x27;CASCYP 99&#x27; is not an indicator" in html and "&#x27;abc&#x27; is not a number" in html
    batch = ImportBatch.objects.get()
    response = client.post(reverse("indicators:import_confirm", args=[batch.pk]))
    assert response.status_code == 400
    assert not IndicatorValue.objects.exists()
    client.post(reverse("indicators:import_cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == "cancelled" and bytes(batch.content) == b""


def test_the_file_is_checked_again_when_confirmed(client, officer, cascyp31):
    client.force_login(officer)
    preview_url = upload(client, "values", VALUES)["Location"]
    cascyp31.delete()  # the register changed between preview and confirm
    response = client.post(preview_url + "confirm/")
    assert response.status_code == 400 and "is not an indicator" in response.content.decode()
    assert not IndicatorValue.objects.exists()
    assert ImportBatch.objects.get().state == "previewed"


def test_indicator_upload(client, officer, db):
    client.force_login(officer)
    header = "code,description,kind,polarity,unit,decimals,tolerance,themes"
    content = f"{header}\nNEW 1,A new one,tracker,lower,count,0,0,{CYP}\n"
    preview_url = upload(client, "indicators", content, name="indicators.csv")["Location"]
    assert "1 new" in client.get(preview_url).content.decode()
    client.post(preview_url + "confirm/")
    assert Indicator.objects.get(code="NEW 1").tolerance == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("values.txt", "x", "The selected file must be a CSV or XLSX"),
        ("values.csv", "", "The submitted file is empty."),
    ],
)
def test_the_upload_form_refuses_other_files(client, officer, db, name, content, message):
    client.force_login(officer)
    response = upload(client, "values", content, name=name)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_ees_upload_takes_its_options(client, officer, db):
    ind = make_indicator("CASCYP 24", polarity="lower")
    client.force_login(officer)
    content = (
        "time_period,geographic_level,region_code,region_name,new_la_code,figure\n"
        "2016,National,,,,60\n2016,Regional,E12000001,North East,,84\n"
    )
    options = {"indicator": ind.pk, "column": "figure", "timing": "as_at", "month_day": "03-31", "filters": ""}
    response = upload(client, "ees", content, name="cla.csv", **options)
    preview = client.get(response["Location"]).content.decode()
    assert "2 new" in preview and "no statistical neighbour has a figure" in preview
    client.post(response["Location"] + "confirm/")
    national = IndicatorValue.objects.get(series="national")
    assert (national.period_label, str(national.figure)) == ("As at Mar 2016", "60")
    bad = upload(client, "ees", content, name="cla.csv", **{**options, "month_day": "3/31", "filters": "nonsense"})
    html = bad.content.decode()
    assert "is not a month and day as MM-DD" in html and "is not a filter" in html
    assert ImportBatch.objects.count() == 1


def test_an_unknown_import_kind_is_not_found(client, officer, db):
    client.force_login(officer)
    assert client.get("/indicators/imports/cases/upload/").status_code == 404
