"""On the web, an import speaks of pages and shows numbers as written; a rejected upload is Rejected."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import ImportBatch
from tests.indicators.conftest import make_indicator

pytestmark = pytest.mark.django_db
HEADER = "code,series,period_label,period_start,period_end,value,numerator,denominator\n"


def upload(client, content: str):
    file = SimpleUploadedFile("values.csv", content.encode(), content_type="text/csv")
    return client.post(reverse("indicators:import_upload", args=["values"]), {"file": file})


def test_the_preview_shows_numbers_as_written(client, officer):
    make_indicator("CASCYP 31")
    client.force_login(officer)
    html = client.get(
        upload(client, HEADER + "CASCYP 31,actual,2016/17,2016-04-01,2017-03-31,73.4,367,500\n")["Location"]
    )
    text = html.content.decode()
    assert "367/500" in text and "5E+2" not in text


def test_an_unknown_indicator_is_worded_for_the_page_and_the_upload_is_rejected(client, officer):
    client.force_login(officer)
    preview_url = upload(client, HEADER + "CASCYP 99,actual,2016/17,2016-04-01,2017-03-31,1,,\n")["Location"]
    text = client.get(preview_url).content.decode()
    assert "import it on the Import indicators page first" in text and "import_indicators" not in text
    batch = ImportBatch.objects.get()
    assert batch.state == "rejected"
    index = client.get(reverse("indicators:imports")).content.decode()
    assert ">Rejected</strong>" in index and ">Previewed</strong>" not in index
