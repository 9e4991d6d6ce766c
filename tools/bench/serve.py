"""The live preview: seconds from saving a module until ``polku serve`` serves the new page."""

from __future__ import annotations

import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .measure import TreeMemory, polku
from .synth import edit_module


@dataclass
class ServeResult:
    seconds: float  # best of the saves
    saves: list[float]  # every save's latency
    startup: float  # from starting the server until the page is first served
    peak: int  # bytes, the server's process tree


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, TimeoutError):
        return None


def serve_latency(
    project: Path, module_id: str, saves: int = 3, pause: float = 3.0, timeout: float = 1800
) -> ServeResult:
    """Start ``polku serve``, save the module's body ``saves`` times, time each until served.

    Each save appends a new marker; the page counts as served once its HTML holds it.
    ``pause`` seconds between saves let the watcher settle after the previous rebuild.
    """
    port = free_port()
    page = f"http://127.0.0.1:{port}/modules/{module_id}/"
    with tempfile.TemporaryFile("w+") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            polku("serve", "--root", project, "--dev-addr", f"127.0.0.1:{port}"),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + timeout

        def wait_for(marker: str | None) -> None:
            while True:
                html = fetch(page)
                if html is not None and (marker is None or marker in html):
                    return
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    tail = log.read()[-3000:]
                    raise SystemExit(f"bench: polku serve never served {page}:\n{tail}")
                time.sleep(0.02)

        try:
            with TreeMemory(process.pid) as memory:
                wait_for(None)
                startup = time.perf_counter() - started
                latencies = []
                for number in range(saves):
                    time.sleep(pause)
                    marker = f"polkubench{number}x{int(time.time() * 1000)}"
                    saved = time.perf_counter()
                    edit_module(project, module_id, marker)
                    wait_for(marker)
                    latencies.append(time.perf_counter() - saved)
            return ServeResult(min(latencies), latencies, startup, memory.peak)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
