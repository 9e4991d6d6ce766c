"""Writing the welcome packs of a people file, all of them or none."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..check import check
from ..diagnostics import Report
from ..i18n import Labels
from ..paths import SiteUrls
from ..plan import plans
from ..project import Project
from ..render.pdf import BuildStats, WorkbookBuild, WorkbookError
from ..site_dir import FolderKind, SiteDirError, check_target, mark
from .document import Pack, PackWriter, pack_file
from .people import PeopleReader

MANIFEST = "packs.csv"
MANIFEST_HEADER = ["name", "email", "programme", "first_day", "pdf", "calendar"]
STAGING_PREFIX = ".polku-packs-"
MARKER = ".polku-packs"


def _earlier_packs(folder: Path) -> bool:
    """A packs folder written before the marker existed: polku's ``packs.csv`` and
    nothing else but people's folders, each holding only its own letter and calendar."""
    try:
        with (folder / MANIFEST).open(encoding="utf-8", newline="") as manifest:
            if next(csv.reader(manifest), None) != MANIFEST_HEADER:
                return False
        for entry in folder.iterdir():
            if entry.name == MANIFEST or entry.name.startswith(STAGING_PREFIX):
                continue
            if entry.is_symlink() or not entry.is_dir():
                return False
            own = {pack_file(entry.name, "pdf"), pack_file(entry.name, "ics")}
            if not {f"{entry.name}/{p.name}" for p in entry.iterdir()} <= own:
                return False
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return True


# The packs folder is polku's own, as the site folder is: absent, empty, or written by
# polku before (the marker file MARKER); a folder of someone else's files is refused
PACKS = FolderKind(
    marker=MARKER,
    earlier=_earlier_packs,
    write="write welcome packs",
    verb="write the packs",
    made="write",
    replaces="the packs could overwrite",
    example="'packs' in the project folder",
    noun="folder for the packs",
)


class PacksError(Exception):
    """Nothing was written; the message says why and what to do."""


@dataclass
class PacksResult:
    """What ``make_packs`` did: the report of the check and of the people file, the packs."""

    report: Report
    packs: list[Pack] = field(default_factory=list)
    out: Path | None = None
    pdf: BuildStats | None = None
    seconds: float = 0.0

    @property
    def written(self) -> bool:
        return self.out is not None

    def summary(self) -> str:
        if self.out is None:
            return "polku: no welcome pack was written"
        pages = sum(r.pages for r in self.pdf.results) if self.pdf else 0
        workers = self.pdf.workers if self.pdf else 0
        count = len(self.packs)
        many = "s" if count != 1 else ""
        return (
            f"polku: wrote {count} welcome pack{many} into {self.out} ({count} PDF{many} of "
            f"{pages} page{'s' if pages != 1 else ''} and {count} calendar{many} in "
            f"{self.seconds:.1f} s, {workers} PDF process{'es' if workers != 1 else ''})"
        )


def make_packs(
    project: Project,
    people: Path,
    out: Path,
    *,
    shown_path: str | None = None,
    workers: int | None = None,
) -> PacksResult:
    """Check the curriculum and the people file, then write every pack into ``out``.

    When the curriculum or any row has an error, nothing is written and the result's
    report says why. Raises :class:`PacksError`, before reading anything, for a folder
    that must not hold packs: one that is published or cached, or that is not polku's
    own (not empty, and neither marked by an earlier run nor written by one).
    """
    started = time.perf_counter()
    out = out.resolve()
    _check_folder(project, out)
    curriculum, report = check(project.root, project.options.curriculum_dir)
    if report.errors:
        return PacksResult(report)
    reader = PeopleReader(curriculum, report, shown_path or str(people))
    persons = reader.read(people)
    if report.errors:
        return PacksResult(report)
    labels = Labels(curriculum.language)
    writer = PackWriter(
        curriculum,
        plans(curriculum, labels("break")),
        SiteUrls(project.site_url, project.use_directory_urls),
        organisation=project.site_name,
        workbooks=project.pdf_enabled(),
    )
    packs = [writer.pack(person) for person in persons]
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    mark(out, PACKS)  # before anything else goes in: the folder is polku's from now on
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    try:
        for pack in packs:
            target = staging / pack_file(pack.person.key, "ics")
            target.parent.mkdir(mode=0o700)
            target.write_bytes(pack.calendar)
        # the PDFs are rendered by the workbooks' processes into a work folder of the
        # staging folder: no copy of a person's letter is left in any cache
        work = staging / ".work"
        build = WorkbookBuild(
            [pack.document for pack in packs], work, [curriculum.curriculum_dir], workers=workers
        )
        build.start()
        try:
            stats = build.finish(site_dir=staging)
        except WorkbookError as exc:
            build.cancel()
            raise PacksError(f"a welcome pack could not be rendered: {exc}") from None
        except BaseException:
            build.cancel()
            raise
        shutil.rmtree(staging / ".work", ignore_errors=True)
        (staging / MANIFEST).write_text(_manifest(packs), "utf-8")
        _publish(staging, out, [pack.person.key for pack in packs])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return PacksResult(report, packs, out, stats, time.perf_counter() - started)


def _check_folder(project: Project, out: Path) -> None:
    """Packs hold people's data: never where a build publishes or a commit picks it up;
    and they go only into a folder of polku's own, as the site does (:data:`PACKS`)."""
    public = {
        "the site folder": project.site_dir,
        "the docs folder": project.docs_dir,
        "the curriculum folder": project.curriculum_dir,
        "polku's cache": project.cache_dir,
    }
    for what, folder in public.items():
        if folder is None:
            continue
        folder = folder.resolve()
        if out == folder or out.is_relative_to(folder) or folder.is_relative_to(out):
            raise PacksError(
                f"{out} is {'in' if out != folder else ''} {what} ({folder}) or holds it; "
                "welcome packs hold people's data and must not be published: choose a "
                "folder of their own, such as packs/ (which .gitignore keeps out of Git)"
            )
    if out.exists() and not out.is_dir():
        raise PacksError(f"{out} is a file; choose a folder for the welcome packs")
    try:
        check_target(out, root=project.root, sources=project.source_dirs, kind=PACKS)
    except SiteDirError as exc:
        raise PacksError(str(exc)) from None


def _publish(staging: Path, out: Path, keys: list[str]) -> None:
    """Move each person's folder into ``out``, replacing the one an earlier run wrote
    (``out`` is polku's own folder, checked before anything was written)."""
    for key in keys:
        target = out / key
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            shutil.rmtree(target)
        os.replace(staging / key, target)
    os.replace(staging / MANIFEST, out / MANIFEST)


def _manifest(packs: list[Pack]) -> str:
    """One row per person, for a mail merge: who, where to send, which files."""
    buffer = io.StringIO()
    table = csv.writer(buffer, lineterminator="\r\n")
    table.writerow(MANIFEST_HEADER)
    for pack in packs:
        person = pack.person
        table.writerow(
            [
                person.name,
                person.email or "",
                person.programme.id,
                pack.first_day.isoformat(),  # the working day it really starts
                pack_file(person.key, "pdf"),
                pack_file(person.key, "ics"),
            ]
        )
    return buffer.getvalue()
