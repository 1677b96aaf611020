"""The page around a published scorecard's frozen part is rendered once per reader and page state
(``scorecards.published_shell``), yet every response has its own nonce, CSRF token and time left,
and anything the header or the page's state shows changes it."""

from __future__ import annotations

import gzip
import re
import time
import zlib

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse

from indicators.models import IndicatorValue
from perfsite.roles import Role
from perfsite.sessions import SIGNED_IN_AT
from scorecards.publishing import amend, publish
from tests.scorecards.conftest import Q4

pytestmark = pytest.mark.django_db

PAGE = "scorecards/published.html"


def url(name="scorecards:scorecard", **kwargs):
    return reverse(name, kwargs={"quarter": Q4, **kwargs})


def rendered(response) -> list[str]:
    return [template.name for template in response.templates]


def nonce_of(response) -> str:
    (nonce,) = set(re.findall(r'<script nonce="([^"]+)"', response.text))
    return nonce


def csrf_tokens_of(response) -> set[str]:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text))
    tokens |= set(re.findall(r'data-csrf-token="([^"]+)"', response.text))
    return tokens


def seconds_left_of(response) -> int:
    return int(re.search(r'data-seconds-left="(\d+)"', response.text).group(1))


@pytest.fixture
def reading(client, member, officer, small_scorecard):
    publish(quarter=Q4, user=officer)
    client.force_login(member)
    return client


def test_the_page_around_the_scorecard_is_rendered_once_for_a_reader(reading):
    first = reading.get(url())
    assert PAGE in rendered(first)
    again = reading.get(url())
    assert again.status_code == 200
    assert rendered(again) == []  # no template at all: the cached shell, filled
    mask = re.compile(r'(nonce|value|data-csrf-token|data-seconds-left)="[^"]*"')
    assert mask.sub("", again.text) == mask.sub("", first.text)
    level = reading.get(url("scorecards:level", level="assessment_safeguarding"))
    assert PAGE in rendered(level)  # another page is another shell


def test_every_response_has_its_own_nonce_matching_its_policy(reading):
    nonces = []
    for _ in range(3):
        response = reading.get(url())
        nonce = nonce_of(response)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_every_response_masks_the_readers_csrf_secret_afresh(reading):
    tokens = []
    for _ in range(3):
        response = reading.get(url())
        (token,) = csrf_tokens_of(response)  # the sign-out form and the timeout warning share it
        tokens.append(token)
    assert len(set(tokens)) == 3
    secret = reading.cookies[settings.CSRF_COOKIE_NAME].value
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    # ...and the cached page's token signs the reader out.
    client_token = tokens[-1]
    reading.handler.enforce_csrf_checks = True
    assert reading.post(reverse("logout"), {"csrfmiddlewaretoken": client_token}).status_code != 403
    assert "_auth_user_id" not in reading.session


def test_the_time_left_is_counted_at_each_response(reading):
    reading.get(url())
    session = reading.session
    session[SIGNED_IN_AT] = time.time() - (settings.SESSION_COOKIE_AGE - 100)  # 100 s of the absolute limit left
    session.save()
    response = reading.get(url())
    assert rendered(response) == []
    assert 90 <= seconds_left_of(response) <= 100


def test_a_new_name_a_new_role_or_an_amendment_renders_the_page_again(reading, member, officer, small_scorecard):
    reading.get(url())
    member.first_name, member.last_name = "Ada", "Councillor"
    member.save(update_fields=["first_name", "last_name"])
    renamed = reading.get(url())
    assert PAGE in rendered(renamed) and "Signed in as Ada Councillor" in renamed.text

    member.groups.add(Group.objects.get(name=Role.PERFORMANCE_OFFICER.value))
    promoted = reading.get(url())
    assert PAGE in rendered(promoted) and reverse("scorecards:preview", kwargs={"quarter": Q4}) in promoted.text

    member.groups.remove(Group.objects.get(name=Role.PERFORMANCE_OFFICER.value))
    IndicatorValue.objects.filter(indicator=small_scorecard["referrals"], period_label="Jan - Mar 2017").update(
        value="74.1"
    )
    amend(quarter=Q4, user=officer, reason="Corrected a figure")
    amended = reading.get(url())
    assert PAGE in rendered(amended) and "Amendment 1" in amended.text
    assert reverse("scorecards:preview", kwargs={"quarter": Q4}) not in amended.text


def test_a_cached_shell_never_outlives_the_sign_out(reading):
    reading.get(url())
    assert rendered(reading.get(url())) == []  # the shell is cached...
    reading.post(reverse("logout"))
    response = reading.get(url())
    assert response.status_code == 302 and response.url.startswith(reverse("login"))  # ...but sign-in comes first


def test_a_new_csrf_secret_fills_the_same_shell_with_a_token_of_the_new_secret(reading):
    first = reading.get(url())
    del reading.cookies[settings.CSRF_COOKIE_NAME]  # a reader whose browser dropped the cookie
    again = reading.get(url())
    assert rendered(again) == []  # the page is the same; only the token differs
    assert again["ETag"] != first["ETag"]  # ...so a conditional GET must not answer with the old one
    (token,) = csrf_tokens_of(again)
    assert _unmask_cipher_token(token) == again.cookies[settings.CSRF_COOKIE_NAME].value


# Compressed once: the frozen part's deflate blocks inside each response's own gzip stream ----------------

REPEATED = b"<tr><td>Indicator</td><td>12.5%</td></tr>\n" * 400  # back-references within a piece


@pytest.mark.parametrize(
    "pieces",
    [
        [b"<html>", REPEATED, b"</html>"],
        [b"", REPEATED, b"", REPEATED, b""],  # empty pieces, and the same text on both sides of a frozen one
        [REPEATED, REPEATED, REPEATED, REPEATED, REPEATED],
        [b"\xc2\xa3 \xe2\x80\x94 unicode", b"x" * 70_000, b"tail"],  # beyond one 32 KiB window
    ],
)
def test_frozen_blocks_inside_a_gzip_stream_give_back_exactly_the_page(pieces):
    from scorecards.published_shell import deflated, gzipped

    # Every other piece precompressed (the frozen head and body), the rest compressed per response.
    stream = gzipped([(data, deflated(data) if i % 2 else None) for i, data in enumerate(pieces)])
    assert gzip.decompress(stream) == b"".join(pieces)  # checks the CRC and the length too
    assert zlib.decompress(stream, 16 + zlib.MAX_WBITS) == b"".join(pieces)


def test_each_compressed_response_names_itself_at_random():
    """As Django's own compression does, so the compressed length says less about the content."""
    from scorecards.published_shell import gzipped

    names = {gzipped([(b"same", None)])[10:].split(b"\0")[0] for _ in range(20)}
    assert len(names) > 15


def test_a_browser_gets_the_page_compressed_around_the_frozen_part_compressed_once(reading):
    from unittest import mock

    from scorecards import published_shell

    plain = reading.get(url())
    with mock.patch.object(published_shell, "deflated", wraps=published_shell.deflated) as compressing:
        first = reading.get(url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert compressing.call_count == 2  # the frozen head and body, once
        again = reading.get(url(), HTTP_ACCEPT_ENCODING="gzip")
        assert compressing.call_count == 2  # kept: not compressed again
    assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    assert first["ETag"] == f"W/{plain['ETag']}"
    page = gzip.decompress(first.content).decode()
    nonce = re.search(r'<script nonce="([^"]+)"', page).group(1)
    assert f"'nonce-{nonce}'" in first["Content-Security-Policy"]
    mask = re.compile(r'(nonce|value|data-csrf-token|data-seconds-left)="[^"]*"')
    assert mask.sub("", page) == mask.sub("", plain.text)  # the same page but for this response's values
    assert len(first.content) < len(plain.content) / 2
    assert gzip.decompress(again.content).decode() != page  # its own nonce and token
    assert reading.get(url(), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
