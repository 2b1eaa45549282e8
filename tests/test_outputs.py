"""Outputs never overwrite by surprise (issue 14, item 5): every writing command refuses an existing
non-empty target unless --force, says a bad path in one line, and read-only commands create nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cli
from loaders.output import OutputError, output_target
from tests.conftest import MINI_CASE

REVIEW = "1. The first paragraph of a made-up review about Child A.\n\n2. The second paragraph.\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("store") / "store.lbug"
    assert cli.main(["load", str(MINI_CASE), "--db", str(db), "--backend", "embedded"]) == 0
    return db


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().err


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_gaps_out_refuses_an_existing_file_unless_forced(store, tmp_path, capsys):
    out = tmp_path / "gaps.md"
    out.write_text("my notes", encoding="utf-8")
    code, err = run(capsys, "gaps", "--case", "mini", "--out", str(out), "--db", str(store), "--backend", "embedded")
    assert code == 2 and "already exists" in one_line(err) and "--force" in err
    assert out.read_text(encoding="utf-8") == "my notes"
    code, _ = run(
        capsys, "gaps", "--case", "mini", "--out", str(out), "--db", str(store), "--backend", "embedded", "--force"
    )
    assert code == 0 and out.read_text(encoding="utf-8").startswith("# Joined-Up")


def test_an_empty_existing_file_may_be_written(store, tmp_path, capsys):
    out = tmp_path / "gaps.csv"
    out.touch()
    code, _ = run(
        capsys,
        "gaps",
        "--case",
        "mini",
        "--format",
        "csv",
        "--out",
        str(out),
        "--db",
        str(store),
        "--backend",
        "embedded",
    )
    assert code == 0 and out.stat().st_size > 0


@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("missing/dir/gaps.md", "does not exist"),
        (".", "is a folder; expected a file name"),
        ("afile/gaps.md", "is not a folder"),
    ],
)
def test_bad_gaps_paths_are_one_line(store, tmp_path, capsys, target, said):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, err = run(
        capsys, "gaps", "--case", "mini", "--out", str(tmp_path / target), "--db", str(store), "--backend", "embedded"
    )
    assert code == 2 and said in one_line(err)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_without_permission_is_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(OutputError, match="permission denied"):
        output_target(locked / "x.md", force=False)


def test_extract_refuses_an_existing_case_folder_unless_forced(tmp_path, capsys):
    review = tmp_path / "review.txt"
    review.write_text(REVIEW, encoding="utf-8")
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yaml").write_text("case: mine\n", encoding="utf-8")
    code, err = run(capsys, "extract", str(review), "--out", str(case))
    assert code == 2 and "already exists" in one_line(err)
    assert (case / "case.yaml").read_text(encoding="utf-8") == "case: mine\n"
    assert cli.main(["extract", str(review), "--out", str(case), "--force"]) == 0
    assert (case / "case.yaml").read_text(encoding="utf-8") != "case: mine\n"


def test_summary_json_is_checked_before_any_work(tmp_path, capsys):
    review = tmp_path / "review.txt"
    review.write_text(REVIEW, encoding="utf-8")
    summary = tmp_path / "summary.json"
    summary.write_text("{}", encoding="utf-8")
    code, err = run(capsys, "extract", str(review), "--out", str(tmp_path / "new"), "--summary-json", str(summary))
    assert code == 2 and "summary.json already exists" in one_line(err)
    assert not (tmp_path / "new").exists() and summary.read_text(encoding="utf-8") == "{}"


def test_extract_into_a_file_is_one_line(tmp_path, capsys):
    review = tmp_path / "review.txt"
    review.write_text(REVIEW, encoding="utf-8")
    code, err = run(capsys, "extract", str(review), "--out", str(review))
    assert code == 2 and "is a file; expected a folder" in one_line(err)


def test_generate_refuses_a_non_empty_folder_unless_forced(tmp_path, capsys):
    out = tmp_path / "synthetic"
    assert cli.main(["generate", "--children", "2", "--out", str(out)]) == 0
    capsys.readouterr()
    code, err = run(capsys, "generate", "--children", "2", "--out", str(out))
    assert code == 2 and "already exists" in one_line(err)
    assert cli.main(["generate", "--children", "3", "--out", str(out), "--force"]) == 0


@pytest.mark.parametrize("command", [["summary"], ["gaps", "--case", "mini"]])
def test_read_only_commands_never_create_a_store(tmp_path, capsys, command):
    db = tmp_path / "typo" / "x.lbug"
    code, err = run(capsys, *command, "--db", str(db), "--backend", "embedded")
    assert code == 2 and "does not exist" in one_line(err)
    assert not (tmp_path / "typo").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_while_writing_is_one_line(store, capsys):
    code, err = run(capsys, "gaps", "--case", "mini", "--out", "/dev/full", "--db", str(store), "--backend", "embedded")
    assert code == 2 and "No space left on device" in one_line(err)
