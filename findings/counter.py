"""Counter-evidence: what the review praises or mitigates for the same subject, aspect and time as a finding.

The praise is a good-practice point's, or a paragraph's (a Praise the review document GAVE, with the
review's words: ¶134's "clearly child centred" in the sentence that finds the missed escalation), and both
are read by the same rules below: where the review says it is no part of which rule applies.

A finding is never dropped for it, only shown downgraded ("but see ¶…"), and praise of another
aspect, another child or another time never touches it (docs/decisions.md, model point 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from findings.compose import beside, overlaps, refs
from findings.context import RuleContext
from findings.facts import Facts
from findings.model import Finding, Occurrence

# "other" is praise of practice in general (e.g. GP20: Social Work stability "having a positive impact on
# current frontline multi-agency safeguarding practice"). Praise of a party in general is context: it is not
# about the record a finding is about, so it never downgrades a specific failure (third audit: GP20/¶139 and
# GP15 were "but see" wherever CSC or Police Force 4 appeared). General praise of a record itself (a meeting,
# a flow: GP4's strategic planning, GP14's return process) still answers any theme about that record.
ASPECTS = {
    "not_in_room": {"attendance", "other"},
    "information_sharing": {"sharing", "other"},
    "escalation": {"escalation", "other"},
    "decision_making": {"assessment", "decision", "other"},
    "offender_contact": {"offender_disruption", "other"},
}


def _same_organisation(facts: Facts, target: str, orgs: set[str]) -> bool:
    """The praised party counts for its organisation (a team for its agency) — but praise of one
    practitioner, of any aspect, is not praise of their whole organisation: GP17's LAC social worker
    who "enhanced information sharing" from May 2015 does not answer ¶116's deficit in communication
    between the statutory and voluntary services, nor GP1/GP6's key social worker every CSC flow."""
    party = facts.parties.get(target)
    if party is None or facts.organisation(target) not in orgs:
        return False
    return party.label != "Professional"


@dataclass(frozen=True)
class _Scope:
    """What praise must be about to concern a finding: these targets (subjects, occurrences' records and the
    related records a rule names) or a party of these organisations, this child, these occurrences' times."""

    child: str | None
    targets: frozenset[str]
    orgs: frozenset[str]
    occurrences: tuple[Occurrence, ...]


def _scope(
    ctx: RuleContext,
    subjects: Iterable[str],
    occurrences: Iterable[Occurrence],
    records: Iterable[str],
    listed_parties: bool = True,
) -> _Scope:
    """Without ``listed_parties``, a party as an occurrence's record (never_knew lists who did not know) is who,
    not what: for "but see", praise of its sharing elsewhere (GP17/¶179's cross-boundary coordination) is not about
    the family's non-notification; beside it as context ("see also", another aspect: ¶15 by PF4) it still is."""
    subjects, occurrences = set(subjects), tuple(occurrences)
    listed = {o.record for o in occurrences if o.record and (listed_parties or o.record not in ctx.facts.parties)}
    targets = subjects | listed | set(records)
    orgs = {ctx.facts.organisation(s) for s in subjects if s in ctx.facts.parties}
    return _Scope(ctx.child, frozenset(targets), frozenset(orgs), occurrences)


def _about_subject(ctx: RuleContext, row: dict[str, object], scope: _Scope) -> bool:
    """The link's target is in the scope (or of the same organisation as a subject party); about this child
    (or no child in particular); over a period overlapping an occurrence (no period: the whole review).
    Aspect aside, what makes praise about a finding's subject and time, for "but see" and context alike."""
    if row["child"] and scope.child and row["child"] != scope.child:
        return False
    target = str(row["target"])
    if target not in scope.targets and not _same_organisation(ctx.facts, target, scope.orgs):
        return False
    whole_review = row["period_from"] is None and row["period_to"] is None
    return whole_review or any(
        overlaps(row["period_from"], row["period_to"], o.date_from, o.date_to) for o in scope.occurrences
    )


def _praise_candidates(ctx: RuleContext, scope: _Scope) -> Iterator[dict[str, object]]:
    """The case's praise rows ``_about_subject`` can hold for: aimed at a target in the scope or at a party
    of one of its organisations (``_same_organisation``). Over a caseload every finding read every praise
    row of the case; callers still apply every test and sort what they find (``refs``), so order is no matter."""
    by_target, by_organisation = _praise_index(ctx)
    targets = set(scope.targets).union(*(by_organisation.get(o, ()) for o in scope.orgs))
    for target in targets:
        yield from by_target.get(target, ())


def _praise_index(ctx: RuleContext) -> tuple[dict[str, list[dict[str, object]]], dict[str, set[str]]]:
    """Target → its praise rows, and organisation → the praised parties that count for it (not one
    practitioner: ``_same_organisation``); built once per case in the cache the engine's contexts share."""
    key = ("praises", "by target")
    if key not in ctx._cache:
        by_target: dict[str, list[dict[str, object]]] = {}
        for row in ctx.rows("praises"):
            by_target.setdefault(str(row["target"]), []).append(row)
        by_organisation: dict[str, set[str]] = {}
        for target in by_target:
            party = ctx.facts.parties.get(target)
            if party is not None and party.label != "Professional":
                by_organisation.setdefault(ctx.facts.organisation(target), set()).add(target)
        ctx._cache[key] = (by_target, by_organisation)
    return ctx._cache[key]


def _general_praise_of_a_party(ctx: RuleContext, row: dict[str, object]) -> bool:
    """Praise of a party's practice as a whole ("other"): context beside its specific failures, never their
    "but see" (docs/decisions.md, third pass)."""
    return row["aspect"] == "other" and row["target"] in ctx.facts.parties


def praise(
    ctx: RuleContext,
    theme: str,
    subjects: Iterable[str],
    occurrences: list[Occurrence],
    records: Iterable[str] = (),
) -> list[str]:
    """Refs of praises (Praise nodes) of the theme's aspect about the finding's subject and time (``_about_subject``):
    its counter-evidence, shown as "but see"."""
    scope = _scope(ctx, subjects, occurrences, records, listed_parties=False)
    found = [
        r
        for row in _praise_candidates(ctx, scope)
        if row["aspect"] in ASPECTS[theme]
        and not _general_praise_of_a_party(ctx, row)
        and _about_subject(ctx, row, scope)
        for r in row["evidence"]
    ]
    return refs(found)


def nearby(ctx: RuleContext, finding: Finding) -> list[str]:
    """Refs of the review's praise of the finding's subject and time, of another aspect or of the party's
    practice as a whole, stated in the finding's own paragraphs or the next or previous one: context shown
    beside it ("see also"), never a downgrade (¶15's "Offender disruption strategies were underway" beside
    what was not known then). Praise of a record the finding lists as an occurrence is context wherever the
    review states it: ¶140/GP21 praise the child protection process whose conference a not-in-room finding lists
    (u-juxta). A mitigation of another aspect excuses another failing, so it is not shown; nor is what is already
    counter-evidence."""
    listed = {o.record for o in finding.occurrences if o.record and o.record not in ctx.facts.parties}
    scope = _scope(ctx, finding.at_fault, finding.occurrences, ())
    found = [
        r
        for row in _praise_candidates(ctx, scope)
        if row["kind"] == "praise"
        and (row["aspect"] not in ASPECTS[finding.theme] or _general_praise_of_a_party(ctx, row))
        and (beside(finding.evidence, row["evidence"]) or row["target"] in listed)
        and _about_subject(ctx, row, scope)
        for r in row["evidence"]
    ]
    return [r for r in refs(found) if r not in finding.counter_evidence]
