"""The Load page's chronology section: upload returns, see the composite chronology and the
cross-checks, load through the page's confirmation (AppTest, real embedded store)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from test_app import start, tables

BUNDLED = """case: bundled
title: A bundled case
document: b-doc
nodes:
  - {type: SourceDocument, id: b-doc, name: A review, source: "¶1"}
  - {type: Child, id: b-child, name: Child B, source: "¶1"}
"""
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "samples" / "chronologies-child-a"


@pytest.fixture
def env(tmp_path, monkeypatch) -> Path:
    """Uploads on, and a one-child bundled case whose ids the sample does not use (ids are unique
    across loaded cases until the (case, id) keys of the schema decision record land)."""
    (tmp_path / "bundled").mkdir()
    (tmp_path / "bundled" / "case.yaml").write_text(BUNDLED, encoding="utf-8")
    monkeypatch.setenv("JOINED_UP_DB", str(tmp_path / "store.lbug"))
    monkeypatch.setenv("JOINED_UP_CASE", str(tmp_path / "bundled"))
    monkeypatch.setenv("JOINED_UP_ALLOW_UPLOAD", "1")
    for var in ("NEO4J_URI", "JOINED_UP_BACKEND"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def _zip(folder: Path, broken: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for f in sorted(folder.iterdir()):
            data = f.read_bytes()
            if broken and f.name == broken:
                data = data.replace(b"3 February 2015", b"31 February 2015")
            z.writestr(f"set/{f.name}", data)
    return buffer.getvalue()


def test_chronologies_show_the_composite_and_cross_checks_then_load(env):
    at = start("load")
    at.text_input(key="chron_case").set_value("child-a").run()
    at.file_uploader[1].set_value(("set.zip", _zip(SAMPLE), "application/zip")).run()
    assert not at.exception, [e.value for e in at.exception]
    composite = at.dataframe[0].value
    assert len(composite) == 228 and set(composite["agency"]) == {"csc", "police", "school", "health", "early-help"}
    assert "chron-police row 16" in tables(at) and "Northtown Housing returned no chronology" in tables(at)
    at.multiselect(key="chron_agencies").set_value(["police"]).run()
    assert set(at.dataframe[0].value["agency"]) == {"police"}
    at.button(key="chron_go").click().run()
    assert not at.exception and "Case 'child-a' loaded" in at.success[-1].value


def test_bad_chronologies_are_listed_and_nothing_is_offered(env):
    at = start("load")
    at.text_input(key="chron_case").set_value("child-a").run()
    at.file_uploader[1].set_value(("set.zip", _zip(SAMPLE, broken="school.csv"), "application/zip")).run()
    assert "nothing was loaded" in at.error[0].value
    shown = tables(at)
    assert "set/school.csv: row 23" in shown and "31 February 2015" in shown and "/tmp" not in shown
    assert not [b for b in at.button if b.key == "chron_go"]
