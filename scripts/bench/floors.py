"""The raw SQL of the aggregates the key pages show: their floors, measured in the same run."""

# ruff: noqa: S608 - the floors' SQL interpolates this module's constants, never input
from __future__ import annotations

from bench.common import QUARTER_END, QUARTER_START

FINISHED = "a.status IN ('submitted', 'moderated', 'closed')"
RESULTS_SQL = [
    (
        f"""SELECT a.team_id, a.case_type, COALESCE(m.grade, a.overall_grade), count(*)
           FROM audits_audit a LEFT JOIN audits_moderation m ON m.audit_id = a.id
           WHERE {FINISHED} AND a.completed_on BETWEEN %s AND %s GROUP BY 1, 2, 3""",
        [QUARTER_START, QUARTER_END],
    ),
    (
        f"""SELECT tg.theme, tg.grade, count(*) FROM audits_themegrade tg JOIN audits_audit a ON a.id = tg.audit_id
           WHERE {FINISHED} AND a.completed_on BETWEEN %s AND %s GROUP BY 1, 2""",
        [QUARTER_START, QUARTER_END],
    ),
]
ROLLUP_SQL = [
    (
        """SELECT r.team_id, sum(l.cases), sum(l.wte), count(*) FROM caseloads_caseloadline l
           JOIN caseloads_caseloadreturn r ON r.id = l.caseload_return_id
           WHERE r.status = 'submitted' AND r.month = (SELECT max(month) FROM caseloads_caseloadreturn
                                                        WHERE status = 'submitted')
           GROUP BY r.team_id""",
        [],
    ),
    (
        """SELECT r.month, sum(l.cases), sum(l.wte) FROM caseloads_caseloadline l
           JOIN caseloads_caseloadreturn r ON r.id = l.caseload_return_id
           WHERE r.status = 'submitted' AND r.month > (SELECT max(month) FROM caseloads_caseloadreturn
                                                       WHERE status = 'submitted') - interval '12 months'
           GROUP BY r.month""",
        [],
    ),
]
# Each indicator's latest actual, previous actual and target: the quarter table's core, one LATERAL join.
QUARTER_SQL = [
    (
        """SELECT i.id, i.code, latest.value, previous.value, target.value
           FROM indicators_indicator i
           LEFT JOIN LATERAL (SELECT v.id, v.value, v.period_start, v.period_end FROM indicators_indicatorvalue v
                              WHERE v.indicator_id = i.id AND v.series = 'actual' AND v.period_end <= %s
                              ORDER BY v.period_end DESC, v.period_start, v.id LIMIT 1) latest ON true
           LEFT JOIN LATERAL (SELECT v.value FROM indicators_indicatorvalue v
                              WHERE v.indicator_id = i.id AND v.series = 'actual' AND v.period_end < latest.period_end
                              ORDER BY v.period_end DESC, v.period_start, v.id LIMIT 1) previous ON true
           LEFT JOIN LATERAL (SELECT v.value FROM indicators_indicatorvalue v
                              WHERE v.indicator_id = i.id AND v.series = 'target'
                                AND v.period_start <= latest.period_end AND v.period_end >= latest.period_end
                              ORDER BY v.period_start DESC, v.period_end, v.id LIMIT 1) target ON true
           WHERE i.active ORDER BY i.ref, i.code""",
        [QUARTER_END],
    )
]


def worklist_sql(auditor_id: int, limit: int | None):
    """The worklist's floor: what the page shows, each of its two lists' count and first page of rows
    (case, team, case type, round, dates, grade, status) in the page's order."""
    to_do = "a.auditor_id = %s AND a.status IN ('allocated', 'in_progress')"
    done = "a.auditor_id = %s AND a.status NOT IN ('allocated', 'in_progress')"
    rows = """SELECT a.id, a.status, a.due_on, a.completed_on, a.overall_grade, a.case_type, c.case_ref, t.name,
                     r.kind, r.quarter, r.title
              FROM audits_audit a JOIN audits_case c ON c.id = a.case_id JOIN caseloads_team t ON t.id = a.team_id
              JOIN audits_auditround r ON r.id = a.round_id WHERE {where} ORDER BY {order} LIMIT %s"""
    return [
        (f"SELECT count(*) FROM audits_audit a WHERE {to_do}", [auditor_id]),
        (f"SELECT count(*) FROM audits_audit a WHERE {done}", [auditor_id]),
        (rows.format(where=to_do, order="a.due_on, c.case_ref, a.id"), [auditor_id, limit]),
        (rows.format(where=done, order="a.completed_on DESC, c.case_ref, a.id"), [auditor_id, limit]),
    ]
