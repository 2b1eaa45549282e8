"""The schema is the single declaration: the docs, the embedded tables and the Neo4j
constraints all follow from it."""

from graph.embedded import table_ddl
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
        "SHARED",
        "REFERRED",
        "CONTACTED",
        "NAMES",
    } <= set(schema.edges)
    assert set(schema.edges["SHARED"].props["status"].values) >= {
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
