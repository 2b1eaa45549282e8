"""Synthetic cases shaped like curated ones, so scale, benchmarks and CI do not depend on real children.

A real review covers one or two children; a partnership's store may hold thousands. The
generator writes an ordinary case folder (``case.yaml`` plus JSON record files that the
validator reads like any other case) with the structure reviews describe: areas with agencies
of every sector and their staff, police forces covering a few areas each, children moved
between placements (often out of area), meetings whose invitee lists leave out agencies that
were involved, information held and shared or not, referrals with outcomes, events, and persons
of concern in contact with several children. Each pattern every registered question looks for
occurs at random and, so that even a ten-child case exercises them all, once for the first child.

Same seed and size → byte-identical files: one ``random.Random(seed)``, lists only (no set or
hash order), fixed file chunks. Ids carry the seed (``x7-…``) so several synthetic cases and the
curated case can share one store; the case id is ``synthetic-<seed>``, so generating the same
seed at another size and loading it replaces that case.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

CHILDREN_PER_FILE = 1_000
CHILDREN_PER_AREA = 100
FIRST_MONTH = 2008 * 12  # months since year 0; children's review periods start 2008–2013

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")

FLOW_STATUSES = (("shared", 62), ("late", 10), ("not_shared", 10), ("not_requested", 4), ("system_gap", 5),
                 ("disputed", 3), ("unclear", 3), ("no_action", 3))
REFERRAL_OUTCOMES = (("actioned", 25), ("assessment", 20), ("no_action", 20), ("closed_low_risk", 10),
                     ("not_indicated", 10), ("redirected", 5), ("not_made", 5), ("unknown", 5))
MEETING_KINDS = (("lac_review", 25), ("strategy_meeting", 20), ("child_protection_conference", 10),
                 ("cin_meeting", 10), ("core_group", 5), ("professionals_meeting", 10), ("return_interview", 10),
                 ("mash_discussion", 5), ("school_meeting", 5))
MEETING_NAMES = {"lac_review": "LAC review", "strategy_meeting": "Strategy meeting",
                 "child_protection_conference": "Initial child protection conference", "cin_meeting": "CIN meeting",
                 "core_group": "Core group", "professionals_meeting": "Professionals meeting",
                 "return_interview": "Return home interview", "mash_discussion": "MASH discussion",
                 "school_meeting": "School meeting"}
PLACEMENT_KINDS = (("foster", 40), ("residential", 30), ("bridging_foster", 10), ("specialist_residential", 10),
                   ("secure", 5), ("supported", 5))
# Category → (item names, the agency kinds that would hold it).
ITEMS = {
    "health": (("Recurrent urinary tract infections", "Sexual health clinic attendance", "Overdose treated in A&E"),
               ("GP", "HOSP", "CAMHS", "SN")),
    "missing": (("Missing overnight, found with older males", "Repeated missing episodes from placement"),
                ("POL", "HOME", "CSC")),
    "cse_risk": (("Seen getting into cars with older men", "Gifts and a second mobile phone"),
                 ("POL", "CSE", "SCH", "VOL")),
    "education": (("Persistent absence from school", "Fixed-term exclusions"), ("SCH",)),
    "family": (("Mother's mental health crisis", "Domestic abuse at home"), ("ADS", "CSC", "POL")),
    "offender": (("Contact with a registered sex offender",), ("POL",)),
}
EVENT_KINDS = (("missing_episode", 35, "POL", "responded"), ("health_attendance", 15, "HOSP", "treated"),
               ("referral", 10, "SCH", "made the referral"), ("self_harm", 7, "CAMHS", "assessed"),
               ("placement_move", 8, "CSC", "moved the child"), ("assessment", 8, "CSC", "assessed"),
               ("disclosure", 5, "SCH", "received the disclosure"), ("arrest", 4, "POL", "arrested"),
               ("exclusion", 4, "SCH", "excluded"), ("court_order", 4, "COURT", "made the order"))
DNA_REASONS = ("clash with another meeting", "not told of the date", "staff sickness", "invitation sent to the wrong team",
               None)
CHANNELS = ("in_person", "social_media", "mobile_device", "phone", "internet", "hidden_device", "unknown")

# Agencies of every area: (code, name, sector, provider, staff roles); GP, SCH and HOME repeat
# with the number of children in the area.
AREA_AGENCIES = (
    ("CSC", "Children's Social Care", "social_care", "statutory", ("team manager", "independent reviewing officer")),
    ("CSE", "Specialist CSE team", "social_care", "statutory", ("CSE worker",)),
    ("MASH", "Multi-agency safeguarding hub", "multi_agency", "statutory", ("MASH officer",)),
    ("LSCB", "Local Safeguarding Children Board", "governance", "statutory", ("business manager",)),
    ("POL", "Police public protection unit", "police", "statutory", ("detective constable", "missing person coordinator")),
    ("HOSP", "Hospital emergency department", "health", "statutory", ("ED nurse", "paediatrician")),
    ("CAMHS", "CAMHS", "health", "statutory", ("CAMHS clinician",)),
    ("SN", "School nursing", "health", "statutory", ("school nurse",)),
    ("FOST", "Independent fostering agency", "social_care", "independent", ("supervising social worker",)),
    ("ADS", "Adult mental health service", "adult_services", "statutory", ("care coordinator",)),
    ("COURT", "Family court", "courts", "statutory", ("court officer",)),
    ("VOL", "Young people's charity", "voluntary", "voluntary", ("project worker",)),
    ("HOUS", "Housing", "other", "statutory", ("housing officer",)),
)
SCALED_AGENCIES = (
    ("GP", "General practice", "health", None, ("GP",), 15),
    ("SCH", "School", "education", "statutory", ("designated safeguarding lead",), 15),
    ("HOME", "Children's home", "social_care", "independent", ("residential care worker", "home manager"), 25),
)
LEARNING_POINTS = 12
GOOD_PRACTICE = 4


def _pick(rng: random.Random, weighted: tuple[tuple, ...]) -> tuple:
    total = sum(w[1] for w in weighted)
    x = rng.random() * total
    for item in weighted:
        x -= item[1]
        if x < 0:
            return item
    return weighted[-1]


def _month(t: int) -> str:
    return f"{_MONTH_NAMES[t % 12][:3]} {t // 12}"


def _day(rng: random.Random, t: int) -> tuple[str, int]:
    """A day in month ``t`` as reviews write it (ISO or '12 March 2014'), with the day number."""
    d = rng.randint(1, 28)
    if rng.random() < 0.7:
        return f"{t // 12}-{t % 12 + 1:02d}-{d:02d}", d
    return f"{d} {_MONTH_NAMES[t % 12]} {t // 12}", d


def _period(a: int, b: int | None) -> str:
    return f"from {_month(a)}" if b is None else f"{_month(a)} – {_month(b)}"


@dataclass
class _Agency:
    id: str
    kind: str
    sector: str
    staff: list[str] = field(default_factory=list)


@dataclass
class _Area:
    id: str
    index: int
    agencies: dict[str, list[_Agency]] = field(default_factory=dict)

    def one(self, rng: random.Random, kind: str) -> _Agency:
        options = self.agencies[kind]
        return options[rng.randrange(len(options))]


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


class _Generator:
    def __init__(self, children: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.children = children
        self.p = f"x{seed}-"
        self.document = f"{self.p}doc"
        self.areas: list[_Area] = []
        self.persons: list[list[str]] = []  # persons of concern per area
        self.shared: dict[str, list[dict]] = {"nodes": [], "edges": []}
        self.lp_children: dict[int, list[str]] = {}

    # --- records -------------------------------------------------------------------------------
    @staticmethod
    def node(out: dict[str, list[dict]], label: str, id_: str, source: str, **props: object) -> None:
        out["nodes"].append({"type": label, "id": id_, **{k: v for k, v in props.items() if v is not None},
                             "source": source})

    @staticmethod
    def edge(out: dict[str, list[dict]], etype: str, src: str, dst: str, source: str, **props: object) -> None:
        rec: dict[str, object] = {"type": etype}
        if "id" in props:
            rec["id"] = props.pop("id")
        rec.update({"from": src, "to": dst, **{k: v for k, v in props.items() if v is not None}, "source": source})
        out["edges"].append(rec)

    # --- areas, forces, agencies, staff ----------------------------------------------------------
    def build_areas(self) -> None:
        rng, out, p = self.rng, self.shared, self.p
        n_areas = max(3, math.ceil(self.children / CHILDREN_PER_AREA))
        per_area = max(1, math.ceil(self.children / n_areas))
        force_size = 2 if n_areas < 10 else 4
        for f in range(math.ceil(n_areas / force_size)):
            self.node(out, "PoliceForce", f"{p}PF{f + 1}", f"¶{3 + f % 5}", name=f"Police Force {f + 1}")
        for a in range(n_areas):
            area = _Area(f"{p}A{a + 1:03d}", a)
            self.areas.append(area)
            self.node(out, "Area", area.id, "Abbrev.", name=f"Area {a + 1}", kind="local_authority")
            self.edge(out, "COVERS", f"{p}PF{a // force_size + 1}", area.id, f"¶{3 + (a // force_size) % 5}")
            specs = [(c, n, s, pr, roles, 1) for c, n, s, pr, roles in AREA_AGENCIES]
            specs += [(c, n, s, pr, roles, max(1, math.ceil(per_area / k))) for c, n, s, pr, roles, k in SCALED_AGENCIES]
            for code, name, sector, provider, roles, count in specs:
                for k in range(count):
                    suffix = f"-{k + 1}" if count > 1 or code in ("GP", "SCH", "HOME") else ""
                    ag = _Agency(f"{area.id}-{code}{suffix}", code, sector)
                    area.agencies.setdefault(code, []).append(ag)
                    ref = f"¶{10 + rng.randrange(80)}"
                    label = f"{name}{' ' + str(k + 1) if suffix else ''} (Area {a + 1})"
                    self.node(out, "Agency", ag.id, ref, name=label, sector=sector, provider=provider)
                    self.edge(out, "LOCATED_IN", ag.id, area.id, ref)
                    n_staff = max(1, math.ceil(per_area / 12)) if code == "CSC" else 1
                    staff_roles = list(roles) + ["social worker"] * (n_staff if code == "CSC" else 0)
                    for s, role in enumerate(staff_roles):
                        pid = f"{ag.id}-S{s + 1}"
                        ag.staff.append(pid)
                        self.node(out, "Professional", pid, ref, name=f"{role[0].upper()}{role[1:]} ({label})", role=role)
                        self.edge(out, "WORKS_FOR", pid, ag.id, ref)
            self.edge(out, "PART_OF", area.agencies["CSE"][0].id, area.agencies["CSC"][0].id, "¶11")
            self.edge(out, "PART_OF", area.agencies["POL"][0].id, f"{p}PF{a // force_size + 1}", "¶12")
            persons = []
            for k in range(max(1, per_area // 10)):
                pid = f"{area.id}-OF{k + 1}"
                kind = _pick(rng, (("offender", 4), ("suspected_offender", 4), ("person_of_concern", 2)))[0]
                age = rng.randint(17, 60)
                self.node(out, "PersonOfConcern", pid, f"¶{90 + rng.randrange(10)}",
                          name=f"{'Male' if rng.random() < 0.9 else 'Female'}, {age}", kind=kind, age=age)
                persons.append(pid)
            self.persons.append(persons)

    def build_learning(self) -> None:
        rng, out, p = self.rng, self.shared, self.p
        for label, prefix, count in (("LearningPoint", "LP", LEARNING_POINTS), ("GoodPracticePoint", "GP", GOOD_PRACTICE)):
            for n in range(1, count + 1):
                pid = f"{p}{prefix}{n}"
                what = "Learning point" if prefix == "LP" else "Good practice"
                self.node(out, label, pid, f"{prefix}{n}", number=n, name=f"{what} {n} of the synthetic review")
                if label == "LearningPoint":
                    for c in sorted({rng.randrange(self.children) for _ in range(rng.randint(1, 3))}):
                        self.lp_children.setdefault(c, []).append(pid)
                named: list[str] = []
                for _ in range(rng.randint(1, 3)):
                    area = self.areas[rng.randrange(len(self.areas))]
                    agency = area.agencies[AREA_AGENCIES[rng.randrange(len(AREA_AGENCIES))][0]][0].id
                    if agency not in named:
                        named.append(agency)
                        self.edge(out, "NAMES", pid, agency, f"{prefix}{n}")

    # --- one child -------------------------------------------------------------------------------
    def child(self, i: int, out: dict[str, list[dict]]) -> None:
        rng, p = self.rng, self.p
        first = i == 0  # the first child carries every pattern the questions look for
        cid = f"{p}C{i + 1:05d}"
        para = 100 + i * 8
        ref = [f"¶{para + k}" for k in range(8)]
        home = self.areas[i * len(self.areas) // self.children]
        start = FIRST_MONTH + rng.randrange(72)
        end = start + rng.randint(30, 48)
        self.node(out, "Child", cid, f"{ref[0]}, {ref[1]}", name=f"Child {i + 1}", born=str(start // 12 - rng.randint(8, 13)),
                  responsible_area=home.id, legal_status=rng.choice(("looked after", "CP plan", "CIN plan")))
        for k, (rel, prob) in enumerate((("mother", 1.0), ("maternal grandmother", 0.4), ("father", 0.2))):
            if rng.random() < prob:
                self.node(out, "FamilyMember", f"{cid}-FM{k + 1}", ref[0], name=f"Child {i + 1}'s {rel}", relationship=rel)
                self.edge(out, "RELATED_TO", f"{cid}-FM{k + 1}", cid, ref[0], relationship=rel)
        mother = f"{cid}-FM1"

        # Placements: home first, then moves, often out of area; every agency there gets involved.
        parties: list[_Party] = []
        csc = home.agencies["CSC"][0]
        sw = csc.staff[2 + rng.randrange(len(csc.staff) - 2)]
        parties.append(_Party(csc.id, "social_care", "CSC", start, end, "placing authority"))
        parties.append(_Party(sw, "social_care", "SW", start + rng.randrange(6), end, "key social worker"))
        n_place = 3 if first else _pick(rng, ((1, 20), (2, 35), (3, 30), (4, 15)))[0]
        cuts = sorted(rng.sample(range(start + 1, end), n_place - 1))
        bounds = [start, *cuts, end]
        segments: list[tuple[_Area, int, int]] = []
        for k in range(n_place):
            a, b = bounds[k], bounds[k + 1]
            if k == 0:
                area, kind = home, "family_home"
            else:
                out_of_area = (first and k == 1) or rng.random() < 0.4
                area = self.areas[(home.index + rng.randint(1, 3)) % len(self.areas)] if out_of_area else home
                kind = _pick(rng, PLACEMENT_KINDS)[0]
            plid = f"{cid}-PL{k + 1}"
            name = "Family home" if kind == "family_home" else kind.replace("_", " ").capitalize() + " placement"
            self.node(out, "Placement", plid, ref[1], name=f"{name} (Area {area.index + 1})", kind=kind)
            self.edge(out, "LOCATED_IN", plid, area.id, ref[1])
            last = k == n_place - 1
            self.edge(out, "PLACED_AT", cid, plid, ref[1], period=_period(a, None if last and rng.random() < 0.3 else b),
                      ended=None if last else rng.choice(("placement breakdown", "planned move", "secure order")))
            if kind != "family_home":
                provider = area.one(rng, "FOST" if "foster" in kind else "HOME")
                self.edge(out, "PROVIDED_BY", plid, provider.id, ref[1])
                parties.append(_Party(provider.id, "social_care", provider.kind, a, b, "placement", area is not home))
            segments.append((area, a, b))
            for kind_code, prob, role in (("GP", 1.0, "GP"), ("SCH", 1.0, "school"), ("POL", 0.5, "missing episodes"),
                                          ("CAMHS", 0.25, "mental health"), ("SN", 0.2, "school nursing")):
                if (first and kind_code == "POL") or rng.random() < prob:
                    ag = area.one(rng, kind_code)
                    parties.append(_Party(ag.id, ag.sector, kind_code, a, b, role, area is not home))
        parties = _merge(parties)
        for party in parties:
            self.edge(out, "INVOLVED_WITH", party.id, cid, ref[2], period=_period(party.start, party.end), role=party.role)

        def active(t: int) -> list[_Party]:
            return [x for x in parties if x.start <= t <= x.end]

        def area_at(t: int) -> _Area:
            return next((ar for ar, a, b in segments if a <= t <= b), home)

        # Information items and who held them.
        items: list[tuple[str, str, str, int]] = []  # id, name, holder, month
        n_items = 2 if first else _pick(rng, ((1, 30), (2, 45), (3, 25)))[0]
        for k in range(n_items):
            category = "health" if first and k == 0 else rng.choice(tuple(ITEMS))
            names, holder_kinds = ITEMS[category]
            t = start + rng.randrange(max(1, (end - start) // 2))
            candidates = [x for x in active(t) if x.kind in holder_kinds] or [x for x in active(t) if x.kind != "SW"]
            holder = candidates[0] if first and k == 0 else candidates[rng.randrange(len(candidates))]
            iid = f"{cid}-I{k + 1}"
            name = names[rng.randrange(len(names))]
            self.node(out, "InformationItem", iid, ref[4], name=name, category=category, date=_month(t))
            self.edge(out, "CONCERNS", iid, cid, ref[4])
            self.edge(out, "HOLDS", holder.id, iid, ref[4], date=_month(t))
            items.append((iid, name, holder.id, t))
            if rng.random() < 0.3:
                other = [x for x in active(t) if x.id != holder.id]
                if other:
                    self.edge(out, "HOLDS", other[rng.randrange(len(other))].id, iid, ref[5], date=_month(t + 1))

        # Meetings: the first is a decision meeting; invitee lists leave agencies out on purpose.
        flows = 0

        def flow(src: str, dst: str, t: int, information: str, status: str, item: str | None, source: str) -> None:
            nonlocal flows
            flows += 1
            date, _ = _day(rng, t)
            self.edge(out, "SHARED", src, dst, source, id=f"{cid}-F{flows}", date=date, child=cid, item=item,
                      information=information, status=status)

        n_meet = 3 if first else _pick(rng, ((1, 25), (2, 40), (3, 27), (4, 8)))[0]
        meetings: list[tuple[str, int, str]] = []
        for k in range(n_meet):
            kind = ("lac_review" if first and k == 0 else "strategy_meeting" if first and k == 1 else
                    _pick(rng, MEETING_KINDS)[0])
            t = end - rng.randrange(max(1, (end - start) // 2))
            status = "held" if first or rng.random() < 0.9 else rng.choice(("cancelled", "recommended"))
            date, day = _day(rng, t)
            mid = f"{cid}-M{k + 1}"
            self.node(out, "Meeting", mid, ref[3], name=f"{MEETING_NAMES[kind]} ({_month(t)})", kind=kind, date=date,
                      status=status)
            self.edge(out, "CONCERNS", mid, cid, ref[3])
            self.edge(out, "LOCATED_IN", mid, area_at(t).id, ref[3])
            self.edge(out, "CONVENED", csc.id if rng.random() < 0.6 else sw, mid, ref[3])
            meetings.append((mid, t, kind))
            if status == "recommended":
                continue
            invitees = []
            for x in active(t):
                chance = {"social_care": 0.95, "police": 0.75, "education": 0.7}.get(x.sector, 0.55)
                chance *= 0.3 if x.kind == "GP" else 0.8 if x.out_of_area else 1.0
                if first and k == 0:
                    chance = 0.0 if x.sector == "health" else 1.0
                if rng.random() < chance:
                    invitees.append(x.id)
            if rng.random() < 0.5:
                invitees.append(mother)
            for n, party in enumerate(invitees):
                self.edge(out, "INVITED_TO", party, mid, ref[3])
                if status != "held":
                    continue
                if (first and n == 1) or rng.random() >= 0.7:
                    if first or rng.random() < 0.4:
                        self.edge(out, "DID_NOT_ATTEND", party, mid, ref[3], reason=rng.choice(DNA_REASONS))
                else:
                    self.edge(out, "ATTENDED", party, mid, ref[3])

        # Flows: each item goes on to someone (maybe onward again) and sometimes to a meeting.
        for iid, name, holder, t in items:
            others = [x for x in active(t + 1) if x.id != holder]
            if others:
                to = others[rng.randrange(len(others))]
                status = "shared" if first else _pick(rng, FLOW_STATUSES)[0]
                flow(holder, to.id, t + 1, name, status, iid, ref[4])
                onward = [x for x in active(t + 2) if x.id not in (holder, to.id)]
                if status in ("shared", "late") and onward and rng.random() < 0.4:
                    nxt = onward[rng.randrange(len(onward))]
                    flow(to.id, nxt.id, t + 2, name, _pick(rng, FLOW_STATUSES)[0], iid, ref[5])
            later = [m for m in meetings if m[1] > t]
            if later and (first or rng.random() < 0.35):
                status = "not_shared" if first else _pick(rng, FLOW_STATUSES[:5])[0]
                flow(holder, later[0][0], later[0][1], name, status, iid, ref[4])
        police = [x for x in parties if x.kind == "POL"]
        if police and rng.random() < 0.5:
            t = police[0].start + 1
            flow(police[0].id, csc.id, t, "Missing person report", _pick(rng, FLOW_STATUSES)[0], None, ref[6])
        if rng.random() < 0.1:
            flow(mother, csc.id, start + 2, "Mother's worries about older friends", "no_action", None, ref[6])

        # Referrals to children's social care or the MASH.
        for k in range(_pick(rng, ((0, 25), (1, 50), (2, 25)))[0]):
            t = start + rng.randrange(end - start)
            referrers = [x for x in active(t) if x.kind in ("SCH", "GP", "POL", "VOL", "HOSP", "CAMHS")]
            if not referrers:
                continue
            to = csc.id if rng.random() < 0.6 else home.agencies["MASH"][0].id
            self.edge(out, "REFERRED", referrers[rng.randrange(len(referrers))].id, to, ref[6], id=f"{cid}-R{k + 1}",
                      date=_month(t), child=cid, reason=rng.choice(("Concern about older males", "Neglect at home",
                                                                     "Self-harm", "Missing from school")),
                      outcome=_pick(rng, REFERRAL_OUTCOMES)[0])

        # Events and who took part.
        for k in range(_pick(rng, ((1, 20), (2, 30), (3, 30), (4, 20)))[0]):
            kind, _, by, role = _pick(rng, EVENT_KINDS)
            t = start + rng.randrange(end - start)
            eid = f"{cid}-E{k + 1}"
            extra = {"duration_hours": float(rng.randint(2, 96))} if kind == "missing_episode" else {}
            self.node(out, "Event", eid, ref[7], name=kind.replace("_", " ").capitalize(), kind=kind,
                      date=_day(rng, t)[0], **extra)
            self.edge(out, "CONCERNS", eid, cid, ref[7])
            self.edge(out, "PARTICIPATED_IN", area_at(t).one(rng, by).id, eid, ref[7], role=role)

        # Persons of concern of the child's areas, each in contact with several children.
        if first or rng.random() < 0.35:
            for k in range(rng.randint(1, 2)):
                area = segments[rng.randrange(len(segments))][0]
                pool = self.persons[area.index]
                t = start + rng.randrange(end - start)
                self.edge(out, "CONTACTED", pool[(i + k) % len(pool)], cid, ref[7], id=f"{cid}-K{k + 1}",
                          date=_month(t), channel=rng.choice(CHANNELS), place=f"Area {area.index + 1}",
                          outcome=rng.choice(("not investigated", "police informed", "arrested", None)))
        for lp in self.lp_children.get(i, []):
            self.edge(out, "CONCERNS", lp, cid, lp.rsplit("-", 1)[-1])


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


def _write_records(path: Path, records: dict[str, list[dict]]) -> None:
    """One record per line, so a problem's line number points at its record."""
    lines = ["{"]
    for section in ("nodes", "edges"):
        body = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in records[section])
        lines.append(f'"{section}": [\n{body}\n]{"," if section == "nodes" else ""}')
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(children: int, seed: int, out: str | Path) -> Path:
    """Write a synthetic case of ``children`` children into folder ``out``; returns the folder."""
    if children < 1:
        raise ValueError("children must be at least 1")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    g = _Generator(children, seed)
    (folder / "case.yaml").write_text(
        f"case: synthetic-{seed}\n"
        f"title: Synthetic case, seed {seed}, {children:,} children (generated; no real child)\n"
        f"document: {g.document}\n"
        "nodes:\n"
        f"  - {{type: SourceDocument, id: {g.document}, name: Synthetic review (seed {seed}), source: Title page}}\n",
        encoding="utf-8")
    g.build_areas()
    g.build_learning()
    _write_records(folder / "shared.json", g.shared)
    for f in range(math.ceil(children / CHILDREN_PER_FILE)):
        chunk: dict[str, list[dict]] = {"nodes": [], "edges": []}
        for i in range(f * CHILDREN_PER_FILE, min(children, (f + 1) * CHILDREN_PER_FILE)):
            g.child(i, chunk)
        _write_records(folder / f"children-{f + 1:03d}.json", chunk)
    return folder
