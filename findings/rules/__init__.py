"""The rule interface of the findings engine, and the registry of every rule.

A **rule** (``findings.context.Rule``) is a plain function
``rule(ctx: RuleContext) -> Iterable[Finding | Question]``. It reads the store only through
``ctx.rows(query_id, **params)`` (a registered query from ``queries/``,
with ``case_id`` — and ``child`` when the query takes one — filled in) and the derived facts in
``ctx.facts`` (``findings.facts.Facts``: organisation closure, sector, area, "in the room",
"informed by date T"), so no rule writes its own Cypher or its own idea of who a party is.

Each theme module (``findings/rules/<theme>.py``) declares its rules in a module-level list
``RULES``; this package collects them, in theme order, into ``RULES`` below. To add a rule: write
the function in its theme's module and append it to that module's ``RULES``. The engine
(``findings.engine.run_findings``) runs every rule once per child, then merges findings that make
the same claim (same id), applies counter-evidence and ranks — so a rule need not aggregate
across rules, only return one finding per claim it makes (occurrences inside it).

A rule must:
- return ``Finding`` objects whose ``basis`` is ``recorded`` only when the source records the
  failure, else ``inferred``; and a ``Question`` wherever the record is silent (open world);
- give every finding its ``evidence`` (source refs) and every occurrence its own ``refs``;
- never return a finding about something before the thing it depends on existed (time).

A theme module looks like this::

    from findings.context import RuleContext
    from findings.model import Finding, Occurrence

    def challenged_not_escalated(ctx: RuleContext) -> Iterable[Finding]:
        for row in ctx.rows("challenges"):          # queries/challenges.cypher, $case and $child filled
            yield Finding(theme="escalation", rule="challenged_not_escalated", basis="recorded", ...)

    RULES = [challenged_not_escalated]

``ctx.child`` is the child the engine runs for (the engine runs each rule once per child of the
case); ``ctx.facts.name(id)``, ``ctx.facts.organisation(id)``, ``ctx.facts.sector(id)``,
``ctx.facts.area(id)`` and ``ctx.facts.in_room(meeting_id)`` are the shared derived facts.
"""

from __future__ import annotations

from findings.context import Rule, RuleContext
from findings.rules import crosscheck, decisions, escalation, information_sharing, not_in_room, offender_contact

# crosscheck: one agency's chronology against another's (issue 16); its lines span three themes.
THEME_MODULES = (information_sharing, not_in_room, decisions, escalation, offender_contact, crosscheck)
RULES: list[Rule] = [rule for module in THEME_MODULES for rule in module.RULES]

__all__ = ["RULES", "THEME_MODULES", "Rule", "RuleContext"]
