"""Counter-evidence: what the review praises or mitigates for the same subject, aspect and time as a finding.

The praise is a good-practice point's, or a paragraph's (a PRAISES link from the review document, with the
review's words: ¶134's "clearly child centred" in the sentence that finds the missed escalation), and both
are read by the same rules below: where the review says it is no part of which rule applies.

A finding is never dropped for it, only shown downgraded ("but see ¶…"), and praise of another
aspect, another child or another time never touches it (docs/decisions.md, model point 4).
"""

from __future__ import annotations

from collections.abc import Iterable

from findings.compose import overlaps, refs
from findings.context import RuleContext
from findings.facts import Facts
from findings.model import Occurrence

# "other" is praise of practice in general (e.g. GP20: Social Work stability "having a positive impact on
# current frontline multi-agency safeguarding practice"). Praise of a party in general is context: it is not
# about the record a finding is about, so it never downgrades a specific failure (third audit: GP20/¶139 and
# GP15 were "but see" wherever CSC or Police Force 4 appeared). General praise of a record itself (a meeting,
# a flow: GP4's strategic planning, GP14's return process) still answers any theme about that record.
ASPECTS = {
    "not_in_room": {"attendance", "other"},
    "information_sharing": {"sharing", "other"},
    "escalation": {"escalation", "other"},
    "decision_making": {"assessment", "decision", "other"},
    "offender_contact": {"offender_disruption", "other"},
}


def _same_organisation(facts: Facts, target: str, orgs: set[str]) -> bool:
    """The praised party counts for its organisation (a team for its agency) — but praise of one
    practitioner, of any aspect, is not praise of their whole organisation: GP17's LAC social worker
    who "enhanced information sharing" from May 2015 does not answer ¶116's deficit in communication
    between the statutory and voluntary services, nor GP1/GP6's key social worker every CSC flow."""
    party = facts.parties.get(target)
    if party is None or facts.organisation(target) not in orgs:
        return False
    return party.label != "Professional"


def praise(
    ctx: RuleContext,
    theme: str,
    subjects: Iterable[str],
    occurrences: list[Occurrence],
    records: Iterable[str] = (),
) -> list[str]:
    """Refs of PRAISES links of the theme's aspect whose target is one of the subjects, one of the
    occurrences' records, one of the related ``records`` a rule names (e.g. flows of the same item
    by the same party), or of the same organisation as a subject party, about this child (or no
    child in particular), over a period overlapping an occurrence (no period: the whole review)."""
    facts = ctx.facts
    orgs = {facts.organisation(s) for s in subjects if s in facts.parties}
    targets = set(subjects) | {o.record for o in occurrences if o.record} | set(records)
    record_targets = {t for t in targets if t not in facts.parties}
    found: list[str] = []
    for row in ctx.rows("praises"):
        target = str(row["target"])
        if row["aspect"] not in ASPECTS[theme] or (row["child"] and ctx.child and row["child"] != ctx.child):
            continue
        if row["aspect"] == "other" and target not in record_targets:
            continue
        if target not in targets and not _same_organisation(facts, target, orgs):
            continue
        whole_review = row["period_from"] is None and row["period_to"] is None
        if whole_review or any(
            overlaps(row["period_from"], row["period_to"], o.date_from, o.date_to) for o in occurrences
        ):
            found.extend(row["evidence"])
    return refs(found)
