"""Sessions that run several times: one workshop held for group 1, 2, 3 and 4.

A programme writes each time a session runs as a session of its own, with its
own day, clock time and place (``tyopaja-1`` … ``tyopaja-4``). Printed material
shows such a session once, with all its dates. Two sessions of a programme are
the same session run again when

- their agendas are the same, item for item, and not empty,
- they are of the same kind, last as long and name the same outputs, and
- their titles are the same once a trailing number is taken off, together with
  a short word before it after a comma, a colon or a dash ("Kohtaamisen työpaja,
  ryhmä 2" and "Kohtaamisen työpaja, ryhmä 3"; "Mentorikahvila 4"; "Loppukeskustelut,
  osa 1").

Day, start time, place, facilitator and group size may differ from one run to
the next; each run keeps its own. Sessions with the same agenda and different
titles (an assignment for mentors and the same assignment for newcomers) stay
apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..plan import PlannedSession

# ", ryhmä 2", " – osa 3", ": 4", " 5", " (6)" at the end of a title
_TRAILING_NUMBER = re.compile(r"\s*(?:[,:;–—(-]\s*(?:\w+\s+)?)?\(?\d+\)?\s*$")


def title_stem(title: str) -> str:
    """The title without its trailing run number ("Työpaja, ryhmä 2" -> "Työpaja")."""
    stem = _TRAILING_NUMBER.sub("", title).strip()
    return stem or title.strip()


@dataclass(frozen=True)
class SessionGroup:
    """One session as it is printed: run once, or several times with the same agenda."""

    runs: tuple[PlannedSession, ...]  # in programme order; the first stands for all

    @property
    def first(self) -> PlannedSession:
        return self.runs[0]

    @property
    def repeated(self) -> bool:
        return len(self.runs) > 1

    @property
    def title(self) -> str:
        """The session's title, without the run number when it runs several times."""
        title = self.first.session.title
        return title_stem(title) if self.repeated else title

    @property
    def session_ids(self) -> list[str]:
        return [planned.session.id for planned in self.runs]


def _signature(planned: PlannedSession) -> tuple[object, ...] | None:
    session = planned.session
    if not session.items:
        return None
    return (
        session.kind,
        planned.minutes,
        tuple(session.outputs),
        tuple(item.model_dump_json() for item in session.items),
        title_stem(session.title).casefold(),
    )


def session_groups(sessions: Sequence[PlannedSession]) -> list[SessionGroup]:
    """The sessions of a programme grouped by repeats, in the order they first run."""
    groups: dict[object, list[PlannedSession]] = {}
    for planned in sessions:
        signature = _signature(planned)
        key: object = signature if signature is not None else ("single", planned.session.id)
        groups.setdefault(key, []).append(planned)
    return [SessionGroup(tuple(runs)) for runs in groups.values()]
