"""The decision-making theme's derived patterns over many records: drift (no step up while concerns recur),
repeated closures at one door, and a risk threshold that closes before harm. Each is ``inferred`` unless a
record the review judges sits inside it (the theme's rules: findings/rules/decisions.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from findings.certainty import level, qualified
from findings.compose import in_order, named_list, occurrence, refs, span
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding, Occurrence, Question
from findings.rules.decision_terms import (
    DEFAULTS,
    LEVEL_RANK,
    LEVEL_WORDS,
    STATUTORY_LEVELS,
    THEME,
    TOOLS_COUNT,
    WRONG,
    DecisionParams,
    harm_after,
    is_closure,
    months_between,
    parties_of,
    review_words,
)


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


def statutory_steps(ctx: RuleContext, child: str, after: date, before: date, ceiling: str) -> list[str]:
    """Records above a drift's level inside its period that are not decisions with a level: a held meeting of a
    statutory kind (``STATUTORY_LEVELS``) and a section 47 enquiry (whose level the curation leaves ``unknown``,
    ¶128), as "name (date, ¶…)". A drift's statement must name them: "stayed at or below early help until Dec
    2014" was contradicted by the CIN meeting of Feb 2014 (¶119) and the section 47 of Nov 2014 (¶126)."""
    rank = LEVEL_RANK[ceiling]
    meetings = [
        m
        for m in ctx.rows("child_meetings", child=child)
        if m["status"] == "held" and LEVEL_RANK[STATUTORY_LEVELS.get(str(m["kind"]), ceiling)] > rank
    ]
    s47 = [d for d in ctx.rows("child_decisions", child=child) if d["stage"] == "section_47"]
    s47 = s47 if rank < LEVEL_RANK["child_protection"] else []
    return [
        f"{r.get('name') or '“' + str(r['outcome']) + '”'} ({r['date']}, {', '.join(refs(r['evidence']))})"
        for r in sorted([*meetings, *s47], key=lambda r: r["date_from"] or date.max)
        if r["date_from"] and after < r["date_from"] < before
    ]


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
    said = review_words(judged[0]).strip() + " " if judged else ""
    period = (start, end, months)
    statement = said + (
        _drift_steps(ctx, child, run, step_up, period)
        if judged
        else _drift_records(ctx, child, run, step_up, period, concerns)
    )
    occs = [occurrence(f"{r['stage'].replace('_', ' ')}: {r['outcome']}", r, record=str(r["decision"])) for r in run]
    return Finding(
        theme=THEME,
        rule="drift",
        basis="recorded" if judged else "inferred",
        statement=statement,
        children=(child,),
        subjects=(str(run[0]["decision"]), *sorted({ctx.facts.organisation(p) for r in run for p in parties_of(r)})),
        occurrences=in_order(occs),
        evidence=refs(*(r["evidence"] for r in run), *(c["evidence"] for c in concerns)),
        tags=["drift"],
        counter_evidence=praise(ctx, THEME, [p for r in run for p in parties_of(r)], occs),
    )


def _until(step_up: dict | None) -> str:
    return (
        f"until {step_up['date']} ({LEVEL_WORDS[str(step_up['level'])]}, {', '.join(refs(step_up['evidence']))})"
        if step_up
        else "with no step up recorded"
    )


def _drift_steps(
    ctx: RuleContext, child: str, run: list[dict[str, object]], step_up: dict | None, period: tuple[date, date, float]
) -> str:
    """Where the review itself judges the drift, the records beside its words are only what happened: the
    statutory steps in that time and the step up, never the tool's own reading of levels or its count of
    concerns (the sixth audit: "kept at early help or below" beside a section 47 it listed read as a
    contradiction, and the tool's eleven concerns beside the review's "at least 11" muddled both)."""
    start, end, _ = period
    above = statutory_steps(ctx, child, start, end, str(run[0]["level"]))
    stepped = (
        f"the case stepped up to {LEVEL_WORDS[str(step_up['level'])]} in {step_up['date']} "
        f"({', '.join(refs(step_up['evidence']))})"
        if step_up
        else "no step up is recorded"
    )
    if above:
        return f"From {run[0]['date']}, the records show {'; '.join(above)}; {stepped}."
    return f"The records show no statutory step from {run[0]['date']}; {stepped}."


def _drift_records(
    ctx: RuleContext,
    child: str,
    run: list[dict[str, object]],
    step_up: dict | None,
    period: tuple[date, date, float],
    concerns: list[dict[str, object]],
) -> str:
    """What the records show in a drift, after the review's own words: the levels its decisions kept, the
    statutory steps held in that time that no decision followed up (named as steps, so "no step above early
    help" never sits beside a section 47 it lists), and the tool's count of concerns with their span and
    paragraphs, so it cannot be read as a count the review makes (¶106's "at least 11 contacts/referrals"
    runs Feb 2014 – Jan 2015; the records' eleven run from 2012)."""
    start, end, months = period
    level = LEVEL_WORDS[str(run[0]["level"])]
    until = _until(step_up)
    above = statutory_steps(ctx, child, start, end, str(run[0]["level"]))
    also = (
        f"; the records also show, in that time, {'; '.join(above)}, none recorded as changing that level"
        if above
        else ""
    )
    first_refs = [refs(c["evidence"])[0] for c in concerns]
    return (
        f"In the records, from {run[0]['date']} {until}, about {round(months)} months, every decision given a level "
        f"kept the case at {level} or below (the levels are the curation's reading, the period the tool's){also}. "
        f"Joined-Up counts {len(concerns)} dated concerns in its records in that time ({concerns[0]['date']} – "
        f"{concerns[-1]['date']}: {', '.join(dict.fromkeys(first_refs))}), its own count over its own records."
    )


def _concerns(ctx: RuleContext, child: str) -> list[dict[str, object]]:
    """Concerns about the child, one per concern: events of the concern kinds and referrals made (a referral
    "not made" raised nothing), dated. Records of one date that share a paragraph are one concern (¶126's
    disclosure, referral and strategy request are Concern 7), so the tool counts what the review counts."""
    events = ctx.rows("child_events", child=child, kinds=list(DEFAULTS.concern_kinds))
    referrals = [r for r in ctx.rows("child_referrals", child=child) if r["outcome"] != "not_made"]
    concerns: list[dict[str, object]] = []
    seen: dict[date, set[str]] = defaultdict(set)  # refs already counted on each date
    for row in sorted((r for r in [*events, *referrals] if r["date_from"]), key=lambda r: r["date_from"]):
        refs_here = set(row["evidence"])
        if not refs_here & seen[row["date_from"]]:
            concerns.append(row)
        seen[row["date_from"]] |= refs_here
    return concerns


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
            f"Joined-Up counts {len(hit)} closures of concerns about the child by {ctx.facts.name(door)} in "
            f"{span(occs)} (at least {params.closures_count} within {params.closures_window_months} months) "
            f"over the records listed{TOOLS_COUNT}."
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
    harm_name = first_harm["name"]
    harm_words = qualified(f"“{harm_name}”", level(first_harm))
    claim = (
        f"{who} assessed the risk below its threshold and closed the case {len(harmed)} time(s) "
        f"({span(occs)}) before harm: {harm_words} ({first_harm['date']}); "
        "the review does not say one caused the other."
    )
    evidence = refs(*(x["evidence"] for ra, c, _ in harmed for x in (ra, c)), first_harm["evidence"])
    occs = in_order(
        [*occs, occurrence(qualified(str(harm_name), level(first_harm)), first_harm, record=str(first_harm["event"]))]
    )
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
