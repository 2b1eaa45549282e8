"""Small shared pieces the rules compose findings from: occurrences out of query rows, their
span in the review's own date words, sorted refs, and the interval test every rule uses
("an overlap needs more than a shared boundary month")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from findings.model import Occurrence
from queries.library import ref_sort_key

MIN_OVERLAP_DAYS = 31  # touching only at a boundary month is not an overlap
SAME_SENTENCE_WORDS = 8  # a run of this many words two texts share: they rest on one sentence of the review


def word_runs(text: str) -> set[tuple[str, ...]]:
    """Every run of ``SAME_SENTENCE_WORDS`` words of a text, normalised: two records or findings sharing one
    quote the same sentence of the review (the engine's and the rules' one test of "the same sentence")."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + SAME_SENTENCE_WORDS]) for i in range(len(words) - SAME_SENTENCE_WORDS + 1)}


def occurrence(what: str, row: dict[str, object], prefix: str = "date", record: str | None = None) -> Occurrence:
    """One occurrence from a query row whose dates are ``<prefix>`` (text), ``_from`` and ``_to``."""
    return Occurrence(
        what=what,
        date_text=str(row.get(prefix) or ""),
        date_from=row.get(f"{prefix}_from"),
        date_to=row.get(f"{prefix}_to"),
        refs=tuple(refs(row.get("evidence") or [])),
        record=record,
    )


def refs(*lists: Iterable[str]) -> list[str]:
    """Sorted, de-duplicated source refs."""
    return sorted({r for refs_ in lists for r in refs_ if r}, key=ref_sort_key)


def row_order(rows: list[dict[str, object]], key: str = "date_from") -> list[dict[str, object]]:
    """Query rows in date order, then by every value as text: the same order on both stores (a
    statement built from "the first" row must not depend on the order the engine returned)."""
    return sorted(rows, key=lambda r: (r.get(key) or date.max, [str(v) for v in r.values()]))


def in_order(occurrences: Iterable[Occurrence]) -> list[Occurrence]:
    """Occurrences in date order (undated last), then by what they are."""
    return sorted(occurrences, key=lambda o: (o.date_from or date.max, o.date_to or date.max, o.what))


def span(occurrences: list[Occurrence]) -> str:
    """The period occurrences cover, in the review's own words: "Dec 2014" or "Dec 2014 – Feb 2015"."""
    dated = [o for o in in_order(occurrences) if o.date_text]
    if not dated:
        return "date not recorded"
    first, last = dated[0].date_text, max(dated, key=lambda o: o.date_to or date.min).date_text
    return first if first == last else f"{first.split(' – ')[0]} – {last.split(' – ')[-1]}"


def overlaps(a_from: date | None, a_to: date | None, b_from: date | None, b_to: date | None) -> bool:
    """Two periods share more than a boundary month, or one lies wholly inside the other (a meeting
    in March 2015 during an involvement of 2014 – 2015); open ends are open."""
    a = (a_from or date.min, a_to or date.max)
    b = (b_from or date.min, b_to or date.max)
    start, end = max(a[0], b[0]), min(a[1], b[1])
    if start > end:
        return False
    inside = (a[0] >= b[0] and a[1] <= b[1]) or (b[0] >= a[0] and b[1] <= a[1])
    return inside or (end - start).days >= MIN_OVERLAP_DAYS


def named_list(names: list[str], limit: int = 4) -> str:
    """ "A, B and C" — at most ``limit`` names, then "and n more"."""
    names = list(dict.fromkeys(names))
    if len(names) > limit:
        names = [*names[:limit], f"{len(names) - limit} more"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


INFERRED = "Inferred:"  # the one wording, decided once, for what the curation supplies and the review does not say


def flag_inferred(statement: str, rows: Iterable[dict[str, object]]) -> str:
    """The statement with what its records' curation supplies and the review does not say (a party, an area,
    a date: a record's ``inferred``), each once (a note another contains is left out), in one note,
    " (Inferred: the review does not say …; <why>; <the next record's>.)": a reviewer signs a party or period
    the review names, and can sign an inference only where it is marked as one (¶131 puts the cancelled CIN
    meeting in the passive, so "cancelled by Children's Social Care" is the tool's)."""
    notes = list(dict.fromkeys(str(r.get("inferred") or "").strip().rstrip(".") for r in rows))
    notes = [n for n in notes if n and not any(n != other and n in other for other in notes)]  # said once
    return statement + (f" ({INFERRED} {'; '.join(notes)}.)" if notes else "")  # one note, however many records


NEIGHBOURS = 1  # "beside" a paragraph: itself and the paragraph either side
_PARAGRAPH = re.compile(r"^¶(\d+)(?:\s*[–-]\s*(\d+))?")


def paragraphs(refs_: Iterable[str]) -> set[int]:
    """The paragraph numbers of ¶ refs ("¶117–132" is every paragraph of the range; "¶48 fn10" is ¶48)."""
    found: set[int] = set()
    for ref in refs_:
        match = _PARAGRAPH.match(ref)
        if match:
            first = int(match.group(1))
            found.update(range(first, int(match.group(2) or first) + 1))
    return found


def beside(a: Iterable[str], b: Iterable[str]) -> bool:
    """Two records cited in the same place: a ref in common, or ¶ refs at most ``NEIGHBOURS`` apart."""
    a, b = list(a), list(b)
    if set(a) & set(b):
        return True
    near = paragraphs(b)
    return any(abs(p - q) <= NEIGHBOURS for p in paragraphs(a) for q in near)
