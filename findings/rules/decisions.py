"""Rules of the ``decision_making`` theme: thresholds, drift, closures and what was never done
(issue 13; the rule interface: findings/rules/__init__.py).

Recorded findings come only from what the source says: a decision or a front-door decision on a
referral that the review judges (``review_says``), an ``Omission``, a meeting it records as
cancelled or never convened. The derived patterns — drift, repeated closures at one door, a risk
threshold that closes before harm (findings/rules/decision_patterns.py) — are ``inferred`` unless a judged
record sits inside them; the theme's shared terms are in findings/rules/decision_terms.py.

**Hindsight guard.** A closure followed by harm is a finding only where the review judges the
decision wrong on what was known then (``judged_decisions``); otherwise it is a ``Question``
that shows what the decider held at the time (``closed_then_harmed``). A door's closing of a
referral is claimed here (repeated closures, threshold, judged decisions); the escalation theme's
``missed_escalations`` keeps referrals never made and information not acted on.
"""

from __future__ import annotations

from collections.abc import Iterator

from findings.certainty import QUALIFIER, STATED, level, qualified
from findings.compose import flag_inferred, in_order, named_list, occurrence, refs
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding, Question
from findings.rules.decision_patterns import drift, repeated_closures, threshold_closes_before_harm
from findings.rules.decision_terms import (
    DEFAULTS,
    OMISSION_THEMES,
    THEME,
    WRONG,
    DecisionParams,
    deciders,
    harm_after,
    harm_clause,
    is_closure,
    parties_of,
    review_words,
)


def judged_decisions(ctx: RuleContext) -> Iterator[Finding]:
    """Every decision — at any stage, or a door's decision on a referral — that the review judges
    (threshold met but not applied, wrong on what was held, drift, premature closure): a recorded
    finding with the review's own words and ¶. Later harm is not part of it: the review does not
    draw that line from one decision, so the finding does not either (issue 12, class 2)."""
    for row in ctx.rows("child_decisions"):
        if row["review_says"] in WRONG:
            stage = "" if row["stage"] == "other" else f" ({row['stage'].replace('_', ' ')})"  # "(other)" says nothing
            who = f"{deciders(row)}{stage}"
            yield _judged(ctx, row, str(row["decision"]), who, str(row["outcome"]))
    for row in ctx.rows("child_referrals"):
        if row["review_says"] in WRONG:
            door = named_list([str(n) for n in row["recipient_names"]]) if row["recipient_names"] else "The door"
            if row["outcome"] == "not_made":  # the judgement is on whoever should have made it
                door = named_list([ctx.facts.name(str(p)) for p in row["senders"]]) or "The referrer"
            what = f"{row['reason']} — outcome: {qualified(str(row['outcome']).replace('_', ' '), level(row))}"
            how = "(on a referral)"
            if row["outcome"] == "not_made":  # "no evidence a referral was made" is not "did not make"
                how = (
                    "(a referral it did not make)"
                    if level(row) == STATED
                    else f"(no referral: {QUALIFIER[level(row)]})"
                )
            yield _judged(ctx, row, str(row["referral"]), f"{door} {how}", what)


def _judged(ctx: RuleContext, row: dict[str, object], record: str, who: str, what: str) -> Finding:
    """One judged record as a finding, dated as the record is (no later harm in its occurrences, so praise
    of a later period never reaches it)."""
    occs = [occurrence(what, row, record=record)]
    subjects = (record, *parties_of(row), *map(str, row.get("senders") or row.get("responds_to") or []))
    # The judgement is on the deciders (the door of a referral; the referrer of one never made), not on
    # whoever sent the concern: praise of a referrer is no answer to the door's decision.
    blamed = row.get("senders") if row.get("outcome") == "not_made" else parties_of(row)
    responsible = (record, *map(str, blamed or []))
    return Finding(
        theme=THEME,
        rule="judged_decision",
        basis="recorded",
        statement=flag_inferred(f"{who}, {row['date']}: “{what}”.{review_words(row)}", [row]),
        children=(str(row["child"]),),
        subjects=subjects,
        occurrences=occs,
        evidence=refs(row["evidence"]),
        tags=[str(row["review_says"])],
        responsible=responsible,
        counter_evidence=praise(ctx, THEME, responsible, occs),
    )


def closed_then_harmed(ctx: RuleContext, params: DecisionParams = DEFAULTS) -> Iterator[Question]:
    """A closing decision the review does not judge wrong, followed by harm: a question, never a
    finding, showing what the decider's organisation held (or had been told) by then."""
    for row in ctx.rows("child_decisions"):
        if not is_closure(row, params) or row["review_says"] in WRONG:
            continue
        harm = harm_after(ctx, str(row["child"]), row["date_from"])
        if not harm:
            continue
        held = _held_then(ctx, row)
        knew = f"what it held then: {named_list(held)}" if held else "the review records nothing it held then"
        verdict = (
            "the review judges it reasonable at the time"
            if row["review_says"] in ("reasonable_at_the_time", "threshold_applied_correctly")
            else "the review does not judge it on what was known then"
        )
        statement = (
            f"{deciders(row)} closed the case ({row['date']}: “{row['outcome']}”).{harm_clause(harm)} "
            f"Was the closure wrong on what was known then? {verdict[0].upper() + verdict[1:]}; {knew}."
        )
        occs = [occurrence(str(row["outcome"]), row, record=str(row["decision"]))]
        occs += [occurrence(str(e["name"]), e, record=str(e["event"])) for e in harm]
        yield Question(
            theme=THEME,
            rule="closed_then_harmed",
            statement=statement,
            children=(str(row["child"]),),
            subjects=(str(row["decision"]), *parties_of(row)),
            occurrences=in_order(occs),
            evidence=refs(row["evidence"]),
        )


def _held_then(ctx: RuleContext, row: dict[str, object]) -> list[str]:
    """Items about the child the deciders' organisations held, or had been told, by the decision's
    latest date (the knowledge horizon)."""
    when = row["date_to"] or row["date_from"]
    if when is None:
        return []
    orgs = {ctx.facts.organisation(str(d)) for d in row["deciders"]}
    horizon = ctx.rows("knowledge_horizon", by=when.isoformat())
    return sorted({str(h["item_name"]) for h in horizon if ctx.facts.organisation(str(h["party"])) in orgs})


def omissions(ctx: RuleContext) -> Iterator[Finding]:
    """What the review says should have happened and did not (Omission): a recorded finding naming
    who it was expected of; information not sought is an information-sharing failure, and a challenge
    not made (a party that should have challenged a plan or decision and did not) is an escalation one."""
    meetings = {str(m["meeting"]): str(m["name"]) for m in ctx.rows("child_meetings")}
    for row in ctx.rows("omissions"):
        theme = OMISSION_THEMES.get(str(row["kind"]), THEME)
        occs = [occurrence(str(row["description"]), row, record=str(row["omission"]))]
        statement = flag_inferred(_omission_lead(ctx, row, meetings) + f": “{row['description']}”.", [row])
        yield Finding(
            theme=theme,
            rule="omission",
            basis="recorded",
            statement=statement,
            children=(str(row["child"]),),
            subjects=(str(row["omission"]), *map(str, row["expected_of"])),
            occurrences=occs,
            evidence=refs(row["evidence"]),
            tags=[str(row["kind"]), *(["learning"] if row.get("learning") else [])],
            counter_evidence=praise(ctx, theme, [str(p) for p in row["expected_of"]], occs),
        )


def _omission_lead(ctx: RuleContext, row: dict, meetings: dict[str, str]) -> str:
    """The lead-in of an omission's statement. A record the review words only as learning for those it addresses
    (LP17 "(All)", LP31 to a sector, LP36 "considers the development of") is "The review's learning (LP36) for
    …", dated only as the review dates it: never "what was expected of" a party the review does not hold to a
    failure (audit 6, problem 1)."""
    expected = [str(p) for p in row["expected_of"]]
    if row.get("learning"):
        parties = named_list([ctx.facts.name(p) for p in expected if p not in meetings])
        when = f" ({row['date']})" if row["date"] else ""
        return f"The review's learning ({row['learning']}) for {parties}{when}"
    of = _expected_of(ctx, expected, meetings)
    return f"The review records, about {of} ({row['date'] or 'date not recorded'})"


def _expected_of(ctx: RuleContext, expected: list[str], meetings: dict[str, str]) -> str:
    """ "what was expected of A and B, in the CAF process": who it was expected of, and where. A meeting
    or a process (the CAF) is where it should have happened, never a party it was expected of (issue 12,
    class 3). The omission's kind is never worded here: "suitability not considered" or "a challenge not
    made" is firmer than the review's "no clarity as to how ... was assessed" or "less evidence that other
    agencies understood their role"; the quoted words carry the claim, the lead-in only names the record."""
    parties = [ctx.facts.name(p) for p in expected if p not in meetings]
    places = [meetings[p] for p in expected if p in meetings]
    where = [name[0].lower() + name[1:] if name[1:2].islower() else name for name in places]
    if not parties:
        return f"the {named_list(where)}" if where else "what should have happened"
    return f"what was expected of {named_list(parties)}" + (f", in the {named_list(where)}" if where else "")


def meetings_not_held(ctx: RuleContext, params: DecisionParams = DEFAULTS) -> Iterator[Finding]:
    """A meeting about the child the review records as cancelled or never convened: recorded."""
    for m in ctx.rows("child_meetings"):
        if m["status"] not in params.not_held:
            continue
        by = named_list([ctx.facts.name(str(p)) for p in m["convened"]]) if m["convened"] else ""
        status = "cancelled" if m["status"] == "cancelled" else "never convened"
        statement = f"{m['name']} ({m['date']}) was {status}{f' by {by}' if by and status == 'cancelled' else ''}."
        yield Finding(
            theme=THEME,
            rule="meeting_not_held",
            basis="recorded",
            statement=flag_inferred(statement, [m]),
            children=(str(m["child"]),),
            subjects=(str(m["meeting"]), *map(str, m["convened"])),
            occurrences=[occurrence(str(m["name"]), m, record=str(m["meeting"]))],
            evidence=refs(m["evidence"]),
            tags=[str(m["status"])],
        )


RULES = [
    judged_decisions,
    closed_then_harmed,
    drift,
    repeated_closures,
    threshold_closes_before_harm,
    omissions,
    meetings_not_held,
]
