"""`polku serve` survives an invalid edit and a curriculum folder that goes away and comes back.

It shows the located error, keeps serving the last good site and picks up the fix; and it
keeps rebuilding after ``curriculum/`` is deleted and re-created (a branch switch) or moved
away and back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from conftest import FIXTURES

MODULE = "curriculum/modules/valmennus.yml"
PAGE = "modules/valmennus/"
TITLE = "title: Valmentava työote"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


@dataclass
class Serving:
    """A running ``polku serve`` of one project and the lines it printed so far."""

    project: Path
    url: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def eventually(self, condition: Callable[[], bool], what: str) -> None:
        """Poll ``condition`` (bounded: at most 240 s); fail if the server dies first."""
        deadline = time.monotonic() + 240
        while not condition():
            assert self.process.poll() is None, f"polku serve ended while waiting for {what}"
            assert time.monotonic() < deadline, f"gave up waiting for {what}"
            time.sleep(0.2)

    def shows(self, text: str) -> bool:
        return text in (fetch(self.url + PAGE) or "")

    def printed(self, text: str) -> bool:
        return any(text in line for line in self.lines)


@contextmanager
def serving(tmp_path: Path) -> Iterator[Serving]:
    """``polku serve`` of a copy of tests/fixtures/hardening, its first build done."""
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    address = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        [sys.executable, "-m", "polku", "serve", "--root", str(project), "-a", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Serving(project, f"http://{address}/", process)
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: server.lines.extend(process.stdout or []))
    reader.daemon = True
    reader.start()
    try:
        server.eventually(lambda: server.shows("Valmentava työote"), "the first build")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=60)
        reader.join(timeout=10)
    assert "Traceback" not in "".join(server.lines)


def retitle(curriculum: Path, title: str) -> None:
    """Give the module valmennus a new title."""
    module = curriculum / "modules" / "valmennus.yml"
    text, count = re.subn(
        r"^title: .*$", f"title: {title}", module.read_text("utf-8"), count=1, flags=re.M
    )
    assert count == 1
    module.write_text(text, "utf-8")


def test_serve_keeps_the_last_good_site_and_recovers(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        module = server.project / MODULE
        good = module.read_text("utf-8")
        module.write_text(good.replace(TITLE, "title: [rikki"), "utf-8")
        expected = (
            f"{MODULE}:3:8: error: the '[' opened at line 2, column 8 is not closed where "
            "expected; add the ']', and put an item that contains ',', ':' or '#' in quotes"
        )
        server.eventually(lambda: server.printed(expected), "the located error")
        server.eventually(
            lambda: server.printed("preview still shows the last good version"),
            "the note that the last good version is served",
        )
        # the last good page is still served, at once (MkDocs alone would hold the request)
        page = fetch(server.url + PAGE)
        assert page is not None and "Valmentava työote" in page

        module.write_text(good.replace(TITLE, "title: Korjattu otsikko"), "utf-8")
        server.eventually(lambda: server.shows("Korjattu otsikko"), "the fixed page")


def test_serve_updates_the_page_of_a_saved_module_body_in_place(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        body = server.project / "curriculum/modules/valmennus.md"
        body.write_text(body.read_text("utf-8") + "\nTallennettu esikatseluun.\n", "utf-8")
        server.eventually(lambda: server.shows("Tallennettu esikatseluun."), "the saved text")
        assert server.printed("polku: updated the preview in")
        search = fetch(server.url + "search/search_index.json")
        assert search is not None
        texts = " ".join(entry["text"] for entry in json.loads(search)["docs"])
        assert "Tallennettu esikatseluun." in texts


def test_serve_keeps_watching_a_curriculum_deleted_and_created_again(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        curriculum = server.project / "curriculum"
        kept = tmp_path / "kept"
        shutil.copytree(curriculum, kept)
        for round_number in (1, 2):  # a branch switch, and another one back
            shutil.rmtree(curriculum)
            # long enough for the watcher to notice that the folder is gone
            time.sleep(2)
            shutil.copytree(kept, curriculum)
            retitle(curriculum, f"Vaihdettu haara {round_number}")
            server.eventually(
                lambda n=round_number: server.shows(f"Vaihdettu haara {n}"),
                f"the page of the re-created curriculum (round {round_number})",
            )
        # and an ordinary edit after that is picked up too
        retitle(kept, "Tavallinen muokkaus")
        shutil.copyfile(kept / "modules/valmennus.yml", curriculum / "modules/valmennus.yml")
        server.eventually(lambda: server.shows("Tavallinen muokkaus"), "the edited page")


def test_serve_keeps_watching_a_curriculum_moved_away_and_back(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        curriculum = server.project / "curriculum"
        away = tmp_path / "away"
        curriculum.rename(away)
        time.sleep(2)
        retitle(away, "Siirretty takaisin")
        away.rename(curriculum)
        server.eventually(lambda: server.shows("Siirretty takaisin"), "the moved-back page")
        retitle(curriculum, "Muokattu siirron jälkeen")
        server.eventually(lambda: server.shows("Muokattu siirron jälkeen"), "a later edit")


def test_serve_reports_a_fault_of_the_machine_and_keeps_serving(tmp_path: Path) -> None:
    """A named pipe in docs/ (MkDocs alone would wait for ever reading it) fails one rebuild."""
    with serving(tmp_path) as server:
        pipe = server.project / "docs" / "putki.md"
        os.mkfifo(pipe)
        server.eventually(
            lambda: server.printed(
                f"polku: error: {pipe}: not a regular file (a pipe, socket or device); remove "
                "it or replace it with a regular file. polku: the preview still shows the last "
                "good version"
            ),
            "the fault and the note that the last good version is served",
        )
        assert server.shows("Valmentava työote")
        pipe.unlink()
        retitle(server.project / "curriculum", "Putki poistettu")
        server.eventually(lambda: server.shows("Putki poistettu"), "the page after the fix")
