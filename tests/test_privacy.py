"""Secrets come only from the environment, never reach a log or the repository, and logs name
records by id, never a person by name.

The data are about abused children and the people around them. A password in a log file or a
commit, or a child's name in an application log shipped to a monitoring service, is a breach.
"""

from __future__ import annotations

import ast
import logging
import os
import re
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.access import ALLOW_WRITE_USER, require_read_only_user
from graph.backend import BackendError
from graph.embedded import EmbeddedBackend
from graph.load import delete_case, load_case
from graph.neo4j_backend import Neo4jBackend
from graph.schema import load_schema
from loaders.validate import ValidatedCase
from tests.conftest import ROOT, renamed_rows

# The app logs at INFO (app.py); the project's own loggers are checked even at DEBUG.
PROJECT_LOGGERS = ("joined_up", "graph", "loaders", "queries", "views")


# ---------------------------------------------------------------------------------------------
# Secrets from the environment only.


def test_neo4j_settings_come_from_the_environment(monkeypatch):
    password = secrets.token_urlsafe(16)
    seen = {}

    def fake_driver(uri, auth, **kwargs):
        seen.update(uri=uri, auth=auth)
        return type("Driver", (), {"close": lambda self: None})()

    monkeypatch.setattr("graph.neo4j_backend.GraphDatabase.driver", fake_driver)
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example:7687")
    monkeypatch.setenv("NEO4J_USER", "reader")
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    monkeypatch.setenv("NEO4J_DATABASE", "cases")
    backend = Neo4jBackend.from_environment()
    assert seen == {"uri": "bolt://db.example:7687", "auth": ("reader", password)}
    assert backend.database == "cases"
    assert password not in repr(vars(backend)), "the password is kept on the backend object"


@pytest.mark.parametrize("missing", ["NEO4J_URI", "NEO4J_PASSWORD"])
def test_missing_settings_are_named_not_defaulted(monkeypatch, missing):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "unused")
    monkeypatch.delenv(missing)
    with pytest.raises(BackendError, match=missing):
        Neo4jBackend.from_environment()


# ---------------------------------------------------------------------------------------------
# Nothing secret or personal in the logs.


def _person_names(case: ValidatedCase) -> set[str]:
    """Every value of a property the schema marks as naming a person (children, family, staff, offenders)."""
    fields = load_schema().person_labels()
    names = {str(n.props[f]) for n in case.nodes for f in fields.get(n.label, []) if n.props.get(f)}
    return {n for n in names if len(n) >= 3}


@pytest.fixture
def captured(caplog) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.INFO)
    for name in PROJECT_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def _leaks(caplog: pytest.LogCaptureFixture, needles: set[str]) -> list[str]:
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    return sorted(n for n in needles if n in text)


def _renamed(case: ValidatedCase, case_id: str, prefix: str) -> ValidatedCase:
    out = ValidatedCase(case_id, case.title, case.document, None)
    out.nodes, out.edges = renamed_rows(case, case_id, lambda node: prefix + node, prefix)
    return out


def test_the_case_has_names_to_look_for(qs_case):
    names = _person_names(qs_case)
    assert "Child Q" in names and "Child S" in names and len(names) > 10


def test_embedded_load_logs_no_names(captured, qs_case):
    store = EmbeddedBackend(":memory:")
    load_case(store, qs_case)
    store.close()
    assert not _leaks(captured, _person_names(qs_case))


@pytest.mark.neo4j
def test_neo4j_connect_failures_and_a_load_log_no_password_and_no_names(captured, neo4j_server, qs_case, monkeypatch):
    probe = secrets.token_urlsafe(24)
    real = os.environ["NEO4J_PASSWORD"]
    # a user that does not exist: refused without counting against the real user's lock-out
    stranger = Neo4jBackend(neo4j_server.uri, "joined-up-nobody", probe)
    with pytest.raises(BackendError, match="refused the user or password"):
        stranger.verify()
    stranger.close()
    unreachable = Neo4jBackend("bolt://127.0.0.1:1", "neo4j", real)
    with pytest.raises(BackendError, match="unreachable"):
        unreachable.verify()
    unreachable.close()
    monkeypatch.setenv(ALLOW_WRITE_USER, "1")
    require_read_only_user(neo4j_server)  # what the app runs at start; it logs a warning
    case = _renamed(qs_case, "privacy-probe", "pv-")
    try:
        load_case(neo4j_server, case)
    finally:
        delete_case(neo4j_server, "privacy-probe")
    assert captured.records, "nothing was captured: the check would prove nothing"
    assert not _leaks(captured, {probe, real}), "a password reached the logs"
    assert not _leaks(captured, _person_names(qs_case)), "a person's name reached the logs"


@pytest.mark.neo4j
def test_no_password_in_the_logs_even_at_debug(caplog, neo4j_server):
    """The driver masks credentials even in its most verbose tracing."""
    caplog.set_level(logging.DEBUG)
    probe = secrets.token_urlsafe(24)
    stranger = Neo4jBackend(neo4j_server.uri, "joined-up-nobody", probe)
    with pytest.raises(BackendError):
        stranger.verify()
    stranger.close()
    assert neo4j_server.read("RETURN 1 AS x") == [{"x": 1}]
    assert not _leaks(caplog, {probe, os.environ["NEO4J_PASSWORD"]})


@pytest.mark.neo4j
def test_query_parameters_never_reach_the_logs_even_at_debug(caplog, neo4j_server):
    """At DEBUG the driver logs each RUN with its parameters: a child's name passed to a query would
    land in the application's logs. The backend pins the driver's logger above DEBUG."""
    caplog.set_level(logging.DEBUG)
    probe = "Child " + secrets.token_urlsafe(12)
    assert neo4j_server.read("RETURN $name AS name", {"name": probe}) == [{"name": probe}]
    assert not _leaks(caplog, {probe}), "a query parameter reached the logs"


NAME_LIKE = re.compile(r"(^|_)(names?|title|aliases)($|_)")
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}


def test_log_calls_pass_ids_not_names():
    """Static check of every logging call in the code: no argument is a name field or a *name variable."""
    offenders = []
    for base in ("graph", "loaders", "queries", "views", "app.py", "cli.py"):
        target = ROOT / base
        for path in [target] if target.is_file() else sorted(target.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in LOG_METHODS
                    and "log" in ast.unparse(node.func.value).lower()
                ):
                    continue
                for arg in [*node.args[1:], *(k.value for k in node.keywords)]:
                    for sub in ast.walk(arg):
                        named = (isinstance(sub, ast.Name) and NAME_LIKE.search(sub.id)) or (
                            isinstance(sub, ast.Constant)
                            and isinstance(sub.value, str)
                            and NAME_LIKE.fullmatch(sub.value)
                        )
                        if named:
                            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not offenders, "log ids, not names:\n" + "\n".join(offenders)


# ---------------------------------------------------------------------------------------------
# Nothing secret or machine-specific in the repository.

SECRET_PATTERNS = {
    "a quoted secret assigned": re.compile(
        r"""(?i)\b\w*(?:password|passwd|secret|token|api_?key)\w*['"]?\s*[:=]\s*['"]([^'"\s]{4,})['"]"""
    ),
    "a secret in an environment line": re.compile(
        r"\b(?:NEO4J_PASSWORD|NEO4J_AUTH|\w*_TOKEN|\w*_SECRET)=([^\s'\"$][^\s'\"]*)"
    ),
    "a literal password in a driver call": re.compile(r"""auth\s*=\s*\(\s*['"][^'"]*['"]\s*,\s*['"]([^'"]+)['"]"""),
    "a private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "a cloud or service token": re.compile(
        r"\b(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9]{20,})\b"
    ),
    "an absolute path of this machine": re.compile(
        r"(?<![\w.~-])(/(?:root|home|Users|work)/\S*|[A-Za-z]:\\+Users\\+\S*)"
    ),
}


def _placeholder(value: str) -> bool:
    """``<password>``, ``${NEO4J_PASSWORD}`` and the like document a secret; they are not one."""
    return (
        any(c in value for c in "<>${}*%")
        or not value.strip(".…")
        or value.lower() in {"none", "null", "changeme", "password"}
    )


def _tracked_text_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = []
    for rel in out.stdout.decode().split("\0"):
        path = ROOT / rel
        if rel and path.is_file():
            head = path.read_bytes()[:8192]
            if b"\0" not in head:
                files.append(path)
    return files


def test_the_scan_finds_what_it_looks_for():
    """Control: lines the scan must flag (assembled at run time, so this file holds none of them)."""
    token = secrets.token_hex(12)
    bad = {
        "a quoted secret assigned": f'NEO4J_PASS{"WORD"}: "{token}"',
        "a secret in an environment line": f"export NEO4J_PASS{'WORD'}={token}",
        "a literal password in a driver call": f'GraphDatabase.driver(uri, auth=("neo4j", "{token}"))',
        "a private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "a cloud or service token": "gh" + "p_" + "a" * 36,
        "an absolute path of this machine": "see /" + "home/alice/cases/child.yaml",
    }
    for what, line in bad.items():
        m = SECRET_PATTERNS[what].search(line)
        assert m and not _placeholder(m.group(1) if m.groups() else m.group(0)), what
    assert not _placeholder(token) and _placeholder("<password>") and _placeholder("...")


def test_no_credentials_or_machine_paths_are_committed():
    found = []
    for path in _tracked_text_files():
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            for what, pattern in SECRET_PATTERNS.items():
                for m in pattern.finditer(line):
                    value = m.group(1) if m.groups() else m.group(0)
                    if not _placeholder(value):
                        found.append(f"{path.relative_to(ROOT)}:{n}: {what}: {line.strip()[:100]}")
    assert not found, "\n".join(found)


def test_the_local_server_password_is_in_no_tracked_file():
    known = {os.environ.get("NEO4J_PASSWORD", "")}
    password_file = ROOT / ".neo4j" / "password"
    if password_file.exists():
        known.add(password_file.read_text().strip())
    known = {k for k in known if len(k) >= 8}
    if not known:
        pytest.skip("no local password to look for")
    leaked = [
        str(p.relative_to(ROOT))
        for p in _tracked_text_files()
        if any(k in p.read_text(encoding="utf-8", errors="replace") for k in known)
    ]
    assert not leaked


def test_the_local_server_state_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", ".neo4j/password"], cwd=ROOT, check=False, timeout=60)
    assert ignored.returncode == 0, ".neo4j/ (the local server's password and data) must be git-ignored"
