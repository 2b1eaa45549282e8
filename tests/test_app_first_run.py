"""A newcomer's first run: the two README commands, the shipped Streamlit settings, and the CLI
working beside a running app (the app holds the embedded store read-only)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from test_app import _clear_caches, env, fresh, loaded_store, start  # noqa: F401  (fixtures)

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
