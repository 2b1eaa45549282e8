"""How firmly the review states a record, worded once (issue 12, fourth pass: hedges kept in labels).

A reader of the report sees the statement and the bullet labels, not the quote: where the review writes
"no evidence that the Constabulary ... made a referral" (¶125), "may not have notified" (¶142), "not always
made aware" (¶23), "concerns that a male had seen Child S" (¶108) or "unable to secure" (¶167), a label
"not shared", "no action", "not known to", "records no referral" or "had contact" says more than the
review. So a record the review hedges carries its ``certainty`` (graph/schema: Flow, Referral, Event,
Contact, UNAWARE_OF; one enum, default ``stated``), and every template words each level from here: the
hard form only for ``stated``.
"""

from __future__ import annotations

STATED = "stated"
# Each level, in the words a label adds where it cannot say more (a contact, a kind of harm, a gap in systems).
QUALIFIER = {
    STATED: "",
    "no_evidence": "the review found no evidence",  # "there is no evidence that …"
    "possible": "possibly",  # "may not have", "will not necessarily", "could have been"
    "partial": "at times or in part",  # "not always", "not consistently", "not fully", "on occasions", "a deficit"
    "reported": "as reported, not established",  # "concerns that", "alleged", "intelligence", "thought to"
    "not_obtained": "the review could not obtain it",  # "the review has been unable to secure"
}
# Something not done or not known, per level; {done} is what was not done ("shared", "known to X").
_NOT_DONE = {
    "no_evidence": "no evidence it was {done}",
    "possible": "may not have been {done}",
    "partial": "not always or not fully {done}",
    "reported": "reported as not {done}",
    "not_obtained": "not obtained by the review",
}


def level(row: dict[str, object]) -> str:
    """A query row's certainty (``stated`` where the row has none: a record the review states)."""
    return str(row.get("certainty") or STATED)


def qualified(words: str, certainty: str) -> str:
    """``words`` with the level's qualifier: "in person (as reported, not established)"; as is where stated."""
    return f"{words} ({QUALIFIER[certainty]})" if certainty != STATED else words


def not_done(hard: str, done: str, certainty: str) -> str:
    """The label for something the review says was not done or not known: ``hard`` ("not shared",
    "no action", "not known to X") where it states it, else the level's words for ``done`` ("no evidence it
    was acted on further", "may not have been known to X")."""
    return hard if certainty == STATED else _NOT_DONE[certainty].format(done=done)


_NO_RECORD = {
    STATED: "The review records no {what}",
    "no_evidence": "The review found no evidence of a {what}",
    "possible": "The review says there may have been no {what}",
    "partial": "The review says a {what} was not always made",
    "reported": "The review reports, without establishing it, no {what}",
    "not_obtained": "The review could not establish whether there was a {what}",
}


def no_record_of(what: str, certainty: str) -> str:
    """The lead-in for a thing the review says did not happen ("referral from A to B"): "The review records
    no …" where it states it, "The review found no evidence of a …" where that is all it says (¶125)."""
    return _NO_RECORD[certainty].format(what=what)
