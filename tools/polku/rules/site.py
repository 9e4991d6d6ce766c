"""P403–P405, P409: what the programmes of one site share: its language and the files they write."""

from __future__ import annotations

from collections.abc import Iterator

from .. import paths
from ..curriculum import Loc
from ..diagnostics import Severity
from ..model import Programme
from ..plan import OWN_RUN, calendar_clashes, calendar_name, calendar_owner, calendar_paths
from .context import Context
from .registry import Finding, rule

ERROR = Severity.ERROR


@rule(
    "P403",
    ERROR,
    "Programmes of different languages",
    """
    A site speaks one language: its interface labels, search and hyphenation follow the
    programmes' `language`. Give every programme of the site the same `language`, or
    publish the programmes of another language as a site of their own.
    """,
)
def one_language(context: Context) -> Iterator[Finding]:
    languages: dict[str, str] = {}  # language -> first programme that speaks it
    for programme, source in context.programmes():
        if languages and programme.language not in languages:
            first_language, first_id = next(iter(languages.items()))
            yield context.at(
                source,
                ("language",),
                f"language '{programme.language}' differs from programme '{first_id}' "
                f"('{first_language}'); one site speaks one language",
            )
        languages.setdefault(programme.language, programme.id)


@rule(
    "P404",
    ERROR,
    "A cohort has the id of a role",
    """
    Each cohort and each role of a dated programme gets a calendar file,
    `calendars/<programme>-<id>.ics`, so a cohort and a role with the same id would write
    one file. Rename the cohort.
    """,
)
def cohorts_are_not_roles(context: Context) -> Iterator[Finding]:
    for programme, source in context.programmes():
        role_ids = {r.id for r in programme.roles}
        for index, cohort in enumerate(programme.cohorts):
            if cohort.id in role_ids:
                yield context.at(
                    source,
                    ("cohorts", index, "id"),
                    f"cohort id '{cohort.id}' is also a role id, and both would get the "
                    f"calendar calendars/{programme.id}-{cohort.id}.ics; rename the cohort",
                )


def written_files(programme: Programme) -> dict[str, tuple[str, str]]:
    """Files of a programme whose names join its id and another id -> (what, id).

    ``what`` is 'run' (its own start date or a cohort) or 'role': a calendar of each,
    and a "programme at a glance" PDF of the programme and of each cohort.
    """
    found = calendar_paths(programme)
    if programme.phases:
        found.setdefault(paths.glance(programme.id), ("run", OWN_RUN))
        for cohort in programme.cohorts:
            found.setdefault(paths.glance(programme.id, cohort.id), ("run", cohort.id))
    return found


@rule(
    "P405",
    ERROR,
    "Two programmes write the same file",
    """
    Calendar files and "at a glance" PDFs are named by joining ids with hyphens:
    programme `a-b` and cohort (or role) `c` of programme `a-b`, and cohort `b-c` of
    programme `a`, both give `calendars/a-b-c.ics`. Rename the cohort, the role or one of
    the programmes. Each clash is reported once, at the second programme.
    """,
)
def programmes_write_their_own_files(context: Context) -> Iterator[Finding]:
    owners: dict[str, str] = {}  # file -> the first programme that writes it
    for programme, source in context.programmes():
        reported: set[Loc] = set()
        for path, (what, ident) in written_files(programme).items():
            first = owners.setdefault(path, programme.id)
            if first == programme.id:
                continue
            loc, thing = calendar_owner(programme, what, ident)
            if loc in reported:
                continue  # the same two ids clash in another file too
            reported.add(loc)
            fix = (
                f"rename this {thing} or one of the programmes"
                if thing
                else ("rename one of the programmes")
            )
            yield context.at(source, loc, f"programme '{first}' already writes {path}; {fix}")


@rule(
    "P409",
    ERROR,
    "Two calendars of one programme get the same name",
    """
    A cohort's role calendars are named `calendars/<programme>-<cohort>-<role>.ics`, so
    cohort `syksy` with role `hr` and a cohort or role `syksy-hr` would write one file.
    Rename one of them.
    """,
)
def calendars_have_their_own_names(context: Context) -> Iterator[Finding]:
    for programme, source in context.programmes():
        for path, first, second in calendar_clashes(programme):
            if first[0] == "run" and second[0] == "role" and first[1] == second[1]:
                continue  # a cohort with a role's id: P404
            loc, _thing = calendar_owner(programme, *second)
            yield context.at(
                source,
                loc,
                f"{calendar_name(*second)} and {calendar_name(*first)} would both be "
                f"written to {path}, because calendar names join ids with hyphens; "
                "rename one of them",
            )
