"""Agency chronologies (issue 16): each agency's return → accounts → one reconciled case.

``import_set`` is the whole path: read every return in a folder (``returns``), read each row with
the rules (``reader``), propose merges across agencies and apply a reviewer's decisions
(``reconcile``), and lay the result out as case records (``build``). Problems anywhere stop it
with every problem listed (file, row, column, value); nothing half-read is kept.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from loaders.chronologies.build import case_files
from loaders.chronologies.reader import Entry
from loaders.chronologies.reconcile import (
    Record,
    apply_decisions,
    decisions_yaml,
    propose,
    read_decisions,
)
from loaders.chronologies.returns import ChronologySet, read_set
from loaders.records import InputError

DECISIONS_FILE = "reconcile.yaml"


@dataclass
class Imported:
    chron: ChronologySet
    records: list[Record]
    files: dict[str, dict[str, object]]  # the case folder's YAML documents
    review: dict[str, object]  # review/ documents: merges and their decisions, the composite chronology


def _one_per_counterpart(entries: list[Entry]) -> list[Entry]:
    """A row that sent to several agencies is one flow (or referral) per recipient."""
    out = []
    for e in entries:
        if e.kind in ("flow", "referral") and len(e.counterparts) > 1:
            out += [dataclasses.replace(e, counterparts=(c,)) for c in e.counterparts]
        else:
            out.append(e)
    return out


def composite(records: list[Record]) -> list[dict[str, object]]:
    """Every account in date order with the record it belongs to: the composite chronology."""
    rows = [
        {
            "date": e.date.text,
            "sort": (e.date.earliest.isoformat() if e.date.earliest else "9999"),
            "agency": e.agency,
            "row": e.ref,
            "record": r.id,
            "kind": r.kind if r.kind != "event" else f"event: {e.subkind}",
            "direction": e.direction,
            "extracted": e.extracted,
            "details": e.details,
        }
        for r in records
        for e in r.accounts
    ]
    rows.sort(key=lambda x: (x["sort"], x["agency"], x["row"]))
    for row in rows:
        del row["sort"]
    return rows


def import_set(folder: Path, case_id: str, mapping: Path | None = None, decisions: Path | None = None) -> Imported:
    """The case a folder of returns makes, or InputError listing every problem."""
    chron = read_set(folder, mapping)
    chosen, problems = read_decisions(decisions or folder / DECISIONS_FILE)
    problems = chron.problems + problems
    if problems:
        raise InputError(problems)
    records = apply_decisions(propose(_one_per_counterpart(chron.entries)), chosen)
    review = {
        DECISIONS_FILE: decisions_yaml(records, chosen),
        "composite.yaml": {"composite": composite(records)},
    }
    return Imported(chron, records, case_files(chron, records, case_id), review)
