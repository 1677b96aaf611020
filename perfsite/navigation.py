"""Role-aware navigation.

Each app's AppConfig may define ``nav_links(user) -> list[NavLink]``; the home page shows the links
of every installed app in INSTALLED_APPS order. The header groups them: one item per app (its
``nav_label``, else its verbose name), so each role's menu fits one row, and the current app's own
links below it. Exactly one item of each is current: the link whose address is the longest prefix
of the page's. This keeps the foundation free of imports from the domain apps.
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


@dataclass(frozen=True)
class NavGroup:
    label: str
    links: tuple[NavLink, ...]

    @property
    def url(self) -> str:
        return self.links[0].url


def nav_groups(user) -> list[NavGroup]:
    if not user.is_authenticated:
        return []
    groups: list[NavGroup] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "nav_links", None)
        links = tuple(provider(user)) if provider is not None else ()
        if links:
            groups.append(NavGroup(getattr(config, "nav_label", config.verbose_name), links))
    if is_performance_officer(user) and user.is_staff:
        admin = NavLink("Admin", reverse("admin:index"), "Django admin: every record and its history.")
        groups.append(NavGroup("Admin", (admin,)))
    return groups


def nav_links(user) -> list[NavLink]:
    return [link for group in nav_groups(user) for link in group.links]


def current_link(links, path: str):
    """The link whose address is the longest prefix of ``path``: one current item, never two."""
    matching = [link for link in links if path.startswith(link.url)]
    return max(matching, key=lambda link: len(link.url), default=None)


def menu(user, path: str) -> tuple[list[tuple[NavGroup, bool]], list[tuple[NavLink, bool]]]:
    """The header's items (each app, one current) and the current app's own links (one current)."""
    groups = nav_groups(user)
    current = current_link([link for group in groups for link in group.links], path)
    top = [(group, current in group.links) for group in groups]
    own = next((group.links for group in groups if current in group.links), ())
    return top, [(link, link == current) for link in own] if len(own) > 1 else []
