"""The schema is the single declaration: the docs, the embedded tables and the Neo4j
constraints all follow from it."""

import pytest

from graph.backend import BackendError
from graph.embedded import EmbeddedBackend, table_ddl
from graph.load import load_case
from graph.neo4j_backend import constraint_ddl
from graph.schema import load_schema, reference_markdown
from tests.conftest import ROOT


def test_case_format_reference_is_generated_from_the_schema():
    doc = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    generated = doc.split("<!-- BEGIN GENERATED -->\n")[1].split("<!-- END GENERATED -->")[0]
    assert generated == reference_markdown(load_schema()), (
        "docs/case-format.md is out of date: run `python -m graph.schema` to regenerate it"
    )


def test_issue_node_and_edge_types_exist():
    schema = load_schema()
    assert {
        "Child",
        "FamilyMember",
        "Area",
        "PoliceForce",
        "Agency",
        "Professional",
        "Placement",
        "PersonOfConcern",
        "Meeting",
        "Event",
        "InformationItem",
        "LearningPoint",
        "GoodPracticePoint",
        "SourceDocument",
    } <= set(schema.nodes)
    assert {
        "WORKS_FOR",
        "COVERS",
        "LOCATED_IN",
        "INVOLVED_WITH",
        "PLACED_AT",
        "CONCERNS",
        "INVITED_TO",
        "ATTENDED",
        "DID_NOT_ATTEND",
        "HOLDS",
        "SENT",
        "SENT_TO",
        "CARRIES",
        "HAD",
        "REACHED",
        "HAPPENED_AT",
        "GAVE",
        "PRAISED",
        "ABOUT",
        "NAMES",
    } <= set(schema.edges)
    assert {"Flow", "Referral", "Place", "Contact", "Praise"} <= set(schema.nodes)
    assert not {"SHARED", "REFERRED", "CONTACTED", "PRAISES"} & set(schema.edges)
    # a contact's Place and a praise's child are walked to, never joined on an id property (issue 17)
    assert "place" not in schema.nodes["Contact"].props and "child" not in schema.nodes["Praise"].props
    assert set(schema.nodes["Flow"].props["status"].values) >= {
        "shared",
        "late",
        "not_shared",
        "not_requested",
        "disputed",
        "system_gap",
    }


def test_backend_ddl_covers_every_type_and_property():
    schema = load_schema()
    ddl = "\n".join(table_ddl(schema))
    for n in schema.nodes.values():
        assert f"NODE TABLE IF NOT EXISTS {n.label}(" in ddl
        for col, _ in n.columns():
            assert f" {col} " in ddl or f"({col} " in ddl
    for e in schema.edges.values():
        assert f"REL TABLE IF NOT EXISTS {e.type}(" in ddl
    constraints = "\n".join(constraint_ddl(schema))
    assert all(f"FOR (n:{label}) REQUIRE n.uid IS UNIQUE" in constraints for label in schema.nodes)
    assert all(f"{label}(uid STRING, " in ddl and "PRIMARY KEY(uid)" in ddl for label in schema.nodes)


def test_person_properties_are_declared_for_pseudonymisation():
    assert load_schema().person_labels() == {
        "Child": ["name"],
        "FamilyMember": ["name"],
        "Professional": ["name"],
        "PersonOfConcern": ["name"],
    }


def test_a_requirement_the_edge_type_does_not_allow_is_a_schema_error(tmp_path):
    import shutil

    from graph.schema import SCHEMA_DIR, SchemaError

    shutil.copytree(SCHEMA_DIR, tmp_path / "schema")
    flow = tmp_path / "schema" / "nodes" / "Flow.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace("to: Child, min: 1", "to: Area, min: 1"), encoding="utf-8")
    with pytest.raises(SchemaError, match="node Flow: requires CONCERNS to Area"):
        load_schema(tmp_path / "schema")
    assert load_schema().nodes["Flow"].requires[0].describe("Flow") == (
        "exactly 1 CONCERNS relationship(s) from the Flow to a Child"
    )


def test_a_store_made_before_a_column_was_added_is_brought_up_to_the_schema(tmp_path, mini_case):
    """An older store lacks columns and pairs the schema has since gained (here Flow.certainty, UNAWARE_OF.inferred
    and PRAISED from a praise to a person of concern, dropped to stand for an older release): opening it adds
    them, empty, so a load and every query work."""
    path = tmp_path / "older.lbug"
    older = EmbeddedBackend(path)
    older.ensure_schema()
    older._conn.execute("ALTER TABLE Flow DROP certainty")
    older._conn.execute("ALTER TABLE UNAWARE_OF DROP inferred")
    older._conn.execute("ALTER TABLE PRAISED DROP FROM Praise TO PersonOfConcern")
    older.close()
    store = EmbeddedBackend(path)
    try:
        load_case(store, mini_case)
        rows = store.read("MATCH (f:Flow) RETURN count(f.certainty) >= 0 AS ok LIMIT 1")
        assert rows == [{"ok": True}]
        assert store.read("MATCH ()-[u:UNAWARE_OF]->() RETURN count(u.inferred) >= 0 AS ok") == [{"ok": True}]
        pairs = store._conn.execute("CALL show_connection('PRAISED') RETURN *").get_all()  # the guard refuses CALL
        assert ["Praise", "PersonOfConcern"] in [p[:2] for p in pairs]
    finally:
        store.close()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_store_holding_a_retired_table_is_refused_in_one_line(tmp_path, read_only):
    """A store made before contacts became Contact nodes holds a CONTACTED table the schema no longer has:
    ``schema_upgrade`` only adds, so opening it for a load or a read says so in one line, naming the table,
    rather than answering as if its contacts were gone."""
    path = tmp_path / "older.lbug"
    older = EmbeddedBackend(path)
    older.ensure_schema()
    older._conn.execute("CREATE REL TABLE CONTACTED(FROM PersonOfConcern TO Child, uid STRING, place STRING)")
    older.close()
    store = EmbeddedBackend(path, read_only=read_only)
    try:
        with pytest.raises(BackendError, match=r"older schema: it holds CONTACTED, .*load its cases into a new store"):
            store.read("MATCH (c:Child) RETURN count(c) AS n")
        with pytest.raises(BackendError) as refused:
            store.ensure_schema()
        assert "\n" not in str(refused.value)
    finally:
        store.close()
