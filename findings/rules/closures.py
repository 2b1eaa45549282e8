"""A ``decision_making`` rule kept from the old report's good recorded family (missed
escalations): a referral the review records as closed without action (no action, closed as low
risk, not indicated, never made) for a child who came to harm afterwards. Recorded, because the
review records both the outcome and the later harm; the harm is listed with its dates so the
panel reads the decision against what followed, not as hindsight on what was known then.
"""

from __future__ import annotations

from collections.abc import Iterator

from findings.compose import occurrence, refs
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding

THEME = "decision_making"


def closed_then_harmed(ctx: RuleContext) -> Iterator[Finding]:
    """One finding per referral closed without action; its later harm in the statement."""
    for row in ctx.rows("missed_escalations"):
        if row["route"] != "referral":
            continue
        harm = ", ".join(str(k).replace("_", " ") for k in row["harm_kinds"])
        first = ", ".join(map(str, row["first_harm"]))
        occs = [
            occurrence(
                f"{row['concern_text']} — {str(row['outcome']).replace('_', ' ')}", row, record=str(row["concern"])
            )
        ]
        yield Finding(
            theme=THEME,
            rule="closed_then_harmed",
            basis="recorded",
            statement=f"{row['from_name']}'s referral to {row['to_name']} ({row['date']}) was "
            f"{str(row['outcome']).replace('_', ' ')}; {row['harm_events']} harm event(s) followed ({harm}; first "
            f"{first}).",
            children=(str(row["child"]),),
            subjects=(str(row["concern"]), ctx.facts.organisation(str(row["to_party"]))),
            occurrences=occs,
            evidence=refs(row["evidence"]),
            counter_evidence=praise(ctx, THEME, (str(row["to_party"]),), occs),
        )


RULES = [closed_then_harmed]
