"""`polku serve` survives an invalid edit: it shows the located error, keeps serving the last
good site, and picks up the fix."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from conftest import FIXTURES

MODULE = "curriculum/modules/valmennus.yml"
PAGE = "modules/valmennus/"


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


def eventually(condition: Callable[[], bool], what: str, process: subprocess.Popen[str]) -> None:
    """Poll ``condition`` (bounded: at most 240 s); fail if the server dies first."""
    deadline = time.monotonic() + 240
    while not condition():
        assert process.poll() is None, f"polku serve ended while waiting for {what}"
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


def test_serve_keeps_the_last_good_site_and_recovers(tmp_path: Path) -> None:
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    address = f"127.0.0.1:{free_port()}"
    url = f"http://{address}/{PAGE}"
    process = subprocess.Popen(
        [sys.executable, "-m", "polku", "serve", "--root", str(project), "-a", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(process.stdout or []), daemon=True)
    reader.start()
    try:
        eventually(lambda: "Valmentava työote" in (fetch(url) or ""), "the first build", process)

        module = project / MODULE
        good = module.read_text("utf-8")
        module.write_text(good.replace("title: Valmentava työote", "title: [rikki"), "utf-8")
        expected = (
            f"{MODULE}:3:8: error: the '[' opened at line 2, column 8 is not closed where "
            "expected; add the ']', and put an item that contains ',', ':' or '#' in quotes"
        )
        eventually(lambda: any(expected in line for line in lines), "the located error", process)
        eventually(
            lambda: any("preview still shows the last good version" in line for line in lines),
            "the note that the last good version is served",
            process,
        )
        # the last good page is still served, at once (MkDocs alone would hold the request)
        page = fetch(url)
        assert page is not None and "Valmentava työote" in page

        module.write_text(good.replace("title: Valmentava työote", "title: Korjattu otsikko"))
        eventually(lambda: "Korjattu otsikko" in (fetch(url) or ""), "the fixed page", process)
    finally:
        process.terminate()
        process.wait(timeout=60)
        reader.join(timeout=10)
    output = "".join(lines)
    assert "Traceback" not in output
