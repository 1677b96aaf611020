"""Shared fixtures: one named user per role, and an outsider with no role."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import Group
from model_bakery import baker

from perfsite.roles import Role

PASSWORD = "correct-horse-battery-staple"


# Parallel runs (pytest-xdist, `make test`) ---------------------------------------------------------
# Each xdist worker has its own test database (pytest-django adds the worker's name), but Redis and
# the media folder are shared. A Celery worker started by one test process would take tasks queued
# by another and run them against the wrong database, and one process's cache keys (or a flush)
# would reach the other; so each xdist worker gets its own Redis database: REDIS_URL's number
# plus one plus the worker's index (gw0 -> N+1, gw1 -> N+2). Files go to a per-session folder.


def pytest_xdist_auto_num_workers(config) -> int:
    """``-n auto``: one process per core this run may use, at most 8, so Redis numbers N+1..N+8 stay
    within its default 16 databases (and beyond a few processes the shared database is the limit)."""
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def redis_url_for_xdist_worker(url: str, worker: str) -> str:
    """``redis://host:6379/0`` for worker ``gw1`` -> ``redis://host:6379/2``."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = base + 1 + int(worker.removeprefix("gw"))
    if number > 15:
        raise pytest.UsageError(
            f"xdist worker {worker} would use Redis database {number} (REDIS_URL's {base} + 1 + its index); "
            "use fewer workers (-n) or a lower database number in REDIS_URL."
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


@pytest.fixture(scope="session", autouse=True)
def isolate_xdist_worker(tmp_path_factory):
    from django.conf import settings
    from django.test import override_settings

    from perfsite.celery import app

    overrides = {"MEDIA_ROOT": tmp_path_factory.mktemp("media")}
    if settings.SESSION_CACHE_ALIAS != "default":
        # Without Redis the sessions' copies are files: each test process keeps its own.
        own_files = str(tmp_path_factory.mktemp("sessions"))
        sessions = {**settings.CACHES[settings.SESSION_CACHE_ALIAS], "LOCATION": own_files}
        overrides["CACHES"] = {**settings.CACHES, settings.SESSION_CACHE_ALIAS: sessions}
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if settings.REDIS_URL and worker:
        own = redis_url_for_xdist_worker(settings.REDIS_URL, worker)
        overrides |= {
            "REDIS_URL": own,
            "CACHES": {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": own}},
            "CELERY_BROKER_URL": own,
            "CELERY_RESULT_BACKEND": own,
        }
        # Celery read its configuration from settings already; point the app itself at the database.
        app.conf.broker_url = own
        app.conf.result_backend = own
    with override_settings(**overrides):
        yield


def _flushed_by(item: pytest.Item) -> bool:
    """Whether the test ran in a transactional database, which Django empties (flushes) afterwards."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back the rows the data migrations made (roles, themes) once a transactional test's flush
    removed them: under xdist a file's ordinary tests may run after another file's transactional ones."""
    result = yield
    # After the last test the test database is gone (session teardown): nothing follows to need the rows.
    if nextitem is not None and _flushed_by(item):
        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        themes = importlib.import_module("indicators.migrations.0002_altogether_themes")
        roles = importlib.import_module("perfsite.migrations.0001_role_groups")
        with item.config.stash[blocking_manager_key].unblock():
            themes.create_themes(apps, None)
            roles.create_groups(apps, None)
    return result


def make_user(username: str, *roles: Role, **extra):
    user = baker.make("auth.User", username=username, first_name=username.title(), **extra)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


@pytest.fixture(autouse=True)
def _second_factor_only_where_tested(request, settings):
    """Officers and administrators must enrol a second factor (PERFSITE_MFA_REQUIRED, on by default).

    Tests that are not about signing in log users in with ``force_login`` and would all meet the
    enrolment page instead; tests marked ``mfa`` keep the requirement on (tests/perfsite/test_mfa.py,
    tests/browser/test_login.py).
    """
    if request.node.get_closest_marker("mfa") is None:
        settings.PERFSITE_MFA_REQUIRED = False


@pytest.fixture
def auditor(db):
    return make_user("auditor", Role.AUDITOR)


@pytest.fixture
def moderator(db):
    return make_user("moderator", Role.MODERATOR)


@pytest.fixture
def manager(db):
    return make_user("manager", Role.TEAM_MANAGER)


@pytest.fixture
def officer(db):
    return make_user("officer", Role.PERFORMANCE_OFFICER, is_staff=True)


@pytest.fixture
def member(db):
    return make_user("member", Role.SCRUTINY_MEMBER)


@pytest.fixture
def outsider(db):
    """Signed in, but with no role at all."""
    return make_user("outsider")


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_staff=True, is_superuser=True)


# Browser tests ---------------------------------------------------------------
# Playwright drives Debian's Chromium (never a downloaded browser). Its sync API
# runs an event loop in this thread, so Django's async-safety guard must be told
# that the ORM calls made by fixtures here are deliberate.

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def templates_used():
    """The names of the templates rendered during the test, in order: which include a page is built from."""
    from django.test.signals import template_rendered

    names: list[str] = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    # bypass_csp lets the test inject axe-core; the app's own pages get no such exemption.
    context = chromium.new_context(base_url=live_server.url, bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


AXE_RUN = """async () => await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}
})"""


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.0-2.2 A and AA rules) on the current page; return the violations."""
    from playwright.sync_api import Error

    for attempt in range(3):
        # A click does not wait for the page it leads to: when that page arrives mid-run, its
        # new document destroys axe's context, and the run is repeated on the page that arrived.
        page.wait_for_load_state()
        try:
            page.add_script_tag(path=str(AXE_JS))
            result = page.evaluate(AXE_RUN)
            break
        except Error as exc:
            if attempt == 2 or ("context was destroyed" not in str(exc) and "navigat" not in str(exc)):
                raise
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def expect_error_page(page) -> None:
    """Wait for the form's answer to arrive, then check it is the GOV.UK error page ("Error: " title).

    A click does not wait for the navigation it starts, so reading page.title() at once can read
    the page being left or the blank one between.
    """
    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile(r"^Error: "))


def expect_text(page, text: str) -> None:
    """Wait until the page in the browser shows `text` (the page a click navigates to, not the one left)."""
    from playwright.sync_api import expect

    expect(page.locator("body")).to_contain_text(text)


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the form, giving the code of the user's authenticator when it is asked for."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.get_by_role("heading", name="Enter your security code").count():
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from perfsite.demo import totp_code_now

        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("Security code").fill(totp_code_now(device))
        page.get_by_role("button", name="Continue").click()


@pytest.fixture
def queued_recomputes(monkeypatch):
    """Each recompute of computed indicators queued once its transaction committed, as (codes, days)."""
    from indicators.tasks import recompute_computed_indicators

    queued = []

    def record(codes, days):
        queued.append((tuple(codes), tuple(days)))

    monkeypatch.setattr(recompute_computed_indicators, "delay", record)
    return queued
