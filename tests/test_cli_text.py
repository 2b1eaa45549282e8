"""The command line's text is made beside what it describes (cli.py only parses arguments): each
function's wording, on a real store, is what the commands print."""

from __future__ import annotations

import json

from findings.caseload import caseload_answers, caseload_report
from graph.embedded import EmbeddedBackend
from graph.load import counts, counts_report, load_case
from loaders.records import InputError, Location, Problem, warnings_report


def test_caseload_text_titles_each_table_with_its_count_and_cites_every_row(mini_store):
    answers = caseload_answers(mini_store, "mini", "C1", 5)
    assert answers is not None and answers["network"]
    lines = caseload_report(answers, "mini", "C1", 5, "text").split("\n")
    assert lines[:3] == [
        "caseload of case mini",
        "",
        f"persons of concern linked to most children (top 5) ({len(answers['persons'])})",
    ]
    assert f"children linked to C1 by a person or a place ({len(answers['linked_children'])})" in lines
    start = lines.index(f"two-step network of C1 ({len(answers['network'])})")
    rows = lines[start + 1 :]
    assert len(rows) == len(answers["network"])
    for line, row in zip(rows, answers["network"], strict=True):
        assert line.startswith("  ") and line.endswith(" | " + ", ".join(row["evidence"]))


def test_caseload_json_holds_the_same_answers_and_an_unknown_child_has_none(mini_store):
    answers = caseload_answers(mini_store, "mini", "C1", 5)
    assert json.loads(caseload_report(answers, "mini", "C1", 5, "json")) == json.loads(
        json.dumps({"case": "mini", "child": "C1", **answers}, default=str)
    )
    assert caseload_answers(mini_store, "mini", "nobody", 5) is None


def test_counts_text_orders_types_by_count_under_each_total(mini_store):
    result = counts(mini_store, "mini")
    lines = counts_report(result, "mini", "embedded").split("\n")
    assert lines[:3] == ["case mini on embedded", "", f"nodes ({sum(result['nodes'].values()):,})"]
    shown = [int(line.split()[-1].replace(",", "")) for line in lines[3 : 3 + len(result["nodes"])]]
    assert shown == sorted(result["nodes"].values(), reverse=True)
    assert json.loads(counts_report(result, "mini", "embedded", "json")) == {"case": "mini", **result}


def test_load_text_says_what_a_replace_changed_before_what_was_loaded(mini_case):
    backend = EmbeddedBackend(":memory:")
    try:
        first = load_case(backend, mini_case).text("embedded")
        again = load_case(backend, mini_case, replace=True).text("embedded")
    finally:
        backend.close()
    assert first.startswith("loaded case 'mini' into embedded (create): ") and "\n" not in first
    replacing, loaded = again.split("\n")
    assert replacing.startswith("replacing case 'mini': +0/−0 nodes")
    assert loaded.startswith("loaded case 'mini' into embedded (replace): ")


def test_problems_and_warnings_are_counted_then_listed_one_a_line():
    problem = Problem(Location("case/records.yaml", line=3), "kind", "castle", "a placement kind")
    text = InputError([problem, problem]).report("case", "nothing was loaded")
    assert text.split("\n") == ["2 problem(s) in case; nothing was loaded:", *(["  " + str(problem)] * 2)]
    assert warnings_report([]) == ""
    assert warnings_report([problem]).split("\n") == [
        "1 warning(s) (warnings do not stop a load):",
        "  warning: " + str(problem),
    ]
