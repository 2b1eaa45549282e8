"""What kind of Event or Meeting a sentence describes, and how an agency named beside a meeting
relates to it: keyword patterns, tried in order, the first match deciding."""

from __future__ import annotations

import re

_EVENT_KINDS = (
    ("birth", r"\bborn\b|\bbirth of\b"),
    ("missing_episode", r"\bmissing\b|\babscond"),
    ("self_harm", r"self[- ]harm|overdose"),
    ("acquittal", r"not guilty|acquitt"),
    ("arrest", r"\barrest"),
    ("conviction", r"\bconvict|guilty|sentenced|successful prosecution"),
    ("charge", r"\bcharged\b"),
    ("court_order", r"\border\b|\bcourts?\b|proceedings"),
    ("disclosure", r"\bdisclos"),
    ("referral", r"\breferr|\bcontacts?/referral"),
    ("legal_status", r"child protection plan|looked after|accommodated|section 20|de-registered|subject to"),
    ("exclusion", r"\bexclu"),
    ("placement_move", r"\bplaced\b|\bplacements?\b|foster|residential"),
    ("move", r"\bmoved?\b|\breloca"),
    ("health_attendance", r"hospital|accident and emergency|A&E|urgent care|General Practi|\bGP\b|SARC|paediatric"),
    ("assessment", r"\bassess"),
    ("investigation", r"investigat"),
    ("allocation", r"\ballocat"),
    ("notice", r"\bnotices?\b"),
    ("closure", r"\bclos(?:ed|ure)\b"),
    ("education", r"\bschool|\beducation"),
    ("review", r"\breview"),
    ("plan", r"\bplan\b"),
    ("contact", r"\bcontact"),
    ("family", r"\bdied\b|death|bereave|sibling|grand(?:mother|father|ma)|\bmother\b|\bfather\b|family"),
)
_MEETING_KINDS = (
    (
        "legal_planning_meeting",
        r"legal planning meetings?|legal meetings?|legal gateway|pre-proceedings meetings?"
        r"|legal consultations?",
    ),
    ("strategy_meeting", r"strategy meetings?"),
    ("strategy_discussion", r"strategy discussions?"),
    ("health_review", r"(?:LAC |CLA |looked after )?health reviews?|health assessments?"),
    ("lac_review", r"(?:LAC|CLA|looked after child(?:ren)?(?:'s)?) reviews?"),
    ("cin_meeting", r"(?:CIN|child in need) (?:meetings?|reviews?)"),
    (
        "child_protection_conference",
        r"(?:initial |review )?child protection (?:case )?conferences?|case conferences?"
        r"|\bICPC\b|\bRCPC\b",
    ),
    ("core_group", r"core groups?(?: meetings?)?"),
    ("caf_meeting", r"(?:CAF|TAF|team around the (?:child|family)) meetings?"),
    ("mash_discussion", r"MASH (?:discussions?|meetings?)"),
    (
        "professionals_meeting",
        r"professionals'? meetings?|multi-agency meetings?|partnership meetings?"
        r"|complex case discussions?",
    ),
    (
        "planning_meeting",
        r"(?:strategic |care |placement |discharge |suitability )?planning meetings?"
        r"|suitability meetings?",
    ),
    ("school_meeting", r"return to school meetings?|school meetings?"),
    ("return_interview", r"return (?:home )?interviews?"),
    ("handover", r"\bhandovers?\b"),
    ("review_panel", r"(?:case )?review panel(?: meetings?)?"),
    ("practitioner_event", r"practitioner events?|learning events?"),
)
_EVENT_RX = [(k, re.compile(p, re.IGNORECASE)) for k, p in _EVENT_KINDS]
_MEETING_RX = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _MEETING_KINDS), re.IGNORECASE)
_NOT_ATTENDED = re.compile(
    r"not invited|did not attend|could not attend|not in attendance|unable to attend|absent|"
    r"not (?:fully )?involved|was not present",
    re.IGNORECASE,
)
_ASSURED = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:should|is|are|must)\s+(?:be\s+)?(?:assured|satisfied)", re.IGNORECASE)
_CONVENED = re.compile(
    r"\b(?:convened|chaired|organised|organized|cancelled|requested|arranged|called)\b", re.IGNORECASE
)


def event_kind(sentence: str) -> tuple[str, str]:
    """The Event kind a sentence most likely describes, and the words that decided it."""
    for kind, rx in _EVENT_RX:
        if m := rx.search(sentence):
            return kind, m[0]
    return "other", ""
