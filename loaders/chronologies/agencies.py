"""Agencies as chronologies name them: "CSC", "Children's Social Care", "the social worker".

One lexicon per set, built from the set file's agencies (id, name, aliases) and the agencies the
returns themselves name; a name nobody declared becomes a new agency with an id made from it, so
an agency that others record as involved is still a record even when it returned nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.chronologies.mapping import AgencySpec

_SPLIT = re.compile(r"\s*(?:[,;/&+]|\band\b|\n)\s*", re.I)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


@dataclass
class Lexicon:
    """Agency ids by every name they go by, and the agencies themselves."""

    agencies: dict[str, AgencySpec] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # lower-case name or alias → id
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def of(cls, specs: list[AgencySpec]) -> Lexicon:
        lexicon = cls()
        for spec in specs:
            lexicon.add(spec)
        return lexicon

    def add(self, spec: AgencySpec) -> None:
        self.agencies[spec.id] = spec
        for name in (spec.id, spec.name, *spec.aliases):
            self.names.setdefault(name.lower().strip(), spec.id)
        self._pattern = None

    def resolve(self, name: str) -> str:
        """The id of the agency this name means, adding a new agency for a name never seen."""
        key = name.lower().strip().removeprefix("the ").strip()
        if found := self.names.get(key):
            return found
        new = AgencySpec(slug(name), name.strip())
        self.add(new)
        return new.id

    def resolve_list(self, text: str) -> tuple[str, ...]:
        """ "CSC, Police and school nurse" → the ids, in order, once each."""
        ids = [self.resolve(part) for part in _SPLIT.split(text) if part.strip()]
        return tuple(dict.fromkeys(ids))

    def mentioned(self, text: str) -> tuple[str, ...]:
        """Known agencies a free text names (whole words), in order of first mention."""
        if self._pattern is None:
            alternatives = sorted(self.names, key=len, reverse=True)
            self._pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, alternatives)) + r")(?![\w])", re.I)
        found = [self.names[m.group(1).lower()] for m in self._pattern.finditer(text)]
        return tuple(dict.fromkeys(found))
