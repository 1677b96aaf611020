from django.urls import reverse

from perfsite.roles import Role


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_shows_the_users_roles(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert Role.AUDITOR.value in response.text
    assert "Complete the case-file audits allocated to you." in response.text


def test_home_tells_a_user_without_a_role(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("home"))
    assert "You have no role yet" in response.text
    assert reverse("admin:index") not in response.text


def test_home_links_admin_for_performance_officers(client, officer):
    client.force_login(officer)
    response = client.get(reverse("home"))
    assert reverse("admin:index") in response.text


def test_the_boot_script_carries_the_csp_nonce(client, auditor):
    """GOV.UK Frontend's boot script is inline; without the nonce CSP blocks it and no component starts."""
    client.force_login(auditor)
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    nonce = response.text.split('<script nonce="', 1)[1].split('"', 1)[0]
    assert nonce
    assert f"'nonce-{nonce}'" in policy
