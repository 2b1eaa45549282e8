"""Clusters on the Network page (issue 15): above a size the view folds practitioners into their
agency, then a child's own records into the child; the focus and every finding stay in sight, the
counts add up, pseudonymised labels hold, and Child Q & S's views are drawn as before.

On a small synthetic case (loaders/synthetic/) with a low threshold, so the grouping is
checked quickly; the threshold's own value is checked on Child Q & S."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from findings.engine import run_findings
from graph.embedded import EmbeddedBackend
from graph.export import to_networkx
from graph.load import load_case
from loaders.synthetic import generate
from loaders.validate import validate_path
from views.graph_view import CLUSTER_LEGEND, HIDDEN_BY_DEFAULT, ViewFilter, build_view, short_label, vis_elements
from views.images import network_image
from views.network_tools import CLUSTER_ABOVE, child_records, cluster, fold_to_agencies, records_as_links
from views.overlay import finding_links
from views.pseudonym import Pseudonymiser

PARTIES = ("Agency", "Professional", "PoliceForce")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[nx.MultiDiGraph, list[dict]]:
    """A 12-child synthetic case and its findings overlay (every theme), from a real store."""
    case = validate_path(generate(12, 7, tmp_path_factory.mktemp("clusters")))
    backend = EmbeddedBackend(":memory:")
    load_case(backend, case)
    g = records_as_links(to_networkx(backend, case.case_id))
    report = run_findings(backend, case.case_id)
    backend.close()
    return g, finding_links(report.findings, g)


def default_view(g: nx.MultiDiGraph, child: str = "", gaps: list[dict] = (), agency_level: bool = True):
    labels = {a.get("label") for _, a in g.nodes(data=True)} - set(HIDDEN_BY_DEFAULT)
    view = build_view(g, ViewFilter(child=child, types=labels, gaps=list(gaps)))
    return fold_to_agencies(view, g) if agency_level else view


def head_of(view: nx.MultiDiGraph, clustered: nx.MultiDiGraph) -> dict[str, str]:
    """Where each node of ``view`` went: itself, or the cluster whose members it joined."""
    folded = child_records(view, None, None)
    return {n: n if n in clustered else folded[n] for n in view}


def test_a_childs_records_fold_into_the_child_and_the_counts_add_up(synthetic):
    g, _ = synthetic
    view = default_view(g)
    clustered = cluster(view, g, threshold=view.number_of_nodes() // 2)
    heads = {n: a["members"] for n, a in clustered.nodes(data=True) if a.get("members")}
    assert heads and {clustered.nodes[h]["label"] for h in heads} == {"Child"}  # agency level: nothing else to fold
    went = head_of(view, clustered)
    for h, members in heads.items():
        assert members == Counter(view.nodes[n]["label"] for n, to in went.items() if to == h and n != h)
    assert clustered.number_of_nodes() == view.number_of_nodes() - sum(sum(m.values()) for m in heads.values())
    assert clustered.number_of_nodes() <= view.number_of_nodes() // 2
    # every link between two different clusters (or nodes) is kept, merged ones counted in `links`
    crossing = sum(1 for a, b in view.edges() if went[a] != went[b])
    assert sum(e.get("links", 1) for *_, e in clustered.edges(data=True)) == crossing
    assert not any(a == b for a, b in clustered.edges())
    assert {"PersonOfConcern", "Agency"} <= {a["label"] for _, a in clustered.nodes(data=True)}  # never a record


def test_practitioners_fold_into_their_agency_first_and_only_as_far_as_needed(synthetic):
    g, _ = synthetic
    view = default_view(g, agency_level=False)
    practitioners = [n for n, a in view.nodes(data=True) if a["label"] == "Professional"]
    agency_only = cluster(view, g, threshold=view.number_of_nodes() - len(practitioners))
    heads = [n for n, a in agency_only.nodes(data=True) if a.get("members")]
    assert heads and all(agency_only.nodes[h]["label"] in PARTIES for h in heads)
    assert not any(a["label"] == "Professional" for _, a in agency_only.nodes(data=True))
    assert sum(agency_only.nodes[h]["members"].get("Professional", 0) for h in heads) == len(practitioners)
    both = cluster(view, g, threshold=50)
    assert {both.nodes[n]["label"] for n in both if both.nodes[n].get("members")} >= {"Child", "Agency"}


def test_the_focus_marks_and_what_was_asked_for_stay_out_of_clusters(synthetic):
    g, _ = synthetic
    view = default_view(g)
    records = child_records(view, g, None)
    meeting = next(n for n, h in sorted(records.items()) if view.nodes[n]["label"] == "Meeting")
    family = next(n for n, h in sorted(records.items()) if view.nodes[n]["label"] == "FamilyMember")
    view.nodes[meeting]["highlight"] = "the node in focus"
    clustered = cluster(view, g, keep_out={family}, threshold=10)
    assert clustered.nodes[meeting]["highlight"] == "the node in focus" and family in clustered
    assert clustered.has_edge(meeting, records[meeting]) or clustered.has_edge(records[meeting], meeting)
    child = records[meeting]
    kept = sum(1 for n, h in records.items() if h == child) - 1 - (records.get(family) == child)
    assert sum(clustered.nodes[child]["members"].values()) == kept


def test_an_opened_cluster_shows_its_records(synthetic):
    g, _ = synthetic
    view = default_view(g)
    records = child_records(view, g, None)
    child = min(set(records.values()))
    clustered = cluster(view, g, opened={child}, threshold=10)
    assert "members" not in clustered.nodes[child]
    assert {n for n, h in records.items() if h == child} <= set(clustered)
    assert all(n not in clustered for n, h in records.items() if h != child)


def test_every_finding_edge_stays_one_edge_re_targeted_to_its_cluster(synthetic):
    g, links = synthetic
    view = default_view(g, gaps=links)
    records = child_records(view, g, None)
    # one more finding edge inside a child's own records: its ends must then stay out of the cluster
    meeting, child = next((n, h) for n, h in sorted(records.items()) if view.nodes[n]["label"] == "Meeting")
    inside = {"from": meeting, "to": child, "gaps": ["test"], "lines": ["inside"], "evidence": ["¶1"]}
    view = default_view(g, gaps=[*links, inside])
    gaps = {k: (a, b) for a, b, k, e in view.edges(keys=True, data=True) if e["type"] == "GAP"}
    assert len(gaps) > 10
    clustered = cluster(view, g, threshold=10)
    shown = {k: (a, b) for a, b, k, e in clustered.edges(keys=True, data=True) if e["type"] == "GAP"}
    assert shown.keys() == gaps.keys()  # one edge per finding, none merged, none lost
    went = head_of(view, clustered)
    assert all(shown[k] == (went[a], went[b]) and went[a] != went[b] for k, (a, b) in gaps.items())
    assert any(shown[k] != ends for k, ends in gaps.items())  # some now run to a cluster
    assert meeting in clustered and shown[f"gap-{len(links)}"] == (meeting, child)


def test_cluster_labels_are_name_and_count_pseudonymised_too(synthetic):
    g, _ = synthetic
    clustered = cluster(default_view(g), g, threshold=10)
    pz = Pseudonymiser.from_graph(g)
    nodes, edges, legend = vis_elements(pz.graph(clustered))
    heads = {pz.codes[n]: sum(a["members"].values()) for n, a in clustered.nodes(data=True) if a.get("members")}
    drawn = {n["id"]: n for n in nodes}
    for code, count in heads.items():
        assert drawn[code]["label"] == f"{short_label(code)} (+{count})"
        assert drawn[code]["shapeProperties"] == {"borderDashes": [5, 3]} and drawn[code]["size"] > 30
        assert "Cluster: also stands for" in drawn[code]["tip"]
    assert CLUSTER_LEGEND in legend
    merged = [e for e in edges if "links: " in e["tip"]]
    assert merged and all(e["width"] > 1 for e in merged)
    text = " ".join([*(drawn[c]["label"] + drawn[c]["tip"] for c in heads), *(e["tip"] for e in merged)])
    assert pz.text(text) == text  # no name left that pseudonymised mode would replace
    assert not {n for n in clustered if g.nodes[n]["label"] == "Child"} & set(drawn)  # ids travel as codes
    assert network_image(nodes, edges, legend, "svg").startswith(b"<?xml")  # the image file draws the same


@pytest.fixture(scope="module")
def qs(embedded_qs) -> nx.MultiDiGraph:
    return records_as_links(to_networkx(embedded_qs, "child-q-s"))


@pytest.mark.parametrize("child", ["", "Q", "S"])
@pytest.mark.parametrize("agency_level", [True, False])
def test_child_q_and_s_default_views_are_drawn_as_before(qs, child, agency_level):
    view = default_view(qs, child, agency_level=agency_level)
    assert view.number_of_nodes() <= CLUSTER_ABOVE
    assert cluster(view, qs) is view
