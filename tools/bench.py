"""The polku benchmark: ``make bench`` or ``python tools/bench.py [--sizes 50,300,1000]``.

It generates synthetic curricula of realistic size (about 1,500 words of body and
four activities per module, three programmes, 20 method cards, 200 glossary terms)
and measures, in one run on one machine:

- ``polku build --no-pdf`` against plain ``mkdocs build`` of the same Markdown pages
  (written out once, with the same theme, extensions and search, without polku);
- ``polku check`` alone, without and with the parse cache of unchanged files;
- workbook PDF rendering, pages per second, one process against all cores;
- PDF rebuilds with nothing changed and after an edit of one module;
- the live preview: from saving a module file to the new page being served;
- the peak memory (RSS, the process and all its children) of each.

The figures are printed and written as tables to ``docs/benchmarks.md``.
The benchmark times things; the test suite never does (it only runs this on a tiny size).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (50, 300, 1000)
# workbooks of 50 modules are about 800 pages; PDF time grows linearly with pages
DEFAULT_PDF_MAX = 50
BODY_WORDS = 1500
ACTIVITIES = 4
PROGRAMMES = 3
METHODS = 20
TERMS = 200
SESSION_MODULES = 2  # modules per session of a programme
PHASE_SESSIONS = 10  # sessions per phase
SEED = 20270111

# Targets of the issue, at the largest size, on two cores
TARGET_BUILD_RATIO = 1.10
TARGET_CHECK_SECONDS = 2.0
TARGET_PARALLEL_SPEEDUP = 1.7
TARGET_REBUILD_SPEEDUP = 10.0
TARGET_SERVE_SECONDS = 2.0
TARGET_PEAK_BYTES = 1024**3

MKDOCS_YML = """\
site_name: Polku-suorituskykytesti
site_description: Synteettinen opetussuunnitelma suorituskyvyn mittaamiseen
theme:
  name: material
  font: false
  features:
    - navigation.indexes
    - navigation.sections
    - navigation.top
    - navigation.footer
    - content.tooltips
    - search.highlight
    - search.suggest
    - toc.follow
plugins:
  - search
  - tags
  - polku
"""

HOME_MD = """\
# Polku-suorituskykytesti

Synteettinen opetussuunnitelma, jolla mitataan polkua.

<!-- polku:programmes -->
"""

# --- synthetic curriculum -------------------------------------------------------------------

WORDS = [
    "asiakas",
    "valmentaja",
    "tavoite",
    "ohjaus",
    "työllisyys",
    "palvelu",
    "keskustelu",
    "kohtaaminen",
    "osaaminen",
    "työpaikka",
    "koulutus",
    "tuki",
    "polku",
    "suunnitelma",
    "prosessi",
    "vaihe",
    "menetelmä",
    "arviointi",
    "palaute",
    "vuorovaikutus",
    "luottamus",
    "motivaatio",
    "voimavara",
    "ratkaisu",
    "kysymys",
    "vastaus",
    "tilanne",
    "muutos",
    "työnhaku",
    "haastattelu",
    "ansioluettelo",
    "verkosto",
    "yhteistyö",
    "sopimus",
    "kirjaus",
    "seuranta",
    "askel",
    "taito",
    "kokemus",
    "oppiminen",
    "harjoitus",
    "ryhmä",
    "pari",
    "tehtävä",
    "ajatus",
    "tunne",
    "kuuntelu",
    "selvitys",
    "mahdollisuus",
    "haaste",
    "este",
    "vahvuus",
    "toive",
    "unelma",
    "arki",
    "elämä",
    "terveys",
    "toimintakyky",
    "hyvinvointi",
    "työkyky",
    "kuntoutus",
    "opiskelu",
    "ammatti",
    "ala",
    "yritys",
    "työnantaja",
    "rekrytointi",
    "hakemus",
    "tapaaminen",
    "viikko",
    "päivä",
    "aamu",
    "ilta",
    "hetki",
    "kerta",
    "aika",
    "paikka",
    "tila",
    "ympäristö",
    "yhteisö",
    "tiimi",
    "kollega",
    "esihenkilö",
    "mentori",
    "kouluttaja",
    "oppija",
    "ohjaaja",
    "valmennus",
    "neuvonta",
    "selkeä",
    "avoin",
    "rohkea",
    "hyvä",
    "uusi",
    "tärkeä",
    "yhteinen",
    "oma",
    "pieni",
    "suuri",
    "nopea",
    "hidas",
    "erilainen",
    "sopiva",
    "tarkka",
    "tavoitteellinen",
    "aktiivinen",
    "luova",
    "käytännöllinen",
    "konkreettinen",
    "yksilöllinen",
    "tutkii",
    "kuuntelee",
    "kysyy",
    "kertoo",
    "sopii",
    "arvioi",
    "suunnittelee",
    "kirjaa",
    "tukee",
    "ohjaa",
    "valmentaa",
    "huomaa",
    "ymmärtää",
    "oppii",
    "kokeilee",
    "harjoittelee",
    "pohtii",
    "valitsee",
    "päättää",
    "toimii",
    "etenee",
    "ja",
    "sekä",
    "tai",
    "mutta",
    "koska",
    "kun",
    "jos",
    "että",
    "myös",
    "vain",
    "aina",
    "usein",
    "joskus",
    "nyt",
    "sitten",
    "yhdessä",
]
TERM_STEMS = [
    "ohjaus",
    "valmennus",
    "kohtaaminen",
    "arviointi",
    "kuntoutus",
    "työkyky",
    "verkosto",
    "tavoite",
    "sopimus",
    "palaute",
    "motivaatio",
    "osaaminen",
    "kirjaus",
    "seuranta",
    "polku",
    "palvelu",
    "ryhmä",
    "mentorointi",
    "haastattelu",
    "työnhaku",
]
TERM_KINDS = [
    "malli",
    "prosessi",
    "suunnitelma",
    "menetelmä",
    "periaate",
    "käytäntö",
    "taito",
    "kartta",
    "tuki",
    "kehä",
]


@dataclass
class Sizes:
    modules: int
    body_words: int = BODY_WORDS
    programmes: int = PROGRAMMES
    methods: int = METHODS
    terms: int = TERMS


def _sentence(rng: random.Random, terms: list[str], words: int | None = None) -> str:
    count = words or rng.randint(8, 16)
    picked = [rng.choice(WORDS) for _ in range(count)]
    if terms and rng.random() < 0.25:
        picked[rng.randrange(count)] = rng.choice(terms).lower()
    text = " ".join(picked)
    return text[:1].upper() + text[1:] + "."


def _paragraph(rng: random.Random, terms: list[str], words: int) -> str:
    sentences, total = [], 0
    while total < words:
        sentence = _sentence(rng, terms)
        sentences.append(sentence)
        total += sentence.count(" ") + 1
    return " ".join(sentences)


def _body(rng: random.Random, index: int, ids: list[str], terms: list[str], words: int) -> str:
    """About ``words`` words of Markdown: sections, lists, emphasis, a link, a note."""
    parts: list[str] = []
    written = 0
    section = 0
    while written < words - 120:
        section += 1
        parts.append(f"## {_sentence(rng, [], 4)[:-1]} {section}")
        for _ in range(3):
            text = _paragraph(rng, terms, 60)
            if rng.random() < 0.5:  # one word in bold
                words_ = text.split(" ")
                at = rng.randrange(1, len(words_) - 1)
                words_[at] = f"**{words_[at]}**"
                text = " ".join(words_)
            parts.append(text)
            written += text.count(" ") + 1
        items = [_sentence(rng, terms, 8) for _ in range(4)]
        parts.append("\n".join(f"- {item}" for item in items))
        written += 36
        if section == 2 and index > 0:
            other = ids[index - 1]
            parts.append(f"Katso myös [edellinen moduuli]({other}.md#activities).")
        if section == 3:
            parts.append(f'!!! note "Muista"\n\n    {_sentence(rng, terms)}')
            written += 12
    return "\n\n".join(parts) + "\n"


def _yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.splitlines()) + "\n"


def generate(root: Path, sizes: Sizes, seed: int = SEED) -> dict[str, object]:
    """Write a synthetic curriculum project into ``root``; returns facts about it."""
    rng = random.Random(seed + sizes.modules)
    if root.exists():
        shutil.rmtree(root)
    curriculum = root / "curriculum"
    for folder in ("programmes", "modules", "methods", "assets"):
        (curriculum / folder).mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    (root / "docs" / "index.md").write_text(HOME_MD, "utf-8")

    terms: list[str] = []
    for stem in TERM_STEMS:
        for kind in TERM_KINDS:
            terms.append(f"{stem.capitalize()}{kind}")
    terms = terms[: sizes.terms]
    while len(terms) < sizes.terms:
        terms.append(f"Termi{len(terms) + 1}")
    lines = ["terms:"]
    for number, term in enumerate(terms):
        lines.append(f"  - term: {term}")
        lines.append(f"    definition: {_yaml_text(_paragraph(rng, [], 30))}")
        if number % 4 == 0 and number + 1 < len(terms):
            lines.append(f"    see: [{terms[number + 1]}]")
    (curriculum / "glossary.yml").write_text("\n".join(lines) + "\n", "utf-8")

    method_ids = [f"menetelma-{n:02d}" for n in range(1, sizes.methods + 1)]
    for number, method_id in enumerate(method_ids, 1):
        steps = "".join(
            f"  - title: Vaihe {s}\n"
            f"    description: {_yaml_text(_sentence(rng, terms))}\n"
            f"    prompts: [{_yaml_text(_sentence(rng, [], 6)[:-1] + '?')}]\n"
            for s in range(1, 5)
        )
        (curriculum / "methods" / f"{method_id}.yml").write_text(
            f"id: {method_id}\n"
            f"title: Menetelmä {number}\n"
            f"summary: {_yaml_text(_sentence(rng, terms))}\n"
            f"when: {_yaml_text(_sentence(rng, terms))}\n"
            f"steps:\n{steps}"
            f"tags: [menetelmä]\n"
            f"sources: [{_yaml_text('Lähde, A. (2020). Menetelmäopas.')}]\n",
            "utf-8",
        )

    module_ids = [f"moduuli-{n:04d}" for n in range(1, sizes.modules + 1)]
    words = 0
    for index, module_id in enumerate(module_ids):
        body = _body(rng, index, module_ids, terms, sizes.body_words)
        words += len(body.split())
        (curriculum / "modules" / f"{module_id}.md").write_text(body, "utf-8")
        prerequisite = (
            f"prerequisites: [{module_ids[index - sizes.programmes]}]\n"
            if index >= sizes.programmes and index % 5 == 0
            else ""
        )
        methods = rng.sample(method_ids, 3)
        (curriculum / "modules" / f"{module_id}.yml").write_text(
            f"id: {module_id}\n"
            f"title: {_yaml_text(f'Moduuli {index + 1}: ' + _sentence(rng, [], 3)[:-1])}\n"
            f"summary: {_yaml_text(_sentence(rng, terms))}\n"
            f"{prerequisite}"
            f"tags: [{rng.choice(TERM_STEMS)}, {rng.choice(TERM_STEMS)}-{index % 7}]\n"
            "outcomes:\n"
            f"  - id: tieto\n    text: {_yaml_text(_sentence(rng, terms))}\n"
            f"  - id: taito\n    text: {_yaml_text(_sentence(rng, terms))}\n"
            f"  - id: asenne\n    text: {_yaml_text(_sentence(rng, terms))}\n"
            "activities:\n"
            "  - id: harjoitus\n"
            "    type: exercise\n"
            f"    title: {_yaml_text('Harjoitus: ' + _sentence(rng, [], 3)[:-1])}\n"
            "    duration: 20min\n"
            "    mode: pairs\n"
            "    outcomes: [tieto, taito]\n"
            f"    methods: [{methods[0]}, {methods[1]}]\n"
            f"    instructions: {_block(_paragraph(rng, terms, 60), 6)}"
            f"    steps: [{', '.join(_yaml_text(_sentence(rng, [], 5)) for _ in range(3))}]\n"
            "    materials: [Ajastin, Tehtäväkortit]\n"
            f"    facilitator_notes: {_block(_paragraph(rng, terms, 40), 6)}"
            f"    debrief: [{_yaml_text(_sentence(rng, [], 6)[:-1] + '?')}]\n"
            "  - id: pohdinta\n"
            "    type: reflection\n"
            f"    title: {_yaml_text('Pohdinta: ' + _sentence(rng, [], 3)[:-1])}\n"
            "    duration: 20min\n"
            "    mode: solo\n"
            "    outcomes: [asenne]\n"
            f"    prompts: [{', '.join(_yaml_text(_sentence(rng, [], 6)[:-1] + '?') for _ in range(3))}]\n"  # noqa: E501
            "  - id: keskustelu\n"
            "    type: discussion\n"
            f"    title: {_yaml_text('Keskustelu: ' + _sentence(rng, [], 3)[:-1])}\n"
            "    duration: 20min\n"
            "    mode: group\n"
            "    outcomes: [taito]\n"
            f"    methods: [{methods[2]}]\n"
            f"    instructions: {_block(_paragraph(rng, terms, 40), 6)}"
            f"    prompts: [{', '.join(_yaml_text(_sentence(rng, [], 6)[:-1] + '?') for _ in range(2))}]\n"  # noqa: E501
            f"    facilitator_notes: {_block(_paragraph(rng, terms, 30), 6)}"
            "  - id: tarkistus\n"
            "    type: self-check\n"
            f"    title: {_yaml_text('Tarkista: ' + _sentence(rng, [], 3)[:-1])}\n"
            "    duration: 20min\n"
            "    outcomes: [tieto, taito, asenne]\n"
            "    questions:\n"
            + "".join(
                f"      - question: {_yaml_text(_sentence(rng, [], 7)[:-1] + '?')}\n"
                f"        answer: {_yaml_text(_sentence(rng, terms))}\n"
                for _ in range(3)
            )
            + "sources:\n"
            f"  - {_yaml_text(f'Kirjoittaja, K. ({2000 + index % 25}). Teos {index + 1}.')}\n"
            f"  - {_yaml_text('Työ- ja elinkeinoministeriö (2024). Opas.')}\n",
            "utf-8",
        )

    for p in range(sizes.programmes):
        mine = module_ids[p :: sizes.programmes]
        phases = []
        sessions = [mine[i : i + SESSION_MODULES] for i in range(0, len(mine), SESSION_MODULES)]
        for ph in range(0, max(1, len(sessions)), PHASE_SESSIONS):
            chunk = sessions[ph : ph + PHASE_SESSIONS]
            text = f"  - id: vaihe-{ph // PHASE_SESSIONS + 1}\n"
            text += f"    title: Vaihe {ph // PHASE_SESSIONS + 1}\n    sessions:\n"
            for s, modules in enumerate(chunk, ph + 1):
                text += (
                    f"      - id: tapaaminen-{s}\n"
                    f"        title: Tapaaminen {s}\n"
                    f"        kind: {'contact' if s % 2 else 'remote'}\n"
                    f"        day: {s}\n"
                    '        start: "09:00"\n'
                    "        facilitator: mentori\n"
                    "        items:\n"
                    "          - title: Aloitus\n"
                    "            duration: 15min\n"
                )
                for m, module_id in enumerate(modules):
                    if m:
                        text += "          - break: 15min\n"
                    text += f"          - module: {module_id}\n"
            if chunk:
                phases.append(text)
        (curriculum / "programmes" / f"ohjelma-{p + 1}.yml").write_text(
            f"id: ohjelma-{p + 1}\n"
            f"title: Ohjelma {p + 1}\n"
            "language: fi\n"
            f"summary: {_yaml_text(_sentence(rng, terms))}\n"
            f"audience: {_yaml_text(_sentence(rng, []))}\n"
            f"outcomes: [{_yaml_text(_sentence(rng, terms))}, {_yaml_text(_sentence(rng, []))}]\n"
            "start_date: 2027-01-11\n"
            "roles:\n"
            "  - id: uusi\n    title: Uusi työntekijä\n"
            "  - id: mentori\n    title: Mentori\n"
            "  - id: hr\n    title: HR\n"
            "phases:\n" + "".join(phases) + "checklist:\n"
            "  - role: hr\n    day: -5\n    task: Lähetä tervetuloviesti.\n"
            "  - role: mentori\n    day: 1\n    task: Esittele työyhteisö.\n",
            "utf-8",
        )
    return {"modules": sizes.modules, "body_words": words // max(1, sizes.modules)}


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Run:
    """One timed command: wall seconds and peak memory of its whole process tree."""

    seconds: float
    peak: int  # bytes
    returncode: int
    stdout: str = ""
    stderr: str = ""
    cpu: float = 0.0  # user + system seconds of the command and its child processes

    def check(self, what: str) -> Run:
        if self.returncode != 0:
            tail = "\n".join((self.stdout + self.stderr).splitlines()[-30:])
            raise SystemExit(f"bench: {what} failed (exit {self.returncode}):\n{tail}")
        return self


class TreeMemory:
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                processes = [root]
            for process in processes:
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)


def timed(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``command``; its wall time and the peak RSS of its process tree."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=err, text=True, encoding="utf-8"
        )
        with TreeMemory(process.pid) as memory:
            _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak = max(memory.peak, usage.ru_maxrss * 1024)
        cpu = usage.ru_utime + usage.ru_stime
        return Run(seconds, peak, process.returncode, out.read(), err.read(), cpu)


def best(runs: list[Run]) -> Run:
    """The fastest of repeated runs, with the highest peak memory seen."""
    fastest = min(runs, key=lambda r: r.seconds)
    return Run(
        fastest.seconds,
        max(r.peak for r in runs),
        fastest.returncode,
        cpu=min(r.cpu for r in runs),
    )


def polku(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "polku", *map(str, args)]


def mkdocs(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *map(str, args)]


# --- the plain MkDocs baseline -------------------------------------------------------------


def write_baseline(project: Path, target: Path) -> int:
    """The project's pages as plain MkDocs sees them, without the polku plugin.

    The generated Markdown, the hand-written pages, the same theme, Markdown
    extensions, language, navigation and search; nothing of polku runs.
    Returns the number of pages.
    """
    import yaml
    from mkdocs.config import load_config
    from polku.plugin import PROGRAMMES_MARKER

    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["polku"]
    plugin.config["pdf"] = False
    plugin.on_startup(command="bench", dirty=False)
    plugin.on_config(config)
    renderer = plugin.renderer
    pages = renderer.pages()
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    shutil.copytree(project / "docs", docs)
    for path in docs.rglob("*.md"):
        text = path.read_text("utf-8")
        if PROGRAMMES_MARKER in text:
            listing = renderer.programme_list(path.relative_to(docs).as_posix())
            path.write_text(text.replace(PROGRAMMES_MARKER, listing), "utf-8")
    for rel, content in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
    user = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
    user["plugins"] = [p for p in user.get("plugins", []) if p != "polku"]
    user["plugins"] = [
        {"search": {"lang": [renderer.curriculum.language]}} if p == "search" else p
        for p in user["plugins"]
    ]
    user["theme"]["language"] = renderer.curriculum.language
    user["markdown_extensions"] = [
        {name: config.mdx_configs[name]} if name in config.mdx_configs else name
        for name in config.markdown_extensions
    ]
    user["nav"] = config.nav
    user["site_dir"] = str(target / "site")
    (target / "mkdocs.yml").write_text(
        yaml.safe_dump(user, allow_unicode=True, sort_keys=False), "utf-8"
    )
    plugin.on_shutdown()
    return len(pages)


# --- workbook PDFs ----------------------------------------------------------------------------


def pdf_available() -> str | None:
    """None when polku can render workbooks; otherwise why not."""
    try:
        from polku.render import pdf, workbook  # noqa: F401
    except ImportError as exc:
        return f"not available: {exc}"
    for name in ("start_workbooks", "WorkbookBuild", "cache_dir"):
        if not hasattr(pdf, name):
            return f"not available: polku.render.pdf has no {name}"
    return None


def pdf_job(root: Path, cache: Path, workers: int, site: Path) -> dict[str, float]:
    """Render (or reuse) every workbook of the project once; runs in its own process."""
    from polku.check import check
    from polku.render.pdf import WorkbookBuild
    from polku.render.workbook import WorkbookRenderer

    started = time.perf_counter()
    curriculum, report = check(root)
    if report.errors:
        raise SystemExit(report.summary())
    loaded = time.perf_counter()
    renderer = WorkbookRenderer(curriculum, organisation="bench")
    build = WorkbookBuild(
        renderer.documents(), cache, [curriculum.curriculum_dir], workers=workers or None
    )
    build.start()
    stats = build.finish(site)
    finished = time.perf_counter()
    return {
        "load": loaded - started,
        "documents": len(stats.results),
        "rendered": len(stats.rendered),
        "pages": sum(r.pages for r in stats.results),
        "rendered_pages": stats.rendered_pages,
        "render_seconds": stats.seconds if stats.rendered else 0.0,
        "workbook_seconds": finished - loaded,
        "workers": stats.workers,
    }


def timed_pdf(root: Path, cache: Path, workers: int, site: Path) -> tuple[Run, dict[str, float]]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--pdf-job",
        str(root),
        str(cache),
        str(workers),
        str(site),
    ]
    run = timed(command).check("workbook rendering")
    return run, json.loads(run.stdout.strip().splitlines()[-1])


# --- the live preview -------------------------------------------------------------------------


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
    project: Path, module_id: str, edits: int = 2, timeout: float = 600
) -> tuple[float, int]:
    """Seconds from saving one module's body to its new text being served; peak RSS.

    The best of ``edits`` saves, a second apart, like the other timings' best of runs.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    body = project / "curriculum" / "modules" / f"{module_id}.md"
    source = project / "curriculum" / "modules" / f"{module_id}.yml"
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            polku("serve", "--root", project, "--dev-addr", f"127.0.0.1:{port}"),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            with TreeMemory(process.pid) as memory:
                page = f"{base}/modules/{module_id}/"
                deadline = time.monotonic() + timeout
                while fetch(page) is None:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise SystemExit(f"bench: polku serve did not start:\n{log.read()[-3000:]}")
                    time.sleep(0.1)
                latencies = []
                for _ in range(edits):
                    time.sleep(1.0)  # let the watcher settle after the last build
                    marker = f"polkubench{int(time.time() * 1000)}"
                    if body.is_file():
                        text = body.read_text("utf-8")
                        saved = time.perf_counter()
                        body.write_text(text.rstrip("\n") + f"\n\n{marker}\n", "utf-8")
                    else:
                        text = source.read_text("utf-8")
                        saved = time.perf_counter()
                        source.write_text(
                            re.sub(r"^title: .*$", f"title: {marker}", text, count=1, flags=re.M),
                            "utf-8",
                        )
                    while True:
                        html = fetch(page)
                        if html is not None and marker in html:
                            latencies.append(time.perf_counter() - saved)
                            break
                        if process.poll() is not None or time.monotonic() > deadline:
                            raise SystemExit("bench: the edit never reached the served page")
                        time.sleep(0.02)
            return min(latencies), memory.peak
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def copy_project(source: Path, target: Path) -> Path:
    """A copy of a project's sources (no site, caches or virtual environment)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "curriculum", "docs", "overrides"):
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.is_file():
            shutil.copy2(path, target / name)
    return target


def first_module(project: Path) -> str | None:
    modules = sorted((project / "curriculum" / "modules").glob("*.yml"))
    return modules[0].stem if modules else None


# --- one size ---------------------------------------------------------------------------------


@dataclass
class Result:
    size: int
    pages: int = 0
    body_words: int = 0
    check: Run | None = None  # files unchanged since the last check (from the parse cache)
    check_cold: Run | None = None  # no parse cache
    build: Run | None = None
    baseline: Run | None = None
    site_rebuild: Run | None = None
    pdf: dict[str, object] = field(default_factory=dict)
    serve: tuple[float, int] | None = None

    @property
    def ratio(self) -> float | None:
        if self.build and self.baseline:
            return self.build.seconds / self.baseline.seconds
        return None

    @property
    def cpu_ratio(self) -> float | None:
        if self.build and self.baseline and self.baseline.cpu:
            return self.build.cpu / self.baseline.cpu
        return None


def edit_module(project: Path, module_id: str, note: str) -> None:
    body = project / "curriculum" / "modules" / f"{module_id}.md"
    body.write_text(body.read_text("utf-8") + f"\n{note}\n", "utf-8")


def measure(size: int, work: Path, args: argparse.Namespace, log: Logger) -> Result:
    result = Result(size)
    project = work / f"curriculum-{size}"
    facts = generate(project, Sizes(size))
    result.body_words = int(facts["body_words"])  # type: ignore[arg-type]
    log(f"{size} modules: generated {project} ({result.body_words} words of body per module)")

    site = work / f"site-{size}"
    checks = []
    for _ in range(args.repeat):  # each run without the parse cache of the last one
        shutil.rmtree(project / ".cache", ignore_errors=True)
        checks.append(timed(polku("check", "--root", project)).check("polku check"))
    result.check_cold = best(checks)
    cold = result.check_cold
    log(f"  polku check, no cache  {cold.seconds:7.2f} s  {mib(cold.peak)}")
    result.check = best(
        [timed(polku("check", "--root", project)).check("polku check") for _ in range(args.repeat)]
    )
    log(f"  polku check            {result.check.seconds:7.2f} s  {mib(result.check.peak)}")

    baseline = work / f"baseline-{size}"
    result.pages = write_baseline(project, baseline)
    builds, plains = [], []
    for _ in range(args.repeat):  # interleaved, so a busy moment hurts both alike
        builds.append(
            timed(polku("build", "--root", project, "--no-pdf", "-q", "--site-dir", site)).check(
                "polku build --no-pdf"
            )
        )
        plains.append(
            timed(mkdocs("build", "-q", "-f", baseline / "mkdocs.yml")).check("mkdocs build")
        )
    result.build, result.baseline = best(builds), best(plains)
    log(f"  polku build --no-pdf   {result.build.seconds:7.2f} s  {mib(result.build.peak)}")
    log(f"  plain mkdocs build     {result.baseline.seconds:7.2f} s  {mib(result.baseline.peak)}")
    log(f"  ratio                  {result.ratio:7.2f}  (CPU time {result.cpu_ratio:.2f})")

    module_id = f"moduuli-{size // 2 + 1:04d}"
    edit_module(project, module_id, "Muokattu kappale.")
    result.site_rebuild = timed(
        polku("build", "--root", project, "--no-pdf", "-q", "--site-dir", site)
    ).check("polku build after an edit")
    log(f"  site after an edit     {result.site_rebuild.seconds:7.2f} s")

    if args.pdf and (not args.pdf_max or size <= args.pdf_max):
        missing = pdf_available()
        if missing:
            result.pdf = {"missing": missing}
            log(f"  workbooks: {missing}")
        else:
            result.pdf = measure_pdf(project, work, size, module_id, log)
    if args.serve_sizes and size <= args.serve_sizes:
        result.serve = serve_latency(project, module_id, edits=max(args.repeat, 2))
        log(f"  serve: edit to page    {result.serve[0]:7.2f} s  {mib(result.serve[1])}")
    if not args.keep:
        for path in (project, site, baseline, work / f"pdf-{size}"):
            shutil.rmtree(path, ignore_errors=True)
    return result


def measure_pdf(
    project: Path, work: Path, size: int, module_id: str, log: Logger
) -> dict[str, object]:
    cores = len(os.sched_getaffinity(0))
    pdf_dir = work / f"pdf-{size}"
    shutil.rmtree(pdf_dir, ignore_errors=True)
    single, single_stats = timed_pdf(project, pdf_dir / "cache-1", 1, pdf_dir / "site-1")
    log(
        f"  PDFs, 1 process        {single_stats['render_seconds']:7.2f} s  "
        f"{single_stats['rendered_pages']} pages  {mib(single.peak)}"
    )
    cache = pdf_dir / "cache"
    parallel, parallel_stats = timed_pdf(project, cache, cores, pdf_dir / "site")
    log(
        f"  PDFs, {cores} processes      {parallel_stats['render_seconds']:7.2f} s  "
        f"{mib(parallel.peak)}"
    )
    unchanged, unchanged_stats = timed_pdf(project, cache, cores, pdf_dir / "site")
    log(f"  PDFs, nothing changed  {unchanged_stats['workbook_seconds']:7.2f} s")
    edit_module(project, module_id, "Toinen muokattu kappale.")
    edited, edited_stats = timed_pdf(project, cache, cores, pdf_dir / "site")
    log(
        f"  PDFs, one module edited {edited_stats['workbook_seconds']:6.2f} s "
        f"({edited_stats['rendered']} of {edited_stats['documents']} rendered again)"
    )
    return {
        "cores": cores,
        "single": (single, single_stats),
        "parallel": (parallel, parallel_stats),
        "unchanged": (unchanged, unchanged_stats),
        "edited": (edited, edited_stats),
    }


# --- report -----------------------------------------------------------------------------------


class Logger:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)


def mib(size: int) -> str:
    return f"{size / 1024**2:,.0f} MiB"


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def per_module(value: float, size: int) -> str:
    return f"{value / size * 1000:.1f} ms"


def versions() -> str:
    found = []
    for package in ("mkdocs", "mkdocs-material", "markdown", "weasyprint"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{package} {metadata.version(package)}")
    return ", ".join(found)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def pdf_cell(result: Result, key: str, show: object) -> str:
    if not result.pdf:
        return "not measured"
    if "missing" in result.pdf:
        return "not available"
    run, stats = result.pdf[key]  # type: ignore[misc]
    return show(run, stats)  # type: ignore[operator]


def report(results: list[Result], args: argparse.Namespace, real: tuple[float, int] | None) -> str:
    cores = len(os.sched_getaffinity(0))
    header = ["", *(f"{r.size} modules" for r in results)]

    def row(name: str, show: object) -> list[str]:
        return [name, *(show(r) for r in results)]  # type: ignore[operator]

    site_rows = [
        row("pages generated", lambda r: str(r.pages)),
        row("`polku check`, files unchanged (parse cache)", lambda r: seconds(r.check.seconds)),
        row("`polku check`, first run (no cache)", lambda r: seconds(r.check_cold.seconds)),
        row("`polku build --no-pdf`", lambda r: seconds(r.build.seconds)),
        row("plain `mkdocs build` of the same pages", lambda r: seconds(r.baseline.seconds)),
        row("**ratio polku / plain MkDocs**", lambda r: f"**{r.ratio:.2f}×**"),
        row("CPU time: `polku build --no-pdf`", lambda r: seconds(r.build.cpu)),
        row("CPU time: plain `mkdocs build`", lambda r: seconds(r.baseline.cpu)),
        row("ratio of CPU times", lambda r: f"{r.cpu_ratio:.2f}×"),
        row(
            "`polku build --no-pdf` after editing one module",
            lambda r: seconds(r.site_rebuild.seconds),
        ),
        row("peak RSS: `polku check`", lambda r: mib(r.check.peak)),
        row("peak RSS: `polku build --no-pdf`", lambda r: mib(r.build.peak)),
        row("peak RSS: plain `mkdocs build`", lambda r: mib(r.baseline.peak)),
    ]
    linear_rows = [
        row("`polku check`, no cache", lambda r: per_module(r.check_cold.seconds, r.size)),
        row("`polku build --no-pdf`", lambda r: per_module(r.build.seconds, r.size)),
        row("plain `mkdocs build`", lambda r: per_module(r.baseline.seconds, r.size)),
        row(
            "polku's own share (build − plain)",
            lambda r: per_module(r.build.seconds - r.baseline.seconds, r.size),
        ),
    ]
    pdf_rows = [
        row(
            "pages (all workbooks)",
            lambda r: pdf_cell(r, "single", lambda run, s: str(s["pages"])),
        ),
        row(
            "render, 1 process",
            lambda r: pdf_cell(
                r,
                "single",
                lambda run, s: (
                    f"{seconds(s['render_seconds'])}, "
                    f"{s['rendered_pages'] / s['render_seconds']:.1f} pages/s"
                ),
            ),
        ),
        row(
            f"render, {cores} processes",
            lambda r: pdf_cell(
                r,
                "parallel",
                lambda run, s: (
                    f"{seconds(s['render_seconds'])}, "
                    f"{s['rendered_pages'] / s['render_seconds']:.1f} pages/s"
                ),
            ),
        ),
        row("**parallel speed-up**", lambda r: pdf_cell(r, "parallel", lambda run, s: "")),
        row(
            "workbook stage, cold (documents + render + copy)",
            lambda r: pdf_cell(r, "parallel", lambda run, s: seconds(s["workbook_seconds"])),
        ),
        row(
            "workbook stage, nothing changed",
            lambda r: pdf_cell(r, "unchanged", lambda run, s: seconds(s["workbook_seconds"])),
        ),
        row("**cold / nothing changed**", lambda r: pdf_cell(r, "unchanged", lambda run, s: "")),
        row(
            "workbook stage, one module edited",
            lambda r: pdf_cell(
                r,
                "edited",
                lambda run, s: (
                    f"{seconds(s['workbook_seconds'])} "
                    f"({s['rendered']} of {s['documents']} PDFs rendered)"
                ),
            ),
        ),
        row(
            "peak RSS, 1 process",
            lambda r: pdf_cell(r, "single", lambda run, s: mib(run.peak)),
        ),
        row(
            f"peak RSS, {cores} processes",
            lambda r: pdf_cell(r, "parallel", lambda run, s: mib(run.peak)),
        ),
    ]
    for index, result in enumerate(results, 1):
        if result.pdf and "missing" not in result.pdf:
            single = result.pdf["single"][1]  # type: ignore[index]
            parallel = result.pdf["parallel"][1]  # type: ignore[index]
            unchanged = result.pdf["unchanged"][1]  # type: ignore[index]
            speedup = single["render_seconds"] / parallel["render_seconds"]
            pdf_rows[3][index] = f"**{speedup:.2f}×**"
            rebuild = parallel["workbook_seconds"] / unchanged["workbook_seconds"]
            pdf_rows[6][index] = f"**{rebuild:.0f}×**"
    serve_rows = [
        row(
            "`polku serve`: module saved → new page served",
            lambda r: seconds(r.serve[0]) if r.serve else "not measured",
        ),
        row(
            "peak RSS: `polku serve`",
            lambda r: mib(r.serve[1]) if r.serve else "not measured",
        ),
    ]
    largest = results[-1]
    targets = [
        [
            "`polku build --no-pdf` / plain MkDocs",
            f"≤ {TARGET_BUILD_RATIO:.2f}×",
            *verdict(largest.ratio, lambda v: f"{v:.2f}×", lambda v: v <= TARGET_BUILD_RATIO),
        ],
        [
            "`polku check`, files unchanged since the last check",
            f"< {TARGET_CHECK_SECONDS:.0f} s",
            *verdict(
                largest.check.seconds if largest.check else None,
                seconds,
                lambda v: v < TARGET_CHECK_SECONDS,
            ),
        ],
        [
            "`polku check`, first run (no parse cache)",
            f"< {TARGET_CHECK_SECONDS:.0f} s",
            *verdict(
                largest.check_cold.seconds if largest.check_cold else None,
                seconds,
                lambda v: v < TARGET_CHECK_SECONDS,
            ),
        ],
    ]
    # the PDF targets at the largest size whose workbooks were measured (--pdf-max)
    with_pdf = [r for r in results if r.pdf and "missing" not in r.pdf]
    if with_pdf:
        pdf_result = with_pdf[-1]
        single = pdf_result.pdf["single"][1]  # type: ignore[index]
        parallel = pdf_result.pdf["parallel"][1]  # type: ignore[index]
        unchanged = pdf_result.pdf["unchanged"][1]  # type: ignore[index]
        speedup = single["render_seconds"] / parallel["render_seconds"]
        rebuild = parallel["workbook_seconds"] / unchanged["workbook_seconds"]
        pdf_size = f" ({pdf_result.size} modules)" if pdf_result is not largest else ""
    else:
        speedup = rebuild = None
        pdf_size = ""
    targets.append(
        [
            f"PDFs: all cores against one process{pdf_size}",
            f"≥ {TARGET_PARALLEL_SPEEDUP:.1f}×",
            *verdict(speedup, lambda v: f"{v:.2f}×", lambda v: v >= TARGET_PARALLEL_SPEEDUP),
        ]
    )
    targets.append(
        [
            f"PDFs: cold against nothing changed{pdf_size}",
            f"≥ {TARGET_REBUILD_SPEEDUP:.0f}×",
            *verdict(rebuild, lambda v: f"{v:.0f}×", lambda v: v >= TARGET_REBUILD_SPEEDUP),
        ]
    )
    targets.append(
        [
            "`polku serve` edit on the real curriculum",
            f"< {TARGET_SERVE_SECONDS:.0f} s",
            *verdict(real[0] if real else None, seconds, lambda v: v < TARGET_SERVE_SECONDS),
        ]
    )
    peaks = [
        r.peak for res in results for r in (res.check, res.check_cold, res.build) if r is not None
    ]
    for res in results:
        if res.pdf and "missing" not in res.pdf:
            peaks.extend(res.pdf[k][0].peak for k in ("single", "parallel"))  # type: ignore[index]
        if res.serve:
            peaks.append(res.serve[1])
    if real:
        peaks.append(real[1])
    targets.append(
        [
            "peak memory of any polku command",
            "< 1 GiB",
            *verdict(max(peaks) if peaks else None, mib, lambda v: v < TARGET_PEAK_BYTES),
        ]
    )

    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    sizes = ",".join(str(r.size) for r in results)
    command = f"python tools/bench.py --sizes {sizes} --pdf-max {args.pdf_max}" + (
        " --quick" if args.quick else ""
    )
    parts = [
        "---",
        "lang: en",  # an English page on a site in another language
        "---",
        "",
        "# Benchmarks",
        "",
        f"Written by `{command}` (`make bench` runs the default sizes) on {stamp}.",
        "",
        f"- machine: **{cores} cores** ({platform.machine()}), "
        f"{psutil.virtual_memory().total / 1024**3:.0f} GiB memory, "
        f"Python {platform.python_version()}",
        f"- {versions()}",
        f"- each synthetic module: about {results[-1].body_words} words of body, "
        f"{ACTIVITIES} activities; every curriculum has {PROGRAMMES} programmes, "
        f"{METHODS} method cards and {TERMS} glossary terms",
        f"- times are the best of {args.repeat} run(s); polku and plain MkDocs runs alternate; "
        "peak memory is the summed RSS of the command and all its child processes",
        "",
        "## Targets (largest size)",
        "",
        table(["target", "goal", f"measured ({largest.size} modules)", "met"], targets),
        "",
        "## Site",
        "",
        "The plain baseline is `mkdocs build` of the very Markdown pages polku generates, "
        "written out once, with the same theme, features, Markdown extensions, navigation, "
        "search and tags plugins, and no polku plugin.",
        "",
        table(header, site_rows),
        "",
        "## Cost per module",
        "",
        table(header, linear_rows),
        "",
        "## Workbook PDFs",
        "",
        "The workbook stage alone (build the print documents, render what the cache lacks, "
        "copy the PDFs), in a process of its own.",
        "",
        table(header, pdf_rows),
        "",
        "## Live preview",
        "",
        table(header, serve_rows),
        "",
    ]
    if real:
        parts += [
            f"On the real curriculum of this repository: **{seconds(real[0])}** from saving a "
            f"module to the new page being served (peak RSS {mib(real[1])}).",
            "",
        ]
    return "\n".join(parts)


def verdict(value: float | None, show: object, ok: object) -> list[str]:
    if value is None:
        return ["not measured", "–"]
    return [show(value), "yes" if ok(value) else "**no**"]  # type: ignore[operator]


# --- main -------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="module counts to measure, comma-separated (default: 50,300,1000)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="one run each, no live-preview measurement"
    )
    parser.add_argument("--repeat", type=int, default=None, help="runs of each timing (best kept)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the workbooks")
    parser.add_argument(
        "--pdf-max",
        type=int,
        default=DEFAULT_PDF_MAX,
        help=f"measure workbooks only up to this size (default: {DEFAULT_PDF_MAX}; 0: all sizes)",
    )
    parser.add_argument(
        "--serve-sizes",
        type=int,
        default=None,
        help="measure the live preview on synthetic sizes up to this one (default: none)",
    )
    parser.add_argument(
        "--real",
        type=Path,
        default=REPO,
        help="project whose live preview is measured (a copy of it is edited)",
    )
    parser.add_argument("--no-serve", dest="serve", action="store_false")
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("--pdf-job", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = 1 if args.quick else 2
    if args.quick:
        args.serve = False
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.pdf_job:
        root, cache, workers, site = args.pdf_job
        stats = pdf_job(Path(root), Path(cache), int(workers), Path(site))
        print(json.dumps(stats))
        return 0
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    log = Logger(args.quiet)
    work_context = (
        contextlib.nullcontext(str(args.work))
        if args.work
        else tempfile.TemporaryDirectory(prefix="polku-bench-")
    )
    with work_context as work_name:
        work = Path(work_name)
        work.mkdir(parents=True, exist_ok=True)
        log(f"bench: {len(os.sched_getaffinity(0))} cores, scratch folder {work}")
        results = [measure(size, work, args, log) for size in sizes]
        real = None
        if args.serve and (args.real / "curriculum").is_dir():
            project = copy_project(args.real, work / "real")
            module_id = first_module(project)
            if module_id:
                real = serve_latency(project, module_id, edits=max(args.repeat, 2))
                log(f"real curriculum: serve edit to page {real[0]:.2f} s  {mib(real[1])}")
            if not args.keep:
                shutil.rmtree(project, ignore_errors=True)
    text = report(results, args, real)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    print(text)
    log(f"bench: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
