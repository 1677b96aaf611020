"""Set-based generation of benchmark rows into the real tables (PostgreSQL only), for bench_scale.py.

Every table is filled by one ``INSERT ... SELECT generate_series`` so a million audits take
seconds, not the hours that ``bulk_create`` would. The rows respect every constraint of the
models (the database checks them); they are plausible, not realistic: grades, case counts and
figures cycle through their ranges. All generated names start with "Bench" so a run can be
told apart from the demo it sits on.
"""

# ruff: noqa: S608 - the SQL interpolates this module's own integer constants, never input
from __future__ import annotations

import time
from dataclasses import dataclass

WORKERS_PER_TEAM = 25
MONTHS = 120  # ten years of caseload returns, 2007-04 to 2017-03
QUARTERS = 40  # ten years of audit rounds, 2007-08-q1 to 2016-17-q4
FIRST_YEAR = 2007
OWN_AUDITS_CAP = 10_000  # the demo auditor's own audits: the "10k own audits"


@dataclass(frozen=True)
class Sizes:
    audits: int
    lines: int
    indicators: int

    @property
    def teams(self) -> int:
        return max(10, self.lines // (WORKERS_PER_TEAM * MONTHS))

    @property
    def own_audits(self) -> int:
        return min(OWN_AUDITS_CAP, max(1, self.audits // 10))


def _run(cursor, label: str, sql: str, params=()) -> None:
    start = time.perf_counter()
    cursor.execute(sql, params)
    print(f"  {label:58} {cursor.rowcount:>10,} rows {time.perf_counter() - start:8.1f} s", flush=True)


def generate(sizes: Sizes, *, auditor_id: int, manager_id: int) -> None:
    """Add ``sizes`` worth of rows; the demo auditor owns some audits and the demo manager some teams."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise SystemExit("bench_scale.py generates with PostgreSQL's generate_series: set DATABASE_URL.")
    with transaction.atomic(), connection.cursor() as cursor:
        _teams_and_staff(cursor, sizes, manager_id=manager_id)
        _caseload_returns(cursor, sizes)
        _audits(cursor, sizes, auditor_id=auditor_id)
        _audit_tallies()
        _round_populations()
        _indicators(cursor, sizes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _teams_and_staff(cursor, sizes: Sizes, *, manager_id: int) -> None:
    _run(
        cursor,
        "teams",
        """INSERT INTO caseloads_team (name, service_area, active)
           SELECT 'Bench team ' || lpad(g::text, 5, '0'),
                  (ARRAY['early_help', 'assessment', 'safeguarding', 'looked_after', 'care_leavers',
                         'disability'])[1 + g %% 6],
                  true
           FROM generate_series(1, %s) g""",
        [sizes.teams],
    )
    _run(
        cursor,
        "the demo manager manages five bench teams",
        """INSERT INTO caseloads_team_managers (team_id, user_id)
           SELECT id, %s FROM caseloads_team WHERE name LIKE 'Bench team %%' ORDER BY name LIMIT 5""",
        [manager_id],
    )
    _run(
        cursor,
        "workers",
        f"""INSERT INTO caseloads_worker (name, staff_number, team_id, role, employment, wte, started_on)
           SELECT 'Bench worker ' || t.id || '-' || w, 'BW-' || t.id || '-' || w, t.id,
                  CASE WHEN w = 1 THEN 'team_manager' WHEN w %% 5 = 0 THEN 'senior_practitioner'
                       ELSE 'social_worker' END,
                  CASE WHEN w %% 7 = 0 THEN 'agency' ELSE 'permanent' END,
                  CASE WHEN w %% 4 = 0 THEN 0.50 ELSE 1.00 END, DATE '2007-01-01'
           FROM caseloads_team t CROSS JOIN generate_series(1, {WORKERS_PER_TEAM}) w
           WHERE t.name LIKE 'Bench team %%'""",
    )


def _caseload_returns(cursor, sizes: Sizes) -> None:
    returns_needed = -(-sizes.lines // WORKERS_PER_TEAM)
    _run(
        cursor,
        "caseload returns (submitted)",
        f"""INSERT INTO caseloads_caseloadreturn
               (team_id, month, status, version, created_at, updated_at, submitted_at, first_submitted_at)
           SELECT t.id, m.month, 'submitted', 1, m.month, m.month + interval '10 days',
                  m.month + interval '10 days', m.month + interval '10 days'
           FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM caseloads_team
                 WHERE name LIKE 'Bench team %%') t
           CROSS JOIN (SELECT (DATE '{FIRST_YEAR}-04-01' + make_interval(months => k))::date AS month, k
                       FROM generate_series(0, {MONTHS - 1}) k) m
           WHERE t.n * {MONTHS} + m.k < %s""",
        [returns_needed],
    )
    _run(
        cursor,
        "caseload lines",
        """INSERT INTO caseloads_caseloadline
               (caseload_return_id, worker_id, role, employment, wte, cases, cases_early_help,
                cases_child_in_need, cases_child_protection, cases_looked_after, cases_care_leaver,
                confirmed_implausible)
           SELECT r.id, w.id, w.role, w.employment, w.wte, 16 + (w.id + r.id) %% 10,
                  (w.id + r.id) %% 3, 4 + (w.id + r.id) %% 4, 2 + r.id %% 3, 1 + w.id %% 3, 0, false
           FROM caseloads_caseloadreturn r
           JOIN caseloads_team t ON t.id = r.team_id AND t.name LIKE 'Bench team %%'
           JOIN caseloads_worker w ON w.team_id = r.team_id""",
    )
    _caseload_tallies()


def _caseload_tallies() -> None:
    """The roll-ups read the returns' tallies: counted from the lines as the app counts them, in one statement."""
    from caseloads.models import CaseloadReturn
    from caseloads.tallies import refresh_tallies

    start = time.perf_counter()
    refresh_tallies(returns=CaseloadReturn.objects.filter(team__name__startswith="Bench team "))
    print(f"  {'caseload tallies (one INSERT ... SELECT)':58} {'':>10}      {time.perf_counter() - start:8.1f} s")


def _audits(cursor, sizes: Sizes, *, auditor_id: int) -> None:
    _run(
        cursor,
        "audit rounds (one per quarter)",
        f"""INSERT INTO audits_auditround (kind, quarter, title, selection, created_at, due_on)
           SELECT 'thematic', ({FIRST_YEAR} + q / 4) || '-' || lpad((({FIRST_YEAR} + q / 4 + 1) %% 100)::text, 2, '0')
                  || '-q' || (1 + q %% 4), 'Bench sample', 'Generated by bench_scale.py',
                  now(), (DATE '{FIRST_YEAR}-06-30' + make_interval(months => 3 * q))::date
           FROM generate_series(0, {QUARTERS - 1}) q""",
    )
    _run(
        cursor,
        "cases (one per audit)",
        """INSERT INTO audits_case (case_ref, case_type, team_id, worker_id, opened_on)
           SELECT 'BENCH-' || g, (ARRAY['early_help','cin','cp','lac','care_leaver'])[1 + g %% 5],
                  t.id, NULL, DATE '2006-01-01' + (g %% 3000)
           FROM generate_series(1, %s) g
           JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM caseloads_team
                 WHERE name LIKE 'Bench team %%') t ON t.n = g %% %s""",
        [sizes.audits, sizes.teams],
    )
    # Rounds in quarter order; the demo auditor's audits are the last ones, half of them still open.
    _run(
        cursor,
        "audits",
        f"""INSERT INTO audits_audit
               (round_id, case_id, team_id, case_type, status, overall_grade, grade_reason, strengths,
                areas_for_development, auditor_id, allocated_at, submitted_at, completed_on, closed_at, due_on)
           SELECT r.id, c.id, c.team_id, c.case_type,
                  CASE WHEN own AND c.n %% 2 = 0 THEN 'allocated' ELSE 'closed' END,
                  CASE WHEN own AND c.n %% 2 = 0 THEN NULL ELSE 1 + c.n %% 4 END, '', '', '',
                  CASE WHEN own THEN %s END, r.due_on - 60,
                  CASE WHEN own AND c.n %% 2 = 0 THEN NULL ELSE r.due_on - 20 END,
                  CASE WHEN own AND c.n %% 2 = 0 THEN NULL ELSE (r.due_on - 20)::date END,
                  CASE WHEN own AND c.n %% 2 = 0 THEN NULL ELSE r.due_on - 10 END, r.due_on
           FROM (SELECT id, team_id, case_type, row_number() OVER (ORDER BY id) - 1 AS n,
                        row_number() OVER (ORDER BY id DESC) <= %s AS own
                 FROM audits_case WHERE case_ref LIKE 'BENCH-%%') c
           JOIN (SELECT id, due_on, row_number() OVER (ORDER BY due_on) - 1 AS q FROM audits_auditround
                 WHERE title = 'Bench sample') r ON r.q = c.n %% {QUARTERS}""",
        [auditor_id, sizes.own_audits],
    )
    _run(
        cursor,
        "theme grades (four per completed audit)",
        """INSERT INTO audits_themegrade (audit_id, theme, grade, evidence)
           SELECT a.id, t.theme, 1 + (a.id + t.k) %% 4, ''
           FROM audits_audit a
           JOIN audits_auditround r ON r.id = a.round_id AND r.title = 'Bench sample'
           CROSS JOIN (VALUES ('safeguarding', 0), ('voice_of_the_child', 1), ('achieving_aspiration', 2),
                              ('social_work_practice', 3)) AS t(theme, k)
           WHERE a.overall_grade IS NOT NULL""",
    )


def _audit_tallies() -> None:
    """The roll-ups read the audit tallies: count the generated audits into them, set-based."""
    from audits.round_tallies import rebuild_round_tallies
    from audits.tallies import rebuild_all

    start = time.perf_counter()
    rebuild_all()
    rebuild_round_tallies()  # the rounds pages read each round's progress from its status tally
    label = "audit and round tallies (rebuilt from every audit)"
    print(f"  {label:58} {'':>10}      {time.perf_counter() - start:8.1f} s")


def _round_populations() -> None:
    """The sample check reads each random round's population as counted at its draw. The generated rounds
    are thematic (never tested), but the generated cases are open on the demo's sampling dates: count the
    random rounds' populations again as if those cases had been there when the rounds were drawn, so the
    check tests against a population of the generated size. One INSERT ... SELECT per dimension a round."""
    from audits.models import AuditRound
    from audits.population import freeze_population

    start = time.perf_counter()
    rounds = AuditRound.objects.filter(kind="random", sampling_date__isnull=False).values_list("pk", "sampling_date")
    for round_id, sampling_date in rounds:
        freeze_population(round_id=round_id, on=sampling_date, replace=True)
    label = f"random rounds' populations ({len(rounds)} rounds, recounted)"
    print(f"  {label:58} {'':>10}      {time.perf_counter() - start:8.1f} s")


def _indicators(cursor, sizes: Sizes) -> None:
    _run(
        cursor,
        "indicators",
        """INSERT INTO indicators_indicator
               (code, ref, description, kind, polarity, unit, decimals, tolerance, framework_level,
                framework_theme, owner, is_computed, active, created_at, updated_at, theme_id)
           SELECT 'BENCH ' || g, 10000 + g, 'Percentage of benchmark things number ' || g,
                  CASE WHEN g %% 2 = 1 THEN 'target' ELSE 'tracker' END, 'higher', 'percent', 1, 2,
                  (ARRAY['universal','early_help','assessment_safeguarding','corporate_parenting'])[1 + g %% 4],
                  '', 'Bench service', false, true, now(), now(),
                  (SELECT id FROM indicators_theme ORDER BY position, id LIMIT 1)
           FROM generate_series(1, %s) g""",
        [sizes.indicators],
    )
    # Twelve quarters of actuals and targets (2014-15 to 2016-17) and a yearly national figure.
    _run(
        cursor,
        "indicator values",
        """INSERT INTO indicators_indicatorvalue
               (indicator_id, series, period_label, period_start, period_end, value, scale, status, footnote,
                updated_at, version, source_kind, source_detail)
           SELECT i.id, s.series,
                  'Q' || (1 + q %% 4) || ' ' || (2014 + q / 4) || '/' || lpad(((15 + q / 4) %% 100)::text, 2, '0'),
                  (DATE '2014-04-01' + make_interval(months => 3 * q))::date,
                  (DATE '2014-04-01' + make_interval(months => 3 * q + 3) - interval '1 day')::date,
                  CASE WHEN s.series = 'actual' THEN 50 + (i.id + q) %% 30 ELSE 60 END, 1, '', '', now(), 1, '', ''
           FROM indicators_indicator i
           CROSS JOIN generate_series(0, 11) q
           CROSS JOIN (VALUES ('actual'), ('target')) AS s(series)
           WHERE i.code LIKE 'BENCH %%'
           UNION ALL
           SELECT i.id, 'national', '2015/16', DATE '2015-04-01', DATE '2016-03-31', 55 + i.id %% 10, 1, '', '',
                  now(), 1, '', ''
           FROM indicators_indicator i WHERE i.code LIKE 'BENCH %%'""",
    )
