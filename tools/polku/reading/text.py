"""Read curriculum text files: the size limit, UTF-8, control characters and file names.

Authors paste text from other programs, save in other encodings and name files
in every way a file system allows; each of these becomes a located error here,
before any reader sees the text.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from .. import store
from ..diagnostics import Report

MAX_FILE_BYTES = 500_000


def read_text(path: Path, rel: str, report: Report) -> str | None:
    """Read a UTF-8 file (a BOM is fine); report size, type and encoding problems."""
    stamp = _stamp(path) if store.kept_in_memory() else None
    if stamp is not None:
        known = _texts.get(str(path))
        if known is not None and known[0] == stamp:
            return known[1]
    data = _read_bytes(path, rel, report)
    if data is None:
        return None
    text = _decode(data, rel, report)
    if text is None:
        return None
    problem = bad_character(text, data)
    if problem is not None:
        report.error(rel, *problem)
        return None
    if stamp is not None:
        _texts[str(path)] = (stamp, text)
    return text


# The live preview reads the whole curriculum after every save. A file whose state
# (modification and change times, size, inode) is the one it had when last read is
# taken from here: the preview's watcher notices a save by the same state. Only
# texts read without a problem are kept, so a problem is reported afresh each time.
_texts: dict[str, tuple[tuple[int, ...], str]] = {}


def _stamp(path: Path) -> tuple[int, ...] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return (
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_size,
        status.st_ino,
        status.st_dev,
    )


def _read_bytes(path: Path, rel: str, report: Report) -> bytes | None:
    """The file's bytes, up to the size limit; None (reported) for anything else."""
    try:
        if not path.is_file():  # follows symbolic links; a folder, pipe or device is refused
            report.error(rel, 1, 1, not_a_file(path))
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            size = max(path.stat().st_size, len(data))
            report.error(
                rel,
                1,
                1,
                f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}; "
                "split it into smaller files",
            )
            return None
    except OSError as exc:
        report.error(
            rel,
            1,
            1,
            f"cannot read the file ({exc.strerror or exc}); "
            "check that it exists and that you may read it",
        )
        return None
    return data


def _decode(data: bytes, rel: str, report: Report) -> str | None:
    """UTF-8 text (a BOM dropped); the first byte that is not UTF-8 is reported."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        report.error(
            rel,
            line,
            column,
            f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8 text",
        )
        return None


def not_a_file(path: Path) -> str:
    """Why ``path``, which is not a regular file, cannot be read."""
    if path.is_symlink() and not path.exists():
        return "a broken symbolic link; remove it or point it at a file"
    if path.is_dir():
        return (
            f"'{path.name}' is a folder, not a file; rename the folder so that its name "
            f"does not end in '{path.suffix}'"
        )
    return "not a regular file (a pipe or a device); replace it with a text file"


# Characters that YAML 1.2 does not allow in a file (C0 and C1 controls but tab, line
# feed, carriage return and next line; surrogates; U+FFFE and U+FFFF). Authors get
# them by pasting from other programs, and they would end up in the published pages.
BAD_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)


def character_name(char: str) -> str:
    """``U+001B (ESC)``: a character's code point and name, for a message."""
    names = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x0c": "FORM FEED"}
    name = names.get(char) or unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


# Bytes whose UTF-8 text cannot hold a BAD_CHARACTER: no C0 control byte, no lead
# byte of U+0080-U+00BF (C1 controls) and none of U+FFFE/U+FFFF; strict decoding
# refuses surrogates. Deleting the allowed bytes is ten times faster than the search.
_ALLOWED_BYTES = bytes(sorted({*range(32, 127), 9, 10, 13, *range(128, 256)} - {0xC2}))


def bad_character(text: str, data: bytes | None = None) -> tuple[int, int, str] | None:
    """Line, column and message of the first character a curriculum file must not hold.

    ``data``: the UTF-8 bytes ``text`` was decoded from, for a quick first look.
    """
    if data is not None and not data.translate(None, _ALLOWED_BYTES) and b"\xef\xbf" not in data:
        return None
    match = BAD_CHARACTER.search(text)
    if match is None:
        return None
    start = match.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return (
        line,
        column,
        f"the control character {character_name(match.group())} is not allowed here; "
        "delete it (it often comes with text copied from another program)",
    )


def shorten(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def printable(name: str) -> str:
    """A file name as it can be printed on one terminal line, escapes for the rest."""
    raw = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in raw
    )
