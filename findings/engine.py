"""The one function every surface calls: ``run_findings(backend, case_id, child)``.

The CLI's ``gaps``, the app's Gaps page, the network overlay and every export call it, so the same
case and child give the same findings and counts everywhere. It runs every rule once per child,
merges findings that make the same claim (same stable id), and ranks: recorded before inferred,
then more occurrences, then later harm; counter-evidence lowers a finding within its basis but
never removes it.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from findings.compose import in_order, refs
from findings.context import RuleContext
from findings.counter import nearby
from findings.model import THEMES, Finding, Question
from findings.rules import RULES
from graph.backend import Backend
from queries.library import run_query

LOG = logging.getLogger("joined_up.findings")


@dataclass
class Report:
    case_id: str
    backend: str
    children: list[dict[str, object]]
    findings: list[Finding] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    def counts(self) -> dict[tuple[str, str, str], int]:
        """(theme, basis, child) → number of findings; a finding about two children counts for each."""
        out: Counter = Counter()
        for f in self.findings:
            for c in f.children:
                out[(f.theme, f.basis, c)] += 1
        return dict(out)

    def by_theme(self) -> dict[str, list[Finding]]:
        return {t: [f for f in self.findings if f.theme == t] for t in THEMES}


def _merge(found: dict[str, Finding | Question], item: Finding | Question) -> None:
    """Keep one object per id: a second one adds its occurrences, evidence and counter-evidence."""
    kept = found.setdefault(item.id, item)
    if kept is item:
        return
    seen = {(o.record, o.what) for o in kept.occurrences}
    kept.occurrences = in_order([*kept.occurrences, *(o for o in item.occurrences if (o.record, o.what) not in seen)])
    kept.evidence = refs(kept.evidence, item.evidence)
    if isinstance(kept, Finding) and isinstance(item, Finding):
        kept.counter_evidence = refs(kept.counter_evidence, item.counter_evidence)
        kept.context = [r for r in refs(kept.context, item.context) if r not in kept.counter_evidence]


QUOTED = re.compile(r"“([^”]+)”")
SAME_SENTENCE_WORDS = 8  # a run of this many words quoted by two findings: they rest on one sentence of the review
# a party's absence from a meeting is its own claim even where the sentence also says it did not share
# (¶82: "did not contribute to multi-agency information sharing ... and was not invited to attend partnership
# meetings" — two conclusions of the review, one per theme)
ATTENDANCE_RULES = ("did_not_attend", "not_in_room")


def _quoted_runs(finding: Finding) -> set[tuple[str, ...]]:
    """Every run of ``SAME_SENTENCE_WORDS`` words inside the statement's quotations, normalised."""
    runs: set[tuple[str, ...]] = set()
    for quote in QUOTED.findall(finding.statement):
        words = re.findall(r"[a-z0-9]+", quote.lower())
        runs |= {tuple(words[i : i + SAME_SENTENCE_WORDS]) for i in range(len(words) - SAME_SENTENCE_WORDS + 1)}
    return runs


def _parties(finding: Finding) -> set[str]:
    """The parties a finding holds at fault, without the records it lists (a decision two themes both
    list is not one claim when one blames the decider and the other the party that did not escalate)."""
    return set(finding.at_fault) - {o.record for o in finding.occurrences}


def one_claim_per_sentence(findings: list[Finding]) -> list[Finding]:
    """One review sentence about the same party and child is one finding, whichever themes' rules read it
    (¶125's "the school did not receive feedback or ask for feedback" was claimed under two themes). The
    finding that carries the review's counter-evidence is kept, else the first theme in ``THEMES`` order."""
    order = sorted(findings, key=lambda f: (not f.counter_evidence, THEMES.index(f.theme), f.id))
    kept: list[Finding] = []
    for f in order:
        runs = _quoted_runs(f)
        if not any(
            k.theme != f.theme
            and (k.rule in ATTENDANCE_RULES) == (f.rule in ATTENDANCE_RULES)
            and set(k.children) & set(f.children)
            and _parties(k) & _parties(f)
            and runs & _quoted_runs(k)
            for k in kept
        ):
            kept.append(f)
    dropped = {f.id for f in findings} - {f.id for f in kept}
    return [f for f in findings if f.id not in dropped]


def rank(item: Finding | Question) -> float:
    """Recorded before inferred; then more occurrences; then the later the last occurrence (later
    harm first); a downgraded finding after its peers of the same basis."""
    basis = 2.0 if getattr(item, "basis", "inferred") == "recorded" else 1.0
    downgraded = 0.5 if getattr(item, "counter_evidence", None) else 0.0
    last = max((o.date_to or o.date_from or date(1900, 1, 1) for o in item.occurrences), default=date(1900, 1, 1))
    return round(basis * 1e6 - downgraded * 1e5 + min(len(item.occurrences), 99) * 1e3 + (last.year - 1900), 1)


def run_findings(backend: Backend, case_id: str, child: str | None = None) -> Report:
    """Every finding and question about the case's children (or one child), merged and ranked."""
    children = run_query(backend, "children", case_id=case_id)
    if child:
        children = [c for c in children if c["child"] == child]
    found: dict[str, Finding | Question] = {}
    shared: dict = {}  # query rows keyed by query and parameters: case-wide queries run once, not per child
    facts = None
    for c in children:
        ctx = RuleContext(backend, case_id, str(c["child"]), _cache=shared, every_child=len(children) > 1)
        if facts is not None:
            ctx.__dict__["facts"] = facts  # the cached_property's slot: the case's facts, derived once
        facts = ctx.facts
        for rule in RULES:
            for item in rule(ctx):
                if isinstance(item, Finding):
                    item.context = nearby(ctx, item)
                _merge(found, item)
    items = list(found.values())
    for item in items:
        item.rank = rank(item)
    items.sort(key=lambda i: (-i.rank, i.theme, i.id))
    report = Report(
        case_id,
        backend.name,
        children,
        one_claim_per_sentence([i for i in items if isinstance(i, Finding)]),
        [i for i in items if isinstance(i, Question)],
    )
    LOG.info(
        "findings for case %s child %s: %d findings, %d questions",
        case_id,
        child or "*",
        len(report.findings),
        len(report.questions),
    )
    return report
