"""JSON case files are parsed with the json module and located lazily; every line must be the one
the line-annotating YAML parser gives, and whatever the fast path cannot read identically must go
through that parser with the same messages as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.case_file import read_case_file
from loaders.records import InputError, parse_structured
from loaders.synthetic import generate
from loaders.validate import validate_path
from tests.conftest import MINI_CASE
from tests.test_fuzz import _plain

HEADER = "case: t\ndocument: d\nnodes:\n  - {type: SourceDocument, id: d, name: Doc, source: 'Title page'}\n"
MINI_DOC, _ = parse_structured(MINI_CASE / "records.yaml")


MINI = {"nodes": _plain(MINI_DOC["nodes"]), "edges": _plain(MINI_DOC["edges"])}


def _case(tmp_path: Path, text: str | bytes, name: str = "records.json") -> Path:
    (tmp_path / "case.yaml").write_text(HEADER, encoding="utf-8")
    target = tmp_path / name
    target.write_bytes(text) if isinstance(text, bytes) else target.write_text(text, encoding="utf-8", newline="")
    return tmp_path


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        validate_path(path)
    return [str(p) for p in info.value.problems]


def _annotated_locations(path: Path) -> dict[tuple[str, int, str | None], int]:
    """Every record's and field's line as the YAML parser gives them (the reference)."""
    doc, problems = parse_structured(path)
    assert doc is not None, problems
    out = {}
    for section, kind in (("nodes", "node"), ("edges", "edge")):
        for i, item in enumerate(doc.get(section) or []):
            out[(kind, i, None)] = doc["__lines__"][f"{section}[{i}]"]
            for key, line in item["__lines__"].items():
                if "[" not in key:
                    out[(kind, i, key)] = line
    return out


def _fast_locations(path: Path) -> dict[tuple[str, int, str | None], int]:
    found, problems = read_case_file(path)
    assert found is not None and found.json_lines is not None, "the JSON fast path was not taken"
    counters = {"node": 0, "edge": 0}
    out = {}
    for rec in found.records:
        i = counters[rec.kind]
        counters[rec.kind] += 1
        assert rec.index == i
        out[(rec.kind, i, None)] = rec.location("no such field").line
        for key in rec.data:
            out[(rec.kind, i, key)] = rec.location(key).line
    return out


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    indent=st.sampled_from([None, 0, 1, 2, "\t"]),
    crlf=st.booleans(),
    lead=st.integers(0, 3),
    compact=st.booleans(),
    per_line=st.booleans(),
)
def test_json_lines_are_the_yaml_parsers(tmp_path, indent, crlf, lead, compact, per_line):
    """Pretty-printed, one record a line, all on one line, CRLF: the same line for every record and field."""
    if per_line:
        body = ",\n".join(json.dumps(r) for r in MINI["nodes"])
        edges = ",\n".join(json.dumps(r) for r in MINI["edges"])
        text = '{\n"nodes": [\n' + body + '\n],\n"edges": [\n' + edges + "\n]}\n"
    else:
        text = json.dumps(MINI, indent=indent, separators=(",", ":") if compact else None, ensure_ascii=False)
    text = "\n" * lead + text
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path / "records.json"
    path.write_text(text, encoding="utf-8", newline="")
    assert _fast_locations(path) == _annotated_locations(path)


def test_a_bad_value_deep_in_a_big_json_file_reports_its_line(tmp_path):
    folder = generate(30, 7, tmp_path / "s")
    path = folder / "children-001.json"
    lines = path.read_text(encoding="utf-8").split("\n")
    target = next(n for n in range(len(lines) * 3 // 4, len(lines)) if '"type": "SENT"' in lines[n])
    lines[target] = lines[target].replace('"type": "SENT"', '"type": "SENT", "colour": "red"')
    lines[10] = lines[10].replace('"source": ', '"source": 5, "doc2": ', 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    found = _problems(folder)
    assert f"children-001.json: line {target + 1}: field 'colour': got 'red'" in "\n".join(found), found
    assert any("children-001.json: line 11: field 'doc2'" in p for p in found), found
    assert any("line 11: field 'source': got 5" in p for p in found), found
    assert len(found) == 3, found


def test_yaml_and_json_report_the_same_mistake_at_the_same_line(tmp_path):
    records = [
        {"type": "Agency", "id": "A", "name": "A", "sector": "health", "source": "¶1"},
        {"type": "Child", "id": "C", "name": "C", "source": "¶2"},
        {"type": "Meeting", "id": "M", "name": "M", "kind": "lac_review", "date": "soonish", "source": "¶3"},
    ]
    edges = [{"type": "CONCERNS", "from": "M", "to": "Q", "source": "¶4"}]
    as_json = (
        '{"nodes": [\n'
        + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
        + '\n], "edges": [\n'
        + json.dumps(edges[0], ensure_ascii=False)
        + "\n]}\n"
    )
    as_yaml = (
        "nodes:\n"
        + "".join(f"  - {json.dumps(r, ensure_ascii=False)}\n" for r in records)
        + f"edges:\n  - {json.dumps(edges[0], ensure_ascii=False)}\n"
    )
    pretty = json.dumps({"nodes": records, "edges": edges}, indent=2, ensure_ascii=False)
    found = {}
    for name, text, file in (
        ("json", as_json, "records.json"),
        ("yaml", as_yaml, "records.yaml"),
        ("pretty json", pretty, "records.json"),
        ("pretty as yaml", pretty, "records.yaml"),
    ):
        (tmp_path / name).mkdir()
        found[name] = [p.split(": ", 1)[1] for p in _problems(_case(tmp_path / name, text, file))]
    assert found["json"] == found["yaml"], found
    assert [p.split(":")[0] for p in found["json"]] == ["line 4", "line 6"]
    assert found["pretty json"] == found["pretty as yaml"], found
    assert [p.split(":")[0] for p in found["pretty json"]] == ["line 21", "line 29"]  # the "date" and "to" keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"nodes": [\n{"type": "Child", "id": "C", "name": "C", "name": "D", "source": "x"}\n]}',
            "duplicate key 'name'",
        ),
        ('{"nodes": [\n{"type": "Child", "id": "C", "name": "C", "source": "x"\n]}', "line 3: field '(syntax)'"),
        ('{"nodes": [\n  5\n]}', "line 2: field 'nodes': got 5; expected a node record"),
        ('{"nodes": [],\n "colour": "red"}', "line 2: field 'colour'"),
        ('{"nodes": [\n{"type": "Child", "id": "C", "name": "C\x7f", "source": "x"}\n]}', "line 2: field '(syntax)'"),
        (
            '{"nodes": [\r{"type": "Child", "id": "C", "name": 5.5e3, "source": "x", "age": "x"}\r]}',
            "line 2: field 'age'",
        ),
    ],
    ids=["duplicate-key", "unclosed", "scalar-record", "unknown-top-key", "raw-control", "lone-cr"],
)
def test_what_the_fast_path_cannot_read_goes_the_yaml_way(tmp_path, text, expected):
    found = _problems(_case(tmp_path, text))
    assert any(expected in p for p in found), found


def test_json_values_are_read_as_the_yaml_parser_read_them(tmp_path):
    """1e5 (no dot) and NaN were text to the YAML parser; an escaped surrogate pair was two code points."""
    text = (
        '{"nodes": [\n{"type": "Child", "id": "C", "name": 1e5, "notes": NaN, "source": "x"},\n'
        '{"type": "Child", "id": "D", "name": 1.5E+3, "source": "x"}\n]}'
    )
    case = validate_path(_case(tmp_path, text))
    names = {n.props["id"]: n.props["name"] for n in case.nodes}
    assert names["C"] == "1e5" and names["D"] == "1500.0"
    assert next(n for n in case.nodes if n.props["id"] == "C").props["notes"] == "NaN"
    # Not JSON, but YAML, which the YAML parser accepted: still accepted.
    (tmp_path / "records.json").write_text(
        '{"nodes": [{"type": "Child", "id": "C", "name": C, "source": x,},]}', encoding="utf-8"
    )
    assert validate_path(tmp_path).nodes[-1].props["name"] == "C"
    (tmp_path / "records.json").write_text(
        '{"nodes": [\n{"type": "Child", "id": "C", "name": "\\ud83d\\ude00", "source": "x"}\n]}', encoding="utf-8"
    )
    assert any("line 2: field 'name'" in p for p in _problems(tmp_path))


def test_deep_nesting_in_json_is_refused_with_its_line(tmp_path):
    text = '{"nodes": [\n{"type": "Child", "id": "C", "name": ' + "[" * 700 + "]" * 700 + ', "source": "x"}\n]}'
    found = _problems(_case(tmp_path, text))
    assert any("line 2: field '(syntax)'" in p or "line 2: field 'name'" in p for p in found), found


def test_a_file_changed_during_validation_is_named_not_mislocated(tmp_path, monkeypatch):
    text = '{"nodes": [\n{"type": "Child", "id": "C", "name": "C", "source": 5}\n]}'
    folder = _case(tmp_path, text)
    from loaders import validate

    real = validate.read_case_file

    def read_then_change(path):
        result = real(path)
        if path.suffix == ".json":
            path.write_text("\n\n" + text, encoding="utf-8")
        return result

    monkeypatch.setattr(validate, "read_case_file", read_then_change)
    found = _problems(folder)
    assert any("records.json: field '(file)': got 'changed while it was being validated'" in p for p in found), found


def test_a_lone_json_case_file_names_the_line_of_its_case_id(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(
        '{\n  "document": "d",\n  "case": "Bad Case",\n  "nodes": [\n'
        '    {"type": "SourceDocument", "id": "d", "name": "D", "source": "x"}\n  ]\n}\n',
        encoding="utf-8",
    )
    found = _problems(path)
    assert any("case.json: line 3: field 'case': got 'Bad Case'" in p for p in found), found
    path.write_text(path.read_text(encoding="utf-8").replace("Bad Case", "good-case"), encoding="utf-8")
    assert validate_path(path).case_id == "good-case"
