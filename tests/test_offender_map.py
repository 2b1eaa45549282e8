"""The offender map's rows on Child Q & S: contacts in date order, the date window, the picker's order,
and places as Place nodes (one node per venue)."""

from __future__ import annotations

from datetime import date

from graph.export import to_networkx
from queries.library import run_query
from views.graph_view import offender_graph
from views.offender_rows import by_date, in_window, persons_first
from views.pseudonym import Pseudonymiser


def test_contacts_in_date_order_window_and_persons_of_concern_first(embedded_qs):
    contacts = run_query(embedded_qs, "offender_contact", case_id="child-q-s", child="")
    ordered = by_date(contacts)
    dates = [r["date_from"] for r in ordered if r["date_from"]]
    assert dates == sorted(dates) and len({r["child"] for r in ordered}) == 2
    assert all(r["date_from"] is None for r in ordered[len(dates) :])  # undated last
    window = (date(2015, 1, 1), date(2015, 12, 31))
    kept = [r for r in ordered if in_window(r, window)]
    assert 0 < len(kept) < len(ordered)
    assert all(r["date_from"] is None or (r["date_from"] <= window[1]) for r in kept)
    g = to_networkx(embedded_qs, "child-q-s")
    persons = persons_first({r["person"] for r in contacts}, g, Pseudonymiser())
    labels = [g.nodes[p]["label"] for p in persons]
    assert labels[0] == "PersonOfConcern" and labels == sorted(labels, key=lambda lab: lab != "PersonOfConcern")


def test_places_are_place_nodes_shared_by_every_child_contacted_there(embedded_qs):
    contacts = run_query(embedded_qs, "offender_contact", case_id="child-q-s", child="")
    g = to_networkx(embedded_qs, "child-q-s")
    view = offender_graph(contacts, [], g)
    places = [n for n, a in view.nodes(data=True) if a.get("label") == "Place"]
    assert places and all(p in g and g.nodes[p]["label"] == "Place" for p in places)
    assert {r["place_id"] for r in contacts if r["place_id"]} == set(places)
