"""The Cypher console cannot write, call a procedure or read a file, on either store, and cannot
exhaust the machine: the attacks that got through the keyword deny-list, a generated corpus of
keywords glued to names, numbers, strings, comments, parameters and Unicode spaces, the timeout,
the row cap, and every project query passing the console's allow-list.

Figures are printed at the end of the module (run with ``-s`` to see them): tried / refused /
executed on the console's path, and what a sample did when run past both guards.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from graphglot.ast.base import Expression

from graph.backend import BackendError
from graph.console import (
    ALLOWED,
    MEMORY_ENV,
    ROWS_ENV,
    TIMEOUT_ENV,
    Limits,
    _refusal_of,
    check_console_query,
    run_console,
)
from graph.cypher import QueryRefused, tokens
from graph.embedded import EmbeddedBackend
from queries.library import QUERY_DIR
from tests.test_load import snapshot

FIGURES: Counter[str] = Counter()
AREAS = [{"id": f"A{i}", "name": f"Area {i}"} for i in range(3)]

# The attacks from issue 14 that ran through the keyword deny-list.
ATTACKS = [
    ("MATCH (c:Area) WITH c AS `c`SET c.name='X' RETURN count(c) AS n", "SET"),
    ("MATCH (c:Area) WITH c LIMIT 1000SET c.name='X' RETURN count(c) AS n", "SET"),
    ("MATCH (c:Area) WITH c AS `x`CREATE (:Area {uid: 'pwn', id: 'pwn', name: 'pwn'}) RETURN 1 AS n", "CREATE"),
    ("MATCH (c:Area) WITH c AS `x`MERGE (:Area {uid: 'pwn', id: 'pwn', name: 'pwn'}) RETURN 1 AS n", "MERGE"),
    ("MATCH (r:Area) WITH r AS `r`DELETE r", "DELETE"),
    ("WITH 1 AS `x`LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN *", "LOAD"),
    ("WITH 1 AS `x`LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD"),
    ("WITH 1 AS `x`CALL dbms.killConnection('bolt-1')", "CALL"),
    ("WITH 1 AS `x`CALL dbms.listConfig() YIELD name RETURN name", "CALL"),
    ("WITH 1 AS `x`CALL db.clearQueryCaches()", "CALL"),
]

# Each keyword as the tail of a statement the engine would run, keyword first.
TAILS = {
    "CREATE": "CREATE (:Area {uid: 'pwn', id: 'pwn', name: 'pwn'}) RETURN 1 AS x",
    "MERGE": "MERGE (:Area {uid: 'pwn', id: 'pwn', name: 'pwn'}) RETURN 1 AS x",
    "SET": "SET n.name = 'pwn' RETURN count(n) AS x",
    "DELETE": "DELETE n RETURN 1 AS x",
    "DETACH DELETE": "DETACH DELETE n RETURN 1 AS x",
    "REMOVE": "REMOVE n.kind RETURN 1 AS x",
    "FOREACH": "FOREACH (i IN [1] | CREATE (:Area {uid: 'pwn', id: 'pwn', name: 'pwn'})) RETURN 1 AS x",
    "INSERT": "INSERT (:Area {uid: 'pwn', id: 'pwn', name: 'pwn'}) RETURN 1 AS x",
    "CALL": "CALL db.labels() YIELD label RETURN label",
    "LOAD": "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN *",
    "LOAD CSV": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "COPY": "COPY Area FROM '/etc/passwd'",
    "EXPORT": "EXPORT DATABASE '/tmp/joined-up-console-export'",
    "IMPORT": "IMPORT DATABASE '/tmp/joined-up-console-export'",
    "ATTACH": "ATTACH '/tmp/joined-up-console.lbug' AS other",
    "INSTALL": "INSTALL httpfs",
    "USE": "USE system MATCH (n) RETURN n",
}
# What the keyword is glued to: each prefix binds n and ends right where the keyword starts.
GLUES = {
    "backtick": "MATCH (n:Area) WITH n AS `n`",
    "backtick-backslash": "MATCH (n:Area) WITH n AS `n\\`",
    "number": "MATCH (n:Area) WITH n LIMIT 1000",
    "float": "MATCH (n:Area) WITH n LIMIT 1e3",
    "hex": "MATCH (n:Area) WITH n LIMIT 0x10",
    "string": "MATCH (n:Area) WHERE n.id <> 'x'",
    "double-string": 'MATCH (n:Area) WHERE n.id <> "x"',
    "block-comment": "MATCH (n:Area) WITH n /* c */",
    "empty-comment": "MATCH (n:Area) WITH n/**/",
    "line-comment": "MATCH (n:Area) WITH n // c\n",
    "parameter": "MATCH (n:Area) WHERE (n.id <> $p)",
    "nbsp": "MATCH (n:Area) WITH n\u00a0",
    "em-space": "MATCH (n:Area) WITH n\u2003",
    "ideographic-space": "MATCH (n:Area) WITH n\u3000",
    "bom": "MATCH (n:Area) WITH n\ufeff",
    "zero-width-space": "MATCH (n:Area) WITH n\u200b",
}
CASES = {
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "mixed": lambda w: "".join(c.lower() if i % 2 else c.upper() for i, c in enumerate(w)),
}


def _glued(keyword: str, glue: str, case: str) -> str:
    tail = TAILS[keyword]
    return GLUES[glue] + CASES[case](keyword) + tail[len(keyword) :]


CORPUS = [
    (f"{kw}/{glue}/{case}", _glued(kw, glue, case), {"p": "x"} if glue == "parameter" else {})
    for kw in TAILS
    for glue in GLUES
    for case in CASES
]
# Run past both guards: every keyword with three glues, upper case (the engine ignores case).
PAST_GUARD = [c for c in CORPUS if c[0].endswith("/upper") and c[0].split("/")[1] in ("backtick", "number", "bom")]

READS = [
    "MATCH (n:Area) RETURN n.id AS id ORDER BY id DESC SKIP 1 LIMIT 2",
    "OPTIONAL MATCH (n:Area) WHERE n.name STARTS WITH 'Area' RETURN count(n) AS n",
    "UNWIND [1, 2] AS x WITH x WHERE x > 1 RETURN x",
    "MATCH (n:Area) RETURN n.id AS id UNION MATCH (n:Area) RETURN n.id AS id",
    "MATCH (n:Area) RETURN toUpper(n.name) AS u, size(n.name) AS s, coalesce(n.kind, '') AS k",
    "MATCH (n:Area) WHERE n.id IN $ids RETURN collect(DISTINCT n.id) AS ids",
    "MATCH (n:Area) WHERE n.name <> 'DELETE' RETURN n.id AS `CREATE` // a note about DELETE and CALL",
]


def digest(backend) -> str:
    """A digest of everything the store holds (the export the load tests compare)."""
    return hashlib.sha256(repr(snapshot(backend)).encode()).hexdigest()


def _scratch(backend) -> None:
    backend.write([("UNWIND $rows AS r CREATE (:Area {uid: r.id, id: r.id, name: r.name})", {"rows": AREAS})])


@pytest.fixture(scope="module")
def embedded_scratch() -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(":memory:")
    backend.ensure_schema()
    _scratch(backend)
    yield backend
    backend.close()


@pytest.fixture
def neo4j_scratch(neo4j):
    _scratch(neo4j)
    return neo4j


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    yield
    print(f"\nconsole figures: {dict(sorted(FIGURES.items()))}")


# --- the guard itself --------------------------------------------------------------------------


def test_the_corpus_is_large_and_covers_every_keyword_glue_and_case():
    assert len(CORPUS) >= 1_000
    assert {label.split("/")[0] for label, _, _ in CORPUS} == set(TAILS)


@pytest.mark.parametrize(("query", "keyword"), ATTACKS)
def test_the_issue_14_attacks_are_refused_naming_the_keyword(query, keyword):
    with pytest.raises(QueryRefused, match=f"^read-only: {keyword} is not allowed here$"):
        check_console_query(query)


def test_every_corpus_query_is_refused_by_the_lexical_layer():
    for label, query, _ in CORPUS:
        with pytest.raises(QueryRefused, match="^read-only: [A-Z]+ is not allowed here$"):
            check_console_query(query)
        FIGURES["lexical refused"] += 1
        assert label


@pytest.fixture
def parse_layer_only(monkeypatch) -> Iterator[None]:
    """The lexical layer switched off, and no verdict remembered from before or kept after."""
    monkeypatch.setattr("graph.console.assert_read_only", lambda query: None)
    _refusal_of.cache_clear()
    yield
    _refusal_of.cache_clear()


@pytest.mark.usefixtures("parse_layer_only")
def test_the_parse_allow_list_alone_refuses_a_sample():
    """The allow-list is the authority: with the lexical layer switched off it still refuses."""
    for label, query, _ in CORPUS[::29] + [(q, q, {}) for q, _ in ATTACKS]:
        with pytest.raises(QueryRefused) as info:
            check_console_query(query)
        assert "\n" not in str(info.value), label
        FIGURES["parse refused (sample)"] += 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("MATCH (n:Area) CALL { WITH n RETURN n.id AS i } RETURN i", "^CALL is not allowed in the console"),
        ("EXPLAIN MATCH (n:Area) RETURN n", "^EXPLAIN/PROFILE is not allowed in the console"),
        ("MATCH (n:Area) RETURN apoc.text.join([n.id], ',') AS x", r"^function apoc.text.join\(\) is not on"),
        ("MATCH (n:Area) RETURN file() AS f", r"^function file\(\) is not on"),
        ("RETURN size(range(1, 1000000000)) AS n", r"^range\(\) is not allowed in the console"),
        ("MATCH (n:Area) RETURN n {.id} AS m", "^the console could not read this as a query it accepts"),
        ("RETURN 'unclosed", "^the console could not read this as a query it accepts"),
        ("x" * 8_001, "^the query is 8,001 characters long"),
    ],
)
@pytest.mark.usefixtures("parse_layer_only")
def test_what_the_lexical_layer_lets_through_the_allow_list_refuses(query, message):
    with pytest.raises(QueryRefused, match=message):
        check_console_query(query)


@pytest.mark.parametrize("query", READS)
def test_ordinary_reads_pass(query):
    check_console_query(query)


def test_every_project_query_passes_the_console_guard():
    """Enumerated at test time: a query file added by anyone is checked too (docs/decisions.md)."""
    files = sorted(QUERY_DIR.glob("*.cypher"))
    assert files
    refused = {}
    for path in files:
        try:
            check_console_query(path.read_text(encoding="utf-8"))
        except QueryRefused as exc:
            refused[path.name] = str(exc)
    assert refused == {}


def test_every_allowed_name_is_a_parse_tree_type():
    """A typo or a renamed type in an upgraded graphglot would silently allow nothing; say so."""
    known = {c.__name__ for c in _subclasses(Expression)}
    assert sorted(ALLOWED - known) == []


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_the_tokenizer_sees_keywords_glued_to_anything():
    words = [t.text for t in tokens("WITH 1 AS `x`SET n.a=1000SET\u3000SET'a'SET/**/SET$pSET\ufeffSET")]
    assert words.count("SET") == 6 and "$pSET" in words


# --- the console's path on both stores ---------------------------------------------------------


def _console_path_refuses_everything(backend) -> None:
    before = digest(backend)
    for label, query, params in CORPUS + [(q, q, {}) for q, _ in ATTACKS]:
        FIGURES[f"{backend.name} tried"] += 1
        try:
            run_console(backend, query, params, Limits())
        except QueryRefused:
            FIGURES[f"{backend.name} refused"] += 1
            continue
        pytest.fail(f"the console ran {label!r}")
    assert digest(backend) == before
    FIGURES[f"{backend.name} executed"] += 0


def test_the_console_runs_none_of_the_corpus_on_the_embedded_store(embedded_scratch):
    _console_path_refuses_everything(embedded_scratch)


@pytest.mark.neo4j
def test_the_console_runs_none_of_the_corpus_on_neo4j(neo4j_scratch):
    _console_path_refuses_everything(neo4j_scratch)


def _past_both_guards(backend, monkeypatch) -> None:
    """Straight to the store's read path with the guards off: the READ ONLY / READ transaction
    must still stop every write. Procedures and file reads are counted, not asserted: on the
    embedded engine the guard is their only wall (docs/decisions.md)."""
    monkeypatch.setattr(f"{type(backend).__module__}.assert_read_only", lambda query: None)
    before = digest(backend)
    for label, query, params in PAST_GUARD:
        try:
            rows = backend.read(query, params, timeout=5, max_rows=10)
        except (BackendError, QueryRefused) as exc:
            wall = "read-only transaction" if "read-only" in str(exc) else "engine (syntax, binding)"
            FIGURES[f"{backend.name} past-guard stopped by the {wall}"] += 1
            continue
        kind = label.split("/")[0]
        if kind in ("CALL",) and rows:
            FIGURES[f"{backend.name} past-guard procedures ran"] += 1
        elif kind.startswith("LOAD") and rows:
            FIGURES[f"{backend.name} past-guard files read"] += 1
        else:
            FIGURES[f"{backend.name} past-guard ran harmlessly"] += 1
    assert digest(backend) == before, "a write got through the read-only transaction"
    assert FIGURES[f"{backend.name} past-guard stopped by the read-only transaction"] > 0
    FIGURES[f"{backend.name} past-guard tried"] += len(PAST_GUARD)


def test_past_both_guards_the_embedded_store_still_writes_nothing(embedded_scratch, monkeypatch):
    _past_both_guards(embedded_scratch, monkeypatch)


@pytest.mark.neo4j
def test_past_both_guards_neo4j_writes_nothing_and_reads_no_file(neo4j_scratch, monkeypatch):
    _past_both_guards(neo4j_scratch, monkeypatch)
    assert FIGURES["neo4j past-guard files read"] == 0, "the server read a file: allow_csv_import_from_file_urls"


# --- timeout and row cap ----------------------------------------------------------------------

CARTESIAN = "MATCH (a:Area), (b:Area), (c:Area) RETURN a.id + b.id + c.id AS x ORDER BY x"


def _many(backend, n: int) -> None:
    rows = [{"id": f"M{i}", "name": "m"} for i in range(n)]
    backend.write([("UNWIND $rows AS r CREATE (:Area {uid: r.id, id: r.id, name: r.name})", {"rows": rows})])


def _limits_hold(backend) -> None:
    _many(backend, 1_500)
    started = time.monotonic()
    with pytest.raises(BackendError, match=r"^the query ran longer than 1 s and was stopped"):
        run_console(backend, CARTESIAN, {}, Limits(timeout=1, rows=10))
    FIGURES[f"{backend.name} cartesian stopped after (ms)"] = round((time.monotonic() - started) * 1000)
    answer = run_console(backend, "MATCH (a:Area), (b:Area) RETURN a.id AS a, b.id AS b", {}, Limits(rows=5_000))
    assert (len(answer.rows), answer.cut) == (5_000, True)
    answer = run_console(backend, "MATCH (a:Area) RETURN a.id AS a", {}, Limits(rows=5_000))
    assert (len(answer.rows), answer.cut) == (1_500 + len(AREAS), False)
    # Nothing is left holding the store: a write goes through at once.
    backend.write([("CREATE (:Area {uid: 'after', id: 'after', name: 'after'})", {})])


def test_timeout_and_row_cap_on_the_embedded_store():
    backend = EmbeddedBackend(":memory:")
    backend.ensure_schema()
    _scratch(backend)
    try:
        _limits_hold(backend)
    finally:
        backend.close()


def test_a_timed_out_query_releases_a_store_file(tmp_path):
    """As the app holds it (read-only) and as the CLI does (read-write): after a timeout the
    store answers at once and, closed, can be opened read-write again (no lock left behind)."""
    path = tmp_path / "store.lbug"
    backend = EmbeddedBackend(path)
    backend.ensure_schema()
    _many(backend, 1_500)
    backend.close()
    for read_only in (True, False):
        backend = EmbeddedBackend(path, read_only=read_only)
        with pytest.raises(BackendError, match="was stopped"):
            run_console(backend, CARTESIAN, {}, Limits(timeout=0.5, rows=10))
        assert backend.read("MATCH (a:Area) RETURN count(a) AS n") == [{"n": 1_500}]
        backend.close()
    EmbeddedBackend(path).close()


@pytest.mark.neo4j
def test_timeout_and_row_cap_on_neo4j(neo4j_scratch):
    _limits_hold(neo4j_scratch)


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(TIMEOUT_ENV, "2.5")
    monkeypatch.setenv(ROWS_ENV, "7")
    monkeypatch.setenv(MEMORY_ENV, "300")
    assert Limits.from_environment() == Limits(timeout=2.5, rows=7, memory_mb=300)
    for name in (TIMEOUT_ENV, ROWS_ENV, MEMORY_ENV):
        monkeypatch.delenv(name)
    assert Limits.from_environment() == Limits(timeout=10.0, rows=5_000, memory_mb=1_536)
    bad_values = ((TIMEOUT_ENV, "ten"), (TIMEOUT_ENV, "0"), (ROWS_ENV, "1.5"), (ROWS_ENV, "-1"), (MEMORY_ENV, "1g"))
    for name, bad in bad_values:
        monkeypatch.setenv(name, bad)
        with pytest.raises(BackendError, match=f"^{name}='{bad}': expected a positive"):
            Limits.from_environment()
        monkeypatch.delenv(name)


# --- a store file: the query runs in a child process that can be killed -------------------------

# A read the guard must pass (it is one), whose one value doubles thirty times: the engine does
# not interrupt it at the timeout, so only killing the process stops it.
DOUBLING = "WITH 'xxxxxxxxxxxxxxxx' AS s " + " ".join("WITH s + s AS s" for _ in range(30)) + " RETURN size(s) AS n"


@pytest.fixture
def store_file(tmp_path) -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(tmp_path / "store.lbug")
    backend.ensure_schema()
    _scratch(backend)
    yield backend
    backend.close()


def test_on_a_store_file_the_child_answers_as_the_store_does(store_file):
    query = "MATCH (n:Area) RETURN n.id AS id, n.name AS name ORDER BY id"
    answer = run_console(store_file, query, {}, Limits(rows=2))
    assert answer.rows == store_file.read(query)[:2] and answer.cut
    with pytest.raises(BackendError, match="^embedded store refused the query: "):
        run_console(store_file, "MATCH (n:NoSuchLabel) RETURN n.id AS id", {}, Limits())


def test_a_value_that_doubles_past_the_memory_cap_is_killed(store_file):
    check_console_query(DOUBLING)  # a read: only the limits can stop it
    started = time.monotonic()
    with pytest.raises(BackendError, match="^the query used more than 400 MB and was stopped"):
        run_console(store_file, DOUBLING, {}, Limits(timeout=60, memory_mb=400))
    FIGURES["embedded doubling killed after (ms)"] = round((time.monotonic() - started) * 1000)
    store_file.write([("CREATE (:Area {uid: 'after', id: 'after', name: 'after'})", {})])  # the store is free
    assert run_console(store_file, "MATCH (n:Area) RETURN count(n) AS n", {}, Limits()).rows == [{"n": 4}]


# --- the Neo4j launcher -------------------------------------------------------------------------


def test_the_launcher_allows_no_extension_procedures_and_no_file_urls():
    launcher = (Path(__file__).resolve().parent.parent / "scripts" / "neo4j" / "Launcher.java").read_text()
    assert ".setConfig(GraphDatabaseSettings.allow_file_urls, false)" in launcher
    assert ".setConfig(GraphDatabaseSettings.procedure_allowlist, List.of())" in launcher


@pytest.mark.neo4j
def test_the_project_server_runs_with_those_settings(neo4j_server):
    """What the launcher set, as the running server reports it (scripts/neo4j-local in CI)."""
    with neo4j_server._driver.session() as session:
        settings = {
            r["name"]: r["value"]
            for r in session.run("CALL dbms.listConfig('dbms.security') YIELD name, value RETURN name, value")
        }
    assert settings["dbms.security.allow_csv_import_from_file_urls"] == "false"
    assert settings["dbms.security.procedures.allowlist"] == ""
