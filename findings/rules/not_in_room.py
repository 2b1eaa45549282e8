"""Rules of the `not_in_room` theme (see findings/rules/__init__.py for the rule interface)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from findings.context import Rule

RULES: list[Rule] = []
