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

from findings.certainty import STATED, level, not_done, qualified
from findings.compose import flag_inferred, in_order, named_list, occurrence, overlaps, refs, row_order, span
from findings.context import RuleContext
from findings.counter import praise
from findings.facts import Facts
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
# Where the review hedges a flow (its ``certainty``: "no evidence that", "may not have notified", "not always
# made aware", "unable to secure"), a status verb ("did not share") would say more than the review, and where
# its words give the other party's part too ("did not contribute … and was not invited", "did not receive
# feedback or ask for feedback") it would drop that part; so the statement names the two parties and lets the
# review's words make the claim, and the bullet's label words the hedge (``findings.certainty``).
TWO_WAY = ("deficit in communication", "stronger between", "not invited", "or ask for")  # words giving both ends a part
HEDGED = "between {who} and {whom}, the review records"
# What a failed status says was not done, for the hedged labels ("no evidence it was acted on further": the
# EDT's and the Duty Team's advice was an action, ¶121–122, so only further action is in doubt).
NOT_DONE = {"not_shared": "shared", "no_action": "acted on further", "not_requested": "requested"}


def failed_flows(ctx: RuleContext) -> list[dict[str, object]]:
    """Flows recorded as failed, other than information that did not reach a meeting (that is the
    ``not_in_room`` theme's recorded finding, so it is not claimed twice)."""
    return [
        f
        for f in ctx.rows("child_flows")
        if f["status"] in FAILED and not (f["to_kind"] == "meeting" and f["status"] == "not_shared")
    ]


def _shared_counter(ctx: RuleContext, sender: str, recipient: str, flows: list[dict]) -> list[str]:
    """Refs of flows recorded as shared over the same time that answer a failure: between the same two
    organisations and of the same item (of anything, where the failure names no item or is two-way: a
    "deficit in communication" between two is answered by any recorded exchange of theirs), or the same item
    passed on elsewhere by the organisation that failed to pass it (the family that "may not have
    notified" CSC "were instrumental in providing intelligence" to the police, ¶142). A flow of another
    item between the same two (the family's concern about the mother's drug use, ¶129) answers nothing."""
    facts = ctx.facts
    pair = {facts.organisation(sender), facts.organisation(recipient)}
    found = []
    for s in ctx.rows("child_flows"):
        if s["status"] != "shared" or s["to_kind"] != "party":
            continue
        s_from = facts.organisation(str(s["from_party"]))
        same_pair = {s_from, facts.organisation(str(s["to_party"]))} == pair
        if any(
            overlaps(s["date_from"], s["date_to"], f["date_from"], f["date_to"])
            and (
                (same_pair and (not f["item"] or s["item"] == f["item"] or _two_way(f)))
                or (f["item"] and s["item"] == f["item"] and s_from == facts.organisation(str(f["from_party"])))
            )
            for f in flows
        ):
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


def hedged(flow: dict[str, object]) -> bool:
    """Whether the review hedges a flow (its ``certainty``) or gives both ends a part (``TWO_WAY``)."""
    return level(flow) != STATED or _two_way(flow)


def flow_label(flow: dict[str, object]) -> str:
    """A failed flow's bullet label: its status ("not shared", "late", "system gap") where the review states
    it, the hedge where it does not ("no evidence it was shared", "may not have been shared", "system gap
    (possibly)")."""
    status = str(flow["status"])
    hard = status.replace("_", " ")
    if status in NOT_DONE:
        return not_done(hard, NOT_DONE[status], level(flow))
    return qualified(hard, level(flow))


def _statement(ctx: RuleContext, flows: list[dict], occs: list[Occurrence], also: dict[str, list[str]]) -> str:
    """ "A did not share information with B (date): “…”." — several flows: how many, when, the first three.
    Where every flow's words hedge or give two accounts (``disputed``: ¶74's "However ... had recollection"
    is no "did not pass"), "Between A and B, the review records (date): “…”.". How many times
    counts distinct dates, not records: a learning point restating a paragraph (LP35 of ¶147), or two
    sentences about one period, is not a second occurrence."""
    first = flows[0]
    statuses = {str(f["status"]) for f in flows}
    one_way = len({ctx.facts.organisation(str(f["to_party"])) for f in flows}) == 1  # co-senders of one transfer too
    one_sender, one_recipient = len({f["from_party"] for f in flows}) == 1, len({f["to_party"] for f in flows}) == 1
    who = str(first["from_name"]) if one_sender else ctx.facts.name(ctx.facts.organisation(str(first["from_party"])))
    whom = str(first["to_name"]) if one_recipient else ctx.facts.name(ctx.facts.organisation(str(first["to_party"])))
    who, whom = named_list([who, *also["from"]]), named_list([whom, *also["to"]])  # a sentence names them all
    if all(hedged(f) or f["status"] == "disputed" for f in flows):  # a dispute: two accounts
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
    times = len({(f["date_from"], f["date_to"]) for f in flows})
    count = f", {times} times" if times > 1 else ""
    return f"{claim}{count} ({span(occs)}): {items}{more}."


def one_per_sentence(ctx: RuleContext, flows: list[dict]) -> tuple[list[dict], dict[str, dict[str, list[str]]]]:
    """One flow per sentence of the review: flows with the same words, dates and status are one sentence
    curated once per sender or recipient (¶23's "not always made aware ... by the local authority and health
    organisations from the placing authority"; ¶116's "deficit in communication between the Statutory
    Services and the Voluntary/Independent Agencies (…, …)"). The first by id is kept, and the other
    flows' organisations are returned as its co-senders and co-recipients (``{"from": [...], "to": [...]}``
    by flow id), so the sentence is one finding naming every party it names, never one per party."""
    kept: dict[tuple, dict] = {}
    co: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"from": [], "to": []})
    organisation = ctx.facts.organisation
    for f in sorted(flows, key=lambda f: str(f["flow"])):
        key = (f["information"], f["date_from"], f["date_to"], f["status"])
        if key not in kept:
            kept[key] = f
            continue
        first = kept[key]
        for side in ("from", "to"):
            org = organisation(str(f[f"{side}_party"]))
            if org != organisation(str(first[f"{side}_party"])) and org not in co[str(first["flow"])][side]:
                co[str(first["flow"])][side].append(org)
    return list(kept.values()), co


def _one_transfer(ctx: RuleContext, flows: list[dict], co: dict[str, dict[str, list[str]]]) -> dict[str, tuple]:
    """Each flow's finding, by its pair of organisations — except that flows carrying the same item to the same
    recipient, about the same child, at the same time and with the same failure are one transfer the review tells
    in two paragraphs, each naming a sender: ¶24's "delay in receiving the information from the NHS (LA2)" and
    ¶80's "the school nursing service held onto the records" (2013). They are one finding, under the first flow's
    pair (by id), each flow an occurrence (¶80's reason is shown), the other senders its co-senders (``co``)."""
    organisation = ctx.facts.organisation
    first: dict[tuple, dict] = {}
    pairs: dict[str, tuple] = {}
    for f in sorted(flows, key=lambda f: str(f["flow"])):
        transfer = (f["child"], organisation(str(f["to_party"])), f["item"], f["date"], f["status"])
        keeper = first.setdefault(transfer, f) if f["item"] else f
        pairs[str(f["flow"])] = _pair(ctx.facts, keeper)
        sender = organisation(str(f["from_party"]))
        senders = co[str(keeper["flow"])]["from"]
        if sender != organisation(str(keeper["from_party"])) and sender not in senders:
            senders.append(sender)
    return pairs


SENDER_AT_FAULT, RECIPIENT_AT_FAULT = {"not_shared", "late", "not_requested"}, {"no_action"}


def _two_way(flow: dict) -> bool:
    """Whether the review's words about a flow give both ends a part (``TWO_WAY``)."""
    return any(w in str(flow["information"]).casefold() for w in TWO_WAY)


def _at_fault(facts: Facts, flows: list[dict]) -> tuple[str, ...]:
    """The organisations the failed flows blame, as ``FAILED``'s words do: the sender of what was not
    shared, the recipient of what was not acted on; both ends of a system gap, a disputed flow or one the
    review words two ways (``TWO_WAY``). A hedge ("may not have notified") doubts the failure, not whose
    it is. Only praise of these answers the finding (a school praised for raising a concern is no answer
    to the recipient's failure to act on it)."""
    blamed: set[str] = set()
    for f in flows:
        ends = {"from": facts.organisation(str(f["from_party"])), "to": facts.organisation(str(f["to_party"]))}
        if _two_way(f) or f["status"] not in SENDER_AT_FAULT | RECIPIENT_AT_FAULT:
            blamed.update(ends.values())
        else:
            blamed.add(ends["from" if f["status"] in SENDER_AT_FAULT else "to"])
    return tuple(sorted(blamed))


def _with_co_parties(blamed: tuple[str, ...], ends: tuple[str, str], also: dict[str, list[str]]) -> tuple[str, ...]:
    """The blamed organisations with the co-senders / co-recipients one sentence names beside a blamed
    sender / recipient (``one_per_sentence``): the sentence blames them alike."""
    out = set(blamed)
    for end, side in zip(ends, ("from", "to"), strict=True):
        if end in blamed:
            out.update(also[side])
    return tuple(sorted(out))


def flow_failures(ctx: RuleContext) -> Iterator[Finding]:
    """One finding per child and organisation pair (sender → recipient), its failed flows as
    occurrences, in date order; a sentence naming several parties is one flow naming them all."""
    facts = ctx.facts
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    kept, co = one_per_sentence(ctx, failed_flows(ctx))
    pairs = _one_transfer(ctx, kept, co)
    for f in kept:
        groups[pairs[str(f["flow"])]].append(f)
    for (sender, recipient), flows in groups.items():
        also = {
            side: list(dict.fromkeys(o for f in flows for o in co[str(f["flow"])][side])) for side in ("from", "to")
        }
        flows = row_order(flows)
        occs = in_order(occurrence(f"{flow_label(f)}: {f['information']}", f, record=str(f["flow"])) for f in flows)
        flows.sort(key=lambda f: (f["date_from"] or date.max, str(f["flow"])))
        names = {side: [_party_name(ctx, o) for o in orgs] for side, orgs in also.items()}
        statement = flag_inferred(_statement(ctx, flows, occs, names), flows)
        ends = (facts.organisation(str(flows[0]["from_party"])), facts.organisation(str(flows[0]["to_party"])))
        responsible = _with_co_parties(_at_fault(facts, flows), ends, also)  # by direction: the pair is in id order
        counter = refs(
            praise(ctx, THEME, responsible, occs, _same_item_flows(ctx, flows)),
            _shared_counter(ctx, sender, recipient, flows),
        )
        yield Finding(
            theme=THEME,
            rule="flow_failures",
            basis="recorded",
            statement=statement,
            children=(str(flows[0]["child"]),),
            subjects=(sender, recipient, *also["from"], *also["to"]),
            responsible=responsible,
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


def _party_name(ctx: RuleContext, party: str) -> str:
    """A party's name; a family member is no party of the facts, so its name comes from a flow it is an end of
    (¶105's "Child S's mother", co-sender of the family's non-notification), never its id."""
    if party in ctx.facts.parties:
        return ctx.facts.name(party)
    for f in ctx.rows("child_flows"):
        for side in ("from", "to"):
            if f[f"{side}_party"] == party:
                return str(f[f"{side}_name"])
    return party


def _holding_hedged(ctx: RuleContext, item: str) -> bool:
    """Whether the only record that anyone held an item is a failed flow the review hedges: ¶142's family
    "may not have notified or delayed notification" of the whereabouts is not "the family held it"."""
    if ctx.facts.holdings.get(item):
        return False
    failed = [f for f in ctx.rows("child_flows") if f["item"] == item and f["status"] != "shared"]
    return bool(failed) and all(level(f) != STATED for f in failed)


def _never_knew_statement(rows: list[dict], holders: list[str], occs: list[Occurrence], hedge: bool = False) -> str:
    """What the review records about an item some parties did not know. With a recorded holder, who held
    it; with none, say so: information nobody is recorded as holding (a hidden phone, a stay "not known
    at that point") is a gap in what anyone knew, not a failure to pass it on, and the statement must
    not read as one. The lead-in names the record only: the review's "no evidence ... known" (¶79) is not
    "did not know", and its words are in the evidence."""
    unaware = named_list([str(r["party_name"]) for r in rows])
    item = _lower_first(str(rows[0]["item_name"]))
    if holders:
        held = "may have held it (the review hedges; its words are in the evidence)" if hedge else "held it"
        return f"The review records, about what {unaware} knew ({span(occs)}): {item}; {named_list(holders)} {held}."
    return (
        f"The review records, about what {unaware} knew at the time ({span(occs)}): {item}; no one is "
        "recorded as holding it, so this is a gap in what was known, not information withheld."
    )


def _not_known(row: dict[str, object]) -> str:
    """ "not known to X" where the review says so; "no evidence it was known to X" (¶79), "may not have been
    known to X" (¶142) where it hedges."""
    party = row["party_name"]
    return not_done(f"not known to {party}", f"known to {party}", level(row))


def never_knew(ctx: RuleContext) -> Iterator[Finding]:
    """The review says parties never knew an item about the child (UNAWARE_OF): one finding per
    child and item. Its subjects are the item and the organisations that held it (with no recorded
    holder, the unaware ones), but it blames none of them: the review records what was not known
    ("no evidence ... known to the urgent care assessment", ¶79), not that a holder withheld it — a
    flow it says failed is ``failed_flows``' finding. So only praise of the item itself answers it,
    and praise of a holder's sharing elsewhere is neither its "but see" nor contradicted by it."""
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
        occs = in_order(occurrence(f"{_not_known(r)}: {r['item_name']}", r, "period", str(r["party"])) for r in rows)
        yield Finding(
            theme=THEME,
            rule="never_knew",
            basis="recorded",
            statement=flag_inferred(
                _never_knew_statement(rows, [holder_names[h] for h in holders], occs, _holding_hedged(ctx, item)),
                rows,
            ),
            children=(ctx.child,) if ctx.child else tuple(rows[0]["children"]),
            subjects=(item, *(holders or unaware)),
            occurrences=occs,
            evidence=refs(*(r["evidence"] for r in rows)),
            counter_evidence=praise(ctx, THEME, (item,), occs),
            responsible=(item,),
        )


def unclear_flows(ctx: RuleContext) -> Iterator[Question]:
    """A flow the review records as ``unclear`` (it could not establish whether it happened or
    what came of it) is a question for the panel, never a finding: one per child and pair of
    organisations. A flow inside one organisation (¶113: CSC's records and its own social workers) is not
    a question between agencies, which is what the panel reviews; nor is a flow whose item ``never_knew``
    already states as a finding (¶194, ¶79: the question would repeat the finding)."""
    facts = ctx.facts
    stated = {str(r["item"]) for r in ctx.rows("unaware_of") if not ctx.child or ctx.child in r["children"]}
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in ctx.rows("child_flows"):
        pair = _pair(facts, f)
        if f["status"] == "unclear" and pair[0] != pair[1] and f["item"] not in stated:
            groups[pair].append(f)
    for (sender, recipient), flows in groups.items():
        flows = row_order(flows)
        occs = in_order(occurrence(str(f["information"]), f, record=str(f["flow"])) for f in flows)
        first = flows[0]
        yield Question(
            theme=THEME,
            rule="unclear_flows",
            statement=f"The review leaves open whether information passed from {first['from_name']} to "
            f"{first['to_name']} ({span(occs)}): “{first['information']}”"
            + (f" and {len(flows) - 1} more." if len(flows) > 1 else ".")
            + flag_inferred("", flows),
            children=(str(first["child"]),),
            subjects=(sender, recipient),
            occurrences=occs,
            evidence=refs(*(o.refs for o in occs)),
            tags=["cross_boundary"] if facts.cross_boundary(sender, recipient) else [],
        )


RULES = [flow_failures, never_knew, unclear_flows]
