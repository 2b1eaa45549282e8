"""The decision-making theme's shared terms: its judgements, levels of intervention and their words, the
patterns' parameters as data, and the helpers both the recorded rules (findings/rules/decisions.py) and the
derived patterns (findings/rules/decision_patterns.py) use, so neither states them twice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from findings.certainty import level, qualified
from findings.compose import named_list, refs
from findings.context import RuleContext
from queries.library import registry

THEME = "decision_making"
WRONG = (  # the review's judgements of a decision as wrong (review_says); a finding quotes the review's words for them
    "threshold_met_not_applied",
    "wrong_on_information_held",
    "drift",
    "premature_closure",
)
# a derived count is the tool's pattern over the records it lists, never worded as the review's own count
TOOLS_COUNT = "; the count is the tool's, not the review's"
QUOTED_AT = re.compile(r"(?P<ref>(?:¶|App|LP|GP|Table )[^:]*): (?P<words>.+)", re.S)  # "¶120: It is …"
LEVEL_RANK = {  # levels of intervention in order; `unknown` is no evidence of a change
    "no_further_action": 0,
    "universal": 1,
    "early_help": 2,
    "child_in_need": 3,
    "child_protection": 4,
    "looked_after": 5,
}
LEVEL_WORDS = {
    "no_further_action": "no further action",
    "universal": "universal services",
    "early_help": "early help",
    "child_in_need": "child in need",
    "child_protection": "child protection",
    "looked_after": "looked after",
}
# The level of intervention a held meeting of these kinds shows (Working Together 2015: a CIN meeting reviews a
# child in need plan; a strategy discussion or meeting, a conference and a core group are child protection).
STATUTORY_LEVELS = {
    "cin_meeting": "child_in_need",
    "strategy_discussion": "child_protection",
    "strategy_meeting": "child_protection",
    "child_protection_conference": "child_protection",
    "core_group": "child_protection",
}
OMISSION_THEMES = {  # omission kinds that belong to another theme than decision_making
    "information_not_sought": "information_sharing",
    "challenge_not_made": "escalation",
}


@dataclass(frozen=True)
class DecisionParams:
    """The spans and counts of the derived patterns, as data with the issue's defaults; a caller
    (a test, a what-if) passes its own instead of editing a rule."""

    drift_months: int = 12  # no step up in the level of intervention for longer than this …
    drift_min_concerns: int = 2  # … while at least this many concerns recur
    closures_count: int = 3  # repeated closures at the same door: this many …
    closures_window_months: int = 12  # … within this many months
    closing_levels: tuple[str, ...] = ("no_further_action",)  # a decision at this level closes the case
    # a referral outcome that closed it at its door: "redirected" (¶121) and "no_action" ("no evidence that
    # further action was taken", ¶122) are not closures the review records
    closing_outcomes: tuple[str, ...] = ("closed_low_risk", "not_indicated")
    below_threshold: tuple[str, ...] = ("low", "medium")  # risk levels under a team's threshold
    concern_kinds: tuple[str, ...] = (
        "referral",
        "missing_episode",
        "disclosure",
        "self_harm",
        "health_attendance",
        "arrest",
        "exclusion",
    )
    not_held: tuple[str, ...] = ("cancelled", "not_convened")  # meeting statuses: should have been held


DEFAULTS = DecisionParams()


def harm_kinds() -> list[str]:
    """The event kinds that count as later harm: the audited ``missed_escalations`` list, so the
    escalation and decision rules never disagree on what harm is."""
    return list(registry()["missed_escalations"].parameters["harm_kinds"].default)


def months_between(start: date, end: date) -> float:
    """Calendar months from ``start`` to ``end`` (a part month counts by its days)."""
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 31


def is_closure(row: dict[str, object], params: DecisionParams) -> bool:
    """A decision that closed the case (its level, or its stage says so)."""
    return row["level"] in params.closing_levels or row["stage"] == "closure"


def deciders(row: dict[str, object]) -> str:
    names = [str(n) for n in row.get("decider_names") or []]
    return named_list(names) if names else "The deciding agency (not named in the review)"


def harm_after(ctx: RuleContext, child: str, when: date | None) -> list[dict[str, object]]:
    """Harm events about the child whose earliest possible date is later than ``when`` (the
    ``missed_escalations`` test of "after")."""
    if when is None:
        return []
    events = ctx.rows("child_events", child=child, kinds=harm_kinds())
    return [e for e in events if e["date_from"] and e["date_from"] > when]


def harm_clause(harm: list[dict[str, object]]) -> str:
    """The later harm, first event by its kind, words and date, and the kinds that followed separately:
    "first in Jul 2014: disclosure, health attendance, missing episode, self harm" read as four July
    events where only the missing episode was in July (issue 12, headlines). A kind keeps the review's
    qualification of the event (``certainty``): ¶128's "accidental overdose", which the child later said was
    "made up" (¶170), is no plain "self harm"."""
    if not harm:
        return ""
    ordered = sorted(harm, key=lambda e: (e["date_from"], str(e["event"])))
    first = ordered[0]
    kind = _harm_kind(first)
    later = list(dict.fromkeys(_harm_kind(e) for e in ordered[1:]))
    then = f"; later also: {', '.join(later)}" if later else ""
    return (
        f" Later the child came to harm (first recorded: {kind}, “{first['name']}”, {first['date']}{then}); "
        "the review does not say one caused the other."
    )


def _harm_kind(event: dict[str, object]) -> str:
    return qualified(str(event["kind"]).replace("_", " "), level(event))


def review_words(row: dict[str, object]) -> str:
    """The review's own words for its judgement of a record, with their ref: ``The review (¶120): “…”.``
    Only the source's words, hedges and all ("possibly", "no evidence that"): a label for
    ``review_says`` ("closed prematurely") would put words in the review's mouth. Where the case
    curates no words, the sentence points at the record's paragraphs instead."""
    words = str(row.get("review_words") or "").strip()
    at = QUOTED_AT.match(words)
    if at:
        return f" The review ({at['ref']}): “{at['words'].rstrip('.')}”."
    if words:
        return f" The review ({', '.join(refs(row['evidence']))}): “{words.rstrip('.')}”."
    return f" The review judges it: see {', '.join(refs(row['evidence']))}."


def parties_of(row: dict[str, object]) -> list[str]:
    """The deciding parties of a decision row, or the door of a referral row."""
    return [str(p) for p in row.get("deciders") or row.get("recipients") or []]
