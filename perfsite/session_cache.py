"""Sessions read from the shared cache and written through to the database (Redis in production).

Every signed-in page read its session row first: Django's ``cached_db`` store reads the cache
instead and writes both, so a page costs one query less. settings.py gives it a cache every web
process shares: Redis with ``REDIS_URL``, else files under ``PERFSITE_VAR_DIR`` (the ``sessions``
cache), never the per-process memory cache, where signing out in one process would leave the
session alive in the others' copies (docs/decisions/0012-sessions-in-files-without-redis.md).

Two changes to ``cached_db`` so the cache never keeps a session the database has ended, and an
unreachable cache never fails a page that the database alone could serve:

- ``delete`` (signing out, the idle and absolute limits, a new key at sign-in) removes the cached
  copy *before* the row, and stops if it cannot: the sign-out fails visibly and the session stays
  as it was in both places, rather than ending in the database and living on in the cache;
- ``load`` falls back to the database when the cache cannot be read (as Django's does) and only
  logs when it cannot store the copy, where Django's would fail the request.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # an unreachable cache: the database still answers
            logger.warning("Session cache unreadable; reading the session from the database.", exc_info=True)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except Exception:
            logger.warning("Session cache unwritable; the next page reads the database again.", exc_info=True)
        return data

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        # First the copy (raising if the cache cannot be reached), then the row.
        self._cache.delete(self.cache_key_prefix + session_key)
        DBStore.delete(self, session_key)
