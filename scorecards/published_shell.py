"""The page around a published scorecard's frozen part, rendered once per reader and page state.

The frozen part (``scorecards.frozen``) is shared by every reader; what surrounds it (the header with
the reader's name and menu, the versions, neighbouring quarters, revisions, the timeout warning) was
rendered by Django's templates on every request, which cost about as much as everything else the
page does. That shell depends only on what ``views_published._page_digest`` digests (the frozen part's key,
the page's state, the reader and their roles; the ETag adds the reader's CSRF secret), except for
four values that must be new in every response:

- the CSP nonce of the boot script (a nonce used twice is no nonce);
- the CSRF token, masked afresh for each response as Django does (a compressed page repeating the
  same token would help a BREACH-style guess);
- the seconds left before the session ends, which the timeout warning counts down from;
- the frozen head and body themselves, kept once in the cache rather than once per reader.

So the shell is rendered with a marker in place of each, cached under that digest, and each response
puts this request's values in place of the markers. A page carrying a flash message has no ETag
and is rendered in full, as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from perfsite.sessions import seconds_left

TEMPLATE = "scorecards/published.html"
# Long enough to serve a committee week's reading from one rendering a reader and page, short enough
# that readers who have gone do not fill the cache: a shell is re-rendered at most this often.
TIMEOUT = 15 * 60
# Plain words: they pass the templates' escaping unchanged, and no template writes them.
NONCE = "perfsite-shell-nonce-5e1c"
CSRF = "perfsite-shell-csrf-5e1c"
SECONDS_LEFT = "perfsite-shell-seconds-left-5e1c"
HEAD = "<!--perfsite-shell-head-5e1c-->"
BODY = "<!--perfsite-shell-body-5e1c-->"


def cache_key(page_digest: str) -> str:
    return f"scorecard:shell:{page_digest}"


def render_shell(request, context: dict) -> str:
    """The page with a marker for each per-response value; ``context`` as the template takes it."""
    token = get_token(request)
    nonce = str(request.csp_nonce)
    context = {
        **context,
        "head": mark_safe(HEAD),  # noqa: S308 - a constant comment  # nosec B308, B703
        "body": mark_safe(BODY),  # noqa: S308 - a constant comment  # nosec B308, B703
        "csrf_token": token,  # the view's value outranks the context processor's
    }
    html = render_to_string(TEMPLATE, context, request)
    # The token and the nonce are random (64 and 24 characters): they occur only where written.
    html = html.replace(token, CSRF).replace(nonce, NONCE)
    timeout = 'data-seconds-left="'
    start = html.find(timeout)
    if start >= 0:
        start += len(timeout)
        end = html.index('"', start)
        html = html[:start] + SECONDS_LEFT + html[end:]
    return html


def fill(shell: str, request, *, head: str, body: str) -> str:
    """The page for this response: this request's nonce, token and time left, and the frozen part."""
    shell = (
        shell.replace(NONCE, str(request.csp_nonce))
        .replace(CSRF, get_token(request))
        .replace(SECONDS_LEFT, str(seconds_left(request.session, time.time())))
    )
    before, _, after = shell.partition(BODY)
    return before.replace(HEAD, head, 1) + body + after


def page(request, page_digest: str, context: Callable[[], dict], *, head: str, body: str) -> str:
    """The whole page: the cached shell for ``page_digest`` filled for this response; ``context`` is asked
    for only when the shell must be rendered (the first request, or after the cache lost it)."""
    key = cache_key(page_digest)
    shell = cache.get(key)
    if shell is None:
        shell = render_shell(request, context())
        cache.set(key, shell, TIMEOUT)
    return fill(shell, request, head=head, body=body)
