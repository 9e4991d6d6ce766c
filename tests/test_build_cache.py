"""A build that reuses the cache gives exactly the site a build from scratch gives."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_fixture
from helpers import edit

# the same build date for every build of a test (the sitemap carries it)
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1798761600", NO_MKDOCS_2_WARNING="1")


def build(project: Path, site: Path) -> None:
    command = ["build", "--root", str(project), "--no-pdf", "-q", "--site-dir", str(site)]
    result = subprocess.run(
        [sys.executable, "-m", "polku", *command],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def body(project: Path) -> None:
    page = project / "curriculum/modules/valmennus.md"
    page.write_text(page.read_text("utf-8") + "\nUusi kappale välimuistin testiin.\n", "utf-8")


def title(project: Path) -> None:
    """A programme's title is in every page's navigation."""
    edit(
        project,
        "curriculum/programmes/perehdytys.yml",
        "title: Valmentajan perehdytys",
        "title: Uusi nimi",
    )


def glossary(project: Path) -> None:
    """A glossary definition is the hover text of its term on every page that uses it."""
    edit(
        project,
        "curriculum/glossary.yml",
        "Tavoitteellinen prosessi",
        "Tavoitteellinen ja muuttunut prosessi",
    )


def instructions(project: Path) -> None:
    """An activity's text is on its module page and on the pages of its session."""
    edit(
        project,
        "curriculum/modules/valmennus.yml",
        "instructions: Käytä GROW-mallia.",
        "instructions: Käytä GROW-mallia pareittain.",
    )


def facilitator_notes(project: Path) -> None:
    """Notes for facilitators are on the facilitator's session page only."""
    edit(project, "curriculum/modules/valmennus.yml", "Jaa ryhmät.", "Jaa kolmen ryhmät.")


def method(project: Path) -> None:
    """A method card's summary shows on the module and session pages that use it."""
    edit(
        project,
        "curriculum/methods/grow.yml",
        "summary: Neljän vaiheen keskustelurunko.",
        "summary: Neljän vaiheen runko.",
    )


def asset(project: Path) -> None:
    """A new asset is one more published file; pages only link to what is there."""
    source = project / "curriculum/assets/kaavio.png"
    shutil.copyfile(source, project / "curriculum/assets/toinen.png")


def template(project: Path) -> None:
    overrides = project / "overrides"
    overrides.mkdir(exist_ok=True)
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}<meta name="x-test" content="1">'
        "{{ super() }}{% endblock %}\n",
        "utf-8",
    )
    edit(project, "mkdocs.yml", "  name: material", "  name: material\n  custom_dir: overrides")


def config(project: Path) -> None:
    edit(project, "mkdocs.yml", "site_name: Testikoulutus", "site_name: Toinen koulutus")


CHANGES = [body, title, glossary, instructions, facilitator_notes, method, asset, template, config]


@pytest.mark.parametrize("same_site", [False, True], ids=["new-site", "same-site"])
@pytest.mark.parametrize("change", CHANGES)
def test_a_cached_build_is_byte_identical_to_a_cold_one(
    tmp_path: Path, change: Callable[[Path], None], same_site: bool
) -> None:
    """From the cache into a new folder, or over the published site (whose unchanged
    pages are then linked into the new one)."""
    project = copy_fixture("basic", tmp_path)
    build(project, tmp_path / "first")  # fills the cache
    first = files(tmp_path / "first")
    change(project)
    site = tmp_path / ("first" if same_site else "cached")
    build(project, site)
    cached = files(site)
    shutil.rmtree(project / ".cache")
    build(project, tmp_path / "cold")
    cold = files(tmp_path / "cold")
    assert sorted(cached) == sorted(cold)
    different = [name for name in cold if cached[name] != cold[name]]
    assert different == []
    assert first != cold  # the change did reach the site


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*.html")}


def test_unchanged_pages_are_linked_from_the_site_a_build_replaces(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    site = project / "site"
    build(project, site)
    before = _inodes(site)
    body(project)
    build(project, site)
    after = _inodes(site)
    kept = {name for name in after if before.get(name) == after[name]}
    assert "modules/valmennus/index.html" not in kept  # it shows the edited body
    assert "modules/kohtaaminen/index.html" in kept and "glossary/index.html" in kept
    assert len(kept) > len(after) // 2


def test_a_published_page_changed_by_hand_is_written_again(tmp_path: Path) -> None:
    """Only the very file a build wrote is linked: not one edited or replaced since."""
    project = copy_fixture("basic", tmp_path)
    site = project / "site"
    build(project, site)
    edited, replaced = site / "modules/kohtaaminen/index.html", site / "glossary/index.html"
    written = {path: path.read_bytes() for path in (edited, replaced)}
    edited.write_bytes(written[edited].replace(b"</body>", b"<p>deploy note</p></body>"))
    copy = replaced.with_name("copy.html")
    shutil.copyfile(replaced, copy)
    os.replace(copy, replaced)  # the same bytes in a new file
    before = _inodes(site)
    body(project)
    build(project, site)
    for path, data in written.items():
        assert path.read_bytes() == data
    after = _inodes(site)
    assert after["modules/kohtaaminen/index.html"] != before["modules/kohtaaminen/index.html"]
    assert after["glossary/index.html"] != before["glossary/index.html"]
    assert after["methods/grow/index.html"] == before["methods/grow/index.html"]


def test_a_lost_or_damaged_record_of_the_published_pages_is_harmless(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    site = project / "site"
    build(project, site)
    records = list((project / ".cache/polku/pages").glob("published-*.marshal"))
    assert len(records) == 1
    records[0].write_bytes(b"not a record")
    body(project)
    build(project, site)
    cached = files(site)
    records[0].unlink()
    body(project)
    build(project, site)
    assert files(site) != cached and (site / "modules/valmennus/index.html").is_file()


def test_damaged_results_in_the_cache_are_made_again(tmp_path: Path) -> None:
    """A result file that still reads as data but whose compressed parts are damaged
    (a rendered page's HTML and search entries) is made again, not a crash."""
    import marshal

    project = copy_fixture("basic", tmp_path / "project")
    build(project, project / "site")
    cold = files(project / "site")
    damaged = 0
    for path in (project / ".cache/polku/pages").glob("*/*"):
        data = path.read_bytes()
        if data[:1] == b"\0":  # written as it is: a conversion or a rendered page
            value = marshal.loads(data[1:])
            if isinstance(value, tuple) and len(value) == 2:  # a rendered page
                path.write_bytes(b"\0" + marshal.dumps((b"not zlib", b"not zlib")))
                damaged += 1
    assert damaged
    shutil.rmtree(project / "site")  # nothing to take the pages from but the cache
    build(project, project / "site")
    assert files(project / "site") == cold


def test_the_cache_is_not_published_and_safe_to_delete(tmp_path: Path) -> None:
    project = copy_fixture("basic", tmp_path)
    build(project, project / "site")
    assert (project / ".cache" / "polku" / "pages").is_dir()
    assert not any(
        ".cache" in name or name.endswith(".marshal") for name in files(project / "site")
    )
    shutil.rmtree(project / ".cache")
    build(project, project / "site")


def test_an_edited_body_renders_again_only_the_pages_that_show_it(tmp_path: Path) -> None:
    """The page memo: the module's page and its sessions' pages, nothing else."""
    from polku import build as pipeline
    from polku.project import Project

    project = copy_fixture("basic", tmp_path)
    first = pipeline.prepare(Project.load(project).with_options(pdf=False))
    memo_pages = len(first.curriculum.modules) + 2 * sum(
        len(first.plans[p].sessions) for p in first.curriculum.programmes
    )
    # the pages that show only the outline: the module index, the method cards, the
    # glossary and the journal
    outlined = 3 + len(first.curriculum.methods)
    assert first.site.memo.made == memo_pages + outlined  # an empty cache: every page is made

    unchanged = pipeline.prepare(Project.load(project).with_options(pdf=False))
    assert unchanged.site.memo.made == 0

    body(project)
    edited = pipeline.prepare(Project.load(project).with_options(pdf=False))
    showing = [
        planned
        for plan in edited.plans.values()
        for planned in plan.sessions
        if any(
            getattr(item, "module", None) == "valmennus"
            or getattr(item, "module_id", None) == "valmennus"
            for item in planned.session.items
        )
    ]
    assert showing  # the fixture schedules the module
    assert edited.site.memo.made == 1 + 2 * len(showing)

    # a prompt is shown by the journal as well
    edit(
        project,
        "curriculum/modules/valmennus.yml",
        "prompts: [Millainen valmentaja olet?]",
        "prompts: [Millainen valmentaja haluat olla?]",
    )
    prompted = pipeline.prepare(Project.load(project).with_options(pdf=False))
    assert prompted.site.memo.made == 1 + 2 * len(showing) + 1


def test_pages_rendered_by_forked_processes_are_the_ones_this_process_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo shares rendering with forked processes: the pages and their order hold."""
    from polku import build as pipeline
    from polku import parallel
    from polku.project import Project
    from polku.render import page_memo

    project = copy_fixture("learner", tmp_path)
    options = {"pdf": False}

    def pages() -> list[tuple[str, str, bool, object]]:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        prepared = pipeline.prepare(Project.load(project).with_options(**options))
        return [(o.path, o.title, o.in_nav, o.content) for o in prepared.outputs.pages()]

    forks: list[int] = []
    original_fork = parallel._Child.fork

    def counted_fork(*args: Any) -> Any:
        forks.append(1)
        return original_fork(*args)

    monkeypatch.setattr(parallel._Child, "fork", counted_fork)
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    # threads other tests left behind would keep the work in this process
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    monkeypatch.setattr(page_memo, "PARALLEL_MIN_PAGES", 10**6)
    alone = pages()
    assert not forks
    monkeypatch.setattr(page_memo, "PARALLEL_MIN_PAGES", 1)
    shared = pages()
    assert forks  # the pages were shared with a forked process
    assert shared == alone


def _built_noting_released(
    root: Path,
) -> tuple[dict[str, tuple[str | None, bool, str | None]], dict[str, str]]:
    """Build ``root`` in this process: what each page held once read (its Markdown,
    whether it held HTML, and its file's text), and the text of each generated page
    once built."""
    from polku import build as pipeline
    from polku.mkdocs.engine import MkDocsEngine
    from polku.mkdocs.page_cache import PageCache
    from polku.mkdocs.plugin import PolkuPlugin
    from polku.project import Project

    released: dict[str, tuple[str | None, bool, str | None]] = {}
    original_release, original_read = PageCache._release, PolkuPlugin._read

    def noted(self: PageCache, page: Any) -> bool:
        let_go = original_release(self, page)
        if let_go:
            released[page.file.src_uri] = (page.markdown, page.content is not None, None)
        return let_go

    def read(self: PolkuPlugin, file: Any) -> None:
        original_read(self, file)
        markdown, html, _text = released[file.src_uri]
        released[file.src_uri] = (markdown, html, file.content_string)

    PageCache._release = noted  # type: ignore[method-assign]
    PolkuPlugin._read = read  # type: ignore[method-assign]
    os.environ["SOURCE_DATE_EPOCH"] = ENV["SOURCE_DATE_EPOCH"]
    chosen = Project.load(root).with_options(pdf=False).with_site_dir(root / "out")
    prepared = pipeline.build(chosen, MkDocsEngine(chosen))
    return released, {output.path: output.text for output in prepared.outputs.pages()}


def test_a_build_lets_go_of_each_page_s_text_once_read(tmp_path: Path) -> None:
    """MkDocs keeps every page's Markdown and HTML to the end of a build; polku's build
    lets go of both once a page is read and puts the HTML back while it is written."""
    from polku import paths

    project = copy_fixture("learner", tmp_path)
    kept = tmp_path / "kept"
    shutil.copytree(project, kept)
    # a hook of the project's own might read any page's text: then pages keep theirs
    (kept / "reads_pages.py").write_text("def on_post_build(config):\n    pass\n", "utf-8")
    with (kept / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nhooks:\n  - reads_pages.py\n")
    # in forked processes: a build leaves MkDocs' and polku's modules as it found them,
    # but a test should not rely on that
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        released, generated = pool.submit(_built_noting_released, project).result()
        not_released, kept_texts = pool.submit(_built_noting_released, kept).result()
    # every generated page but the tag listing, which Material's tags plugin fills in
    # after conversion; nothing holds the text of a page once read: not the page, not
    # its file, not polku's outputs
    assert set(generated) - set(released) == {paths.TAGS}
    assert [
        path for path in generated if path in released and released[path] != ("", False, "")
    ] == []
    # a hand-written page lets go of its text too; its file is read from docs/
    assert {path for path in released if path not in generated} == {"index.md", "ohje.md"}
    assert not not_released
    # MkDocs' files hold the generated texts from the start: polku's outputs let go of
    # them either way
    assert not any(generated.values()) and not any(kept_texts.values())
    # the same site either way, every page written with its content
    lean, whole = files(project / "out"), files(kept / "out")
    assert lean.keys() == whole.keys()
    assert [name for name in lean if lean[name] != whole[name]] == []
    assert b"<article" in lean["index.html"]


def test_a_packed_page_file_reads_as_the_text_it_keeps(tmp_path: Path) -> None:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import InclusionLevel
    from polku.mkdocs.conversion import PackedPageFile

    (tmp_path / "docs").mkdir()
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(tmp_path / "docs"), "plugins": []})
    assert config.validate() == ([], [])
    config.plugins._current_plugin = "polku"  # as while the plugin's event runs
    text = "---\ntitle: Työ – ja elämä\n---\n\n# Otsikko 😀\n" * 200
    file = PackedPageFile.of(config, "a/b.md", text, inclusion=InclusionLevel.NOT_IN_NAV)
    assert (file.content_string, file.content_bytes) == (text, text.encode("utf-8"))
    file.pack()  # the page cache converts the page: kept compressed until MkDocs reads it
    file.pack()
    assert file.content_string == text
    assert file.content_bytes == text.encode("utf-8")
    assert len(file._content) < len(text.encode("utf-8")) / 4  # type: ignore[arg-type]
    assert (file.url, file.inclusion) == ("a/b/", InclusionLevel.NOT_IN_NAV)
    file.content_string = "uusi"
    assert (file.content_string, file.content_bytes) == ("uusi", b"uusi")
    file.content_bytes = b"toinen"
    assert file.content_string == "toinen"


def _build_here(root: Path, site: str = "out") -> None:
    """``polku build --no-pdf`` of ``root`` into ``root / site``, in this process."""
    from polku import build as pipeline
    from polku.mkdocs.engine import MkDocsEngine
    from polku.project import Project

    os.environ["SOURCE_DATE_EPOCH"] = ENV["SOURCE_DATE_EPOCH"]
    chosen = Project.load(root).with_options(pdf=False).with_site_dir(root / site)
    pipeline.build(chosen, MkDocsEngine(chosen))


def _built_in_process(root: Path) -> None:
    """Build ``root`` in this process and wait for every write made in the background."""
    from polku import background

    _build_here(root, "site")
    background.stop()


def test_polku_build_exits_once_its_caches_are_written(tmp_path: Path) -> None:
    """The command ends without tearing the interpreter down (half a second after a
    large build): what it keeps for the next build is on disk all the same."""
    project = copy_fixture("learner", tmp_path)
    twin = tmp_path / "twin"
    shutil.copytree(project, twin)
    build(project, project / "site")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(_built_in_process, twin).result()

    def kept(root: Path, store: str) -> list[str]:
        """The results kept (not the record of the published site, named by its path)."""
        folder = root / ".cache" / "polku" / store
        return sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith("published-")
        )

    for store in ("pages", "markdown"):
        assert kept(project, store) and kept(project, store) == kept(twin, store), store
    assert not list((project / ".cache").rglob("*.tmp"))


def _packed_in_build(root: Path) -> list[str]:
    """Build ``root`` in this process: the pages whose text was kept compressed."""
    from polku.mkdocs.conversion import PackedPageFile

    packed: list[str] = []
    original = PackedPageFile.pack

    def noted(self: PackedPageFile) -> None:
        packed.append(self.src_uri)
        original(self)

    PackedPageFile.pack = noted  # type: ignore[method-assign]
    _build_here(root)
    return packed


def test_a_build_compresses_the_text_of_the_pages_it_converts_only(tmp_path: Path) -> None:
    """Compressing a page's text saves memory while pages are converted; a page whose
    conversion is cached is read once, and a rebuild would only pay for it."""
    from polku import paths

    project = copy_fixture("learner", tmp_path)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        cold = pool.submit(_packed_in_build, project).result()
        body(project)
        edited = pool.submit(_packed_in_build, project).result()
        unchanged = pool.submit(_packed_in_build, project).result()
    assert len(cold) == len(set(cold)) > 10 and paths.TAGS not in cold
    assert edited == [paths.module("valmennus")]
    assert unchanged == []


def _converted_by_mkdocs(root: Path) -> list[tuple[str, bool]]:
    """Build ``root`` in this process: the pages MkDocs converted here (``Page.render``),
    each with whether it is a listing another plugin fills in (converted every time)."""
    from mkdocs.structure.pages import Page
    from polku.mkdocs.page_cache import LISTING_MARK

    rendered: list[tuple[str, bool]] = []
    original = Page.render

    def noted(self: Page, *args: Any, **kwargs: Any) -> None:
        rendered.append((self.file.src_uri, LISTING_MARK in self.file.content_string))
        original(self, *args, **kwargs)

    Page.render = noted  # type: ignore[method-assign]
    _build_here(root)
    return rendered


def test_a_rebuild_takes_every_page_s_conversion_from_the_cache(tmp_path: Path) -> None:
    """A conversion kept under a page's compressed text is taken when MkDocs has read
    the very text: no page is converted again (but listings, which another plugin
    fills in), and the site is the same."""
    project = copy_fixture("learner", tmp_path)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        cold = pool.submit(_converted_by_mkdocs, project).result()
        first = files(project / "out")
        again = pool.submit(_converted_by_mkdocs, project).result()
    assert len(cold) > 10
    assert [page for page, listing in again if not listing] == []
    assert files(project / "out") == first


def test_a_build_lets_go_of_its_conversions_once_every_page_is_made(tmp_path: Path) -> None:
    """The author texts converted for the pages are held no longer than the pages need
    them under a build; a hand-written page's markers, filled in afterwards, come out
    the same. The preview keeps them for its next build."""
    from polku import build as pipeline
    from polku.project import Project
    from polku.render.docs import expand_markers

    project = Project.load(copy_fixture("learner", tmp_path)).with_options(pdf=False)
    page = (project.root / "docs" / "index.md").read_text("utf-8")
    preview = pipeline.prepare(project, command="serve")
    assert preview.site.author._made and preview.site.glosser._marked
    assert preview.site.author.store is not None
    expected = expand_markers(page, "index.md", preview.site)
    assert "polku:programmes" not in expected
    built = pipeline.prepare(project)
    assert not built.site.author._made and not built.site.glosser._marked
    assert built.site.author.store is None
    assert expand_markers(page, "index.md", built.site) == expected
    # the store on disk still holds every conversion for the next build
    again = pipeline.prepare(project, command="serve")
    assert again.site.author.store is not None
    assert again.site.author.store._entries().keys() >= preview.site.author.store._kept.keys()


MODULE = None  # ``python -m polku``, as against ``python -c`` with the code given


def _built_from_scratch(
    project: Path, tmp_path: Path, commands: dict[str, str | None], env: dict[str, str]
) -> dict[str, dict[str, bytes]]:
    """The site ``polku build`` writes of ``project`` without a cache, run by each of
    ``commands`` (Python code standing in for ``python -m polku``), by name."""
    sites = {}
    for name, code in commands.items():
        shutil.rmtree(project / ".cache", ignore_errors=True)
        site = tmp_path / name
        arguments = ["build", "--root", str(project), "--no-pdf", "-q", "--site-dir", str(site)]
        command = ["-m", "polku"] if code is None else ["-c", code]
        result = subprocess.run(
            [sys.executable, *command, *arguments],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        sites[name] = files(site)
    return sites


def _polku_after(code: str) -> str:
    """Python code running ``polku`` from its command line after ``code``."""
    return f"import sys; {code}; from polku.cli import main; sys.argv[0] = 'polku'; main()"


KEEP_TEXTS = _polku_after(
    "from polku.curriculum import Curriculum; Curriculum.let_go_of_texts = lambda self: None"
)


@pytest.mark.parametrize("fixture", ["learner", "hardening"])
def test_a_build_that_lets_go_of_the_texts_writes_the_site_of_one_keeping_them(
    tmp_path: Path, fixture: str
) -> None:
    """Once every page is made, a build without workbooks drops the modules' texts and
    where their keys are; nothing it writes after may have needed them. The calendars'
    time stamp (the programme files' age, without SOURCE_DATE_EPOCH) included."""
    from polku import build as pipeline
    from polku.project import Project

    project = copy_fixture(fixture, tmp_path / "project")
    prepared = pipeline.prepare(Project.load(project).with_options(pdf=False))
    modules = list(prepared.curriculum.modules.values())
    assert modules and all(module.body is None for module in modules)
    assert all(kind == "programme" for kind, _ident in prepared.curriculum.sources)
    assert any(kind == "programme" for kind, _ident in prepared.curriculum.sources)

    env = {key: value for key, value in ENV.items() if key != "SOURCE_DATE_EPOCH"}
    built = _built_from_scratch(project, tmp_path, {"lean": MODULE, "kept": KEEP_TEXTS}, env)
    # the sitemap carries the day of the build
    sites = {
        name: {path: data for path, data in site.items() if "sitemap" not in path}
        for name, site in built.items()
    }
    assert sites["lean"] == sites["kept"]
    assert any(path.endswith(".ics") for path in sites["lean"])


FRESH_MARKDOWN = _polku_after(
    "from polku.mkdocs import conversion; conversion._reusable = lambda config: False"
)


@pytest.mark.parametrize("fixture", ["learner", "hardening"])
def test_pages_converted_by_one_reused_markdown_instance_are_those_of_new_ones(
    tmp_path: Path, fixture: str
) -> None:
    """Each process converts its pages with one Markdown instance, reset between pages:
    nothing of one page (footnotes, abbreviations, ids, stashed HTML) reaches the next."""
    project = copy_fixture(fixture, tmp_path / "project")
    # hand-written pages with what a converter keeps per page; MkDocs reads them in order
    (project / "docs/huomio-a.md").write_text(
        "# A\n\nTE-toimisto[^lähde] ja KELA.\n\n[^lähde]: Lähde A.\n\n*[KELA]: Kansaneläkelaitos\n"
        "\n## Sama otsikko\n",
        "utf-8",
    )
    (project / "docs/huomio-b.md").write_text(
        "# B\n\nKELA ja toinen[^1].\n\n[^1]: Lähde B.\n\n## Sama otsikko\n", "utf-8"
    )
    sites = _built_from_scratch(project, tmp_path, {"reused": MODULE, "fresh": FRESH_MARKDOWN}, ENV)
    assert sites["reused"].keys() == sites["fresh"].keys()
    assert [path for path in sites["reused"] if sites["reused"][path] != sites["fresh"][path]] == []
    page_b = next(data for path, data in sites["reused"].items() if "huomio-b" in path)
    assert b"Kansanel" not in page_b and "Lähde A".encode() not in page_b


@pytest.mark.parametrize(
    ("extensions", "configs", "reused"),
    [
        (["toc", "tables", "footnotes", "pymdownx.superfences"], {}, True),
        (["toc", "markdown.extensions.abbr"], {}, True),
        (["toc", "footnotes"], {"footnotes": {"UNIQUE_IDS": True}}, False),
        (["toc", "pymdownx.snippets"], {}, False),
    ],
)
def test_only_extensions_known_to_reset_share_an_instance(
    extensions: list[str], configs: dict[str, Any], reused: bool
) -> None:
    """An extension may keep something of a page past ``reset()`` (footnotes count the
    resets into their ids with UNIQUE_IDS); with one not known, each page gets a new one."""
    from types import SimpleNamespace

    from polku.mkdocs.conversion import _reusable

    config = SimpleNamespace(markdown_extensions=extensions, mdx_configs=configs)
    assert _reusable(config) is reused  # type: ignore[arg-type]


def _two_built_in_one_process(first: Path, second: Path) -> None:
    _built_in_process(first)
    _built_in_process(second)


def test_a_process_building_two_projects_keeps_each_ones_cache_in_its_own_folder(
    tmp_path: Path,
) -> None:
    """MkDocs keeps the polku plugin (it has startup hooks) for every build of a process:
    the second project's pages are cached under its own .cache, not the first's."""
    first = copy_fixture("learner", tmp_path / "first")
    second = copy_fixture("basic", tmp_path / "second")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(_two_built_in_one_process, first, second).result()
    for root in (first, second):
        pages = root / ".cache" / "polku" / "pages"
        assert [p for p in pages.rglob("*") if p.is_file() and "published" not in p.name], root
    alone = tmp_path / "alone"
    shutil.copytree(second, alone, ignore=shutil.ignore_patterns(".cache", "site"))
    build(alone, alone / "site")
    assert files(second / "site") == files(alone / "site")
