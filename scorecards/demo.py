"""Demo: recompute the computed indicators from the demo audits and caseloads, then publish the
reference's quarter (Q4 2016/17) and, for comparison, Q3 2016/17. Idempotent: a quarter already
published is left exactly as it was (publishing never rewrites), so running the demo twice changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from indicators.quarters import Quarter
from scorecards.conf import demo_quarters
from scorecards.publishing import current_version, publish


def _publisher():
    User = get_user_model()
    return (
        User.objects.filter(username="officer").first() or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


def load_demo(*, stdout) -> None:
    from indicators.actions.demo import load_demo_actions
    from indicators.computed import recompute

    done = recompute()
    stdout.write(
        "  computed indicators: "
        + ", ".join(f"{counts['periods']} periods of {label}" for label, counts in done.items())
        + f" ({sum(counts['changed'] for counts in done.values())} values changed)"
    )
    # After the computed indicators exist (audit quality, caseloads), before publishing: the published
    # Q4 scorecard then shows the actions under its key issues.
    load_demo_actions(stdout=stdout)
    user = _publisher()
    if user is None:
        stdout.write("  no performance officer to publish as: skipped publishing")
        return
    for slug in demo_quarters():
        quarter = Quarter.parse(slug)
        existing = current_version(quarter)
        if existing is not None:
            stdout.write(f"  {quarter.label}: already published (version {existing.version})")
            continue
        published = publish(quarter=quarter, user=user)
        stdout.write(f"  {quarter.label}: published (version {published.version})")
