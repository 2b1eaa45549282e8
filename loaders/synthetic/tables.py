"""The tables a synthetic case is drawn from (weights, names, the agencies of an area) and the draws.

Each weighted table sums to 100, so a weight reads as a percentage; every draw goes through the
generator's one ``random.Random`` in a fixed order, so the same seed writes the same files.
"""

from __future__ import annotations

import random

CHILDREN_PER_FILE = 1_000
CHILDREN_PER_AREA = 100
HUB_SHARE = 0.05  # of contacts, made by one of the few case-wide persons of concern
FIRST_MONTH = 2008 * 12  # months since year 0; children's review periods start 2008–2013

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

FLOW_STATUSES = (
    ("shared", 62),
    ("late", 10),
    ("not_shared", 10),
    ("not_requested", 4),
    ("system_gap", 5),
    ("disputed", 3),
    ("unclear", 3),
    ("no_action", 3),
)
REFERRAL_OUTCOMES = (
    ("actioned", 25),
    ("assessment", 20),
    ("no_action", 20),
    ("closed_low_risk", 10),
    ("not_indicated", 10),
    ("redirected", 5),
    ("not_made", 5),
    ("unknown", 5),
)
MEETING_KINDS = (
    ("lac_review", 25),
    ("strategy_meeting", 20),
    ("child_protection_conference", 10),
    ("cin_meeting", 10),
    ("core_group", 5),
    ("professionals_meeting", 10),
    ("return_interview", 10),
    ("mash_discussion", 5),
    ("school_meeting", 5),
)
MEETING_NAMES = {
    "lac_review": "LAC review",
    "strategy_meeting": "Strategy meeting",
    "child_protection_conference": "Initial child protection conference",
    "cin_meeting": "CIN meeting",
    "core_group": "Core group",
    "professionals_meeting": "Professionals meeting",
    "return_interview": "Return home interview",
    "mash_discussion": "MASH discussion",
    "school_meeting": "School meeting",
}
PLACEMENT_KINDS = (
    ("foster", 40),
    ("residential", 30),
    ("bridging_foster", 10),
    ("specialist_residential", 10),
    ("secure", 5),
    ("supported", 5),
)
# Category → (item names, the agency kinds that would hold it).
ITEMS = {
    "health": (
        ("Recurrent urinary tract infections", "Sexual health clinic attendance", "Overdose treated in A&E"),
        ("GP", "HOSP", "CAMHS", "SN"),
    ),
    "missing": (
        ("Missing overnight, found with older males", "Repeated missing episodes from placement"),
        ("POL", "HOME", "CSC"),
    ),
    "cse_risk": (
        ("Seen getting into cars with older men", "Gifts and a second mobile phone"),
        ("POL", "CSE", "SCH", "VOL"),
    ),
    "education": (("Persistent absence from school", "Fixed-term exclusions"), ("SCH",)),
    "family": (("Mother's mental health crisis", "Domestic abuse at home"), ("ADS", "CSC", "POL")),
    "offender": (("Contact with a registered sex offender",), ("POL",)),
}
EVENT_KINDS = (
    ("missing_episode", 35, "POL", "responded"),
    ("health_attendance", 15, "HOSP", "treated"),
    ("referral", 10, "SCH", "made the referral"),
    ("self_harm", 7, "CAMHS", "assessed"),
    ("placement_move", 8, "CSC", "moved the child"),
    ("assessment", 8, "CSC", "assessed"),
    ("disclosure", 5, "SCH", "received the disclosure"),
    ("arrest", 4, "POL", "arrested"),
    ("exclusion", 4, "SCH", "excluded"),
    ("court_order", 4, "COURT", "made the order"),
)
DNA_REASONS = (
    "clash with another meeting",
    "not told of the date",
    "staff sickness",
    "invitation sent to the wrong team",
    None,
)
CHANNELS = ("in_person", "social_media", "mobile_device", "phone", "internet", "hidden_device", "unknown")
VENUES = (
    "Takeaway on the high street",
    "Park",
    "Bus station",
    "Shopping centre",
    "Hotel",
    "Flat above a shop",
    "Car park",
    "Petrol station",
)  # where in-person contact happened; online contact has no place
VENUE_KINDS = {"Hotel": "hotel", "Flat above a shop": "home_address"}  # the rest are public places

# Agencies of every area: (code, name, sector, provider, staff roles); GP, SCH and HOME repeat
# with the number of children in the area.
AREA_AGENCIES = (
    ("CSC", "Children's Social Care", "social_care", "statutory", ("team manager", "independent reviewing officer")),
    ("CSE", "Specialist CSE team", "social_care", "statutory", ("CSE worker",)),
    ("MASH", "Multi-agency safeguarding hub", "multi_agency", "statutory", ("MASH officer",)),
    ("LSCB", "Local Safeguarding Children Board", "governance", "statutory", ("business manager",)),
    (
        "POL",
        "Police public protection unit",
        "police",
        "statutory",
        ("detective constable", "missing person coordinator"),
    ),
    ("HOSP", "Hospital emergency department", "health", "statutory", ("ED nurse", "paediatrician")),
    ("CAMHS", "CAMHS", "health", "statutory", ("CAMHS clinician",)),
    ("SN", "School nursing", "health", "statutory", ("school nurse",)),
    ("FOST", "Independent fostering agency", "social_care", "independent", ("supervising social worker",)),
    ("ADS", "Adult mental health service", "adult_services", "statutory", ("care coordinator",)),
    ("COURT", "Family court", "courts", "statutory", ("court officer",)),
    ("VOL", "Young people's charity", "voluntary", "voluntary", ("project worker",)),
    ("HOUS", "Housing", "other", "statutory", ("housing officer",)),
)
SCALED_AGENCIES = (
    ("GP", "General practice", "health", None, ("GP",), 15),
    ("SCH", "School", "education", "statutory", ("designated safeguarding lead",), 15),
    ("HOME", "Children's home", "social_care", "independent", ("residential care worker", "home manager"), 25),
)
LEARNING_POINTS = 12
GOOD_PRACTICE = 4

Records = dict[str, list[dict]]  # {"nodes": [...], "edges": [...]}, as in a case file


def _pick(rng: random.Random, weighted: tuple[tuple, ...]) -> tuple:
    total = sum(w[1] for w in weighted)
    x = rng.random() * total
    for item in weighted:
        x -= item[1]
        if x < 0:
            return item
    return weighted[-1]


def _heavy(rng: random.Random, n: int) -> int:
    """An index below ``n`` drawn heavy-tailed (Pareto, shape 1): index 0 about half the time, a long
    tail after it — real caseloads have a few persons of concern, places and agencies linked to very
    many children, not an even spread."""
    return min(n - 1, int(rng.paretovariate(1.0)) - 1)


def _month(t: int) -> str:
    return f"{_MONTH_NAMES[t % 12][:3]} {t // 12}"


def _day(rng: random.Random, t: int) -> str:
    """A day in month ``t`` as reviews write it: ISO or '12 March 2014'."""
    d = rng.randint(1, 28)
    if rng.random() < 0.7:
        return f"{t // 12}-{t % 12 + 1:02d}-{d:02d}"
    return f"{d} {_MONTH_NAMES[t % 12]} {t // 12}"


def _period(a: int, b: int | None) -> str:
    return f"from {_month(a)}" if b is None else f"{_month(a)} – {_month(b)}"
