"""Reconciled records → a case folder a reviewer can read and the loader validates like any other.

Each agency's return is a SourceDocument (``kind: agency_chronology``) and each of its rows an
Account (``source: row 12`` of that document) ``ACCOUNT_OF`` the merged meeting, flow, referral or
event and ``GIVEN_BY`` the agency. Merged records cite every account's row ("chron-police row
14") in the composite chronology's document, so every finding traces back to a line of a return.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import yaml

from loaders.chronologies.agencies import slug
from loaders.chronologies.reader import Entry
from loaders.chronologies.reconcile import Record
from loaders.chronologies.returns import ChronologySet

COMPOSITE = "composite"
OUTCOME_SEP = " Outcome: "  # an Account's words are the row's details, then its outcome after this
_PRECISE = ("day", "approximate", "week", "month", "part", "season", "year", "range", "open", "unknown")


def _line(text: str, limit: int = 2000) -> str:
    """One line of at most ``limit`` characters, for a `string` property."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def account_id(entry: Entry, split: bool) -> str:
    base = f"acc-{entry.doc.removeprefix('chron-')}-r{entry.row}"
    return f"{base}-{entry.counterparts[0]}" if split and entry.counterparts else base


def _node(type_: str, id_: str, source: object, doc: str, **props: object) -> dict[str, object]:
    return {
        "type": type_,
        "id": id_,
        **{k: v for k, v in props.items() if v not in (None, "", [])},
        "source": source,
        "doc": doc,
    }


def _edge(type_: str, src: str, dst: str, source: object, doc: str) -> dict[str, object]:
    return {"type": type_, "from": src, "to": dst, "source": source, "doc": doc}


def _best_date(record: Record) -> str:
    return min(record.accounts, key=lambda e: _PRECISE.index(e.date.precision)).date.text


def _meeting(record: Record, child: str, out: dict[str, list]) -> None:
    refs = [e.ref for e in record.accounts]
    complete = any(e.attendance_complete for e in record.accounts)
    listed = any(e.attendees_text for e in record.accounts)
    kind = record.accounts[0].subkind
    out["nodes"].append(
        _node(
            "Meeting",
            record.id,
            refs,
            COMPOSITE,
            name=f"{kind.replace('_', ' ').capitalize()} ({_best_date(record)})",
            kind=kind,
            date=_best_date(record),
            attendance="complete" if complete else "partial" if listed else "not_recorded",
        )
    )
    out["edges"].append(_edge("CONCERNS", record.id, child, refs, COMPOSITE))
    attended: dict[str, list[str]] = {}
    for e in record.accounts:
        for agency in e.attendees:
            attended.setdefault(agency, []).append(e.ref)
    out["edges"] += [_edge("ATTENDED", a, record.id, r, COMPOSITE) for a, r in attended.items()]


def _ends(record: Record) -> tuple[Entry, str, str]:
    """The account that speaks for a flow or referral, its sender and its recipient."""
    first = record.accounts[0]
    other = first.counterparts[0] if first.counterparts else first.agency
    if first.direction == "received":
        return first, other, first.agency
    return first, first.agency, other


def _flow_or_referral(record: Record, child: str, out: dict[str, list]) -> None:
    first, sender, recipient = _ends(record)
    refs = [e.ref for e in record.accounts]
    if record.kind == "flow":
        status = "shared" if len(record.accounts) > 1 or first.direction == "received" else "unclear"
        props = {"information": _line(first.details), "status": status, "channel": first.channel or "unknown"}
        label = "Flow"
    else:
        outcomes = [e.subkind for e in sorted(record.accounts, key=lambda e: e.agency != recipient)]
        props = {"reason": _line(first.details), "outcome": next((o for o in outcomes if o != "unknown"), "unknown")}
        label = "Referral"
    out["nodes"].append(_node(label, record.id, refs, COMPOSITE, date=first.date.text, **props))
    out["edges"] += [
        _edge("SENT", sender, record.id, refs, COMPOSITE),
        _edge("SENT_TO", record.id, recipient, refs, COMPOSITE),
        _edge("CONCERNS", record.id, child, refs, COMPOSITE),
    ]


def _event(record: Record, child: str, out: dict[str, list]) -> None:
    e = record.accounts[0]
    out["nodes"].append(
        _node(
            "Event",
            record.id,
            "row " + str(e.row),
            e.doc,
            name=_line(e.details, 120),
            kind=e.subkind,
            date=e.date.text,
            description=e.details,
            outcome=_line(e.cells.get("outcome", "")),
        )
    )
    out["edges"] += [
        _edge("CONCERNS", record.id, child, f"row {e.row}", e.doc),
        _edge("PARTICIPATED_IN", e.agency, record.id, f"row {e.row}", e.doc) | {"role": "recorded"},
    ]


def _accounts(records: list[Record], out: dict[str, list]) -> None:
    rows = Counter((e.doc, e.row) for r in records for e in r.accounts)
    for record in records:
        for e in record.accounts:
            aid = account_id(e, rows[(e.doc, e.row)] > 1)
            text = e.details + (f"{OUTCOME_SEP}{e.cells['outcome']}" if e.cells.get("outcome") else "")
            out["nodes"].append(
                _node(
                    "Account",
                    aid,
                    f"row {e.row}",
                    e.doc,
                    date=e.date.text,
                    details=text,
                    direction=e.direction,
                    recorded_attendees=list(e.attendees_text),
                    extracted=e.extracted or None,
                )
            )
            out["edges"] += [
                _edge("ACCOUNT_OF", aid, record.id, f"row {e.row}", e.doc),
                _edge("GIVEN_BY", aid, e.agency, f"row {e.row}", e.doc),
            ]


def _parties(chron: ChronologySet, records: list[Record], child: str, out: dict[str, list]) -> None:
    """Agencies (with where each first appears), practitioners, and who was involved when."""
    spans: dict[str, list[Entry]] = {}
    for record in records:
        for e in record.accounts:
            for agency in {e.agency, *e.counterparts, *e.attendees}:
                spans.setdefault(agency, []).append(e)
    for agency_id, spec in chron.lexicon.agencies.items():
        seen = spans.get(agency_id, [])
        source = [seen[0].ref] if seen else ["set file"]
        aliases = [a for a in spec.aliases if a]
        out["nodes"].append(
            _node("Agency", agency_id, source, COMPOSITE, name=spec.name, sector=spec.sector, aliases=aliases)
        )
        dated = [e.date for e in seen if e.date.earliest and e.date.latest]
        if dated:
            period = f"{min(d.earliest for d in dated).isoformat()} – {max(d.latest for d in dated).isoformat()}"
            returned = chron.return_of(agency_id) is not None
            role = "returned a chronology" if returned else "named in other agencies' chronologies"
            edge = _edge("INVOLVED_WITH", agency_id, child, sorted({e.ref for e in seen})[:20], COMPOSITE)
            out["edges"].append(edge | {"period": period, "role": role})
    practitioners: dict[str, Entry] = {}
    for e in chron.entries:
        if name := _line(e.cells.get("practitioner", ""), 200):
            practitioners.setdefault(f"pr-{slug(e.agency)}-{slug(name)}", e)
    for pid, e in practitioners.items():
        name = _line(e.cells["practitioner"], 200)
        out["nodes"].append(_node("Professional", pid, f"row {e.row}", e.doc, name=name, role=name))
        out["edges"].append(_edge("WORKS_FOR", pid, e.agency, f"row {e.row}", e.doc))


def case_files(chron: ChronologySet, records: list[Record], case_id: str) -> dict[str, dict[str, object]]:
    """File name → YAML document of the case folder."""
    child = chron.spec.child.get("id", "child")
    header: dict[str, object] = {"case": case_id, "title": chron.spec.title or f"{case_id}: agency chronologies"}
    header["document"] = COMPOSITE
    docs = [
        _node("SourceDocument", COMPOSITE, "set", COMPOSITE, name="Composite chronology", kind="composite_chronology")
    ]
    for r in chron.returns:
        name = f"{chron.lexicon.agencies[r.agency].name} chronology"
        props = {"name": name, "kind": "agency_chronology", "agency": r.agency, "file": f"documents/{r.file.name}"}
        docs.append(_node("SourceDocument", r.doc, "return", COMPOSITE, complete=r.complete, **props))
    header["nodes"] = docs
    parties: dict[str, list] = {"nodes": [], "edges": []}
    child_name = chron.spec.child.get("name", "Child")
    parties["nodes"].append(
        _node("Child", child, "set file", COMPOSITE, name=child_name, born=chron.spec.child.get("born"))
    )
    _parties(chron, records, child, parties)
    merged: dict[str, list] = {"nodes": [], "edges": []}
    build = {"meeting": _meeting, "flow": _flow_or_referral, "referral": _flow_or_referral, "event": _event}
    for record in records:
        build[record.kind](record, child, merged)
    accounts: dict[str, list] = {"nodes": [], "edges": []}
    _accounts(records, accounts)
    return {"case.yaml": header, "parties.yaml": parties, "records.yaml": merged, "accounts.yaml": accounts}


def write_case(
    folder: Path, files: dict[str, dict[str, object]], chron: ChronologySet, review: dict[str, object]
) -> None:
    """Write the case folder: its YAML, a copy of each return (so refs resolve) and review/ files."""
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    (folder / "review").mkdir(exist_ok=True)
    for name, doc in files.items():
        (folder / name).write_text(_dump(doc), encoding="utf-8")
    for r in chron.returns:
        shutil.copyfile(r.file, folder / "documents" / r.file.name)
    for name, doc in review.items():
        (folder / "review" / name).write_text(_dump(doc), encoding="utf-8")


def _dump(doc: object) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120)
