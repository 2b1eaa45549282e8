"""The one function every surface calls: ``run_findings(backend, case_id, child)``.

The CLI's ``gaps``, the app's Gaps page, the network overlay and every export call it, so the same
case and child give the same findings and counts everywhere. It runs every rule once per child,
merges findings that make the same claim (same stable id), and ranks: recorded before inferred,
then more occurrences, then later harm; counter-evidence lowers a finding within its basis but
never removes it. Each finding then lists the review's learning points for the agencies it is about
(``findings.learning``).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from findings.compose import in_order, overlaps, refs, word_runs
from findings.context import RuleContext
from findings.counter import nearby
from findings.learning import LearningPoint, learning_points, mark_learning
from findings.model import THEMES, Finding, Question
from findings.rules import RULES
from graph.backend import Backend
from loaders.evidence import case_folder, resolver
from queries.library import run_query

LOG = logging.getLogger("joined_up.findings")


@dataclass
class Report:
    case_id: str
    backend: str
    children: list[dict[str, object]]
    findings: list[Finding] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    learning: list[LearningPoint] = field(default_factory=list)  # the review's learning points, in its order

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


FACTS = ("facts of the case",)  # where a run keeps the case's facts among its reads
QUOTED = re.compile(r"“([^”]+)”")
# a party's recorded absence from a meeting is the claim a sentence that also says it did not share makes (¶82:
# "did not contribute to multi-agency information sharing ... and was not invited to attend partnership meetings"
# names meetings, and no one the information was for): it is kept over the flow read from the same words
ATTENDANCE_RULES = ("did_not_attend", "not_in_room")
# findings that list records as a pattern (a run of decisions, closures at one door): a record another finding
# makes its own claim of is listed there as a cross-reference, not counted again
PATTERN_RULES = ("drift", "repeated_closures", "threshold_closes_before_harm")
# findings of one message not shared or not acted on: where the party's decision on it is also a finding, the
# two are one fact (``_taken_on``)
INFORMATION_RULES = ("flow_failures",)


def _quoted_runs(finding: Finding, text_of: Callable[[str], str | None] | None = None) -> set[tuple[str, ...]]:
    """Every run of ``compose.SAME_SENTENCE_WORDS`` words inside the statement's quotations; given the review's
    text, only runs that are the review's own words at the finding's refs: a curated lead-in two quotations share
    ("Children's Social Care's own learning summary") is no sentence of the review."""
    runs = set().union(*(word_runs(quote) for quote in QUOTED.findall(finding.statement)))
    if text_of is None:
        return runs
    return runs & set().union(*(word_runs(text_of(ref) or "") for ref in finding.evidence))


def _records(finding: Finding) -> set[str]:
    """The records a finding's occurrences are (a cross-reference is no record of its own)."""
    return {o.record for o in finding.occurrences if o.record}


def _parties(finding: Finding) -> set[str]:
    """The parties a finding holds at fault, without the records it lists (a decision two themes both
    list is not one claim when one blames the decider and the other the party that did not escalate)."""
    return set(finding.at_fault) - _records(finding)


def _about_the_same(a: Finding, b: Finding, organisation: Callable[[str], str] | None = None) -> bool:
    """The same child, and a party both blame: by its organisation where given (the Emergency Duty Team is
    Children's Social Care; the force's agency record is the force)."""
    org = organisation or str
    return bool(set(a.children) & set(b.children) and set(map(org, _parties(a))) & set(map(org, _parties(b))))


def _precedence(f: Finding) -> tuple:
    """Which of two findings resting on one sentence keeps it: the one with the review's "but see" (never
    dropped), then a recorded one over an inferred, a recorded absence over the flow read from the same words
    (``ATTENDANCE_RULES``), the one listing more records (a pattern over the one record of it that it quotes:
    ¶135's "worked under early intervention" is the drift's own words), then theme order."""
    return (
        not f.counter_evidence,
        f.basis != "recorded",
        f.rule not in ATTENDANCE_RULES,
        -len(_records(f)),
        THEMES.index(f.theme),
        f.id,
    )


def _within(f: Finding, k: Finding) -> bool:
    """Every record of ``f`` is one ``k`` lists, and ``k`` holds the claim: not a pattern merely listing the
    record another finding judges on its own (that becomes a cross-reference in the pattern)."""
    records = _records(f)
    return bool(records) and records <= _records(k) and (k.rule not in PATTERN_RULES or f.rule in PATTERN_RULES)


def _fold(folded: Finding, into: Finding, shown: bool = False) -> None:
    """A finding folded into the one that keeps its claim: its refs and "but see" stay with the claim; ``shown``
    (it quoted other words than the claim's: the message a decision was taken on): its occurrences too, as
    "also: …" cross-references (no record of their own)."""
    if shown:
        into.occurrences = [
            *into.occurrences,
            *(replace(o, what=f"also: {o.what}", record=None) for o in folded.occurrences),
        ]
    into.evidence = refs(into.evidence, folded.evidence)
    into.counter_evidence = refs(into.counter_evidence, folded.counter_evidence)
    into.context = [r for r in refs(into.context, folded.context) if r not in into.counter_evidence]  # as _merge
    LOG.debug("finding %s folded into %s (one fact, one finding)", folded.id, into.id)


def _paragraphs(finding: Finding) -> set[str]:
    """The refs a finding's own records rest on (its cross-references excepted)."""
    return {r for o in finding.occurrences if o.record for r in o.refs}


def _taken_on(info: Finding, decision: Finding, organisation: Callable[[str], str] | None) -> bool:
    """A message a party did not share or act on (``INFORMATION_RULES``) and that party's decision on the same
    child at the same time, resting on the same paragraphs (one's within the other's), are one fact read twice:
    the expert's concerns "did not impact on the placement decision" (¶42) is the decision taken despite them;
    the school's call on Concern 3 not processed through the MASH is the same call redirected by the duty team
    (¶121). A pattern listing records is not a decision taken on one message (``PATTERN_RULES``)."""
    mine, theirs = _paragraphs(info), _paragraphs(decision)
    return (
        info.rule in INFORMATION_RULES
        and decision.theme == "decision_making"
        and decision.rule not in PATTERN_RULES
        and bool(mine and theirs and (mine <= theirs or theirs <= mine))
        and _about_the_same(info, decision, organisation)
        and any(
            overlaps(a.date_from, a.date_to, b.date_from, b.date_to)
            for a in info.occurrences
            for b in decision.occurrences
            if a.record and b.record
        )
    )


def _decisions_on_information(findings: list[Finding], organisation: Callable[[str], str] | None) -> list[Finding]:
    """Each message and the decision taken on it (``_taken_on``) as one finding: the one whose paragraphs lie
    within the other's is folded into it, its occurrences shown there as "also: …" (equal paragraphs: the first
    in ``_precedence`` keeps). Each finding is compared only with the later ones about one of its children
    (``_near``): over a caseload, every pair would be millions of comparisons."""
    folded: set[int] = set()
    ordered = sorted(findings, key=_precedence)
    about = _positions_by_child(ordered)
    for i, first in enumerate(ordered):
        for second in (ordered[j] for j in _near(about, first) if j > i):
            if id(first) in folded or id(second) in folded:
                continue
            if _taken_on(first, second, organisation) or _taken_on(second, first, organisation):
                keeper, gone = (first, second) if _paragraphs(second) <= _paragraphs(first) else (second, first)
                _fold(gone, keeper, shown=True)
                folded.add(id(gone))
    return [f for f in findings if id(f) not in folded]


def _positions_by_child(findings: list[Finding]) -> dict[str, list[int]]:
    """Child → the positions of the findings about it, in order."""
    about: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        for child in set(f.children):
            about.setdefault(child, []).append(i)
    return about


def _near(about: dict[str, list[int]], finding: Finding) -> list[int]:
    """The positions, in order, of the findings about one of ``finding``'s children: the only ones
    ``_about_the_same`` can hold for, so the only ones worth comparing."""
    return sorted({i for child in finding.children for i in about.get(child, ())})


def one_claim_per_sentence(
    findings: list[Finding],
    text_of: Callable[[str], str | None] | None = None,
    organisation: Callable[[str], str] | None = None,
) -> list[Finding]:
    """One fact of the review is one finding, whichever rules read it (issue 12, "one fact counted once"):
    - a sentence: two findings about the same child and party (at-fault parties, records excluded) that quote a
      common run of ``compose.SAME_SENTENCE_WORDS`` words are one claim (¶125's "the school did not receive
      feedback or ask for feedback" under two themes; ¶82's GP sentence as an absence and as a flow), and the one
      first in ``_precedence`` keeps it;
    - a record: a finding whose every record another finding about the same party lists is folded into it
      (three closures of a door counted, and the same three in its threshold pattern); a pattern that lists a
      record another finding claims on its own keeps it only as a cross-reference (``PATTERN_RULES``);
    - a message and the decision taken on it (``_taken_on``): the narrower is folded into the wider and shown
      there as "also: …" (the psychologist's concerns and the placement decision taken despite them).
    ``text_of`` (ref → the review's text) keeps to runs of the review's own words; ``organisation`` (party → its
    organisation, ``Facts.organisation``) compares parties as organisations."""
    kept: list[Finding] = []
    kept_about: dict[str, list[int]] = {}  # child → positions in ``kept`` (``_near``)
    runs = {f.id: _quoted_runs(f, text_of) for f in findings}
    for f in sorted(findings, key=_precedence):
        keeper = next(
            (
                k
                for k in (kept[i] for i in _near(kept_about, f))
                if _about_the_same(k, f, organisation) and (runs[f.id] & runs[k.id] or _within(f, k))
            ),
            None,
        )
        if keeper is None:
            for child in set(f.children):
                kept_about.setdefault(child, []).append(len(kept))
            kept.append(f)
        else:
            _fold(f, keeper)
    kept = _decisions_on_information(kept, organisation)  # after the sentences: what is left is not the same words
    about = _positions_by_child(kept)
    for pattern in (k for k in kept if k.rule in PATTERN_RULES):
        near = (kept[i] for i in _near(about, pattern))
        others = [k for k in near if k.rule not in PATTERN_RULES and _about_the_same(k, pattern, organisation)]
        _cross_reference(pattern, others)
    kept_ids = {id(k) for k in kept}
    return [f for f in findings if id(f) in kept_ids]


def _cross_reference(pattern: Finding, others: list[Finding]) -> None:
    """A pattern's occurrence that is another finding's own record becomes "see also <id>" (it is that
    finding's claim; the pattern still shows it in its run, but does not count it a second time)."""
    owner = {r: o.id for o in others for r in _records(o)}
    pattern.occurrences = [
        replace(o, what=f"see also {owner[o.record]}: {o.what}", record=None) if o.record in owner else o
        for o in pattern.occurrences
    ]


def rank(item: Finding | Question) -> float:
    """Recorded before inferred; then more occurrences; then the later the last occurrence (later
    harm first); a downgraded finding after its peers of the same basis."""
    basis = 2.0 if getattr(item, "basis", "inferred") == "recorded" else 1.0
    downgraded = 0.5 if getattr(item, "counter_evidence", None) else 0.0
    last = max((o.date_to or o.date_from or date(1900, 1, 1) for o in item.occurrences), default=date(1900, 1, 1))
    return round(basis * 1e6 - downgraded * 1e5 + min(len(item.occurrences), 99) * 1e3 + (last.year - 1900), 1)


def run_findings(backend: Backend, case_id: str, child: str | None = None, reads: dict | None = None) -> Report:
    """Every finding and question about the case's children (or one child), merged and ranked. ``reads``: the
    query rows (and what rules derive from them once per case) of earlier runs on this case and this state of
    the store, shared with this run: opening child after child of a caseload reads the case-wide questions
    once. The caller owns it and drops it when the store changes."""
    children = run_query(backend, "children", case_id=case_id)
    if child:
        children = [c for c in children if c["child"] == child]
    found: dict[str, Finding | Question] = {}
    shared: dict = {} if reads is None else reads  # query rows by query and parameters: case-wide ones read once
    facts = shared.get(FACTS)  # the case's facts (case-wide rows only: ``Facts.load``), derived once
    for c in children:
        ctx = RuleContext(backend, case_id, str(c["child"]), _cache=shared, every_child=len(children) > 1)
        if facts is not None:
            ctx.__dict__["facts"] = facts  # the cached_property's slot
        facts = shared[FACTS] = ctx.facts
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
        one_claim_per_sentence(
            [i for i in items if isinstance(i, Finding)],
            resolver(case_folder(case_id)),
            facts.organisation if facts else None,
        ),
        [i for i in items if isinstance(i, Question)],
    )
    if facts is not None:
        report.learning = learning_points(RuleContext(backend, case_id, _cache=shared).rows("learning_by_agency"))
        mark_learning(report.findings, report.learning, facts)
    LOG.info(
        "findings for case %s child %s: %d findings, %d questions",
        case_id,
        child or "*",
        len(report.findings),
        len(report.questions),
    )
    return report
