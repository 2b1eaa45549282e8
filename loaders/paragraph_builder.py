"""The one pass that turns a review's plain-text lines into the units of its paragraph index.

Whatever the publisher did to the text (numbering styles ``23.``, ``1.1.1``, ``1-1``; page
breaks splitting paragraphs around footnotes; learning-point and good-practice boxes
interrupting the numbered text; appendices restarting their numbering), each line either opens,
continues or ends a unit. loaders.paragraphs wraps the units as the ``DocumentIndex`` the rest of
the project reads; this module only decides where units begin and end and what they are.

Numbered paragraphs are recognised by sequence, not by shape alone: a line starting ``12.`` is
the next paragraph only if 12 plausibly follows the previous one, so list items, dates and
appendix numbering do not break the index.
"""

from __future__ import annotations

import html
import re
import statistics
from dataclasses import dataclass, field

MARKER_PREFIX = {"learning_point": "LP", "good_practice": "GP", "recommendation": "Rec"}
MAX_GAP = 5  # reviews skip numbers (this one has no ¶92, ¶100, ¶181); a bigger jump is not the next paragraph
TITLE_WORDS = 15

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP = f"[{_SUPERSCRIPTS}]"
_FOOTNOTE_LINE = re.compile(rf"^\s*({_SUP}+)\s*(\S.*)$")
_INLINE_SUP = re.compile(rf"\s?{_SUP}+|\^\{{[\d\s,]+\}}|\^\d+")
_TAGS = re.compile(r"</?(?:p|i|b|em|strong|u|ul|ol|li|br|span|sup|sub|div)\b[^>]*>", re.IGNORECASE)
_NUMBER_STYLES = {
    "dot": re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$"),
    "multi": re.compile(r"^(\d{1,3}(?:\.\d{1,3}){1,3})\.?\s+(\S.*)$"),
    "dash": re.compile(r"^(\d{1,3}(?:-\d{1,3}){1,2})\s+(\S.*)$"),
}
_MARKERS = (
    (
        "learning_point",
        re.compile(
            r"^(?:key\s+)?(?:learning\s+point|lesson(?:s)?(?:\s+learn[et]d?)?|finding)s?\s*(?:no\.?\s*)?(\d+)"
            r"\s*(?:[:.)–—-]\s*|$)(.*)$",
            re.IGNORECASE,
        ),
    ),
    ("learning_point", re.compile(r"^key\s+(?:lesson|learning|finding)\s*(?:[:.–—-]\s*|$)(.*)$", re.IGNORECASE)),
    (
        "good_practice",
        re.compile(
            r"^good\s+practice(?:\s+(?:point|example))?\s*(?:no\.?\s*)?(\d+)\s*(?:[:.)–—-]\s*|$)(.*)$", re.IGNORECASE
        ),
    ),
    ("recommendation", re.compile(r"^recommendation\s*(?:no\.?\s*)?(\d+)\s*(?:[:.)–—-]\s*|$)(.*)$", re.IGNORECASE)),
)
_APPENDIX = re.compile(r"^(?:appendix|annex|annexe)\s+(\d{1,2}|[A-Z])\b\s*[:.–—-]?\s*(.*)$", re.IGNORECASE)
_CAPTION = re.compile(r"^table\s+(\d{1,3})\s*[:.–—-]\s*(.*)$", re.IGNORECASE)
_SECTION = re.compile(r"^(?:section|part|chapter)\s+(?:\d{1,2}|[ivx]{1,5}|[a-z])\b", re.IGNORECASE)
_PLAIN_FOOTNOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)]$")
_LIST_CONTEXT = (
    ("recommendation", re.compile(r"recommendation", re.IGNORECASE)),
    ("good_practice", re.compile(r"good\s+practice", re.IGNORECASE)),
    (
        "learning_point",
        re.compile(r"learning\s+points?|lessons?\s+learn|key\s+(?:lesson|learning|finding)|findings", re.IGNORECASE),
    ),
)
_TABLE_NAMES = (
    ("Abbrev.", re.compile(r"abbreviation|acronym", re.IGNORECASE)),
    ("Glossary", re.compile(r"glossary", re.IGNORECASE)),
    ("Contents", re.compile(r"\bcontents?\b", re.IGNORECASE)),
)


@dataclass
class _Entry:
    ref: str
    kind: str
    page: int | None
    heading: str | None
    parts: list[str] = field(default_factory=list)
    number: tuple[int, ...] | None = None
    appendix: str | None = None
    section: str | None = None
    emphasised: bool = False

    def add(self, text: str, new_part: bool) -> None:
        """Add a block as a new part (a new line of the text) or join it to the last part."""
        if not text:
            return
        if new_part or not self.parts:
            self.parts.append(text)
        else:
            self.parts[-1] = _join(self.parts[-1], text)


@dataclass
class _Line:
    text: str
    page: int | None
    emphasised: bool
    md_heading: bool
    footnote: int | None
    blank: bool
    row: bool = False


def _join(a: str, b: str) -> str:
    """Join a wrapped line to the one before, undoing a hyphenated line break."""
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b[:1].islower():
        return a + b
    return f"{a} {b}"


def _number(label: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.split(r"[.-]", label) if x)


def is_successor(prev: tuple[int, ...] | None, cand: tuple[int, ...]) -> bool:
    """Whether paragraph number ``cand`` can follow ``prev`` (1.9 → 2.1, 4.2 → 4.2.1, 91 → 93)."""
    if prev is None:
        return all(x <= 3 for x in cand)
    n = min(len(prev), len(cand))
    for i in range(n):
        if cand[i] != prev[i]:
            return 1 <= cand[i] - prev[i] <= MAX_GAP and all(x <= 1 for x in cand[i + 1 :])
    if len(cand) > len(prev):
        return 1 <= cand[n] <= 2 and all(x <= 1 for x in cand[n + 1 :])
    return False


def _strip_markup(raw: str, page: int | None) -> _Line:
    """Undo the markup converters leave (markdown emphasis, HTML cell tags) and note what it meant."""
    s = raw.strip(" ")
    row = "\t" in s.strip(" \n") and bool(s.strip())
    if not s.strip():
        return _Line("", page, False, False, None, True)
    md_heading = bool(re.match(r"^#{1,6}\s", s))
    s = re.sub(r"^#{1,6}\s+", "", s)
    s = re.sub(r"^[-•·▪●◦*]\s+(?=\d)", "", s)  # "- 85.** text": a numbered paragraph converted as a list item
    s = re.sub(r"^[•·▪●◦]\s*", "- ", s)
    footnote = None
    if m := _FOOTNOTE_LINE.match(s):
        footnote = int(m[1].translate(str.maketrans(_SUPERSCRIPTS, "0123456789")))
        s = m[2]
    body = re.sub(r"^\d+(?:[.-]\d+)*[.)]?\s+", "", s)
    body = _INLINE_SUP.sub("", body).strip()
    emphasised = bool(re.fullmatch(r"(\*{1,3}|_{1,2})[^*_].*?\1[.:]?", body)) or bool(
        re.fullmatch(r"<(i|b|em|strong)>.*</\1>[.:]?", body, re.IGNORECASE)
    )
    s = _TAGS.sub(" ", s)
    s = html.unescape(s).replace("*", "")
    s = _INLINE_SUP.sub("", s)
    s = re.sub(r" *\t+ *", "\t", s.strip())
    s = re.sub(r" {2,}", " ", s).strip("\t ")
    if row and not re.sub(r"[-|:\t ]", "", s):
        s = ""  # a markdown table's separator row
    return _Line(s, page, emphasised, md_heading, footnote, not s, row and bool(s))


def _words(text: str) -> int:
    return len(text.split())


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def _heading_like(text: str) -> bool:
    """A short title line: few words, starts with a capital, not a sentence fragment."""
    if not (text[:1].isupper() or text[:1].isdigit()):
        return False
    n = _words(text)
    if text.endswith((",", ";", ":")) or n > 8:
        return False
    return not text.endswith(".") or n <= 6


def _list_context(text: str) -> str | None:
    for kind, rx in _LIST_CONTEXT:
        if rx.search(text):
            return kind
    return None


def _numbering_style(lines: list[_Line]) -> str | None:
    """The style of the review's own paragraph numbers: the one forming the longest sequence."""
    best, best_len = None, 2
    for style, rx in _NUMBER_STYLES.items():
        prev, chain = None, 0
        for ln in lines:
            if ln.row or ln.footnote is not None:
                continue
            m = rx.match(ln.text)
            if m and is_successor(prev, (num := _number(m[1]))):
                prev, chain = num, chain + 1
        if chain > best_len:
            best, best_len = style, chain
    return best


class _Builder:
    """One pass over the lines, deciding for each whether it opens, continues or ends a unit."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.style = _numbering_style(lines)
        self.entries: list[_Entry] = []
        self.heading: str | None = None
        self.list_ctx: str | None = None
        self.appendix: str | None = None
        self.section: str | None = None
        self.last_num: tuple[int, ...] | None = None
        self.last_content: _Entry | None = None
        self.last_body: _Entry | None = None
        self.open: _Entry | None = None  # the unit the previous line belonged to, if the next may join it
        self.open_table: _Entry | None = None
        self.pending: _Entry | None = None  # a marker or caption waiting for its text
        self.after_heading = False
        self.front = True
        self.fn_expected = 1
        self.counts: dict[str, int] = {}
        self.typical = {
            page: statistics.median([len(x.text) for x in lines if x.page == page and len(x.text) > 30] or [0])
            for page in {x.page for x in lines}
        }
        self.heading_numbers = self._numbered_headings()

    # -- helpers ------------------------------------------------------------------------------

    def _numbered_headings(self) -> set[int]:
        """Indexes of numbered lines that are titles of the sub-paragraphs below them (1.1 over 1.1.1)."""
        if self.style is None:
            return set()
        rx = _NUMBER_STYLES[self.style]
        found = [(i, _number(m[1]), m[2]) for i, ln in enumerate(self.lines) if not ln.row and (m := rx.match(ln.text))]
        out = set()
        for (i, num, text), (_, nxt, _) in zip(found, found[1:], strict=False):
            if len(nxt) > len(num) and nxt[: len(num)] == num and _words(text) <= TITLE_WORDS:
                out.add(i)
        return out

    def _seq(self, key: str) -> int:
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]

    def _new(self, ref: str, kind: str, page: int | None, text: str = "", **kw) -> _Entry:
        entry = _Entry(ref, kind, page, self.heading, appendix=self.appendix, section=self.section, **kw)
        entry.add(text, True)
        self.entries.append(entry)
        if kind not in ("footnote", "table", "heading"):
            self.last_content = entry
            self.after_heading = False
            self.front = False
        return entry

    def _set_heading(self, text: str, page: int | None, ref: str | None = None, title: bool = False) -> None:
        """Start a section; ``title`` when the line could be a title-page line rather than a heading."""
        self.heading = text
        self.list_ctx = _list_context(text)
        if ref is None:
            number = re.match(r"(\d{1,2})\s+[A-Z]", text)
            title = title and self.front and not any(rx.search(text) for _, rx in _TABLE_NAMES)
            ref = f"§{number[1]}" if number else "Title page" if title else f"H{self._seq('H')}"
        self._new(ref, "heading", page, text)
        self.after_heading = True
        self.open = None
        self.open_table = None

    def _ends_block(self, prev: _Line, line: _Line) -> bool:
        """Whether a wrapped line starts a new block: a short previous line that ended a sentence."""
        if prev.blank or prev.page != line.page:
            return True
        return _ends_sentence(prev.text) and len(prev.text) < 0.8 * self.typical.get(prev.page, 0)

    # -- the pass -----------------------------------------------------------------------------

    def build(self) -> list[_Entry]:
        prev = _Line("", None, False, False, None, True)
        for i, line in enumerate(self.lines):
            if line.blank or line.page != prev.page:
                self.open = None  # a blank line or a new page ends a wrapped block
            if not line.blank:
                if self.open is not None and not self._ends_block(prev, line) and self._joins(line):
                    self.open.add(line.text, False)
                else:
                    self._line(i, line)
            prev = line
        return self.entries

    def _joins(self, line: _Line) -> bool:
        """A wrapped line continues the open unit unless it starts a new one."""
        t = line.text
        if line.footnote is not None or line.row or line.md_heading:
            return False
        if any(rx.match(t) for _, rx in _MARKERS) or _APPENDIX.match(t) or _CAPTION.match(t) or _SECTION.match(t):
            return False
        return self._number_role(t) is None

    def _line(self, i: int, line: _Line) -> None:
        t = line.text
        if line.footnote is not None:
            self.fn_expected = line.footnote + 1
            self.open = self._new(f"fn{line.footnote}", "footnote", line.page, t)
            return
        if line.row:
            self._table_row(line)
            return
        pending, self.pending = self.pending, None
        if self.open_table is not pending:
            self.open_table = None
        if m := _CAPTION.match(t):
            self.open_table = self.open = self._new(f"Table {m[1]}", "table", line.page, t)
            self.pending = self.open_table
            return
        if (m := _APPENDIX.match(t)) and _words(t) <= 20:
            self.appendix, self.section = m[1].upper(), None
            self._set_heading(t, line.page, ref=f"App{self.appendix}")
            return
        for kind, rx in _MARKERS:
            if m := rx.match(t):
                groups = m.groups()
                number = int(groups[0]) if len(groups) == 2 else self._seq(f"auto-{kind}")
                self._marker(kind, number, groups[-1], line)
                return
        if self._numbered(i, line):
            return
        if line.md_heading or (_SECTION.match(t) and _words(t) <= 20) or (line.emphasised and _words(t) <= 20):
            self._set_heading(t, line.page)
            return
        if (
            (m := _PLAIN_FOOTNOTE.match(t))
            and int(m[1]) == self.fn_expected
            and not _heading_like(m[2])
            and self.last_content is not None
        ):
            self.fn_expected += 1
            self.open = self._new(f"fn{m[1]}", "footnote", line.page, m[2])
            return
        if (
            _heading_like(t)
            and (self.after_heading or self.open is None)
            and not self._continues()
            and not self._titled_item_waiting()
        ):
            self._set_heading(t, line.page, title=True)
            return
        self._text(t, line, pending)

    def _titled_item_waiting(self) -> bool:
        """The previous unit is a numbered item that so far has only its title ('2. *Methodology.*'):
        the next short line is its text, not a heading."""
        last = self.last_content
        return (
            last is not None
            and last is self.entries[-1]
            and last.kind in ("paragraph", "appendix")
            and len(last.parts) == 1
            and last.emphasised
        )

    def _continues(self) -> bool:
        """A short capitalised line after a unit that stopped mid-sentence is that unit's tail, not a title."""
        last = self.last_content
        return last is not None and bool(last.parts) and not self.after_heading and not _ends_sentence(last.parts[-1])

    def _marker(self, kind: str, number: int, text: str, line: _Line) -> None:
        prefix = MARKER_PREFIX[kind]
        entry = self._new(f"{prefix}{number}", kind, line.page, text, number=(number,))
        self.pending = entry if not text else None
        self.open = entry

    def _number_role(self, text: str) -> tuple[str, str, str] | None:
        """What a numbered line is here: ('body' | 'item' | 'appendix', label, text), or None for plain text."""
        found = next(((style, m) for style, rx in _NUMBER_STYLES.items() if (m := rx.match(text))), None)
        if found is None:
            return None
        style, m = found
        if style == self.style and is_successor(self.last_num, _number(m[1])):
            return "body", m[1], m[2]
        if style == "dot" and self.list_ctx:
            return "item", m[1], m[2]
        if self.appendix is not None and style in ("dot", "multi"):
            return "appendix", m[1], m[2]
        if style != self.style and _words(m[2]) <= 12 and not m[2].endswith((",", ";")):
            return "heading", m[1], m[2]
        return None

    def _numbered(self, i: int, line: _Line) -> bool:
        role = self._number_role(line.text)
        if role is None:
            return False
        kind, label, text = role
        num = _number(label)
        if kind == "body":
            self.last_num = num
            if i in self.heading_numbers:
                self._set_heading(text, line.page, ref=f"§{label}")
                return True
            entry = self._new(f"¶{label}", "paragraph", line.page, text, number=num, emphasised=line.emphasised)
            self.last_body = entry
            self.open = entry
            return True
        if kind == "item":
            self._marker(self.list_ctx, num[0], text, line)
        elif kind == "appendix":
            self.section = label
            entry = self._new(f"App{self.appendix} §{label}", "appendix", line.page, text, emphasised=line.emphasised)
            self.last_body = entry
            self.open = entry
        else:
            self._set_heading(f"{label} {text}", line.page, ref=f"§{label}")
        return True

    def _table_row(self, line: _Line) -> None:
        self.open = None
        if self.open_table is None:
            ref = None
            context = f"{self.heading or ''} {line.text}"
            for name, rx in _TABLE_NAMES:
                if rx.search(context):
                    ref = name
                    break
            if ref is None:
                rows_end_with_page = re.search(r"\t\d{1,3}$", line.text)
                ref = "Contents" if rows_end_with_page and self.front else f"T{self._seq('T')}"
            self.open_table = self._new(ref, "table", line.page)
            self.front = False
        self.pending = None
        self.open_table.add(line.text, True)

    def _text(self, text: str, line: _Line, pending: _Entry | None) -> None:
        if pending is not None:
            pending.add(text, bool(pending.parts))  # a marker's or a caption's text on the next line
            self.open = pending
            return
        last = self.last_content
        lower = text[:1].islower() or (text[:1] in "([" and text[1:2].islower())
        if lower and last is not None:
            last.add(text, False)
            self.open = last
            return
        ends_sentence = last is not None and _ends_sentence(last.parts[-1] if last.parts else ".")
        if self.after_heading or last is None or (self.style is None and self.appendix is None and ends_sentence):
            self.open = self._unnumbered(text, line)  # in a review without numbering, each block is a paragraph
            return
        target = last
        if last.kind in MARKER_PREFIX and last.appendix is None and self.last_body is not None and ends_sentence:
            target = self.last_body  # the body text resumes after a learning-point box
        if (
            target.kind in ("paragraph", "appendix")
            and len(target.parts) == 1
            and (target.emphasised or _words(target.parts[0]) <= TITLE_WORDS)
        ):
            self.heading = target.parts[0].rstrip(":")
            target.heading = self.heading
        target.add(text, _ends_sentence(target.parts[-1]))
        self.open = target

    def _unnumbered(self, text: str, line: _Line) -> _Entry:
        if self.appendix is not None:
            ref = f"App{self.appendix} §{self.section}" if self.section else f"App{self.appendix}"
            return self._new(ref, "appendix", line.page, text)
        if self.style is None:
            n = self._seq("auto")
            entry = self._new(f"¶{n}", "paragraph", line.page, text, number=(n,))
            self.last_body = entry
            return entry
        return self._new(f"U{self._seq('U')}", "paragraph", line.page, text)
