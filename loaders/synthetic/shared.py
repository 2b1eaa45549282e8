"""The shared part of a synthetic case: areas, police forces, agencies and their staff, persons of
concern, and the learning drawn from what went wrong for the children."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from loaders.synthetic.tables import (
    AREA_AGENCIES,
    CHILDREN_PER_AREA,
    GOOD_PRACTICE,
    LEARNING_POINTS,
    SCALED_AGENCIES,
    VENUE_KINDS,
    VENUES,
    Records,
    _heavy,
    _pick,
)


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
