"""The explorer as a workspace: pseudonymised mode in the sidebar and the address, one child
selector, human column headers, shareable state, loading without tracebacks, exports of exactly
what is on screen (AppTest, on the small made-up case)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_app import APP, _clear_caches, env, fresh, loaded_store, start, tables, texts  # noqa: F401  (fixtures)

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
