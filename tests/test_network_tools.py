"""The analyst's network tools on the small made-up case: agency level, neighbours on demand,
the path between two entities (plain and in time order), one layout for screen and image."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from graph.embedded import EmbeddedBackend
from graph.export import to_networkx
from graph.load import load_case
from views.graph_view import HIDDEN_BY_DEFAULT, ViewFilter, build_view, vis_elements
from views.images import network_image
from views.network_html import network_html
from views.network_tools import expand, fold_to_agencies, layout, records_as_links, shortest_path, time_respecting_path


@pytest.fixture(scope="module")
def g(mini_case) -> nx.MultiDiGraph:
    backend = EmbeddedBackend(":memory:")
    load_case(backend, mini_case)
    graph = records_as_links(to_networkx(backend, "mini"))
    backend.close()
    return graph


def default_view(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    labels = {a.get("label") for _, a in g.nodes(data=True)} - set(HIDDEN_BY_DEFAULT)
    return build_view(g, ViewFilter(types=labels))


def test_agency_level_folds_practitioners_and_teams_into_their_agency(g):
    view = default_view(g)
    folded = fold_to_agencies(view, g)
    assert "SW" in view and "SW" not in folded and folded.nodes["CSC"]["folded"] == 1
    # the social worker's links now run from the agency; none runs from an agency to itself
    assert {b for _, b in view.out_edges("SW")} - {"CSC"} <= set(folded.successors("CSC")) | set(
        folded.predecessors("CSC")
    )
    assert not any(a == b for a, b in folded.edges())
    flows = {n for n in view if view.nodes[n].get("label") in ("Flow", "Referral")}
    # teams only: the police unit POL folds into its force F1 (findings.facts' organisation); flows become links
    assert set(fold_to_agencies(view, g, professionals=True)) == set(view) - flows - {"POL"}
    assert folded.nodes["F1"]["folded"] == 1 and "POL" not in folded
    links = [(a, b, e) for a, b, e in folded.edges(data=True) if e.get("flow") == "F-3"]
    assert [(a, b, e["type"], e["status"]) for a, b, e in links] == [("GP", "SCH", "SENT_TO", "shared")]


def test_marks_travel_to_the_agency_that_stands_for_a_node(g):
    view = default_view(g)
    view.nodes["SW"]["highlight"] = "the node in focus"
    assert fold_to_agencies(view, g).nodes["CSC"]["highlight"] == "the node in focus"


def test_expand_adds_every_neighbour_within_scope(g):
    view = build_view(g, ViewFilter(focus="OFF", types={"PersonOfConcern", "Child"}))
    assert set(view) == {"OFF", "C1"}
    grown = expand(view, g, ["C1"])
    assert set(nx.all_neighbors(g, "C1")) <= set(grown)
    assert set(expand(view, g, ["C1"], scope={"C1", "OFF", "M1"})) == {"OFF", "C1", "M1"}


def test_shortest_path_ignores_direction_and_time_respecting_path_keeps_both(g):
    assert shortest_path(g, "GP", "POL")[0] == "GP" and shortest_path(g, "GP", "POL")[-1] == "POL"
    # GP told the school (flow F-3, Feb 2015), the school the home (F-4, Apr), the home the police (F-2, May)
    assert time_respecting_path(g, "GP", "POL") == ["GP", "F-3", "SCH", "F-4", "HOME", "F-2", "POL"]
    # the home told social care in Jan 2015 (F-5), before it knew: no time-respecting route GP → HOME → CSC;
    # the school's referral (Apr 2015) after the GP's flow (Feb) is one
    referral = next(n for n, a in g.nodes(data=True) if a.get("label") == "Referral")
    assert time_respecting_path(g, "GP", "CSC") == ["GP", "F-3", "SCH", referral, "CSC"]
    assert "F-1" not in time_respecting_path(g, "GP", "M1")  # F-1 was not shared: nothing travelled by it
    assert time_respecting_path(g, "POL", "GP") == []  # nothing flowed back to the GP
    assert time_respecting_path(g, "GP", "GP") == ["GP"]


def test_one_seeded_layout_grouped_by_area_for_screen_and_image(g):
    view = default_view(g)
    pos = layout(view, g)
    assert set(pos) == set(view) and pos == layout(view, g)
    nodes, edges, legend = vis_elements(view, positions=pos)
    html = network_html(nodes, edges, legend)
    drawn = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    assert all("x" in n and "y" in n for n in drawn)
    options = json.loads(re.search(r"options = (\{\".*?\});\n", html).group(1))
    assert options["physics"] == {"enabled": False} and "scaling" not in options["nodes"]  # labels always shown
    png = network_image(nodes, edges, legend, "png")
    svg = network_image(nodes, edges, legend, "svg").decode()
    assert png.startswith(b"\x89PNG") and "<svg" in svg and "Social care A1" in svg
