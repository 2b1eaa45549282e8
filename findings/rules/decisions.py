"""Rules of the ``decision_making`` theme: thresholds, drift, closures and what was never done
(issue 13; the rule interface: findings/rules/__init__.py).

Recorded findings come only from what the source says: a decision or a front-door decision on a
referral that the review judges (``review_says``), an ``Omission``, a meeting it records as
cancelled or never convened. The derived patterns — drift, repeated closures at one door, a risk
threshold that closes before harm — are ``inferred`` unless a judged record sits inside them.

**Hindsight guard.** A closure followed by harm is a finding only where the review judges the
decision wrong on what was known then (``judged_decisions``); otherwise it is a ``Question``
that shows what the decider held at the time (``closed_then_harmed``). A door's closing of a
referral is claimed here (repeated closures, threshold, judged decisions); the escalation theme's
``missed_escalations`` keeps referrals never made and information not acted on.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from findings.compose import in_order, named_list, occurrence, refs, span
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding, Occurrence, Question
from queries.library import registry

THEME = "decision_making"
WRONG = (  # the review's judgements of a decision as wrong (review_says); a finding quotes the review's words for them
    "threshold_met_not_applied",
    "wrong_on_information_held",
    "drift",
    "premature_closure",
)
QUOTED_AT = re.compile(r"(?P<ref>(?:¶|App|LP|GP|Table )[^:]*): (?P<words>.+)", re.S)  # "¶120: It is …"
LEVEL_RANK = {  # levels of intervention in order; `unknown` is no evidence of a change
    "no_further_action": 0,
    "universal": 1,
    "early_help": 2,
    "child_in_need": 3,
    "child_protection": 4,
    "looked_after": 5,
}
LEVEL_WORDS = {
    "no_further_action": "no further action",
    "universal": "universal services",
    "early_help": "early help",
    "child_in_need": "child in need",
    "child_protection": "child protection",
    "looked_after": "looked after",
}
OMISSION_WORDS = {
    "no_lead_professional": "no lead professional",
    "assessment_not_done": "an assessment not done",
    "information_not_sought": "information not sought",
    "referral_not_made": "a referral not made",
    "plan_not_made": "a plan not made",
    "suitability_not_considered": "suitability not considered",
    "visit_not_made": "a visit not made",
    "meeting_not_convened": "a meeting not convened",
    "challenge_not_made": "a challenge not made",
    "other": "something that should have happened",
}

OMISSION_THEMES = {  # omission kinds that belong to another theme than decision_making
    "information_not_sought": "information_sharing",
    "challenge_not_made": "escalation",
}


@dataclass(frozen=True)
class DecisionParams:
    """The spans and counts of the derived patterns, as data with the issue's defaults; a caller
    (a test, a what-if) passes its own instead of editing a rule."""

    drift_months: int = 12  # no step up in the level of intervention for longer than this …
    drift_min_concerns: int = 2  # … while at least this many concerns recur
    closures_count: int = 3  # repeated closures at the same door: this many …
    closures_window_months: int = 12  # … within this many months
    closing_levels: tuple[str, ...] = ("no_further_action",)  # a decision at this level closes the case
    closing_outcomes: tuple[str, ...] = ("no_action", "closed_low_risk", "not_indicated", "redirected")
    below_threshold: tuple[str, ...] = ("low", "medium")  # risk levels under a team's threshold
    concern_kinds: tuple[str, ...] = (
        "referral",
        "missing_episode",
        "disclosure",
        "self_harm",
        "health_attendance",
        "arrest",
        "exclusion",
    )
    not_held: tuple[str, ...] = ("cancelled", "not_convened")  # meeting statuses: should have been held


DEFAULTS = DecisionParams()


def harm_kinds() -> list[str]:
    """The event kinds that count as later harm: the audited ``missed_escalations`` list, so the
    escalation and decision rules never disagree on what harm is."""
    return list(registry()["missed_escalations"].parameters["harm_kinds"].default)


def months_between(start: date, end: date) -> float:
    """Calendar months from ``start`` to ``end`` (a part month counts by its days)."""
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 31


def is_closure(row: dict[str, object], params: DecisionParams) -> bool:
    """A decision that closed the case (its level, or its stage says so)."""
    return row["level"] in params.closing_levels or row["stage"] == "closure"


def deciders(row: dict[str, object]) -> str:
    names = [str(n) for n in row.get("decider_names") or []]
    return named_list(names) if names else "The deciding agency (not named in the review)"


def harm_after(ctx: RuleContext, child: str, when: date | None) -> list[dict[str, object]]:
    """Harm events about the child whose earliest possible date is later than ``when`` (the
    ``missed_escalations`` test of "after")."""
    if when is None:
        return []
    events = ctx.rows("child_events", child=child, kinds=harm_kinds())
    return [e for e in events if e["date_from"] and e["date_from"] > when]


def _harm_clause(harm: list[dict[str, object]]) -> str:
    if not harm:
        return ""
    first = min(harm, key=lambda e: e["date_from"])
    return (
        f" Later the child came to harm (first recorded: “{first['name']}”, {first['date']}); "
        "the review does not say one caused the other."
    )


def review_words(row: dict[str, object]) -> str:
    """The review's own words for its judgement of a record, with their ref: ``The review (¶120): “…”.``
    Only the source's words, hedges and all ("possibly", "no evidence that"): a label for
    ``review_says`` ("closed prematurely") would put words in the review's mouth. Where the case
    curates no words, the sentence points at the record's paragraphs instead."""
    words = str(row.get("review_words") or "").strip()
    at = QUOTED_AT.match(words)
    if at:
        return f" The review ({at['ref']}): “{at['words'].rstrip('.')}”."
    if words:
        return f" The review ({', '.join(refs(row['evidence']))}): “{words.rstrip('.')}”."
    return f" The review judges it: see {', '.join(refs(row['evidence']))}."


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
            what = f"{row['reason']} — outcome: {str(row['outcome']).replace('_', ' ')}"
            how = "(a referral it did not make)" if row["outcome"] == "not_made" else "(on a referral)"
            yield _judged(ctx, row, str(row["referral"]), f"{door} {how}", what)


def _judged(ctx: RuleContext, row: dict[str, object], record: str, who: str, what: str) -> Finding:
    """One judged record as a finding, dated as the record is (no later harm in its occurrences, so praise
    of a later period never reaches it)."""
    occs = [occurrence(what, row, record=record)]
    subjects = (record, *_parties(row), *map(str, row.get("senders") or row.get("responds_to") or []))
    return Finding(
        theme=THEME,
        rule="judged_decision",
        basis="recorded",
        statement=f"{who}, {row['date']}: “{what}”.{review_words(row)}",
        children=(str(row["child"]),),
        subjects=subjects,
        occurrences=occs,
        evidence=refs(row["evidence"]),
        tags=[str(row["review_says"])],
        counter_evidence=praise(ctx, THEME, subjects, occs),  # praise of any party the finding names
    )


def _parties(row: dict[str, object]) -> list[str]:
    """The deciding parties of a decision row, or the door of a referral row."""
    return [str(p) for p in row.get("deciders") or row.get("recipients") or []]


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
            f"{deciders(row)} closed the case ({row['date']}: “{row['outcome']}”).{_harm_clause(harm)} "
            f"Was the closure wrong on what was known then? {verdict[0].upper() + verdict[1:]}; {knew}."
        )
        occs = [occurrence(str(row["outcome"]), row, record=str(row["decision"]))]
        occs += [occurrence(str(e["name"]), e, record=str(e["event"])) for e in harm]
        yield Question(
            theme=THEME,
            rule="closed_then_harmed",
            statement=statement,
            children=(str(row["child"]),),
            subjects=(str(row["decision"]), *_parties(row)),
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


def drift(ctx: RuleContext, params: DecisionParams = DEFAULTS) -> Iterator[Finding]:
    """No step up in the level of intervention for longer than ``drift_months`` while concerns
    recur: one finding per such run of decisions, recorded where the review itself says the case
    drifted or the threshold was met and not applied inside the run, else inferred."""
    by_child: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in ctx.rows("child_decisions"):
        if row["level"] in LEVEL_RANK and row["date_from"]:
            by_child[str(row["child"])].append(row)
    for child, rows in by_child.items():
        for run, step_up in _level_runs(sorted(rows, key=lambda r: (r["date_from"], str(r["decision"])))):
            finding = _drift_finding(ctx, child, run, step_up, params)
            if finding:
                yield finding


def _level_runs(rows: list[dict[str, object]]) -> Iterator[tuple[list[dict[str, object]], dict | None]]:
    """Maximal runs of decisions that never rise above the level the run started at, each with the
    decision that stepped up (None while none did). The top level cannot drift upwards."""
    top = max(LEVEL_RANK.values())
    i = 0
    while i < len(rows):
        ceiling = LEVEL_RANK[str(rows[i]["level"])]
        j = i + 1
        while j < len(rows) and LEVEL_RANK[str(rows[j]["level"])] <= ceiling:
            j += 1
        if ceiling < top:
            yield rows[i:j], rows[j] if j < len(rows) else None
        i = j


def _drift_finding(
    ctx: RuleContext, child: str, run: list[dict[str, object]], step_up: dict | None, params: DecisionParams
) -> Finding | None:
    start: date = run[0]["date_from"]
    end: date = step_up["date_from"] if step_up else max(r["date_to"] or r["date_from"] for r in run)
    months = months_between(start, end)
    concerns = [c for c in _concerns(ctx, child) if start <= c["date_from"] < end]
    if months <= params.drift_months or len(concerns) < params.drift_min_concerns:
        return None
    judged = [r for r in run if r["review_says"] in ("drift", "threshold_met_not_applied")]
    level = LEVEL_WORDS[str(run[0]["level"])]
    until = f"until {step_up['date']} ({LEVEL_WORDS[str(step_up['level'])]})" if step_up else "with no step up recorded"
    said = review_words(judged[0]) if judged else ""
    statement = (
        f"The level of intervention stayed at or below {level} from {run[0]['date']} {until}, about "
        f"{round(months)} months, while {len(concerns)} concerns recurred.{said}"
    )
    occs = [occurrence(f"{r['stage'].replace('_', ' ')}: {r['outcome']}", r, record=str(r["decision"])) for r in run]
    return Finding(
        theme=THEME,
        rule="drift",
        basis="recorded" if judged else "inferred",
        statement=statement,
        children=(child,),
        subjects=(str(run[0]["decision"]), *sorted({ctx.facts.organisation(p) for r in run for p in _parties(r)})),
        occurrences=in_order(occs),
        evidence=refs(*(r["evidence"] for r in run), *(c["evidence"] for c in concerns)),
        tags=["drift"],
        counter_evidence=praise(ctx, THEME, [p for r in run for p in _parties(r)], occs),
    )


def _concerns(ctx: RuleContext, child: str) -> list[dict[str, object]]:
    """Concerns about the child: referrals (any outcome) and events of the concern kinds, dated."""
    events = ctx.rows("child_events", child=child, kinds=list(DEFAULTS.concern_kinds))
    referrals = ctx.rows("child_referrals", child=child)
    return [r for r in [*events, *referrals] if r["date_from"]]


def closures(ctx: RuleContext, params: DecisionParams = DEFAULTS) -> list[dict[str, object]]:
    """Every closure about the child with its door: a closing decision (door: who decided) or a
    referral closed at the door it went to. One row per closure and door."""
    found = []
    for row in ctx.rows("child_decisions"):
        if is_closure(row, params):
            found += [{**row, "record": row["decision"], "door": d, "what": row["outcome"]} for d in row["deciders"]]
    for row in ctx.rows("child_referrals"):
        if row["outcome"] in params.closing_outcomes:
            what = f"{row['reason']} — {str(row['outcome']).replace('_', ' ')}"
            found += [{**row, "record": row["referral"], "door": d, "what": what} for d in row["recipients"]]
    return [c for c in found if c["date_from"]]


def repeated_closures(ctx: RuleContext, params: DecisionParams = DEFAULTS) -> Iterator[Finding]:
    """The same door (an organisation, its teams counted with it) closing concerns about one child
    ``closures_count`` times or more within ``closures_window_months``: one finding per door."""
    by_door: dict[tuple[str, str], dict[str, dict[str, object]]] = defaultdict(dict)
    for c in closures(ctx, params):
        by_door[(str(c["child"]), ctx.facts.organisation(str(c["door"])))].setdefault(str(c["record"]), c)
    for (child, door), found in by_door.items():
        rows = sorted(found.values(), key=lambda c: c["date_from"])
        hit = _windowed(rows, params)
        if not hit:
            continue
        occs = in_order(occurrence(str(c["what"]), c, record=str(c["record"])) for c in hit)
        statement = (
            f"{ctx.facts.name(door)} closed concerns about the child {len(hit)} times in {span(occs)} "
            f"(at least {params.closures_count} within {params.closures_window_months} months)."
        )
        yield Finding(
            theme=THEME,
            rule="repeated_closures",
            basis="inferred",
            statement=statement,
            children=(child,),
            subjects=(door,),
            occurrences=occs,
            evidence=refs(*(c["evidence"] for c in hit)),
            tags=["closures"],
            counter_evidence=praise(ctx, THEME, (door,), occs),
        )


def _windowed(rows: list[dict[str, object]], params: DecisionParams) -> list[dict[str, object]]:
    """Every closure that falls in some window of the given length holding enough closures."""
    hit: dict[str, dict[str, object]] = {}
    for i, first in enumerate(rows):
        window = [
            c for c in rows[i:] if months_between(first["date_from"], c["date_from"]) < params.closures_window_months
        ]
        if len(window) >= params.closures_count:
            hit.update({str(c["record"]): c for c in window})
    return list(hit.values())


def threshold_closes_before_harm(ctx: RuleContext, params: DecisionParams = DEFAULTS) -> Iterator[Finding | Question]:
    """A risk assessment below the team's threshold, a closure at the same door within the
    assessment's period, and harm after it: one claim per child and assessing organisation.
    Recorded where the review judges one of those closures wrong, or the assessment or its tool's
    threshold (the assessment's ``review_words``), quoting its words; otherwise a question."""
    assessed: dict[tuple[str, str], list[tuple[dict, dict]]] = defaultdict(list)
    shut = closures(ctx, params)
    for ra in ctx.rows("risk_assessments"):
        if ra["level"] not in params.below_threshold or not ra["date_from"]:
            continue
        for who in ra["assessors"]:
            org = ctx.facts.organisation(str(who))
            for c in shut:
                if ctx.facts.organisation(str(c["door"])) == org and _same_period(ra, c):
                    assessed[(str(ra["child"]), org)].append((ra, c))
    for (child, org), pairs in assessed.items():
        harmed = [(ra, c, h) for ra, c in pairs if (h := harm_after(ctx, child, c["date_from"]))]
        if harmed:
            yield _threshold_claim(ctx, child, org, harmed)


def _same_period(ra: dict[str, object], closure: dict[str, object]) -> bool:
    """The closure falls within the assessment's period (month precision: the same month counts)."""
    return ra["date_from"] <= closure["date_from"] <= (ra["date_to"] or ra["date_from"])


def _threshold_claim(
    ctx: RuleContext, child: str, org: str, harmed: list[tuple[dict, dict, list]]
) -> Finding | Question:
    occs: list[Occurrence] = []
    for ra, c, _ in harmed:
        occs.append(occurrence(f"{ra['tool']}: {ra['level']}", ra, record=str(ra["assessment"])))
        occs.append(occurrence(str(c["what"]), c, record=str(c["record"])))
    first_harm = min((e for *_, h in harmed for e in h), key=lambda e: e["date_from"])
    who = named_list([ctx.facts.name(str(a)) for ra, _, _ in harmed for a in ra["assessors"]])
    claim = (
        f"{who} assessed the risk below its threshold and closed the case {len(harmed)} time(s) "
        f"({span(occs)}) before harm: “{first_harm['name']}” ({first_harm['date']}); "
        "the review does not say one caused the other."
    )
    evidence = refs(*(x["evidence"] for ra, c, _ in harmed for x in (ra, c)), first_harm["evidence"])
    occs = in_order([*occs, occurrence(str(first_harm["name"]), first_harm, record=str(first_harm["event"]))])
    common = {
        "theme": THEME,
        "rule": "threshold_closes_before_harm",
        "children": (child,),
        "subjects": (org, *sorted({str(ra["assessment"]) for ra, _, _ in harmed})),
        "occurrences": occs,
        "evidence": evidence,
        "tags": ["threshold"],
    }
    judged = [c for _, c, _ in harmed if c["review_says"] in WRONG] + [ra for ra, _, _ in harmed if ra["review_words"]]
    if judged:
        return Finding(
            basis="recorded",
            statement=claim + review_words(judged[0]),
            counter_evidence=praise(ctx, THEME, (org,), occs),
            **common,
        )
    question = (
        f"{claim} Did the threshold close the case before the first harm? The review does not judge these closures."
    )
    return Question(statement=question, **common)


def omissions(ctx: RuleContext) -> Iterator[Finding]:
    """What the review says should have happened and did not (Omission): a recorded finding naming
    who it was expected of; information not sought is an information-sharing failure, and a challenge
    not made (a party that should have challenged a plan or decision and did not) is an escalation one."""
    meetings = {str(m["meeting"]): str(m["name"]) for m in ctx.rows("child_meetings")}
    for row in ctx.rows("omissions"):
        theme = OMISSION_THEMES.get(str(row["kind"]), THEME)
        occs = [occurrence(str(row["description"]), row, record=str(row["omission"]))]
        when = row["date"] or "date not recorded"
        of = _expected_of(ctx, [str(p) for p in row["expected_of"]], meetings)
        statement = f"The review records {OMISSION_WORDS[str(row['kind'])]}{of} ({when}): “{row['description']}”."
        yield Finding(
            theme=theme,
            rule="omission",
            basis="recorded",
            statement=statement,
            children=(str(row["child"]),),
            subjects=(str(row["omission"]), *map(str, row["expected_of"])),
            occurrences=occs,
            evidence=refs(row["evidence"]),
            tags=[str(row["kind"])],
            counter_evidence=praise(ctx, theme, [str(p) for p in row["expected_of"]], occs),
        )


def _expected_of(ctx: RuleContext, expected: list[str], meetings: dict[str, str]) -> str:
    """ ", expected of A and B, in the CAF process": who it was expected of, and where. A meeting or a
    process (the CAF) is where it should have happened, never a party it was expected of (issue 12,
    class 3)."""
    parties = [ctx.facts.name(p) for p in expected if p not in meetings]
    places = [meetings[p] for p in expected if p in meetings]
    of = f", expected of {named_list(parties)}" if parties else ""
    where = [name[0].lower() + name[1:] if name[1:2].islower() else name for name in places]
    return of + (f", in the {named_list(where)}" if where else "")


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
            statement=statement,
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
