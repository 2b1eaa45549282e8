"""Cross-checks of agency chronologies against each other, as lines of enquiry (issue 16).

A chronology is selective: an entry one agency never made is a question to put to it, not proof
that nothing happened. So every check here is a ``Question``, except where the silent agency's
return declares itself complete for the period in question: then it is an ``inferred`` finding.
Each cites both agencies' rows — the row that records the event, and the rows of the other
agency's return either side of where its entry would be — so a reviewer can open both.

A pure function of the reconciled records (``loaders.chronologies``); the rule module that runs it
over a loaded case is ``findings/rules/crosscheck.py`` once the engine's rules are registered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from findings.model import Finding, Occurrence, Question
from loaders.chronologies import Imported, composite
from loaders.chronologies.reader import Entry
from loaders.chronologies.reconcile import Record, lag_days, window
from loaders.dates import DateError, parse_date
from loaders.safety import printable

MAX_REFS = 12  # an agency named in fifty rows is cited by its first dozen


@dataclass
class _Context:
    imported: Imported
    child: str

    def name(self, agency: str) -> str:
        return self.imported.chron.lexicon.agencies[agency].name

    def returned(self, agency: str) -> bool:
        return self.imported.chron.return_of(agency) is not None

    def complete_for(self, agency: str, span: tuple[date, date]) -> bool:
        """Whether the agency's return declares itself complete for every day of ``span``."""
        found = self.imported.chron.return_of(agency)
        if found is None or found.agency != agency or not found.complete:
            return False
        try:
            declared = parse_date(found.complete)
        except DateError:
            return False
        return (declared.earliest or date.min) <= span[0] and span[1] <= (declared.latest or date.max)

    def around(self, agency: str, span: tuple[date, date]) -> list[str]:
        """The agency's rows either side of ``span``: where an entry would have been."""
        rows = sorted(
            (e for e in self.imported.chron.entries if e.agency == agency and e.date.earliest),
            key=lambda e: (e.date.earliest, e.row),
        )
        before = [e for e in rows if e.date.earliest < span[0]]
        after = [e for e in rows if e.date.earliest > span[1]]
        inside = [e for e in rows if span[0] <= e.date.earliest <= span[1]]
        picked = before[-1:] + inside + after[:1]
        return [e.ref for e in picked] or [f"{self.doc(agency)} (no dated rows)"]

    def doc(self, agency: str) -> str:
        found = self.imported.chron.return_of(agency)
        return found.doc if found else agency


def _brief(text: str, limit: int = 100) -> str:
    """The start of a row's words, cut at a word, for a statement."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _occurrence(what: str, e: Entry, refs: list[str], record: str) -> Occurrence:
    return Occurrence(what, e.date.text, e.date.earliest, e.date.latest, tuple(refs), record)


def _claim(
    ctx: _Context, silent: str, span: tuple[date, date], theme: str, rule: str, statement: str, **kw: object
) -> Finding | Question:
    """An inferred finding where the silent agency declares its return complete for the span."""
    subjects = tuple(kw.pop("subjects"))  # type: ignore[arg-type]
    children = (ctx.child,)
    if ctx.complete_for(silent, span):
        statement += " Its return declares itself complete for this period, so the absence is inferred."
        return Finding(theme, rule, "inferred", statement, children, subjects, **kw)  # type: ignore[arg-type]
    return Question(theme, rule, statement, children, subjects, **kw)  # type: ignore[arg-type]


def _ordered(record: Record) -> list[Entry]:
    """A record's accounts by return and row, so the same case read from files or from the store
    gives the same lines, citing the same rows first."""
    return sorted(record.accounts, key=lambda e: (e.doc, e.row))


def _one_sided(ctx: _Context, record: Record) -> Iterator[Finding | Question]:
    """A flow or referral only one side records: sent with no receipt, or received with no sending."""
    e = record.accounts[0]
    other = e.counterparts[0] if e.counterparts else None
    if len(record.accounts) > 1 or other is None or not ctx.returned(other):
        return
    what = "information" if record.kind == "flow" else "a referral"
    if e.direction == "received":
        span = window(e, before=lag_days(e.channel), after=1)
        rule, verb, missing = "received_not_sent", "receiving", "sending it"
    else:
        span = window(e, before=1, after=lag_days(e.channel))
        rule, verb, missing = "sent_not_received", "sending", f"receiving it within {lag_days(e.channel)} days"
        verb = "discussing" if e.direction == "discussed" else verb
    refs = [e.ref, *ctx.around(other, span)]
    preposition = "from" if e.direction == "received" else "to"
    statement = (
        f"{ctx.name(e.agency)}'s chronology records {verb} {what} {preposition} {ctx.name(other)} on {e.date.text} "
        f"({e.ref}: {_brief(e.details)}); {ctx.name(other)}'s chronology has no record of {missing}."
    )
    occurrence = _occurrence(e.details[:120], e, refs, record.id)
    yield _claim(
        ctx,
        other,
        span,
        "information_sharing",
        rule,
        statement,
        subjects=(record.id, e.agency, other),
        occurrences=[occurrence],
        evidence=refs,
    )


def _unmentioned_attendance(ctx: _Context, record: Record) -> Iterator[Finding | Question]:
    """A meeting one agency says another attended, which that agency's chronology never mentions."""
    reporters = record.agencies
    for e in _ordered(record):
        for attendee in e.attendees:
            if attendee in reporters or not ctx.returned(attendee):
                continue
            span = window(e)
            refs = [e.ref, *ctx.around(attendee, span)]
            statement = (
                f"{ctx.name(e.agency)}'s chronology records {ctx.name(attendee)} at the "
                f"{record.accounts[0].subkind.replace('_', ' ')} on {e.date.text} ({e.ref}); "
                f"{ctx.name(attendee)}'s chronology does not mention the meeting."
            )
            occurrence = _occurrence(f"{attendee} recorded as attending", e, refs, record.id)
            yield _claim(
                ctx,
                attendee,
                span,
                "not_in_room",
                "attended_not_mentioned",
                statement,
                subjects=(record.id, attendee),
                occurrences=[occurrence],
                evidence=refs,
            )
            reporters = reporters | {attendee}


def _no_return(ctx: _Context, records: list[Record]) -> Iterator[Question]:
    """Agencies other agencies record as involved that returned no chronology."""
    named: dict[str, list[Entry]] = {}
    for record in records:
        for e in record.accounts:
            for agency in {*e.counterparts, *e.attendees} - {e.agency}:
                named.setdefault(agency, []).append(e)
    for agency, entries in sorted(named.items()):
        if ctx.returned(agency):
            continue
        refs = sorted({e.ref for e in entries})[:MAX_REFS]
        by = sorted({ctx.name(e.agency) for e in entries})
        who = " and ".join([", ".join(by[:-1]), by[-1]] if len(by) > 1 else by)
        statement = (
            f"{ctx.name(agency)} returned no chronology, but {who} record it as involved "
            f"({len(entries)} row(s): {', '.join(refs[:4])}{'…' if len(refs) > 4 else ''})."
        )
        occurrences = [_occurrence(e.details[:120], e, [e.ref], "") for e in entries[:MAX_REFS]]
        yield Question(
            "information_sharing",
            "no_chronology_returned",
            statement,
            (ctx.child,),
            (agency,),
            occurrences=occurrences,
            evidence=refs,
        )


def _no_outcome(ctx: _Context, record: Record) -> Iterator[Question]:
    if record.kind != "referral" or any(e.subkind != "unknown" for e in record.accounts):
        return
    e = _ordered(record)[0]
    to = e.counterparts[0] if e.counterparts else e.agency
    refs = [a.ref for a in _ordered(record)]
    sides = " and ".join(sorted({ctx.name(a.agency) for a in record.accounts} | {ctx.name(to)}))
    statement = (
        f"The referral of {e.date.text} ({', '.join(refs)}: {_brief(e.details)}) has no recorded outcome "
        f"in the chronologies of {sides}."
    )
    yield Question(
        "decision_making",
        "referral_no_outcome",
        statement,
        (ctx.child,),
        (record.id,),
        occurrences=[_occurrence(e.details[:120], e, refs, record.id)],
        evidence=refs,
    )


def cross_check(imported: Imported) -> list[Finding | Question]:
    """Every line of enquiry the returns raise against each other, in date order of the rows cited."""
    ctx = _Context(imported, imported.chron.spec.child.get("id", "child"))
    found: list[Finding | Question] = []
    for record in imported.records:
        if record.kind in ("flow", "referral"):
            found += _one_sided(ctx, record)
            found += _no_outcome(ctx, record)
        elif record.kind == "meeting":
            found += _unmentioned_attendance(ctx, record)
    found += _no_return(ctx, imported.records)
    return sorted(found, key=lambda f: (f.occurrences[0].date_from or date.max) if f.occurrences else date.max)


def as_yaml(found: Iterable[Finding | Question]) -> list[dict[str, object]]:
    """The reviewable form: id, kind, rule, basis, statement and the rows it cites."""
    return [
        {
            "id": f.id,
            "kind": "finding" if isinstance(f, Finding) else "question",
            "theme": f.theme,
            "rule": f.rule,
            **({"basis": f.basis} if isinstance(f, Finding) else {}),
            "statement": f.statement,
            "cites": list(f.evidence),
        }
        for f in found
    ]


def summary_text(imported: Imported, found: list[Finding | Question], show_composite: bool) -> str:
    """What an import read and proposed, the composite chronology if asked, and each line of enquiry
    with the rows it cites: the command line's account of ``cross_check`` before anything is loaded."""
    kinds = Counter(r.kind for r in imported.records)
    merged = [r for r in imported.records if len(r.accounts) > 1]
    extracted = sum(e.extracted for e in imported.chron.entries)
    lines = [
        f"read {len(imported.chron.returns)} returns, {len(imported.chron.entries):,} rows "
        f"({extracted:,} meetings, flows or referrals proposed from the details text, marked extracted): "
        + ", ".join(f"{n} {k}s" for k, n in sorted(kinds.items())),
        f"{len(merged)} merges proposed across agencies "
        f"({sum(bool(r.conflicts) for r in merged)} with conflicts; see review/reconcile.yaml)",
    ]
    if show_composite:
        for row in composite(imported.records):
            cells = (row["date"], row["agency"], row["row"], row["kind"], str(row["details"])[:70])
            lines.append(printable("  {:<16} {:<12} {:<24} {:<22} {}".format(*cells)))
    lines.append(f"{len(found)} cross-check line(s) of enquiry:")
    for f in found:
        basis = f"finding ({f.basis})" if isinstance(f, Finding) else "question"
        lines.append(f"  [{basis}] {printable(f.statement)}")
        lines.append(f"      cites: {printable(', '.join(f.evidence))}")
    return "\n".join(lines)
