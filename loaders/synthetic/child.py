"""One synthetic child's records: family, placements, what agencies held and shared, meetings,
referrals, events and contacts with persons of concern."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.synthetic.shared import _Area, _Generator
from loaders.synthetic.tables import (
    CHANNELS,
    DNA_REASONS,
    EVENT_KINDS,
    FIRST_MONTH,
    FLOW_STATUSES,
    HUB_SHARE,
    ITEMS,
    MEETING_KINDS,
    MEETING_NAMES,
    PLACEMENT_KINDS,
    REFERRAL_OUTCOMES,
    VENUES,
    Records,
    _day,
    _heavy,
    _month,
    _period,
    _pick,
)


@dataclass
class _Party:
    """An agency or professional involved with a child over months [start, end]."""

    id: str
    sector: str
    kind: str
    start: int
    end: int
    role: str
    out_of_area: bool = False


class _Child:
    """One child's records. The first child carries every pattern the questions look for (and the
    second shares a person of concern with it), so that even a ten-child case answers them all."""

    def __init__(self, g: _Generator, i: int, out: Records) -> None:
        self.g, self.rng, self.out, self.i = g, g.rng, out, i
        self.first = i == 0
        self.id = f"{g.p}C{i + 1:05d}"
        para = 100 + i * 8
        self.ref = [f"¶{para + k}" for k in range(8)]
        self.home = g.areas[i * len(g.areas) // g.children]
        self.start = FIRST_MONTH + self.rng.randrange(72)
        self.end = self.start + self.rng.randint(30, 48)
        self.csc = self.home.agencies["CSC"][0]
        self.sw = self.csc.staff[2 + self.rng.randrange(len(self.csc.staff) - 2)]  # after manager and IRO
        self.mother = f"{self.id}-FM1"
        self.parties: list[_Party] = []
        self.segments: list[tuple[_Area, int, int]] = []
        self.items: list[tuple[str, str, str, int]] = []  # id, name, holder, month
        self.meetings: list[tuple[str, int]] = []
        self.flows = 0

    def build(self) -> None:
        self.family()
        self.placements()
        self.information()
        self.meetings_held()
        self.sharing()
        self.referrals()
        self.events()
        self.contacts()

    def node(self, label: str, id_: str, source: str, **props: object) -> None:
        self.g.node(self.out, label, id_, source, **props)

    def edge(self, etype: str, src: str, dst: str, source: str, **props: object) -> None:
        self.g.edge(self.out, etype, src, dst, source, **props)

    def active(self, t: int) -> list[_Party]:
        return [x for x in self.parties if x.start <= t <= x.end]

    def area_at(self, t: int) -> _Area:
        return next((ar for ar, a, b in self.segments if a <= t <= b), self.home)

    def month_in(self, lo: int, hi: int) -> int:
        return lo + self.rng.randrange(max(1, hi - lo))

    def family(self) -> None:
        rng, n = self.rng, self.i + 1
        self.node(
            "Child",
            self.id,
            f"{self.ref[0]}, {self.ref[1]}",
            name=f"Child {n}",
            born=str(self.start // 12 - rng.randint(8, 13)),
            responsible_area=self.home.id,
            legal_status=rng.choice(("looked after", "CP plan", "CIN plan")),
        )
        for k, (rel, prob) in enumerate((("mother", 1.0), ("maternal grandmother", 0.4), ("father", 0.2))):
            if rng.random() < prob:
                fid = f"{self.id}-FM{k + 1}"
                self.node("FamilyMember", fid, self.ref[0], name=f"Child {n}'s {rel}", relationship=rel)
                self.edge("RELATED_TO", fid, self.id, self.ref[0], relationship=rel)

    def placements(self) -> None:
        """Home first, then moves, often out of area; the agencies of each place get involved."""
        rng, g, home, ref = self.rng, self.g, self.home, self.ref[1]
        self.parties.append(_Party(self.csc.id, "social_care", "CSC", self.start, self.end, "placing authority"))
        self.parties.append(
            _Party(
                self.sw, "social_care", "SW", self.month_in(self.start, self.start + 6), self.end, "key social worker"
            )
        )
        n_place = 3 if self.first else _pick(rng, ((1, 20), (2, 35), (3, 30), (4, 15)))[0]
        bounds = [self.start, *sorted(rng.sample(range(self.start + 1, self.end), n_place - 1)), self.end]
        for k in range(n_place):
            a, b = bounds[k], bounds[k + 1]
            if k == 0:
                area, kind = home, "family_home"
            else:
                out_of_area = (self.first and k == 1) or rng.random() < 0.4
                away = g.areas[(home.index + rng.randint(1, min(3, len(g.areas) - 1))) % len(g.areas)]
                area = away if out_of_area else home
                kind = _pick(rng, PLACEMENT_KINDS)[0]
            plid = f"{self.id}-PL{k + 1}"
            name = "Family home" if kind == "family_home" else kind.replace("_", " ").capitalize() + " placement"
            self.node("Placement", plid, ref, name=f"{name} (Area {area.index + 1})", kind=kind)
            self.edge("LOCATED_IN", plid, area.id, ref)
            last = k == n_place - 1
            self.edge(
                "PLACED_AT",
                self.id,
                plid,
                ref,
                period=_period(a, None if last and rng.random() < 0.3 else b),
                ended=None if last else rng.choice(("placement breakdown", "planned move", "secure order")),
            )
            if kind != "family_home":
                provider = area.one(rng, "FOST" if "foster" in kind else "HOME")
                self.edge("PROVIDED_BY", plid, provider.id, ref)
                self.parties.append(
                    _Party(provider.id, "social_care", provider.kind, a, b, "placement", area is not home)
                )
            self.segments.append((area, a, b))
            for code, prob, role in (
                ("GP", 1.0, "GP"),
                ("SCH", 1.0, "school"),
                ("POL", 0.45, "missing episodes"),
                ("CAMHS", 0.2, "mental health"),
                ("SN", 0.15, "school nursing"),
            ):
                if (self.first and code == "POL") or rng.random() < prob:
                    ag = area.one(rng, code)
                    self.parties.append(_Party(ag.id, ag.sector, code, a, b, role, area is not home))
        self.parties = _merge(self.parties)
        for x in self.parties:
            self.edge("INVOLVED_WITH", x.id, self.id, self.ref[2], period=_period(x.start, x.end), role=x.role)

    def information(self) -> None:
        """Facts agencies held, from the first half of the period (so meetings come after)."""
        rng, ref = self.rng, self.ref[4]
        n_items = 2 if self.first else _pick(rng, ((1, 30), (2, 45), (3, 25)))[0]
        for k in range(n_items):
            category = "health" if self.first and k == 0 else rng.choice(tuple(ITEMS))
            names, holder_kinds = ITEMS[category]
            t = self.start if self.first else self.month_in(self.start, (self.start + self.end) // 2)
            active = self.active(t)
            candidates = [x for x in active if x.kind in holder_kinds] or [x for x in active if x.kind != "SW"]
            holder = candidates[0] if self.first and k == 0 else candidates[rng.randrange(len(candidates))]
            iid = f"{self.id}-I{k + 1}"
            name = names[rng.randrange(len(names))]
            self.node("InformationItem", iid, ref, name=name, category=category, date=_month(t))
            self.edge("CONCERNS", iid, self.id, ref)
            self.edge("HOLDS", holder.id, iid, ref, date=_month(t))
            self.items.append((iid, name, holder.id, t))
            other = [x for x in active if x.id != holder.id]
            if other and rng.random() < 0.3:
                self.edge("HOLDS", other[rng.randrange(len(other))].id, iid, self.ref[5], date=_month(t + 1))

    def meetings_held(self) -> None:
        """Meetings in the second half of the period; invitee lists leave agencies out on purpose
        (a GP most often, agencies out of area more often)."""
        rng, ref = self.rng, self.ref[3]
        n_meet = 3 if self.first else _pick(rng, ((1, 30), (2, 45), (3, 20), (4, 5)))[0]
        for k in range(n_meet):
            forced = self.first and k == 0  # a LAC review during the out-of-area placement, health left out
            kind = (
                "lac_review"
                if forced
                else "strategy_meeting"
                if self.first and k == 1
                else _pick(rng, MEETING_KINDS)[0]
            )
            t = self.segments[1][2] if forced else self.end - rng.randrange(max(1, (self.end - self.start) // 2))
            status = "held" if self.first or rng.random() < 0.9 else rng.choice(("cancelled", "recommended"))
            mid = f"{self.id}-M{k + 1}"
            self.node(
                "Meeting",
                mid,
                ref,
                name=f"{MEETING_NAMES[kind]} ({_month(t)})",
                kind=kind,
                date=_day(rng, t),
                status=status,
            )
            self.edge("CONCERNS", mid, self.id, ref)
            self.edge("LOCATED_IN", mid, self.area_at(t).id, ref)
            self.edge("CONVENED", self.csc.id if rng.random() < 0.6 else self.sw, mid, ref)
            self.meetings.append((mid, t))
            if status == "recommended":
                continue
            invitees = []
            for x in self.active(t):
                chance = {"social_care": 0.95, "police": 0.75, "education": 0.7}.get(x.sector, 0.55)
                chance *= 0.3 if x.kind == "GP" else 0.8 if x.out_of_area else 1.0
                if forced:
                    chance = 0.0 if x.sector == "health" or x.out_of_area else 1.0
                if rng.random() < chance:
                    invitees.append(x.id)
            if rng.random() < 0.5:
                invitees.append(self.mother)
            for n, party in enumerate(invitees):
                self.edge("INVITED_TO", party, mid, ref)
                if status != "held":
                    continue
                if (forced and n == 1) or rng.random() >= 0.7:
                    if self.first or rng.random() < 0.4:
                        self.edge("DID_NOT_ATTEND", party, mid, ref, reason=rng.choice(DNA_REASONS))
                else:
                    self.edge("ATTENDED", party, mid, ref)

    def sent(self, node_id: str, src: str, dst: str, source: str, item: str | None = None) -> None:
        """A flow's or referral's edges: who SENT it, where it went, the child it CONCERNS, what it CARRIES."""
        self.edge("SENT", src, node_id, source, id=f"{node_id}-from")
        self.edge("SENT_TO", node_id, dst, source, id=f"{node_id}-to")
        self.edge("CONCERNS", node_id, self.id, source, id=f"{node_id}-child")
        if item:
            self.edge("CARRIES", node_id, item, source, id=f"{node_id}-item")

    def flow(self, src: str, dst: str, t: int, information: str, status: str, item: str | None, source: str) -> None:
        self.flows += 1
        fid = f"{self.id}-F{self.flows}"
        self.node("Flow", fid, source, date=_day(self.rng, t), information=information, status=status)
        self.sent(fid, src, dst, source, item)
        if status not in ("shared", "late") and src in self.g.agency_ids and self.i % self.g.finding_every == 0:
            self.g.findings.append((self.id, src))

    def sharing(self) -> None:
        """Each item goes on to someone (maybe onward again, a chain) and sometimes to a meeting."""
        rng = self.rng
        for iid, name, holder, t in self.items:
            others = [x for x in self.active(t + 1) if x.id != holder]
            if others:
                to = others[rng.randrange(len(others))]
                status = "shared" if self.first else _pick(rng, FLOW_STATUSES)[0]
                self.flow(holder, to.id, t + 1, name, status, iid, self.ref[4])
                onward = [x for x in self.active(t + 2) if x.id not in (holder, to.id)]
                if status in ("shared", "late") and onward and rng.random() < 0.4:
                    nxt = onward[rng.randrange(len(onward))]
                    self.flow(to.id, nxt.id, t + 2, name, _pick(rng, FLOW_STATUSES)[0], iid, self.ref[5])
            later = [m for m in self.meetings if m[1] > t]
            if later and (self.first or rng.random() < 0.35):
                status = "not_shared" if self.first else _pick(rng, FLOW_STATUSES[:5])[0]
                self.flow(holder, later[0][0], later[0][1], name, status, iid, self.ref[4])
        police = [x for x in self.parties if x.kind == "POL"]
        if police and rng.random() < 0.5:
            self.flow(
                police[0].id,
                self.csc.id,
                police[0].start + 1,
                "Missing person report",
                _pick(rng, FLOW_STATUSES)[0],
                None,
                self.ref[6],
            )
        if self.first:  # a school out of area whose concern never crossed the boundary
            away = next(x for x in self.parties if x.out_of_area and x.kind == "SCH")
            self.flow(
                away.id,
                self.csc.id,
                away.start,
                "Concern about older males at the school gate",
                "system_gap",
                None,
                self.ref[6],
            )
        if rng.random() < 0.1:
            self.flow(
                self.mother,
                self.csc.id,
                self.start + 2,
                "Mother's worries about older friends",
                "no_action",
                None,
                self.ref[6],
            )

    def referrals(self) -> None:
        """Referrals to children's social care or the MASH; the first child's is closed early, before harm."""
        rng = self.rng
        for k in range(1 if self.first else _pick(rng, ((0, 25), (1, 50), (2, 25)))[0]):
            t = self.start if self.first else self.month_in(self.start, self.end)
            referrers = [x for x in self.active(t) if x.kind in ("SCH", "GP", "POL", "VOL", "HOSP", "CAMHS")]
            if not referrers:
                continue
            to = self.csc.id if rng.random() < 0.6 else self.home.agencies["MASH"][0].id
            outcome = "closed_low_risk" if self.first else _pick(rng, REFERRAL_OUTCOMES)[0]
            referrer = referrers[rng.randrange(len(referrers))].id
            rid = f"{self.id}-R{k + 1}"
            self.node(
                "Referral",
                rid,
                self.ref[6],
                date=_month(t),
                outcome=outcome,
                reason=rng.choice(("Concern about older males", "Neglect at home", "Self-harm", "Missing from school")),
            )
            self.sent(rid, referrer, to, self.ref[6])
            if self.first:
                self.decision_records(rid, referrer, to, t)

    def decision_records(self, referral: str, referrer: str, door: str, t: int) -> None:
        """The first child's front-door decision, its challenge, a risk assessment, an omission, an
        agency's account and what a party never knew: one record of each kind the model holds."""
        ref, rng = self.ref[6], self.rng
        did = f"{self.id}-D1"
        self.node(
            "Decision",
            did,
            ref,
            stage="front_door",
            date=_month(t),
            outcome="Closed as low risk",
            level="no_further_action",
            review_says="premature_closure",
        )
        self.edge("DECIDED", door, did, ref)
        self.edge("RESPONDS_TO", did, referral, ref)
        self.edge("CONCERNS", did, self.id, ref)
        self.edge("CHALLENGED", referrer, did, ref, date=_month(t + 1), escalation="not_escalated")
        police = self.home.agencies["POL"][0].id
        self.node("RiskAssessment", f"{self.id}-RA1", ref, tool="CSE risk assessment", level="low", date=_month(t))
        self.edge("ASSESSED", police, f"{self.id}-RA1", ref)
        self.edge("CONCERNS", f"{self.id}-RA1", self.id, ref)
        self.node(
            "Omission",
            f"{self.id}-O1",
            ref,
            kind="no_lead_professional",
            description="No lead professional was identified",
        )
        self.edge("EXPECTED_OF", f"{self.id}-O1", self.csc.id, ref)
        self.edge("CONCERNS", f"{self.id}-O1", self.id, ref)
        self.node(
            "Account",
            f"{self.id}-AC1",
            ref,
            date=_day(rng, t),
            details="Referral received and closed",
            direction="received",
        )
        self.edge("ACCOUNT_OF", f"{self.id}-AC1", referral, ref)
        self.edge("GIVEN_BY", f"{self.id}-AC1", door, ref)
        if self.items:
            self.edge("UNAWARE_OF", police, self.items[0][0], ref, period=_month(t))
        praise = f"{self.id}-PR1"
        self.node("Praise", praise, ref, aspect="sharing")
        self.edge("GAVE", f"{self.g.p}GP1", praise, ref, id=f"{praise}-from")
        self.edge("PRAISED", praise, door, ref, id=f"{praise}-to")
        self.edge("ABOUT", praise, self.id, ref, id=f"{praise}-child")

    def events(self) -> None:
        """Dated events and who took part; a missing child is sometimes only recorded by the home."""
        rng, ref = self.rng, self.ref[7]
        n_events = 2 if self.first else _pick(rng, ((1, 25), (2, 35), (3, 25), (4, 15)))[0]
        for k in range(n_events):
            if self.first:  # a missing episode only the home recorded, and a disclosure nobody passed on
                kind, _, by, role = next(e for e in EVENT_KINDS if e[0] == ("missing_episode", "disclosure")[k])
            else:
                kind, _, by, role = _pick(rng, EVENT_KINDS)
            t = self.month_in(self.start + 1, self.end)
            if kind == "missing_episode" and (self.first or rng.random() < 0.2):
                by, role = "HOME", "recorded"
            eid = f"{self.id}-E{k + 1}"
            extra = {"duration_hours": float(rng.randint(2, 96))} if kind == "missing_episode" else {}
            self.node(
                "Event", eid, ref, name=kind.replace("_", " ").capitalize(), kind=kind, date=_day(rng, t), **extra
            )
            self.edge("CONCERNS", eid, self.id, ref)
            self.edge("PARTICIPATED_IN", self.area_at(t).one(rng, by).id, eid, ref, role=role)

    def contacts(self) -> None:
        """Persons of concern of the child's areas, each in contact with several children: a Contact each, HAD by
        the person, REACHED the child and HAPPENED_AT a venue of the area when in person (the caseload view's walk)."""
        rng = self.rng
        forced = self.i < 2
        if not (forced or rng.random() < 0.35):
            return
        for k in range(2 if forced else rng.randint(1, 2)):
            shared = forced and k == 0  # the first two children: the same person, at the same place
            area = self.g.areas[0] if shared else self.segments[rng.randrange(len(self.segments))][0]
            pool = self.g.persons[area.index]
            person = pool[0] if shared else pool[_heavy(rng, len(pool))]
            if not shared and rng.random() < HUB_SHARE:
                person = self.g.hubs[_heavy(rng, len(self.g.hubs))]
            channel = "in_person" if shared else rng.choice(CHANNELS)
            venue = VENUES[0] if shared else VENUES[_heavy(rng, len(VENUES))]
            place = f"{area.id}-V{VENUES.index(venue) + 1}" if channel == "in_person" else None
            kid = f"{self.id}-K{k + 1}"
            self.node(
                "Contact",
                kid,
                self.ref[7],
                date=_month(self.month_in(self.start, self.end)),
                channel=channel,
                outcome=rng.choice(("not investigated", "police informed", "arrested", None)),
            )
            self.edge("HAD", person, kid, self.ref[7], id=f"{kid}-from")
            self.edge("REACHED", kid, self.id, self.ref[7], id=f"{kid}-child")
            if place:
                self.edge("HAPPENED_AT", kid, place, self.ref[7], id=f"{kid}-place")


def _merge(parties: list[_Party]) -> list[_Party]:
    """One involvement per agency or professional, spanning all of its periods."""
    merged: dict[str, _Party] = {}
    for x in parties:
        if x.id in merged:
            m = merged[x.id]
            m.start, m.end = min(m.start, x.start), max(m.end, x.end)
        else:
            merged[x.id] = _Party(x.id, x.sector, x.kind, x.start, x.end, x.role, x.out_of_area)
    return list(merged.values())
