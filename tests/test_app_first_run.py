"""A newcomer's first run: the two README commands, the shipped Streamlit settings, and the CLI
working beside a running app (the app holds the embedded store read-only)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tomllib
from pathlib import Path

from test_app import _clear_caches, env, fresh, loaded_store, start  # noqa: F401  (fixtures)

from graph.embedded import EmbeddedBackend

ROOT = Path(__file__).resolve().parent.parent


def test_readme_command_one_makes_a_venv_with_python3_and_runs_streamlit():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/run-app\n" in readme and "pip install -r requirements.txt &&" not in readme
    run_app = (ROOT / "scripts" / "run-app").read_text(encoding="utf-8")
    helper = (ROOT / "scripts" / "venv").read_text(encoding="utf-8")
    assert "python3 -m venv" in helper and '"$VENV_PY" -m pip install' in helper
    assert 'exec "$VENV_PY" -m streamlit run app.py' in run_app and "ensure_venv requirements.txt" in run_app
    test_script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert "ensure_venv requirements-dev.txt" in test_script and "python -m pip" not in test_script
    assert "exec scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for script in ("run-app", "test", "venv"):
        subprocess.run(["bash", "-n", str(ROOT / "scripts" / script)], check=True)
    assert "--out var/" in readme


def test_streamlit_settings_ship_with_statistics_off_and_the_viewer_toolbar():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["client"]["showErrorDetails"] == "type"  # no traceback, no file paths in the browser
    assert config["server"]["headless"] is True


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def _read_commands_answer(db: str) -> None:
    """``summary``, ``gaps`` and ``caseload`` on the mini case answer in full from ``db``."""
    summary = _cli("summary", "--case", "mini", "--db", db)
    assert summary.returncode == 0, summary.stderr
    assert "case mini on embedded" in summary.stdout and "Child " in summary.stdout
    gaps = _cli("gaps", "--case", "mini", "--db", db, "--format", "json")
    assert gaps.returncode == 0, gaps.stderr
    findings = json.loads(gaps.stdout)["findings"]
    assert findings and all(f["evidence"] for f in findings)
    caseload = _cli("caseload", "--case", "mini", "--db", db)
    assert caseload.returncode == 0, caseload.stderr
    assert "OFF | 1 |" in caseload.stdout and "¶14" in caseload.stdout


def test_cli_read_commands_leave_the_running_app_undisturbed(env, caplog):  # noqa: F811 (a fixture)
    """The CLI's read commands open the store read-only: they run while the app holds it, leave the
    file untouched (a read-write open rewrote it, so the app dropped its handle and every cached
    answer and reopened), and the app answers on every page afterwards without reopening."""
    at = start()
    assert not at.exception
    db = env / "store.lbug"
    before = db.stat().st_mtime_ns
    _read_commands_answer(str(db))
    assert db.stat().st_mtime_ns == before
    with caplog.at_level(logging.INFO, logger="joined_up.app"):
        for page in ("network", "gaps", "overview"):
            at.switch_page(f"views/{page}.py").run()
            assert not at.exception, page
    assert not [r for r in caplog.records if "reopening" in r.getMessage()]
    assert at.title[0].value == "Case overview"


def test_cli_read_commands_work_while_the_store_is_being_loaded(env):  # noqa: F811 (a fixture)
    """While the app (or ``cli.py load``) holds the file read-write to load, the read commands
    still open it: the engine allows one writer beside any number of readers."""
    db = env / "store.lbug"
    writer = EmbeddedBackend(db)
    try:
        _read_commands_answer(str(db))
    finally:
        writer.close()


def test_cli_reads_and_loads_while_the_app_runs(env):  # noqa: F811 (a fixture)
    at = start()
    assert not at.exception
    db = str(env / "store.lbug")
    summary = subprocess.run(
        [sys.executable, "cli.py", "summary", "--case", "mini", "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert summary.returncode == 0, summary.stderr
    assert "case mini on embedded" in summary.stdout
    loaded = subprocess.run(
        [sys.executable, "cli.py", "load", str(ROOT / "data" / "samples" / "chronology.csv"), "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    at.run()  # the app notices the file changed and reopens it: the new case is offered
    assert not at.exception
    assert "chronology" in at.sidebar.selectbox(key="case").options


def test_a_named_store_file_is_the_embedded_store_even_with_a_server_configured(tmp_path, monkeypatch):
    """``--db FILE`` names an embedded store: with NEO4J_URI set (as in CI, or a reviewer's shell) a load
    must still go to that file, never to a server nobody named on the command line."""
    from graph.backend import open_backend

    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # nothing listens there: a connection would fail
    monkeypatch.delenv("JOINED_UP_BACKEND", raising=False)
    backend = open_backend(None, tmp_path / "named.lbug")
    try:
        assert isinstance(backend, EmbeddedBackend)
    finally:
        backend.close()
