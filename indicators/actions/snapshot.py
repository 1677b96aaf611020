"""Open performance actions as plain JSON for the scorecard snapshot (members read; nobody edits there)."""

from __future__ import annotations


def actions_addition(lines) -> dict:
    """``{"by_indicator": {"<indicator id>": [action, ...]}, "all": [...]}``: keys are text, as JSON needs."""
    items = [
        {
            "indicator_id": line.indicator_id,
            "code": line.code,
            "what": line.what,
            "owner": line.owner,
            "due_on": line.due_on.isoformat(),
            "due_display": f"{line.due_on.day} {line.due_on:%B %Y}",
            "status": line.status,
            "status_label": line.status_label,
            "overdue": line.overdue,
        }
        for line in lines
    ]
    by_indicator: dict[str, list[dict]] = {}
    for item in items:
        by_indicator.setdefault(str(item["indicator_id"]), []).append(item)
    return {"by_indicator": by_indicator, "all": items}
