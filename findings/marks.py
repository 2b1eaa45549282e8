"""A reviewer's marks on findings: *accepted*, *rejected* or *needs checking*, with a note, who and when.

Marks are the reviewer's work, not the case's data, so they live outside the graph store: one JSON
file per case in ``JOINED_UP_MARKS_DIR`` (default ``var/marks``), keyed by the finding's stable id
(``findings.model.stable_id``). A re-load of the case, even of edited data, never touches them; a
mark whose finding no longer exists is *orphaned*: listed apart, kept in the file, never deleted
unasked. Every write goes to a temporary file renamed over the old one, so a crash leaves the old
file or the new one, never half of either; writers in one process take a lock so two reviewers'
marks made at the same moment are both kept.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from findings.model import Finding, Question

STATUSES = {"accepted": "Accepted", "rejected": "Rejected", "needs_checking": "Needs checking"}
ROOT = Path(__file__).resolve().parent.parent
_WRITING = threading.Lock()
_SAFE_CASE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class Mark:
    finding: str  # the finding's (or question's) stable id
    status: str
    note: str
    who: str
    when: str  # ISO 8601, UTC, to the second
    statement: str = ""  # the finding's words when marked, so an orphaned mark still reads as something
    children: tuple[str, ...] = ()  # the finding's children: a report about one child lists only its orphans

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"mark status {self.status!r} is not one of {tuple(STATUSES)}")

    @property
    def line(self) -> str:
        """One line for every report format: what, by whom, when, and the note."""
        note = f": {self.note}" if self.note else ""
        return f"{STATUSES[self.status]} by {self.who or 'an unnamed reviewer'} on {self.when[:10]}{note}"


def marks_dir() -> Path:
    return Path(os.environ.get("JOINED_UP_MARKS_DIR") or ROOT / "var" / "marks")


def default_reviewer() -> str:
    """Who marks, unless the app knows better (a signed-in user or a name typed in the sidebar)."""
    return os.environ.get("JOINED_UP_REVIEWER", "").strip()


def case_file(case_id: str, folder: Path, what: str) -> Path:
    """``folder/<case>.json``: one file per case of the reviewer's or the engine's own data (``what`` names it)."""
    if not _SAFE_CASE.match(case_id):
        raise ValueError(f"case id {case_id!r} cannot name a {what} file: expected letters, digits, '.', '_' or '-'")
    return folder / f"{case_id}.json"


def marks_file(case_id: str, folder: Path | None = None) -> Path:
    return case_file(case_id, folder or marks_dir(), "marks")


def load_marks(case_id: str, folder: Path | None = None) -> dict[str, Mark]:
    """Finding id → its mark; none when the case has no marks file yet."""
    path = marks_file(case_id, folder)
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return {m["finding"]: Mark(**{**m, "children": tuple(m.get("children", ()))}) for m in doc["marks"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a marks file ({exc}); expected {{'case': …, 'marks': [ … ]}}") from exc


def _write(case_id: str, marks: dict[str, Mark], folder: Path | None) -> None:
    doc = {"case": case_id, "marks": [asdict(m) for m in sorted(marks.values(), key=lambda m: m.finding)]}
    write_atomically(marks_file(case_id, folder), doc)


def write_atomically(path: Path, doc: object) -> None:
    """``doc`` as JSON to a temporary file renamed over ``path``: a crash leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(doc, out, indent=2, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def set_mark(
    case_id: str, item: Finding | Question, status: str, note: str, who: str, folder: Path | None = None
) -> Mark:
    """Mark ``item`` (replacing its earlier mark); the file is rewritten atomically."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    mark = Mark(item.id, status, note.strip(), who.strip(), when, item.statement, tuple(item.children))
    with _WRITING:
        marks = load_marks(case_id, folder)
        marks[item.id] = mark
        _write(case_id, marks, folder)
    return mark


def clear_mark(case_id: str, finding_id: str, folder: Path | None = None) -> None:
    """Take a mark off (the reviewer's explicit choice; orphaned marks are never cleared otherwise)."""
    with _WRITING:
        marks = load_marks(case_id, folder)
        if marks.pop(finding_id, None) is not None:
            _write(case_id, marks, folder)


def orphaned(marks: dict[str, Mark], items: list[Finding | Question], children: set[str] | None = None) -> list[Mark]:
    """Marks whose finding the engine no longer returns (the data or the rules changed), oldest first.
    With ``children`` (a report about some children only), only marks on findings about them."""
    present = {i.id for i in items}
    return sorted(
        (
            m
            for m in marks.values()
            if m.finding not in present and (children is None or not m.children or children & set(m.children))
        ),
        key=lambda m: (m.when, m.finding),
    )
