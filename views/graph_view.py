"""What the Network page draws: the case graph narrowed by the reviewer's filters, with the gaps.

Pure functions over the networkx graph from ``graph.export.to_networkx``, so the view logic is
tested without Streamlit and is the same on both backends. Narrowing to a child keeps what the
review ties to that child (its meetings, events and information and whoever took part in them,
flows and referrals about it, its placements and the agencies involved) and drops what belongs
only to another child, so the two children of a joint review can be looked at one at a time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from findings.facts import PARTY_LABELS, Facts, facts_of

MAX_NODES = 2_000
DENSE_OVERLAY = 80  # a gap question with more missing links than this starts unticked: a red hairball otherwise
# Shown on request: events are on the Timeline, areas link to nearly everything, learning and
# good-practice points and documents are the review's own structure rather than the case's.
HIDDEN_BY_DEFAULT = ("Area", "Event", "InformationItem", "LearningPoint", "GoodPracticePoint", "SourceDocument")
GAP = "GAP"  # the type of the findings overlay's edges: one per finding (views/overlay.py)
SECTOR_COLOURS = {
    "social_care": "#E69F00",
    "police": "#0072B2",
    "health": "#009E73",
    "education": "#56B4E9",
    "voluntary": "#CC79A7",
    "adult_services": "#8C564B",
    "courts": "#17BECF",
    "governance": "#BCBD22",
    "multi_agency": "#9467BD",
    "other": "#A0A0A0",
}
# label → (vis shape, colour (or vis colour object) when the type has no sector, legend symbol, size)
TYPE_STYLE = {
    "Child": ("star", "#F0C000", "★", 30),
    "Agency": ("dot", None, "●", 16),
    "PoliceForce": ("dot", None, "●", 22),
    "Professional": ("triangle", None, "▲", 13),
    "FamilyMember": ("triangleDown", "#D9A679", "▼", 14),
    "PersonOfConcern": ("diamond", "#222222", "◆", 18),
    "Meeting": ("square", "#8DA0CB", "■", 12),
    "Flow": ("dot", "#1F77B4", "•", 7),  # an information flow: SENT by one party, SENT_TO another
    "Referral": ("dot", "#6A3D9A", "•", 7),
    "Event": ("diamond", "#C8C8C8", "◆", 9),
    "InformationItem": ("diamond", "#9CCB86", "◆", 11),
    "Placement": ("hexagon", {"background": "#FFFFFF", "border": "#8C6D1F"}, "⬢", 13),
    "Area": ("hexagon", "#DDDDDD", "⬢", 18),
    "LearningPoint": ("diamond", "#C2A5CF", "◆", 10),
    "GoodPracticePoint": ("diamond", "#A6DBA0", "◆", 10),
    "SourceDocument": ("square", "#FFFFFF", "■", 10),
    "Channel": ("square", "#F4A6A6", "■", 10),  # Offender map only: how contact happened
    "Place": ("hexagon", "#9ECAE1", "⬢", 11),  # Offender map only: where, as the review says
}
# Names that must stay readable when a whole case is zoomed out.
FONT_SIZE = {"Child": 22, "PersonOfConcern": 16}
HIGHLIGHT = "#D62728"  # border of a node the page points out
LABEL_CHARS = 30  # longer names are shortened on the canvas (the tooltip holds the full name)
LAYOUT_SCALE = 900  # network_tools.layout positions (about -1..1) in vis.js canvas units
# style → (colour, width, dashed, meaning in the legend)
EDGE_STYLE = {
    "SENT": ("#1F77B4", 2, False, "information flow recorded (sent, and where it went)"),
    "FAILED": ("#FF9900", 2, False, "flow recorded as failed (late, not shared …)"),
    "REFERRAL": ("#6A3D9A", 2, False, "referral"),
    "CONTACTED": ("#222222", 2, False, "contact with the child"),
    "TIE_FLOW": ("#1F77B4", 3, False, "information flowed (flow or referral)"),
    "TIE_MEETING": ("#8DA0CB", 1.5, False, "met at a meeting, no flow recorded"),
    "TIE_ORG": ("#B0B0B0", 1.5, False, "same organisation, no flow recorded"),
    "LINKED": ("#9467BD", 2.5, True, "children linked through a person or place"),
    GAP: ("#D62728", 2.5, True, "expected link missing (a gap)"),
    "OTHER": ("#B0B0B0", 1, False, "other recorded link"),
}
TIP_FIELDS = (
    "role",
    "sector",
    "involvement",
    "strength",
    "kind",
    "relationship",
    "category",
    "status",
    "date_text",
    "period_text",
    "information",
    "reason",
    "outcome",
    "channel",
    "place",
    "item",
    "duration_hours",
    "legal_status",
    "links",
)
# A cluster's head (views.network_tools.cluster) in the legend: its dashed ring is the cluster's mark.
CLUSTER_LEGEND = ("cluster: what is folded into a node (+ how many); open it below the picture", "#555555", "◌")
_EXEMPT = ("Child",)  # never pruned as isolated: the child is the point of the picture


@dataclass
class ViewFilter:
    child: str = ""
    window: tuple[date, date] | None = None
    sectors: set[str] | None = None
    areas: set[str] | None = None
    types: set[str] | None = None
    focus: str = ""
    radius: int = 1
    gaps: list[dict] = field(default_factory=list)  # from views.overlay.finding_links()


def span(attrs: dict) -> tuple[date, date] | None:
    """The dates an element covers (``date`` or ``period``); None when it has none."""
    for prop in ("date", "period"):
        lo, hi = attrs.get(f"{prop}_from"), attrs.get(f"{prop}_to")
        if lo or hi:
            return lo or date.min, hi or date.max
    return None


def overlaps(attrs: dict, window: tuple[date, date]) -> bool:
    s = span(attrs)
    return s is None or (s[0] <= window[1] and s[1] >= window[0])


def date_range(g: nx.MultiDiGraph) -> tuple[date, date] | None:
    """Earliest and latest date anything in the case covers (open ends ignored)."""
    days = [
        v
        for _, _, a in g.edges(data=True)
        for k, v in a.items()
        if k.endswith(("date_from", "date_to", "period_from", "period_to")) and isinstance(v, date)
    ]
    days += [
        v for _, a in g.nodes(data=True) for k, v in a.items() if k in ("date_from", "date_to") and isinstance(v, date)
    ]
    return (min(days), max(days)) if days else None


def _targets(g: nx.MultiDiGraph, node: str, etype: str) -> list[str]:
    return [b for _, b, a in g.out_edges(node, data=True) if a.get("type") == etype]


def sector_of(g: nx.MultiDiGraph, node: str, facts: Facts | None = None) -> str | None:
    """A party's sector as ``findings.facts`` derives it (its own, else its employer's or parent's;
    a police force is police); None for what is not a party or has none recorded. Pass ``facts``
    when asking node by node: ``facts_of`` counts the graph's edges on every call."""
    if g.nodes[node].get("label") not in PARTY_LABELS:
        return None
    return (facts or facts_of(g)).sector(node) or None


def areas_of(g: nx.MultiDiGraph, node: str, facts: Facts | None = None) -> set[str]:
    """Areas a node is in: a party's as ``findings.facts`` derives them (its own, else its
    employer's or parent's; a force's COVERS); a placement's or meeting's LOCATED_IN."""
    label = g.nodes[node].get("label")
    if label == "Area":
        return {node}
    if label in PARTY_LABELS:
        return (facts or facts_of(g)).areas(node)
    return set(_targets(g, node, "LOCATED_IN"))


def child_scope(g: nx.MultiDiGraph, child: str) -> set[str]:
    """Nodes the review ties to ``child`` (see the module docstring)."""
    if child not in g:
        return set()
    about = {a for a, _, e in g.in_edges(child, data=True) if e.get("type") == "CONCERNS"}
    keep = {child, *nx.all_neighbors(g, child), *about}
    keep |= {n for a, b, e in g.edges(data=True) if e.get("child") == child for n in (a, b)}
    for n in about:
        keep |= set(nx.all_neighbors(g, n))
    for n in list(keep):
        keep |= (
            set(_targets(g, n, "WORKS_FOR"))
            | set(_targets(g, n, "LOCATED_IN"))
            | set(_targets(g, n, "PROVIDED_BY"))
            | set(_targets(g, n, "PART_OF"))
        )
    return {n for n in keep if n == child or g.nodes[n].get("label") != "Child"}


def build_view(g: nx.MultiDiGraph, f: ViewFilter) -> nx.MultiDiGraph:
    """The subgraph to draw, with gap links added as edges of type ``GAP``."""
    keep = child_scope(g, f.child) if f.child else set(g)
    facts = facts_of(g) if f.sectors is not None or f.areas is not None else None  # once, not per node
    for n in list(keep):
        attrs = g.nodes[n]
        if f.types is not None and attrs.get("label") not in f.types:
            keep.discard(n)
        elif f.sectors is not None and (s := sector_of(g, n, facts)) is not None and s not in f.sectors:
            keep.discard(n)
        elif f.areas is not None and (a := areas_of(g, n, facts)) and not a & f.areas:
            keep.discard(n)
        elif f.window and not overlaps(attrs, f.window):
            keep.discard(n)
    view = nx.MultiDiGraph()
    view.add_nodes_from((n, g.nodes[n]) for n in keep)
    for a, b, k, attrs in g.edges(keys=True, data=True):
        if a not in keep or b not in keep:
            continue
        if f.child and attrs.get("child") not in (None, f.child):
            continue
        if f.window and not overlaps(attrs, f.window):
            continue
        view.add_edge(a, b, key=k, **attrs)
    for i, link in enumerate(f.gaps):
        if link["from"] in view and link["to"] in view:
            view.add_edge(
                link["from"],
                link["to"],
                key=f"gap-{i}",
                type=GAP,
                gap="; ".join(link["gaps"]),
                information="\n".join(link["lines"]),
                source=link["evidence"],
            )
    if f.focus and f.focus in view:
        view = view.subgraph(nx.ego_graph(view.to_undirected(as_view=True), f.focus, radius=f.radius)).copy()
    exempt = {f.focus, f.child}
    view.remove_nodes_from(
        [n for n in list(view) if view.degree(n) == 0 and n not in exempt and view.nodes[n].get("label") not in _EXEMPT]
    )
    return view


def _tip(kind: str, name: object, attrs: dict) -> str:
    lines = [f"{kind}: {name}" if name else kind]
    lines += [
        f"{k.replace('_text', '').replace('_', ' ')}: {attrs[k]}"
        for k in TIP_FIELDS
        if attrs.get(k) not in (None, "", [])
    ]
    refs = attrs.get("source") or []
    lines.append("Evidence: " + (", ".join(map(str, refs)) if refs else "none recorded"))
    return "\n".join(lines)


def _edge_style(etype: str, flow: dict | None) -> str:
    """Which ``EDGE_STYLE`` row draws an edge; a SENT or SENT_TO edge by its ``flow`` node."""
    if flow is not None:
        if flow.get("label") == "Referral":
            return "REFERRAL"
        return "SENT" if flow.get("status") in ("shared", "late") else "FAILED"
    return etype if etype in EDGE_STYLE else "OTHER"


def vis_elements(
    g: nx.MultiDiGraph,
    sectors: dict[str, str | None] | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
) -> tuple[list[dict], list[dict], list[tuple[str, str, str]]]:
    """Nodes, edges and legend rows for ``network_html``; ``sectors`` maps node → sector;
    ``positions`` (from ``network_tools.layout``) fixes where each node is drawn."""
    if sectors is None:
        facts = facts_of(g)
        sectors = {n: sector_of(g, n, facts) for n in g}
    nodes, labels_seen, sectors_seen, mark_rows = [], {}, set(), set()
    for n, attrs in g.nodes(data=True):
        label = attrs.get("label", "?")
        shape, colour, symbol, size = TYPE_STYLE.get(label, ("dot", "#999999", "●", 12))
        sector = sectors.get(n)
        labels_seen.setdefault(label, (symbol, (colour["border"] if isinstance(colour, dict) else colour) or "#555555"))
        if colour is None:
            colour = SECTOR_COLOURS.get(sector or "other", SECTOR_COLOURS["other"])
            sectors_seen.add(sector or "other")
        name = str(attrs.get("name") or n)
        tip = _tip(f"{label} {n}", name, attrs)
        if attrs.get("folded"):
            tip += f"\nStands for {attrs['folded']} team(s) or practitioner(s) (agency level)"
        node = {"id": n, "label": short_label(name), "shape": shape, "color": colour, "size": size, "tip": tip}
        if positions and n in positions:
            node |= {"x": round(positions[n][0] * LAYOUT_SCALE), "y": round(positions[n][1] * LAYOUT_SCALE)}
        if label in FONT_SIZE:
            node["font"] = {"size": FONT_SIZE[label]}
        if attrs.get("members"):
            _as_cluster(node, attrs["members"])
            mark_rows.add(CLUSTER_LEGEND)
        if attrs.get("highlight"):  # e.g. a party the what-if takes out
            fill = colour["background"] if isinstance(colour, dict) else colour
            node |= {"color": {"background": fill, "border": HIGHLIGHT}, "borderWidth": 4}
            mark_rows.add((attrs["highlight"], HIGHLIGHT, "◯"))
        nodes.append(node)
    edges, styles_seen = [], set()
    for a, b, attrs in g.edges(data=True):
        etype = attrs.get("type", "")
        flow = attrs.get("via") or (g.nodes[b if etype == "SENT" else a] if etype in ("SENT", "SENT_TO") else None)
        style = _edge_style(etype, flow)
        colour, width, dashed, meaning = EDGE_STYLE[style]
        styles_seen.add(style)
        header = {GAP: f"Missing — {attrs.get('gap')}", "LINKED": f"Linked — {attrs.get('link')}"}.get(
            etype, meaning if etype.startswith("TIE_") else etype
        )
        shown = {k: v for k, v in attrs.items() if k != "via"}
        edge = {"from": a, "to": b, "color": colour, "width": width, "dashes": dashed, "tip": _tip(header, "", shown)}
        if attrs.get("links", 1) > 1:  # several links of one kind merged into a cluster's edge
            edge["width"] = width + min(4.0, math.log2(attrs["links"]))
        if etype.startswith("TIE_"):  # a tie says two parties were connected, not who spoke first
            edge["arrows"] = {"to": {"enabled": False}}
        edges.append(edge)
    legend = [(label, colour, symbol) for label, (symbol, colour) in sorted(labels_seen.items())]
    legend += [(f"sector: {s.replace('_', ' ')}", SECTOR_COLOURS.get(s, "#A0A0A0"), "●") for s in sorted(sectors_seen)]
    legend += [
        (meaning, colour, "┅" if dashed else "━")
        for style, (colour, _, dashed, meaning) in EDGE_STYLE.items()
        if style in styles_seen and style != "OTHER"
    ]
    legend += sorted(mark_rows)
    return nodes, edges, legend


def _as_cluster(node: dict, members: dict[str, int]) -> None:
    """Draw a cluster's head as an i2 or Linkurious user knows one: sized by how much it holds,
    a dashed ring, its name with the count, and what it holds by type in the tooltip."""
    total = sum(members.values())
    node["label"] = f"{node['label']} (+{total})"
    node["size"] = node["size"] + round(4 * math.sqrt(total))
    node["borderWidth"] = 3
    node["shapeProperties"] = {"borderDashes": [5, 3]}
    held = ", ".join(f"{count} × {label}" for label, count in sorted(members.items()))
    node["tip"] += f"\nCluster: also stands for {held} (open it under 'Open clusters')"


def short_label(name: str) -> str:
    """A label short enough to sit beside its node; the full name is in the tooltip."""
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 2].rstrip() + "…"


def node_table(g: nx.MultiDiGraph) -> list[dict]:
    """One row per node for the table beside the picture (and above the cap, instead of it)."""
    degree = dict(g.degree())
    return [
        {
            "id": n,
            "type": a.get("label"),
            "name": a.get("name"),
            "links": degree.get(n, 0),
            "evidence": a.get("source") or [],
        }
        for n, a in sorted(g.nodes(data=True), key=lambda x: -degree[x[0]])
    ]


def offender_graph(contacts: list[dict], linked: list[dict], g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Persons of concern, the children they reached, by which channels and at which places.

    From ``offender_contact`` rows (one per contact) and ``linked_children`` rows; channels and
    places become nodes so that a shared channel or venue shows as a shared neighbour.
    """
    out = nx.MultiDiGraph()

    def node(n: str, **attrs: object) -> None:
        if n not in out:
            out.add_node(n, **(dict(g.nodes[n]) if n in g else attrs))

    for i, r in enumerate(contacts):
        person, child = r["person"], r["child"]
        node(person, label="PersonOfConcern", name=r.get("person_name"))
        node(child, label="Child", name=child)
        out.add_edge(
            person,
            child,
            key=f"contact-{i}",
            type="CONTACTED",
            channel=r.get("channel"),
            place=r.get("place"),
            date_text=r.get("date"),
            outcome=r.get("outcome"),
            source=r["evidence"],
        )
        if r.get("channel"):
            channel = f"channel:{r['channel']}"
            node(channel, label="Channel", name=str(r["channel"]).replace("_", " "), source=[])
            out.add_edge(person, channel, key=f"channel-{i}", type="BY", source=r["evidence"])
        if r.get("place_id"):  # a Place node of the case: the same venue is one node for every child
            place = str(r["place_id"])
            node(place, label="Place", name=r.get("place") or place, source=[])
            out.add_edge(person, place, key=f"place-{i}", type="AT", source=r["evidence"])
            out.add_edge(child, place, key=f"place-child-{i}", type="AT", source=r["evidence"])
    for i, r in enumerate(linked):
        if r["child_a"] in out and r["child_b"] in out:
            out.add_edge(
                r["child_a"],
                r["child_b"],
                key=f"linked-{i}",
                type="LINKED",
                link=f"{r.get('link')}: {r.get('via_name')}",
                information="; ".join(r.get("contacts") or []),
                source=r["evidence"],
            )
    return out


def flow_view(net: nx.Graph, taken_out: Iterable[str] = ()) -> nx.MultiDiGraph:
    """A ``findings.silo.flow_network`` (undirected ties) in the shape ``vis_elements`` draws."""
    out = nx.MultiDiGraph()
    taken_out = set(taken_out)
    for n, a in net.nodes(data=True):
        out.add_node(
            n,
            label=a["label"],
            name=a["name"],
            sector=a["sector"],
            source=a["evidence"],
            involvement="involved with the child" if a["involved"] else "tied to someone involved",
            **({"highlight": "taken out in the what-if"} if n in taken_out else {}),
        )
    for a, b, t in net.edges(data=True):
        kinds = set(t["kinds"])
        etype = "TIE_FLOW" if kinds & {"flow", "referral"} else "TIE_MEETING" if "meeting" in kinds else "TIE_ORG"
        out.add_edge(a, b, type=etype, kind=", ".join(t["kinds"]), strength=t["strength"], source=t["evidence"])
    return out
