from django import template

register = template.Library()


@register.filter
def actions_for(actions: dict | None, indicator_id) -> list:
    """The open actions a snapshot lists for one indicator (JSON keys are text)."""
    if not actions:
        return []
    return actions.get("by_indicator", {}).get(str(indicator_id), [])
