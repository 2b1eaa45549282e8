"""Whether an attendance question is one a review panel could take (issue 12, fourth audit).

The engine asks "the review does not say whether <sector> was represented at <meetings>" only where
the record is silent. Two things make such a question one the panel would not take:

- **an imprecise window**: a series dated across more than a year (Child Q's missing-from-care strategy
  meetings, "Apr 2010 – Feb 2015") names no meeting the panel could look up; it is not asked;
- **an answer in the text**: the review records the sector taking part in the same process at that time,
  so the question is moot. Answers are read from records, never from words: the sector in the room
  (invited, attending, convening or formally requesting: ``Facts.in_room``) of meetings of the same kind
  throughout the time; or in the room of another meeting at the same time cited in the same or the next
  paragraph; or information the sector sent to the meeting itself; or the review's own account of who
  attends it, recorded as its excuse for absences from it (¶23: "the child makes the decision which
  professional attends the reviews"); or the review's praise of the meeting's attendance, or of the
  meeting as a whole (``counter.praise``, the theme's aspects).

A meeting's **process** is the meetings its decisions chain together (``RESPONDS_TO``: Child S's
strategy meeting of Jan 2015 decided to proceed to the child protection conference). Three more answers
(fifth audit) read it:

- **a process the review finds robust**: praise of its decisions or of it as a whole (GP21: "The Child
  Protection pathway was robust"; ¶140: it "appeared to work effectively") answers every sector at it;
- **the referrer**: a sector whose referral or information a decision of the process responds to (the
  school's Concern 11 contact, ¶131–¶132) took part in it;
- **working closely with the convenor**: a sector recorded sharing information both ways with the
  convenor's own service (its sector and area) at the time — ¶85's daily communication of the primary
  school and the local authority's residential care workers, "to manage the care plan".
"""

from __future__ import annotations

from datetime import date

from findings.compose import beside, overlaps, refs
from findings.context import RuleContext
from findings.counter import praise
from findings.model import Occurrence

PRECISE_DAYS = 366  # a window a panel can take: the meetings of at most a year
NOT_PASSED = ("not_shared", "unclear")  # a flow that did not reach, or may not have reached, the meeting


def precise(date_from: date | None, date_to: date | None) -> bool:
    """Both ends dated and at most a year apart."""
    return bool(date_from and date_to and (date_to - date_from).days <= PRECISE_DAYS)


def _throughout(other: dict, window: dict) -> bool:
    """The other record's period covers the whole window (open ends are open)."""
    return (other["date_from"] or date.min) <= (window["date_from"] or date.min) and (other["date_to"] or date.max) >= (
        window["date_to"] or date.max
    )


def answers(ctx: RuleContext, meeting: dict, sector: str, window: dict, others: list[dict]) -> list[str]:
    """Refs where the review answers whether ``sector`` was represented at ``meeting`` over ``window`` (its
    dates, as asked): ``others`` are the child's other held meetings a party could be recorded at. Empty:
    nothing answers it. Examples on Child Q & S: police are recorded at the missing/strategy meetings of
    Jul 2014 – Jan 2016 (¶158), so not asked at the strategy meetings of Dec 2014 and Jan 2015; ¶118's
    School Nurse–school liaison of Feb 2014 sits beside ¶119's CIN meeting of that month; the commissioned
    psychologist's concerns were put to the strategic planning meetings (¶39), which GP4 commends; the child
    chooses which professional attends the LAC reviews (¶23), so no sector is asked about them."""
    facts = ctx.facts
    found: list[str] = []
    for other in others:
        if other["meeting"] == meeting["meeting"] or sector not in {facts.sector(o) for o in facts.in_room(other)}:
            continue
        same_kind = other["kind"] == meeting["kind"] and _throughout(other, window)
        same_time = overlaps(other["date_from"], other["date_to"], window["date_from"], window["date_to"])
        if same_kind or (same_time and beside(other["evidence"], meeting["evidence"])):
            found.extend(other["evidence"])
    for flow in ctx.rows("child_flows"):
        if (
            flow["to_party"] == meeting["meeting"]
            and flow["status"] not in NOT_PASSED
            and facts.sector(facts.organisation(str(flow["from_party"]))) == sector
        ):
            found.extend(flow["evidence"])
    for absence in ctx.rows("did_not_attend"):
        if absence["meeting"] == meeting["meeting"] and absence["mitigation"]:
            found.extend(absence["absence_evidence"])
    asked = Occurrence(str(meeting["name"]), date_from=window["date_from"], date_to=window["date_to"])
    process = _process(ctx, str(meeting["meeting"]))
    for aspects in ("not_in_room", "decision_making"):  # its attendance, its decisions, it as a whole
        found.extend(praise(ctx, aspects, (), [asked], records=process))
    found.extend(_referred(ctx, process, sector))
    found.extend(_close_to_convenor(ctx, meeting, sector, window))
    return refs(found)


def _process(ctx: RuleContext, meeting: str) -> set[str]:
    """The meeting and every meeting its decisions chain it to, either way (a decision made at one that
    responds to another: the strategy meeting that decided on the conference, and the conference). Only
    meetings: a decision an agency made on a meeting does not make the agency's other work its process."""
    meetings = {str(m["meeting"]) for m in ctx.rows("child_meetings")}
    links = [
        (str(d), str(r))
        for row in ctx.rows("child_decisions")
        for d in row["deciders"]
        for r in row["responds_to"]
        if str(d) in meetings and str(r) in meetings
    ]
    process, grown = {meeting}, True
    while grown:
        more = {b for a, b in links if a in process} | {a for a, b in links if b in process}
        grown = not more <= process
        process |= more
    return process


def _referred(ctx: RuleContext, process: set[str], sector: str) -> list[str]:
    """Refs of the referrals and flows of the sector that a decision of the process responds to."""
    facts = ctx.facts
    led_to = {
        str(r)
        for row in ctx.rows("child_decisions")
        if set(map(str, row["deciders"])) & process
        for r in row["responds_to"]
    }
    found = [
        ref
        for row in ctx.rows("child_referrals")
        if row["referral"] in led_to and sector in {facts.sector(facts.organisation(str(s))) for s in row["senders"]}
        for ref in row["evidence"]
    ]
    found += [
        ref
        for flow in ctx.rows("child_flows")
        if flow["flow"] in led_to and facts.sector(facts.organisation(str(flow["from_party"]))) == sector
        for ref in flow["evidence"]
    ]
    return found


def _close_to_convenor(ctx: RuleContext, meeting: dict, sector: str, window: dict) -> list[str]:
    """Refs of information the sector and the convenor's own service (a party of a convenor's sector and area)
    shared both ways over the window: the record of working closely with the convenor at the time."""
    facts = ctx.facts
    convenors = [facts.organisation(str(p)) for p in meeting["convened"]]
    side = {(facts.sector(c), frozenset(facts.areas(c))) for c in convenors if facts.areas(c)}  # no area: no side

    def role(party: str) -> str:
        org = facts.organisation(party)
        if facts.sector(org) == sector and org not in convenors:
            return "sector"
        return "convenor" if (facts.sector(org), frozenset(facts.areas(org))) in side else ""

    shared = [
        f
        for f in ctx.rows("child_flows")
        if f["status"] == "shared"
        and f["to_kind"] == "party"
        and overlaps(f["date_from"], f["date_to"], window["date_from"], window["date_to"])
    ]
    ways: dict[tuple[str, str], list[str]] = {}
    for f in shared:
        ways.setdefault((role(str(f["from_party"])), role(str(f["to_party"]))), []).extend(f["evidence"])
    both = (("sector", "convenor"), ("convenor", "sector"))
    return [r for way in both for r in ways[way]] if all(way in ways for way in both) else []
