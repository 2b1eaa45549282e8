"""The rule-based reader: what a chronology row says happened — a meeting, a flow of information,
a referral or another event — with who was there, which way information went and how.

Columns say it where a return has them (event type, attended by, shared with); where a row has
only date, details and outcome, the keyword rules of ``rules.yaml`` read the details and the
result is marked ``extracted`` for the reviewer to confirm. The rules are data, so a partnership
adds its own words without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from loaders.chronologies.agencies import Lexicon
from loaders.chronologies.mapping import HERE
from loaders.dates import DateSpan


@dataclass(frozen=True)
class Rules:
    meetings: tuple[tuple[str, re.Pattern[str]], ...]
    events: tuple[tuple[str, re.Pattern[str]], ...]
    outcomes: tuple[tuple[str, re.Pattern[str]], ...]
    channels: tuple[tuple[str, re.Pattern[str]], ...]
    patterns: dict[str, re.Pattern[str]]
    lag_days: dict[str, int]


@cache
def rules() -> Rules:
    data = yaml.safe_load((HERE / "rules.yaml").read_text(encoding="utf-8"))

    def listed(key: str, name: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((r[name], re.compile(r["pattern"], re.I)) for r in data[key])

    singles = ("attendance_complete", "not_present", "attendee_list", "referral_sent", "referral_received")
    singles += ("flow_sent", "flow_received", "flow_discussed")
    return Rules(
        listed("meetings", "kind"),
        listed("events", "kind"),
        listed("referral_outcomes", "outcome"),
        listed("channels", "channel"),
        {k: re.compile(data[k], re.I) for k in singles},
        dict(data["lag_days"]),
    )


def _first(table: tuple[tuple[str, re.Pattern[str]], ...], *texts: str) -> str | None:
    for text in texts:
        for value, pattern in table:
            if text and pattern.search(text):
                return value
    return None


@dataclass
class Entry:
    """One row of one agency's return, as read: the seed of an Account."""

    doc: str  # the SourceDocument id of the return
    file: str
    agency: str
    row: int
    date: DateSpan
    cells: dict[str, str]
    kind: str = "event"  # meeting | flow | referral | event
    subkind: str = "other"  # Meeting.kind, Event.kind or Referral.outcome
    direction: str = "reported"  # Account.direction
    channel: str | None = None
    counterparts: tuple[str, ...] = ()  # the agencies it went to or came from
    attendees: tuple[str, ...] = ()  # agencies this agency recorded as present
    attendees_text: tuple[str, ...] = ()
    attendance_complete: bool = False
    present: bool = True  # the reporting agency was in the room
    extracted: bool = False

    @property
    def ref(self) -> str:
        return f"{self.doc} row {self.row}"

    @property
    def details(self) -> str:
        return self.cells.get("details", "")


def read_entry(entry: Entry, lexicon: Lexicon) -> None:
    """Fill in what the row says happened, from its columns first and its details text second."""
    r = rules()
    cells = entry.cells
    etype, details, outcome = cells.get("event_type", ""), entry.details, cells.get("outcome", "")
    text = f"{details} {outcome}"
    others = tuple(a for a in lexicon.mentioned(text) if a != entry.agency)
    shared = tuple(a for a in lexicon.resolve_list(cells.get("shared_with", "")) if a != entry.agency)
    if meeting := _first(r.meetings, etype, details):
        _meeting(entry, meeting, lexicon, from_columns=bool(_first(r.meetings, etype) or cells.get("attended_by")))
    elif r.patterns["referral_received"].search(f"{etype} {details}"):
        entry.kind, entry.direction, entry.counterparts, entry.extracted = "referral", "received", others, True
    elif r.patterns["referral_sent"].search(f"{etype} {details}") or (shared and re.search("referr", etype, re.I)):
        entry.kind, entry.direction = "referral", "sent"
        entry.counterparts = shared or others
        entry.extracted = not shared
    elif shared:
        entry.kind, entry.direction, entry.counterparts = "flow", "sent", shared
    elif others and (direction := _flow_direction(text)):
        entry.kind, entry.direction, entry.counterparts, entry.extracted = "flow", direction, others, True
    else:
        entry.subkind = _first(r.events, etype, details) or "other"
        return
    if entry.kind == "referral":
        entry.subkind = _first(r.outcomes, outcome, details) or "unknown"
    if entry.kind in ("flow", "referral"):
        entry.channel = _first(r.channels, etype, details)


def _flow_direction(text: str) -> str | None:
    p = rules().patterns
    for direction in ("discussed", "received", "sent"):
        if p[f"flow_{direction}"].search(text):
            return direction
    return None


def _meeting(entry: Entry, kind: str, lexicon: Lexicon, from_columns: bool) -> None:
    p = rules().patterns
    entry.kind, entry.subkind = "meeting", kind
    listed = entry.cells.get("attended_by", "")
    if not listed and (m := p["attendee_list"].search(entry.details)):
        listed = m.group("list")
    if listed:
        entry.attendees_text = tuple(s.strip() for s in re.split(r"[,;]", listed) if s.strip())
        named = lexicon.resolve_list(listed) if entry.cells.get("attended_by") else lexicon.mentioned(listed)
        entry.attendees = tuple(named)
    entry.present = not p["not_present"].search(entry.details)
    entry.direction = "attended" if entry.present else "discussed"
    if entry.present and entry.agency not in entry.attendees:
        entry.attendees = (entry.agency, *entry.attendees)
    entry.attendance_complete = bool(p["attendance_complete"].search(entry.details))
    entry.extracted = not from_columns
