"""Silo analytics at scale: a synthetic information-flow network of 2,000 agencies, each measure timed.

A real case has tens of parties; a partnership-wide or multi-case view has thousands. The network is
generated here, seeded, shaped like agency networks: sectors in realistic proportions, areas grouped
under police forces, flows and meetings mostly within an area, most flows arriving, a few items passed
along chains (so the knowledge-horizon queries have work to do). It is built in the exact shape of
``graph.export.to_networkx`` so every step, including the what-if on an in-memory copy, runs unchanged.

    python bench/analytics.py [--agencies 2000] [--seed 7] [--k 200]

Prints a Markdown table of seconds per step; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a plain script: `python bench/analytics.py` from anywhere

from findings import silo as an  # noqa: E402
from graph.embedded import EmbeddedBackend  # noqa: E402
from graph.load import load_case  # noqa: E402
from graph.schema import load_schema  # noqa: E402
from queries.library import run_query  # noqa: E402

CASE = "bench"
SECTORS = {
    "social_care": 0.28,
    "health": 0.3,
    "education": 0.18,
    "police": 0.08,
    "adult_services": 0.08,
    "voluntary": 0.08,
}
AREAS_PER_FORCE = 4
TO_HUB = 0.3  # share of flows to the sender's area's children's social care, the front door
LOCAL = 0.85  # of the rest, the share within the sender's area
HUB_TO_HUB = 0.5  # a flow to another area goes to that area's front door this often
STATUSES = {"shared": 0.78, "late": 0.08, "not_shared": 0.1, "system_gap": 0.04}
MONTHS = [(y, m) for y in range(2012, 2016) for m in range(1, 13)]


class _Case:
    """Nodes and edges with every stored column, as the export gives them."""

    def __init__(self) -> None:
        self.g = nx.MultiDiGraph()
        self.schema = load_schema()
        self.edges = 0

    def node(self, label: str, node_id: str, **values: object) -> str:
        cols = dict.fromkeys(c for c, _ in self.schema.nodes[label].columns())
        cols.update(id=node_id, case_id=CASE, doc=CASE, source=[f"¶{len(self.g) + 1}"], **values)
        self.g.add_node(node_id, label=label, **{k: v for k, v in cols.items() if k != "id"})
        return node_id

    def edge(self, etype: str, a: str, b: str, **values: object) -> None:
        self.edges += 1
        cols = dict.fromkeys(c for c, _ in self.schema.edges[etype].columns())
        cols.update(id=f"e{self.edges}", case_id=CASE, doc=CASE, source=[f"¶{self.edges}"], **values)
        self.g.add_edge(a, b, key=cols["id"], type=etype, **cols)

    def flow(self, label: str, a: str, b: str, child: str, item: str | None = None, **values: object) -> None:
        """A Flow or Referral node about ``child``, SENT by ``a`` to ``b`` (CARRYING ``item``)."""
        fid = self.node(label, f"{label[0]}{len(self.g)}", **values)
        self.edge("SENT", a, fid)
        self.edge("SENT_TO", fid, b)
        self.edge("CONCERNS", fid, child)
        if item:
            self.edge("CARRIES", fid, item)


def _when(rng: random.Random, after: tuple[int, int] | None = None) -> tuple[tuple[int, int], dict[str, object]]:
    choices = [m for m in MONTHS if after is None or m >= after]
    y, m = rng.choice(choices)
    end = date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1
    return (y, m), {
        "date_text": f"{y}-{m:02d}",
        "date_from": date(y, m, 1),
        "date_to": date.fromordinal(end),
        "date_precision": "month",
    }


def synthetic_case(agencies: int, seed: int) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    c = _Case()
    c.node("SourceDocument", CASE, name="Synthetic")
    n_areas = max(AREAS_PER_FORCE, agencies // 50)
    areas = [c.node("Area", f"A{i}", name=f"Area {i}") for i in range(n_areas)]
    forces = []
    for f in range(0, n_areas, AREAS_PER_FORCE):
        forces.append(c.node("PoliceForce", f"F{f // AREAS_PER_FORCE}", name=f"Force {f // AREAS_PER_FORCE}"))
        for a in areas[f : f + AREAS_PER_FORCE]:
            c.edge("COVERS", forces[-1], a)
    child = c.node("Child", "C1", name="Child", responsible_area=areas[0])
    period = {
        "period_text": "2012 – 2015",
        "period_from": date(2012, 1, 1),
        "period_to": date(2015, 12, 31),
        "period_precision": "range",
    }
    in_area: dict[str, list[str]] = {a: [] for a in areas}
    area_of: dict[str, str] = {}
    sectors = rng.choices(list(SECTORS), weights=list(SECTORS.values()), k=agencies)
    hub: dict[str, str] = {}
    for i, sector in enumerate(sectors):
        area = areas[i] if i < n_areas else rng.choice(areas)
        if i < n_areas:
            sector = "social_care"
        ag = c.node("Agency", f"AG{i}", name=f"Agency {i}", sector=sector)
        hub.setdefault(area, ag)
        if sector == "police":
            c.edge("PART_OF", ag, forces[areas.index(area) // AREAS_PER_FORCE])
        else:
            c.edge("LOCATED_IN", ag, area)
        c.edge("INVOLVED_WITH", ag, child, **period)
        in_area[area].append(ag)
        area_of[ag] = area
    agency_ids = list(area_of)
    for i in range(agencies // 4):
        employer = rng.choice(agency_ids)
        pr = c.node("Professional", f"PR{i}", name=f"Professional {i}", role="practitioner")
        c.edge("WORKS_FOR", pr, employer)
        c.edge("INVOLVED_WITH", pr, child, **period)
        in_area[area_of[employer]].append(pr)
        area_of[pr] = area_of[employer]

    def peer(p: str) -> str:
        home = area_of[p]
        if rng.random() < TO_HUB and hub[home] != p:
            return hub[home]
        if rng.random() < LOCAL:
            pool = in_area[home]
        else:
            other = rng.choice(areas)
            pool = [hub[other]] if rng.random() < HUB_TO_HUB else in_area[other]
        return rng.choice([q for q in pool if q != p] or agency_ids)

    parties = list(area_of)
    for _ in range(agencies * 4):
        a = rng.choice(parties)
        _, when = _when(rng)
        status = rng.choices(list(STATUSES), weights=list(STATUSES.values()))[0]
        c.flow("Flow", a, peer(a), child, information="synthetic", status=status, **when)
    for _ in range(agencies // 4):
        a = rng.choice(agency_ids)
        _, when = _when(rng)
        c.flow("Referral", a, peer(a), child, reason="synthetic", outcome="assessment", **when)
    for i in range(agencies // 20):  # items passed along chains of up to three steps
        holder = rng.choice(agency_ids)
        item = c.node("InformationItem", f"I{i}", name=f"Item {i}", category="other")
        c.edge("CONCERNS", item, child)
        month, when = _when(rng)
        c.edge("HOLDS", holder, item, **when)
        step = holder
        for _ in range(3):
            nxt = peer(step)
            month, when = _when(rng, month)
            c.flow("Flow", step, nxt, child, item, information=f"Item {i}", status="shared", **when)
            step = nxt
    for i in range(agencies // 10):
        convenor = hub[rng.choice(areas)]
        _, when = _when(rng)
        m = c.node("Meeting", f"M{i}", name=f"Meeting {i}", kind="strategy_meeting", status="held", **when)
        c.edge("CONCERNS", m, child)
        c.edge("CONVENED", convenor, m)
        for seat in {peer(convenor) for _ in range(rng.randint(3, 8))}:
            c.edge("ATTENDED", seat, m)
    return c.g


def _agreement(exact: dict[str, float], estimate: dict[str, float], top: int) -> int:
    """How many of the exact top brokers the estimate also puts in its top."""

    def best(scores: dict[str, float]) -> set[str]:
        return set(sorted(scores, key=lambda n: (-scores[n], n))[:top])

    return len(best(exact) & best(estimate))


def _timed(rows: list[tuple[str, float, float, str]], step: str, fn: Callable[[], object]) -> object:
    """Wall and CPU seconds: CPU time is the steadier number on a shared machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    rows.append((step, time.perf_counter() - wall, time.process_time() - cpu, ""))
    return result


def _note(rows: list[tuple[str, float, float, str]], note: str) -> None:
    rows[-1] = (*rows[-1][:3], note)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--k", type=int, default=an.SAMPLED_SOURCES, help="sources sampled for estimated betweenness")
    args = parser.parse_args(argv)
    rows: list[tuple[str, float, float, str]] = []
    g = _timed(rows, "generate the synthetic case", lambda: synthetic_case(args.agencies, args.seed))
    net = _timed(rows, "build the flow network", lambda: an.flow_network(g, "C1"))
    _note(rows, f"{net.number_of_nodes():,} parties, {net.number_of_edges():,} ties, {len(net.graph['flows']):,} flows")
    _timed(rows, "density", lambda: an.density(net))
    comps = _timed(rows, "connected components", lambda: an.components(net))
    _note(rows, f"{len(comps)} components")
    _timed(rows, "degree centrality", lambda: nx.degree_centrality(net))
    exact, _ = _timed(rows, "betweenness, exact (weighted)", lambda: an.betweenness(net, k=net.number_of_nodes()))
    estimate, _ = _timed(rows, f"betweenness, sampled (k={args.k})", lambda: an.betweenness(net, k=args.k))
    _note(rows, "; ".join(f"top {n}: {_agreement(exact, estimate, n)} of {n} as exact" for n in (5, 10)))
    central = an.centrality(net, k=args.k)
    _timed(rows, "brokers (top 5, evidence)", lambda: an.brokers(net, central))
    aps = _timed(rows, "articulation points (with what each cuts off)", lambda: an.articulation_points(net))
    _note(rows, f"{len(aps)} points")
    brs = _timed(rows, "bridges (with what each cuts off)", lambda: an.bridges(net))
    _note(rows, f"{len(brs)} bridges")
    _timed(rows, "cross-sector and cross-boundary shares", lambda: an.crossings(net))
    _timed(rows, "sector pairs: expected vs recorded", lambda: an.sector_pairs(net))
    result = _timed(rows, "analyse: every measure, default settings", lambda: an.analyse(g, "C1"))
    _note(rows, f"betweenness {result['centrality']['method']}")
    _timed(
        rows,
        "compare two periods",
        lambda: an.compare_periods(
            g,
            "C1",
            an.Window(date(2012, 1, 1), date(2013, 12, 31), "2012–13"),
            an.Window(date(2014, 1, 1), date(2015, 12, 31), "2014–15"),
        ),
    )
    copy = EmbeddedBackend(":memory:")
    _timed(rows, "what-if part: copy the case into an in-memory store", lambda: load_case(copy, an.case_from_graph(g)))
    _note(rows, f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} relationships")
    _timed(
        rows, "what-if part: meeting_horizon on the copy", lambda: run_query(copy, "meeting_horizon", CASE, child="C1")
    )
    kh = _timed(
        rows,
        "what-if part: knowledge_horizon on the copy",
        lambda: run_query(copy, "knowledge_horizon", CASE, child="C1"),
    )
    _note(rows, f"{len(kh):,} rows")
    copy.close()
    broker = result["brokers"][0]["id"]
    meeting = next(n for n, d in g.nodes(data=True) if d["label"] == "Meeting")
    outsider = next(p for p in net if not g.has_edge(p, meeting))
    w = _timed(
        rows,
        f"what-if, whole: remove {broker}, invite {outsider} to {meeting}",
        lambda: an.what_if(g, "C1", remove=[broker], add=[an.NewEdge("INVITED_TO", outsider, meeting)]),
    )
    _note(
        rows,
        f"components {w['before']['components']} → {w['after']['components']}; "
        f"{len(w['meetings'])} meeting/item reach changes; {len(w['knowledge'])} items' horizons changed",
    )
    print(
        f"Silo analytics on a synthetic network of {args.agencies:,} agencies (seed {args.seed}), "
        f"networkx {nx.__version__}, {os.cpu_count()} CPUs.\n"
    )
    print("| step | wall s | CPU s | notes |\n|---|---:|---:|---|")
    for step, wall, cpu, note in rows:
        print(f"| {step} | {wall:.3f} | {cpu:.3f} | {note} |")


if __name__ == "__main__":
    main()
