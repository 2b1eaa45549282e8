"""Write the fictional Child A chronology set (data/samples/chronologies-child-a/): five agencies'
returns, each in its own headings and date writing, with planted mismatches (docs/chronologies.md).

Deterministic: the same rows every run (the .docx and .xlsx containers carry their own timestamps,
so the committed files are the reference). Run: python3 scripts/make_chronology_sample.py
"""

from __future__ import annotations

import csv
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from loaders.dates import parse_date  # noqa: E402

OUT = ROOT / "data" / "samples" / "chronologies-child-a"

# (date or date text, details, outcome, extra fields) per agency; the story first, routine rows after.
CSC = [
    (
        "2014-01-15",
        "Contact from mother asking for help with behaviour and overcrowding",
        "Signposted",
        {"type": "Contact", "shared": "Early Help"},
    ),
    (
        "2014-06-02",
        "PPN received from police: verbal argument at home, children asleep upstairs",
        "NFA",
        {"type": "Contact received"},
    ),
    (
        "2015-02-03",
        "Referral received from school: bruise to Child A's upper arm, explanation inconsistent",
        "Single assessment; strategy discussion to be convened",
        {"type": "Referral received"},
    ),
    (
        "2015-03-12",
        "Strategy discussion held at MASH. Bruising and disclosure discussed. Threshold for S47 met.",
        "S47 enquiry; ICPC to be convened",
        {"type": "Strategy discussion", "attended": "CSC; Police; School; School nurse"},
    ),
    (
        "2015-04-02",
        "Initial child protection conference. Child A made subject of a CP plan (physical abuse).",
        "CP plan; core group set up",
        {"type": "ICPC", "attended": "CSC; Police; School; School nurse; Early Help"},
    ),
    (
        "2015-06-24",
        "PPN received from police about a domestic incident at home on 20 June",
        "Discussed at core group",
        {"type": "Contact received"},
    ),
    (
        "2015-09-10",
        "Letter received from health about missed health appointments",
        "Added to plan",
        {"type": "Correspondence"},
    ),
    (
        "2015-10-01",
        "Core group meeting. Attended by CSC, School, Early Help, Housing.",
        "Plan reviewed; housing application to be supported",
        {"type": "Core group", "attended": "CSC; School; Early Help; Housing"},
    ),
    (
        "2016-08-01",
        "Referral received from police after Child A found out late at night",
        "",
        {"type": "Referral received"},
    ),
]
POLICE = [
    (
        "2014-05-30",
        "Domestic incident: verbal argument between mother and partner; children asleep. PPN completed.",
        "Words of advice",
        {"type": "Domestic incident", "shared": "CSC"},
    ),
    (
        "2015-02-14",
        "Domestic incident at home: partner arrested for common assault on mother; Child A present. PPN completed.",
        "Partner bailed",
        {"type": "Domestic incident", "shared": "CSC"},
    ),
    (
        "2015-03-12",
        "Strategy meeting at Northtown station. Present: CSC, Police, School.",
        "Joint S47 enquiry agreed",
        {"type": "Strategy meeting"},
    ),
    (
        "2015-06-20",
        "Domestic incident at home; mother injured; Child A in the house. PPN completed.",
        "Partner charged",
        {"type": "Domestic incident", "shared": "CSC"},
    ),
    ("w/c 7 Sep 2015", "Child A's bicycle reported stolen outside school", "Crime recorded", {"type": "Crime"}),
    (
        "2016-08-01",
        "Child A found out alone at 23:30 near the canal; returned home. Referral to CSC made.",
        "Referral to CSC",
        {"type": "Concern for welfare", "shared": "CSC"},
    ),
]
SCHOOL = [
    (
        "11 February 2014",
        "TAF meeting held in school with the family support worker and the school nurse",
        "TAF plan agreed",
    ),
    ("Spring 2014", "Attendance 89% this term; often late and tired in class", "Letter home"),
    (
        "3 February 2015",
        "Bruise on Child A's upper arm seen by class teacher; referral to CSC made by DSL",
        "Referral made",
    ),
    ("w/c 9 Mar 2015", "DSL attended a strategy meeting with social care and police", "S47 to follow"),
    ("?9 Apr 2015", "DSL attended the child protection conference; Child A on a CP plan", "Core group invites awaited"),
    (
        "5 November 2015",
        "Phoned social care to share concern about a new bruise on Child A's cheek",
        "Awaiting call back",
    ),
    ("?22 May 2016", "Child A said mum's boyfriend is back living at home", "Logged on CPOMS"),
]
HEALTH = [
    ("c. 2012", "Historic: health visitor noted speech delay; speech therapy input at nursery", "Discharged"),
    (
        "11-Feb-14",
        "School nurse attended TAF meeting at school; growth and development discussed",
        "Continue universal service",
    ),
    (
        "02-Apr-15",
        "School nurse attended the child protection conference; health report submitted",
        "Health actions added to plan",
    ),
    (
        "07-Sep-15",
        "Second missed appointment at community paediatrics; Child A was not brought",
        "Discharge back to GP",
    ),
    ("unknown", "Undated note: mother says the family has been offered a new flat", "None"),
]
EARLY_HELP = [
    (
        "16.01.2014",
        "Request for support received from social care; mother wants help with routines",
        "Allocated to family support worker",
    ),
    (
        "11.02.2014",
        "Team around the family meeting at school. Present: School, School nurse, Family support worker, mother",
        "TAF plan agreed",
    ),
    ("10.03.2014", "Referred the family to Housing for support with overcrowding", ""),
    (
        "02.04.2015",
        "Family support worker attended the child protection conference",
        "Early Help case stepped up; remains involved",
    ),
    ("01.10.2015", "Family support worker attended the core group", "Support with housing application"),
]

ROUTINE = {
    "csc": [
        "Home visit; Child A seen alone in bedroom",
        "Supervision; case discussed with team manager",
        "Statutory visit; home conditions adequate",
        "Case recording of visit; Child A happy to talk",
    ],
    "police": [
        "Call to address: noise from neighbours; no concerns for children",
        "Welfare check at address; all well",
        "Neighbourhood officer visited address; all well",
    ],
    "school": [
        "Child A settled in class today",
        "Lunchtime: Child A upset, comforted by teaching assistant",
        "Child A late (20 minutes); no explanation",
        "Child A absent; mother phoned in sick",
        "Good week; star of the week",
    ],
    "health": [
        "School nurse drop-in; Child A seen; weight and height recorded",
        "Child A was not brought to a dental appointment",
        "Vision screening at school; passed",
        "Immunisation given at school",
    ],
    "early-help": [
        "Home visit; routines chart reviewed with mother",
        "Home visit; mother low mood, encouraged to see GP",
        "Parenting group session attended by mother",
    ],
}


def routine(agency: str, start: date, count: int, step: int) -> list[tuple[str, str, str, dict]]:
    texts = ROUTINE[agency]
    return [((start + timedelta(days=i * step)).isoformat(), texts[i % len(texts)], "", {}) for i in range(count)]


def _dated(rows: list, fmt) -> list:
    """Rows in date order (undated ones last), the date written in the agency's own style."""

    def key(r):
        return parse_date(r[0]).earliest or date.max

    out = []
    for r in sorted(rows, key=key):
        try:
            out.append((fmt(date.fromisoformat(r[0])), *r[1:]))
        except ValueError:
            out.append(r)
    return out


def write_csv(name: str, header: list[str], rows: list[list[str]]) -> None:
    with (OUT / name).open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])


def write_csc() -> None:
    import docx

    rows = _dated(CSC + routine("csc", date(2014, 2, 3), 48, 19), lambda d: d.strftime("%d/%m/%Y"))
    heads = ["Date", "Time", "Practitioner/role", "Event or contact type", "Details", "Action/outcome"]
    heads += ["Information shared with / referred to", "Attended by", "Source (record/document)"]
    document = docx.Document()
    document.add_heading("Agency chronology: Children's Social Care — Child A", 1)
    table = document.add_table(rows=1, cols=len(heads))
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
    for n, (when, details, outcome, extra) in enumerate(rows):
        cells = table.add_row().cells
        values = [when, "", "Social worker (SW1)", extra.get("type", "Case note"), details, outcome]
        values += [extra.get("shared", ""), extra.get("attended", ""), f"Mosaic case note {1000 + n}"]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    document.save(OUT / "csc-chronology.docx")


def write_police() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Date", "Agency", "Worker", "Type", "Summary", "Outcome", "Info shared with", "Source"])
    for n, (when, details, outcome, extra) in enumerate(
        _dated(POLICE + routine("police", date(2014, 3, 1), 34, 27), str)
    ):
        try:
            value: object = date.fromisoformat(when)
        except ValueError:
            value = when
        ws.append(
            [
                value,
                "Police",
                "PC 4411",
                extra.get("type", "Incident"),
                details,
                outcome,
                extra.get("shared", ""),
                f"Niche OCC-{2000 + n}",
            ]
        )
    wb.save(OUT / "police-chronology.xlsx")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    write_csc()
    write_police()
    school = _dated(
        [(d, t, o, {}) for d, t, o in SCHOOL] + routine("school", date(2014, 1, 20), 48, 20),
        lambda d: f"{d.day} {d:%B %Y}",
    )
    write_csv("school.csv", ["Date", "Details", "Outcome"], [[d, t, o] for d, t, o, _ in school])
    health = _dated(
        [(d, t, o, {}) for d, t, o in HEALTH] + routine("health", date(2014, 2, 20), 36, 27), lambda d: f"{d:%d-%b-%y}"
    )
    write_csv(
        "health.csv",
        ["Contact Date", "Clinician", "Entry", "Plan"],
        [[d, "School nurse", t, o] for d, t, o, _ in health],
    )
    early = _dated(
        [(d, t, o, {}) for d, t, o in EARLY_HELP] + routine("early-help", date(2014, 1, 23), 30, 29),
        lambda d: f"{d:%d.%m.%Y}",
    )
    write_csv("early-help.csv", ["When", "What happened", "Outcome"], [[d, t, o] for d, t, o, _ in early])
    return 0


if __name__ == "__main__":
    sys.exit(main())
