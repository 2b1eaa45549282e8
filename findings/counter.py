"""Counter-evidence: what the review praises for the same subject, aspect and time as a finding.

A finding is never dropped for it, only shown downgraded ("but see ¶…"), and praise of another
aspect, another child or another time never touches it (docs/decisions.md, model point 4).
"""

from __future__ import annotations

from collections.abc import Iterable

from findings.compose import overlaps, refs
from findings.context import RuleContext
from findings.model import Occurrence

# "other" is praise of the subject's practice in general (e.g. "commended the expertise and support
# offered by the Constabulary"): shown against a finding of any theme on the same subject and time.
ASPECTS = {
    "not_in_room": {"attendance", "other"},
    "information_sharing": {"sharing", "other"},
    "escalation": {"escalation", "other"},
    "decision_making": {"assessment", "decision", "other"},
    "offender_contact": {"offender_disruption", "other"},
}


def praise(ctx: RuleContext, theme: str, subjects: Iterable[str], occurrences: list[Occurrence]) -> list[str]:
    """Refs of PRAISES links of the theme's aspect whose target is one of the subjects, one of the
    occurrences' records, or of the same organisation as a subject party, about this child (or no
    child in particular), over a period overlapping an occurrence (no period: the whole review)."""
    facts = ctx.facts
    orgs = {facts.organisation(s) for s in subjects if s in facts.parties}
    targets = set(subjects) | {o.record for o in occurrences if o.record}
    found: list[str] = []
    for row in ctx.rows("praises"):
        target = str(row["target"])
        if row["aspect"] not in ASPECTS[theme] or (row["child"] and ctx.child and row["child"] != ctx.child):
            continue
        if target not in targets and not (target in facts.parties and facts.organisation(target) in orgs):
            continue
        if row["period_from"] is None or any(
            overlaps(row["period_from"], row["period_to"], o.date_from, o.date_to) for o in occurrences
        ):
            found.extend(row["evidence"])
    return refs(found)
