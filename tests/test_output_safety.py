"""Nothing lost: a killed build, two builds at once, an internal error, init and new.

A build writes into a staging directory beside the site and swaps it in whole at
the end; these tests kill real builds (``python -m polku build``) at several
points, during page writing and during PDF rendering, and compare every file of
the site, byte for byte, with what was there before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, run_polku

MODULE = "curriculum/modules/valmennus.yml"
TITLE = "title: Valmentava työote"


def tree(site: Path) -> dict[str, str]:
    """Every file under ``site`` with the SHA-256 of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def staging_dirs(project: Path) -> list[Path]:
    return sorted(project.glob(".polku-staging-site-*"))


def start_build(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "polku", "build", "--root", str(project), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    """Poll until ``condition`` holds; fail if the build ends first."""
    while not condition():
        if process.poll() is not None:
            _out, err = process.communicate()
            pytest.fail(f"the build ended before the kill point ({process.returncode})\n{err}")
        time.sleep(0.01)


def pdf_workers(parent: int) -> list[int]:
    """Process ids of the PDF worker processes a build started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b"polku.render.pdf_worker" in command:
            found.append(int(entry.name))
    return found


def in_pages(project: Path) -> Callable[[], bool]:
    """MkDocs has started writing the site into the staging directory."""

    def condition() -> bool:
        return any(any(staging.iterdir()) for staging in staging_dirs(project))

    return condition


def in_pdfs(project: Path, process: subprocess.Popen[str]) -> Callable[[], bool]:
    """The pages are written and the PDF workers are rendering."""

    def condition() -> bool:
        pages = any((staging / "index.html").exists() for staging in staging_dirs(project))
        return pages and bool(pdf_workers(process.pid))

    return condition


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hardening example, built once with its workbook PDFs."""
    project = tmp_path_factory.mktemp("safety") / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    result = run_polku("build", "--root", project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "site/workbooks/perehdytys-learner.pdf").is_file()
    return project


KILLS = [
    (signal.SIGINT, "pages"),
    (signal.SIGTERM, "pages"),
    (signal.SIGKILL, "pages"),
    (signal.SIGINT, "pdfs"),
    (signal.SIGTERM, "pdfs"),
    (signal.SIGKILL, "pdfs"),
]


@pytest.mark.parametrize(
    ("signum", "stage"), KILLS, ids=[f"{s.name}-during-{stage}" for s, stage in KILLS]
)
def test_a_killed_build_leaves_the_site_unchanged(
    built_project: Path, signum: signal.Signals, stage: str
) -> None:
    project = built_project
    site = project / "site"
    before = tree(site)
    assert before, "the site to protect is empty"
    # a change, so that the killed build would write different pages and PDFs
    marker = f"Muutettu {signum.name} {stage}"
    module = project / MODULE
    text = module.read_text("utf-8")
    current = next(line for line in text.splitlines() if line.startswith("title: "))
    module.write_text(text.replace(current, f"title: {marker}"), "utf-8")

    process = start_build(project)
    try:
        wait_for(in_pages(project) if stage == "pages" else in_pdfs(project, process), process)
        process.send_signal(signum)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode != 0
    assert "Traceback" not in out + err
    if signum != signal.SIGKILL:
        assert "polku: interrupted; the previous site is unchanged" in err
        assert staging_dirs(project) == []  # cleaned up on the way out
    assert tree(site) == before

    # the next build succeeds, removes what a SIGKILL left behind and shows the change
    again = run_polku("build", "--root", project, "--no-pdf")
    assert again.returncode == 0, again.stdout + again.stderr
    assert staging_dirs(project) == []
    assert marker in (site / "modules/valmennus/index.html").read_text("utf-8")


def test_two_builds_at_once(built_project: Path) -> None:
    """The second build is refused with a clear message; the first one completes.

    The first build also renders the workbooks again after the killed builds above:
    the PDF cache they were writing to is sound.
    """
    project = built_project
    module = project / MODULE
    text = module.read_text("utf-8")
    current = next(line for line in text.splitlines() if line.startswith("title: "))
    module.write_text(text.replace(current, "title: Rinnakkain"), "utf-8")
    first = start_build(project)
    try:
        wait_for(in_pages(project), first)
        second = run_polku("build", "--root", project, "--no-pdf")
        out, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert second.returncode == 1
    assert "another build of this site is running" in second.stderr
    assert "wait for it to finish and build again" in second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    assert first.returncode == 0, out + err
    assert "Rinnakkain" in (project / "site/modules/valmennus/index.html").read_text("utf-8")
    for role in ("learner", "facilitator"):
        pdf = project / f"site/workbooks/perehdytys-{role}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_build_with_errors_leaves_the_site_unchanged(built_project: Path) -> None:
    site = built_project / "site"
    before = tree(site)
    module = built_project / MODULE
    text = module.read_text("utf-8")
    module.write_text(text + "tuntematon: 1\n", "utf-8")
    try:
        result = run_polku("build", "--root", built_project)
    finally:
        module.write_text(text, "utf-8")
    assert result.returncode == 1
    assert "unknown key 'tuntematon'" in result.stdout
    assert "the previous site is unchanged" in result.stderr
    assert tree(site) == before


# --- internal errors ------------------------------------------------------------------------

CRASH = """
import sys
import polku.cli

def broken(*args, **kwargs):
    raise RuntimeError("a deliberately broken check")

polku.cli.run_check = broken
sys.argv = ["polku", "check", "--root", sys.argv[1]]
polku.cli.main()
"""


def test_an_internal_error_is_one_line_with_a_log(tmp_path: Path) -> None:
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    cache = tmp_path / "cache"
    result = subprocess.run(
        [sys.executable, "-c", CRASH, str(project)],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        timeout=120,
    )
    assert result.returncode == 3
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("polku: internal error; this is a bug in polku, please report it at ")
    [log] = (cache / "polku").glob("crash-*.log")
    assert line.endswith(f"with the details in {log}")
    details = log.read_text("utf-8")
    assert "Traceback" in details and "a deliberately broken check" in details


def test_an_internal_error_when_the_cache_folder_is_not_writable(tmp_path: Path) -> None:
    """The log goes to the temporary folder instead; the message still names it."""
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", CRASH, str(project)],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(blocked), "TMPDIR": str(temporary)},
        timeout=120,
    )
    assert result.returncode == 3
    [line] = result.stderr.splitlines()
    [log] = temporary.glob("crash-*.log")
    assert line.endswith(f"with the details in {log}")


def test_a_closed_pipe_is_not_a_crash(tmp_path: Path) -> None:
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    (project / MODULE).write_text("\n".join(f"k{i}: 1" for i in range(3000)), "utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "polku", "check", "--root", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode()
        process.wait(timeout=120)
    assert "Traceback" not in err and "internal error" not in err


# --- init and new never overwrite ------------------------------------------------------------


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "koulutus"
    (target / "curriculum").mkdir(parents=True)
    (target / "mkdocs.yml").write_text("site_name: Oma\n")
    result = run_polku("init", target)
    assert result.returncode == 2
    assert "exists and is not empty" in result.stderr
    assert (target / "mkdocs.yml").read_text() == "site_name: Oma\n"
    assert sorted(p.name for p in target.iterdir()) == ["curriculum", "mkdocs.yml"]


@pytest.mark.parametrize("kind", ["module", "programme", "method"])
def test_new_never_overwrites(tmp_path: Path, kind: str) -> None:
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    folder = {"module": "modules", "programme": "programmes", "method": "methods"}[kind]
    existing = project / "curriculum" / folder / "oma.yml"
    existing.write_text("id: oma\ntitle: Oma, käsin kirjoitettu\n", "utf-8")
    schema = project / "curriculum/polku.schema.json"
    schema.write_text("{}\n", "utf-8")
    before = tree(project / "curriculum")
    result = run_polku("new", kind, "oma", "--root", project)
    assert result.returncode == 2
    assert "exists; polku does not overwrite files" in result.stderr
    assert tree(project / "curriculum") == before
    # a new id is written, and the schema someone keeps is still left alone
    created = run_polku("new", kind, "toinen", "--root", project)
    assert created.returncode == 0, created.stderr
    assert (project / "curriculum" / folder / "toinen.yml").is_file()
    assert schema.read_text("utf-8") == "{}\n"


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_a_failed_build_removes_its_staging_folder_after_the_pages_being_written(
    tmp_path: Path, failure: type[BaseException]
) -> None:
    """Pages are written by threads while the build goes on; when the build fails (or is
    interrupted) with writes still under way, none of them makes the staging folder again
    once it is removed."""
    from polku import background
    from polku import build as pipeline
    from polku.project import Project

    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    chosen = Project.load(project).with_options(pdf=False)

    def slow_write(folder: Path) -> None:
        time.sleep(0.5)
        (folder / "late").mkdir(parents=True, exist_ok=True)
        (folder / "late" / "index.html").write_text("<p>late</p>", "utf-8")

    class FailingEngine:
        def build(self, prepared: object, staging: Path) -> set[str]:
            background.submit(slow_write, staging)
            raise failure("stopped while a page was being written")

    with pytest.raises(failure):
        pipeline.build(chosen, FailingEngine())  # type: ignore[arg-type]
    background.stop()  # had the build not waited, the late page would be written by now
    assert staging_dirs(project) == []
    assert not (project / "site").exists()
