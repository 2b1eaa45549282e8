"""What the engine returns: findings a reviewer can sign, and questions the record leaves open.

One shape for every theme, so the report, the app and the exports render the same objects. A
finding is one claim about one child and one subject; where the pattern recurs (several
meetings, several dates) those are its ``occurrences``, never extra findings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

THEMES = ("information_sharing", "not_in_room", "decision_making", "escalation", "offender_contact")
BASES = ("recorded", "inferred")


@dataclass(frozen=True)
class Occurrence:
    """One place the pattern shows: a meeting, a flow, a decision, a contact — with its dates as
    the source allows and the refs that ground exactly this occurrence."""

    what: str
    date_text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    refs: tuple[str, ...] = ()
    record: str | None = None  # the id of the record this occurrence is, where there is one


def stable_id(kind: str, theme: str, rule: str, children: tuple[str, ...], subjects: tuple[str, ...]) -> str:
    """An id that survives re-runs and re-loads of unchanged facts: it depends on what the claim
    is about (theme, rule, children, subjects), never on wording, dates or order, so a reviewer's
    mark on a finding stays attached to it."""
    key = "\x1f".join([kind, theme, rule, ",".join(sorted(children)), ",".join(sorted(subjects))])
    return ("F-" if kind == "finding" else "Q-") + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Finding:
    theme: str
    rule: str
    basis: str
    statement: str
    children: tuple[str, ...]
    subjects: tuple[str, ...]
    occurrences: list[Occurrence] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    counter_evidence: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    rank: float = 0.0
    # The review's praise of the same subject and time, of another aspect, in or next to the finding's own
    # paragraphs: shown beside it ("see also"), never a downgrade (findings.counter.nearby).
    context: list[str] = field(default_factory=list)
    # The subjects the finding holds at fault, where it names others who are not (the party that sent
    # the concern a receiver did not act on): only praise of these answers it. Empty: all subjects.
    responsible: tuple[str, ...] = ()
    # The review's learning points for the agencies this finding is about (findings.learning): each names an
    # agency one of its subjects belongs to, arises from the paragraphs it rests on (or their neighbours), and
    # is about its children or about no child in particular.
    learning: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"finding theme {self.theme!r} is not one of {THEMES}")
        if self.basis not in BASES:
            raise ValueError(f"finding basis {self.basis!r} is not one of {BASES}")

    @property
    def id(self) -> str:
        return stable_id("finding", self.theme, self.rule, self.children, self.subjects)

    @property
    def at_fault(self) -> tuple[str, ...]:
        """Whom the finding blames: what counter-evidence and the fidelity test's "praise flagged" read,
        so praise of a sender is never set against, nor contradicted by, its receiver's failure."""
        return self.responsible or self.subjects

    @property
    def downgraded(self) -> bool:
        """Shown with "but see ¶…": the source praises or records the opposite for this subject."""
        return bool(self.counter_evidence)


@dataclass
class Question:
    """What the record leaves open, phrased for a review panel ("The review does not say whether
    …"): never a finding, because "not recorded" is not "absent"."""

    theme: str
    rule: str
    statement: str
    children: tuple[str, ...]
    subjects: tuple[str, ...]
    occurrences: list[Occurrence] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    rank: float = 0.0

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"question theme {self.theme!r} is not one of {THEMES}")

    @property
    def id(self) -> str:
        return stable_id("question", self.theme, self.rule, self.children, self.subjects)
