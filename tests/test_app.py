"""The Streamlit explorer, page by page, headless (streamlit.testing.v1.AppTest).

Each test starts the app on a fresh embedded store file (JOINED_UP_DB in tmp_path) with the
small made-up case as the bundled case (JOINED_UP_CASE), so answers are known by hand; two tests
run on the real default, Child Q & S. AppTest runs no JavaScript: the pyvis picture is checked
through the node and edge data in the iframe's HTML; the browser test draws it for real.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import os
import re
import shutil
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from findings.engine import run_findings
from findings.model import THEMES
from graph.embedded import EmbeddedBackend
from graph.export import to_networkx
from graph.load import load_case
from queries.library import registry
from views.downloads import graph_bytes, report_text
from views.graph_view import ViewFilter, build_view, child_scope, vis_elements
from views.network_html import network_html
from views.network_tools import records_as_links
from views.pseudonym import Pseudonymiser

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MINI = ROOT / "tests" / "fixtures" / "mini-case"
XSS = "<img src=x onerror=window.__xss=1>"
MINI_NAMES = ("Child O'Neil {x}", "Key social worker", "Older male")
MINI_PLACES = (
    "Social care A1",
    "GP practice A2",
    "School A2",
    "Force 1 police",
    "Children's home A2",
    "Home in A2",
    "His home",
)


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()  # closes the store (on_release), releasing its file


@pytest.fixture(scope="session")
def loaded_store(tmp_path_factory, mini_case) -> Path:
    """A store file holding the mini case, copied for each test (quicker than loading each time)."""
    path = tmp_path_factory.mktemp("store") / "mini.lbug"
    backend = EmbeddedBackend(path)
    load_case(backend, mini_case)
    backend.close()
    return path


@pytest.fixture
def fresh(tmp_path, monkeypatch) -> Path:
    """An empty store file and the mini case as the bundled case: the app's first start."""
    monkeypatch.setenv("JOINED_UP_DB", str(tmp_path / "store.lbug"))
    monkeypatch.setenv("JOINED_UP_CASE", str(MINI))
    monkeypatch.setenv("JOINED_UP_SUMMARY_DIR", str(tmp_path / "summaries"))
    for var in ("NEO4J_URI", "JOINED_UP_BACKEND", "JOINED_UP_ALLOW_UPLOAD"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


@pytest.fixture
def env(fresh, loaded_store) -> Path:
    """A store that already holds the mini case."""
    shutil.copy(loaded_store, fresh / "store.lbug")
    return fresh


@functools.cache
def mini_report(child: str | None = None):
    """The engine's report on the mini case, from its own in-memory store: what every page must show."""
    from loaders.validate import validate_path

    backend = EmbeddedBackend(":memory:")
    load_case(backend, validate_path(MINI))
    return run_findings(backend, "mini", child)


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def app(env) -> AppTest:
    return start()


def srcdoc(at: AppTest, i: int = 0) -> str:
    return at.get("iframe")[i].proto.srcdoc


def vis(at: AppTest, i: int = 0) -> tuple[list[dict], list[dict]]:
    html = srcdoc(at, i)
    nodes = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1)
    edges = re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1)
    return json.loads(nodes), json.loads(edges)


def node_ids(at: AppTest, i: int = 0) -> set[str]:
    return {n["id"] for n in vis(at, i)[0]}


def texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("markdown", "caption", "info", "warning", "success", "error") for e in getattr(at, kind)
    ]
    return "\n".join(map(str, parts))


def tables(at: AppTest) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


# --- start-up, overview ------------------------------------------------------------------------


def test_first_start_loads_the_bundled_case_and_overview_describes_it(fresh, caplog):
    caplog.set_level(logging.INFO, logger="joined_up")
    app = start()
    assert "loaded bundled case mini" in caplog.text
    assert app.title[0].value == "Case overview"
    children = app.dataframe[0].value
    assert list(children["child"]) == ["C1"] and list(children["name"]) == ["Child O'Neil {x}"]
    assert children["evidence"][0] == "¶2"
    # Flows and referrals are nodes now: 18 records + 5 Flow + 1 Referral + 1 Place (OFF-HOME) = 25 nodes;
    # 40 relationships - the 6 old SHARED/REFERRED links + their 6 SENT, 6 SENT_TO, 6 CONCERNS
    # and the flows' 4 CARRIES = 56. The contact is a node too (issue 17): + 1 Contact = 26 nodes;
    # - 1 CONTACTED + HAD, REACHED, HAPPENED_AT = 58 relationships.
    assert {m.label: m.value for m in app.metric} == {
        "Children": "1",
        "Period": "2010 – 2016",
        "Nodes": "26",
        "Relationships": "58",
    }
    areas = app.dataframe[1].value
    assert list(areas["area"]) == ["A1", "A2"] and list(areas["police force"]) == ["Force 1", "Force 1"]
    assert "embedded" in texts(app) and "store.lbug" in texts(app)
    assert app.sidebar.selectbox(key="case").value == "mini"


def test_a_restart_reuses_the_store(fresh, caplog):
    caplog.set_level(logging.INFO, logger="joined_up")
    start()
    st.cache_resource.clear()  # as a restarted server would: the store is closed and opened again
    at = start()
    assert at.metric[2].value == "26"  # the mini case's node count (see the first-start test)
    assert sum("loaded bundled case" in r.getMessage() for r in caplog.records) == 1


def test_a_bundled_case_with_problems_is_reported_not_loaded(fresh, monkeypatch):
    broken = fresh / "broken"
    broken.mkdir()
    (broken / "case.yaml").write_text("case: broken\nnodes:\n  - {type: Child, id: C9}\n", encoding="utf-8")
    monkeypatch.setenv("JOINED_UP_CASE", str(broken))
    at = start()
    assert "broken was not loaded: it has 2 problem(s), the first: case.yaml: line 3" in at.warning[0].value
    assert "No case loaded yet" in texts(at)


def test_the_default_is_child_q_and_s(tmp_path, monkeypatch):
    monkeypatch.setenv("JOINED_UP_DB", str(tmp_path / "qs.lbug"))
    for var in ("JOINED_UP_CASE", "NEO4J_URI", "JOINED_UP_BACKEND"):
        monkeypatch.delenv(var, raising=False)
    at = start()
    assert list(at.dataframe[0].value["child"]) == ["Q", "S"]
    at.switch_page("views/gaps.py").run()
    assert not at.exception
    # The evidence is the review's text, not only its paragraph numbers.
    expander = at.expander[0]  # a question the record leaves open, with the paragraphs it rests on
    body = " ".join(m.value for m in expander.markdown)
    assert re.search(r"\*\*¶\d+\*\* — \S+ \S+ \S+", body), body[:300]


# --- network -----------------------------------------------------------------------------------


def test_network_colours_shapes_and_tooltips(app):
    app.switch_page("views/network.py").run()
    folded = {n["id"]: n for n in vis(app)[0]}  # the default: agency level, the social worker inside CSC
    assert "SW" not in folded and "Stands for 1 team(s) or practitioner(s)" in folded["CSC"]["tip"]
    app.toggle(key="net_people").set_value(True).run()
    nodes, edges = vis(app)
    by_id = {n["id"]: n for n in nodes}
    # Default types: no areas, events, information items, learning points or documents.
    assert set(by_id) == {
        "C1",
        "CSC",
        "GP",
        "SCH",
        "POL",
        "HOME",
        "SW",
        "PL1",
        "M1",
        "M2",
        "OFF",
        "F1",
        "F-1",
        "F-2",
        "F-3",
        "F-4",
        "F-5",
        "e-a2164d557484e921",
    }  # flows and the referral
    assert by_id["C1"]["shape"] == "star" and by_id["M1"]["shape"] == "square"
    assert by_id["GP"]["color"] != by_id["POL"]["color"]  # health vs police
    assert by_id["SW"]["color"] == by_id["CSC"]["color"]  # a professional takes the employer's sector
    assert "Evidence: ¶4" in by_id["GP"]["tip"] and "title" not in by_id["GP"]
    flows = [e for e in edges if e["tip"].startswith("SENT")]
    assert flows and all(not e["dashes"] for e in flows)
    sent = [e for e in edges if "F-1" in (e["to"], e["from"]) and e["tip"].startswith("SENT")]  # SENT, SENT_TO
    assert len(sent) == 2 and {e["color"] for e in sent} == {"#FF9900"}  # not shared


def test_findings_overlay_draws_one_dashed_edge_per_finding(app):
    app.switch_page("views/network.py").run()
    _, edges = vis(app)
    dashed = [e for e in edges if e["dashes"]]
    # recorded: the school absent from the LAC review; the GP's information did not pass to it;
    # the offender's contact with the child
    assert ("GP", "M1") in {(e["from"], e["to"]) for e in dashed}
    gp_m1 = next(e for e in dashed if (e["from"], e["to"]) == ("GP", "M1"))
    assert "and the LAC review" in gp_m1["tip"] and "did not pass between them" in gp_m1["tip"]
    assert "¶12" in gp_m1["tip"]
    assert len(dashed) == len(mini_report().findings)  # every finding of the mini case has two ends drawn
    for box in app.checkbox:
        if box.key.startswith("net_gap_"):
            box.uncheck()
    app.run()
    assert not any(e["dashes"] for e in vis(app)[1])


def test_a_dense_findings_overlay_starts_unticked(env, monkeypatch):
    import views.graph_view

    monkeypatch.setattr(views.graph_view, "DENSE_OVERLAY", 0)  # every theme with a finding is "dense"
    at = start("network")
    themes = {f.theme for f in mini_report().findings}
    assert "not_in_room" in themes and len(themes) < len(THEMES)  # the check below needs both kinds
    for theme in THEMES:  # a theme with findings starts unticked, one without stays ticked
        assert at.checkbox(key=f"net_gap_{theme}").value == (theme not in themes), theme
    assert "start unticked" in texts(at)


def test_network_filters_by_sector_area_type_and_window(app):
    app.switch_page("views/network.py").run()
    app.toggle(key="net_people").set_value(True).run()
    full = node_ids(app)
    app.multiselect(key="net_sectors").unselect("health").run()
    assert "GP" not in node_ids(app) and "CSC" in node_ids(app)
    app.multiselect(key="net_sectors").select("health").run()
    app.multiselect(key="net_areas").unselect("A1").run()
    assert "CSC" not in node_ids(app) and "SW" not in node_ids(app) and "GP" in node_ids(app)
    app.multiselect(key="net_areas").select("A1").run()
    app.multiselect(key="net_types").select("Event").run()
    assert "EV1" in node_ids(app)
    app.select_slider(key="date_window_network").set_value((date(2015, 6, 1), date(2015, 6, 1))).run()
    windowed = node_ids(app)
    assert "M2" in windowed and "M1" not in windowed and "EV1" not in windowed and windowed < full | {"EV1"}
    assert "Jun 2015 – Jun 2015" in texts(app)


def test_network_focus_on_a_neighbourhood(app):
    app.switch_page("views/network.py").run()
    app.toggle(key="net_people").set_value(True).run()
    app.selectbox(key="net_focus").set_value("M1").run()
    one = node_ids(app)
    assert "M1" in one and {"SW", "HOME", "SCH", "CSC", "GP", "C1"} <= one and "OFF" not in one
    app.radio(key="net_radius").set_value(2).run()
    assert one < node_ids(app)


def copy_of_mini(folder: Path, replace: tuple[str, str] = ("", ""), extra: str = "") -> Path:
    """The mini case with one text replacement and extra records (YAML text, as a reviewer edits)."""
    folder.mkdir()
    (folder / "case.yaml").write_text((MINI / "case.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (MINI / "records.yaml").read_text(encoding="utf-8").replace(*replace)
    (folder / "records.yaml").write_text(text + extra, encoding="utf-8")
    return folder


def test_network_for_one_child_drops_other_childrens_records(env):
    folder = copy_of_mini(
        env / "two",
        (
            "edges:\n",
            """  - {type: Child, id: C2, name: Other child, source: "¶90"}
  - {type: Meeting, id: M9, name: Review for C2, kind: lac_review, date: 2015-02-01, source: "¶91"}
edges:
  - {type: CONCERNS, from: M9, to: C2, source: "¶91"}
  - {type: ATTENDED, from: GP, to: M9, source: "¶91"}
  - {type: INVOLVED_WITH, from: GP, to: C2, period: "2015", source: "¶92"}
""",
        ),
    )
    backend = EmbeddedBackend(":memory:")
    from loaders.validate import validate_path

    load_case(backend, validate_path(folder))
    g = records_as_links(to_networkx(backend, "mini"))
    backend.close()
    assert {"M9", "C2"} <= set(g) and not {"M9", "C2"} & child_scope(g, "C1")
    assert {"GP", "M1", "SW", "CSC", "OFF"} <= child_scope(g, "C1")
    view = build_view(g, ViewFilter(child="C1"))
    assert all(a.get("child") in (None, "C1") for *_, a in view.edges(data=True))


def test_network_above_the_cap_says_how_to_narrow(app, monkeypatch):
    import views.graph_view

    monkeypatch.setattr(views.graph_view, "MAX_NODES", 5)
    app.switch_page("views/network.py").run()
    assert not app.get("iframe")
    assert "Narrow it" in app.warning[0].value
    assert len(app.dataframe[-1].value) == 10  # the nodes are listed instead (agency level: SW in CSC, flows as links)
    app.selectbox(key="net_focus").set_value("OFF").run()
    assert node_ids(app) == {"OFF", "C1"}


# --- HTML safety ---------------------------------------------------------------------------------


def test_network_html_is_offline_and_escapes_every_value():
    html = network_html(
        [
            {"id": "a", "label": XSS, "tip": f"{XSS}</script><script>window.__x=1</script>"},
            {"id": "b", "label": "A&E <b>", "tip": "x"},
        ],
        [{"from": "a", "to": "b", "tip": XSS}],
        legend=[(XSS, "#000", "●")],
    )
    assert "<img" not in html and "</script><script>window.__x" not in html
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)  # no CDN, no remote anything
    assert "bootstrap" not in html and "vis.Network" in html
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    assert nodes[1]["label"] == "A&amp;E &lt;b&gt;" and "title" not in nodes[0]


def test_injected_names_reach_the_page_escaped(fresh, monkeypatch):
    folder = copy_of_mini(fresh / "xss", ("name: Older male", f'name: "{XSS}"'))
    monkeypatch.setenv("JOINED_UP_CASE", str(folder))
    at = start("offenders")
    assert "<img" not in srcdoc(at)
    off = next(n for n in vis(at)[0] if n["id"] == "OFF")
    assert (
        off["label"].startswith("&lt;img src=x onerror=") and "&lt;img src=x onerror=window.__xss=1&gt;" in off["tip"]
    )
    assert XSS in tables(at)  # tables show it as text (st.dataframe never renders HTML)


# --- gaps ----------------------------------------------------------------------------------------


def test_gaps_lists_the_engines_findings_ranked_and_its_questions(app):
    app.switch_page("views/gaps.py").run()
    report = mini_report()
    listed = app.dataframe[0].value
    assert list(listed["id"]) == [f.id for f in report.findings]  # the engine's order: by rank
    assert "School A2 at LAC review (Mar 2015) — the review records: “exams”." in list(listed["statement"])
    questions = app.expander[: len(report.questions)]
    assert questions and all(e.label.startswith("The review does not say whether") for e in questions)


def test_gaps_sets_the_reviews_learning_beside_the_findings_about_its_agencies(app):
    app.switch_page("views/gaps.py").run()
    report = mini_report()
    learning = app.expander[len(report.questions) :]
    # It names the GP and CSC; its words name a practice and a practitioner, which pseudonymised mode codes
    # (test_pseudonymised_mode_applies_to_every_page, test_pseudonymised_exports_carry_no_names).
    assert [e.label for e in learning] == [
        "LP1: GP practice A2 and the Key social worker to bring health to LAC reviews (1)"
    ]
    assert "GP practice A2 and the LAC review \\(Mar 2015\\)" in learning[0].markdown[0].value  # markdown-escaped


def test_gaps_filters_by_theme_basis_and_search(app):
    app.switch_page("views/gaps.py").run()
    app.multiselect(key="gaps_theme").set_value(["offender_contact"]).run()
    assert set(app.dataframe[0].value["theme"]) == {"Contact with offenders and persons of concern"}
    app.multiselect(key="gaps_theme").set_value(["not_in_room", "offender_contact"]).run()
    app.text_input(key="gaps_search").set_value("exams").run()
    assert list(app.dataframe[0].value["statement"]) == [
        "School A2 at LAC review (Mar 2015) — the review records: “exams”."
    ]
    app.text_input(key="gaps_search").set_value("strategic").run()
    assert app.dataframe[0].value.empty  # the search filters; it does not only highlight


def test_gap_findings_follow_the_child_chosen_in_the_sidebar(env):
    at = start("gaps")
    assert at.sidebar.selectbox(key="child").options == ["All children", "Child O'Neil {x} (C1)"]
    at.sidebar.selectbox(key="child").set_value("C1").run()
    assert not at.exception and len(at.dataframe[0].value) == len(mini_report("C1").findings)


# --- knowledge horizon ---------------------------------------------------------------------------


def test_knowledge_horizon_by_date(app):
    app.switch_page("views/horizon.py").run()
    assert app.selectbox(key="hz_item").value == "UTI"
    app.date_input(key="hz_date").set_value(date(2015, 3, 1)).run()
    holders, reached = app.dataframe[0].value, app.dataframe[1].value
    assert list(holders["party"]) == ["GP"] and list(reached["party"]) == ["SCH"]
    assert reached["evidence"][0] == "¶12"
    app.date_input(key="hz_date").set_value(date(2015, 12, 1)).run()
    assert sorted(app.dataframe[1].value["party"]) == ["HOME", "SCH"]


def test_knowledge_horizon_at_a_meeting(app):
    app.switch_page("views/horizon.py").run()
    app.radio(key="hz_mode").set_value("At a meeting").run()
    app.selectbox(key="hz_meeting").set_value("M1").run()
    room = app.dataframe[2].value
    assert dict(zip(room["party"], room["how"], strict=True)) == {
        "CSC": "convened",
        "HOME": "attended",
        "SW": "invited",
        "SCH": "invited, did not attend (exams)",
    }
    assert "did **not** reach the meeting" in texts(app)
    assert "not in the room: GP practice A2, School A2" in app.warning[0].value


# --- timeline, coupled to the network ------------------------------------------------------------


def test_timeline_shows_placements_meetings_and_missing_episodes(app):
    app.switch_page("views/timeline.py").run()
    assert app.get("vega_lite_chart")
    table = app.dataframe[0].value
    assert set(table["lane"]) == {"Placements", "Meetings", "Missing episodes"}
    assert "1 missing episodes" in texts(app)


def test_the_timeline_window_filters_the_network(app):
    app.switch_page("views/network.py").run()
    before = node_ids(app)
    app.switch_page("views/timeline.py").run()
    app.select_slider(key="date_window_timeline").set_value((date(2015, 6, 1), date(2015, 6, 1))).run()
    assert len(app.dataframe[0].value) == 2  # the strategy meeting and the placement
    assert app.query_params["from"] == "2015-06" and app.query_params["to"] == "2015-06"  # shareable
    app.switch_page("views/network.py").run()
    assert app.select_slider(key="date_window_network").value == (date(2015, 6, 1), date(2015, 6, 1))
    after = node_ids(app)
    assert "M2" in after and "M1" not in after and after < before


# --- offender map, silo analytics ----------------------------------------------------------------


def test_offender_map(app):
    app.switch_page("views/offenders.py").run()
    contacts = app.dataframe[0].value
    assert list(contacts["person"]) == ["OFF"] and contacts["channel"][0] == "hidden_device"
    assert node_ids(app) == {"OFF", "C1", "channel:hidden_device", "OFF-HOME"}
    assert app.selectbox(key="off_person").value == "OFF"
    assert list(app.dataframe[-1].value["child"]) == ["C1"]


def test_caseload_page_lists_persons_then_the_chosen_childs_network(app):
    app.switch_page("views/caseload.py").run()
    assert not app.exception
    persons = app.dataframe[1].value
    assert list(persons["person"]) == ["OFF"] and list(persons["children"]) == [1]
    assert len(app.dataframe) == 2  # no child chosen: the summary and the persons, no network
    app.sidebar.selectbox(key="child").set_value("C1").run()
    assert not app.exception
    network = app.dataframe[-1].value
    assert ("OFF", 1, "person") in set(zip(network["id"], network["step"], network["kind"], strict=True))
    assert all(len(refs) for refs in network["evidence"])


def test_caseload_page_counts_findings_per_child_and_theme_and_opens_a_childs_findings(app):
    app.switch_page("views/caseload.py").run()
    assert not app.exception
    summary = app.dataframe[0].value
    counted = Counter(c for f in mini_report().findings for c in f.children)
    assert dict(zip(summary["child"], summary["total"], strict=True)) == dict(counted)
    assert list(summary["total"]) == sorted(summary["total"], reverse=True)
    assert any("kept until the store changes" in c.value for c in app.caption)
    app.selectbox(key="cl_open").set_value("C1").run()
    assert not app.exception
    opened = app.dataframe[1].value
    assert list(opened["finding"]) == [f.statement for f in mini_report("C1").findings]
    assert all(len(refs) for refs in opened["evidence"])


def test_offender_map_degrades_without_its_queries(app, monkeypatch):
    import queries.library
    import views.store

    kept = {k: v for k, v in registry().items() if k not in ("linked_children", "person_children")}
    monkeypatch.setattr(queries.library, "registry", lambda: kept)
    monkeypatch.setattr(views.store, "registry", lambda: kept)
    app.switch_page("views/offenders.py").run()
    assert not app.exception
    assert "linked_children, person_children" in app.info[0].value
    assert node_ids(app) == {"OFF", "C1", "channel:hidden_device", "OFF-HOME"}


def test_silo_measures_and_what_if(app):
    app.switch_page("views/silo.py").run()
    assert {m.label: m.value for m in app.metric}["Parties"] == "6"
    assert node_ids(app) == {"CSC", "GP", "SCH", "POL", "HOME", "SW"}
    assert "Choose a party" in texts(app)
    app.multiselect(key="silo_remove").select("SCH").run()
    assert not app.exception
    table = app.dataframe[4].value.set_index("measure")
    assert table.loc["parties", "before"] == "6" and table.loc["parties", "after"] == "5"
    assert len(app.get("iframe")) == 3  # the network, then before and after
    assert "SCH" in node_ids(app, 1) and "SCH" not in node_ids(app, 2)
    sch = next(n for n in vis(app, 1)[0] if n["id"] == "SCH")
    assert sch["borderWidth"] == 4  # the party taken out is marked in the picture before


def test_what_if_page_changes_one_copy_of_the_case(app, monkeypatch):
    """The picture after the change is the network the numbers were measured on, not a second copy."""
    import findings.silo.whatif
    import views.store

    copies = []
    real = findings.silo.whatif.load_case
    for module in (findings.silo.whatif, views.store):  # wherever a copy of the case could be loaded
        monkeypatch.setattr(
            module, "load_case", lambda backend, case, **kw: copies.append(case.case_id) or real(backend, case, **kw)
        )
    app.switch_page("views/silo.py").run()
    app.multiselect(key="silo_remove").select("SCH").run()
    assert not app.exception
    assert copies == ["mini"]
    assert "SCH" not in node_ids(app, 2) and node_ids(app, 2) == {"CSC", "GP", "POL", "HOME", "SW"}


def test_what_if_invitation_reaches_the_meeting(app):
    app.switch_page("views/silo.py").run()
    app.selectbox(key="silo_invite_who").set_value("GP").run()
    app.selectbox(key="silo_invite_to").set_value("M1").run()
    meetings = next(df.value for df in app.dataframe if "reached after" in df.value)
    row = meetings.iloc[0]
    assert (row["meeting"], row["item"], row["reached before"], row["reached after"]) == ("M1", "UTI", False, True)


# --- console -------------------------------------------------------------------------------------


def test_console_runs_library_templates_read_only(app):
    app.switch_page("views/console.py").run()
    app.selectbox(key="console_template").set_value("did_not_attend").run()
    assert "DID_NOT_ATTEND" in app.text_area(key="console_query").value
    # every child of the case, as the store keys the text receives (queries/library.py `$children`)
    assert json.loads(app.text_area(key="console_params").value) == {"children": ["mini/C1"], "case_id": "mini"}
    app.button(key="console_run").click().run()
    assert list(app.dataframe[0].value["party"]) == ["SCH"]
    assert node_ids(app) == {"C1", "M1", "SCH"}  # ids in the result, linked per row


def test_console_refuses_writes(app):
    app.switch_page("views/console.py").run()
    app.text_area(key="console_query").set_value("MATCH (c:Child) SET c.name = 'x' RETURN c").run()
    app.button(key="console_run").click().run()
    assert "read-only: SET is not allowed" in app.error[0].value
    app.text_area(key="console_query").set_value("MATCH (c:Child) RETURN c.name AS n").run()
    app.button(key="console_run").click().run()
    assert list(app.dataframe[0].value["n"]) == ["Child O'Neil {x}"]  # nothing was written


def test_console_is_off_in_pseudonymised_mode(app):
    """Functions such as toUpper or substring rebuild a name the pseudonyms hide: no input at all."""
    app.sidebar.toggle(key="pseudonymise").set_value(True).run()
    app.switch_page("views/console.py").run()
    assert not app.exception
    assert "The console is off in pseudonymised mode" in app.info[0].value
    assert not [t for t in app.text_area if t.key == "console_query"]
    assert not [b for b in app.button if b.key == "console_run"]


def test_console_says_when_rows_were_cut(app, monkeypatch):
    monkeypatch.setenv("JOINED_UP_CONSOLE_ROWS", "2")
    app.switch_page("views/console.py").run()
    app.text_area(key="console_query").set_value("MATCH (n) RETURN n.id AS id").run()
    app.button(key="console_run").click().run()
    assert len(app.dataframe[0].value) == 2
    assert "cut at the console's limit of 2 rows" in texts(app)


# --- load ------------------------------------------------------------------------------------------


def test_uploads_are_off_by_default(app):
    app.switch_page("views/load.py").run()
    assert "Uploads are off" in app.info[0].value and not app.file_uploader


def test_upload_lists_every_problem_and_loads_nothing(env, monkeypatch):
    monkeypatch.setenv("JOINED_UP_ALLOW_UPLOAD", "1")
    at = start("load")
    bad = (
        "nodes:\n  - {type: Child, id: K1, source: '¶1'}\n"
        "  - {type: Agency, id: AG, name: A, sector: nowhere, source: '¶2'}\n"
    )
    at.file_uploader(key="load_files_0").set_value(("bad.yaml", bad.encode(), "application/yaml")).run()
    assert "2 problem(s) in the uploaded files; nothing was loaded" in at.error[0].value
    problems = at.dataframe[0].value
    assert set(problems["field"]) == {"name", "sector"} and all(problems["where"].str.startswith("bad.yaml"))
    assert not at.button


def test_upload_validates_then_loads_with_progress(env, monkeypatch):
    monkeypatch.setenv("JOINED_UP_ALLOW_UPLOAD", "1")
    at = start("load")
    sheet = (ROOT / "data" / "samples" / "chronology.csv").read_bytes()
    at.file_uploader(key="load_files_0").set_value(("chronology.csv", sheet, "text/csv")).run()
    assert "Valid: case 'chronology'" in at.success[0].value
    at.button(key="load_go").click().run()
    assert not at.exception
    assert at.get("progress")[0].value == 100 and "Loaded" in at.get("progress")[0].text
    assert "loaded (create)" in at.success[-1].value
    at.run()
    assert "chronology" in at.sidebar.selectbox(key="case").options


def _zipped(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_upload_a_case_folder_as_a_zip(env, monkeypatch):
    monkeypatch.setenv("JOINED_UP_ALLOW_UPLOAD", "1")
    at = start("load")
    case = _zipped({f"mini/{p.name}": p.read_bytes() for p in (ROOT / "tests" / "fixtures" / "mini-case").iterdir()})
    at.file_uploader(key="load_files_0").set_value(("mini.zip", case, "application/zip")).run()
    assert not at.exception and "Valid: case 'mini'" in at.success[0].value


def test_upload_of_a_zip_that_escapes_its_folder_is_refused(env, monkeypatch):
    monkeypatch.setenv("JOINED_UP_ALLOW_UPLOAD", "1")
    at = start("load")
    at.file_uploader(key="load_files_0").set_value(
        ("evil.zip", _zipped({"../evil.yaml": b"x"}), "application/zip")
    ).run()
    assert not at.exception and "refused; nothing was loaded" in at.error[0].value and "leaves it" in at.error[0].value
    assert not at.button


# --- export, pseudonymised mode, logs ---------------------------------------------------------------


def test_export_offers_report_graph_and_network(app):
    app.switch_page("views/export.py").run()
    labels = [b.label for b in app.download_button]
    assert labels[0].startswith("Download the gap report (Markdown,") and "findings" in labels[0]
    assert labels[1] == "Download the graph (GraphML, 25 nodes)"
    assert labels[2] == "The default network view for All children as a web page (HTML, 10 nodes)"
    assert labels[3:] == [
        "The default network view for All children as an image (PNG)",
        "The default network view for All children as an image (SVG)",
    ]
    app.radio(key="export_report_fmt").set_value("csv").run()
    assert "(CSV," in app.download_button[0].label


@pytest.fixture
def mini_backend(mini_case):
    backend = EmbeddedBackend(":memory:")
    load_case(backend, mini_case)
    yield backend
    backend.close()


def test_export_files_in_every_format(mini_backend):
    g = records_as_links(to_networkx(mini_backend, "mini"))
    report = run_findings(mini_backend, "mini")
    for fmt in ("md", "html", "csv", "json"):
        assert "GP practice A2" in report_text(report, fmt, lambda ref: f"text of {ref}", Pseudonymiser())
    assert "text of ¶10" in report_text(report, "md", lambda ref: f"text of {ref}", Pseudonymiser())
    for fmt in ("graphml", "gexf"):
        back = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(
            __import__("io").BytesIO(graph_bytes(g, fmt, Pseudonymiser()))
        )
        # 18 records as before, plus the 5 flows and 1 referral that are nodes now and the 1 Place
        # (OFF-HOME): 25, every node of the mini case's graph.
        assert back.number_of_nodes() == 25


def test_pseudonymiser_codes_are_stable_role_codes(mini_backend):
    g = records_as_links(to_networkx(mini_backend, "mini"))
    pz = Pseudonymiser.from_graph(g)
    assert pz.codes == {
        "C1": "Child-1",
        "SW": "Professional-01 (social worker)",
        "OFF": "Person-01 (offender)",
        # places, placements and agencies by their local names locate a child: coded too
        "CSC": "Agency-01 (social care)",
        "GP": "Agency-02 (health)",
        "HOME": "Agency-03 (social care)",
        "POL": "Agency-04 (police)",
        "SCH": "Agency-05 (education)",
        "PL1": "Placement-01 (residential)",
        "OFF-HOME": "Place-01 (home address)",
    }
    assert pz.text("Child O'Neil {x} met the Key social worker") == "Child-1 met the Professional-01 (social worker)"
    assert pz.text("C1's GP practice A2, Home in A2") == "Child-1's Agency-02 (health), Placement-01 (residential)"
    assert pz.value("C1") == "Child-1" and pz.value("A2") == "A2"  # areas are already codes
    assert Pseudonymiser.from_graph(g).codes == pz.codes
    h = pz.graph(g)
    assert h.nodes["Child-1"]["name"] == "Child-1" and "C1" not in h
    assert all(a.get("child") in (None, "Child-1") for *_, a in h.edges(data=True))


def test_pseudonymised_exports_carry_no_names(mini_backend):
    g = records_as_links(to_networkx(mini_backend, "mini"))
    pz = Pseudonymiser.from_graph(g)
    report = run_findings(mini_backend, "mini")
    files = [
        report_text(report, fmt, lambda ref: "Child O'Neil {x} was seen by the Key social worker", pz)
        for fmt in ("md", "html", "csv", "json")
    ]
    files += [graph_bytes(g, fmt, pz).decode() for fmt in ("graphml", "gexf")]
    nodes, edges, legend = vis_elements(pz.graph(build_view(g, ViewFilter(gaps=[]))))
    files.append(network_html(nodes, edges, legend))
    for text in files:
        for name in MINI_NAMES:
            assert name not in text and name.replace("'", "&#x27;") not in text
    assert "Child-1" in files[0]


def test_pseudonymised_mode_applies_to_every_page(app):
    app.sidebar.toggle(key="pseudonymise").set_value(True).run()
    assert app.sidebar.selectbox(key="child").options == ["All children", "Child-1"]
    seen = []
    for page in ("overview", "network", "timeline", "gaps", "horizon", "offenders", "caseload", "silo", "export"):
        app.switch_page(f"views/{page}.py").run()
        assert not app.exception, page
        seen.append(tables(app) + texts(app) + "".join(srcdoc(app, i) for i in range(len(app.get("iframe")))))
        seen.append(" ".join(e.label for e in app.expander))
        seen.append(" ".join(str(o) for s in app.selectbox for o in s.options))
    everything = "\n".join(seen)
    for name in MINI_NAMES + MINI_PLACES:
        assert name not in everything, name
    assert "Child-1" in everything and "Person-01 (offender)" in everything


def test_logs_carry_ids_not_names(fresh, caplog):
    caplog.set_level(logging.DEBUG, logger="joined_up")
    at = start()
    for page in ("network", "gaps", "offenders", "silo"):
        at.switch_page(f"views/{page}.py").run()
    at.multiselect(key="silo_remove").select("SCH").run()
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("joined_up"))
    assert "loaded bundled case mini" in logged and "SCH" in logged
    for name in (*MINI_NAMES, "School A2", "GP practice A2"):
        assert name not in logged


def test_the_child_can_come_from_the_address(env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["child"] = "C1"
    at.run()
    assert at.sidebar.selectbox(key="child").value == "C1"
    at.sidebar.selectbox(key="child").set_value("").run()
    assert "child" not in at.query_params
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["child"] = "nobody"
    at.run()
    assert not at.exception and at.sidebar.selectbox(key="child").value == ""


@pytest.mark.neo4j
def test_neo4j_uri_switches_the_app_to_neo4j(neo4j_qs, tmp_path, monkeypatch):
    monkeypatch.setenv("JOINED_UP_DB", str(tmp_path / "unused.lbug"))
    monkeypatch.delenv("JOINED_UP_CASE", raising=False)
    at = start()
    assert list(at.dataframe[0].value["child"]) == ["Q", "S"]
    assert "Backend in use: **neo4j** (Neo4j at bolt://" in texts(at)
    assert os.environ["NEO4J_PASSWORD"] not in texts(at) + tables(at)
    assert not (tmp_path / "unused.lbug").exists()  # nothing embedded was opened or loaded
    # Silo analytics measure one child, chosen in the sidebar (with two children and none chosen the page
    # asks for one and draws nothing), so choose Q for the pages to draw from the Neo4j store.
    at.sidebar.selectbox(key="child").set_value("Q").run()
    for page in ("network", "gaps", "silo"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, page
    assert len(at.get("iframe")) == 1 and node_ids(at)


def test_with_sign_in_configured_nothing_shows_before_sign_in(env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x",
        "client_id": "x",
        "client_secret": "x",
        "server_metadata_url": "https://id.example/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception
    assert at.button(key="sign_in").label == "Sign in"
    assert not at.dataframe and not at.get("iframe") and not at.sidebar.selectbox
