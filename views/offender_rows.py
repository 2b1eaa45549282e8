"""The offender map's rows, ordered and filtered as a CSE analyst reads them (testable without a page).

Contacts in date order across every child (the query orders by child first); a date window that
keeps every contact it overlaps and every contact the review does not date; persons of concern
before family members, so the picker never opens on a relative.
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from views.pseudonym import Pseudonymiser

UNDATED = date.max


def by_date(contacts: list[dict]) -> list[dict]:
    """Earliest first; undated contacts last; ties by person, child and contact id (a stable order)."""
    return sorted(
        contacts,
        key=lambda r: (
            r.get("date_from") or UNDATED,
            r.get("date_to") or UNDATED,
            r["person"],
            r["child"],
            r["contact"],
        ),
    )


def in_window(contact: dict, window: tuple[date, date]) -> bool:
    start, end = contact.get("date_from"), contact.get("date_to") or contact.get("date_from")
    if start is None:
        return True
    return start <= window[1] and (end or start) >= window[0]


def persons_first(persons: set[str], g: nx.MultiDiGraph, pz: Pseudonymiser) -> list[str]:
    """Persons of concern first (by name or code), then family members acting as such."""

    def key(p: str) -> tuple[bool, object]:
        attrs = g.nodes[p] if p in g else {}
        return attrs.get("label") != "PersonOfConcern", pz.sort_key(p, attrs.get("name") or p)

    return sorted(persons, key=key)
