#!/usr/bin/env python
"""Scale benchmark: generate many rows into the real tables, then time each key page and import beside its floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perfsite_bench DJANGO_DEBUG=1 \\
        .venv/bin/python scripts/bench_scale.py --audits 1000000 --lines 5000000 --indicators 500

PostgreSQL only, and only on a database you can throw away: it migrates, loads the demo, then adds
the rows with set-based inserts (scripts/scale_data.py). ``--skip-generate`` measures a database
already generated. For every key page it prints its time (median of ``--repeat`` requests through
Django's test client, in process), the time of its floor measured in the same run, their ratio and
the page's query count. A page's floor is the raw SQL of the aggregates it shows, or, for the
published scorecard (which shows no live aggregate), a bare Django view (/healthz). An import's
floor is PostgreSQL's COPY of the same rows into its table (rolled back).

The measurements are in scripts/bench/, a module for each thing measured; this is their command line.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audits", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-generate", action="store_true", help="measure the database as it is")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-imports", action="store_true")
    parser.add_argument("--caseloads-only", action="store_true", help="only the caseload roll-ups")
    parser.add_argument("--return-lines", type=int, default=100_000, help="caseload lines in the returns import")
    parser.add_argument("--result-rows", type=int, default=50_000, help="rows in the historic audit results import")
    parser.add_argument("--quarter-page", action="store_true", help="measure the quarter page alone")
    parser.add_argument("--worklist", action="store_true", help="measure the auditor's worklist alone")
    parser.add_argument("--preview", action="store_true", help="measure the officer preview's pages alone")
    parser.add_argument("--published", action="store_true", help="measure the published member scorecard alone")
    parser.add_argument("--rounds", action="store_true", help="measure the officers' rounds pages alone")
    parser.add_argument("--skip-pack", action="store_true")
    parser.add_argument("--pack-only", action="store_true", help="measure the committee pack PDF alone")
    args = parser.parse_args()

    # After the command line is read, so --help answers without Django; the modules import Django lazily too.
    from bench.caseload_rollups import measure_caseload_rollups
    from bench.generate import counts, prepare
    from bench.imports import measure_imports
    from bench.pack import measure_pack
    from bench.pages import measure_audit_rollup, measure_pages, measure_preview, measure_worklist
    from bench.published import measure_publish, measure_published
    from bench.quarter_page import measure_quarter_page
    from bench.return_result_imports import measure_return_and_result_imports
    from bench.rounds import measure_rounds
    from bench.sample_check import measure_sample_check

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfsite.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.db import connection

    # Measured as production runs: no SQL logged per query (DJANGO_DEBUG=1 is only for the
    # settings' defaults; query counts are taken with CaptureQueriesContext, which logs anyway).
    settings.DEBUG = False

    if connection.vendor != "postgresql":
        raise SystemExit("bench_scale.py measures PostgreSQL: set DATABASE_URL to a throwaway database.")
    print(f"Database {connection.settings_dict['NAME']} on {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    if not args.skip_generate:
        prepare(args)
    print(f"Rows: {counts()}")
    if args.caseloads_only:
        measure_caseload_rollups(max(args.repeat, 5))
        return
    if args.quarter_page:
        return measure_quarter_page(args.repeat)
    if args.worklist:
        return measure_worklist(args.repeat)
    if args.preview:
        return measure_preview(args.repeat)
    if args.published:
        return measure_published(args.repeat)
    if args.rounds:
        return measure_rounds(args.repeat)
    if args.pack_only:
        return measure_pack()
    if not args.skip_pages:
        measure_pages(args.repeat)
        measure_caseload_rollups(args.repeat)
        measure_publish(args.repeat)
        measure_audit_rollup(args.repeat)
        measure_published(args.repeat)
        measure_sample_check(args.repeat)
    if not args.skip_imports:
        measure_imports(args.import_rows)
        measure_return_and_result_imports(args.return_lines, args.result_rows)
    if not args.skip_pack:
        measure_pack()


if __name__ == "__main__":
    main()
