import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")
django.setup()
from django.db import transaction  # noqa: E402

from audits.models import Audit  # noqa: E402
from audits.tallies import refresh_audit, refresh_quarters  # noqa: E402
from indicators.quarters import Quarter  # noqa: E402

q = Quarter.parse("2016-17-q4")
audit = Audit.objects.filter(completed_on__range=(q.start, q.end), status="closed").first()
for label, fn in (("quarter", lambda: refresh_quarters(quarters=[q])), ("one audit", lambda: refresh_audit(audit))):
    for _ in range(3):
        with transaction.atomic():
            t = time.perf_counter()
            fn()
            print("refresh", label, round(time.perf_counter() - t, 3))
            transaction.set_rollback(True)
