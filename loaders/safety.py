"""What a case file may be before it is read, and how anything taken from a file is printed.

A case folder is input from someone else: a FIFO in it would hang a load forever, a symlink to
/dev/zero would fill memory, a file name with a newline could forge a line of the problem list,
and a bidi override could make a name read differently from what is stored. Every reader goes
through ``read_limited`` and every message through ``printable``.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

DEFAULT_MAX_FILE_MB = 200
# Characters that must never reach a terminal or a message as themselves: C0 and C1 controls
# (bar none: a tab or newline in a value is shown escaped too), line and paragraph separators,
# bidi embeddings, overrides and isolates, zero-width characters and the BOM.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """``text`` with every control, bidi and zero-width character written as an escape (``\\n``,
    ``\\u202e``), so a message taken from a file stays one honest line."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return repr(char)[1:-1] if char in "\n\r\t" else f"\\u{ord(char):04x}"


def max_file_bytes() -> int:
    """The per-file size cap: ``JOINED_UP_MAX_FILE_MB`` megabytes (default 200)."""
    raw = os.environ.get("JOINED_UP_MAX_FILE_MB", "")
    try:
        megabytes = float(raw) if raw.strip() else DEFAULT_MAX_FILE_MB
    except ValueError:
        megabytes = DEFAULT_MAX_FILE_MB
    return int(max(megabytes, 0) * 1024 * 1024)


class UnsafeInput(ValueError):
    """A file that must not be read; the message says what it is and what was expected."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_entry(path: Path, folder: Path) -> None:
    """Refuse an entry of a case folder that is not a regular file inside the folder.

    Checked with ``lstat`` before anything opens it: a symlink may point only at a regular file
    inside the case folder, so a case cannot read /dev/zero, /etc/passwd or another case.
    """
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            target = path.resolve(strict=True)
            if not target.is_relative_to(folder.resolve(strict=True)):
                raise UnsafeInput("a file inside the case folder (this is a symlink that leaves it)")
    except OSError as exc:
        raise UnsafeInput(f"a readable file ({exc.strerror})") from None
    except RuntimeError:  # a symlink loop
        raise UnsafeInput("a file inside the case folder (this is a symlink loop)") from None
    check_regular(path)


def check_regular(path: Path) -> int:
    """The size of ``path`` if it is a regular file within the size cap; else ``UnsafeInput``."""
    try:
        info = path.stat()
    except OSError as exc:
        raise UnsafeInput(f"a readable file ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeInput(f"a regular file (this is {_kind(info.st_mode)})")
    limit = max_file_bytes()
    if info.st_size > limit:
        raise UnsafeInput(
            f"a file of at most {limit // (1024 * 1024)} MB (this is {info.st_size / 1024**2:,.0f} MB; "
            "set JOINED_UP_MAX_FILE_MB to allow more)"
        )
    return info.st_size


def read_limited(path: Path) -> bytes:
    """A regular file's bytes, never more than the size cap, never blocking on a FIFO.

    Checked before opening (``check_regular``), then opened non-blocking and checked again on
    the open descriptor, so a file swapped for a FIFO or device in between is still refused.
    """
    check_regular(path)
    limit = max_file_bytes()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnsafeInput(f"a readable file ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeInput(f"a regular file (this is {_kind(info.st_mode)})")
        # read(n) allocates n bytes up front: ask for the file's size (plus one, to see growth),
        # never for the cap, so a small file costs a small buffer.
        data = handle.read(min(info.st_size, limit) + 1)
        if len(data) > info.st_size:  # it grew since it was measured: read on, within the cap
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise UnsafeInput(f"a file of at most {limit // (1024 * 1024)} MB (it grew while being read)")
    return data


# A YAML alias repeats its anchor's whole value. Case files use a few (a shared source, a record
# template); a "billion laughs" file nests them so that nine lines expand to 10^9 values, which
# anything that walks or prints the value (str(), a message, the validator) then expands in
# memory. Aliases may bring in at most this many values per document.
ALIAS_VALUES_MAX = 1_000_000


class CappedAliases:
    """A mixin for a PyYAML loader: refuses a document whose aliases expand to more than
    ``ALIAS_VALUES_MAX`` values, or an alias used inside its own anchor, while composing, so
    the cost of the check is one step per alias and per distinct aliased node."""

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        import yaml

        if not self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            return super().compose_node(parent, index)  # type: ignore[misc]
        mark = self.peek_event().start_mark  # type: ignore[attr-defined]
        node = super().compose_node(parent, index)  # type: ignore[misc]
        sizes = self.__dict__.setdefault("_alias_sizes", {})
        spent = self.__dict__.get("_alias_spent", 0) + _expanded_size(node, sizes, mark)
        self._alias_spent = spent
        if spent > ALIAS_VALUES_MAX:
            raise yaml.composer.ComposerError(
                None, None, f"aliases that expand to more than {ALIAS_VALUES_MAX:,} values (an alias bomb)", mark
            )
        return node


def _expanded_size(root, sizes: dict[int, int], mark) -> int:  # noqa: ANN001 - PyYAML nodes and marks
    """How many values ``root`` stands for once every alias in it is expanded (memoised by node)."""
    import yaml

    def children(node) -> list:  # noqa: ANN001
        if isinstance(node, yaml.SequenceNode):
            return [c for c in node.value if not isinstance(c, yaml.ScalarNode)]
        if isinstance(node, yaml.MappingNode):
            return [c for pair in node.value for c in pair if not isinstance(c, yaml.ScalarNode)]
        return []

    if isinstance(root, yaml.ScalarNode):
        return 1
    open_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack[-1]
        if id(node) in sizes:
            stack.pop()
            continue
        pending = [c for c in children(node) if id(c) not in sizes]
        if any(id(c) in open_nodes for c in pending):
            raise yaml.composer.ComposerError(None, None, "an alias used inside its own anchor (a loop)", mark)
        if pending and id(node) not in open_nodes:
            open_nodes.add(id(node))
            stack.extend(pending)
            continue
        open_nodes.discard(id(node))
        width = len(node.value) * (2 if isinstance(node, yaml.MappingNode) else 1)
        nested = children(node)
        sizes[id(node)] = 1 + width - len(nested) + sum(sizes[id(c)] for c in nested)
        stack.pop()
    return sizes[id(root)]
