"""With debug off, 403/404/500 use our templates and show no stack trace."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.urls("tests.perfsite.urls_errors")


@override_settings(DEBUG=False)
def test_404_uses_our_template(client, auditor):
    client.force_login(auditor)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "govuk-template" in response.text
    assert "Traceback" not in response.text


@override_settings(DEBUG=False)
def test_403_uses_our_template(client, auditor):
    client.force_login(auditor)
    response = client.get("/refuse/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.text
    assert "govuk-template" in response.text


@override_settings(DEBUG=False)
def test_500_uses_our_template_and_hides_the_error(auditor):
    client = Client(raise_request_exception=False)
    client.force_login(auditor)
    response = client.get("/fail/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
