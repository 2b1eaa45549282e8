"""Zip archives from outside: an uploaded case folder, and the zip inside every .xlsx workbook.

A zip states its members' sizes in headers that anyone can write, and a few kilobytes can
inflate to gigabytes (a zip bomb). So a zip is refused before anything is inflated when its
entry count, total stated size or any entry's compression ratio is beyond what a case needs,
or when a member's path would leave the folder (or is a symlink).
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

from loaders.safety import UnsafeInput, max_file_bytes

MAX_ENTRIES = 10_000
MAX_RATIO = 200  # text and XML compress 5-20×; 1,000× and more is a bomb
_CHUNK = 1 << 20


def inspect_zip(data: bytes, what: str = "zip archive") -> list[zipfile.ZipInfo]:
    """The members of a zip held in ``data``, refused (``UnsafeInput``) when it could be a bomb or
    a member's path would leave the folder it is extracted to; ``what`` names it in messages."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnsafeInput(f"a readable {what} ({exc})") from None
    if len(members) > MAX_ENTRIES:
        raise UnsafeInput(f"a zip of at most {MAX_ENTRIES:,} entries (this has {len(members):,})")
    total = sum(m.file_size for m in members)
    limit = max_file_bytes()
    if total > limit:
        raise UnsafeInput(
            f"a zip that expands to at most {limit // 1024**2} MB (this states {total / 1024**2:,.0f} MB)"
        )
    for m in members:
        if m.file_size > MAX_RATIO * max(m.compress_size, 1) and m.file_size > _CHUNK:
            raise UnsafeInput(
                f"a zip whose members compress at most {MAX_RATIO}× ({m.filename!r} is "
                f"{m.file_size // max(m.compress_size, 1):,}×: a zip bomb)"
            )
        _member_path(m)
    return members


def _member_path(member: zipfile.ZipInfo) -> PurePosixPath:
    """A member's path relative to the folder, or ``UnsafeInput`` when it would leave it."""
    name = member.filename.replace("\\", "/")
    path = PurePosixPath(name)
    parts = path.parts
    if not parts or path.is_absolute() or ".." in parts or ":" in parts[0]:
        raise UnsafeInput(f"zip members inside the folder ({member.filename!r} leaves it)")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise UnsafeInput(f"zip members that are files or folders ({member.filename!r} is a symlink)")
    return path


def extract_zip(data: bytes, folder: Path) -> None:
    """Extract a zip held in ``data`` into the (empty) ``folder``, all checks first (``inspect_zip``)."""
    members = inspect_zip(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    root = folder.resolve()
    for m in members:
        target = root.joinpath(*_member_path(m).parts)
        if m.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # zipfile stops inflating a member at its stated size and checks its CRC at the end.
        try:
            with archive.open(m) as source, target.open("xb") as out:
                while chunk := source.read(_CHUNK):
                    out.write(chunk)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UnsafeInput(f"a readable zip archive ({m.filename!r}: {exc})") from None


def upload_target(folder: Path, files: list[tuple[str, bytes]]) -> Path:
    """Write uploaded files into the empty ``folder`` and return what to validate: the one file, the
    folder of several, or the case folder inside one uploaded .zip (checked by ``extract_zip``)."""
    if len(files) == 1 and files[0][0].lower().endswith(".zip"):
        extract_zip(files[0][1], folder)
        inner = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
        return inner[0] if len(inner) == 1 and inner[0].is_dir() else folder
    if any(name.lower().endswith(".zip") for name, _ in files):
        raise UnsafeInput("one .zip on its own, or case files without a .zip")
    for name, data in files:
        if Path(name).name in ("", ".", ".."):
            raise UnsafeInput(f"a file name ({name!r} is not one)")
        (folder / Path(name).name).write_bytes(data)
    return folder if len(files) > 1 else folder / Path(files[0][0]).name
