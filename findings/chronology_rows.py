"""A loaded case's chronologies, read back from the store as the cross-checks read them from files.

The cross-checks (``findings/crosscheck.py``) are one function of reconciled records. A case made
from agency chronologies and loaded keeps everything they need — each Account with its row, date
and direction, the record it is an account of, who sent what to whom, who each account recorded
at a meeting, and each return's declared completeness — so the rule reads it back through two
registered queries (``queries/chronology_*.cypher``) and runs the same function: one rule, never
a second copy of it in Cypher.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from loaders.chronologies import Imported
from loaders.chronologies.agencies import Lexicon
from loaders.chronologies.build import OUTCOME_SEP
from loaders.chronologies.mapping import AgencySpec, SetSpec
from loaders.chronologies.reader import Entry
from loaders.chronologies.reconcile import Record
from loaders.chronologies.returns import ChronologySet, Return
from loaders.dates import DateSpan

Row = dict[str, object]


def _entry(row: Row, counterparts: dict[tuple[str, str], str], attendees: dict[str, list[str]]) -> Entry:
    doc, agency = str(row["doc"]), str(row["agency"])
    number = int(str(list(row["evidence"])[0]).removeprefix("row "))  # type: ignore[arg-type]
    span = DateSpan(str(row["date_text"]), row["date_from"], row["date_to"], str(row["date_precision"]))  # type: ignore[arg-type]
    details = str(row["details"]).split(OUTCOME_SEP, 1)[0]
    entry = Entry(doc, doc, agency, number, span, {"details": details}, kind=str(row["record_kind"]))
    entry.subkind, entry.direction = str(row["subkind"]), str(row["direction"])
    entry.channel = None if row["channel"] in (None, "unknown") else str(row["channel"])
    other = counterparts.get((str(row["record_id"]), agency))
    entry.counterparts = (other,) if other else ()
    entry.attendees = tuple(attendees.get(entry.ref, ()))
    return entry


def imported_from_rows(accounts: list[Row], links: list[Row], child: str) -> Imported:
    """The reconciled chronology of one child, as ``import_set`` made it, from the two queries' rows."""
    names: dict[str, str] = {}
    counterparts: dict[tuple[str, str], str] = {}
    attendees: dict[str, list[str]] = defaultdict(list)
    for link in links:
        names[str(link["party"])] = str(link["party_name"])
        record, party, other = str(link["record_id"]), str(link["party"]), str(link["other"])
        if link["link"] == "sent":
            counterparts[(record, party)], counterparts[(record, other)] = other, party
        else:
            for ref in link["evidence"]:  # type: ignore[union-attr]
                attendees[str(ref)].append(party)
    by_record: dict[str, list[Entry]] = defaultdict(list)
    for row in accounts:
        names[str(row["agency"])] = str(row["agency_name"])
        by_record[str(row["record_id"])].append(_entry(row, counterparts, attendees))
    entries = [e for group in by_record.values() for e in group]
    chron = ChronologySet(SetSpec(child={"id": child}), Lexicon())
    returns: dict[str, Row] = {str(r["doc"]): r for r in accounts if r["doc_kind"] == "agency_chronology"}
    for doc, row in sorted(returns.items()):
        held = frozenset({str(row["return_agency"])} | {e.agency for e in entries if e.doc == doc})
        complete = str(row["complete"]) if row["complete"] else None
        chron.returns.append(Return(doc, Path(doc), str(row["return_agency"]), complete, 0, held))
    for agency, name in names.items():
        chron.lexicon.add(AgencySpec(agency, name))
    chron.entries = entries
    records = [Record(group[0].kind, group) for group in by_record.values()]
    return Imported(chron, records, {}, {})
