"""The names a review uses: the gazetteer of services, areas, police forces and children.

The gazetteer (loaders/gazetteer.yaml plus any files a caller adds) says which services a review
may name and how; the patterns here recognise areas ('LA2', 'Area B', 'London Borough of …'),
police forces ('Police Force 1', 'PF3', '… Constabulary') and children ('Child Q', 'Baby E').
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

GAZETTEER = Path(__file__).parents[1] / "gazetteer.yaml"
MAX_REFS = 12  # a record cites its first mentions; the notes give the total


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    name: str
    sector: str
    provider: str | None
    police: bool
    per_child: bool
    aliases: tuple[str, ...]
    not_before: tuple[str, ...] = ()  # words that, following an alias, make it something else


def load_gazetteer(*extra: str | Path) -> list[GazetteerEntry]:
    """The built-in gazetteer plus any extra files in the same format (later entries add aliases)."""
    entries: dict[str, GazetteerEntry] = {}
    for path in (GAZETTEER, *extra):
        for raw in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["agencies"]:
            old = entries.get(raw["key"])
            aliases = (*(old.aliases if old else ()), raw.get("name", ""), *raw.get("aliases", []))
            entries[raw["key"]] = GazetteerEntry(
                key=raw["key"],
                name=raw.get("name") or old.name,
                sector=raw.get("sector") or old.sector,
                provider=raw.get("provider", old.provider if old else None),
                police=bool(raw.get("police", old.police if old else False)),
                per_child=bool(raw.get("per_child", old.per_child if old else False)),
                aliases=tuple(a for a in dict.fromkeys(aliases) if a),
                not_before=tuple(raw.get("not_before", old.not_before if old else ())),
            )
    return list(entries.values())


def _alias_pattern(alias: str) -> str:
    alias = alias.replace("’", "'")
    words = [re.escape(w) for w in re.split(r"[\s-]+", alias)]
    body = r"[\s-]+".join(words)
    if alias[-1:].isalpha():
        body += r"(?:'?s|es)?"
    return body


class AgencyMatcher:
    """Finds gazetteer aliases in text; the longest alias wins where they overlap."""

    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self.by_alias: dict[str, GazetteerEntry] = {}
        exact, folded = [], []
        for entry in entries:
            for alias in entry.aliases:
                acronym = alias.upper() == alias and any(c.isalpha() for c in alias)
                self.by_alias[self._key(alias, acronym)] = entry
                (exact if acronym else folded).append(alias)
        by_len = lambda aliases: sorted(set(aliases), key=len, reverse=True)  # noqa: E731
        self.exact = re.compile(rf"(?<![\w&])(?:{'|'.join(_alias_pattern(a) for a in by_len(exact))})(?![\w&])")
        self.folded = re.compile(
            rf"(?<![\w&])(?:{'|'.join(_alias_pattern(a) for a in by_len(folded))})(?![\w&])", re.IGNORECASE
        )

    def find(self, text: str) -> list[tuple[int, int, GazetteerEntry]]:
        text = text.replace("’", "'")
        hits = [(m.start(), m.end(), m[0], True) for m in self.exact.finditer(text)]
        hits += [(m.start(), m.end(), m[0], False) for m in self.folded.finditer(text)]
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, end = [], -1
        for start, stop, surface, acronym in hits:
            if start < end:
                continue
            entry = self._entry(surface, acronym)
            if entry is not None and not any(re.match(rf"\s+{re.escape(w)}\b", text[stop:]) for w in entry.not_before):
                out.append((start, stop, entry))
                end = stop
        return out

    @staticmethod
    def _key(text: str, acronym: bool) -> str:
        text = re.sub(r"[\s-]+", " ", text.replace("’", "'"))
        return text if acronym else text.lower()

    def _entry(self, surface: str, acronym: bool) -> GazetteerEntry | None:
        key = self._key(surface, acronym)
        for candidate in (key, re.sub(r"'?s$", "", key), re.sub(r"es$", "", key)):
            if candidate in self.by_alias:
                return self.by_alias[candidate]
        return None


_LA = re.compile(r"\bLA\s?(\d{1,2})((?:\s*(?:,|and|&)\s*\d{1,2}\b)+|\s*[-–]\s*\d{1,2}\b)?")
_LA_LONG = re.compile(r"\bLocal Authority(?: Area)?\s+(\d{1,2})\b")
_AREA_LETTER = re.compile(r"\b(?:Area|Borough|Local Authority|Authority)\s+([A-H])\b(?![\w'’])")
_AREA_NAMED = re.compile(
    r"\b(?:London Borough of|Royal Borough of|City of)\s+([A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+){0,2})"
    r"|\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:County|City|Borough|Metropolitan Borough|District)\s+Council\b"
)
_AREA_AFTER = re.compile(
    r"\s+(?:in|of|from|within|for)\s+(?:the\s+)?(?:cross[- ]boundary\s+)?(?:area\s+)?"
    r"(\S+(?:\s\S+)?)"
)
_AREA_IN_BRACKETS = re.compile(r"\(\s*area\s+(\d{1,2})\s*\)", re.IGNORECASE)
_FORCE = re.compile(r"\bPolice Force(?:s|'s|’s)?\s*\(?(\d{1,2})\)?((?:\s*(?:,|and|&)\s*\d{1,2}\b)*)")
_FORCE_SHORT = re.compile(r"\bPF\s?(\d{1,2})\b")
_FORCE_LETTER = re.compile(r"\bPolice Force\s+([A-H])\b(?![\w'’])")
_FORCE_NAMED = re.compile(
    r"\b((?:[A-Z][\w'’-]+\s+(?:and\s+|&\s+)?){0,3}[A-Z][\w'’-]+)\s+(Constabulary|Police Service|Police)\b"
    r"(?!\s+(?:Force|[Oo]fficers?|[Ss]tations?|[Ss]upport|[Cc]onstables?|[Cc]ustody))"
)
_FORCE_GENERIC = re.compile(
    r"\b(?:[Cc]onstabulary|[Pp]olice)(?:'s|’s)?\s*\(\s*(?:area\s+(\d{1,2})|LA\s?(\d{1,2})|"
    r"Police Force\s+(\d{1,2}))\s*\)"
)
_NOT_A_FORCE_NAME = {
    "the",
    "a",
    "an",
    "local",
    "cross",
    "cross-boundary",
    "boundary",
    "both",
    "each",
    "other",
    "all",
    "two",
    "four",
    "british",
    "national",
    "uk",
    "relevant",
    "that",
    "this",
    "which",
    "neighbouring",
}
_CHILD = re.compile(r"\b(?:[Cc]hild|CHILD|[Bb]aby|BABY|[Yy]oung [Pp]erson|[Ii]nfant)\s+([A-Z]{1,2}\d?)(?![A-Za-z0-9])")


def _expand(first: str, tail: str | None) -> list[int]:
    """'LA 1, 2, 6' → [1, 2, 6]; 'LA 1-6' → [1 … 6]."""
    nums = [int(first)]
    if tail:
        if m := re.fullmatch(r"\s*[-–]\s*(\d{1,2})", tail):
            return list(range(int(first), int(m[1]) + 1)) if int(m[1]) > int(first) else nums
        nums += [int(x) for x in re.findall(r"\d{1,2}", tail)]
    return nums


@dataclass
class _Named:
    """Something the review names (area, force, agency, child), with where and how it was written."""

    id: str
    surfaces: Counter = field(default_factory=Counter)
    refs: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)  # other names, never the name itself

    def seen(self, surface: str, ref: str, alias: bool = False) -> None:
        if alias:
            self.aliases.add(surface.strip())
        else:
            self.surfaces[surface.strip()] += 1
        if ref not in self.refs:
            self.refs.append(ref)

    def written(self) -> str:
        """The name as the review writes it most often (the longer form on a tie)."""
        return max(self.surfaces, key=lambda s: (self.surfaces[s], len(s))) if self.surfaces else self.id

    def other_names(self) -> list[str]:
        return sorted((set(self.surfaces) | self.aliases) - {self.written()})


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "x"


def _ref_slug(ref: str) -> str:
    return _slug(ref.replace("¶", "p").replace("§", "s"))


def _sources(refs: list[str]) -> str:
    return ", ".join(refs[:MAX_REFS])
