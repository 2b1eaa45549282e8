"""The project's own fidelity test: what the Child Q & S review concludes and praises, against the findings engine.

tests/fidelity/review.yaml lists, from a reading of the review's own text (never from the tool's output),
what the review concludes went wrong or was missing and what it says was done well, each entry with the
review's sentence and its refs. The engine is worth showing a reviewer only if it recovers the first
(recall per theme) without turning the second into findings (praised things flagged). The thresholds are
data, kept here, and only ever raised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from findings.compose import overlaps
from loaders.dates import DateError, parse_date
from loaders.evidence import document_index
from loaders.validate import ValidatedCase

# The engine helper raises these as the engine improves; they are never lowered.
# Targets (issue 12, issue 13): recall >= 0.70 in every theme, >= 0.80 for issue 13's kinds, praised flagged 0.
RECALL_MIN: dict[str, float] = {
    "information_sharing": 0.78,
    "not_in_room": 0.86,
    "decision_making": 0.70,
    "escalation": 0.83,
    "offender_contact": 0.94,
}
DECISION_KINDS_RECALL_MIN = 0.90  # the conclusions whose kind is one of issue 13's (any kind but "other")
PRAISED_FLAGGED_MAX = 1

CASE_ID = "child-q-s"
REVIEW_FILE = Path(__file__).resolve().parent / "fidelity" / "review.yaml"
CASE_DIR = Path(__file__).resolve().parent.parent / "data" / "cases" / CASE_ID


@dataclass(frozen=True)
class SeenFinding:
    """What this test needs of one engine finding."""

    theme: str
    children: frozenset[str]
    subjects: frozenset[str]
    evidence: tuple[str, ...]
    spans: tuple[tuple[date | None, date | None], ...]
    downgraded: bool


def engine_findings(backend: object) -> list[SeenFinding]:
    """The one place that knows the engine's interface: adjust here if it changes."""
    from findings.engine import run_findings

    report = run_findings(backend, case_id=CASE_ID)
    return [
        SeenFinding(
            theme=f.theme,
            children=frozenset(f.children),
            subjects=frozenset(f.subjects),
            evidence=tuple(f.evidence),
            spans=tuple((o.date_from, o.date_to) for o in f.occurrences),
            downgraded=bool(f.counter_evidence),
        )
        for f in report.findings
    ]


THEMES = tuple(RECALL_MIN)
KINDS = ("threshold", "drift", "closure", "challenge_not_escalated", "not_done", "never_knew", "other")
ASPECT_THEMES: dict[str, tuple[str, ...]] = {
    "attendance": ("not_in_room",),
    "sharing": ("information_sharing",),
    "escalation": ("escalation",),
    "assessment": ("decision_making",),
    "decision": ("decision_making",),
    "offender_disruption": ("offender_contact",),
    "other": THEMES,
}
CHILDREN = {"Q": frozenset({"Q"}), "S": frozenset({"S"}), "both": frozenset({"Q", "S"})}
CONCLUSION_FIELDS = {"id", "child", "theme", "kind", "refs", "subjects", "quote"}
PRAISE_FIELDS = {"id", "child", "aspect", "subjects", "period", "refs", "quote"}
ELLIPSIS = "…"


def _load_review() -> dict[str, list[dict[str, object]]]:
    return yaml.safe_load(REVIEW_FILE.read_text(encoding="utf-8"))


def _normalised(text: str) -> str:
    """Text compared for quotes: typographic quotes and dashes plain, whitespace single, case folded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"}))
    return " ".join(text.split()).casefold()


def _ref_keys(index, refs: Iterable[str]) -> set[object]:
    """The review paragraphs a list of refs points at ('¶121–122' covers ¶121 and ¶122); an unknown ref stays itself."""
    keys: set[object] = set()
    for ref in refs:
        found = index.resolve(ref)
        keys.update(found or [ref])
    return keys


def _part_of_closure(case: ValidatedCase) -> Callable[[frozenset[str], Iterable[str]], bool]:
    """Whether a finding's subjects name one of an entry's: the same id, or one PART_OF the other (transitively)."""
    parents: dict[str, set[str]] = {}
    for edge in case.edges:
        if edge.type == "PART_OF":
            parents.setdefault(edge.src, set()).add(edge.dst)

    def ancestors(node: str) -> set[str]:
        seen, todo = set(), [node]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def names(finding_subjects: frozenset[str], entry_subjects: Iterable[str]) -> bool:
        for wanted in entry_subjects:
            up = ancestors(wanted)
            if any(s == wanted or s in up or wanted in ancestors(s) for s in finding_subjects):
                return True
        return False

    return names


def _overlaps(spans: tuple[tuple[date | None, date | None], ...], period: str) -> bool:
    """Whether any occurrence overlaps a praise period; an open end, an undated or absent occurrence may overlap.
    Overlap is the product's one definition (findings.compose.overlaps: more than a shared boundary
    month, issue 12 item 4), so a finding and a praise that only touch at an end month never meet."""
    if not period:
        return True
    span = parse_date(period)
    return any(overlaps(a, b, span.earliest, span.latest) for a, b in spans or ((None, None),))


# -- the file itself ------------------------------------------------------------------------------


def _check_entry(entry: dict[str, object], fields: set[str], index, case_ids: set[str]) -> list[str]:
    """Problems with one entry: its fields, refs, quote and subjects."""
    where = entry.get("id", "?")
    problems = [] if re.fullmatch(r"[CP]\d{3}", str(where)) else [f"{where}: id is not C### or P###"]
    if set(entry) != fields:
        problems.append(f"{where}: fields {sorted(set(entry) ^ fields)} missing or unexpected")
        return problems
    if entry["child"] not in CHILDREN:
        problems.append(f"{where}: child {entry['child']!r} is not Q, S or both")
    refs, subjects = entry["refs"], entry["subjects"]
    if not isinstance(refs, list) or not refs:
        return [*problems, f"{where}: refs must be a non-empty list"]
    unresolved = [r for r in refs if not index.resolve(r)]
    if unresolved:
        problems.append(f"{where}: refs {unresolved} are not in the review's paragraph index")
    text = _normalised(" ".join(p.text for r in refs for p in index.resolve(r)))
    for fragment in str(entry["quote"]).split(ELLIPSIS):
        if _normalised(fragment) and _normalised(fragment) not in text:
            problems.append(f"{where}: quote fragment {fragment.strip()[:60]!r}… is not in {refs}")
    if not isinstance(subjects, list) or not 1 <= len(subjects) <= 3:
        problems.append(f"{where}: subjects must be a list of 1–3 ids")
    elif missing := [s for s in subjects if s not in case_ids]:
        problems.append(f"{where}: subjects {missing} are not ids in the curated case")
    return problems


def test_review_file_is_honest(qs_case: ValidatedCase) -> None:
    """Every entry quotes the review's own words at the refs it cites and names parties the case has."""
    review = _load_review()
    index = document_index(CASE_DIR)
    case_ids = {str(n.props["id"]) for n in qs_case.nodes}
    problems: list[str] = []
    for key, fields in (("conclusions", CONCLUSION_FIELDS), ("praise", PRAISE_FIELDS)):
        ids = [e.get("id") for e in review.get(key) or []]
        if len(ids) != len(set(ids)):
            problems.append(f"{key}: duplicate ids")
        for entry in review.get(key) or []:
            problems += _check_entry(entry, fields, index, case_ids)
    for c in review["conclusions"]:
        if c.get("theme") not in THEMES or c.get("kind") not in KINDS:
            problems.append(f"{c.get('id')}: theme {c.get('theme')!r} or kind {c.get('kind')!r} unknown")
    for p in review.get("praise") or []:
        if p.get("aspect") not in ASPECT_THEMES:
            problems.append(f"{p.get('id')}: aspect {p.get('aspect')!r} unknown")
        try:
            if p.get("period"):
                parse_date(p["period"])
        except DateError as exc:
            problems.append(f"{p.get('id')}: period {p.get('period')!r}: {exc}")
    assert not problems, "\n".join(problems)


def test_review_file_covers_the_review() -> None:
    """Both children in every theme, and every good-practice point of the review among the praise."""
    review = _load_review()
    index = document_index(CASE_DIR)
    for theme in THEMES:
        for child in ("Q", "S"):
            assert any(c["theme"] == theme and child in CHILDREN[c["child"]] for c in review["conclusions"]), (
                f"no conclusion for Child {child} in theme {theme}"
            )
    praised = {r for p in review["praise"] for r in p["refs"]}
    points = {p.ref for p in index.of_kind("good_practice")}
    assert points <= praised, f"good-practice points with no praise entry: {sorted(points - praised)}"


# -- the engine against the file ------------------------------------------------------------------


def _is_found(entry: dict[str, object], findings: list[SeenFinding], names, index) -> bool:
    wanted = _ref_keys(index, entry["refs"])
    return any(
        f.theme == entry["theme"]
        and f.children & CHILDREN[entry["child"]]
        and names(f.subjects, entry["subjects"])
        and _ref_keys(index, f.evidence) & wanted
        for f in findings
    )


def _is_flagged(praise: dict[str, object], findings: list[SeenFinding], names) -> bool:
    return any(
        not f.downgraded
        and f.theme in ASPECT_THEMES[praise["aspect"]]
        and f.children & CHILDREN[praise["child"]]
        and names(f.subjects, praise["subjects"])
        and _overlaps(f.spans, praise["period"])
        for f in findings
    )


def _recall_table(rows: list[tuple[str, int, int]], flagged: int, praised: int) -> str:
    lines = [f"{'theme':<24}{'conclusions':>12}{'found':>7}{'recall':>8}"]
    lines += [f"{name:<24}{total:>12}{hit:>7}{hit / total if total else 0:>8.2f}" for name, total, hit in rows]
    lines.append(f"praise entries {praised}, flagged {flagged}")
    return "\n".join(lines)


def test_engine_fidelity(request: pytest.FixtureRequest, qs_case: ValidatedCase, capsys) -> None:
    """Recall of the review's conclusions per theme, and praised things flagged, on the curated case."""
    pytest.importorskip("findings.engine")  # temporary: the engine is being written; remove once it has landed
    review = _load_review()
    index = document_index(CASE_DIR)
    names = _part_of_closure(qs_case)
    findings = engine_findings(request.getfixturevalue("embedded_qs"))
    found = {c["id"]: _is_found(c, findings, names, index) for c in review["conclusions"]}
    rows = []
    for theme in THEMES:
        mine = [c["id"] for c in review["conclusions"] if c["theme"] == theme]
        rows.append((theme, len(mine), sum(found[i] for i in mine)))
    decisions = [c["id"] for c in review["conclusions"] if c["kind"] != "other"]
    rows.append(("issue 13 kinds", len(decisions), sum(found[i] for i in decisions)))
    flagged = [p["id"] for p in review["praise"] if _is_flagged(p, findings, names)]
    with capsys.disabled():
        print("\n" + _recall_table(rows, len(flagged), len(review["praise"])))
        print("missed: " + " ".join(i for i, hit in found.items() if not hit))
        print("praise flagged: " + " ".join(flagged))
    recall = {name: hit / total if total else 1.0 for name, total, hit in rows}
    low = [f"{t} {recall[t]:.2f} < {m}" for t, m in RECALL_MIN.items() if recall[t] < m]
    if recall["issue 13 kinds"] < DECISION_KINDS_RECALL_MIN:
        low.append(f"issue 13 kinds {recall['issue 13 kinds']:.2f} < {DECISION_KINDS_RECALL_MIN}")
    assert not low, "recall below the kept thresholds: " + "; ".join(low)
    assert len(flagged) <= PRAISED_FLAGGED_MAX, f"{len(flagged)} praised things flagged: {flagged}"


def test_quote_normalisation_and_overlap() -> None:
    """The two small rules the measures rest on: quotes compare loosely on typography only, and periods overlap
    inclusively with open ends counting as open."""
    assert _normalised("the child’s  “home” – now") == _normalised('The child\'s "home" - now')
    assert _normalised("level of neglect") != _normalised("level of care")
    assert _overlaps(((date(2014, 12, 1), date(2014, 12, 31)),), "Dec 2014 – Feb 2015")
    assert not _overlaps(((date(2013, 1, 1), date(2013, 12, 31)),), "Dec 2014 – Feb 2015")
    assert _overlaps(((None, date(2015, 1, 1)),), "Dec 2014")
    assert _overlaps((), "Dec 2014")


def test_the_file_check_catches_what_it_should(qs_case: ValidatedCase) -> None:
    """A misquote, a ref the review does not have and an id the case does not have are each reported."""
    index = document_index(CASE_DIR)
    case_ids = {str(n.props["id"]) for n in qs_case.nodes}
    honest = {
        "id": "C999",
        "child": "S",
        "theme": "escalation",
        "kind": "challenge_not_escalated",
        "refs": ["¶126"],
        "subjects": ["AG31"],
        "quote": "The school verbally challenged the decision … did not activate the escalation policy.",
    }
    assert _check_entry(honest, CONCLUSION_FIELDS, index, case_ids) == []
    misquoted = honest | {"quote": "The school escalated the decision through the escalation policy."}
    unknown_ref = honest | {"refs": ["¶999"]}
    unknown_id = honest | {"subjects": ["AG31", "NOT-AN-ID"]}
    bad_id = honest | {"id": "X1"}
    for entry, says in (
        (misquoted, "quote fragment"),
        (unknown_ref, "paragraph index"),
        (unknown_id, "not ids in the curated case"),
        (bad_id, "C### or P###"),
    ):
        problems = _check_entry(entry, CONCLUSION_FIELDS, index, case_ids)
        assert problems and says in problems[0], problems


def test_part_of_counts_both_ways(qs_case: ValidatedCase) -> None:
    """A team counts for its force and the force for its team (transitively), but not a sibling team."""
    names = _part_of_closure(qs_case)
    assert names(frozenset({"AG-PF4"}), ["AG36"])  # the force for its CSE operation
    assert names(frozenset({"AG36"}), ["AG-PF4"])  # the operation for its force
    assert names(frozenset({"PF4"}), ["AG36"])  # AG36 → AG-PF4 → PF4
    assert not names(frozenset({"AG37"}), ["AG36"])  # two teams of one force are not each other
    assert not names(frozenset({"AG05"}), ["AG-PF1"])


def test_found_and_flagged_follow_the_rules(qs_case: ValidatedCase) -> None:
    """The two measures on hand-made findings: theme, child, subject (PART_OF either way), a shared paragraph
    (a range counts for the paragraphs in it); praise flagged only by a finding not downgraded, in its period."""
    index = document_index(CASE_DIR)
    names = _part_of_closure(qs_case)
    conclusion = {"theme": "information_sharing", "child": "Q", "subjects": ["AG36"], "refs": ["¶75"]}

    def finding(**change: object) -> SeenFinding:
        base = {
            "theme": "information_sharing",
            "children": frozenset({"Q"}),
            "subjects": frozenset({"AG-PF4"}),
            "evidence": ("¶74–76",),
            "spans": ((date(2014, 12, 1), date(2015, 1, 31)),),
            "downgraded": False,
        }
        return SeenFinding(**(base | change))

    assert _is_found(conclusion, [finding()], names, index)
    for miss in (
        {"theme": "escalation"},
        {"children": frozenset({"S"})},
        {"subjects": frozenset({"AG-PF1"})},
        {"evidence": ("¶77",)},
    ):
        assert not _is_found(conclusion, [finding(**miss)], names, index), miss
    praise = {"aspect": "sharing", "child": "Q", "subjects": ["AG36"], "period": "Dec 2014 – Feb 2015"}
    assert _is_flagged(praise, [finding()], names)
    assert not _is_flagged(praise, [finding(downgraded=True)], names)
    assert not _is_flagged(praise, [finding(spans=((date(2013, 1, 1), date(2013, 6, 30)),))], names)
    assert not _is_flagged(praise | {"aspect": "assessment"}, [finding()], names)
    assert _is_flagged(praise | {"aspect": "other"}, [finding()], names)
