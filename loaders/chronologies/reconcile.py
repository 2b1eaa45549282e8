"""Several agencies' accounts of one meeting, flow or referral → one record, with every account kept.

Merges are proposed, never imposed: each says why (same kind, dates within what each account's
precision allows, participants that agree), and a reviewer's ``reconcile.yaml`` can confirm or
split it. A decision is keyed by the rows it is about ("chron-police row 14"), so it survives
re-importing the same returns. Where merged accounts disagree (dates, who was there) the
disagreement is listed as a conflict; no account is preferred.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from loaders.chronologies.reader import Entry, rules
from loaders.records import Location, Problem, parse_structured

DECISIONS = ("proposed", "confirmed", "split")
APPROXIMATE_DAYS = 7  # "?22 May 2016": the agency was unsure by about a week either way
_SAME_MEETING = {"strategy_meeting": "strategy_discussion"}


@dataclass
class Record:
    """A merged meeting, flow, referral or event and the accounts it is made of."""

    kind: str
    accounts: list[Entry]
    reasons: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    decision: str = "proposed"

    @property
    def id(self) -> str:
        first = min(self.accounts, key=lambda e: (e.doc, e.row))
        return f"{self.kind[:3]}-{first.doc.removeprefix('chron-')}-r{first.row}"

    @property
    def merge_key(self) -> tuple[str, ...]:
        return tuple(sorted(e.ref for e in self.accounts))

    @property
    def merge_id(self) -> str:
        return "merge-" + hashlib.sha1("|".join(self.merge_key).encode(), usedforsecurity=False).hexdigest()[:10]

    @property
    def agencies(self) -> set[str]:
        return {e.agency for e in self.accounts}


def window(entry: Entry, before: int = 0, after: int = 0) -> tuple[date, date]:
    """The days an account can mean, widened by ``before``/``after`` (an unknown date: any day)."""
    slack = APPROXIMATE_DAYS if entry.date.precision == "approximate" else 0
    lo = entry.date.earliest or date.min + timedelta(days=4000)
    hi = entry.date.latest or date.max - timedelta(days=4000)
    return lo - timedelta(days=slack + before), hi + timedelta(days=slack + after)


def _overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def lag_days(channel: str | None) -> int:
    table = rules().lag_days
    return table.get(channel or "default", table["default"])


def _meeting_match(group: Record, e: Entry) -> list[str] | None:
    """Why ``e`` is the same meeting as the group's, or None."""
    first = group.accounts[0]
    if e.agency in group.agencies or e.date.precision == "unknown":
        return None
    kinds = {_SAME_MEETING.get(k, k) for k in (first.subkind, e.subkind)}
    if len(kinds) > 1 and "other" not in kinds:
        return None
    if not all(_overlap(window(a), window(e)) for a in group.accounts):
        return None
    named = set().union(*(a.attendees for a in group.accounts))
    if e.attendees and named and not (set(e.attendees) & named):
        return None
    return [
        f"{e.ref}: same kind ({e.subkind})",
        f"{e.ref}: date {e.date.text!r} within the precision of {first.ref} {first.date.text!r}",
        f"{e.ref}: participants agree ({', '.join(sorted(set(e.attendees) & named)) or 'none listed'})",
    ]


def _pair_match(sent: Entry, other: Entry) -> list[str] | None:
    """Why ``other`` (the counterpart's account) records the same flow or referral as ``sent``."""
    if other.kind != sent.kind or other.agency not in sent.counterparts or sent.agency not in other.counterparts:
        return None
    if other.direction not in ("received", "discussed") or other.date.precision == "unknown":
        return None
    lag = lag_days(sent.channel)
    if not _overlap(window(sent, before=1, after=lag), window(other)):
        return None
    return [f"{other.ref} records receiving from {sent.agency} within {lag} days of {sent.ref}"]


def propose(entries: list[Entry]) -> list[Record]:
    """Every account in exactly one record; accounts that match are proposed as one."""
    records: list[Record] = []
    ordered = sorted(entries, key=lambda e: (window(e)[0], e.doc, e.row))
    meetings: list[Record] = []
    taken: set[int] = set()
    for e in ordered:
        if e.kind == "meeting":
            for group in meetings:
                if (why := _meeting_match(group, e)) is not None:
                    group.accounts.append(e)
                    group.reasons += why
                    break
            else:
                meetings.append(Record("meeting", [e]))
    records += meetings
    for e in ordered:
        if e.kind not in ("flow", "referral") or id(e) in taken or e.direction != "sent":
            continue
        record = Record(e.kind, [e])
        for other in ordered:
            if id(other) not in taken and other is not e and (why := _pair_match(e, other)):
                record.accounts.append(other)
                record.reasons += why
                taken.add(id(other))
                break
        taken.add(id(e))
        records.append(record)
    records += [Record(e.kind, [e]) for e in ordered if e.kind in ("flow", "referral") and id(e) not in taken]
    records += [Record("event", [e]) for e in ordered if e.kind == "event"]
    for record in records:
        record.conflicts = conflicts(record)
    return records


def conflicts(record: Record) -> list[str]:
    """Where the accounts of one record disagree: dates that do not nest, different attendance lists."""
    found = []
    accounts = record.accounts
    for i, a in enumerate(accounts):
        for b in accounts[i + 1 :]:
            wa, wb = (a.date.earliest, a.date.latest), (b.date.earliest, b.date.latest)
            nested = None not in wa + wb and (wa[0] <= wb[0] <= wb[1] <= wa[1] or wb[0] <= wa[0] <= wa[1] <= wb[1])
            if record.kind in ("meeting", "event") and not nested:
                found.append(f"dates differ: {a.ref} {a.date.text!r}, {b.ref} {b.date.text!r}")
            if (
                record.kind == "meeting"
                and a.attendees_text
                and b.attendees_text
                and set(a.attendees) != set(b.attendees)
            ):
                found.append(
                    f"attendance differs: {a.ref} lists {', '.join(sorted(a.attendees))}; "
                    f"{b.ref} lists {', '.join(sorted(b.attendees))}"
                )
    return found


def read_decisions(path: Path) -> tuple[dict[tuple[str, ...], str], list[Problem]]:
    """A reviewer's decisions: the sorted rows of a merge → confirmed | split | proposed."""
    if not path.exists():
        return {}, []
    data, problems = parse_structured(path)
    if data is None:
        return {}, problems
    decisions: dict[tuple[str, ...], str] = {}
    for item in data.get("merges") or []:
        where = Location(str(path), line=item.get("__line__") if isinstance(item, dict) else None)
        accounts = item.get("accounts") if isinstance(item, dict) else None
        decision = item.get("decision") if isinstance(item, dict) else None
        if not isinstance(accounts, list) or not all(isinstance(a, str) for a in accounts) or len(accounts) < 2:
            problems.append(Problem(where, "accounts", accounts, "a list of at least two rows ('chron-police row 14')"))
        elif decision not in DECISIONS:
            problems.append(Problem(where, "decision", decision, "one of " + ", ".join(DECISIONS)))
        else:
            decisions[tuple(sorted(accounts))] = decision
    return decisions, problems


def apply_decisions(records: list[Record], decisions: dict[tuple[str, ...], str]) -> list[Record]:
    """Split what the reviewer split (each account its own record again); mark what they confirmed."""
    out: list[Record] = []
    for record in records:
        decision = decisions.get(record.merge_key, "proposed") if len(record.accounts) > 1 else "proposed"
        if decision == "split":
            out += [Record(record.kind, [e], decision="split") for e in record.accounts]
            continue
        record.decision = decision
        out.append(record)
    return out


def decisions_yaml(records: list[Record], decisions: dict[tuple[str, ...], str]) -> dict[str, object]:
    """The reviewable file: every proposed merge, its reasons, conflicts and decision so far (a
    split merge stays listed, so writing the file again keeps the reviewer's decision)."""
    merges = [
        {
            "id": r.merge_id,
            "record": r.id,
            "kind": r.kind,
            "accounts": list(r.merge_key),
            "decision": r.decision,
            "reasons": r.reasons,
            "conflicts": r.conflicts,
        }
        for r in records
        if len(r.accounts) > 1
    ]
    merges += [{"accounts": list(key), "decision": "split"} for key, d in decisions.items() if d == "split"]
    return {"merges": merges}
