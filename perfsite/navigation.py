"""Role-aware navigation.

Each app's AppConfig may define ``nav_links(user) -> list[NavLink]``; the header
and the home page show the links of every installed app in INSTALLED_APPS order.
This keeps the foundation free of imports from the domain apps.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from perfsite.roles import is_performance_officer


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    description: str = ""


def nav_links(user) -> list[NavLink]:
    if not user.is_authenticated:
        return []
    links: list[NavLink] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "nav_links", None)
        if provider is not None:
            links.extend(provider(user))
    if is_performance_officer(user) and user.is_staff:
        links.append(NavLink("Admin", reverse("admin:index"), "Django admin: every record and its history."))
    return links
