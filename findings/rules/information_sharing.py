"""Rules of the ``information_sharing`` theme (the rule interface: findings/rules/__init__.py).

Only what the review records: flows it records as failed (not shared, late, lost to a system
gap, disputed, not requested, received and not acted on) and information it says a party never
knew; flows it could not establish (``unclear``) are questions. Nothing is inferred from a
missing edge: the audit of the inferred families ("never informed", "never exchanged
information") found them 5–12 % correct.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from findings.compose import in_order, named_list, occurrence, overlaps, refs, span
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding, Occurrence, Question

THEME = "information_sharing"
FAILED = {  # status → how a reviewer says it, with {who} the sender and {whom} the recipient
    "not_shared": "{who} did not share information with {whom}",
    "late": "{who} shared information late with {whom}",
    "system_gap": "information from {who} did not reach {whom} because of a gap in systems",
    "disputed": "whether {who} shared information with {whom} is disputed",
    "not_requested": "{who} did not request information from {whom}",
    "no_action": "{whom} did not act on information from {who}",
}


def failed_flows(ctx: RuleContext) -> list[dict[str, object]]:
    """Flows recorded as failed, other than information that did not reach a meeting (that is the
    ``not_in_room`` theme's recorded finding, so it is not claimed twice)."""
    return [
        f
        for f in ctx.rows("child_flows")
        if f["status"] in FAILED and not (f["to_kind"] == "meeting" and f["status"] == "not_shared")
    ]


def _shared_counter(ctx: RuleContext, sender: str, recipient: str, flows: list[dict]) -> list[str]:
    """Refs of flows recorded as shared between the same two organisations over the same time."""
    facts = ctx.facts
    pair = {facts.organisation(sender), facts.organisation(recipient)}
    found = []
    for s in ctx.rows("child_flows"):
        if s["status"] != "shared" or s["to_kind"] != "party":
            continue
        if {facts.organisation(str(s["from_party"])), facts.organisation(str(s["to_party"]))} != pair:
            continue
        if any(overlaps(s["date_from"], s["date_to"], f["date_from"], f["date_to"]) for f in flows):
            found.extend(s["evidence"])
    return found


def _statement(ctx: RuleContext, sender: str, recipient: str, flows: list[dict], occs: list[Occurrence]) -> str:
    """ "A did not share information with B (date): “…”." — several flows: how many, when, the first three."""
    first = flows[0]
    statuses = {str(f["status"]) for f in flows}
    one_sender, one_recipient = len({f["from_party"] for f in flows}) == 1, len({f["to_party"] for f in flows}) == 1
    who = str(first["from_name"]) if one_sender else ctx.facts.name(sender)
    whom = str(first["to_name"]) if one_recipient else ctx.facts.name(recipient)
    template = FAILED[statuses.pop()] if len(statuses) == 1 else "information did not pass from {who} to {whom}"
    claim = template.format(who=who, whom=whom)
    claim = claim[0].upper() + claim[1:]
    if len(flows) == 1:
        return f"{claim} ({first['date']}): “{first['information']}”."
    items = "; ".join(f"“{f['information']}” ({f['date']})" for f in flows[:3])
    more = f"; and {len(flows) - 3} more" if len(flows) > 3 else ""
    return f"{claim}, {len(flows)} times ({span(occs)}): {items}{more}."


def flow_failures(ctx: RuleContext) -> Iterator[Finding]:
    """One finding per child and organisation pair (sender → recipient), its failed flows as
    occurrences, in date order."""
    facts = ctx.facts
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in failed_flows(ctx):
        groups[(facts.organisation(str(f["from_party"])), facts.organisation(str(f["to_party"])))].append(f)
    for (sender, recipient), flows in groups.items():
        occs = in_order(
            occurrence(f"{str(f['status']).replace('_', ' ')}: {f['information']}", f, record=str(f["flow"]))
            for f in flows
        )
        flows.sort(key=lambda f: (f["date_from"] or date.max, str(f["flow"])))
        statement = _statement(ctx, sender, recipient, flows, occs)
        counter = refs(praise(ctx, THEME, (sender, recipient), occs), _shared_counter(ctx, sender, recipient, flows))
        yield Finding(
            theme=THEME,
            rule="flow_failures",
            basis="recorded",
            statement=statement,
            children=(str(flows[0]["child"]),),
            subjects=(sender, recipient),
            occurrences=occs,
            evidence=refs(*(o.refs for o in occs)),
            counter_evidence=counter,
            tags=["cross_boundary"] if facts.cross_boundary(sender, recipient) else [],
        )


def never_knew(ctx: RuleContext) -> Iterator[Finding]:
    """The review says a party never knew an item about the child (UNAWARE_OF)."""
    for row in ctx.rows("unaware_of"):
        if ctx.child and ctx.child not in row["children"]:
            continue
        occs = [occurrence(f"{row['party_name']} did not know: {row['item_name']}", row, "period", str(row["item"]))]
        yield Finding(
            theme=THEME,
            rule="never_knew",
            basis="recorded",
            statement=f"{row['party_name']} never knew {row['item_name']} ({row['period']}), the review says.",
            children=(ctx.child,) if ctx.child else tuple(row["children"]),
            subjects=(ctx.facts.organisation(str(row["party"])), str(row["item"])),
            occurrences=occs,
            evidence=refs(row["evidence"]),
            counter_evidence=praise(ctx, THEME, (str(row["party"]),), occs),
        )


def unclear_flows(ctx: RuleContext) -> Iterator[Question]:
    """A flow the review records as ``unclear`` (it could not establish whether it happened or
    what came of it) is a question for the panel, never a finding: one per child and pair."""
    facts = ctx.facts
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in ctx.rows("child_flows"):
        if f["status"] == "unclear":
            groups[(facts.organisation(str(f["from_party"])), facts.organisation(str(f["to_party"])))].append(f)
    for (sender, recipient), flows in groups.items():
        occs = in_order(occurrence(str(f["information"]), f, record=str(f["flow"])) for f in flows)
        first = flows[0]
        yield Question(
            theme=THEME,
            rule="unclear_flows",
            statement=f"The review leaves open whether information passed as it should from {first['from_name']} to "
            f"{first['to_name']} ({span(occs)}): “{first['information']}”"
            + (f" and {len(flows) - 1} more." if len(flows) > 1 else "."),
            children=(str(first["child"]),),
            subjects=(sender, recipient),
            occurrences=occs,
            evidence=refs(*(o.refs for o in occs)),
            tags=["cross_boundary"] if facts.cross_boundary(sender, recipient) else [],
        )


def _held_before(facts, holdings: list[dict], start: date) -> set[str]:
    """Organisations that held the item before ``start``, by the latest date the source allows
    (an item held "2014" is not held before a meeting in June 2014)."""
    return {facts.organisation(str(h["party"])) for h in holdings if h["date_to"] and h["date_to"] < start}


def item_missing_from_meeting(ctx: RuleContext) -> Iterator[Finding]:
    """Inferred, and only where the record allows it: an item about the child that some
    organisation held before a meeting whose participants the review lists in full, when no
    holder was in the room and no recorded flow carried it there. One finding per child and item,
    the meetings as occurrences. Never about a meeting before the item was held."""
    facts = ctx.facts
    meetings = [
        m
        for m in ctx.rows("child_meetings")
        if m["attendance"] == "complete" and m["status"] in ("held", "series") and m["date_from"]
    ]
    # A flow of the item to the meeting, whatever its status, is the record's own account (a failed
    # one is already a recorded finding): only meetings with no such flow are inferred about.
    carried = {(f["item"], f["to_party"]) for f in ctx.rows("child_flows") if f["item"]}
    for item, holdings in facts.holdings.items():
        if ctx.child not in {c for h in holdings for c in h["children"]}:
            continue
        missed = [
            m
            for m in meetings
            if (holders := _held_before(facts, holdings, m["date_from"]))
            and not holders & facts.in_room(m)
            and (item, m["meeting"]) not in carried
        ]
        if not missed:
            continue
        occs = in_order(occurrence(str(m["name"]), m, record=str(m["meeting"])) for m in missed)
        holders = sorted({facts.name(facts.organisation(str(h["party"]))) for h in holdings})
        yield Finding(
            theme=THEME,
            rule="item_missing_from_meeting",
            basis="inferred",
            statement=f"{facts.item_names[item]}, held by {named_list(holders)}, is not recorded as reaching the "
            f"{named_list([str(m['name']) for m in missed])} ({span(occs)}), whose participants the review lists "
            "in full; no holder was there.",
            children=(ctx.child,),
            subjects=(item,),
            occurrences=occs,
            evidence=refs(*(o.refs for o in occs), *(h["evidence"] for h in holdings)),
            counter_evidence=praise(ctx, THEME, [str(h["party"]) for h in holdings], occs),
        )


RULES = [flow_failures, never_knew, unclear_flows, item_missing_from_meeting]
