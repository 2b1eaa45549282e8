"""Inputs cannot exhaust the machine (issue 14, items 4 and 6): each attack is refused fast, in
one line, with little memory, and a refused load leaves the store exactly as it was."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

import cli
from graph.embedded import EmbeddedBackend
from graph.export import to_networkx
from graph.schema import load_schema
from loaders.archive import extract_zip, inspect_zip, upload_target
from loaders.documents import DocumentError, read_document
from loaders.records import MAX_SHOWN, InputError
from loaders.safety import UnsafeInput, printable
from loaders.validate import validate_path
from tests.conftest import MINI_CASE

ALIAS_BOMB = (
    "case: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
    + "title: *a8\n"
)


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        validate_path(path)
    return caught.value.lines()


def refused_quickly(path: Path) -> tuple[list[str], float, int]:
    """The problems of ``path``, the seconds and the peak bytes Python allocated to find them.

    Memory is asserted (it proves nothing was expanded or read); time is only shown in a failure
    (the machine may be busy): measured 0.05 s for the alias bomb, 0.001 s for a 201 MB file."""
    load_schema()  # read once per process: not part of what is measured
    tracemalloc.start()
    start = time.perf_counter()
    try:
        found = problems(path)
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return found, seconds, peak


def _case(tmp_path: Path, name: str = "case") -> Path:
    folder = tmp_path / name
    shutil.copytree(MINI_CASE, folder)
    return folder


def test_alias_bomb_in_case_yaml_is_refused_fast_and_small(tmp_path):
    folder = tmp_path / "bomb"
    folder.mkdir()
    (folder / "case.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    found, seconds, peak = refused_quickly(folder)
    assert len(found) == 1 and "alias bomb" in found[0] and "case.yaml: line" in found[0], found
    assert peak < 5 * 1024**2, (seconds, peak)  # nothing was expanded or read


def test_alias_bomb_in_a_records_file_is_refused(tmp_path):
    folder = _case(tmp_path)
    (folder / "more.yaml").write_text(
        ALIAS_BOMB.replace("case: bomb\n", "").replace("title:", "nodes:"), encoding="utf-8"
    )
    assert any("more.yaml" in p and "alias bomb" in p for p in problems(folder))


def test_a_few_aliases_are_still_fine(tmp_path):
    folder = _case(tmp_path)
    text = (folder / "records.yaml").read_text(encoding="utf-8")
    source = re.search(r'source: ("[^"]+"|\S+)', text)[1]
    (folder / "records.yaml").write_text(
        text.replace(f"source: {source}", f"source: &s {source}", 1).replace(f"source: {source}", "source: *s"),
        encoding="utf-8",
    )
    assert len(validate_path(folder).nodes) == len(validate_path(MINI_CASE).nodes)


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path):
    folder = _case(tmp_path)
    with (folder / "huge.json").open("wb") as f:
        f.truncate(201 * 1024 * 1024)  # sparse: no disk used, but over the 200 MB default
    found, seconds, peak = refused_quickly(folder)
    assert any("huge.json" in p and "at most 200 MB" in p for p in found), found
    assert peak < 5 * 1024**2, (seconds, peak)  # nothing was expanded or read


def test_the_size_cap_is_configurable(tmp_path, monkeypatch):
    folder = _case(tmp_path)
    monkeypatch.setenv("JOINED_UP_MAX_FILE_MB", "0.001")
    assert any("records.yaml" in p and "JOINED_UP_MAX_FILE_MB" in p for p in problems(folder))


def test_symlink_to_dev_zero_is_refused(tmp_path):
    folder = _case(tmp_path)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    found, seconds, peak = refused_quickly(folder)
    assert any("zero.yaml" in p and "leaves it" in p for p in found), found
    assert peak < 5 * 1024**2, (seconds, peak)  # nothing was expanded or read


def test_symlink_leaving_the_folder_is_refused_even_to_a_regular_file(tmp_path):
    folder = _case(tmp_path)
    outside = tmp_path / "other.yaml"
    shutil.copy(MINI_CASE / "records.yaml", outside)
    (folder / "other.yaml").symlink_to(outside)
    assert any("other.yaml" in p and "symlink that leaves" in p for p in problems(folder))


def test_a_symlink_inside_the_folder_is_read(tmp_path):
    folder = _case(tmp_path)
    (folder / "records.yaml").rename(folder / "real.txt")
    (folder / "records.yaml").symlink_to(folder / "real.txt")
    assert validate_path(folder).nodes


def test_a_lone_device_file_is_refused(tmp_path):
    (tmp_path / "chron.csv").symlink_to("/dev/zero")  # a file named on the command line may be a symlink
    found, seconds, peak = refused_quickly(tmp_path / "chron.csv")
    assert any("a regular file (this is a character device)" in p for p in found), found
    assert peak < 5 * 1024**2, (seconds, peak)  # nothing was expanded or read


def test_a_fifo_never_hangs_the_load(tmp_path):
    folder = _case(tmp_path)
    os.mkfifo(folder / "pipe.yaml")
    done: list[list[str]] = []
    worker = threading.Thread(target=lambda: done.append(problems(folder)), daemon=True)
    worker.start()
    worker.join(5)
    assert done, "validation hung on a FIFO"
    assert any("pipe.yaml" in p and "FIFO" in p for p in done[0]), done


def test_a_fifo_given_as_the_path_is_refused(tmp_path):
    os.mkfifo(tmp_path / "chron.csv")
    assert any("FIFO" in p for p in problems(tmp_path / "chron.csv"))


def test_a_review_document_must_be_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "review.txt")
    with pytest.raises(DocumentError, match="FIFO"):
        read_document(tmp_path / "review.txt")


# --- XLSX: a stale stored dimension cannot hide rows -----------------------------------------


def _stale_dimension(path: Path) -> Path:
    """``path`` rewritten so its sheet claims A1:E2, as some programs leave it after edits."""
    out = path.with_name("stale.xlsx")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:E2"', data)
                assert n == 1
            zout.writestr(item, data)
    return out


def test_xlsx_with_a_stale_dimension_loads_every_row(tmp_path):
    wb = Workbook()
    wb.active.append(["date", "agency", "what happened", "source", "child"])
    for i in range(5):
        wb.active.append([f"2015-0{i + 1}-01", "Police", f"event {i}", "¶1", "Child Z"])
    wb.save(tmp_path / "chron.xlsx")
    case = validate_path(_stale_dimension(tmp_path / "chron.xlsx"))
    assert sum(n.label == "Event" for n in case.nodes) == 5


def test_xlsx_zip_bomb_is_refused_before_openpyxl_inflates_it(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (50 * 1024 * 1024))
    (tmp_path / "bomb.xlsx").write_bytes(buf.getvalue())
    found, seconds, peak = refused_quickly(tmp_path / "bomb.xlsx")
    assert any("zip bomb" in p for p in found), found
    assert peak < 5 * 1024**2, (seconds, peak)  # nothing was expanded or read


# --- Uploaded zip archives -------------------------------------------------------------------


def _zip(entries: dict[str, bytes], symlink: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            z.writestr(info, "/etc/passwd")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("entries", "symlink", "why"),
    [
        ({"../evil.yaml": b"x"}, None, "leaves it"),
        ({"/etc/cron.d/evil": b"x"}, None, "leaves it"),
        ({"C:/evil.yaml": b"x"}, None, "leaves it"),
        ({"case/big.yaml": b"\0" * (20 * 1024 * 1024)}, None, "zip bomb"),
        ({f"f{i}.yaml": b"" for i in range(10_001)}, None, "at most 10,000 entries"),
        ({"case/case.yaml": b"case: x\n"}, "case/link.yaml", "symlink"),
    ],
)
def test_unsafe_zip_uploads_are_refused_and_nothing_is_written(tmp_path, entries, symlink, why):
    with pytest.raises(UnsafeInput, match=why):
        upload_target(tmp_path, [("case.zip", _zip(entries, symlink))])
    assert not list(tmp_path.iterdir())


def test_zip_whose_total_size_is_over_the_cap_is_refused(monkeypatch):
    monkeypatch.setenv("JOINED_UP_MAX_FILE_MB", "1")
    with pytest.raises(UnsafeInput, match="expands to at most 1 MB"):
        inspect_zip(_zip({f"f{i}.txt": os.urandom(300_000) for i in range(4)}))


def test_an_uploaded_case_folder_as_zip_validates(tmp_path):
    entries = {f"mini/{p.name}": p.read_bytes() for p in MINI_CASE.iterdir()}
    target = upload_target(tmp_path, [("mini.zip", _zip(entries))])
    assert target == tmp_path / "mini" and validate_path(target).case_id == "mini"


def test_extract_refuses_to_overwrite(tmp_path):
    data = _zip({"a.yaml": b"x"})
    extract_zip(data, tmp_path)
    with pytest.raises(UnsafeInput, match="File exists"):
        extract_zip(data, tmp_path)


# --- Messages: capped, one line each ------------------------------------------------------------


def test_100k_bad_records_print_a_capped_list(tmp_path, capsys):
    folder = _case(tmp_path)
    bad = [{"type": "Agency", "id": f"BAD{i}", "name": "x", "sector": "nowhere", "source": "x"} for i in range(100_000)]
    (folder / "bad.json").write_text(json.dumps({"nodes": bad}), encoding="utf-8")
    assert cli.main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert len(err) < 100_000, len(err)
    assert err.count("\n") == MAX_SHOWN + 2 and err.rstrip().endswith(f"… and {100_000 - MAX_SHOWN:,} more")


def test_a_file_name_with_a_newline_cannot_forge_a_message_line(tmp_path, capsys):
    folder = _case(tmp_path)
    (folder / "x.yaml\n  forged: field 'id': all good.yaml").write_text("nodes: 5\n", encoding="utf-8")
    assert cli.main(["validate", str(folder)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and "x.yaml\\n  forged" in lines[1], lines


def test_printable_escapes_controls_bidi_and_zero_width():
    assert printable("a\nb\rc\td\x1b[31m\u202eE\u200bF\x85") == "a\\nb\\rc\\td\\u001b[31m\\u202eE\\u200bF\\u0085"
    assert printable("Child Q — ¶23") == "Child Q — ¶23"


# --- All or nothing: a refused input leaves the store unchanged ---------------------------------


def _digest(db: Path) -> str:
    store = EmbeddedBackend(db)
    try:
        g = to_networkx(store)
        text = repr(sorted((str(n), sorted(a.items())) for n, a in g.nodes(data=True)))
        text += repr(sorted((a, b, sorted(d.items())) for a, b, d in g.edges(data=True)))
    finally:
        store.close()
    return hashlib.sha256(text.encode()).hexdigest()


def _with(records: str, file: str = "attack.yaml"):
    def build(folder: Path) -> None:
        (folder / file).write_text(records, encoding="utf-8")

    return build


def _special(make):
    return lambda folder: make(folder / "attack.yaml")


def _xlsx_bomb(folder: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (20 * 1024 * 1024))
    (folder / "chron.xlsx").write_bytes(buf.getvalue())


def _sparse(path: Path) -> None:
    with path.open("wb") as f:
        f.truncate(201 * 1024 * 1024)


_NODE = "nodes:\n  - {type: %s, id: X, %s, source: x}\n"
_EVENT = "type: Event, id: E9, name: e, kind: other, date: 2001-01-01, source: x"
# Every bad input of issue 14 items 4, 6 and 11, each added to a copy of the mini case.
ATTACKS = {  # name: (how to add it to a case folder, what the one-line refusal says)
    "alias bomb in case.yaml": (lambda f: (f / "case.yaml").write_text(ALIAS_BOMB.replace("bomb", "mini")), "bomb"),
    "alias bomb in records": (_with(ALIAS_BOMB.replace("case: bomb\n", "").replace("title:", "nodes:")), "bomb"),
    "FIFO": (_special(os.mkfifo), "FIFO"),
    "symlink to /dev/zero": (_special(lambda p: p.symlink_to("/dev/zero")), "leaves it"),
    "symlink leaving the folder": (_special(lambda p: p.symlink_to(MINI_CASE / "records.yaml")), "leaves it"),
    "file over the size cap": (_special(_sparse), "at most 200 MB"),
    "xlsx zip bomb": (_xlsx_bomb, "zip bomb"),
    "0001-01-01": (_with(_NODE % ("Event", "name: e, kind: other, date: 0001-01-01")), "between 1900"),
    "birth in 2090": (_with(_NODE % ("Child", "name: K, born: 2090")), "between 1900"),
    "event in 2099": (_with(_NODE % ("Event", "name: e, kind: other, date: 2099-05-01")), "between 1900"),
    "event before birth": (
        _with(
            "nodes:\n  - {type: Child, id: K, name: K, born: 2005-01-01, source: x}\n  - {" + _EVENT + "}\n"
            "edges:\n  - {type: CONCERNS, from: E9, to: K, source: x}\n"
        ),
        "K's birth",
    ),
    "negative age": (_with(_NODE % ("PersonOfConcern", "name: p, kind: offender, age: -4")), "at least 0"),
    "negative duration": (
        _with(_NODE % ("Event", "name: e, kind: other, date: 2015, duration_hours: -1")),
        "at least 0",
    ),
    "dangling doc": (_with(_NODE % ("Area", "name: a, doc: nowhere")), "SourceDocument"),
    "PART_OF self-loop": (_with("edges:\n  - {type: PART_OF, from: CSC, to: CSC, source: x}\n"), "to itself"),
    "bidi override in a name": (_with(_NODE % ("Area", 'name: "Ev\\u202eil"')), "Ev\\u202eil"),
    "zero-width in a name": (_with(_NODE % ("Area", 'name: "Ze\\u200bro"')), "Ze\\u200bro"),
    "name starting with a newline": (_with(_NODE % ("Area", 'name: "\\nArea"')), "'\\nArea'"),
    "document file outside the folder": (
        _with(_NODE % ("SourceDocument", "name: d, file: ../../../../etc/passwd")),
        "inside the case folder",
    ),
    "duplicate date column": (
        _with("date,agency,what happened,source,child,date\n2015,CSC,x,p1,C1,2016\n", "c.csv"),
        "names it 2 times",
    ),
    "control characters in a file name": (_with("nodes: 5\n", "x.yaml\n  forged.yaml"), "x.yaml\\n  forged"),
}


def test_refused_inputs_leave_the_store_unchanged(tmp_path, capsys):
    """Each attack is refused with located problems; the store holding the case is byte-for-byte the same."""
    db = tmp_path / "store.lbug"
    assert cli.main(["load", str(MINI_CASE), "--db", str(db), "--backend", "embedded"]) == 0
    before = _digest(db)
    refused = []
    for name, (build, said) in ATTACKS.items():
        folder = _case(tmp_path, re.sub(r"\W+", "-", name))
        build(folder)
        code = cli.main(["load", str(folder), "--db", str(db), "--backend", "embedded"])
        err = capsys.readouterr().err
        if code == 1 and said in err and all(line.startswith("  ") for line in err.splitlines()[1:]):
            refused.append(name)
    assert refused == list(ATTACKS)
    assert _digest(db) == before  # no partial load
