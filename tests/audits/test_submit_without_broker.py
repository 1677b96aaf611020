"""With Redis down, submitting an audit saves it and answers at once: the recompute it queues is
logged as not queued and the nightly run catches up (perfsite.queue; issue 12, finding 5G)."""

import logging
import time

import pytest
from django.urls import reverse

from audits.choices import AuditStatus
from perfsite.celery import app
from tests.audits.test_audit_form_page import form_data


@pytest.fixture
def broker_down():
    """Celery as production runs it (not eager), pointed at a port where nothing listens."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:9/0")
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_a_submitted_audit_is_saved_and_answered_when_the_broker_is_down(client, build, auditor, broker_down, caplog):
    audit = build.audit(build.case(build.team("North")), auditor=auditor)
    client.force_login(auditor)
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="perfsite.queue"):
        client.post(reverse("audits:audit_edit", args=[audit.pk]), form_data())  # saved, then checked
        response = client.post(reverse("audits:audit_submit", args=[audit.pk]))
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    assert elapsed < 10
    assert "Could not queue indicators.tasks.recompute_computed_indicators" in caplog.text
