"""Synthetic cases shaped like curated ones, so scale, benchmarks and CI do not depend on real children.

A real review covers one or two children; a partnership's store may hold thousands. The
generator writes an ordinary case folder (``case.yaml`` plus JSON record files that the
validator reads like any other case) with the structure reviews describe: areas with agencies
of every sector and their staff, police forces covering a few areas each, children moved
between placements (often out of area), meetings whose invitee lists leave out agencies that
were involved, information held and shared or not, referrals with outcomes, events, and persons
of concern in contact with several children. Degrees are heavy-tailed, as in a real caseload: a
few persons of concern (some active in every area), places and agencies are linked to very many
children, most to a few. Each pattern every registered question looks for
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
HUB_SHARE = 0.05  # of contacts, made by one of the few case-wide persons of concern
FIRST_MONTH = 2008 * 12  # months since year 0; children's review periods start 2008–2013

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

FLOW_STATUSES = (
    ("shared", 62),
    ("late", 10),
    ("not_shared", 10),
    ("not_requested", 4),
    ("system_gap", 5),
    ("disputed", 3),
    ("unclear", 3),
    ("no_action", 3),
)
REFERRAL_OUTCOMES = (
    ("actioned", 25),
    ("assessment", 20),
    ("no_action", 20),
    ("closed_low_risk", 10),
    ("not_indicated", 10),
    ("redirected", 5),
    ("not_made", 5),
    ("unknown", 5),
)
MEETING_KINDS = (
    ("lac_review", 25),
    ("strategy_meeting", 20),
    ("child_protection_conference", 10),
    ("cin_meeting", 10),
    ("core_group", 5),
    ("professionals_meeting", 10),
    ("return_interview", 10),
    ("mash_discussion", 5),
    ("school_meeting", 5),
)
MEETING_NAMES = {
    "lac_review": "LAC review",
    "strategy_meeting": "Strategy meeting",
    "child_protection_conference": "Initial child protection conference",
    "cin_meeting": "CIN meeting",
    "core_group": "Core group",
    "professionals_meeting": "Professionals meeting",
    "return_interview": "Return home interview",
    "mash_discussion": "MASH discussion",
    "school_meeting": "School meeting",
}
PLACEMENT_KINDS = (
    ("foster", 40),
    ("residential", 30),
    ("bridging_foster", 10),
    ("specialist_residential", 10),
    ("secure", 5),
    ("supported", 5),
)
# Category → (item names, the agency kinds that would hold it).
ITEMS = {
    "health": (
        ("Recurrent urinary tract infections", "Sexual health clinic attendance", "Overdose treated in A&E"),
        ("GP", "HOSP", "CAMHS", "SN"),
    ),
    "missing": (
        ("Missing overnight, found with older males", "Repeated missing episodes from placement"),
        ("POL", "HOME", "CSC"),
    ),
    "cse_risk": (
        ("Seen getting into cars with older men", "Gifts and a second mobile phone"),
        ("POL", "CSE", "SCH", "VOL"),
    ),
    "education": (("Persistent absence from school", "Fixed-term exclusions"), ("SCH",)),
    "family": (("Mother's mental health crisis", "Domestic abuse at home"), ("ADS", "CSC", "POL")),
    "offender": (("Contact with a registered sex offender",), ("POL",)),
}
EVENT_KINDS = (
    ("missing_episode", 35, "POL", "responded"),
    ("health_attendance", 15, "HOSP", "treated"),
    ("referral", 10, "SCH", "made the referral"),
    ("self_harm", 7, "CAMHS", "assessed"),
    ("placement_move", 8, "CSC", "moved the child"),
    ("assessment", 8, "CSC", "assessed"),
    ("disclosure", 5, "SCH", "received the disclosure"),
    ("arrest", 4, "POL", "arrested"),
    ("exclusion", 4, "SCH", "excluded"),
    ("court_order", 4, "COURT", "made the order"),
)
DNA_REASONS = (
    "clash with another meeting",
    "not told of the date",
    "staff sickness",
    "invitation sent to the wrong team",
    None,
)
CHANNELS = ("in_person", "social_media", "mobile_device", "phone", "internet", "hidden_device", "unknown")
VENUES = (
    "Takeaway on the high street",
    "Park",
    "Bus station",
    "Shopping centre",
    "Hotel",
    "Flat above a shop",
    "Car park",
    "Petrol station",
)  # where in-person contact happened; online contact has no place
VENUE_KINDS = {"Hotel": "hotel", "Flat above a shop": "home_address"}  # the rest are public places

# Agencies of every area: (code, name, sector, provider, staff roles); GP, SCH and HOME repeat
# with the number of children in the area.
AREA_AGENCIES = (
    ("CSC", "Children's Social Care", "social_care", "statutory", ("team manager", "independent reviewing officer")),
    ("CSE", "Specialist CSE team", "social_care", "statutory", ("CSE worker",)),
    ("MASH", "Multi-agency safeguarding hub", "multi_agency", "statutory", ("MASH officer",)),
    ("LSCB", "Local Safeguarding Children Board", "governance", "statutory", ("business manager",)),
    (
        "POL",
        "Police public protection unit",
        "police",
        "statutory",
        ("detective constable", "missing person coordinator"),
    ),
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

Records = dict[str, list[dict]]  # {"nodes": [...], "edges": [...]}, as in a case file


def _pick(rng: random.Random, weighted: tuple[tuple, ...]) -> tuple:
    total = sum(w[1] for w in weighted)
    x = rng.random() * total
    for item in weighted:
        x -= item[1]
        if x < 0:
            return item
    return weighted[-1]


def _heavy(rng: random.Random, n: int) -> int:
    """An index below ``n`` drawn heavy-tailed (Pareto, shape 1): index 0 about half the time, a long
    tail after it — real caseloads have a few persons of concern, places and agencies linked to very
    many children, not an even spread."""
    return min(n - 1, int(rng.paretovariate(1.0)) - 1)


def _month(t: int) -> str:
    return f"{_MONTH_NAMES[t % 12][:3]} {t // 12}"


def _day(rng: random.Random, t: int) -> str:
    """A day in month ``t`` as reviews write it: ISO or '12 March 2014'."""
    d = rng.randint(1, 28)
    if rng.random() < 0.7:
        return f"{t // 12}-{t % 12 + 1:02d}-{d:02d}"
    return f"{d} {_MONTH_NAMES[t % 12]} {t // 12}"


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
        return options[_heavy(rng, len(options))]


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
    """The shared part of a case (areas, forces, agencies, staff, persons of concern, learning) and
    the random stream every child draws from, in a fixed order."""

    def __init__(self, children: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.children = children
        self.p = f"x{seed}-"
        self.document = f"{self.p}doc"
        self.areas: list[_Area] = []
        self.persons: list[list[str]] = []  # persons of concern per area
        self.hubs: list[str] = []  # persons of concern active across every area (a network's organisers)
        self.shared: Records = {"nodes": [], "edges": []}
        self.findings: list[tuple[str, str]] = []  # (child, agency) a learning point may be about
        self.finding_every = max(1, children // 50)
        self.agency_ids: set[str] = set()

    # --- records -------------------------------------------------------------------------------
    @staticmethod
    def node(out: Records, label: str, id_: str, source: str, **props: object) -> None:
        out["nodes"].append(
            {"type": label, "id": id_, **{k: v for k, v in props.items() if v is not None}, "source": source}
        )

    @staticmethod
    def edge(out: Records, etype: str, src: str, dst: str, source: str, **props: object) -> None:
        rec: dict[str, object] = {"type": etype}
        if "id" in props:
            rec["id"] = props.pop("id")
        rec.update({"from": src, "to": dst, **{k: v for k, v in props.items() if v is not None}, "source": source})
        out["edges"].append(rec)

    # --- areas, forces, agencies, staff ----------------------------------------------------------
    def build_areas(self) -> None:
        out, p = self.shared, self.p
        n_areas = max(3, math.ceil(self.children / CHILDREN_PER_AREA))
        per_area = max(1, math.ceil(self.children / n_areas))
        force_size = 2 if n_areas < 10 else 4
        for f in range(math.ceil(n_areas / force_size)):
            self.node(out, "PoliceForce", f"{p}PF{f + 1}", f"¶{3 + f % 5}", name=f"Police Force {f + 1}")
        for a in range(n_areas):
            area = _Area(f"{p}A{a + 1:03d}", a)
            self.areas.append(area)
            self.node(out, "Area", area.id, "Abbrev.", name=f"Area {a + 1}", kind="local_authority")
            for v, venue in enumerate(VENUES):
                self.node(
                    out,
                    "Place",
                    f"{area.id}-V{v + 1}",
                    "Abbrev.",
                    name=f"{venue} (Area {a + 1})",
                    kind=VENUE_KINDS.get(venue, "public_place"),
                )
                self.edge(out, "LOCATED_IN", f"{area.id}-V{v + 1}", area.id, "Abbrev.")
            self.edge(out, "COVERS", f"{p}PF{a // force_size + 1}", area.id, f"¶{3 + (a // force_size) % 5}")
            self.build_agencies(area, per_area)
            self.edge(out, "PART_OF", area.agencies["CSE"][0].id, area.agencies["CSC"][0].id, "¶11")
            self.edge(out, "PART_OF", area.agencies["POL"][0].id, f"{p}PF{a // force_size + 1}", "¶12")
            self.build_persons(area, per_area)
        self.build_hubs()

    def build_agencies(self, area: _Area, per_area: int) -> None:
        """The area's agencies (the scaled kinds by its number of children) and their staff; each
        draw from the generator is in the order it always was, so a seed writes the same files."""
        rng, out, number = self.rng, self.shared, area.index + 1
        specs = [(c, n, s, pr, roles, 1) for c, n, s, pr, roles in AREA_AGENCIES]
        specs += [(c, n, s, pr, roles, max(1, math.ceil(per_area / k))) for c, n, s, pr, roles, k in SCALED_AGENCIES]
        for code, name, sector, provider, roles, count in specs:
            for k in range(count):
                suffix = f"-{k + 1}" if count > 1 or code in ("GP", "SCH", "HOME") else ""
                ag = _Agency(f"{area.id}-{code}{suffix}", code, sector)
                area.agencies.setdefault(code, []).append(ag)
                self.agency_ids.add(ag.id)
                ref = f"¶{10 + rng.randrange(80)}"
                label = f"{name}{' ' + str(k + 1) if suffix else ''} (Area {number})"
                self.node(out, "Agency", ag.id, ref, name=label, sector=sector, provider=provider)
                self.edge(out, "LOCATED_IN", ag.id, area.id, ref)
                n_staff = max(1, math.ceil(per_area / 12)) if code == "CSC" else 1
                staff_roles = list(roles) + ["social worker"] * (n_staff if code == "CSC" else 0)
                for s, role in enumerate(staff_roles):
                    pid = f"{ag.id}-S{s + 1}"
                    ag.staff.append(pid)
                    self.node(out, "Professional", pid, ref, name=f"{role[0].upper()}{role[1:]} ({label})", role=role)
                    self.edge(out, "WORKS_FOR", pid, ag.id, ref)

    def build_persons(self, area: _Area, per_area: int) -> None:
        """The area's own persons of concern, about one for every ten children."""
        rng, persons = self.rng, []
        for k in range(max(1, per_area // 10)):
            pid = f"{area.id}-OF{k + 1}"
            kind = _pick(rng, (("offender", 4), ("suspected_offender", 4), ("person_of_concern", 2)))[0]
            age = rng.randint(17, 60)
            self.node(
                self.shared,
                "PersonOfConcern",
                pid,
                f"¶{90 + rng.randrange(10)}",
                name=f"{'Male' if rng.random() < 0.9 else 'Female'}, {age}",
                kind=kind,
                age=age,
            )
            persons.append(pid)
        self.persons.append(persons)

    def build_hubs(self) -> None:
        """A few persons of concern working across all areas, so one person links very many children."""
        for k in range(max(1, self.children // 2_000)):
            pid = f"{self.p}HUB{k + 1}"
            self.node(self.shared, "PersonOfConcern", pid, "¶95", name="Male, 30", kind="suspected_offender", age=30)
            self.hubs.append(pid)

    def build_learning(self) -> None:
        """Learning points drawn from findings, as a review's are: each names an agency that failed
        a child and concerns that child; every third is general (no child)."""
        rng, out, p = self.rng, self.shared, self.p
        for label, prefix, count in (
            ("LearningPoint", "LP", LEARNING_POINTS),
            ("GoodPracticePoint", "GP", GOOD_PRACTICE),
        ):
            for n in range(1, count + 1):
                pid, ref = f"{p}{prefix}{n}", f"{prefix}{n}"
                what = "Learning point" if prefix == "LP" else "Good practice"
                self.node(out, label, pid, ref, number=n, name=f"{what} {n} of the synthetic review")
                named: list[str] = []
                if label == "LearningPoint":
                    child, agency = self.findings[0 if n == 1 else rng.randrange(len(self.findings))]
                    named.append(agency)
                    if n % 3:
                        self.edge(out, "CONCERNS", pid, child, ref)
                for _ in range(rng.randint(0 if named else 1, 2)):
                    area = self.areas[rng.randrange(len(self.areas))]
                    agency = area.agencies[AREA_AGENCIES[rng.randrange(len(AREA_AGENCIES))][0]][0].id
                    if agency not in named:
                        named.append(agency)
                for agency in named:
                    self.edge(out, "NAMES", pid, agency, ref)

    def child(self, i: int, out: Records) -> None:
        _Child(self, i, out).build()


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
        self.edge("PRAISES", f"{self.g.p}GP1", door, ref, aspect="sharing")

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
        """Persons of concern of the child's areas, each in contact with several children."""
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
            self.edge(
                "CONTACTED",
                person,
                self.id,
                self.ref[7],
                id=f"{self.id}-K{k + 1}",
                date=_month(self.month_in(self.start, self.end)),
                channel=channel,
                place=place,
                outcome=rng.choice(("not investigated", "police informed", "arrested", None)),
            )


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


def _write_records(path: Path, records: Records) -> None:
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
    header = folder / "case.yaml"
    if (
        folder.exists()
        and any(folder.iterdir())
        and not (header.exists() and header.read_text(encoding="utf-8").startswith("case: synthetic-"))
    ):
        raise ValueError(f"{folder} is not empty and not a synthetic case; choose a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("children-*.json"), folder / "shared.json"]:
        old.unlink(missing_ok=True)
    g = _Generator(children, seed)
    (folder / "case.yaml").write_text(
        f"case: synthetic-{seed}\n"
        f"title: Synthetic case, seed {seed}, {children:,} children (generated; no real child)\n"
        f"document: {g.document}\n"
        "nodes:\n"
        f"  - {{type: SourceDocument, id: {g.document}, name: Synthetic review (seed {seed}), source: Title page}}\n",
        encoding="utf-8",
    )
    g.build_areas()
    for f in range(math.ceil(children / CHILDREN_PER_FILE)):
        chunk: Records = {"nodes": [], "edges": []}
        for i in range(f * CHILDREN_PER_FILE, min(children, (f + 1) * CHILDREN_PER_FILE)):
            g.child(i, chunk)
        _write_records(folder / f"children-{f + 1:03d}.json", chunk)
    g.build_learning()  # drawn from the children's findings
    _write_records(folder / "shared.json", g.shared)
    return folder
