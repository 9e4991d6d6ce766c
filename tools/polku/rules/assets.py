"""P6xx: links in Markdown lead to files inside the curriculum; handouts have their content."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Severity
from ..reading.assets import ALLOWED_TYPES_TEXT, ASSET_TYPES
from .context import Context
from .links import LinkProblem
from .registry import Finding, rule

ERROR = Severity.ERROR


def _links(context: Context, problem: LinkProblem) -> Iterator[tuple[Finding, str]]:
    for link in context.links:
        if link.problem is problem:
            yield Finding(link.path, link.line, link.column, ""), link.target


@rule(
    "P608",
    ERROR,
    "A link is an absolute path or a file on the author's computer",
    """
    Images and attachments are linked with a path from the file the link is written in,
    so that they are published with the site and found wherever it is served: from a
    module, `../assets/name.png`. A path from the server's root (`/images/x.png`), a
    `file:` address or a drive letter leads somewhere else for every reader. Copy the file
    into `curriculum/assets/` and link it with a relative path; link a page elsewhere with
    its full address (`https://...`).
    """,
)
def links_are_relative(context: Context) -> Iterator[Finding]:
    for at, target in _links(context, LinkProblem.NOT_RELATIVE):
        yield _say(
            at,
            f"'{target}' is not a path from this file; copy the file into curriculum/assets/ "
            "and link it as '../assets/NAME' (from a module), or link a page elsewhere with "
            "its full address (https://...)",
        )


@rule(
    "P601",
    ERROR,
    "A link is not a usable path",
    """
    A relative link or image in Markdown (`body`, `instructions`, `facilitator_notes`,
    `answer`, `definition`, a sibling `.md` body) is a path from the file it is written
    in; this one cannot be followed at all (a symbolic link that loops, for one). Write a
    plain path such as `../assets/name.png`.
    """,
)
def links_are_paths(context: Context) -> Iterator[Finding]:
    for at, target in _links(context, LinkProblem.UNUSABLE):
        yield _say(
            at, f"'{target}' is not a usable path; write a path such as '../assets/name.png'"
        )


@rule(
    "P602",
    ERROR,
    "A link leads outside curriculum/",
    """
    polku publishes only what is inside `curriculum/`, so a link that leaves it (with
    `..`, or through a symbolic link) would break on the site and could publish a file
    that was never meant to be. Copy the file into `curriculum/assets/` and link it from
    there: from a module, `../assets/name.png`.
    """,
)
def links_stay_inside(context: Context) -> Iterator[Finding]:
    for at, target in _links(context, LinkProblem.OUTSIDE):
        yield _say(
            at,
            f"'{target}' points outside curriculum/; keep images and attachments "
            "in curriculum/assets/",
        )


@rule(
    "P603",
    ERROR,
    "A link leads to a file that does not exist",
    """
    A relative link or image leads to no file. Paths go from the file the link is written
    in: from a module, `../assets/name.png` is `curriculum/assets/name.png`. Fix the path
    or add the file.
    """,
)
def linked_files_exist(context: Context) -> Iterator[Finding]:
    for at, target in _links(context, LinkProblem.MISSING):
        yield _say(
            at,
            f"'{target}' does not exist; check the path (from a module: '../assets/name.png')",
        )


def _say(at: Finding, message: str) -> Finding:
    return Finding(at.path, at.line, at.column, message)


# --- handouts ------------------------------------------------------------------------------


@rule(
    "P604",
    ERROR,
    "A handout has both a body and a file, or neither",
    """
    A handout is either text that polku prints (`body`, or a sibling `<id>.md` beside the
    handout's file) or a ready file that it links (`file`, under `curriculum/assets/`):
    exactly one of the two. Remove one, or add the missing content.
    """,
)
def handouts_have_one_content(context: Context) -> Iterator[Finding]:
    for handout in context.curriculum.handouts.values():
        source = context.source("handout", handout.id)
        body_file = context.curriculum.body_files.get(("handout", handout.id))
        if handout.body is not None and handout.file is not None:
            where = f" (in '{posixpath.basename(body_file)}')" if body_file else ""
            yield context.at(
                source,
                ("file",),
                f"handout '{handout.id}' has both a body{where} and a file; keep one of them: "
                "a body polku prints, or a file it links",
                key=True,
            )
        elif handout.body is None and handout.file is None:
            yield context.at(
                source,
                ("id",),
                f"handout '{handout.id}' has neither a body nor a file; write its text in "
                f"'body' (or in '{handout.id}.md' beside this file), or link a ready file "
                "with 'file: ../assets/NAME.pdf'",
            )


def _handout_files(context: Context) -> Iterator[tuple[Finding, str, Path | None]]:
    """(where, file as written, the file resolved or None) of every handout's ``file``."""
    root = context.curriculum.root
    for handout in context.curriculum.handouts.values():
        if handout.file is None:
            continue
        source = context.source("handout", handout.id)
        try:
            resolved: Path | None = ((root / source.path).parent / handout.file).resolve()
        except (ValueError, OSError, RuntimeError):  # a NUL byte, a symbolic link loop
            resolved = None
        yield context.at(source, ("file",), ""), handout.file, resolved


def _assets(context: Context) -> Path:
    return context.curriculum.curriculum_dir / "assets"


@rule(
    "P605",
    ERROR,
    "A handout's file leaves curriculum/assets/",
    """
    A handout's `file` is published from `curriculum/assets/`, and only from there.
    Move the file into `curriculum/assets/` and write its path from the handout:
    `file: ../assets/name.pdf`.
    """,
)
def handout_files_in_assets(context: Context) -> Iterator[Finding]:
    assets = _assets(context)
    for at, file, resolved in _handout_files(context):
        if resolved is not None and not resolved.is_relative_to(assets):
            yield _say(
                at,
                f"'{file}' is not in curriculum/assets/; put the file there and write "
                "'file: ../assets/NAME'",
            )


@rule(
    "P606",
    ERROR,
    "A handout's file does not exist",
    """
    A handout's `file` is a path from the handout's own file to a file in
    `curriculum/assets/`: `../assets/name.pdf`. Fix the path or add the file.
    """,
)
def handout_files_exist(context: Context) -> Iterator[Finding]:
    assets = _assets(context)
    for at, file, resolved in _handout_files(context):
        if resolved is None or (resolved.is_relative_to(assets) and not resolved.is_file()):
            yield _say(
                at,
                f"'{file}' does not exist; check the path (from a handout: '../assets/name.pdf')",
            )


@rule(
    "P607",
    ERROR,
    "A handout's file is not of a type polku publishes",
    f"""
    polku publishes from `curriculum/assets/` only {ALLOWED_TYPES_TEXT}; a handout's `file`
    of any other type (a web page, a Markdown file) would lead nowhere. Save the handout
    as a PDF or an office document, or write its text as the handout's body.
    """,
)
def handout_files_are_published(context: Context) -> Iterator[Finding]:
    for at, file, _resolved in _handout_files(context):
        suffix = posixpath.splitext(file)[1].lower().lstrip(".")
        if suffix not in ASSET_TYPES:
            yield _say(
                at,
                f"'{file}' is not of a type polku publishes; a handout's file can be "
                f"{ALLOWED_TYPES_TEXT}",
            )
