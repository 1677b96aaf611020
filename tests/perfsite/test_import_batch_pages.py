"""The uploads list is paged: 50 batches a page, the same queries at any size, no error on any ?page=."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import AuditImportBatch


def upload(officer, count):
    AuditImportBatch.objects.bulk_create(
        AuditImportBatch(kind="cases", filename=f"cases-{n}.csv", content=b"x", uploaded_by=officer)
        for n in range(count)
    )


def get(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("audits:imports") + query)
    assert response.status_code == 200
    return response, len(captured)


def test_the_uploads_are_paged_with_the_same_queries_at_two_sizes(client, officer):
    client.force_login(officer)
    upload(officer, 55)
    first, small = get(client, "?page=2")
    assert len(first.context["batches"]) == 5
    assert 'class="govuk-pagination"' in get(client)[0].content.decode()
    upload(officer, 200)
    response, large = get(client, "?page=2")
    assert large == small and len(response.context["batches"]) == 50


@pytest.mark.parametrize("value", ["0", "-3", "x", "1.5", "10000000000000000000000", ""])
def test_hostile_page_numbers_answer_a_page(client, officer, value):
    client.force_login(officer)
    upload(officer, 55)
    response, _ = get(client, f"?page={value}")
    assert response.context["batches"].number in (1, 2)
