"""The explorer as a workspace: pseudonymised mode in the sidebar and the address, one child
selector, human column headers, shareable state, loading without tracebacks, exports of exactly
what is on screen (AppTest, on the small made-up case)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401  (fixtures)
    APP,
    _clear_caches,
    env,
    fresh,
    loaded_store,
    node_ids,
    srcdoc,
    start,
    tables,
    texts,
    vis,
)

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "network", "timeline", "gaps", "horizon", "offenders", "silo", "export")


def test_pseudonymised_mode_holds_in_the_sidebar_and_the_address_across_pages(env):  # noqa: F811
    at = start()
    at.sidebar.selectbox(key="child").set_value("C1").run()
    assert at.query_params["child"] == "C1"
    at.sidebar.toggle(key="pseudonymise").set_value(True).run()
    assert at.query_params["child"] == "Child-1" and at.query_params["pseudo"] == "1"
    assert at.sidebar.selectbox(key="case").options == ["case-1"]
    for page in PAGES:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, page
        assert at.sidebar.selectbox(key="child").value == "C1", page
        assert at.query_params.get("child") == "Child-1" and at.query_params.get("pseudo") == "1", page
        assert "C1" not in str(dict(at.query_params)), page


def test_a_shared_pseudonymised_link_opens_pseudonymised_on_the_same_child(env):  # noqa: F811
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["child"] = "Child-1"
    at.query_params["pseudo"] = "1"
    at.run()
    assert not at.exception
    assert at.sidebar.toggle(key="pseudonymise").value is True
    assert at.sidebar.selectbox(key="child").value == "C1"
    assert "Child O'Neil" not in texts(at) + tables(at)


def test_columns_have_human_headers(env):  # noqa: F811
    at = start("horizon")
    shown = [c for df in at.dataframe for c in df.value.columns]
    assert shown and not [c for c in shown if "_" in c], shown
    at.switch_page("views/offenders.py").run()
    shown = [c for df in at.dataframe for c in df.value.columns]
    assert "name" in shown and not [c for c in shown if "_" in c], shown


def test_silo_analytics_use_the_sidebar_child_only(env):  # noqa: F811
    at = start("silo")
    assert not at.exception
    assert "silo_child" not in [s.key for s in at.selectbox]
    assert [s.key for s in at.sidebar.selectbox] == ["case", "child"]


# --- load data ----------------------------------------------------------------------------------


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_each_upload_attempt_gets_a_fresh_uploader_and_plain_messages(env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("JOINED_UP_ALLOW_UPLOAD", "1")
    at = _upload(start("load"), "broken.xlsx", b"not a spreadsheet at all")
    assert at.file_uploader[0].key == "load_files_1" and not at.file_uploader[0].value
    assert len(at.error) == 1 and "nothing was loaded" in at.error[0].value
    shown = at.error[0].value + tables(at)
    assert "joined-up-upload-" not in shown and "/tmp" not in shown and "Traceback" not in shown
    assert "broken.xlsx" in shown and "a readable .xlsx workbook" in shown
    sheet = (ROOT / "data" / "samples" / "chronology.csv").read_bytes()
    at = _upload(at, "chronology.csv", sheet)  # validated alone: the broken file is gone
    assert at.file_uploader[0].key == "load_files_2"
    assert not at.error and "Valid: case 'chronology'" in at.success[0].value


def test_a_loaded_case_id_needs_confirmation_to_replace(env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("JOINED_UP_ALLOW_UPLOAD", "1")
    mini = ROOT / "tests" / "fixtures" / "mini-case"
    at = start("load")
    at.file_uploader[0].set_value(
        [(f.name, f.read_bytes(), "application/yaml") for f in sorted(mini.iterdir()) if f.is_file()]
    ).run()
    assert "Case 'mini' is already loaded" in at.warning[0].value
    assert "+0/−0 nodes" in at.warning[0].value  # what replacing would change, before it is done
    assert at.button(key="load_go").disabled and not at.checkbox(key="load_replace").value
    at.checkbox(key="load_replace").check().run()
    at.button(key="load_go").click().run()
    assert not at.exception
    assert at.get("progress")[0].value == 100 and "loaded (replace)" in at.success[-1].value


# --- the network you can read, shareable state --------------------------------------------------


def test_network_focus_is_highlighted_labelled_and_in_the_address(env):  # noqa: F811
    at = start("network")
    at.selectbox(key="net_focus").set_value("M1").run()
    nodes, _ = vis(at)
    by_id = {n["id"]: n for n in nodes}
    assert by_id["M1"]["borderWidth"] == 4 and all(n.get("borderWidth") is None for i, n in by_id.items() if i != "M1")
    assert all(n["label"] for n in nodes) and all("x" in n for n in nodes)  # labels always, laid out server-side
    assert "the node in focus" in srcdoc(at)  # the legend says what the ring means
    assert at.query_params["focus"] == "M1"
    at.toggle(key="net_people").set_value(True).run()
    assert at.query_params["level"] == "practitioners"
    again = AppTest.from_file(APP, default_timeout=120)  # the link reopens the same view
    for k, v in at.query_params.items():
        again.query_params[k] = v
    again.run()
    again.switch_page("views/network.py").run()
    assert again.selectbox(key="net_focus").value == "M1" and again.toggle(key="net_people").value is True


def test_pseudonymised_focus_travels_as_a_code(env):  # noqa: F811
    at = start("network")
    at.sidebar.toggle(key="pseudonymise").set_value(True).run()
    at.toggle(key="net_people").set_value(True).run()
    at.selectbox(key="net_focus").set_value("SW").run()
    assert at.query_params["focus"] == "Professional-01 (social worker)"
    assert "Key social worker" not in srcdoc(at)


def test_search_expand_and_path(env):  # noqa: F811
    at = start("network")
    at.text_input(key="net_search").input("school").run()
    marked = {n["id"] for n in vis(at)[0] if n.get("borderWidth") == 4}
    assert marked == {"SCH"} and at.query_params["q"] == "school"
    at.text_input(key="net_search").input("").run()
    at.selectbox(key="net_focus").set_value("OFF").run()
    assert node_ids(at) == {"OFF", "C1"}
    at.multiselect(key="net_expand").select("C1").run()
    assert {"OFF", "C1", "M1", "M2", "PL1"} <= node_ids(at)
    at.selectbox(key="net_focus").set_value("").run()
    at.multiselect(key="net_expand").set_value([]).run()
    at.selectbox(key="net_path_from").set_value("GP").run()
    at.selectbox(key="net_path_to").set_value("POL").run()
    at.checkbox(key="net_path_time").check().run()
    path = next(line for line in texts(at).replace("\\", "").splitlines() if line.startswith("**Path"))
    assert path.startswith("**Path (in time order):** GP practice A2 → ") and path.endswith("→ Force 1 police")
    assert " → School A2 → " in path and " → Children's home A2 → " in path
    ringed = {n["id"] for n in vis(at)[0] if n.get("borderWidth") == 4}
    # at agency level the police unit POL is drawn folded into its force F1 (findings.facts' organisation)
    assert ringed == {"GP", "F-3", "SCH", "F-4", "HOME", "F-2", "F1"}


def test_network_downloads_are_the_network_on_screen(env):  # noqa: F811
    at = start("network")
    at.selectbox(key="net_focus").set_value("OFF").run()
    labels = [b.label for b in at.download_button]
    assert labels[0].endswith("as a web page (HTML, 2 nodes)")
    assert [b.key for b in at.download_button] == ["net_download_html", "net_download_png", "net_download_svg"]


def test_a_childs_graph_export_holds_that_childs_network(env):  # noqa: F811
    at = start()
    at.sidebar.selectbox(key="child").set_value("C1").run()
    at.switch_page("views/export.py").run()
    graph_label = next(b.label for b in at.download_button if b.key == "export_graph")
    assert graph_label.startswith("Download Child O'Neil {x} (C1)'s graph (GraphML, ")
    assert "everything the review ties to this child" in texts(at)


def test_timeline_shows_dates_as_the_review_gives_them_and_offers_a_png(env):  # noqa: F811
    at = start("timeline")
    table = at.dataframe[0].value
    assert list(table.columns[:2]) == ["when", "lane"] and "Mar 2015" in set(table["when"])
    assert [b.key for b in at.download_button] == ["timeline_png"]


def test_a_case_id_taken_from_a_file_name_never_replaces_a_loaded_case(env, monkeypatch):  # noqa: F811
    monkeypatch.setenv("JOINED_UP_ALLOW_UPLOAD", "1")
    sheet = (ROOT / "data" / "samples" / "chronology.csv").read_bytes()
    at = _upload(start("load"), "mini.csv", sheet)  # its case id would be "mini", the loaded case's
    assert "comes from the file name 'mini.csv'" in at.error[0].value and "nothing was loaded" in at.error[0].value
    assert not at.button and not at.checkbox


def test_a_large_network_is_drawn_as_clusters_that_open_and_travel_in_the_address(env, monkeypatch):  # noqa: F811
    import views.network_tools

    monkeypatch.setattr(views.network_tools, "CLUSTER_ABOVE", 6)  # the mini case's 10 nodes count as large
    at = start("network")
    drawn = {n["id"]: n for n in vis(at)[0]}
    assert drawn["C1"]["label"] == "Child O'Neil {x} (+3)" and not {"M1", "M2", "PL1"} & set(drawn)
    at.multiselect(key="net_open").set_value(["C1"]).run()
    assert {"C1", "M1", "M2", "PL1"} <= node_ids(at) and at.query_params["open"] == "C1"
    assert at.download_button[0].label.endswith(f"(HTML, {len(node_ids(at))} nodes)")  # the file is the screen
    again = AppTest.from_file(APP, default_timeout=120)  # the link reopens the cluster opened
    for k, v in at.query_params.items():
        again.query_params[k] = v
    again.run()
    again.switch_page("views/network.py").run()
    assert again.multiselect(key="net_open").value == ["C1"] and "M1" in node_ids(again)
    again.sidebar.toggle(key="pseudonymise").set_value(True).run()
    assert again.query_params["open"] == "Child-1" and "Child O'Neil" not in srcdoc(again)
    again.multiselect(key="net_open").set_value([]).run()
    assert {n["label"] for n in vis(again)[0] if n["id"] == "Child-1"} == {"Child-1 (+3)"}
