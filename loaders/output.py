"""Where a command may write: checked once, before any work, for every writing command.

A report or a draft case written over a reviewer's own file loses their work without a word,
so an existing non-empty target is refused unless the user passes ``--force``; a path that
cannot be written (no such folder, a folder where a file is meant, no permission) is said in
one line before anything runs, never found out as a traceback halfway through.
"""

from __future__ import annotations

import os
from pathlib import Path

from loaders.safety import printable


class OutputError(ValueError):
    """A target that must not or cannot be written; the message is one line."""


def output_target(path: str | Path, force: bool, folder: bool = False) -> Path:
    """``path`` checked as the file (or, with ``folder``, the folder) a command will write.

    A folder target may be new (it is created with its parents, as ``extract`` and ``generate``
    always did); a file target's folder must exist.
    """
    target = Path(path)
    shown = printable(str(target))
    if target.exists() or target.is_symlink():
        if folder and not target.is_dir():
            raise OutputError(f"{shown} is a file; expected a folder to write the case into")
        if not folder and target.is_dir():
            raise OutputError(f"{shown} is a folder; expected a file name")
        if not force and (any(target.iterdir()) if folder else target.is_symlink() or target.stat().st_size > 0):
            raise OutputError(f"{shown} already exists and is not empty; pass --force to overwrite it")
        writable = target
    else:
        writable = _nearest_existing(target.parent) if folder else target.parent
        if not writable.is_dir():
            what = "is not a folder" if writable.exists() else "does not exist"
            raise OutputError(f"cannot write {shown}: {printable(str(writable))} {what}")
    if not os.access(writable, os.W_OK):
        raise OutputError(f"cannot write {shown}: permission denied")
    return target


def _nearest_existing(path: Path) -> Path:
    """The deepest existing folder on the way to ``path`` (the one its parents are created in)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def write_output(target: Path, text: str) -> None:
    """Write ``text`` to a checked target; a failure while writing (disk full) is one line too."""
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {printable(str(target))}: {exc.strerror}") from None
