"""The PDF process: each document in a copy of it that ends when it has answered.

A copy exits instead of collecting the document's garbage, so the PDF process stays
as small as it was after its imports; a copy killed halfway is a failed job, not a
failed process; a copy never outlives the PDF process (a cancelled build kills that).
The fonts are TrueType files WeasyPrint and Fontconfig read as they are.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from polku.render import pdf_worker
from polku.render.workbook import PRINT_CSS

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="copies are made on Linux only"
)

TOOLS = Path(__file__).resolve().parent.parent / "tools"
KEPT: list[int] = []


def test_work_is_done_in_a_copy_that_leaves_this_process_as_it_was() -> None:
    def work() -> dict[str, object]:
        KEPT.append(1)  # would stay in this process if the work ran here
        return {"ok": True, "pid": os.getpid()}

    first = pdf_worker.in_a_copy(work)
    second = pdf_worker.in_a_copy(work)
    assert first["ok"] and second["ok"]
    assert first["pid"] != os.getpid() and second["pid"] != os.getpid()
    assert first["pid"] != second["pid"]
    assert KEPT == []


def test_a_copy_that_is_killed_is_a_failed_job_and_the_next_one_runs() -> None:
    def killed() -> dict[str, object]:
        os.kill(os.getpid(), signal.SIGKILL)
        return {"ok": True}

    answer = pdf_worker.in_a_copy(killed)
    assert answer == {
        "ok": False,
        "error": "the process rendering the document was stopped by signal 9",
    }
    assert pdf_worker.in_a_copy(lambda: {"ok": True}) == {"ok": True}


def test_a_copy_ends_with_the_process_that_made_it(tmp_path: Path) -> None:
    pid_file = tmp_path / "copy.pid"
    script = (
        "import os, sys, time\n"
        "from polku.render.pdf_worker import in_a_copy\n"
        "def work():\n"
        f"    open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(600)\n"
        "in_a_copy(work)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(TOOLS)}
    process = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        deadline = time.monotonic() + 30
        while not (pid_file.is_file() and pid_file.read_text()):
            assert time.monotonic() < deadline, "the copy never started"
            time.sleep(0.02)
        copy = int(pid_file.read_text())
        assert _alive(copy)
    finally:
        process.kill()  # as a cancelled build kills its PDF processes
        process.wait()
    deadline = time.monotonic() + 10
    while _alive(copy):
        assert time.monotonic() < deadline, "the copy outlived its process"
        time.sleep(0.02)


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting for its parent."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_pdf_process_renders_each_job_in_a_copy_and_stays_small(tmp_path: Path) -> None:
    """A short document, then one of thirty chapters, through one process: both are
    rendered, and the process that read the jobs did not grow with the longer document
    (rendered in that process, it grew by 40 MiB)."""

    def document(chapters: int) -> str:
        chapter = "<p>Perehdytyssuunnitelmaa noudatetaan työpaikalla.</p>" * 60
        body = "".join(f"<h1>Luku {n}</h1>{chapter}" for n in range(chapters))
        return (
            '<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>Koe</title>'
            f"</head><body>{body}</body></html>"
        )

    jobs = [
        {
            "html": document(chapters),
            "base_url": pdf_worker.FONTS_DIR.as_uri() + "/",
            "stylesheets": [str(PRINT_CSS)],
            "allowed": [str(tmp_path)],
            "target": str(tmp_path / f"document-{chapters}.pdf"),
            "variant": "pdf/ua-1",
            "forms": False,
        }
        for chapters in (1, 30)
    ]
    env = {**os.environ, "PYTHONPATH": str(TOOLS)}
    process = subprocess.Popen(
        [sys.executable, "-m", "polku.render.pdf_worker", str(tmp_path / "cache")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdin is not None and process.stdout is not None
    answers, peaks = [], []
    try:
        for job in jobs:
            process.stdin.write(json.dumps(job) + "\n")
            process.stdin.flush()
            answers.append(json.loads(process.stdout.readline()))
            peaks.append(_peak_memory_kib(process.pid))
    finally:
        process.stdin.close()
        process.wait(timeout=60)
    assert process.returncode == 0
    assert all(answer["ok"] for answer in answers), answers
    assert answers[0]["pages"] < 5 and answers[1]["pages"] >= 30
    for job in jobs:
        assert Path(job["target"]).read_bytes().startswith(b"%PDF-")
    grown = (peaks[1] - peaks[0]) // 1024
    assert grown < 10, f"the PDF process grew by {grown} MiB with the longer document"


def _peak_memory_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


def test_the_fonts_are_truetype_files_that_the_stylesheet_names() -> None:
    css = (pdf_worker.FONTS_DIR / "fonts.css").read_text("utf-8")
    named = [part.split('"')[0] for part in css.split('src: url("')[1:]]
    assert len(named) == 8
    assert sorted(named) == sorted(p.name for p in pdf_worker.FONTS_DIR.glob("*.ttf"))
    assert 'format("truetype")' in css and "woff" not in css.lower()
    assert not list(pdf_worker.FONTS_DIR.glob("*.woff*"))
    families = set()
    for name in named:
        font = TTFont(pdf_worker.FONTS_DIR / name)
        assert font.sfntVersion == "\x00\x01\x00\x00"  # TrueType outlines, not WOFF
        assert ord("ä") in font.getBestCmap() and ord("€") in font.getBestCmap()
        families.add(font["name"].getDebugName(1).split()[0])
    assert families == {"IBM", "Source"}
