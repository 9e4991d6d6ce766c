"""Which files a curriculum folder holds: handouts, assets, and files that are not read.

These tests call ``polku.reading.load`` (the reading alone), so they see what the
reading finds and reports before any rule looks at the curriculum.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_polku
from polku.curriculum import Asset, Curriculum
from polku.diagnostics import Report
from polku.reading import assets as assets_module
from polku.reading import discover, load
from polku.reading.svg import svg_problem

SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def read(project: Path) -> tuple[Curriculum, list[str]]:
    report = Report()
    curriculum = load(project, report, cache=False)
    return curriculum, [str(d) for d in report.sorted()]


# --- handouts -----------------------------------------------------------------------------


def test_handouts_load_with_their_body_files(basic_project: Path) -> None:
    handouts = basic_project / "curriculum" / "handouts"
    handouts.mkdir()
    (handouts / "roolikortti.yml").write_text("id: roolikortti\ntitle: Roolikortti\n", "utf-8")
    (handouts / "roolikortti.md").write_text("# Asiakas\n\nOlet asiakas.\n", "utf-8")
    (handouts / "lomake.yml").write_text(
        "id: lomake\ntitle: Lomake\naudience: facilitator\nfile: ../assets/kaavio.png\n", "utf-8"
    )
    curriculum, problems = read(basic_project)
    assert problems == []
    assert sorted(curriculum.handouts) == ["lomake", "roolikortti"]
    assert curriculum.handouts["roolikortti"].body == "# Asiakas\n\nOlet asiakas.\n"
    assert curriculum.handouts["lomake"].body is None
    assert curriculum.handouts["lomake"].audience == "facilitator"
    assert curriculum.body_files[("handout", "roolikortti")] == (
        "curriculum/handouts/roolikortti.md"
    )
    assert curriculum.source("handout", "lomake").value(("file",)) == (4, 7)


def test_a_handout_body_given_twice_is_an_error(basic_project: Path) -> None:
    handouts = basic_project / "curriculum" / "handouts"
    handouts.mkdir()
    (handouts / "ohje.yml").write_text("id: ohje\ntitle: Ohje\nbody: Lyhyt.\n", "utf-8")
    (handouts / "ohje.md").write_text("Pitkä.\n", "utf-8")
    curriculum, problems = read(basic_project)
    assert problems == [
        "curriculum/handouts/ohje.yml:3:1: error: the body is given twice: here and in "
        "'ohje.md'; keep one of them"
    ]
    assert curriculum.handouts["ohje"].body == "Lyhyt."
    assert ("handout", "ohje") not in curriculum.body_files


def test_a_handout_with_problems_is_marked_broken(basic_project: Path) -> None:
    handouts = basic_project / "curriculum" / "handouts"
    handouts.mkdir()
    (handouts / "ohje.yml").write_text("id: ohje\ntitel: Ohje\n", "utf-8")
    curriculum, problems = read(basic_project)
    assert problems == [
        "curriculum/handouts/ohje.yml:1:1: error: missing required key 'title' in this "
        "handout file; add 'title: ...'",
        "curriculum/handouts/ohje.yml:2:1: error: unknown key 'titel'; did you mean 'title'?",
    ]
    assert ("handout", "ohje") in curriculum.broken
    assert curriculum.handouts == {}


# --- assets ---------------------------------------------------------------------------------


def test_assets_are_listed_sorted_with_their_sources(basic_project: Path) -> None:
    base = basic_project / "curriculum"
    assets = base / "assets"
    (assets / "img").mkdir()
    (assets / "img" / "Kuva.PNG").write_bytes(b"\x89PNG")
    (assets / "opas.pdf").write_bytes(b"%PDF-1.7")
    (assets / "aani.mp3").write_bytes(b"ID3")
    (assets / ".gitkeep").write_bytes(b"")
    (assets / ".piilo").mkdir()
    (assets / ".piilo" / "x.exe").write_bytes(b"MZ")
    (assets / "img" / "sama.png").symlink_to("../kaavio.png")  # a link inside is published
    (assets / "piirros.svg").write_text(
        f'<?xml version="1.0"?>\n<svg {SVG_NS} viewBox="0 0 1 1"><rect/></svg>\n', "utf-8"
    )
    curriculum, problems = read(basic_project)
    assert problems == []
    resolved = assets.resolve()
    assert curriculum.assets == [
        Asset("assets/aani.mp3", resolved / "aani.mp3"),
        Asset("assets/img/Kuva.PNG", resolved / "img" / "Kuva.PNG"),
        Asset("assets/img/sama.png", resolved / "kaavio.png"),
        Asset("assets/kaavio.png", resolved / "kaavio.png"),
        Asset("assets/opas.pdf", resolved / "opas.pdf"),
        Asset("assets/piirros.svg", resolved / "piirros.svg"),
    ]
    assert all(asset.source.is_absolute() and asset.source.is_file() for asset in curriculum.assets)


def test_a_link_out_of_the_curriculum_is_refused_and_not_listed(basic_project: Path) -> None:
    assets = basic_project / "curriculum" / "assets"
    (assets / "asetukset.txt").symlink_to(basic_project / "mkdocs.yml")
    curriculum, problems = read(basic_project)
    assert problems == [
        "curriculum/assets/asetukset.txt:1:1: error: a symbolic link to "
        f"'{(basic_project / 'mkdocs.yml').resolve()}', outside curriculum/; polku publishes "
        "only files inside curriculum/, so copy the file here instead of linking to it"
    ]
    assert [asset.path for asset in curriculum.assets] == ["assets/kaavio.png"]


def test_linked_folders_are_never_walked(
    basic_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """curriculum/assets linked to / is reported without reading a single folder of the disk."""
    base = basic_project / "curriculum"
    (base / "modules" / "kaikki").symlink_to("/")
    inside = base / "kuvat"
    inside.mkdir()
    (inside / "kaavio.png").write_bytes(b"\x89PNG")
    os.replace(base / "assets", base / "vanhat")
    (base / "assets").symlink_to("/")
    (base / "vanhat" / "kuvat").symlink_to(inside)  # inside the curriculum, still not followed
    scanned: list[str] = []
    real_scandir = os.scandir

    def scandir(path: str | Path) -> object:
        scanned.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    curriculum, problems = read(basic_project)
    ours = [folder for folder in scanned if folder.startswith(str(basic_project))]
    assert ours and "/" not in scanned
    assert all(Path(folder).resolve().is_relative_to(base.resolve()) for folder in ours), ours
    assert curriculum.assets == []
    assert (
        "curriculum/assets:1:1: error: 'assets' is a symbolic link (to '/'); polku does not "
        "follow linked folders, so make assets/ a folder and copy the files into it" in problems
    )
    assert (
        "curriculum/modules/kaikki:1:1: warning: the folder 'kaikki' is not read: polku "
        "reads only the files directly in modules/; move its files up into modules/" in problems
    )

    os.unlink(base / "assets")
    os.replace(base / "vanhat", base / "assets")
    curriculum, problems = read(basic_project)
    assert (
        f"curriculum/assets/kuvat:1:1: error: a symbolic link to the folder '{inside.resolve()}'"
        "; polku does not follow linked folders, so copy the files here instead of linking to "
        "them" in problems
    )
    assert [asset.path for asset in curriculum.assets] == ["assets/kaavio.png"]


def test_the_folder_limit_stops_the_walk(
    basic_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assets_module, "MAX_ASSET_FOLDERS", 3)
    folder = basic_project / "curriculum" / "assets"
    for depth in range(6):
        folder = folder / f"taso-{depth}"
        folder.mkdir()
        (folder / "kuva.png").write_bytes(b"")
    _curriculum, problems = read(basic_project)
    assert problems == [
        "curriculum/assets:1:1: error: more than 3 folders under assets/; polku publishes at "
        "most that many: remove what the curriculum does not use"
    ]


@pytest.mark.parametrize(
    ("name", "published"),
    [
        *((f"x.{suffix}", True) for suffix in sorted(assets_module.ASSET_TYPES - {"svg"})),
        *((f"x.{suffix}", False) for suffix in ("html", "htm", "xhtml", "shtml", "md")),
        *((f"x.{suffix}", False) for suffix in ("markdown", "js", "css", "exe", "php", "svgz")),
    ],
)
def test_asset_types(basic_project: Path, name: str, published: bool) -> None:
    (basic_project / "curriculum" / "assets" / name).write_bytes(b"data")
    curriculum, problems = read(basic_project)
    assert (f"assets/{name}" in [asset.path for asset in curriculum.assets]) is published
    assert (problems == []) is published


# --- SVG ------------------------------------------------------------------------------------

HOSTILE_SVGS = {
    "script": (
        f"<svg {SVG_NS}>\n  <rect/>\n  <script>alert(1)</script>\n</svg>",
        (3, 3, "the SVG has a <script> element, which runs a script"),
    ),
    "onload": (
        f'<svg {SVG_NS}\n     onload="alert(1)">\n</svg>',
        (1, 1, "the SVG has the event-handler attribute 'onload' on <svg>"),
    ),
    "onclick on a shape": (
        f'<svg {SVG_NS}>\n<g>\n  <rect onClick="alert(1)"/></g></svg>',
        (3, 3, "the SVG has the event-handler attribute 'onClick' on <rect>"),
    ),
    "foreignObject": (
        f'<svg {SVG_NS}>\n<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
        "</foreignObject></svg>",
        (2, 1, "the SVG has a <foreignObject> element, which can hold web-page content"),
    ),
    "external href": (
        f'<svg {SVG_NS}>\n <image href="https://seuranta.example/pikseli.png"/></svg>',
        (2, 2, "the SVG links to 'https://seuranta.example/pikseli.png' (href on <image>)"),
    ),
    "xlink:href to javascript": (
        f'<svg {SVG_NS}><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        (1, 84, "the SVG links to 'javascript:alert(1)' (href on <a>)"),
    ),
    "another file": (
        f'<svg {SVG_NS}><use href="muut.svg#kuvio"/></svg>',
        (1, 84, "the SVG links to 'muut.svg#kuvio' (href on <use>)"),
    ),
    "embedded svg": (
        f'<svg {SVG_NS}><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>',
        (1, 84, "the SVG links to 'data:image/svg+xml;base64,PHN2Zz4='"),
    ),
    "data text/html": (
        f'<svg {SVG_NS}><a href="data:text/html,&lt;script&gt;"><rect/></a></svg>',
        (1, 84, "the SVG links to 'data:text/html,<script>' (href on <a>)"),
    ),
    "style url(http…)": (
        f"<svg {SVG_NS}>\n<style>\n  rect {{ fill: url(http://seuranta.example/x) }}\n"
        "</style><rect/></svg>",
        (2, 1, "the SVG's <style> refers to 'url(http://seuranta.example/x)'"),
    ),
    "style @import": (
        f'<svg {SVG_NS}><style>@import "https://seuranta.example/a.css";</style></svg>',
        (1, 84, "the SVG's <style> loads a style sheet or picture from elsewhere"),
    ),
    "escaped url(": (
        f"<svg {SVG_NS}><style>rect {{ fill: \\75 rl(//seuranta.example/x) }}</style></svg>",
        (1, 84, "the SVG's <style> refers to 'url(//seuranta.example/x)'"),
    ),
    "style attribute url": (
        f"<svg {SVG_NS}><rect style=\"fill: URL('https://seuranta.example/x')\"/></svg>",
        (1, 84, "the SVG's style on <rect> refers to 'url(https://seuranta.example/x)'"),
    ),
    "fill attribute url": (
        f'<svg {SVG_NS}><rect fill="url(https://seuranta.example/x#g)"/></svg>',
        (1, 84, "the SVG's fill on <rect> refers to 'url(https://seuranta.example/x#g)'"),
    ),
    "DOCTYPE with entities": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n  <!ENTITY a "aaaaaaaaaa">\n'
        '  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
        (2, 1, "the SVG has a DOCTYPE declaration"),
    ),
    "external DTD": (
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        (1, 1, "the SVG has a DOCTYPE declaration"),
    ),
    "xml-stylesheet": (
        '<?xml version="1.0"?>\n<?xml-stylesheet href="https://seuranta.example/a.css"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"/>',
        (2, 1, "the SVG has the processing instruction '<?xml-stylesheet …?>'"),
    ),
    "animated href": (
        f'<svg {SVG_NS}><a href="#x">\n<set attributeName="href" to="javascript:alert(1)"/>'
        "<rect/></a></svg>",
        (2, 1, "the SVG's <set> changes the attribute 'href'"),
    ),
    "not well-formed": (
        f"<svg {SVG_NS}>\n<rect>\n</svg>",
        (3, 3, "the SVG is not well-formed XML (mismatched tag)"),
    ),
    "an HTML page named .svg": (
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>',
        (1, 1, "the file is not an SVG picture: it starts with <html>, not <svg>"),
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE_SVGS))
def test_hostile_svgs_are_refused_where_the_problem_is(name: str) -> None:
    text, (line, column, start) = HOSTILE_SVGS[name]
    problem = svg_problem(text.encode("utf-8"))
    assert problem is not None
    assert problem[:2] == (line, column)
    assert problem[2].startswith(start), problem[2]


BENIGN_SVG = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     width="120" height="60" viewBox="0 0 120 60" inkscape:version="1.2">
  <title>Valmennuksen vaiheet</title>
  <defs>
    <linearGradient id="liuku"><stop offset="0" stop-color="#0a6"/></linearGradient>
    <marker id="nuoli"><path d="M0,0 L4,2 L0,4 z"/></marker>
  </defs>
  <style>
    .laatikko { fill: url(#liuku); stroke: #333; font-family: "Noto Sans", sans-serif }
  </style>
  <rect id="eka" class="laatikko" width="50" height="40" style="fill: url( '#liuku' )"/>
  <use xlink:href="#eka" x="60"/>
  <line x1="50" y1="20" x2="60" y2="20" marker-end="url(#nuoli)"/>
  <image width="4" height="4" href="data:image/png;base64,iVBORw0KGgo="/>
  <a href="#eka"><text x="5" y="55">Tavoite → Ratkaisu ä</text></a>
  <animate attributeName="opacity" from="0" to="1" dur="1s"/>
</svg>
"""


def test_a_plain_svg_passes_and_is_published_as_it_is(basic_project: Path) -> None:
    assert svg_problem(BENIGN_SVG.encode("utf-8")) is None
    path = basic_project / "curriculum" / "assets" / "vaiheet.svg"
    path.write_text(BENIGN_SVG, "utf-8")
    curriculum, problems = read(basic_project)
    assert problems == []
    assert Asset("assets/vaiheet.svg", path.resolve()) in curriculum.assets


def test_a_refused_svg_is_reported_at_its_line_and_not_listed(basic_project: Path) -> None:
    path = basic_project / "curriculum" / "assets" / "kaavio.svg"
    path.write_text(HOSTILE_SVGS["script"][0], "utf-8")
    curriculum, problems = read(basic_project)
    assert problems == [
        "curriculum/assets/kaavio.svg:3:3: error: the SVG has a <script> element, which runs "
        "a script; polku publishes only pictures: delete the element, or export the picture "
        "again as plain SVG or PNG"
    ]
    assert "assets/kaavio.svg" not in [asset.path for asset in curriculum.assets]


def test_an_entity_bomb_is_refused_before_it_expands() -> None:
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE svg [", '<!ENTITY a0 "lol">']
    lines += [f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 12)]
    lines += ["]>", '<svg xmlns="http://www.w3.org/2000/svg"><text>&a11;</text></svg>']
    problem = svg_problem("\n".join(lines).encode())
    assert problem is not None and problem[:2] == (2, 1)


# --- files that are not read ----------------------------------------------------------------


def test_an_empty_curriculum_folder_loads_without_a_word(tmp_path: Path) -> None:
    (tmp_path / "curriculum").mkdir()
    curriculum, problems = read(tmp_path)
    assert problems == []
    assert (curriculum.programmes, curriculum.modules, curriculum.assets) == ({}, {}, [])
    for folder in ("programmes", "modules", "methods", "handouts", "assets"):
        (tmp_path / "curriculum" / folder).mkdir()
    curriculum, problems = read(tmp_path)
    assert problems == []


def test_every_kind_folder_reports_subfolders_and_stray_files(basic_project: Path) -> None:
    base = basic_project / "curriculum"
    (base / "handouts").mkdir()
    for folder in ("programmes", "modules", "methods", "handouts"):
        (base / folder / "vanhat").mkdir()
        (base / folder / "vanhat" / "x.yml").write_text("id: x\n", "utf-8")
        (base / folder / "lue.txt").write_text("x\n", "utf-8")
        (base / folder / ".luonnos.yml").write_text("id: luonnos\n", "utf-8")  # ignored
    (base / "modules" / "valmennus.Md").write_text("x\n", "utf-8")
    (base / "handouts" / "kortti.yml").write_text("id: kortti\ntitle: Kortti\n", "utf-8")
    (base / "handouts" / "kortti.mD").write_text("x\n", "utf-8")
    (base / ".git-tiedot").mkdir()  # ignored
    (base / "polku.schema.json").write_text("{}", "utf-8")  # written by polku init
    _curriculum, problems = read(basic_project)
    holds = {
        "programmes": "<id>.yml files",
        "modules": "<id>.yml files and their <id>.md bodies",
        "methods": "<id>.yml files",
        "handouts": "<id>.yml files and their <id>.md bodies",
    }
    expected = [
        "curriculum/handouts/kortti.mD:1:1: error: a body file ends in .md; rename it to "
        "'kortti.md'",
        "curriculum/modules/valmennus.Md:1:1: error: a body file ends in .md; rename it to "
        "'valmennus.md'",
    ]
    for folder, what in holds.items():
        expected += [
            f"curriculum/{folder}/lue.txt:1:1: warning: 'lue.txt' is not read: polku reads "
            f"only {what} in {folder}/; images and attachments go in assets/",
            f"curriculum/{folder}/vanhat:1:1: warning: the folder 'vanhat' is not read: polku "
            f"reads only the files directly in {folder}/; move its files up into {folder}/",
        ]
    assert sorted(problems) == sorted(expected)


def test_discover_lists_the_files_to_load_in_order(basic_project: Path) -> None:
    report = Report()
    found = discover(basic_project, report)
    assert report.items == []
    assert [(file.kind, file.path.name, file.body and file.body.name) for file in found.files] == [
        ("programme", "perehdytys.yml", None),
        ("module", "kohtaaminen.yml", None),
        ("module", "valmennus.yml", "valmennus.md"),
        ("method", "aktiivinen-kuuntelu.yml", None),
        ("method", "grow.yml", None),
        ("glossary", "glossary.yml", None),
    ]


def test_a_build_publishes_exactly_the_listed_assets(basic_project: Path) -> None:
    assets = basic_project / "curriculum" / "assets"
    (assets / "img").mkdir()
    (assets / "img" / "vaiheet.svg").write_text(BENIGN_SVG, "utf-8")
    (assets / "opas.pdf").write_bytes(b"%PDF-1.7\n")
    (assets / ".luonnos.html").write_text("<script>alert(1)</script>", "utf-8")  # ignored
    (assets / ".vanhat").mkdir()
    (assets / ".vanhat" / "kuva.png").write_bytes(b"\x89PNG")
    result = run_polku("build", "--root", basic_project, "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    site = basic_project / "site"
    for path in ("assets/img/vaiheet.svg", "assets/kaavio.png", "assets/opas.pdf"):
        assert (site / path).is_file(), path
    assert not (site / "assets" / ".luonnos.html").exists()
    assert not (site / "assets" / ".vanhat").exists()
    assert (basic_project / "site" / "assets" / "img" / "vaiheet.svg").read_text("utf-8") == (
        BENIGN_SVG
    )
