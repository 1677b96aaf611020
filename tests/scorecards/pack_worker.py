"""A real Celery worker for the killed-worker tests (``python -m tests.scorecards.pack_worker [worker options]``).

With PACK_TEST_SLOW_ONCE set to a file path, the first PDF render in any process writes its pid
to that file and then waits, so the test has a build in progress to kill; later renders (the
retry) run at full speed. Production code is not changed: the wait is patched in here.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")
django.setup()

marker = os.environ.get("PACK_TEST_SLOW_ONCE")
if marker:
    import scorecards.pack_pdf

    real_render = scorecards.pack_pdf.render_pdf

    def render_slowly_once(snapshot, meta, **options):
        path = Path(marker)
        if not path.exists():
            path.write_text(str(os.getpid()))
            time.sleep(120)
        return real_render(snapshot, meta, **options)

    scorecards.pack_pdf.render_pdf = render_slowly_once

from perfsite.celery import app  # noqa: E402  (after django.setup and the patch)

app.worker_main(["worker", "--loglevel", "INFO", "--without-gossip", "--without-mingle", *sys.argv[1:]])
