"""What a case cannot be, beyond each value's type: facts that need two records to check.

A date before the child was born, a record citing a document the case does not hold, an agency
that is part of itself, a document file outside the case folder: each passes the type checks
and each is nonsense a reader would trust. Errors block a load; a date after the review was
published is only unlikely (a review can be republished with an addendum), so it is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from loaders.dates import DateError, parse_date

# A relationship that joins a node to itself means nothing for these types.
NO_SELF_LOOPS = frozenset({"PART_OF", "WORKS_FOR"})


def document_file_problem(value: object) -> str | None:
    """What is wrong with a SourceDocument ``file``, or None: it must stay inside the case folder."""
    if not isinstance(value, str):
        return None  # the type check words that
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]) or not path.parts:
        return "a path inside the case folder, such as documents/review.txt"
    return None


def _latest(props: dict[str, object], names: tuple[str, ...]) -> date | None:
    ends = [props.get(f"{n}_to") for n in names]
    found = [d for d in ends if isinstance(d, date)]
    return max(found) if found else None


def _earliest(props: dict[str, object], names: tuple[str, ...]) -> date | None:
    starts = [props.get(f"{n}_from") for n in names]
    found = [d for d in starts if isinstance(d, date)]
    return min(found) if found else None


@dataclass
class CaseFacts:
    """Births, the latest date of each dated record, and each document's publication date, as
    the validator meets them, so relationships and records can be checked against them."""

    documents: dict[str, date | None] = field(default_factory=dict)  # SourceDocument id -> published
    born: dict[str, date] = field(default_factory=dict)  # Child id -> earliest possible birth
    latest: dict[str, date] = field(default_factory=dict)  # dated node id -> latest possible date

    def declare_document(self, doc_id: str, published: object) -> None:
        """A SourceDocument, before any record is checked (so a record may cite one defined later)."""
        try:
            self.documents[doc_id] = parse_date(published).earliest if published is not None else None
        except DateError:
            self.documents[doc_id] = None  # the property check words it

    def node(self, node_id: str, label: str, props: dict[str, object], dates: tuple[str, ...]) -> None:
        if label == "Child" and isinstance(born := props.get("born_from"), date):
            self.born[node_id] = born
        if dates and (last := _latest(props, dates)) is not None:
            self.latest[node_id] = last

    def after_publication(self, doc: str, props: dict[str, object], dates: tuple[str, ...]) -> str | None:
        """The warning for a record dated after the document it cites was published, or None."""
        published = self.documents.get(doc)
        first = _earliest(props, dates) if published is not None and dates else None
        if first is None or published is None or first <= published:
            return None
        return f"a date up to the publication of {doc} ({published.isoformat()}); this is after it"

    def before_birth(self, child: str, other: str, props: dict[str, object], dates: tuple[str, ...]) -> str | None:
        """The error for a relationship of a child dated (by itself, or by the record at its other
        end) certainly before the child was born, or None."""
        born = self.born.get(child)
        if born is None:
            return None
        last = _latest(props, dates) if dates else None
        last = last if last is not None else self.latest.get(other)
        if last is None or last >= born:
            return None
        return f"a date on or after {child}'s birth ({born.isoformat()}); this is dated at latest {last.isoformat()}"
