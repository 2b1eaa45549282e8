"""The findings engine over a caseload: every child's findings counted per theme, once per case, and kept.

A team lead first looks at counts (children × themes, most findings first), then opens one child. The
counts are the engine's own findings (``run_findings`` for every child, counted by ``Report.counts``),
never a second set of rules in Cypher, so they cannot disagree with what a child's page shows; opening
a child runs the engine for that child alone (``run_findings(backend, case, child)``), so rows are fetched only for the
children someone opens. Counting the whole caseload is the engine's full run (seconds to minutes at
caseload scale), so the summary is kept, one JSON file per case in ``JOINED_UP_SUMMARY_DIR`` (default
``var/summaries``), stamped with the store's state and the engine's version, and read back while both
are unchanged. A store whose state cannot be told (Neo4j, an in-memory store) is summarised afresh.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from findings.engine import Report, run_findings
from findings.marks import ROOT, case_file, write_atomically
from findings.model import THEMES
from graph.backend import Backend

LOG = logging.getLogger("joined_up.findings")
ENGINE_SOURCES = ("findings/**/*.py", "queries/*.cypher", "queries/*.yaml")  # what the counts depend on
SUMMARY_COLUMNS = ["child", *THEMES, "total"]


@dataclass(frozen=True)
class Summary:
    """Findings per child and theme for one case; every child of the case has a row (zeros included)."""

    case_id: str
    counts: dict[str, dict[str, int]]  # child → theme → findings about the child (a finding about two counts for each)
    computed: str  # when the engine ran (ISO 8601, UTC)
    engine_seconds: float  # what the engine's run over every child took

    def rows(self) -> list[dict[str, object]]:
        """One row per child: its findings per theme and in total, most findings first, then by child id."""
        rows = [
            {"child": c, **{t: n.get(t, 0) for t in THEMES}, "total": sum(n.values())} for c, n in self.counts.items()
        ]
        return sorted(rows, key=lambda r: (-int(r["total"]), str(r["child"])))


def summarise(report: Report, seconds: float = 0.0) -> Summary:
    """The report's findings counted per child and theme (``Report.counts``, over both bases)."""
    counts: dict[str, Counter] = {str(c["child"]): Counter() for c in report.children}
    for (theme, _basis, child), n in report.counts().items():
        counts.setdefault(child, Counter())[theme] += n
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    return Summary(report.case_id, {c: dict(n) for c, n in counts.items()}, stamp, round(seconds, 3))


def summary_dir() -> Path:
    return Path(os.environ.get("JOINED_UP_SUMMARY_DIR") or ROOT / "var" / "summaries")


@cache
def engine_version() -> str:
    """A digest of the engine's rules and the queries they read: a kept summary of other rules is stale."""
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted(p for pattern in ENGINE_SOURCES for p in ROOT.glob(pattern)):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def store_state(backend: Backend) -> str | None:
    """The embedded file's path, size and last write: any load into it changes them (a read-only open
    does not). None where it cannot be told (Neo4j, an in-memory store): such a summary is not kept."""
    path = getattr(backend, "path", ":memory:")
    if backend.name != "embedded" or str(path) == ":memory:":
        return None
    stat = Path(path).stat()
    return f"{Path(path).resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


def _kept(path: Path, stamp: str) -> Summary | None:
    """The summary kept at ``path`` if it was computed with ``stamp``; a file that is no summary is refused."""
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc["stamp"] != stamp:
            return None
        return Summary(doc["case"], doc["counts"], doc["computed"], doc["engine_seconds"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"{path}: not a caseload summary ({exc}); expected {{'case', 'stamp', 'counts', …}}: "
            "move it away or recompute (cli.py caseload --summary --recompute)"
        ) from exc


def caseload_summary(
    backend: Backend, case_id: str, folder: Path | None = None, recompute: bool = False
) -> tuple[Summary, bool]:
    """The case's summary and whether it was kept: read back while the store and the engine are as when it
    was computed, otherwise the engine runs over every child and the summary is kept (embedded stores)."""
    state = store_state(backend)
    path = case_file(case_id, folder or summary_dir(), "caseload summary")
    stamp = f"{state}|{engine_version()}"
    kept = None if state is None or recompute else _kept(path, stamp)
    if kept is not None:
        return kept, True
    start = time.perf_counter()
    summary = summarise(run_findings(backend, case_id), time.perf_counter() - start)
    LOG.info("caseload summary of case %s: %d children in %.1f s", case_id, len(summary.counts), summary.engine_seconds)
    if state is not None and summary.counts:  # a case with no child in the store is not kept
        doc = {"case": case_id, "stamp": stamp, "computed": summary.computed, "engine_seconds": summary.engine_seconds}
        write_atomically(path, {**doc, "counts": summary.counts})
    return summary, False
