"""Rules of the ``not_in_room`` theme (the rule interface: findings/rules/__init__.py).

Open world: the review records some participants of most meetings, not all. An absence is a
finding only where the review states it (did not attend; information that did not reach the
meeting) or where it records the meeting's participants as complete. (An ``Omission`` the review
records — a meeting not convened, an invitation not sent — is claimed once, by the decisions
theme's ``omissions`` rule.) Everywhere else the engine asks a **question** — one per sector and kind of meeting
(kinds one guidance governs are one) that statutory guidance expects there (queries/expectations.yaml) and no
recorded participant represents, naming the parties of that sector involved with the child at the time and listing
the meetings a panel could take (a window of at most a year, not answered by the text:
findings/answered.py).
Parties count through their organisation: a team in the room puts its agency in the room.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from findings.answered import answers, precise
from findings.certainty import QUALIFIER, STATED, level
from findings.compose import flag_inferred, in_order, named_list, occurrence, overlaps, refs, row_order, span
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding, Occurrence, Question
from findings.rules.information_sharing import failed_flows, one_per_sentence

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
PLURAL = {"police": "were"}  # "whether police were represented"
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


def _dated_by_tool(rows: list[dict], meetings: dict, dated: dict, names: str, involved: tuple) -> list[dict]:
    """An ``inferred`` note where an absence's dates are the meetings' cut to the party's involvement: the review
    dates neither the absence nor, often, the meetings (¶81's School Nursing Service "Jan 2013 – summer 2013" was
    the tool's), so the statement says the dates are the tool's, in the one wording (``flag_inferred``)."""
    if all(dated[r["meeting"]]["date"] == meetings[r["meeting"]]["date"] for r in rows):
        return []
    period = f"{involved[2]} – {involved[3]}".strip(" –")
    return [
        {
            "inferred": f"the review does not date the absence; the dates are the meetings' within {names}'s "
            f"time with the child ({period})"
        }
    ]


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
        dated = {r["meeting"]: facts.within_involvement(meetings[r["meeting"]], child, org) for r in rows}
        involved = facts.involved_span(child, org)
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
            statement=flag_inferred(
                f"{names} at {meeting_names} ({span(occs)}) — the review records: {_review_words(rows)}.",
                [
                    *rows,
                    *(meetings[r["meeting"]] for r in rows),
                    *_dated_by_tool(rows, meetings, dated, names, involved),
                ],
            ),
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
    urinary tract infections: one sentence, one finding). An absence the review excuses in the same breath
    ("the child makes the decision which professional attends", ¶23) is the "but see" of its missing data."""
    facts = ctx.facts
    review_events = {m["meeting"] for m in ctx.rows("child_meetings") if m["kind"] in REVIEW_PROCESS}
    absent: set[tuple[str, str]] = set()  # an absence the review excuses makes no claim (its data can still be missing)
    excused: dict[tuple[str, str], list[str]] = defaultdict(list)  # … but its excuse is that data's "but see"
    for r in ctx.rows("did_not_attend"):
        key = (facts.organisation(str(r["party"])), str(r["meeting"]))
        if r["mitigation"]:
            excused[key].extend(r["absence_evidence"] or [])
        else:
            absent.add(key)
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
        sentences, _ = one_per_sentence(ctx, flows)  # the same words sent by two services: one occurrence
        occs = in_order(occurrence(str(f["information"]), f, record=str(f["flow"])) for f in sentences)
        first = flows[0]
        names = named_list(list(dict.fromkeys(str(f["from_name"]) for f in flows)))
        others = len({o.what for o in occs}) - 1
        yield Finding(
            theme=THEME,
            rule="information_missing_from_meeting",
            basis="recorded",
            statement=flag_inferred(
                f"{names} and {_the(str(first['to_name']))} ({span(occs)}): {_did_not_pass(flows)} — "
                f"{first['information']}" + (f" and {others} more item(s)." if others else "."),
                flows,
            ),
            children=(str(first["child"]),),
            subjects=(*orgs, str(first["to_party"])),
            occurrences=occs,
            evidence=refs(*(o.refs for o in occs)),
            counter_evidence=refs(
                praise(ctx, THEME, (*orgs, str(first["to_party"])), occs),
                *(excused.get((o, str(first["to_party"])), []) for o in orgs),
            ),
        )


def _did_not_pass(flows: list[dict]) -> str:
    """ "information did not pass between them" where the review says so; where it hedges (¶119's "no effective
    communication", ¶129's "no evidence that Adult Services were included": ``findings.certainty``) the lead-in
    names the record and its hedge, and the review's words make the claim."""
    levels = {level(f) for f in flows}
    if levels == {STATED}:
        return "information did not pass between them"
    hedges = "; ".join(QUALIFIER[lv] for lv in sorted(levels - {STATED}))
    return f"the review records, about what passed between them ({hedges})"


def _missing_from(ctx: RuleContext) -> dict[tuple[str, str, str], list[dict]]:
    """(organisation, meeting kind, attendance class) → held meetings of that kind, about the
    child, that the organisation was involved at the time of (``Facts.involved``), of a sector
    guidance expects there, and not recorded in; each dated within the organisation's involvement
    (a series outlasting a school the child left is that school's only until it left)."""
    facts = ctx.facts
    orgs = list(dict.fromkeys(facts.organisation(str(v["party"])) for v in ctx.rows("child_involvement")))
    out: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for m in ctx.rows("child_meetings"):
        if m["status"] not in HELD or m["kind"] not in facts.expected_sectors:
            continue
        child, sectors = str(m["child"]), facts.expected_sectors[str(m["kind"])][0]
        absent = {facts.organisation(str(p)) for p in m["did_not_attend"]}
        room = facts.in_room(m) | absent
        # a sector the review records as absent there is answered, not open (¶23: no health at the LAC reviews)
        represented = {facts.sector(o) for o in room}
        for org in orgs:
            if org in room or facts.sector(org) not in sectors - represented:
                continue
            if facts.involved(child, org, m["date_from"], m["date_to"]):
                complete = "complete" if m["attendance"] == "complete" else "open"
                dated = facts.within_involvement(m, child, org)
                out[(org, str(m["kind"]), complete)].append(
                    {**m, **dated, "involvement": facts.involvement(child, org)}
                )
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
            f"records at the {_kind_words(kind, meetings)} ({ids}, {span(occs)}).",
            children=(str(meetings[0]["child"]),),
            subjects=(org, kind),
            occurrences=occs,
            evidence=refs(*(o.refs for o in occs), *(v["evidence"] for v in meetings[0]["involvement"])),
            tags=_tags(ctx, [org], meetings),
            counter_evidence=praise(ctx, THEME, (org,), occs),
        )


def _joined(rows: list[dict]) -> dict:
    """One meeting's dates over the involvement of every party asked about it (``_missing_from`` rows)."""
    first = min(rows, key=lambda r: r["date_from"] or date.min)
    last = max(rows, key=lambda r: r["date_to"] or date.max)
    words = (str(first["date"] or "").split(" – ")[0], str(last["date"] or "").split(" – ")[-1])
    text = words[0] if words[0] == words[1] else " – ".join(w for w in words if w)
    return {**first, "date": text, "date_from": first["date_from"], "date_to": last["date_to"]}


def _open_to_panel(ctx: RuleContext, sector: str, orgs: dict[str, list[dict]]) -> dict[str, dict]:
    """Meeting id → the meeting dated over the involvement of the parties asked about, for the meetings a
    panel could take (``findings.answered``): a window of at most a year, and nothing in the review that
    answers whether the sector was there."""
    others = [m for m in ctx.rows("child_meetings") if m["status"] in HELD and m["kind"] not in REVIEW_PROCESS]
    by_meeting: dict[str, list[dict]] = defaultdict(list)
    for meetings in orgs.values():
        for m in meetings:
            by_meeting[str(m["meeting"])].append(m)
    asked = {}
    for meeting, rows in by_meeting.items():
        window = _joined(rows)
        if precise(window["date_from"], window["date_to"]) and not answers(ctx, rows[0], sector, window, others):
            asked[meeting] = window
    return asked


def sector_unrecorded(ctx: RuleContext) -> Iterator[Question]:
    """Where the record of participants is not complete: one question per sector and kind of meeting guidance
    expects it at — kinds one guidance governs are one kind here (a strategy discussion and the strategy
    meetings it leads to: Working Together's "Strategy discussion"), so one process is one question — that no
    recorded participant represents, naming the involved parties of that sector and listing the meetings —
    what a panel would ask, not a finding. Only meetings a panel could take are listed (``_open_to_panel``),
    each dated within the involvement of the parties named, and only parties involved at one of them are named."""
    facts = ctx.facts
    by_sector: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for (org, kind, complete), meetings in _missing_from(ctx).items():
        if complete != "complete" and not (kind in STATUTORY and facts.sector(org) == CONVENING_SECTOR):
            by_sector[(facts.expected_sectors[kind][1], facts.sector(org))][org].extend(meetings)
    for (_, sector), orgs in by_sector.items():
        asked = _open_to_panel(ctx, sector, orgs)
        orgs = {o: [m for m in ms if m["meeting"] in asked] for o, ms in orgs.items()}
        orgs = {o: ms for o, ms in orgs.items() if ms}
        if not asked:
            continue
        meetings = list(asked.values())
        occs = _meeting_occurrences(meetings)
        ids = ", ".join(sorted(asked))
        parties = named_list(sorted(facts.name(o) for o in orgs))
        kinds = sorted({str(m["kind"]) for m in meetings})
        kind_words = named_list([_kind_words(k, [m for m in meetings if m["kind"] == k]) for k in kinds])
        yield Question(
            theme=THEME,
            rule="sector_unrecorded",
            statement=f"The review does not say whether {sector.replace('_', ' ')} {PLURAL.get(sector, 'was')} "
            f"represented at the {kind_words} ({ids}, {span(occs)}); {parties} "
            f"{'was' if len(orgs) == 1 else 'were'} involved with the child then.",
            children=(str(meetings[0]["child"]),),
            subjects=(kinds[0], sector),
            occurrences=occs,
            evidence=refs(
                *(o.refs for o in occs), *(v["evidence"] for ms in orgs.values() for v in ms[0]["involvement"])
            ),
            tags=_tags(ctx, list(orgs), meetings),
        )


def _the(meeting: str) -> str:
    """A meeting's name after "and": "the strategy meeting", but "Child Q's LAC reviews" as it stands."""
    first = meeting.split(" ", 1)[0]
    return meeting if first.endswith(("'s", "’s")) or first.lower() == "the" else f"the {meeting}"


def _kind_words(kind: str, meetings: list[dict] | None = None) -> str:
    """The kind in words, plural unless the meetings are one meeting held once ("the child protection conference")."""
    words = KIND_WORDS.get(kind, kind.replace("_", " ") + "s")
    one = meetings is not None and len(meetings) == 1 and meetings[0]["status"] == "held"
    return words.removesuffix("s") if one else words


def _tags(ctx: RuleContext, orgs: list[str], meetings: list[dict]) -> list[str]:
    """``cross_boundary`` where a party asked about sits in another area than a convenor."""
    crossing = any(ctx.facts.cross_boundary(o, str(p)) for o in orgs for m in meetings for p in m["convened"])
    return ["cross_boundary"] if crossing else []


RULES = [did_not_attend, information_missing_from_meeting, not_in_room, sector_unrecorded]
