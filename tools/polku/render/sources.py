"""The sources of a print document: every work once, with what each part cites of it.

Modules and method cards list their sources as plain text, and the same work is
often cited by many of them, each time with its own note ("Luku 3", "tässä:
Valmennusprosessi"). A source list that printed every citation as written would
repeat the work's reference once per module. Here citations that begin with the
same reference (the same author and year and the same title, sentence by
sentence) become one entry: the shared reference, with the distinct notes under
it. Each entry and note names the modules and method cards that cite it.

Only whole sentences are compared, so a citation is never cut inside its words,
and citations that share no reference are printed exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# A sentence ends at ". " before a capital or a digit, unless the period ends an
# initial or a short abbreviation ("S.", "ed.", "s.a."): the word before it has at
# least three letters or digits, or ends with a bracket, "(2012). Title".
_SENTENCE_END = re.compile(r"(?:(?<=[\w]{3})|(?<=\)))\.\s+(?=[A-ZÅÄÖ0-9\"“”(])")
KEY_SENTENCES = 2  # author and year, then the title: what makes two citations one work


@dataclass
class SourceNote:
    """What some parts cite of a work beyond its reference."""

    text: str
    cited_by: list[str] = field(default_factory=list)


@dataclass
class SourceEntry:
    """One work: its reference, who cites it as it stands, and the notes of the others."""

    text: str
    cited_by: list[str] = field(default_factory=list)
    notes: list[SourceNote] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    """``text`` split after each sentence's period (the pieces join back with a space)."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.start() + 1])
        start = match.end()
    pieces.append(text[start:])
    return [piece for piece in pieces if piece]


def source_entries(
    citations: Iterable[tuple[str, str]], sort_key: Callable[[str], object]
) -> list[SourceEntry]:
    """Entries from (citation, title of the part that cites it) pairs, sorted by ``sort_key``.

    A citation given twice is one; citations whose first sentences (author, year,
    title) are the same share the longest run of sentences they have in common.
    """
    cited: dict[str, list[str]] = {}
    for citation, part in citations:
        text = " ".join(citation.split())
        if text:
            parts = cited.setdefault(text, [])
            if part not in parts:
                parts.append(part)
    works: dict[tuple[str, ...], list[list[str]]] = {}
    for text in cited:
        split = sentences(text)
        key = tuple(split[:KEY_SENTENCES]) if len(split) >= KEY_SENTENCES else (text,)
        works.setdefault(key, []).append(split)
    entries = [_entry(group, cited) for group in works.values()]
    return sorted(entries, key=lambda entry: sort_key(entry.text))


def _entry(group: list[list[str]], cited: dict[str, list[str]]) -> SourceEntry:
    if len(group) == 1:
        text = " ".join(group[0])
        return SourceEntry(text, list(cited[text]))
    shared = 0
    while all(len(split) > shared for split in group) and (
        len({split[shared] for split in group}) == 1
    ):
        shared += 1
    entry = SourceEntry(" ".join(group[0][:shared]))
    for split in group:
        text = " ".join(split)
        rest = " ".join(split[shared:])
        if rest:
            entry.notes.append(SourceNote(rest, list(cited[text])))
        else:
            entry.cited_by.extend(p for p in cited[text] if p not in entry.cited_by)
    return entry
