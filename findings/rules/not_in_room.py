"""Rules of the ``not_in_room`` theme (the rule interface: findings/rules/__init__.py).

Open world: the review records some participants of most meetings, not all. An absence is a
finding only where the review states it (did not attend; information that did not reach the
meeting) or where it records the meeting's participants as complete. (An ``Omission`` the review
records — a meeting not convened, an invitation not sent — is claimed once, by the decisions
theme's ``omissions`` rule.) Everywhere else the engine asks a **question** — one per kind of meeting and sector
that statutory guidance expects there (queries/expectations.yaml) and no recorded participant
represents, naming the parties of that sector involved with the child at the time and listing
the meetings.
Parties count through their organisation: a team in the room puts its agency in the room.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from findings.compose import in_order, named_list, occurrence, overlaps, refs, row_order, span
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding, Occurrence, Question
from findings.rules.information_sharing import failed_flows

THEME = "not_in_room"
HELD = ("held", "series")
# The review's own process (its panel, its practitioner events) is not practice about the child.
REVIEW_PROCESS = ("review_panel", "practitioner_event")
# Meetings whose membership statutory guidance prescribes: only there can a complete record of who
# was present support an inferred "not in the room" finding (elsewhere it stays a question).
STATUTORY = (
    "strategy_meeting",
    "strategy_discussion",
    "child_protection_conference",
    "lac_review",
    "cin_meeting",
    "core_group",
)
# The local authority's social care convenes every statutory meeting about a child (Working Together 2015;
# the Children Act 1989 guidance, Volume 2): whether it was there is never a question for a panel.
CONVENING_SECTOR = "social_care"
KIND_WORDS = {
    "lac_review": "looked-after child reviews",
    "strategy_meeting": "strategy meetings",
    "strategy_discussion": "strategy discussions",
    "child_protection_conference": "child protection conferences",
    "cin_meeting": "child in need meetings",
    "core_group": "core group meetings",
    "planning_meeting": "planning meetings",
    "professionals_meeting": "professionals' meetings",
    "mash_discussion": "MASH discussions",
    "legal_planning_meeting": "legal planning meetings",
    "caf_meeting": "CAF meetings",
    "health_review": "health reviews",
}


def _attended_counter(ctx: RuleContext, org: str, meetings: list[dict]) -> list[str]:
    """Refs of other meetings of the same kind and time that the organisation attended or convened
    (an invitation it did not take up is not counter-evidence)."""
    facts = ctx.facts
    kinds, own = {m["kind"] for m in meetings}, {m["meeting"] for m in meetings}
    return [
        r
        for m in ctx.rows("child_meetings")
        if m["kind"] in kinds
        and m["meeting"] not in own
        and org in {facts.organisation(str(p)) for p in [*m["attended"], *m["convened"]]}
        and any(overlaps(m["date_from"], m["date_to"], x["date_from"], x["date_to"]) for x in meetings)
        for r in m["evidence"]
    ]


def _involved_span(ctx: RuleContext, org: str, child: str) -> tuple[date | None, date | None, str, str]:
    """The organisation's involvement with the child as the review dates it (earliest, latest, and the
    review's words for each end), so an absence is never dated before the party was there to be absent
    (LA5 health before Child Q moved to LA5). No recorded involvement: open ends."""
    rows = [
        v
        for v in ctx.rows("child_involvement")
        if ctx.facts.organisation(str(v["party"])) == org and str(v["child"]) == child
    ]
    if not rows:
        return None, None, "", ""
    first = min(rows, key=lambda v: v["period_from"] or date.min)
    last = max(rows, key=lambda v: v["period_to"] or date.max)
    ends = (str(first["period"] or "").split(" – "), str(last["period"] or "").split(" – "))
    return first["period_from"], last["period_to"], ends[0][0], ends[1][-1]


def _within_involvement(meeting: dict, involved: tuple[date | None, date | None, str, str]) -> dict:
    """The meeting's dates cut to the party's involvement: a series "Jan 2013 – Feb 2015" met by an
    involvement from "May 2013" becomes "May 2013 – Feb 2015" for that party's absence."""
    start, end, start_text, end_text = involved
    dates = {k: meeting[k] for k in ("date", "date_from", "date_to")}
    if not dates["date"]:
        return dates
    words = str(dates["date"]).split(" – ")
    if start and dates["date_from"] and start > dates["date_from"] and start_text:
        dates["date_from"], words[0] = start, start_text
    if end and dates["date_to"] and end < dates["date_to"] and end_text:
        dates["date_to"], words[-1] = end, end_text
    dates["date"] = words[0] if len(words) == 1 or words[0] == words[-1] else f"{words[0]} – {words[-1]}"
    return dates


def _review_words(rows: list[dict]) -> str:
    """The review's own words for the absences, each quoted with its ¶ in the curated reason, once each:
    a quote another quote contains is left out (one sentence of ¶144 grounds two meetings, cut shorter
    for one)."""
    parts = list(dict.fromkeys(part for r in rows if r["reason"] for part in str(r["reason"]).split("; ")))
    parts = [p if p.startswith("“") else f"“{p}”" for p in parts]  # a reason not yet quoted is still the source's
    words = [p.split("” (")[0].strip("“”") for p in parts]
    kept = [p for p, w in zip(parts, words, strict=True) if not any(w != o and w in o for o in words)]
    return "; ".join(kept)


def did_not_attend(ctx: RuleContext) -> Iterator[Finding]:
    """One finding per child and organisation the review records as absent (not invited, not included,
    invited but could not attend), its meetings as occurrences dated within its involvement, stated in
    the review's own words: "did not attend" would blame the party for a meeting it was not invited to.
    Evidence is what grounds the absence, not every paragraph about the meeting (which may praise it)."""
    facts = ctx.facts
    meetings = {m["meeting"]: m for m in ctx.rows("child_meetings")}
    by_org: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in ctx.rows("did_not_attend"):
        # agencies and professionals only (a parent's absence is not a multi-agency failing), never the
        # review's own events, and never an absence the review itself excuses ("in line with
        # guidance, the child makes the decision which professional attends")
        if (
            str(row["party"]) in facts.parties
            and meetings[row["meeting"]]["kind"] not in REVIEW_PROCESS
            and not row["mitigation"]
        ):
            by_org[(str(row["child"]), facts.organisation(str(row["party"])))].append(row)
    for (child, org), rows in by_org.items():
        involved = _involved_span(ctx, org, child)
        dated = {r["meeting"]: _within_involvement(meetings[r["meeting"]], involved) for r in rows}
        rows = sorted(rows, key=lambda r: (dated[r["meeting"]]["date_from"] or date.max, str(r["party"])))
        occs = in_order(
            occurrence(
                str(r["meeting_name"]),
                {**dated[r["meeting"]], "evidence": r["absence_evidence"]},
                record=str(r["meeting"]),
            )
            for r in rows
        )
        names = named_list([str(r["party_name"]) for r in rows])
        meeting_names = named_list(list(dict.fromkeys(str(r["meeting_name"]) for r in rows)))
        yield Finding(
            theme=THEME,
            rule="did_not_attend",
            basis="recorded",
            statement=f"{names} at {meeting_names} ({span(occs)}) — the review records: {_review_words(rows)}.",
            children=(child,),
            subjects=(org,),
            occurrences=occs,
            evidence=refs(*(o.refs for o in occs)),
            counter_evidence=refs(
                praise(ctx, THEME, (org,), occs), _attended_counter(ctx, org, [meetings[r["meeting"]] for r in rows])
            ),
        )


def _claimed_by_sharing(ctx: RuleContext) -> dict[tuple[str, str], list[dict]]:
    """(sender organisation, item) → the failed flows of that item the information-sharing theme claims."""
    claimed: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in failed_flows(ctx):
        if f["item"]:
            claimed[(ctx.facts.organisation(str(f["from_party"])), str(f["item"]))].append(f)
    return claimed


def _already_claimed(claimed: dict[tuple[str, str], list[dict]], org: str, flow: dict) -> bool:
    return any(
        overlaps(c["date_from"], c["date_to"], flow["date_from"], flow["date_to"])
        for c in claimed.get((org, str(flow["item"])), [])
    )


def information_missing_from_meeting(ctx: RuleContext) -> Iterator[Finding]:
    """Information the review records as not reaching a meeting: one finding per child, meeting and
    item (one sentence about "the Services" working with a parent is one claim, not one per service),
    unless the review's record of that organisation's absence from the meeting already makes the claim, or
    the information-sharing theme claims the same item from the same organisation at the same time (¶82's
    urinary tract infections: one sentence, one finding)."""
    facts = ctx.facts
    review_events = {m["meeting"] for m in ctx.rows("child_meetings") if m["kind"] in REVIEW_PROCESS}
    absent = {  # an absence the review excuses makes no claim (its data can still be missing)
        (facts.organisation(str(r["party"])), str(r["meeting"]))
        for r in ctx.rows("did_not_attend")
        if not r["mitigation"]
    }
    claimed = _claimed_by_sharing(ctx)
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for f in ctx.rows("child_flows"):
        org, meeting = facts.organisation(str(f["from_party"])), str(f["to_party"])
        if f["to_kind"] == "meeting" and f["status"] == "not_shared" and meeting not in review_events:
            if (org, meeting) not in absent and not _already_claimed(claimed, org, f):
                groups[(str(f["child"]), meeting, str(f["item"]) or org)].append(f)
    for flows in groups.values():
        flows = row_order(flows)
        orgs = list(dict.fromkeys(facts.organisation(str(f["from_party"])) for f in flows))
        occs = in_order(occurrence(str(f["information"]), f, record=str(f["flow"])) for f in flows)
        first = flows[0]
        names = named_list(list(dict.fromkeys(str(f["from_name"]) for f in flows)))
        others = len({o.what for o in occs}) - 1
        yield Finding(
            theme=THEME,
            rule="information_missing_from_meeting",
            basis="recorded",
            statement=f"{names} and the {first['to_name']} ({span(occs)}): information did not pass between them — "
            f"{first['information']}" + (f" and {others} more item(s)." if others else "."),
            children=(str(first["child"]),),
            subjects=(*orgs, str(first["to_party"])),
            occurrences=occs,
            evidence=refs(*(o.refs for o in occs)),
            counter_evidence=praise(ctx, THEME, (*orgs, str(first["to_party"])), occs),
        )


def _missing_from(ctx: RuleContext) -> dict[tuple[str, str, str], list[dict]]:
    """(organisation, meeting kind, attendance class) → held meetings of that kind, about the
    child, that the organisation was involved at the time of, of a sector guidance expects there,
    and not recorded in."""
    facts = ctx.facts
    involved: dict[str, list[dict]] = defaultdict(list)
    for v in ctx.rows("child_involvement"):
        involved[facts.organisation(str(v["party"]))].append(v)
    out: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for m in ctx.rows("child_meetings"):
        if m["status"] not in HELD or m["kind"] not in facts.expected_sectors:
            continue
        sectors = facts.expected_sectors[str(m["kind"])][0]
        absent = {facts.organisation(str(p)) for p in m["did_not_attend"]}
        room = facts.in_room(m) | absent
        # a sector the review records as absent there is answered, not open (¶23: no health at the LAC reviews)
        represented = {facts.sector(o) for o in room}
        for org, rows in involved.items():
            if org in room or facts.sector(org) not in sectors - represented:
                continue
            if any(overlaps(v["period_from"], v["period_to"], m["date_from"], m["date_to"]) for v in rows):
                complete = "complete" if m["attendance"] == "complete" else "open"
                out[(org, str(m["kind"]), complete)].append({**m, "involvement": rows})
    return out


def _meeting_occurrences(meetings: list[dict]) -> list[Occurrence]:
    return in_order(occurrence(str(m["name"]), m, record=str(m["meeting"])) for m in meetings)


def not_in_room(ctx: RuleContext) -> Iterator[Finding]:
    """Involved, expected by guidance, not recorded at statutory meetings whose record of
    participants is complete: one inferred finding per organisation and kind of meeting."""
    facts = ctx.facts
    for (org, kind, complete), meetings in _missing_from(ctx).items():
        if complete != "complete" or kind not in STATUTORY:
            continue
        occs = _meeting_occurrences(meetings)
        ids = ", ".join(m["meeting"] for m in meetings)
        yield Finding(
            theme=THEME,
            rule="not_in_room",
            basis="inferred",
            statement=f"{facts.name(org)}, involved with the child at the time, was not among those the review "
            f"records at the {_kind_words(kind)} ({ids}, {span(occs)}).",
            children=(str(meetings[0]["child"]),),
            subjects=(org, kind),
            occurrences=occs,
            evidence=refs(*(o.refs for o in occs), *(v["evidence"] for v in meetings[0]["involvement"])),
            tags=_tags(ctx, [org], meetings),
            counter_evidence=praise(ctx, THEME, (org,), occs),
        )


def sector_unrecorded(ctx: RuleContext) -> Iterator[Question]:
    """Where the record of participants is not complete: one question per kind of meeting and
    sector guidance expects there that no recorded participant represents, naming the involved
    parties of that sector and listing the meetings — what a panel would ask, not a finding."""
    facts = ctx.facts
    by_sector: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(dict)
    for (org, kind, complete), meetings in _missing_from(ctx).items():
        if complete != "complete" and not (kind in STATUTORY and facts.sector(org) == CONVENING_SECTOR):
            by_sector[(kind, facts.sector(org))][org] = meetings
    for (kind, sector), orgs in by_sector.items():
        meetings = list({m["meeting"]: m for ms in orgs.values() for m in ms}.values())
        occs = _meeting_occurrences(meetings)
        ids = ", ".join(sorted(m["meeting"] for m in meetings))
        parties = named_list(sorted(facts.name(o) for o in orgs))
        guidance = facts.expected_sectors[kind][1]
        yield Question(
            theme=THEME,
            rule="sector_unrecorded",
            statement=f"The review does not say whether {sector.replace('_', ' ')} was represented at the "
            f"{_kind_words(kind)} ({ids}, {span(occs)}): {parties} {'was' if len(orgs) == 1 else 'were'} involved "
            f"with the child then, and guidance expects {sector.replace('_', ' ')} there ({guidance.split(' (')[0]}).",
            children=(str(meetings[0]["child"]),),
            subjects=(kind, sector),
            occurrences=occs,
            evidence=refs(
                *(o.refs for o in occs), *(v["evidence"] for ms in orgs.values() for v in ms[0]["involvement"])
            ),
            tags=_tags(ctx, list(orgs), meetings),
        )


def _kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.replace("_", " ") + "s")


def _tags(ctx: RuleContext, orgs: list[str], meetings: list[dict]) -> list[str]:
    """``cross_boundary`` where a party asked about sits in another area than a convenor."""
    crossing = any(ctx.facts.cross_boundary(o, str(p)) for o in orgs for m in meetings for p in m["convened"])
    return ["cross_boundary"] if crossing else []


RULES = [did_not_attend, information_missing_from_meeting, not_in_room, sector_unrecorded]
