"""Multi-agency chronology spreadsheets, the way practitioners keep them."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from graph.export import to_networkx
from graph.load import counts, load_case
from loaders.records import InputError
from loaders.validate import validate_path
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "samples"


@pytest.mark.parametrize("name", ["chronology.csv", "chronology.xlsx"])
def test_sample_chronologies_load(name, embedded):
    case = validate_path(SAMPLES / name)
    load_case(embedded, case)
    c = counts(embedded, "chronology")
    assert c["nodes"]["Event"] == 4 and c["nodes"]["Agency"] == 4 and c["nodes"]["Child"] == 1
    assert c["relationships"]["CONCERNS"] == 4 and c["relationships"]["PARTICIPATED_IN"] == 4
    g = to_networkx(embedded)
    missing = [n for n, d in g.nodes(data=True) if d.get("kind") == "missing_episode"]
    assert len(missing) == 1 and g.nodes[missing[0]]["date_text"] == "early 2015"
    assert g.nodes[missing[0]]["source"] == ["Police log 2015/041"]


def test_csv_and_xlsx_samples_give_the_same_case():
    a, b = validate_path(SAMPLES / "chronology.csv"), validate_path(SAMPLES / "chronology.xlsx")
    assert [n.props for n in a.nodes] == [n.props for n in b.nodes]


def errors(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        validate_path(path)
    return [str(p) for p in info.value.problems]


def test_bad_rows_are_named_by_row_and_column(tmp_path):
    sheet = tmp_path / "chron.csv"
    sheet.write_text(
        "date,agency,what happened,source,child\n"
        "2014-03-04,CSC,ok,p1,Child A\n"
        "whenever,CSC,bad date,p2,Child A\n"
        "2014-05-01,,no agency,p3,Child A\n"
        '2014-06-01,CSC,"=HYPERLINK(""http://x"",""click"")",p4,Child A\n',
        encoding="utf-8",
    )
    found = errors(sheet)
    assert any("row 3: field 'date': got 'whenever'" in e for e in found), found
    assert any("row 4: field 'agency': got ''; expected a value" in e for e in found), found
    assert any("row 5: field 'what happened'" in e and "not a spreadsheet formula" in e for e in found), found


def test_missing_columns_are_named(tmp_path):
    sheet = tmp_path / "chron.csv"
    sheet.write_text("when,who,what\n2014,CSC,x\n", encoding="utf-8")
    assert any("row 1: field '(header)'" in e and "'date'" in e and "'source'" in e for e in errors(sheet))


def test_xlsx_rows_and_corrupt_workbooks(tmp_path):
    wb = Workbook()
    wb.active.append(["date", "agency", "what happened", "source", "child"])
    wb.active.append(["2014-03-04", "CSC", "fine", "p1", "Child A"])
    wb.active.append(["2014-03-05", "CSC", "no source", None, "Child A"])
    good = tmp_path / "c.xlsx"
    wb.save(good)
    assert any("c.xlsx: row 3: field 'source'" in e for e in errors(good))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:200])
    assert any("broken.xlsx: field '(file)'" in e and "readable .xlsx" in e for e in errors(broken))
