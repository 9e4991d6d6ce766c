"""The bad-input corpus: broken curricula, one case each, with every line `polku check` prints.

Each case changes one thing in a copy of tests/fixtures/hardening (a frozen copy of the
small example curriculum, so that line numbers here stay right) and lists the exact
diagnostics, ``PATH:LINE:COL: error: message that says how to fix it``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROGRAMME = "curriculum/programmes/perehdytys.yml"
KOHTAAMINEN = "curriculum/modules/kohtaaminen.yml"
VALMENNUS = "curriculum/modules/valmennus.yml"
VALMENNUS_MD = "curriculum/modules/valmennus.md"
GROW = "curriculum/methods/grow.yml"
GLOSSARY = "curriculum/glossary.yml"
HANDOUT = "curriculum/handouts/roolikortti.yml"


@dataclass(frozen=True)
class Case:
    name: str
    path: str  # the file the case changes, relative to the project
    change: Callable[[Path, str], None]
    expected: tuple[str, ...]  # every diagnostic, exactly as printed


def replace(old: str, new: str) -> Callable[[Path, str], None]:
    def change(project: Path, rel: str) -> None:
        path = project / rel
        text = path.read_text("utf-8")
        assert text.count(old) == 1, f"{old!r} is not once in {rel}"
        path.write_text(text.replace(old, new), "utf-8")

    return change


def append(extra: str) -> Callable[[Path, str], None]:
    def change(project: Path, rel: str) -> None:
        path = project / rel
        path.write_text(path.read_text("utf-8") + extra, "utf-8")

    return change


def write(text: str | bytes) -> Callable[[Path, str], None]:
    def change(project: Path, rel: str) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, "utf-8")

    return change


def transcode(encoding: str, prefix: bytes = b"") -> Callable[[Path, str], None]:
    def change(project: Path, rel: str) -> None:
        path = project / rel
        path.write_bytes(prefix + path.read_text("utf-8").encode(encoding, errors="replace"))

    return change


def symlink(target: str) -> Callable[[Path, str], None]:
    """Make ``rel`` a symbolic link; a relative target is taken from the project folder."""

    def change(project: Path, rel: str) -> None:
        path = project / rel
        if path.exists() or path.is_symlink():
            path.unlink()
        resolved = Path(target) if target.startswith("/") else project / target
        path.symlink_to(resolved)

    return change


def folder(project: Path, rel: str) -> None:
    path = project / rel
    if path.exists():
        path.unlink()
    path.mkdir()
    (path / "x.yml").write_text("id: x\n", "utf-8")


def loop(project: Path, rel: str) -> None:
    """A symbolic link to itself, which no path can follow to the end."""
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(path.name)


def fifo(project: Path, rel: str) -> None:
    os.mkfifo(project / rel)


def sparse(size: int) -> Callable[[Path, str], None]:
    """A file of ``size`` bytes that takes no room on disk."""

    def change(project: Path, rel: str) -> None:
        with (project / rel).open("wb") as handle:
            handle.truncate(size)

    return change


def many_files(count: int) -> Callable[[Path, str], None]:
    """A folder ``rel`` of ``count`` small pictures."""

    def change(project: Path, rel: str) -> None:
        (project / rel).mkdir()
        for number in range(count):
            (project / rel / f"{number:05}.png").write_bytes(b"")

    return change


def linked_folder(target: str) -> Callable[[Path, str], None]:
    """Replace the folder ``rel`` with a symbolic link to ``target``."""

    def change(project: Path, rel: str) -> None:
        shutil.rmtree(project / rel)
        (project / rel).symlink_to(target)

    return change


def both(*changes: tuple[str, Callable[[Path, str], None]]) -> Callable[[Path, str], None]:
    def change(project: Path, _rel: str) -> None:
        for rel, step in changes:
            step(project, rel)

    return change


def laughs(levels: int = 9) -> str:
    """The classic alias bomb: ten to the ninth strings from a few hundred bytes."""
    lines = ["id: valmennus", "title: Pommi", 'a0: &a0 ["lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


P, K, V, VM, G, GL = PROGRAMME, KOHTAAMINEN, VALMENNUS, VALMENNUS_MD, GROW, GLOSSARY
H = HANDOUT
ID_HINT = (
    "use lowercase letters a-z, digits and hyphens, starting with a letter or digit "
    "(for example 'active-listening')"
)
ASSET_TYPES = (
    "images (png, jpg, jpeg, gif, webp, avif, svg), PDF, office documents (doc, docx, xls, "
    "xlsx, ppt, pptx, odt, ods, odp, rtf, txt, csv) and audio or video (mp3, m4a, ogg, oga, wav, "
    "mp4, webm, ogv)"
)
DURATION_HINT = "write it as 90min, 1h, 1h 30min or a number of minutes"
PROGRAMME_KEYS = (
    "id, title, language, summary, audience, outcomes, start_date, workdays_only, holidays, "
    "timezone, cohorts, roles, phases, checklist"
)

CASES: list[Case] = [
    # --- YAML syntax ------------------------------------------------------------------
    Case(
        "tab-indentation",
        P,
        replace("  - id: hr\n", "\t- id: hr\n"),
        (f"{P}:15:1: error: a tab character cannot indent YAML; indent with spaces",),
    ),
    Case(
        "bad-indentation",
        P,
        replace("        kind: contact", "       kind: contact"),
        (
            f"{P}:23:8: error: this line is indented differently from the lines before it; "
            "indent it like the other keys or items of the same level (with spaces)",
        ),
    ),
    Case(
        "unclosed-double-quote",
        P,
        replace('start: "09:00"', 'start: "09:00'),
        (f"{P}:25:16: error: this quoted text is not closed; add the closing quote",),
    ),
    Case(
        "unclosed-single-quote",
        K,
        replace("summary: Miten", "summary: 'Miten"),
        (f"{K}:3:10: error: this quoted text is not closed; add the closing quote",),
    ),
    Case(
        "unclosed-flow-list",
        P,
        replace("outputs: [Oma tavoite]", "outputs: [Oma tavoite"),
        (
            f"{P}:31:14: error: the '[' opened at line 30, column 18 is not closed where "
            "expected; add the ']', and put an item that contains ',', ':' or '#' in quotes",
        ),
    ),
    Case(
        "duplicate-key",
        P,
        replace("        kind: contact\n", "        kind: contact\n        kind: remote\n"),
        (f"{P}:24:9: error: key 'kind' is given twice in this mapping; keep one of them",),
    ),
    Case(
        "duplicate-top-level-key",
        G,
        append("title: Toinen otsikko\n"),
        (f"{G}:11:1: error: key 'title' is given twice in this mapping; keep one of them",),
    ),
    Case(
        "colon-in-plain-text",
        K,
        replace("summary: Miten kohtaat", "summary: Huom: miten kohtaat"),
        (
            f"{K}:3:14: error: YAML syntax error: a ':' where it is not allowed; check the "
            "indentation, or quote a text that contains ': '",
        ),
    ),
    Case(
        "two-documents",
        G,
        append("---\nid: toinen\n"),
        (
            f"{G}:11:1: error: a curriculum file holds one YAML document; remove the '---' or "
            "'...' line and what follows it, or move that into a file of its own",
        ),
    ),
    Case(
        "yaml-1-1-directive",
        G,
        replace("id: grow\n", "%YAML 1.1\n---\nid: grow\n"),
        (f"{G}:1:1: error: polku reads YAML 1.2, not 1.1; remove the line '%YAML 1.1'",),
    ),
    Case(
        "undefined-alias",
        G,
        replace("sources: [Whitmore", "sources: [*lahde, Whitmore"),
        (
            f"{G}:10:11: error: YAML syntax error: found undefined alias 'lahde'; an alias "
            "'*name' needs an anchor '&name' earlier in the file, or write the value out",
        ),
    ),
    Case(
        "python-object-tag",
        K,
        replace("summary: Miten", "summary: !!python/object/apply:os.system [Miten"),
        (
            f"{K}:3:10: error: the tag '!!python/object/apply:os.system' is not allowed in a "
            "curriculum file; remove it (write plain text, numbers, lists and 'key: value' lines)",
        ),
    ),
    Case(
        "custom-tag",
        G,
        replace("summary: Neljän", "summary: !include Neljän"),
        (
            f"{G}:3:10: error: the tag '!include' is not allowed in a curriculum file; remove "
            "it (write plain text, numbers, lists and 'key: value' lines)",
        ),
    ),
    Case(
        "merge-key",
        P,
        replace(
            "  - id: mentori\n    title: Mentori\n",
            "  - &mentori\n    id: mentori\n    title: Mentori\n  - <<: *mentori\n    id: toinen\n",
        ),
        (
            f"{P}:16:5: error: merge keys ('<<') are not part of YAML 1.2; write the keys "
            "out in full",
        ),
    ),
    # --- encodings and characters -------------------------------------------------------
    Case(
        "latin-1-byte",
        P,
        transcode("latin-1"),
        (f"{P}:7:26: error: byte 0xf6 is not UTF-8; save the file as UTF-8 text",),
    ),
    Case(
        "utf-16-file",
        G,
        transcode("utf-16"),
        (f"{G}:1:1: error: byte 0xff is not UTF-8; save the file as UTF-8 text",),
    ),
    Case(
        "nul-byte",
        K,
        replace("Miten kohtaat", "Miten\x00kohtaat"),
        (
            f"{K}:3:15: error: the control character U+0000 (NUL) is not allowed here; "
            "delete it (it often comes with text copied from another program)",
        ),
    ),
    Case(
        "escape-control-character",
        K,
        replace("summary: Miten kohtaat asiakkaan", 'summary: "Miten \\e[2J kohtaat" #'),
        (
            f"{K}:3:10: error: this text contains the control character U+001B (ESC); remove "
            "the escape ('\\' code) from the quoted text",
        ),
    ),
    Case(
        "escape-lone-surrogate",
        G,
        replace("title: GROW-malli", 'title: "GROW \\ud800"'),
        (
            f"{G}:2:8: error: this text contains the escape for U+D800, which is not a "
            "character; remove the escape ('\\' code) from the quoted text",
        ),
    ),
    Case(
        "non-utf8-markdown-body",
        VM,
        transcode("latin-1"),
        (f"{VM}:1:7: error: byte 0xe4 is not UTF-8; save the file as UTF-8 text",),
    ),
    # --- empty files and wrong shapes ------------------------------------------------------
    Case(
        "empty-programme",
        P,
        write(""),
        (f"{P}:1:1: error: the file is empty; a programme file needs at least 'id', 'title'",),
    ),
    Case(
        "comments-only-module",
        K,
        write("# kesken\n"),
        (f"{K}:1:1: error: the file is empty; a module file needs at least 'id', 'title'",),
    ),
    Case(
        "list-at-top",
        G,
        write("- id: grow\n- title: GROW-malli\n"),
        (
            f"{G}:1:1: error: expected a mapping of 'key: value' lines at the top of the file, "
            "found a list",
        ),
    ),
    Case(
        "text-at-top",
        G,
        write("GROW-malli on neljän vaiheen keskustelurunko.\n"),
        (
            f"{G}:1:1: error: expected a mapping of 'key: value' lines at the top of the file, "
            "found 'GROW-malli on neljän vaiheen keskustelu…'",
        ),
    ),
    Case(
        "list-where-mapping-expected",
        K,
        replace(
            "  - id: nelja-minuuttia\n    text: Osaat käyttää neljän minuutin sääntöä.\n",
            "  - Osaat käyttää neljän minuutin sääntöä.\n",
        ),
        (
            f"{K}:6:5: error: outcomes: expected a mapping of 'key: value' lines, found "
            "'Osaat käyttää neljän minuutin sääntöä.'",
        ),
    ),
    Case(
        "text-where-list-expected",
        V,
        replace("prerequisites: [kohtaaminen]", "prerequisites: kohtaaminen"),
        (
            f"{V}:5:16: error: prerequisites: expected a list, found 'kohtaaminen'; "
            "write one '- item' per line",
        ),
    ),
    # --- wrong types -------------------------------------------------------------------------
    Case(
        "title-is-a-list",
        G,
        replace("title: GROW-malli", "title: [GROW, malli]"),
        (f"{G}:2:8: error: title: expected text, found a list",),
    ),
    Case(
        "workdays-only-is-no",
        P,
        replace("start_date: 2027-01-11\n", "start_date: 2027-01-11\nworkdays_only: no\n"),
        (
            f"{P}:10:16: error: workdays_only: expected true or false, found 'no' (in YAML 1.2 "
            "that is text, not a yes or no)",
        ),
    ),
    Case(
        "title-is-a-boolean",
        G,
        replace("title: GROW-malli", "title: true"),
        (f"{G}:2:8: error: title: expected text, found 'true' (true/false)",),
    ),
    Case(
        "title-is-empty",
        G,
        replace("title: GROW-malli", "title:"),
        (f"{G}:2:1: error: title: expected text, found nothing (an empty value)",),
    ),
    Case(
        "definition-is-empty-on-the-last-line",
        GL,
        append("  - term: Tyhjä\n    definition:\n"),
        (f"{GL}:8:5: error: definition: expected text, found nothing (an empty value)",),
    ),
    Case(
        "title-is-empty-but-for-a-comment",
        G,
        replace("title: GROW-malli", "title:   # kesken"),
        (f"{G}:2:7: error: title: expected text, found nothing (an empty value)",),
    ),
    Case(
        "day-is-a-fraction",
        P,
        replace("day: 6", "day: 1.5"),
        (f"{P}:43:14: error: day: expected a whole number, found the number 1.5",),
    ),
    Case(
        "day-is-a-boolean",
        P,
        replace("day: 6", "day: true"),
        (f"{P}:43:14: error: day: expected a whole number such as 1 or -3, found 'true'",),
    ),
    Case(
        "day-is-not-a-number",
        P,
        replace("day: 6", "day: .nan"),
        (f"{P}:43:14: error: day: expected a whole number, found the number nan",),
    ),
    Case(
        "answer-lines-is-text",
        K,
        replace("answer_lines: 4", "answer_lines: neljä"),
        (f"{K}:38:19: error: answer_lines: expected a whole number, found 'neljä'",),
    ),
    Case(
        "huge-number",
        P,
        replace("day: 6", "day: 99999999999999999999999999"),
        (
            f"{P}:43:14: error: the number 99999999999999999999999999 is too long; write a "
            "smaller number, or put the value in quotes if it is text",
        ),
    ),
    Case(
        "language-not-supported",
        P,
        replace("language: fi", "language: de"),
        (f"{P}:3:11: error: language: 'de' is not allowed; use one of fi, sv, en",),
    ),
    Case(
        "session-kind-typo",
        P,
        replace("kind: contact", "kind: contakt"),
        (
            f"{P}:23:15: error: kind: 'contakt' is not allowed; use one of contact, remote, "
            "self-study, mentoring, assignment; did you mean 'contact'?",
        ),
    ),
    Case(
        "activity-type-typo",
        V,
        replace("type: reflection", "type: reflektion"),
        (
            f"{V}:21:11: error: type: 'reflektion' is not allowed; use one of exercise, "
            "reflection, reading, discussion, self-check; did you mean 'reflection'?",
        ),
    ),
    Case(
        "unknown-holiday-country",
        P,
        replace("start_date: 2027-01-11\n", "start_date: 2027-01-11\nholidays: XX\n"),
        (
            f"{P}:10:11: error: 'XX' is not a country code with known public holidays; "
            "write a two-letter code such as FI, SE or DE (P401)",
        ),
    ),
    Case(
        "unknown-time-zone",
        P,
        replace(
            "start_date: 2027-01-11\n", "start_date: 2027-01-11\ntimezone: Europe/Helsingfors\n"
        ),
        (
            f"{P}:10:11: error: 'Europe/Helsingfors' is not a time zone; write an IANA time "
            "zone name such as Europe/Helsinki; did you mean 'Europe/Helsinki'? (P402)",
        ),
    ),
    # --- unknown and missing keys ------------------------------------------------------------
    Case(
        "near-miss-key",
        P,
        replace('        start: "09:00"', '        strat: "09:00"'),
        (f"{P}:25:9: error: unknown key 'strat'; did you mean 'start'?",),
    ),
    Case(
        "capitalised-key",
        G,
        replace("title: GROW-malli", "Title: GROW-malli"),
        (
            f"{G}:1:1: error: missing required key 'title' in this method file; add 'title: ...'",
            f"{G}:2:1: error: unknown key 'Title'; did you mean 'title'?",
        ),
    ),
    Case(
        "unknown-key",
        P,
        replace("audience: Uudet valmentajat.", "budget: 1000"),
        (f"{P}:5:1: error: unknown key 'budget'; allowed keys: {PROGRAMME_KEYS}",),
    ),
    Case(
        "missing-module-title",
        K,
        replace("title: Asiakkaan kohtaaminen\n", ""),
        (f"{K}:1:1: error: missing required key 'title' in this module file; add 'title: ...'",),
    ),
    Case(
        "missing-activity-type",
        V,
        replace("    type: exercise\n", ""),
        (f"{V}:11:5: error: missing required key 'type' in this activity; add 'type: ...'",),
    ),
    Case(
        "missing-session-day",
        P,
        replace("        day: 6\n", ""),
        (f"{P}:40:9: error: missing required key 'day' in this session; add 'day: ...'",),
    ),
    # --- ids, files and folders --------------------------------------------------------------
    Case(
        "id-not-file-name",
        G,
        replace("id: grow", "id: grow-malli"),
        (
            f"{G}:1:5: error: id 'grow-malli' does not match the file name 'grow.yml'; "
            "rename the file to 'grow-malli.yml' or set 'id: grow'",
        ),
    ),
    Case(
        "uppercase-id",
        P,
        replace("  - id: mentori\n", "  - id: Mentori\n"),
        (f"{P}:13:9: error: id: 'Mentori' is not a valid id; {ID_HINT}",),
    ),
    Case(
        "yaml-extension",
        "curriculum/methods/smart.yaml",
        write("id: smart\ntitle: SMART\n"),
        (
            "curriculum/methods/smart.yaml:1:1: error: curriculum files end in .yml; "
            "rename it to 'smart.yml'",
        ),
    ),
    Case(
        "folder-named-like-a-file",
        "curriculum/methods/smart.yml",
        folder,
        (
            "curriculum/methods/smart.yml:1:1: error: 'smart.yml' is a folder, not a file; "
            "rename the folder so that its name does not end in '.yml'",
        ),
    ),
    Case(
        "broken-symbolic-link",
        "curriculum/methods/smart.yml",
        symlink("curriculum/methods/poistettu.yml"),
        (
            "curriculum/methods/smart.yml:1:1: error: a broken symbolic link; remove it or "
            "point it at a file",
        ),
    ),
    Case(
        "file-name-with-terminal-escape",
        "curriculum/methods/\x1b[31mpuna.yml",
        write("id: puna\ntitle: Punainen\n"),
        (
            "curriculum/methods/\\x1b[31mpuna.yml:1:1: error: the file name has a control "
            "character or bytes that are not UTF-8; rename the file (ids use the letters a-z, "
            "digits and hyphens)",
        ),
    ),
    Case(
        "named-pipe",
        "curriculum/methods/smart.yml",
        fifo,
        (
            "curriculum/methods/smart.yml:1:1: error: not a regular file (a pipe or a device); "
            "replace it with a text file",
        ),
    ),
    Case(
        "module-file-links-outside",
        "curriculum/modules/salaisuus.yml",
        symlink("mkdocs.yml"),
        (
            "curriculum/modules/salaisuus.yml:1:1: error: a symbolic link to "
            "'{project}/mkdocs.yml', outside curriculum/; polku publishes only files "
            "inside curriculum/, so copy the file here instead of linking to it",
        ),
    ),
    Case(
        "body-file-links-outside",
        VM,
        symlink("docs/ohje.md"),
        (
            f"{VM}:1:1: error: a symbolic link to '{{project}}/docs/ohje.md', outside "
            "curriculum/; polku publishes only files inside curriculum/, so copy the file here "
            "instead of linking to it",
        ),
    ),
    Case(
        "file-over-size-limit",
        G,
        append("# " + "x" * 500_000 + "\n"),
        (
            f"{G}:1:1: error: the file is 500,307 bytes, over the limit of 500,000; "
            "split it into smaller files",
        ),
    ),
    # --- files that are not read -------------------------------------------------------------
    Case(
        "module-in-a-subfolder",
        "curriculum/modules/lisat/lisa.yml",
        write("id: lisa\ntitle: Lisä\n"),
        (
            "curriculum/modules/lisat:1:1: warning: the folder 'lisat' is not read: polku reads "
            "only the files directly in modules/; move its files up into modules/",
        ),
    ),
    Case(
        "body-with-an-upper-case-ending",
        "curriculum/modules/kohtaaminen.MD",
        write("# Kohtaaminen\n"),
        (
            "curriculum/modules/kohtaaminen.MD:1:1: error: a body file ends in .md; rename it to "
            "'kohtaaminen.md'",
        ),
    ),
    Case(
        "markdown-beside-a-programme",
        "curriculum/programmes/perehdytys.md",
        write("# Perehdytys\n"),
        (
            "curriculum/programmes/perehdytys.md:1:1: warning: this Markdown file is not read: a "
            "programme has no body file; put the text in a module or a handout, or remove the "
            "file",
        ),
    ),
    Case(
        "markdown-beside-a-method-card",
        "curriculum/methods/grow.md",
        write("# GROW\n"),
        (
            "curriculum/methods/grow.md:1:1: warning: this Markdown file is not read: a method "
            "card has no body file; put the text in a module or a handout, or remove the file",
        ),
    ),
    Case(
        "other-file-in-a-kind-folder",
        "curriculum/methods/muistiinpanot.txt",
        write("muista\n"),
        (
            "curriculum/methods/muistiinpanot.txt:1:1: warning: 'muistiinpanot.txt' is not read: "
            "polku reads only <id>.yml files in methods/; images and attachments go in assets/",
        ),
    ),
    Case(
        "picture-in-the-modules-folder",
        "curriculum/modules/kaavio.png",
        write(b"\x89PNG"),
        (
            "curriculum/modules/kaavio.png:1:1: warning: 'kaavio.png' is not read: polku reads "
            "only <id>.yml files and their <id>.md bodies in modules/; images and attachments go "
            "in assets/",
        ),
    ),
    Case(
        "unknown-file-in-the-curriculum-folder",
        "curriculum/programme.yml",
        write("id: perehdytys\ntitle: Perehdytys\n"),
        (
            "curriculum/programme.yml:1:1: warning: 'programme.yml' is not read: polku reads "
            "programmes/, modules/, methods/, handouts/ and glossary.yml, and publishes the "
            "files in assets/; move it where it belongs or remove it; did you mean 'programmes/'?",
        ),
    ),
    Case(
        "unknown-folder-in-the-curriculum-folder",
        "curriculum/kuvat/kaavio.png",
        write(b"\x89PNG"),
        (
            "curriculum/kuvat:1:1: warning: 'kuvat/' is not read: polku reads programmes/, "
            "modules/, methods/, handouts/ and glossary.yml, and publishes the files in assets/; "
            "move it where it belongs or remove it",
        ),
    ),
    Case(
        "glossary-with-a-yaml-ending",
        "curriculum/glossary.yaml",
        write("terms: []\n"),
        (
            "curriculum/glossary.yaml:1:1: error: curriculum files end in .yml; rename it to "
            "'glossary.yml'",
        ),
    ),
    Case(
        "kind-folder-that-is-a-file",
        "curriculum/handouts",
        write("roolikortti\n"),
        (
            "curriculum/handouts:1:1: error: 'handouts' is a file; polku reads handouts from a "
            "folder of that name",
        ),
    ),
    Case(
        "handout-body-without-a-handout",
        "curriculum/handouts/roolipeli.md",
        write("# Roolipeli\n"),
        (
            "curriculum/handouts/roolipeli.md:1:1: warning: no handout 'roolipeli.yml' beside "
            "this body file, so it is not published; create 'roolipeli.yml' or move the text "
            "into the handout it belongs to",
        ),
    ),
    # --- values: durations, clock times, dates, days ------------------------------------------
    Case(
        "duration-in-words",
        P,
        replace("duration: 4h", "duration: 4 hours"),
        (f"{P}:26:19: error: duration: '4 hours' is not a duration; {DURATION_HINT}",),
    ),
    Case(
        "duration-zero",
        P,
        replace("break: 15min", "break: 0min"),
        (f"{P}:35:20: error: break: a duration must be longer than 0 minutes",),
    ),
    Case(
        "duration-as-fraction",
        P,
        replace("duration: 4h", "duration: 1.5"),
        (
            f"{P}:26:19: error: duration: a duration must be text like 90min, 1h, 1h 30min or "
            "a number of minutes",
        ),
    ),
    Case(
        "duration-too-long",
        V,
        replace("duration: 90min", "duration: 5000h"),
        (
            f"{V}:4:11: error: duration: a duration must be at most 1000h; split the work "
            "into several sessions or modules",
        ),
    ),
    Case(
        "clock-time-with-dot",
        P,
        replace('start: "09:00"', 'start: "9.00"'),
        (
            f"{P}:25:16: error: start: '9.00' is not a clock time; write a 24-hour time in "
            'quotes, e.g. "09:00"',
        ),
    ),
    Case(
        "clock-time-24",
        P,
        replace('start: "09:00"', 'start: "24:00"'),
        (
            f"{P}:25:16: error: start: '24:00' is not a clock time; write a 24-hour time in "
            'quotes, e.g. "09:00"',
        ),
    ),
    Case(
        "impossible-date",
        P,
        replace("start_date: 2027-01-11", "start_date: 2027-02-30"),
        (
            f"{P}:9:13: error: start_date: '2027-02-30' is not a date; write it as "
            "YYYY-MM-DD, e.g. 2027-01-11",
        ),
    ),
    Case(
        "date-with-time",
        P,
        replace("start_date: 2027-01-11", "start_date: 2027-01-11T09:00"),
        (
            f"{P}:9:13: error: start_date: '2027-01-11T09:00' is not a date; write it as "
            "YYYY-MM-DD, e.g. 2027-01-11",
        ),
    ),
    Case(
        "date-out-of-range",
        P,
        replace("start_date: 2027-01-11", "start_date: 9999-12-31"),
        (
            f"{P}:9:13: error: start_date: the year 9999 is out of range; write a date "
            "between 1900 and 2999",
        ),
    ),
    Case(
        "day-zero",
        P,
        replace("        day: 6", "        day: 0"),
        (
            f"{P}:43:14: error: day: day 0 does not exist: day 1 is the first day and day -1 "
            "the day before it",
        ),
    ),
    Case(
        "day-too-far",
        P,
        replace("day: -5", "day: -100000"),
        (
            f"{P}:48:10: error: day: day -100000 is too far from the start; programme days "
            "run from -1000 to 1000",
        ),
    ),
    Case(
        "overflowing-agenda",
        P,
        replace("duration: 4h", "duration: 1h"),
        (
            f"{P}:26:19: error: the agenda of session 'aloitus' takes 2h 5min but the session "
            "lasts 1h; shorten or remove items, or lengthen the session (P301)",
        ),
    ),
    Case(
        "agenda-item-with-two-kinds",
        P,
        replace("- break: 15min", "- break: 15min\n            module: valmennus"),
        (
            f"{P}:36:13: error: this agenda item has 'break' and 'module'; make it one item of "
            "each, or keep one key",
        ),
    ),
    Case(
        "agenda-item-kind-misspelt",
        P,
        replace("- module: valmennus", "- modul: valmennus"),
        (f"{P}:45:13: error: unknown key 'modul' in an agenda item; did you mean 'module'?",),
    ),
    Case(
        "agenda-item-of-no-kind",
        P,
        replace("- break: 15min", "- pause: 15min"),
        (
            f"{P}:35:13: error: an agenda item has exactly one of the keys module, activity, "
            "break or title (a free item: title and duration)",
        ),
    ),
    Case(
        "agenda-item-not-a-mapping",
        P,
        replace("- break: 15min", "- tauko"),
        (
            f"{P}:35:13: error: an agenda item has exactly one of the keys module, activity, "
            "break or title (a free item: title and duration), found 'tauko'",
        ),
    ),
    # --- references ----------------------------------------------------------------------------
    Case(
        "missing-module",
        P,
        replace("- module: kohtaaminen", "- module: kohtaamine"),
        (
            f"{P}:34:21: error: module 'kohtaamine' does not exist in curriculum/modules/; "
            "did you mean 'kohtaaminen'? (P104)",
        ),
    ),
    Case(
        "activity-of-missing-module",
        P,
        replace("activity: valmennus/tavoite", "activity: valmenus/tavoite"),
        (
            f"{P}:36:23: error: module 'valmenus' of activity 'valmenus/tavoite' does not exist "
            "in curriculum/modules/; did you mean 'valmennus'? (P105)",
        ),
    ),
    Case(
        "missing-activity",
        P,
        replace("activity: valmennus/tavoite", "activity: valmennus/tavoitteet"),
        (
            f"{P}:36:23: error: module 'valmennus' has no activity 'tavoitteet'; "
            "did you mean 'tavoite'? (P106)",
        ),
    ),
    Case(
        "activity-reference-without-module",
        P,
        replace("activity: valmennus/tavoite", "activity: tavoite"),
        (
            f"{P}:36:23: error: activity: 'tavoite' is not an activity reference; write it "
            "as module-id/activity-id",
        ),
    ),
    Case(
        "missing-facilitator-role",
        P,
        replace("facilitator: mentori", "facilitator: mentor"),
        (
            f"{P}:27:22: error: facilitator 'mentor' is not a role of this programme; "
            "did you mean 'mentori'? (P107)",
        ),
    ),
    Case(
        "missing-checklist-role",
        P,
        replace("  - role: mentori\n", "  - role: esihenkilo\n"),
        (f"{P}:50:11: error: role 'esihenkilo' is not a role of this programme (P108)",),
    ),
    Case(
        "missing-prerequisite",
        V,
        replace("prerequisites: [kohtaaminen]", "prerequisites: [kohtaamisen-perusteet]"),
        (
            f"{V}:5:17: error: prerequisite 'kohtaamisen-perusteet' is not a module; "
            "did you mean 'kohtaaminen'? (P101)",
        ),
    ),
    Case(
        "missing-method",
        V,
        replace("methods: [grow]", "methods: [grow-malli]"),
        (f"{V}:17:15: error: method 'grow-malli' has no card in curriculum/methods/ (P103)",),
    ),
    Case(
        "missing-outcome",
        V,
        replace(
            "    outcomes: [periaatteet]\n    methods", "    outcomes: [periaate]\n    methods"
        ),
        (
            f"{V}:16:16: error: outcome 'periaate' is not an outcome of module 'valmennus'; "
            "did you mean 'periaatteet'? (P102)",
        ),
    ),
    Case(
        "missing-glossary-term",
        GL,
        replace("see: [Ohjaus]", "see: [Ohjaaminen]"),
        (f"{GL}:4:11: error: see: term 'Ohjaaminen' is not in the glossary (P502)",),
    ),
    Case(
        "prerequisite-of-itself",
        V,
        replace("prerequisites: [kohtaaminen]", "prerequisites: [kohtaaminen, valmennus]"),
        (f"{V}:5:30: error: module 'valmennus' lists itself as a prerequisite (P201)",),
    ),
    Case(
        "prerequisite-cycle",
        K,
        replace("tags: [kohtaaminen", "prerequisites: [valmennus]\ntags: [kohtaaminen"),
        (
            f"{V}:5:17: error: prerequisites form a cycle: kohtaaminen → valmennus → "
            "kohtaaminen; remove one of these prerequisites (P202)",
            f"{P}:34:13: error: module 'kohtaaminen' is scheduled before its prerequisite "
            "'valmennus'; move it after the session that has 'valmennus' (P203)",
        ),
    ),
    Case(
        "scheduled-before-prerequisite",
        P,
        both(
            (P, replace("          - module: kohtaaminen\n", "")),
            (
                P,
                replace(
                    "          - module: valmennus\n",
                    "          - module: valmennus\n          - module: kohtaaminen\n",
                ),
            ),
        ),
        (
            f"{P}:35:13: error: module 'valmennus' is scheduled before its prerequisite "
            "'kohtaaminen'; move it after the session that has 'kohtaaminen' (P203)",
        ),
    ),
    Case(
        "mixed-languages",
        "curriculum/programmes/toinen.yml",
        write("id: toinen\ntitle: Andra programmet\nlanguage: sv\n"),
        (
            "curriculum/programmes/toinen.yml:3:11: error: language 'sv' differs from programme "
            "'perehdytys' ('fi'); one site speaks one language (P403)",
        ),
    ),
    # --- duplicate ids ---------------------------------------------------------------------------
    Case(
        "duplicate-activity-id",
        V,
        replace("  - id: pohdinta\n", "  - id: tavoite\n"),
        (
            f"{V}:20:9: error: activity id 'tavoite' is used twice; give each activity its own id "
            "(P701)",
        ),
    ),
    Case(
        "duplicate-session-id",
        P,
        replace("id: etatehtava", "id: aloitus"),
        (
            f"{P}:40:13: error: session id 'aloitus' is used twice in this programme; "
            "give each session its own id (P701)",
        ),
    ),
    Case(
        "duplicate-role-id",
        P,
        replace("    title: HR\n", "    title: HR\n  - id: hr\n    title: Henkilöstöhallinto\n"),
        (f"{P}:17:9: error: role id 'hr' is used twice; give each role its own id (P701)",),
    ),
    Case(
        "duplicate-glossary-term",
        GL,
        replace("  - term: Ohjaus\n", "  - term: valmennus\n"),
        (
            f"{GL}:4:11: error: see: term 'Ohjaus' is not in the glossary (P502)",
            f"{GL}:5:11: error: term 'valmennus' is defined twice; merge the definitions (P501)",
        ),
    ),
    # --- bodies and assets ----------------------------------------------------------------------
    Case(
        "body-given-twice",
        V,
        replace("tags: [valmennus]\n", "tags: [valmennus]\nbody: Lyhyt johdanto.\n"),
        (f"{V}:7:1: error: the body is given twice: here and in 'valmennus.md'; keep one of them",),
    ),
    Case(
        "image-from-the-server-s-root",
        K,
        replace("../assets/kaavio.png", "/assets/kaavio.png"),
        (
            f"{K}:15:13: error: '/assets/kaavio.png' is not a path from this file; copy the "
            "file into curriculum/assets/ and link it as '../assets/NAME' (from a module), or "
            "link a page elsewhere with its full address (https://...) (P608)",
        ),
    ),
    Case(
        "missing-image",
        K,
        replace("../assets/kaavio.png", "../assets/kaavio.svg"),
        (
            f"{K}:15:13: error: '../assets/kaavio.svg' does not exist; check the path "
            "(from a module: '../assets/name.png') (P603)",
        ),
    ),
    Case(
        "asset-path-leaves-curriculum",
        K,
        replace("../assets/kaavio.png", "../../mkdocs.yml"),
        (
            f"{K}:15:13: error: '../../mkdocs.yml' points outside curriculum/; keep images "
            "and attachments in curriculum/assets/ (P602)",
        ),
    ),
    Case(
        "asset-symlink-leaves-curriculum",
        "curriculum/assets/kaavio.png",
        symlink("/etc/passwd"),
        (
            "curriculum/assets/kaavio.png:1:1: error: a symbolic link to '/etc/passwd', outside "
            "curriculum/; polku publishes only files inside curriculum/, so copy the file here "
            "instead of linking to it",
            f"{K}:15:13: error: '../assets/kaavio.png' points outside curriculum/; keep images "
            "and attachments in curriculum/assets/ (P602)",
        ),
    ),
    Case(
        "link-in-markdown-body-leaves-curriculum",
        VM,
        append("\n[Asetukset](../../mkdocs.yml)\n"),
        (
            f"{VM}:12:13: error: '../../mkdocs.yml' points outside curriculum/; keep images "
            "and attachments in curriculum/assets/ (P602)",
        ),
    ),
    Case(
        "asset-of-a-type-not-published",
        "curriculum/assets/laskuri.js",
        write("alert(1)\n"),
        (
            "curriculum/assets/laskuri.js:1:1: error: files of type '.js' are not published; "
            "assets can be images (png, jpg, jpeg, gif, webp, avif, svg), PDF, office documents "
            "(doc, docx, xls, xlsx, ppt, pptx, odt, ods, odp, rtf, txt, csv) and audio or video "
            "(mp3, m4a, ogg, oga, wav, mp4, webm, ogv)",
        ),
    ),
    Case(
        "asset-without-a-type",
        "curriculum/assets/LUEMINUT",
        write("lue\n"),
        (
            "curriculum/assets/LUEMINUT:1:1: error: files without a type ending (.png, .pdf …) "
            "are not published; assets can be images (png, jpg, jpeg, gif, webp, avif, svg), "
            "PDF, office documents (doc, docx, xls, xlsx, ppt, pptx, odt, ods, odp, rtf, txt, "
            "csv) and audio or video (mp3, m4a, ogg, oga, wav, mp4, webm, ogv)",
        ),
    ),
    Case(
        "asset-web-page",
        "curriculum/assets/ohje.html",
        write("<p>ohje</p>\n"),
        (
            "curriculum/assets/ohje.html:1:1: error: 'ohje.html' is a web page; polku does not "
            "publish web pages from assets/ (they could run scripts on the site): link to the "
            "page where it is published instead, with [text](https://…) in the Markdown",
        ),
    ),
    Case(
        "asset-markdown-page",
        "curriculum/assets/ohje.md",
        write("# Ohje\n"),
        (
            "curriculum/assets/ohje.md:1:1: error: a Markdown file under assets/ would become a "
            "page without polku's checks; put the text in a module or a handout "
            "(curriculum/handouts/<id>.yml, or its <id>.md body)",
        ),
    ),
    Case(
        "asset-svg-with-a-script",
        "curriculum/assets/kaavio.svg",
        write('<svg xmlns="http://www.w3.org/2000/svg">\n  <script>alert(1)</script>\n</svg>\n'),
        (
            "curriculum/assets/kaavio.svg:2:3: error: the SVG has a <script> element, which runs "
            "a script; polku publishes only pictures: delete the element, or export the picture "
            "again as plain SVG or PNG",
        ),
    ),
    Case(
        "asset-svg-not-well-formed",
        "curriculum/assets/kaavio.svg",
        write('<svg xmlns="http://www.w3.org/2000/svg">\n  <rect>\n</svg>\n'),
        (
            "curriculum/assets/kaavio.svg:3:3: error: the SVG is not well-formed XML (mismatched "
            "tag); open it in a drawing program and save it again as plain SVG",
        ),
    ),
    Case(
        "asset-over-the-size-limit",
        "curriculum/assets/video.mp4",
        sparse(100_000_001),
        (
            "curriculum/assets/video.mp4:1:1: error: the file is 100,000,001 bytes, over the "
            "limit of 100,000,000 (100 MB) for an asset; make it smaller, or publish it "
            "elsewhere and link to it",
        ),
    ),
    Case(
        "too-many-assets",
        "curriculum/assets/kuvat",
        many_files(10_001),
        (
            "curriculum/assets:1:1: error: more than 10,000 files under assets/; polku publishes "
            "at most that many: remove what the curriculum does not use",
        ),
    ),
    Case(
        "asset-link-to-a-folder",
        "curriculum/assets/kaikki",
        symlink("/"),
        (
            "curriculum/assets/kaikki:1:1: error: a symbolic link to the folder '/', outside "
            "curriculum/; polku does not follow linked folders, so copy the files here instead "
            "of linking to them",
        ),
    ),
    Case(
        "assets-folder-is-a-link",
        "curriculum/assets",
        linked_folder("/"),
        (
            "curriculum/assets:1:1: error: 'assets' is a symbolic link (to '/'); polku does not "
            "follow linked folders, so make assets/ a folder and copy the files into it",
            "curriculum/modules/kohtaaminen.yml:15:13: error: '../assets/kaavio.png' points "
            "outside curriculum/; keep images and attachments in curriculum/assets/ (P602)",
        ),
    ),
    Case(
        "asset-broken-symbolic-link",
        "curriculum/assets/vanha.png",
        symlink("curriculum/assets/poistettu.png"),
        (
            "curriculum/assets/vanha.png:1:1: error: a broken symbolic link; remove it or point "
            "it at a file",
        ),
    ),
    Case(
        "asset-named-pipe",
        "curriculum/assets/putki.png",
        fifo,
        (
            "curriculum/assets/putki.png:1:1: error: not a regular file (a pipe or a device); "
            "remove it",
        ),
    ),
    Case(
        "asset-name-with-terminal-escape",
        "curriculum/assets/\x1b[31mpuna.png",
        write(b"\x89PNG"),
        (
            "curriculum/assets/\\x1b[31mpuna.png:1:1: error: the name has a control character or "
            "bytes that are not UTF-8; rename it (letters, digits, hyphens and dots are safe in "
            "web addresses)",
        ),
    ),
    # --- resource bombs ---------------------------------------------------------------------------
    Case(
        "alias-bomb",
        V,
        write(laughs()),
        (
            f"{V}:7:20: error: the file expands to more than 20,000 values (aliases or a huge "
            "list); write the content out plainly and split it into smaller files",
        ),
    ),
    Case(
        "deep-nesting",
        V,
        write("id: valmennus\ntitle: Syvä\nbody: " + "[" * 5000 + "]" * 5000 + "\n"),
        (f"{V}:3:1006: error: values are nested more than 32 levels deep; flatten the structure",),
    ),
    Case(
        "huge-value",
        V,
        write("id: valmennus\ntitle: Iso\nbody: " + "sana " * 40_000 + "\n"),
        (
            f"{V}:3:7: error: this value is 199,999 characters long, over the limit of 100,000; "
            "split the text (a long module body goes in a sibling .md file, and very long texts "
            "into several modules)",
        ),
    ),
    # --- activities -------------------------------------------------------------------------
    Case(
        "outcome-not-practised",
        V,
        replace("  - id: periaatteet\n", "  - id: uusi\n    text: Uusi.\n  - id: periaatteet\n"),
        (
            f"{V}:8:9: warning: outcome 'uusi' is not practised by any activity; "
            "list it in an activity's outcomes (P302)",
        ),
    ),
    Case(
        "questions-outside-self-check",
        V,
        replace(
            "    prompts: [Millainen valmentaja olet?]\n",
            "    prompts: [Millainen valmentaja olet?]\n"
            "    questions:\n      - question: Mikä on GROW?\n        answer: Malli.\n",
        ),
        (
            f"{V}:26:5: warning: questions are shown only in self-check activities; "
            "set 'type: self-check' or move them to prompts (P303)",
        ),
    ),
    Case(
        "missing-session-role",
        P,
        replace("        location: Koulutustila 2\n", "        roles: [uusi, esihenkilo]\n"),
        (f"{P}:29:23: error: role 'esihenkilo' is not a role of this programme (P109)",),
    ),
    Case(
        "missing-handout",
        V,
        replace("    facilitator_notes: Jaa ryhmät.\n", "    handouts: [roolikortit]\n"),
        (f"{V}:19:16: error: handout 'roolikortit' does not exist in curriculum/handouts/ (P110)",),
    ),
    # --- dates and calendars ----------------------------------------------------------------
    Case(
        "start-date-on-a-saturday",
        P,
        replace("start_date: 2027-01-11", "start_date: 2027-01-09"),
        (
            f"{P}:9:13: warning: 2027-01-09 is a Saturday; with workdays_only the programme "
            "starts on Monday 2027-01-11 (day 1); write that date or set workdays_only: false "
            "(P406)",
        ),
    ),
    Case(
        "start-date-on-a-public-holiday",
        P,
        replace("start_date: 2027-01-11", "start_date: 2027-01-06"),
        (
            f"{P}:9:13: warning: 2027-01-06 is a public holiday (Epiphany); with "
            "workdays_only the programme starts on Thursday 2027-01-07 (day 1); write that "
            "date or set workdays_only: false (P406)",
        ),
    ),
    Case(
        "cohort-starts-on-a-sunday",
        P,
        replace(
            "roles:\n",
            "cohorts:\n  - id: syksy\n    title: Syksyn ryhmä\n    start_date: 2027-08-15\n"
            "roles:\n",
        ),
        (
            f"{P}:13:17: warning: 2027-08-15 is a Sunday; with workdays_only cohort 'syksy' "
            "starts on Monday 2027-08-16 (day 1); write that date or set workdays_only: false "
            "(P406)",
        ),
    ),
    Case(
        "start-time-that-does-not-exist",
        P,
        both(
            (
                P,
                replace(
                    "start_date: 2027-01-11\n", "start_date: 2027-01-11\nworkdays_only: false\n"
                ),
            ),
            (P, replace("        day: 6\n", '        day: 77\n        start: "03:30"\n')),
        ),
        (
            f"{P}:45:16: warning: 03:30 does not exist on 2027-03-28, day 77 of the run from "
            "start_date 2027-01-11: the clocks in Europe/Helsinki go forward that night; "
            "calendars show 04:30; choose another start time (P407)",
        ),
    ),
    Case(
        "start-time-that-comes-twice",
        P,
        both(
            (
                P,
                replace(
                    "roles:\n",
                    "workdays_only: false\ncohorts:\n  - id: kevat\n    title: Kevät\n"
                    "    start_date: 2027-01-11\nroles:\n",
                ),
            ),
            (P, replace("        day: 6\n", '        day: 294\n        start: "03:30"\n')),
        ),
        (
            f"{P}:49:16: warning: 03:30 comes twice on 2027-10-31, day 294 of the run from "
            "start_date 2027-01-11: the clocks in Europe/Helsinki go back that night; "
            "calendars take the first 03:30 (UTC+03:00); choose another start time (P408)",
            f"{P}:49:16: warning: 03:30 comes twice on 2027-10-31, day 294 of cohort 'kevat': "
            "the clocks in Europe/Helsinki go back that night; calendars take the first 03:30 "
            "(UTC+03:00); choose another start time (P408)",
        ),
    ),
    Case(
        "cohort-id-is-a-role-id",
        P,
        replace(
            "roles:\n",
            "cohorts:\n  - id: hr\n    title: HR-ryhmä\n    start_date: 2027-08-16\nroles:\n",
        ),
        (
            f"{P}:11:9: error: cohort id 'hr' is also a role id, and both would get the "
            "calendar calendars/perehdytys-hr.ics; rename the cohort (P404)",
        ),
    ),
    Case(
        "calendar-names-that-join-to-one",
        P,
        replace(
            "roles:\n",
            "cohorts:\n  - id: kevat\n    title: Kevät\n    start_date: 2027-01-11\n"
            "  - id: kevat-hr\n    title: Kevään HR\n    start_date: 2027-03-01\nroles:\n",
        ),
        (
            f"{P}:11:9: error: the calendar of role 'hr' in cohort 'kevat' and the calendar "
            "of cohort 'kevat-hr' would both be written to calendars/perehdytys-kevat-hr.ics, "
            "because calendar names join ids with hyphens; rename one of them (P409)",
        ),
    ),
    Case(
        "calendar-written-by-two-programmes",
        "curriculum/programmes/perehdytys-hr.yml",
        write("id: perehdytys-hr\ntitle: HR:n perehdytys\nstart_date: 2027-01-11\n"),
        (
            f"{P}:15:9: error: programme 'perehdytys-hr' already writes "
            "calendars/perehdytys-hr.ics; rename this role or one of the programmes (P405)",
        ),
    ),
    Case(
        "glance-written-by-two-programmes",
        "curriculum/programmes/perehdytys-syksy.yml",
        both(
            (
                "curriculum/programmes/perehdytys-syksy.yml",
                write("id: perehdytys-syksy\ntitle: Syksy\nphases:\n  - id: a\n    title: A\n"),
            ),
            (
                P,
                replace(
                    "roles:\n",
                    "cohorts:\n  - id: syksy\n    title: Syksyn ryhmä\n"
                    "    start_date: 2027-08-16\nroles:\n",
                ),
            ),
        ),
        (
            f"{P}:11:9: error: programme 'perehdytys-syksy' already writes "
            "workbooks/perehdytys-syksy-at-a-glance.pdf; rename this cohort or one of the "
            "programmes (P405)",
        ),
    ),
    # --- links and handouts -------------------------------------------------------------------
    Case(
        "link-through-a-symlink-loop",
        K,
        both(
            ("curriculum/kuvat/silmukka.png", loop),
            (K, replace("../assets/kaavio.png", "../kuvat/silmukka.png")),
        ),
        (
            "curriculum/kuvat:1:1: warning: 'kuvat/' is not read: polku reads programmes/, "
            "modules/, methods/, handouts/ and glossary.yml, and publishes the files in assets/; "
            "move it where it belongs or remove it",
            f"{K}:15:13: error: '../kuvat/silmukka.png' is not a usable path; write a path such "
            "as '../assets/name.png' (P601)",
        ),
    ),
    Case(
        "handout-with-body-and-file",
        H,
        write(
            "id: roolikortti\ntitle: Roolikortti\nbody: Olet asiakas.\nfile: ../assets/kaavio.png\n"
        ),
        (
            f"{H}:4:1: error: handout 'roolikortti' has both a body and a file; keep one of "
            "them: a body polku prints, or a file it links (P604)",
        ),
    ),
    Case(
        "handout-with-neither-body-nor-file",
        H,
        write("id: roolikortti\ntitle: Roolikortti\n"),
        (
            f"{H}:1:5: error: handout 'roolikortti' has neither a body nor a file; write its "
            "text in 'body' (or in 'roolikortti.md' beside this file), or link a ready file "
            "with 'file: ../assets/NAME.pdf' (P604)",
        ),
    ),
    Case(
        "handout-file-outside-assets",
        H,
        write("id: roolikortti\ntitle: Roolikortti\nfile: ../modules/valmennus.md\n"),
        (
            f"{H}:3:7: error: '../modules/valmennus.md' is not in curriculum/assets/; put the "
            "file there and write 'file: ../assets/NAME' (P605)",
            f"{H}:3:7: error: '../modules/valmennus.md' is not of a type polku publishes; a "
            f"handout's file can be {ASSET_TYPES} (P607)",
        ),
    ),
    Case(
        "missing-handout-file",
        H,
        write("id: roolikortti\ntitle: Roolikortti\nfile: ../assets/roolikortti.pdf\n"),
        (
            f"{H}:3:7: error: '../assets/roolikortti.pdf' does not exist; check the path "
            "(from a handout: '../assets/name.pdf') (P606)",
        ),
    ),
    Case(
        "handout-file-of-a-web-page",
        H,
        both(
            ("curriculum/assets/kortti.html", write("<script>alert(1)</script>\n")),
            (H, write("id: roolikortti\ntitle: Roolikortti\nfile: ../assets/kortti.html\n")),
        ),
        (
            "curriculum/assets/kortti.html:1:1: error: 'kortti.html' is a web page; polku does "
            "not publish web pages from assets/ (they could run scripts on the site): link to the "
            "page where it is published instead, with [text](https://…) in the Markdown",
            f"{H}:3:7: error: '../assets/kortti.html' is not of a type polku publishes; a "
            f"handout's file can be {ASSET_TYPES} (P607)",
        ),
    ),
    Case(
        "missing-image-in-a-handout-body",
        "curriculum/handouts/roolikortti.md",
        both(
            (H, write("id: roolikortti\ntitle: Roolikortti\n")),
            ("curriculum/handouts/roolikortti.md", write("# Kortti\n\n![Kuva](../assets/x.png)\n")),
        ),
        (
            "curriculum/handouts/roolikortti.md:3:9: error: '../assets/x.png' does not exist; "
            "check the path (from a module: '../assets/name.png') (P603)",
        ),
    ),
    # --- ids ---------------------------------------------------------------------------------
    Case(
        "module-id-index",
        "curriculum/modules/index.yml",
        write("id: index\ntitle: Hakemisto\n"),
        (
            "curriculum/modules/index.yml:1:5: error: module id 'index' is reserved: polku "
            "writes its own page at modules/index.md; choose another id and rename the file to "
            "match (P702)",
        ),
    ),
    Case(
        "session-id-index",
        P,
        replace("id: etatehtava", "id: index"),
        (
            f"{P}:40:13: error: session id 'index' is reserved: polku writes its own page at "
            "programmes/perehdytys/facilitator/index.md; choose another id (P702)",
        ),
    ),
    # --- allow directives ----------------------------------------------------------------------
    Case(
        "allowed-warning",
        V,
        both(
            (
                V,
                replace(
                    "  - id: periaatteet\n", "  - id: uusi\n    text: Uusi.\n  - id: periaatteet\n"
                ),
            ),
            (V, replace("id: valmennus\n", "# polku: allow P302\nid: valmennus\n")),
        ),
        (),
    ),
    Case(
        "allow-with-an-unknown-code",
        V,
        both(
            (
                V,
                replace(
                    "  - id: periaatteet\n", "  - id: uusi\n    text: Uusi.\n  - id: periaatteet\n"
                ),
            ),
            (V, replace("id: valmennus\n", "# polku: allow P302, P3O3\nid: valmennus\n")),
        ),
        (
            f"{V}:1:22: warning: 'P3O3' is not the code of a check (codes are P and three "
            "digits); see the list of checks for the code of the warning to silence (P001)",
        ),
    ),
    Case(
        "allow-with-no-code",
        V,
        both(
            (
                V,
                replace(
                    "  - id: periaatteet\n", "  - id: uusi\n    text: Uusi.\n  - id: periaatteet\n"
                ),
            ),
            (V, replace("id: valmennus\n", "id: valmennus\n  # polku: allow\n")),
        ),
        (
            f"{V}:2:3: warning: 'polku: allow' names no code; write the codes of the warnings "
            "to silence, such as '# polku: allow P302' (P001)",
            f"{V}:9:9: warning: outcome 'uusi' is not practised by any activity; "
            "list it in an activity's outcomes (P302)",
        ),
    ),
    Case(
        "allow-of-an-error",
        V,
        both(
            (V, replace("prerequisites: [kohtaaminen]", "prerequisites: [kohtaamis]")),
            (V, replace("id: valmennus\n", "# polku: allow P101\nid: valmennus\n")),
        ),
        (
            f"{V}:1:16: warning: P101 is an error, and errors cannot be silenced; remove it from "
            "the directive and fix the problem (P002)",
            f"{V}:6:17: error: prerequisite 'kohtaamis' is not a module; did you mean "
            "'kohtaaminen'? (P101)",
        ),
    ),
    Case(
        "allow-in-a-markdown-body",
        VM,
        append("\n<!-- polku: allow P999 -->\n![Kuva](../assets/puuttuu.png)\n"),
        (
            f"{VM}:12:19: warning: 'P999' is not the code of a check; see the list of checks for "
            "the code of the warning to silence (P001)",
            f"{VM}:13:9: error: '../assets/puuttuu.png' does not exist; check the path (from a "
            "module: '../assets/name.png') (P603)",
        ),
    ),
]
