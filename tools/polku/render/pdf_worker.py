"""A PDF rendering process: ``python -m polku.render.pdf_worker CACHE_DIR``.

It reads one job per line (JSON) on standard input and answers each with one
line of JSON on standard output. Before WeasyPrint loads, Fontconfig is pointed
at polku's own font folder alone, so no font of the machine ever reaches a PDF.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any
from urllib.request import url2pathname
from xml.sax.saxutils import escape

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONTS_CSS = FONTS_DIR / "fonts.css"
HYPHENATION_DIR = Path(__file__).resolve().parent.parent / "hyphenation"


def register_hyphenation() -> None:
    """Give Pyphen (and so WeasyPrint) polku's patterns for the languages it lacks."""
    import pyphen

    for path in sorted(HYPHENATION_DIR.glob("hyph_*.dic")):
        language = path.stem.removeprefix("hyph_")
        if pyphen.language_fallback(language) is None:
            pyphen.LANGUAGES[language] = path
            pyphen.LANGUAGES_LOWERCASE[language.lower()] = language


def decoded_fonts(cache_dir: Path) -> Path:
    """The shipped WOFF2 fonts decoded to TrueType once, with a matching ``fonts.css``.

    WeasyPrint would otherwise decode every WOFF2 file again for each document.
    The folder is named by the fonts' content, so new fonts get a new folder.
    """
    digest = hashlib.sha256()
    for path in sorted(FONTS_DIR.glob("*.woff2")):
        digest.update(path.name.encode() + path.read_bytes())
    target = cache_dir / "fonts" / digest.hexdigest()[:16]
    if (target / "fonts.css").is_file():
        return target
    from fontTools.ttLib import woff2

    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    for path in sorted(FONTS_DIR.glob("*.woff2")):
        woff2.decompress(str(path), str(temporary / f"{path.stem}.ttf"))
    css = FONTS_CSS.read_text("utf-8").replace(
        '.woff2") format("woff2")', '.ttf") format("truetype")'
    )
    (temporary / "fonts.css").write_text(css, "utf-8")
    try:
        temporary.rename(target)
    except OSError:  # another process was quicker
        shutil.rmtree(temporary, ignore_errors=True)
    return target


def configure_fonts(cache_dir: Path) -> Path:
    """Write a Fontconfig configuration that knows only polku's fonts and use it.

    Returns the folder of the decoded fonts, which holds their ``fonts.css``.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    fonts = decoded_fonts(cache_dir)
    config = cache_dir / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{escape(str(fonts))}</dir>\n"
        f"  <cachedir>{escape(str(cache_dir / 'fontconfig'))}</cachedir>\n"
        "</fontconfig>\n"
    )
    if not config.is_file() or config.read_text("utf-8") != text:
        temporary = config.with_name(f"{config.name}.{os.getpid()}")
        temporary.write_text(text, "utf-8")
        temporary.replace(config)
    os.environ["FONTCONFIG_FILE"] = str(config)
    os.environ.pop("FONTCONFIG_PATH", None)
    return fonts


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
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        collect.messages = []
        started, cpu = time.perf_counter(), time.process_time()
        try:
            pages = renderer.render(job)
        except Exception as exc:  # reported to the parent, which fails the build
            answer = failure(exc)
        else:
            answer = {
                "ok": True,
                "pages": pages,
                "seconds": time.perf_counter() - started,
                "cpu_seconds": time.process_time() - cpu,
                "warnings": collect.messages,
                "fonttools_subsetting": slow_subsetting,
            }
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        gc.collect()  # what the document left behind, while the parent reads the answer
    return 0


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

    def render(self, job: dict[str, Any]) -> int:
        allowed = [Path(root).resolve() for root in [*job["allowed"], str(self.fonts)]]
        url_fetcher = self.fetcher(allowed)
        paths = (str(self.fonts / "fonts.css"), *job["stylesheets"])
        if paths not in self.stylesheets:
            self.stylesheets[paths] = [
                self.weasyprint.CSS(
                    filename=path, font_config=self.font_config, url_fetcher=url_fetcher
                )
                for path in paths
            ]
        options = {
            "stylesheets": self.stylesheets[paths],
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
