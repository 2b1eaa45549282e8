"""Rules of the ``offender_contact`` theme (the rule interface: findings/rules/__init__.py).

Per child and person of concern: who had contact, by which channel, where and when, in date
order, each contact with its evidence; and every person of concern or place that links two
children (one finding per link). Channels ("online", "social media") are never places, so they
never link children.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace

from findings.certainty import QUALIFIER, STATED, level
from findings.compose import flag_inferred, in_order, named_list, occurrence, refs, row_order, span
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Finding

THEME = "offender_contact"


def in_text(name: str) -> str:
    """A place's name inside a sentence: "at the property of …", not "at The property of …"."""
    first, _, rest = name.partition(" ")
    return f"{first.lower()} {rest}" if first in ("The", "A", "An") and rest else name


ONLINE = {"internet", "social_media"}  # channels by which a group can reach a child without anyone meeting it
# How a kind is named after the person: the family is a person of concern, never an offender (¶150)
KIND_WORDS = {"family": ", a person of concern (family)"}
UNIDENTIFIED = "unidentified"  # a kind with no person: only where the child was and that someone was sought
ONLINE_GROUPS = "online groups"  # the key of one child's collectively described online groups, taken as one


def _person_key(rows: list[dict]) -> dict[str, str]:
    """Each person of concern's key for ``contacts``: itself, except that a group the review describes only
    collectively and met only online (OF4 "other adults, on social media sites", OF5 "three older males on social
    media", OF6 "older males via internet" for Child Q) is one with the child's other such groups. The review
    names no member of any and never tells them apart (the case notes it "does not say ... whether they overlap"),
    so one finding each would count one set of unknown adults several times. A named person stays their own."""
    channels: dict[str, set[str]] = defaultdict(set)
    kinds = {str(r["person"]): str(r["person_kind"]) for r in rows}
    for r in rows:
        channels[str(r["person"])].add(str(r["channel"]))
    online = {p for p, used in channels.items() if kinds[p] == "group" and used <= ONLINE}
    return {p: ONLINE_GROUPS if p in online and len(online) > 1 else p for p in channels}


def _where_and_when(row: dict[str, object]) -> str:
    """ "at a hotel (Jul 2015)": where a child was reported to be, without a channel (no contact is reported)."""
    where = f"at {in_text(str(row['place']))}" if row.get("place") else "somewhere the review does not name"
    return f"{where} ({row['date'] or 'date not recorded'})"


def _contact_words(row: dict[str, object], hedge: bool = True) -> str:
    """ "in person at X (Feb 2015)"; a contact the review only reports (a concern, an allegation,
    intelligence: ``certainty``) says so, "in person (Dec 2015 – Jan 2016; as reported, not established)"."""
    channel = str(row["channel"] or "unknown").replace("_", " ")
    where = f" at {in_text(str(row['place']))}" if row.get("place") else ""
    said = f"; {QUALIFIER[level(row)]}" if hedge and level(row) != STATED else ""
    return f"{channel}{where} ({row['date'] or 'date not recorded'}{said})"


def _contact_statement(rows: list[dict[str, object]], child: str, who: str | None = None) -> str:
    """ "X (offender) had contact with Child Q: …", each contact the review only reports marked so; where it
    only reports every one (¶108's "concerns that a male had seen Child S"), the sentence says that first:
    "X (person of concern): the review reports, without establishing it, contact with Child S: …"."""
    first = rows[0]
    kind = str(first["person_kind"])
    who = who or first["person_name"] + KIND_WORDS.get(kind, f" ({kind.replace('_', ' ')})")
    reported = all(level(r) == "reported" for r in rows)
    ordered = sorted(rows, key=lambda r: str(r["date_from"]))
    how = named_list([_contact_words(r, hedge=not reported) for r in ordered], limit=5)
    if first["person_kind"] == UNIDENTIFIED:  # the review names no one: the headline stays as impersonal as it is
        where = named_list([_where_and_when(r) for r in ordered], limit=5)
        said = f"The review reports, without establishing it, that Child {child} was {where}"
        return f"{said}, and names no one with the child."
    if reported:
        return f"{who}: the review reports, without establishing it, contact with Child {child}: {how}."
    return f"{who} had contact with Child {child}: {how}."


def contacts(ctx: RuleContext) -> Iterator[Finding]:
    """One finding per child and person of concern (one for a child's online groups, ``_person_key``), the
    contacts as occurrences in date order."""
    by_person: dict[tuple[str, str], list[dict]] = defaultdict(list)
    every = ctx.rows("offender_contact")
    for child in {str(r["child"]) for r in every}:
        mine = [r for r in every if str(r["child"]) == child]
        key = _person_key(mine)
        for row in mine:
            by_person[(child, key[str(row["person"])])].append(row)
    for (child, person), rows in by_person.items():
        rows = row_order(rows)
        persons = tuple(sorted({str(r["person"]) for r in rows}))
        occs = in_order(
            occurrence(_contact_words(r) + (f": {r['outcome']}" if r["outcome"] else ""), r, record=str(r["contact"]))
            for r in rows
        )
        who = None
        if person == ONLINE_GROUPS:
            named = "; ".join(dict.fromkeys(str(r["person_name"]) for r in rows))
            who = f"Adults the review describes only as groups and does not tell apart ({named})"
        yield Finding(
            theme=THEME,
            rule="contacts",
            basis="recorded",
            statement=flag_inferred(_contact_statement(rows, child, who), rows),
            children=(child,),
            subjects=persons,
            occurrences=occs,
            evidence=refs(*(r["evidence"] for r in rows)),
            counter_evidence=praise(ctx, THEME, persons, occs),
        )


def links(ctx: RuleContext) -> Iterator[Finding]:
    """A person of concern in contact with two or more children of the case, or a Place where two
    children were contacted, links them (a channel or "not stated" is never a place). The case's links
    are worked out once (``_case_links``) and each child's context takes those about its child: one
    pass over the case's contacts, not one per child (over a caseload, the rule's largest cost)."""
    built, about = _case_links(ctx)
    for i in about.get(ctx.child, []) if ctx.child else range(len(built)):
        f = built[i]
        yield replace(f, occurrences=list(f.occurrences), evidence=list(f.evidence), tags=list(f.tags))


def _case_links(ctx: RuleContext) -> tuple[list[Finding], dict[str, list[int]]]:
    """Every link of the case, and child → the positions of the links about it; kept in the context's cache,
    which the engine shares between its children's contexts."""
    key = (THEME, "links of the case")
    if key not in ctx._cache:
        by_person: dict[str, list[dict]] = defaultdict(list)
        by_place: dict[str, list[dict]] = defaultdict(list)
        for row in ctx.rows("offender_contact", child=""):
            by_person[str(row["person"])].append(row)
            if row["place_id"]:
                by_place[str(row["place_id"])].append(row)
        built = [*_person_links(by_person), *_place_links(by_place)]
        about: dict[str, list[int]] = {}
        for i, f in enumerate(built):
            for child in f.children:
                about.setdefault(child, []).append(i)
        ctx._cache[key] = (built, about)
    return ctx._cache[key]


def _place_links(rows_by_place: dict[str, list[dict]]) -> Iterator[Finding]:
    for place, rows in rows_by_place.items():
        children = sorted({str(r["child"]) for r in rows})
        if len(children) < 2:
            continue
        rows = row_order(rows)
        occs = in_order(
            occurrence(f"Child {r['child']}: {r['person_name']}, {_contact_words(r)}", r, record=str(r["contact"]))
            for r in rows
        )
        yield Finding(
            theme=THEME,
            rule="place_links_children",
            basis="recorded",
            statement=f"Children {named_list(children)} were each contacted at {in_text(str(rows[0]['place']))} "
            f"({span(occs)}): "
            "the same place links them.",
            children=tuple(children),
            subjects=(place,),
            occurrences=occs,
            evidence=refs(*(r["evidence"] for r in rows)),
            tags=["linked_children"],
        )


def _person_links(rows_by_person: dict[str, list[dict]]) -> Iterator[Finding]:
    for person, rows in rows_by_person.items():
        children = sorted({str(r["child"]) for r in rows})
        if len(children) < 2:
            continue
        rows = row_order(rows)
        occs = in_order(
            occurrence(f"Child {r['child']}: {_contact_words(r)}", r, record=str(r["contact"])) for r in rows
        )
        yield Finding(
            theme=THEME,
            rule="person_links_children",
            basis="recorded",
            statement=f"{rows[0]['person_name']} had contact with Children {named_list(children)} ({span(occs)}"
            + ("; each contact as reported, not established" if all(level(r) == "reported" for r in rows) else "")
            + "): the same person of concern links them.",
            children=tuple(children),
            subjects=(person,),
            occurrences=occs,
            evidence=refs(*(r["evidence"] for r in rows)),
            tags=["linked_children"],
        )


RULES = [contacts, links]
