"""The sources of a print document: each work's full reference once.

Modules and method cards list their sources as plain text, and the same work is
often cited by many of them, each time with its own note ("Luku 3", "tässä:
Valmennusprosessi"). The list keeps one group per module and method card, in
programme order, because authors write notes that lean on the citation above
them in their own list ("viitattu edellä mainitussa artikkelissa"). A work's
full reference (its author and year and its title) is printed where it is first
cited; later citations of the same work are shortened to the author and year,
followed by their own note, and a citation that repeats one already printed in
its group is left out.

Only whole sentences are compared, so a citation is never cut inside its words,
and citations that share no reference are printed exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# A sentence ends at ". " before a capital or a digit, unless the period ends an
# initial or a short abbreviation ("S.", "ed.", "s.a."): the word before it has at
# least three letters or digits, or ends with a bracket, "(2012). Title".
_SENTENCE_END = re.compile(r"(?:(?<=[\w]{3})|(?<=\)))\.\s+(?=[A-ZÅÄÖ0-9\"“”(])")
KEY_SENTENCES = 2  # author and year, then the title: what makes two citations one work


@dataclass
class SourceGroup:
    """The sources one module or method card cites."""

    title: str
    sources: list[str] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    """``text`` split after each sentence's period (the pieces join back with a space)."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.start() + 1])
        start = match.end()
    pieces.append(text[start:])
    return [piece for piece in pieces if piece]


def source_groups(cited: Iterable[tuple[str, Iterable[str]]]) -> list[SourceGroup]:
    """Groups from (title, citations) in order, each work's full reference given once."""
    printed: dict[tuple[str, ...], list[str]] = {}  # work -> its first, full citation
    groups: list[SourceGroup] = []
    for title, citations in cited:
        group = SourceGroup(title)
        for citation in citations:
            text = " ".join(citation.split())
            if not text:
                continue
            split = sentences(text)
            key = tuple(split[:KEY_SENTENCES]) if len(split) >= KEY_SENTENCES else (text,)
            first = printed.setdefault(key, split)
            if first is not split and len(key) == KEY_SENTENCES:
                shared = 0
                while shared < min(len(first), len(split)) and first[shared] == split[shared]:
                    shared += 1
                text = " ".join([split[0], *split[shared:]])  # author and year, then the note
            if text not in group.sources:
                group.sources.append(text)
        if group.sources:
            groups.append(group)
    return groups
