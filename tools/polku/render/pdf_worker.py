"""A PDF rendering process: ``python -m polku.render.pdf_worker CACHE_DIR``.

It reads one job per line (JSON) on standard input and answers each with one
line of JSON on standard output. Before WeasyPrint loads, Fontconfig is pointed
at polku's own font folder alone, so no font of the machine ever reaches a PDF.
"""

from __future__ import annotations

import ctypes
import gc
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.request import url2pathname
from xml.sax.saxutils import escape

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
HYPHENATION_DIR = Path(__file__).resolve().parent.parent / "hyphenation"


def register_hyphenation() -> None:
    """Give Pyphen (and so WeasyPrint) polku's patterns for the languages it lacks."""
    import pyphen

    for path in sorted(HYPHENATION_DIR.glob("hyph_*.dic")):
        language = path.stem.removeprefix("hyph_")
        if pyphen.language_fallback(language) is None:
            pyphen.LANGUAGES[language] = path
            pyphen.LANGUAGES_LOWERCASE[language.lower()] = language


def configure_fonts(cache_dir: Path) -> Path:
    """Write a Fontconfig configuration that knows only polku's fonts and use it.

    Returns the folder of the fonts, which holds their ``fonts.css``. They are shipped
    as TrueType: WeasyPrint would decode WOFF2 in Python for every document, and
    Fontconfig reads TrueType as it is.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    config = cache_dir / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{escape(str(FONTS_DIR))}</dir>\n"
        f"  <cachedir>{escape(str(cache_dir / 'fontconfig'))}</cachedir>\n"
        "</fontconfig>\n"
    )
    if not config.is_file() or config.read_text("utf-8") != text:
        temporary = config.with_name(f"{config.name}.{os.getpid()}")
        temporary.write_text(text, "utf-8")
        temporary.replace(config)
    os.environ["FONTCONFIG_FILE"] = str(config)
    os.environ.pop("FONTCONFIG_PATH", None)
    return FONTS_DIR


# WeasyPrint's warning for each font of each PDF when HarfBuzz subsetting is missing; the
# build says it once instead (see fonttools_subsetting)
_FONTTOOLS_SUBSETTING = "Using fontTools instead of HarfBuzz-Subset"


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings for the job at hand."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(_FONTTOOLS_SUBSETTING):
            return
        message = record.getMessage()
        if message not in self.messages:
            self.messages.append(message)


def fonttools_subsetting() -> bool:
    """True when WeasyPrint subsets fonts with fontTools: no HarfBuzz subsetting (4.1+) here."""
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is None or not ffi.harfbuzz.hb_version_atleast(4, 1, 0)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m polku.render.pdf_worker CACHE_DIR", file=sys.stderr)
        return 2
    try:
        fonts = configure_fonts(Path(argv[1]))
    except OSError as exc:  # the cache folder is full, read-only or not ours
        if exc.filename is None:  # a full disk names no file
            exc.filename = argv[1]
        return refuse_jobs(exc)

    import weasyprint  # after Fontconfig is configured
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    from .pdf_fixes import install

    install()
    register_hyphenation()
    collect = _Collect()
    for name in ("weasyprint", "weasyprint.progress"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [collect]
        logger.setLevel(logging.WARNING)
        logger.propagate = False

    class LocalFetcher(URLFetcher):
        """Loads files from the allowed folders only: no network, nothing else on disk."""

        def __init__(self, allowed: list[Path]) -> None:
            super().__init__(allowed_protocols={"file", "data"})
            self.allowed = allowed

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file:")))
                resolved = path.resolve()
                if not any(resolved.is_relative_to(root) for root in self.allowed):
                    raise ValueError(f"{path} is outside the curriculum; it is not loaded")
            elif not url.startswith("data:"):
                raise ValueError(f"{url}: workbooks load nothing from the network")
            return super().fetch(url, headers)

    renderer = _Renderer(weasyprint, FontConfiguration(), LocalFetcher, fonts)
    slow_subsetting = fonttools_subsetting()
    collect_garbage_seldom()

    def answer(job: dict[str, Any]) -> dict[str, Any]:
        collect.messages = []
        started, cpu = time.perf_counter(), time.process_time()
        try:
            pages = renderer.render(job)
        except Exception as exc:  # reported to the parent, which fails the build
            return failure(exc)
        return {
            "ok": True,
            "pages": pages,
            "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu,
            "warnings": collect.messages,
            "fonttools_subsetting": slow_subsetting,
        }

    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            renderer.stylesheets_for(job)  # parsed here once, for every job after this one
        except Exception as exc:
            result = failure(exc)
        else:
            result = in_a_copy(lambda job=job: answer(job))
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
    return 0


def in_a_copy(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``work()`` in a forked copy of this process, which ends when it has answered.

    A document leaves millions of objects behind, many in reference cycles: a copy that
    exits frees them all at once, where collecting them took a third of a second per
    workbook, and this process stays as small as it was after its imports.
    """
    if not sys.platform.startswith("linux"):  # no way to end a copy with this process
        return _here(work)
    parent = os.getpid()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or processes to spare: render here
        os.close(read_end)
        os.close(write_end)
        return _here(work)
    if pid == 0:  # the copy: answer through the pipe and end without any teardown
        code = 0
        try:
            os.close(read_end)
            _end_with(parent)
            # the build's pipes are this process's alone: the build sees them close
            # when this process ends, whatever the copy does
            quiet = os.open(os.devnull, os.O_RDWR)
            os.dup2(quiet, 0)
            os.dup2(quiet, 1)
            data = json.dumps(work()).encode()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if data:
        return json.loads(data)
    how = (
        f"was stopped by signal {os.WTERMSIG(status)}"
        if os.WIFSIGNALED(status)
        else f"ended with status {os.waitstatus_to_exitcode(status)}"
    )
    return {"ok": False, "error": f"the process rendering the document {how}"}


def _here(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    result = work()
    gc.collect()  # what the document left behind
    return result


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _end_with(parent: int) -> None:
    """Have Linux kill this copy when ``parent`` ends: a cancelled build kills the PDF
    processes it started, and a copy must not go on rendering into the cache."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


# Objects allocated before the cyclic garbage collector runs: a layout allocates millions of
# small objects that live until the document is written, and Python's default (700) makes
# it scan them again and again, about a seventh of the rendering time.
GC_THRESHOLD = (100_000, 50, 100)


def collect_garbage_seldom() -> None:
    """Set the garbage collector for rendering: WeasyPrint and its imports, once frozen,
    are never scanned again, and collections come seldom (a full one after each job)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def failure(exc: Exception) -> dict[str, Any]:
    """The answer for a job that failed; an OS error keeps its number and file name."""
    answer: dict[str, Any] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    if isinstance(exc, OSError) and exc.errno is not None:
        answer["errno"] = exc.errno
        answer["filename"] = None if exc.filename is None else os.fsdecode(exc.filename)
    return answer


def refuse_jobs(exc: OSError) -> int:
    """Answer every job with the error that keeps this process from rendering."""
    answer = json.dumps(failure(exc)) + "\n"
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(answer)
            sys.stdout.flush()
    return 1


class _Renderer:
    """Renders jobs with one font configuration and parsed stylesheets for all of them."""

    def __init__(self, weasyprint: Any, font_config: Any, fetcher: Any, fonts: Path) -> None:
        self.weasyprint = weasyprint
        self.font_config = font_config
        self.fetcher = fetcher
        self.fonts = fonts
        self.stylesheets: dict[tuple[str, ...], list[Any]] = {}

    def stylesheets_for(self, job: dict[str, Any]) -> list[Any]:
        """The job's stylesheets, parsed once for every job that uses them."""
        paths = (str(self.fonts / "fonts.css"), *job["stylesheets"])
        if paths not in self.stylesheets:
            url_fetcher = self.fetcher(self._allowed(job))
            self.stylesheets[paths] = [
                self.weasyprint.CSS(
                    filename=path, font_config=self.font_config, url_fetcher=url_fetcher
                )
                for path in paths
            ]
        return self.stylesheets[paths]

    def _allowed(self, job: dict[str, Any]) -> list[Path]:
        return [Path(root).resolve() for root in [*job["allowed"], str(self.fonts)]]

    def render(self, job: dict[str, Any]) -> int:
        url_fetcher = self.fetcher(self._allowed(job))
        options = {
            "stylesheets": self.stylesheets_for(job),
            "pdf_variant": job.get("variant") or None,
            "pdf_forms": bool(job.get("forms")),
        }
        html = self.weasyprint.HTML(
            string=job["html"], base_url=job["base_url"], url_fetcher=url_fetcher
        )
        document = html.render(font_config=self.font_config, **options)
        target = Path(job["target"])
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            document.write_pdf(str(temporary), **options)
            temporary.replace(target)
        except OSError as exc:
            if exc.filename is None:  # a full disk names no file
                exc.filename = str(temporary)
            raise
        finally:
            temporary.unlink(missing_ok=True)
        return len(document.pages)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
