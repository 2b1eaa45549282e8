"""Rules of the ``escalation`` theme: professional challenge and concerns closed before harm
(issue 13; the rule interface: findings/rules/__init__.py).

- ``challenged_not_escalated``: a party disagreed with a decision, a meeting's outcome or a
  referral's outcome and the source says it did not escalate — a recorded finding. Where the
  source does not say whether it escalated and records no outcome of the challenge, a question.
  A challenge escalated, or resolved as the source records, is no finding.
- ``missed_escalations``: the audited ``missed_escalations`` query (every row was correct in the
  audit): a referral never made, or a concern received and not acted on, before the child came to
  harm. Its logic stays in the query; this rule words its rows and leaves a door's closing of a
  referral to the decision_making theme, which claims it once.
"""

from __future__ import annotations

from collections.abc import Iterator

from findings.compose import occurrence, refs
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding, Question
from findings.rules.decisions import WRONG

THEME = "escalation"


def _decided_by(ctx: RuleContext) -> dict[str, tuple[str, ...]]:
    """Who made each decision, and which door decided each referral: the party a challenge disagreed
    with is a subject of the challenge as much as the challenger (the review's "threshold disagreements"
    are with the deciding agency)."""
    by: dict[str, tuple[str, ...]] = {}
    for row in ctx.rows("child_decisions"):
        by[str(row["decision"])] = tuple(str(p) for p in row["deciders"] or [])
    for row in ctx.rows("child_referrals"):
        by[str(row["referral"])] = tuple(str(p) for p in row["recipients"] or [])
    return by


def challenged_not_escalated(ctx: RuleContext) -> Iterator[Finding | Question]:
    """Challenge without escalation: recorded where the source says so; a question where it is silent."""
    decided_by = _decided_by(ctx)
    for row in ctx.rows("challenges"):
        target = f"the {row['target_kind']} “{row['target_text']}”"
        occ = [occurrence(f"{row['challenger_name']} challenged {target}", row, record=str(row["target"]))]
        parties = (str(row["challenger"]), str(row["target"]), *decided_by.get(str(row["target"]), ()))
        common = {
            "theme": THEME,
            "rule": "challenged_not_escalated",
            "children": (str(row["child"]),),
            "subjects": tuple(dict.fromkeys(parties)),
            "occurrences": occ,
            "evidence": refs(row["evidence"]),
        }
        counter = praise(ctx, THEME, (str(row["challenger"]), str(row["target"])), occ)
        if row["escalation"] == "not_escalated":
            said = f" {row['outcome'].rstrip('.')}." if row["outcome"] else ""
            statement = f"{row['challenger_name']} challenged {target} ({row['date']}) but did not escalate it.{said}"
            yield Finding(basis="recorded", statement=statement, counter_evidence=counter, **common)
        elif row["escalation"] == "unknown" and not row["outcome"]:
            statement = (
                f"{row['challenger_name']} challenged {target} ({row['date']}). The review does not say whether the "
                "disagreement was escalated to a manager or through the escalation protocol."
            )
            yield Question(statement=statement, **common)


def missed_escalations(ctx: RuleContext) -> Iterator[Finding]:
    """A concern that never reached a decision before the child came to harm, as the audited query finds
    it: a referral never made, or information passed on and not acted on. A referral a door received and
    closed is the door's decision, and a referral never made that the review judges is a judged
    decision with the review's words: both are claimed once, by the decision_making theme (repeated
    closures, a threshold that closes, judged decisions) — one finding per pattern.

    The finding cites the concern's own paragraphs only and names the later harm without implying a
    cause: the review does not draw that line from one concern (issue 12, class 2). A referral never
    made is worded as one not made, never as a concern raised."""
    judged = {str(r["referral"]) for r in ctx.rows("child_referrals") if r["review_says"] in WRONG}
    for row in ctx.rows("missed_escalations"):
        if row["route"] == "referral" and (row["outcome"] != "not_made" or row["concern"] in judged):
            continue  # a door's decision, or a referral the review judges: the decision theme's claim
        first = ", ".join(str(d) for d in row["first_harm"] if d) or "date not recorded"
        kinds = ", ".join(str(k).replace("_", " ") for k in row["harm_kinds"])
        statement = (
            f"{_concern_sentence(row)} Harm to the child was recorded later (first in {first}: {kinds}); "
            "the review does not say one caused the other."
        )
        occs = [
            occurrence(
                str(row["concern_text"]), {**row, "evidence": row["concern_evidence"]}, record=str(row["concern"])
            )
        ]
        subjects = (str(row["concern"]), str(row["from_party"]), str(row["to_party"]))
        yield Finding(
            theme=THEME,
            rule="missed_escalation",
            basis="recorded",
            statement=statement,
            children=(str(row["child"]),),
            subjects=subjects,
            occurrences=occs,
            evidence=refs(row["concern_evidence"]),
            tags=[str(row["route"]).replace(" ", "_")],
            counter_evidence=praise(ctx, THEME, subjects, occs),  # praise of any party the finding names
        )


def _concern_sentence(row: dict[str, object]) -> str:
    """What happened to the concern, led by the party the review puts it on: a referral never made is
    one the review records no sign of (its own hedge, "no evidence a referral was made", kept in the
    quoted text); a concern passed on is one the review records no action on ("no evidence of further
    action" is not "ignored")."""
    said = f"({row['date']}): “{row['concern_text']}”"
    if row["outcome"] == "not_made":
        return f"The review records no referral from {row['from_name']} to {row['to_name']} {said}."
    return f"{row['from_name']} passed information to {row['to_name']} {said}; the review records no action on it."


RULES = [challenged_not_escalated, missed_escalations]
