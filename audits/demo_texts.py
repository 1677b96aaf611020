"""The demo's audit findings and action texts, written in the spirit of the reference report."""

from audits.choices import Theme

STRENGTHS = [
    "The child was seen alone and their wishes are recorded in their own words.",
    "Chronology is up to date and analysis of risk is clear.",
    "Good multi-agency working; the plan is reviewed on time.",
    "Management oversight is evident at key decision points.",
    "Direct work with the child is purposeful and well recorded.",
]
AREAS = [
    "The plan is not SMART; outcomes for the child are not measurable.",
    "Supervision records do not show reflective discussion of risk.",
    "Statutory visits were late in two months of the period.",
    "The child's identity and cultural needs are not considered.",
    "Assessment was not updated after a significant change.",
]
EVIDENCE = {
    Theme.SAFEGUARDING: "Risk assessment and safety plan reviewed against the latest strategy discussion.",
    Theme.VOICE_OF_THE_CHILD: "Visit records and direct work sheets read for the child's views.",
    Theme.ACHIEVING_ASPIRATION: "Education, health and PEP records checked for progress.",
    Theme.SOCIAL_WORK_PRACTICE: "Assessment, plan and supervision notes read for analysis and drift.",
}
ACTION_TEXTS = [
    "Update the chronology and share it with the core group.",
    "Hold a case review with the team manager about drift in the plan.",
    "Record the child's views from the next visit in their own words.",
    "Complete the overdue statutory visit.",
    "Refresh the assessment to reflect the change in circumstances.",
]
