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

Compressed once, too. A browser asks for gzip, and compressing the whole page on every response
(Django's ``gzip_page``) cost more than everything else the request did (2.5 ms for the 87 KiB first
page on the loaded test machine). So the frozen head and body are kept also as raw deflate blocks
that refer only to themselves and end byte-aligned on a full flush (``deflated``, made once), and
each response compresses only its own small filled shell around them into one ordinary gzip
member (``gzipped``): one deflate stream of several blocks, as any streaming server sends, which
every browser reads. The header carries a random file name of random length, as Django's own
compression does against BREACH-style guessing.
"""

from __future__ import annotations

import secrets
import struct
import time
import zlib
from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from perfsite.sessions import seconds_left
from scorecards import frozen

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


def fill(shell: str, request, *, head: str, body: str) -> list[str]:
    """The page for this response in five pieces, the frozen head and body second and fourth: this
    request's nonce, token and time left in the shell around them."""
    shell = (
        shell.replace(NONCE, str(request.csp_nonce))
        .replace(CSRF, get_token(request))
        .replace(SECONDS_LEFT, str(seconds_left(request.session, time.time())))
    )
    before, _, after = shell.partition(BODY)
    start, _, middle = before.partition(HEAD)
    return [start, head, middle, body, after]


def filled_shell(request, page_digest: str, context: Callable[[], dict], *, head: str, body: str) -> list[str]:
    """The cached shell for ``page_digest`` filled for this response (``fill``); ``context`` is asked
    for only when the shell must be rendered (the first request, or after the cache lost it)."""
    key = cache_key(page_digest)
    shell = cache.get(key)
    if shell is None:
        shell = render_shell(request, context())
        cache.set(key, shell, TIMEOUT)
    return fill(shell, request, head=head, body=body)


def page(request, page_digest: str, context: Callable[[], dict], *, head: str, body: str) -> str:
    """The whole page, uncompressed."""
    return "".join(filled_shell(request, page_digest, context, head=head, body=body))


# Compression -------------------------------------------------------------------------------------------
LEVEL = 6  # as Django's gzip_page
RAW_DEFLATE = -zlib.MAX_WBITS
# A final block that is empty (fixed Huffman codes, end of block): what zlib ends a flushed stream with.
LAST_BLOCK = b"\x03\x00"
MOST_RANDOM_BYTES = 100  # as Django's GZipMiddleware


def deflated(data: bytes) -> bytes:
    """``data`` as raw deflate blocks that can sit anywhere in a longer stream: a fresh compressor (so
    nothing refers to what comes before) ended by a full flush (byte-aligned, no final block)."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, RAW_DEFLATE)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def gzipped(pieces: list[tuple[bytes, bytes | None]]) -> bytes:
    """One gzip member of ``pieces`` in order, each ``(data, deflated(data))``, or ``(data, None)`` to
    compress it now. The checksum and length are of all the data, as the format asks."""
    # Header: magic, deflate, FNAME, mtime 0, no extra flags, unknown OS; then the random name.
    name = secrets.token_hex(secrets.randbelow(MOST_RANDOM_BYTES // 2) + 1).encode()
    out = [b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff", name, b"\x00"]
    checksum = size = 0
    compressor = None
    for data, packed in pieces:
        checksum = zlib.crc32(data, checksum)
        size += len(data)
        if packed is None:
            # One compressor for the response's own pieces; a full flush after each, so none refers
            # back across a frozen piece placed after it.
            compressor = compressor or zlib.compressobj(LEVEL, zlib.DEFLATED, RAW_DEFLATE)
            packed = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        out.append(packed)
    out += [LAST_BLOCK, struct.pack("<II", checksum, size & 0xFFFFFFFF)]
    return b"".join(out)


def deflated_key(frozen_key: str) -> str:
    return f"{frozen_key}:deflated"


def compressed_page(
    request, page_digest: str, context: Callable[[], dict], *, head: str, body: str, frozen_key: str
) -> bytes:
    """The whole page, gzipped: the frozen head and body compressed once (kept beside the frozen part,
    as long), the rest now."""
    start, head, middle, body, after = (
        piece.encode() for piece in filled_shell(request, page_digest, context, head=head, body=body)
    )
    # A frozen part's key names one rendering, the same whenever it is made (its ETag rests on that too).
    key = deflated_key(frozen_key)
    packed = cache.get(key)
    if packed is None:
        packed = (deflated(head), deflated(body))
        cache.set(key, packed, frozen.TIMEOUT)
    head_packed, body_packed = packed
    return gzipped([(start, None), (head, head_packed), (middle, None), (body, body_packed), (after, None)])
