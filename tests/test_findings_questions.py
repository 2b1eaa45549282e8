"""The questions section holds only questions a review panel could take (issue 12, fourth audit).

An attendance question is asked only where the party was involved with the child at the time (former
involvement: a school the child had left is not asked about), the window names meetings a panel can
look up (at most a year), and nothing in the review answers it (the sector at the same kind of meeting
throughout, beside the meeting at the same time, sending to it, or its attendance praised). Each rule is
tested on the curated Child Q & S case and on a tiny made-up case.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from findings.answered import precise
from findings.compose import beside, paragraphs
from findings.engine import run_findings
from findings.model import Question
from graph.embedded import EmbeddedBackend
from graph.load import load_case
from loaders.validate import validate_path

CASE = "child-q-s"


@pytest.fixture(scope="module")
def report(embedded_qs):
    return run_findings(embedded_qs, CASE)


def _attendance(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.rule == "sector_unrecorded"]


def _asked(questions: list[Question]) -> dict[tuple[str, str], list[str]]:
    """(meeting, sector) → the dates asked, for every attendance question."""
    return {(o.record, q.subjects[1]): [o.date_text] for q in _attendance(questions) for o in q.occurrences}


# --- Child Q & S ---------------------------------------------------------------------------------------


def test_a_school_the_child_left_is_not_asked_about_after_it(report):
    """¶80: Child Q left the special needs primary school for the LA5 school by Sep 2013. The planning meetings
    run to Feb 2015, but education is never asked about them after summer 2013 (within it the question is
    answered by ¶85: ``test_working_closely_with_the_convenor_is_not_asked_about``; ``test_tiny_former_involvement``
    proves the window on its own)."""
    for q in _attendance(report.questions):
        if q.subjects[1] == "education" and "Q" in q.children:
            assert all(o.date_to and o.date_to <= date(2013, 8, 31) for o in q.occurrences), q.statement


def test_a_window_a_panel_cannot_take_is_not_asked(report):
    """Child Q's missing-from-care strategy meetings (Apr 2010 – Feb 2015) and Child S's missing/strategy
    meetings (Jul 2014 – Jan 2016) name no meeting a panel could look up: no question lists them."""
    asked = {o.record for q in _attendance(report.questions) for o in q.occurrences}
    assert not {"MQ06", "MS15"} & asked
    for q in _attendance(report.questions):
        assert all(precise(o.date_from, o.date_to) for o in q.occurrences), q.statement


def test_a_question_the_review_answers_is_not_asked(report):
    """Answered in the text, so not asked: police at the Dec 2014 and Jan 2015 strategy meetings (the
    Constabulary is recorded at the strategy meetings of the time, ¶158); health at the Feb 2014 CIN meeting
    (¶118's School Nurse–school liaison that month, beside ¶119) and at the Dec 2014 strategy meeting (¶129:
    School Nursing at the CIN planning meeting that week); health and education at the 2012–13 strategic
    planning meetings (GP4 commends their multi-agency attendance; the psychologist's concerns went to them);
    any sector at the LAC reviews (¶23: "the child makes the decision which professional attends the reviews")."""
    asked = _asked(report.questions)
    assert not any(meeting == "MQ02" for meeting, _ in asked)
    for answered in (("MS07", "police"), ("MS09", "police"), ("MS03", "health"), ("MS07", "health")):
        assert answered not in asked, answered
    assert ("MQ01", "health") not in asked and ("MQ01", "education") not in asked


def test_a_process_the_review_finds_robust_is_not_asked_about(report):
    """GP21: "The Child Protection pathway was robust ... when the decision to proceed to case conference was
    agreed"; ¶140: the process "appeared to work effectively". No sector is asked about the conference of Jan
    2015, nor about the strategy meeting whose decision led to it (MS09 decided, the conference responded)."""
    asked = _asked(report.questions)
    for sector in ("police", "health", "education"):
        assert ("MS10", sector) not in asked, sector
    assert ("MS09", "health") not in asked


def test_the_referrer_is_not_asked_about(report):
    """¶131–¶132: the school's Concern 11 contact led to the strategy meeting and the conference (the
    strategy meeting's decision responds to the school's referral): education is not asked about them —
    even without GP21, which the tiny case below proves on its own."""
    assert ("MS10", "education") not in _asked(report.questions)


def test_working_closely_with_the_convenor_is_not_asked_about(report):
    """¶85: the primary school "worked closely with the Residential Care Workers (LA2) and communications were
    undertaken daily" — the local authority's own service, which convened the planning meetings (¶23): education
    is not asked about the planning meetings of 2013."""
    assert ("MQ03", "education") not in _asked(report.questions)


def test_a_question_reads_without_the_guidance(report):
    """An attendance question asks, it does not cite what guidance expects (fourth audit: the normative tail
    read as an accusation); the questions left are the review's own four and health at the strategy
    discussions and meetings of Nov 2014 – Jan 2015."""
    for q in _attendance(report.questions):
        assert "Working Together" not in q.statement and "lists the sector" not in q.statement, q.statement
        assert q.subjects[1] == "health" and q.subjects[0] in ("strategy_meeting", "strategy_discussion")
    assert len(report.questions) == 6


def test_one_process_is_one_question(report):
    """¶73–¶74: the strategy discussions after the CSE referral of Dec 2014 and the three strategy meetings that
    followed are one process under one guidance (Working Together's "Strategy discussion"): health is asked about
    them once, with every meeting listed, and the question keeps the id it had for the discussions."""
    health = [q for q in _attendance(report.questions) if q.subjects[1] == "health" and "Q" in q.children]
    assert len(health) == 1
    assert {o.record for o in health[0].occurrences} == {"MQ07", "MQ08", "MQ09"}
    assert health[0].id == "Q-24fdf9a5e06d"
    assert "strategy discussions and strategy meetings" in health[0].statement


def test_the_reviews_own_questions_stay(report):
    """The four questions the review itself raises: ¶48/¶49 (the GP's CAMHS referral and the Independent
    Group psychologist), ¶121 (the EDT's advice), ¶119 (the "talk"), ¶39 (whether senior leaders knew)."""
    own = {ref for q in report.questions if q.rule == "unclear_flows" for ref in q.evidence}
    assert {"¶49", "¶121", "¶119", "¶39"} <= own
    assert len(report.questions) <= 60


def test_paragraphs_beside_each_other():
    assert paragraphs(["¶117–132", "¶48 fn10", "GP4", "App1 §3"]) == {*range(117, 133), 48}
    assert beside(["¶118"], ["¶119"]) and beside(["GP4"], ["GP4", "¶37"])
    assert not beside(["¶126"], ["¶130"]) and not beside(["GP4"], ["GP3"])
    assert precise(date(2014, 12, 1), date(2015, 1, 31)) and not precise(date(2014, 7, 1), date(2016, 1, 31))
    assert not precise(None, date(2015, 1, 31))


# --- A tiny made-up case ---------------------------------------------------------------------------------

# M3: a series of CIN meetings convened by social care; education (SCH, Sep 2014 – Dec 2015) and health (GP,
# Jan 2014 – Dec 2015) are involved and not recorded there, so each is asked about.
CIN_SERIES = (
    '  - {type: Meeting, id: M3, name: CIN meetings, kind: cin_meeting, date: "Jan 2015 – Jun 2015", '
    'status: series, source: "¶20"}\n'
)
CIN_EDGES = (
    '  - {type: CONCERNS, from: M3, to: C1, source: "¶20"}\n  - {type: CONVENED, from: CSC, to: M3, source: "¶20"}\n'
)
SCHOOL = 'period: "Sep 2014 – Dec 2015", role: school'


def _tiny(tmp_path, mini_case, nodes: str = "", edges: str = "", *edits: tuple[str, str]) -> list[Question]:
    """The mini case with records added (and text edited), loaded into a fresh store: its questions."""
    folder = tmp_path / "mini"
    shutil.copytree(mini_case.folder, folder)
    records = folder / "records.yaml"
    text = records.read_text(encoding="utf-8").replace("edges:\n", nodes + "edges:\n", 1) + edges
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    records.write_text(text, encoding="utf-8")
    backend = EmbeddedBackend(":memory:")
    try:
        load_case(backend, validate_path(folder))
        return run_findings(backend, "mini").questions
    finally:
        backend.close()


def test_tiny_former_involvement(tmp_path, mini_case):
    """A school asked about only while the child attended it: the whole series, then the part before it left,
    then nothing once it left before the series began."""
    for end, expected in (
        ("Dec 2015", ["Jan 2015 – Jun 2015"]),
        ("Mar 2015", ["Jan 2015 – Mar 2015"]),
        ("Dec 2014", None),
    ):
        left = (SCHOOL, SCHOOL.replace("Dec 2015", end))
        asked = _asked(_tiny(tmp_path / end.replace(" ", ""), mini_case, CIN_SERIES, CIN_EDGES, left))
        assert asked.get(("M3", "education")) == expected, end
        assert asked[("M3", "health")] == ["Jan 2015 – Jun 2015"]


def test_tiny_precise_window(tmp_path, mini_case):
    """The same series dated across 18 months is not asked for health (the GP was involved throughout); for
    education it is, within the school's involvement (Sep 2014 on: ten months). The GP's other questions stay."""
    wide = ('date: "Jan 2015 – Jun 2015"', 'date: "Jan 2014 – Jun 2015"')
    asked = _asked(_tiny(tmp_path, mini_case, CIN_SERIES, CIN_EDGES, wide))
    assert ("M3", "health") not in asked
    assert asked[("M3", "education")] == ["Sep 2014 – Jun 2015"]
    assert ("M2", "health") in asked and ("M1", "health") in asked


@pytest.mark.parametrize(
    ("nodes", "edges", "answered"),
    [
        # the GP at another meeting that month, cited in the next paragraph (M2 is ¶11)
        (
            '  - {type: Meeting, id: M4, name: Liaison, kind: professionals_meeting, date: Jun 2015, source: "¶12"}\n',
            '  - {type: CONCERNS, from: M4, to: C1, source: "¶12"}\n  - {type: ATTENDED, from: GP, to: M4, source: "¶12"}\n',
            True,
        ),
        # … but far from it in the text: not an answer
        (
            '  - {type: Meeting, id: M4, name: Liaison, kind: professionals_meeting, date: Jun 2015, source: "¶40"}\n',
            '  - {type: CONCERNS, from: M4, to: C1, source: "¶40"}\n  - {type: ATTENDED, from: GP, to: M4, source: "¶40"}\n',
            False,
        ),
        # the GP at the strategy meetings of May – Jul 2015 (same kind, throughout)
        (
            '  - {type: Meeting, id: M4, name: Strategy meetings, kind: strategy_meeting, date: "May 2015 – Jul 2015", '
            'status: series, source: "¶40"}\n',
            '  - {type: CONCERNS, from: M4, to: C1, source: "¶40"}\n  - {type: ATTENDED, from: GP, to: M4, source: "¶40"}\n',
            True,
        ),
        # information the GP sent to the meeting itself
        (
            '  - {type: Flow, id: F-9, date: Jun 2015, information: GP report, status: shared, source: "¶40"}\n',
            '  - {type: SENT, id: F-9-from, from: GP, to: F-9, source: "¶40"}\n'
            '  - {type: SENT_TO, id: F-9-to, from: F-9, to: M2, source: "¶40"}\n'
            '  - {type: CONCERNS, id: F-9-child, from: F-9, to: C1, source: "¶40"}\n',
            True,
        ),
    ],
)
def test_tiny_answered_by_text(tmp_path, mini_case, nodes, edges, answered):
    """Health at the strategy meeting M2 (Jun 2015) is asked unless the record answers it."""
    asked = _asked(_tiny(tmp_path, mini_case, nodes, edges))
    assert (("M2", "health") not in asked) is answered
    assert ("M1", "health") in asked  # the LAC review of Mar 2015 is not answered by any of these


def test_tiny_the_reviews_account_of_who_attends_answers_it(tmp_path, mini_case):
    """The review's excuse for an absence from the LAC review M1 ("the child chooses who attends") is its own
    account of who attends it: health is no longer asked about M1, and still about the strategy meeting M2."""
    excused = ("reason: exams,", 'reason: exams, mitigation: "the child chooses which professional attends",')
    asked = _asked(_tiny(tmp_path, mini_case, "", "", excused))
    assert ("M1", "health") not in asked and ("M2", "health") in asked


# M5: a child protection conference (Jul 2015) convened by social care; a decision made at it, and one made at
# the strategy meeting M2 (Jun 2015) that led to it.
CONFERENCE = (
    "  - {type: Meeting, id: M5, name: Conference, kind: child_protection_conference, date: Jul 2015, "
    'status: held, source: "¶30"}\n'
    "  - {type: Decision, id: D2, stage: strategy_discussion, date: Jun 2015, outcome: To conference, "
    'level: child_protection, source: "¶11"}\n'
    "  - {type: Decision, id: D5, stage: initial_cpc, date: Jul 2015, outcome: A plan, level: child_protection, "
    'source: "¶30"}\n'
)
CONFERENCE_EDGES = (
    '  - {type: CONCERNS, from: M5, to: C1, source: "¶30"}\n  - {type: CONVENED, from: CSC, to: M5, source: "¶30"}\n'
    '  - {type: CONCERNS, from: D2, to: C1, source: "¶11"}\n  - {type: DECIDED, from: M2, to: D2, source: "¶11"}\n'
    '  - {type: CONCERNS, from: D5, to: C1, source: "¶30"}\n  - {type: DECIDED, from: M5, to: D5, source: "¶30"}\n'
)
LED_TO = '  - {type: RESPONDS_TO, from: D5, to: M2, source: "¶30"}\n'
PRAISE = (  # a good-practice point and the Praise it gave (nodes); PRAISED: the praise is of the conference
    '  - {{type: GoodPracticePoint, id: GP1, number: 1, name: {name}, source: "GP1"}}\n'
    '  - {{type: Praise, id: P1, aspect: {aspect}, period: "{period}", source: "GP1"}}\n'
)
PRAISED = '  - {type: GAVE, from: GP1, to: P1, source: "GP1"}\n  - {type: PRAISED, from: P1, to: M5, source: "GP1"}\n'


@pytest.mark.parametrize(
    ("nodes", "edges", "answered"),
    [
        # the pathway's decisions praised (Jun – Jul 2015): every sector at the conference and at the strategy
        # meeting that led to it
        (
            PRAISE.format(name="Robust pathway", aspect="decision", period="Jun 2015 – Jul 2015"),
            LED_TO + PRAISED,
            {("M5", "health"), ("M5", "education"), ("M5", "police"), ("M2", "health")},
        ),
        # … not the strategy meeting where nothing chains it to the conference
        (
            PRAISE.format(name="Robust pathway", aspect="decision", period="Jun 2015 – Jul 2015"),
            PRAISED,
            {("M5", "health"), ("M5", "education"), ("M5", "police")},
        ),
        # praise of another aspect (its sharing) answers no attendance
        (
            PRAISE.format(name="Good sharing", aspect="sharing", period="Jul 2015"),
            LED_TO + PRAISED,
            set(),
        ),
        # the school's referral the strategy meeting decided on: education at the conference it led to
        (
            '  - {type: Referral, id: R9, date: Jun 2015, reason: Neglect, outcome: actioned, source: "¶29"}\n',
            LED_TO
            + '  - {type: SENT, from: SCH, to: R9, source: "¶29"}\n  - {type: SENT_TO, from: R9, to: CSC, source: "¶29"}\n'
            '  - {type: CONCERNS, from: R9, to: C1, source: "¶29"}\n'
            '  - {type: RESPONDS_TO, from: D2, to: R9, source: "¶29"}\n',
            {("M5", "education")},
        ),
    ],
)
def test_tiny_answered_by_the_process(tmp_path, mini_case, nodes, edges, answered):
    """A process the review praises as a whole or for its decisions, and the sector whose referral led to it."""
    asked = _asked(_tiny(tmp_path, mini_case, CONFERENCE + nodes, CONFERENCE_EDGES + edges))
    for key in [("M5", "health"), ("M5", "education"), ("M5", "police"), ("M2", "health")]:
        assert (key not in asked) is (key in answered), key


def _exchange(*ways: tuple[str, str]) -> tuple[str, str]:
    """Shared flows between parties in Feb 2015, one per (sender, recipient)."""
    nodes = edges = ""
    for n, (sender, recipient) in enumerate(ways):
        nodes += (
            f'  - {{type: Flow, id: X{n}, date: Feb 2015, information: Daily notes, status: shared, source: "¶21"}}\n'
        )
        edges += (
            f'  - {{type: SENT, from: {sender}, to: X{n}, source: "¶21"}}\n'
            f'  - {{type: SENT_TO, from: X{n}, to: {recipient}, source: "¶21"}}\n'
            f'  - {{type: CONCERNS, from: X{n}, to: C1, source: "¶21"}}\n'
        )
    return nodes, edges


@pytest.mark.parametrize(
    ("ways", "answered"),
    [
        ((("SCH", "CSC"), ("CSC", "SCH")), True),  # daily, both ways, with the convenor
        ((("SCH", "CSC"),), False),  # one way only: a referral is not working closely
        ((("SCH", "HOME"), ("HOME", "SCH")), False),  # both ways, but with another area's home, not the convenor's
    ],
)
def test_tiny_working_closely_with_the_convenor(tmp_path, mini_case, ways, answered):
    """Education at the CIN meetings M3 (convened by social care A1, Jan – Jun 2015): answered by information the
    school and the convenor's own service shared both ways at the time."""
    nodes, edges = _exchange(*ways)
    asked = _asked(_tiny(tmp_path, mini_case, CIN_SERIES + nodes, CIN_EDGES + edges))
    assert (("M3", "education") not in asked) is answered
    assert ("M3", "health") in asked


def test_tiny_one_guidance_one_question(tmp_path, mini_case):
    """A strategy discussion in the month of the strategy meeting M2: one question for health naming both, not
    one per kind; the LAC review M1 (another guidance) stays a question of its own."""
    discussion = (
        "  - {type: Meeting, id: M6, name: Strategy discussion, kind: strategy_discussion, date: Jun 2015, "
        'status: held, source: "¶40"}\n'
    )
    questions = _tiny(tmp_path, mini_case, discussion, '  - {type: CONCERNS, from: M6, to: C1, source: "¶40"}\n')
    health = [q for q in _attendance(questions) if q.subjects[1] == "health"]
    assert sorted(sorted(o.record for o in q.occurrences) for q in health) == [["M1"], ["M2", "M6"]]
