"""Rules of the ``information_sharing`` theme (the rule interface: findings/rules/__init__.py).

Only what the review records: flows it records as failed (not shared, late, lost to a system
gap, disputed, not requested, received and not acted on) and information it says a party never
knew; flows it could not establish (``unclear``) are questions. Nothing is inferred from a
missing edge: the audit of the inferred families ("never informed", "never exchanged
information") found them 5–12 % correct, and an "item held before a meeting whose record is
complete but not carried there" rule, tried on the curated case, gave 45 findings of which none
a reviewer would sign (every item "missing" from the review panel and a two-party handover).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from findings.compose import in_order, named_list, occurrence, overlaps, refs, row_order, span
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding, Occurrence, Question

THEME = "information_sharing"
FAILED = {  # status → how a reviewer says it, with {who} the sender and {whom} the recipient
    "not_shared": "{who} did not share information with {whom}",
    "late": "{who} shared information late with {whom}",
    "system_gap": "the review records a gap in systems between {who} and {whom}",
    "disputed": "whether {who} shared information with {whom} is disputed",
    "not_requested": "{who} did not request information from {whom}",
    "no_action": "{whom} did not act on information from {who}",
}
# The review's own hedges and two-way words: where a flow's words carry one ("no evidence that",
# "may not have notified", "not always made aware", "a deficit in communication"), a status verb
# ("did not share") would say more than the review, and where they give the other party's part
# too ("did not contribute … and was not invited", "did not receive feedback or ask for feedback")
# it would drop that part; so the statement names the two parties and lets the review's words make
# the claim.
HEDGES = (
    "no evidence",
    "may not",
    "not always",
    "not consistently",
    "not fully",
    "on occasions",
    "at times",
    "not necessarily",
    "possibly",
    "deficit in communication",
    "not invited",
    "unable to",
    "or ask for",
)
HEDGED = "between {who} and {whom}, the review records"


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


def _same_item_flows(ctx: RuleContext, flows: list[dict]) -> set[str]:
    """Other flows carrying the same information item as a failed flow, sent or received by one of
    its organisations, over the same time: praise of those (the missing-episode reports "accessible
    during missing from care strategy meetings", ¶70) is praise of the same subject, aspect and time
    as the failure (the same reports not tracked across force areas), so it is its "but see"."""
    facts = ctx.facts
    related: set[str] = set()
    for f in flows:
        orgs = {facts.organisation(str(f["from_party"])), facts.organisation(str(f["to_party"]))}
        for s in ctx.rows("child_flows"):
            if not f["item"] or s["item"] != f["item"] or s["flow"] == f["flow"]:
                continue
            ends = {facts.organisation(str(s["from_party"])), facts.organisation(str(s["to_party"]))}
            if ends & orgs and overlaps(s["date_from"], s["date_to"], f["date_from"], f["date_to"]):
                related.add(str(s["flow"]))
    return related


def _pair(facts, flow: dict[str, object]) -> tuple[str, str]:
    """The two organisations a flow is between, in id order: a finding is about the pair (its stable
    id does not depend on direction), so flows both ways between them are one finding."""
    a, b = facts.organisation(str(flow["from_party"])), facts.organisation(str(flow["to_party"]))
    return (a, b) if a <= b else (b, a)


def hedged(words: str) -> bool:
    """Whether the review's words about a flow carry one of its hedges (``HEDGES``)."""
    return any(h in words.casefold() for h in HEDGES)


def _statement(ctx: RuleContext, flows: list[dict], occs: list[Occurrence]) -> str:
    """ "A did not share information with B (date): “…”." — several flows: how many, when, the first three.
    Where every flow's words hedge, "Between A and B, the review records (date): “…”."."""
    first = flows[0]
    statuses = {str(f["status"]) for f in flows}
    one_way = len({ctx.facts.organisation(str(f["from_party"])) for f in flows}) == 1
    one_sender, one_recipient = len({f["from_party"] for f in flows}) == 1, len({f["to_party"] for f in flows}) == 1
    who = str(first["from_name"]) if one_sender else ctx.facts.name(ctx.facts.organisation(str(first["from_party"])))
    whom = str(first["to_name"]) if one_recipient else ctx.facts.name(ctx.facts.organisation(str(first["to_party"])))
    if all(hedged(str(f["information"])) for f in flows):
        template = HEDGED
    elif not one_way:
        template = "information did not pass as it should between {who} and {whom}"
    elif len(statuses) == 1:
        template = FAILED[statuses.pop()]
    else:
        template = "information did not pass from {who} to {whom}"
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
        groups[_pair(facts, f)].append(f)
    for (sender, recipient), flows in groups.items():
        flows = row_order(flows)
        occs = in_order(
            occurrence(f"{str(f['status']).replace('_', ' ')}: {f['information']}", f, record=str(f["flow"]))
            for f in flows
        )
        flows.sort(key=lambda f: (f["date_from"] or date.max, str(f["flow"])))
        statement = _statement(ctx, flows, occs)
        counter = refs(
            praise(ctx, THEME, (sender, recipient), occs, _same_item_flows(ctx, flows)),
            _shared_counter(ctx, sender, recipient, flows),
        )
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


def _lower_first(text: str) -> str:
    """ "The child's whereabouts" → "the child's whereabouts" inside a sentence; "CAMHS …" stays."""
    return text[0].lower() + text[1:] if text[:2].istitle() else text


def _holders(ctx: RuleContext, item: str) -> dict[str, str]:
    """Organisations recorded as holding an item, by id with their names: by a HOLDS link, or as the
    sender of a flow that carries it (the family that "may not have notified" CSC of the child's
    whereabouts held them; a family is no party of the facts, so its name comes from the flow)."""
    facts = ctx.facts
    held = {facts.organisation(str(h["party"])): "" for h in facts.holdings.get(item, [])}
    for f in ctx.rows("child_flows"):
        if f["item"] == item:
            held.setdefault(facts.organisation(str(f["from_party"])), str(f["from_name"]))
    return {org: facts.name(org) if org in facts.parties else name or org for org, name in held.items()}


def _never_knew_statement(rows: list[dict], holders: list[str], occs: list[Occurrence]) -> str:
    """What the review records about an item some parties did not know. With a recorded holder, who held
    it; with none, say so: information nobody is recorded as holding (a hidden phone, a stay "not known
    at that point") is a gap in what anyone knew, not a failure to pass it on, and the statement must
    not read as one."""
    unaware = named_list([str(r["party_name"]) for r in rows])
    item = _lower_first(str(rows[0]["item_name"]))
    if holders:
        return f"The review records no knowledge at {unaware} ({span(occs)}) of this: {item}; " + (
            f"{named_list(holders)} held it."
        )
    return (
        f"The review records that {unaware} did not know at the time ({span(occs)}): {item}; no one is "
        "recorded as holding it, so this is a gap in what was known, not information withheld."
    )


def never_knew(ctx: RuleContext) -> Iterator[Finding]:
    """The review says parties never knew an item about the child (UNAWARE_OF): one finding per
    child and item. Its subjects are the item and the organisations that held it and did not pass
    it on — the claim is about what did not travel, not a fault of whoever was kept unaware (who
    are named in the statement and the occurrences); with no recorded holder, the unaware ones."""
    facts = ctx.facts
    by_item: dict[str, list[dict]] = defaultdict(list)
    for row in ctx.rows("unaware_of"):
        if not ctx.child or ctx.child in row["children"]:
            by_item[str(row["item"])].append(row)
    for item, rows in by_item.items():
        rows = row_order(rows, "period_from")
        unaware = sorted({facts.organisation(str(r["party"])) for r in rows})
        holder_names = {o: n for o, n in _holders(ctx, item).items() if o not in unaware}
        holders = sorted(holder_names)
        occs = in_order(
            occurrence(f"{r['party_name']} did not know: {r['item_name']}", r, "period", str(r["party"])) for r in rows
        )
        yield Finding(
            theme=THEME,
            rule="never_knew",
            basis="recorded",
            statement=_never_knew_statement(rows, [holder_names[h] for h in holders], occs),
            children=(ctx.child,) if ctx.child else tuple(rows[0]["children"]),
            subjects=(item, *(holders or unaware)),
            occurrences=occs,
            evidence=refs(*(r["evidence"] for r in rows)),
            counter_evidence=praise(ctx, THEME, holders or unaware, occs),
        )


def unclear_flows(ctx: RuleContext) -> Iterator[Question]:
    """A flow the review records as ``unclear`` (it could not establish whether it happened or
    what came of it) is a question for the panel, never a finding: one per child and pair."""
    facts = ctx.facts
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in ctx.rows("child_flows"):
        if f["status"] == "unclear":
            groups[_pair(facts, f)].append(f)
    for (sender, recipient), flows in groups.items():
        flows = row_order(flows)
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


RULES = [flow_failures, never_knew, unclear_flows]
