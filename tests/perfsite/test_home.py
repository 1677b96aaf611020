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
