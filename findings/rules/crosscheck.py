"""Chronology cross-checks as an engine rule: one agency's account against another's (issue 16).

The rule reads a loaded case's Accounts back through the registered queries ``chronology_accounts``
and ``chronology_links`` and runs the one cross-check function (``findings/crosscheck.py``) the
CLI runs on the files, so a case gives the same lines of enquiry loaded or not. A case made
without agency chronologies has no Accounts of this kind, and the rule returns nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from findings.chronology_rows import imported_from_rows
from findings.crosscheck import cross_check
from findings.model import Finding, Question

if TYPE_CHECKING:
    from findings.context import RuleContext


def chronology_cross_checks(ctx: RuleContext) -> Iterable[Finding | Question]:
    """Sent but not received, received but not sent, recorded at a meeting it never mentions, no
    chronology returned, a referral without an outcome: questions, or inferred findings where the
    silent agency's return declares itself complete."""
    accounts = ctx.rows("chronology_accounts")
    if not any(row["doc_kind"] == "agency_chronology" for row in accounts):
        return []
    return cross_check(imported_from_rows(accounts, ctx.rows("chronology_links"), ctx.child or ""))


RULES = [chronology_cross_checks]
