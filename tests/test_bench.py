"""The benchmark's parts on tiny curricula: generator, baselines, one measured size, report.

Nothing here checks a time; the tests check that every figure is measured on real
builds and that the report says what the figures say.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bench import plot, report
from bench.baselines import write_baseline_a, write_baseline_b
from bench.measure import Timing
from bench.results import Results, load, save
from bench.suite import Options, SizeResult, measure_size
from bench.synth import ACTIVITIES, METHODS, PROGRAMMES, TERMS, Sizes, generate, module_ids
from conftest import REPO
from polku.check import check


@pytest.mark.parametrize("modules", [1, 2, 6])
def test_generated_curriculum_is_valid(tmp_path: Path, modules: int) -> None:
    facts = generate(tmp_path / "project", Sizes(modules, body_words=300))
    assert facts["modules"] == modules
    curriculum, found = check(tmp_path / "project")
    assert not found.items, [str(d) for d in found.sorted()]
    assert len(curriculum.modules) == modules
    assert len(curriculum.programmes) == min(PROGRAMMES, modules)
    assert len(curriculum.methods) == METHODS
    assert curriculum.glossary is not None and len(curriculum.glossary.terms) == TERMS
    assert all(len(m.activities) == ACTIVITIES for m in curriculum.modules.values())


def test_the_same_size_gives_the_same_files(tmp_path: Path) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.*")}

    generate(tmp_path / "one", Sizes(4, body_words=200))
    generate(tmp_path / "two", Sizes(4, body_words=200))
    assert files(tmp_path / "one") == files(tmp_path / "two")


@pytest.fixture(scope="module")
def baselines(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("baselines")
    project, a, b = root / "project", root / "a", root / "b"
    generate(project, Sizes(4, body_words=200))
    pages, how = write_baseline_a(project, a)
    assert pages > 4 + METHODS and how
    write_baseline_b(project, b, like=a / "mkdocs.yml")
    return project, a, b


def test_baseline_a_holds_polku_pages_without_the_plugin(
    baselines: tuple[Path, Path, Path],
) -> None:
    project, a, _b = baselines
    config = yaml.safe_load((a / "mkdocs.yml").read_text("utf-8"))
    assert "polku" not in str(config["plugins"])
    assert config["nav"] and config["site_dir"] == "site"
    for module_id in module_ids(project):
        page = (a / "docs" / "modules" / f"{module_id}.md").read_text("utf-8")
        assert "activity-harjoitus" in page  # polku's own page, not the author's body alone
    assert "<!-- polku:programmes -->" not in (a / "docs" / "index.md").read_text("utf-8")


def test_baseline_b_is_the_learner_text_written_by_hand(
    baselines: tuple[Path, Path, Path],
) -> None:
    project, a, b = baselines
    like = yaml.safe_load((a / "mkdocs.yml").read_text("utf-8"))
    config = yaml.safe_load((b / "mkdocs.yml").read_text("utf-8"))
    assert "nav" not in config  # MkDocs' default navigation: every page
    # less the theme templates polku's export adds (polku's own and the project's)
    assert like["theme"].pop("custom_dir") == "overrides" and "custom_dir" not in config["theme"]
    for key in ("theme", "plugins", "markdown_extensions"):
        assert config[key] == like[key]
    assert config["theme"]["palette"] and config["theme"]["language"] == "fi"
    curriculum = project / "curriculum"
    for module_id in module_ids(project):
        source = yaml.safe_load((curriculum / "modules" / f"{module_id}.yml").read_text("utf-8"))
        page = (b / "docs" / "modules" / f"{module_id}.md").read_text("utf-8")
        body = (curriculum / "modules" / f"{module_id}.md").read_text("utf-8").strip()
        assert body in page
        texts = [source["title"], source["summary"], *(o["text"] for o in source["outcomes"])]
        for activity in source["activities"]:
            texts.append(activity["title"])
            texts += [activity.get("instructions", "").strip(), *activity.get("steps", [])]
            texts += activity.get("prompts", [])
            for question in activity.get("questions", []):
                texts += [question["question"], question["answer"]]
            for note in (activity.get("facilitator_notes"), *activity.get("debrief", [])):
                if note:
                    assert note.strip() not in page, "facilitator text on a learner page"
        for text in texts:
            assert text in page, text
    pages = {p.relative_to(b / "docs").as_posix() for p in (b / "docs").rglob("*.md")}
    assert {"index.md", "glossary.md", "tags.md"} <= pages
    assert len([p for p in pages if p.startswith("methods/")]) == METHODS
    assert len([p for p in pages if p.startswith("programmes/")]) == PROGRAMMES


def test_baseline_b_builds_without_a_warning(baselines: tuple[Path, Path, Path]) -> None:
    project, _a, b = baselines
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(b / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # every module and method page is in the default navigation of every page
    home = (b / "site" / "index.html").read_text("utf-8")
    for module_id in module_ids(project):
        assert f'href="modules/{module_id}/"' in home


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Results:
    """One size measured for real, as ``python -m bench`` does, with the report inputs."""
    work = tmp_path_factory.mktemp("bench")
    lines: list[str] = []
    size = measure_size(3, work, Options(repeat=1), lines.append)
    assert any("baseline B" in line for line in lines)
    assert not list(work.iterdir()), "the generated projects are removed afterwards"
    return Results("python -m bench --sizes 3", "2027-01-11 09:00 UTC", 2, 1, sizes=[size])


def test_a_size_is_measured_on_real_builds(measured: Results) -> None:
    size = measured.sizes[0]
    for timing in (size.check, size.check_cold, size.build, size.baseline_a, size.baseline_b):
        assert timing.seconds > 0 and timing.cpu > 0 and timing.peak > 10 * 1024**2
    assert size.edited is not None and size.unchanged is not None
    polku, a, b = size.sites["polku"], size.sites["a"], size.sites["b"]
    assert polku.pages == a.pages > b.pages > 3 + METHODS
    assert polku.module_page_bytes > 10_000 and b.module_page_bytes > 10_000
    # the same pages and files; a plain MkDocs build of the export cannot apply the
    # journal's toc_depth (the plugin does), so its journal lists every activity as well
    assert polku.total_bytes > 0.99 * a.total_bytes


def _at_size(size: SizeResult, modules: int, build: float, **changes: object) -> SizeResult:
    """The measured size relabelled and given a build time, to test the verdicts."""
    timing = dataclasses.replace(size.build, seconds=build)
    return dataclasses.replace(size, size=modules, build=timing, **changes)


def test_the_report_says_met_and_not_met(measured: Results, tmp_path: Path) -> None:
    size = measured.sizes[0]
    base = Timing(10.0, 10.0, 100 * 1024**2)
    fast, slow = Timing(0.5, 0.5, 1), Timing(9.0, 9.0, 1)
    results = dataclasses.replace(
        measured,
        sizes=[
            _at_size(size, 300, 9.5, baseline_a=base, baseline_b=base),  # 0.95×: met
            _at_size(
                size, 1000, 10.5, baseline_a=base, baseline_b=base, edited=fast, unchanged=slow
            ),
        ],
    )
    found = report.targets(results)

    def target(*words: str) -> report.Target:
        return next(t for t in found if all(w in t.what for w in words))

    assert target("baseline B", "300 modules").met
    assert target("baseline B", "1000 modules").met is False
    assert target("baseline A", "1000 modules").met  # 1.05× ≤ 1.10×
    assert target("after editing", "1000 modules").met
    nothing = target("nothing changed", "1000 modules")
    assert nothing.met is False and nothing.measured == "0.86×"
    huge = target("5000 modules: peak memory")
    assert huge.met is None and "5000" in huge.measured
    text = report.write(results, None)
    assert "machine was busy" not in text
    assert "machine was busy" in report.write(dataclasses.replace(results, load=(8.3, 7.8)), None)
    # the benchmark's own processes raise the load by its end: that is not other work
    quiet_start = dataclasses.replace(results, load=(0.2, 1.9))
    assert "machine was busy" not in report.write(quiet_start, None)
    assert "machine's speed" not in text  # not measured
    timed = report.write(dataclasses.replace(results, reference=(0.53, 0.61)), None)
    assert "took 0.53 s at the start and 0.61 s at the end" in timed
    row = "| ≤ 1.00× | 1.05× | **not met** |"
    assert f"| {target('baseline B', '1000 modules').what} {row}" in text
    assert "| 300 modules | 1000 modules |" in text


def test_the_report_and_plot_come_from_the_kept_figures(measured: Results, tmp_path: Path) -> None:
    results = dataclasses.replace(
        measured, sizes=[measured.sizes[0], _at_size(measured.sizes[0], 30, 40.0)]
    )
    kept = tmp_path / "results.json"
    save(results, kept)
    assert load(kept) == results
    out = tmp_path / "docs" / "benchmarks.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--report-only", "--results", str(kept), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO / "tools",
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text("utf-8")
    assert "## Targets" in done.stdout and "## Targets" in text  # printed and written
    assert "![Build time and site size against the number of modules](benchmarks.svg)" in text
    picture = (out.parent / "benchmarks.svg").read_text("utf-8")
    for label in ("polku build --no-pdf", "baseline A", "baseline B", "modules in the curriculum"):
        assert label in picture
    one_size = dataclasses.replace(results, sizes=results.sizes[:1])
    assert plot.draw(one_size, tmp_path / "one.svg") is False


def test_the_benchmark_runs_from_its_folder_too() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "bench"), "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "--full" in done.stdout and "--peers" in done.stdout


def test_sizes_above_the_baselines_limit_measure_polku_alone(
    measured: Results, tmp_path: Path
) -> None:
    lines: list[str] = []
    large = measure_size(4, tmp_path, Options(repeat=1, baselines_max=3), lines.append)
    assert large.baseline_a is None and large.baseline_b is None and large.ratio("b") is None
    assert set(large.sites) == {"polku"} and large.build.seconds > 0
    assert any("not built above 3 modules" in line for line in lines)
    results = dataclasses.replace(
        measured, sizes=[measured.sizes[0], dataclasses.replace(large, size=5000)]
    )
    text = report.write(results, None)
    assert "At 5000 modules the baselines were not built" in text
    assert "5000 modules: build cost per module" in text
    assert plot.draw(results, tmp_path / "plot.svg")  # the baselines' lines end earlier


def test_the_phases_of_a_build_are_timed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    generate(project, Sizes(3))
    site = tmp_path / "site"
    command = ["build", "--root", str(project), "--no-pdf", "-q", "--site-dir", str(site)]
    done = subprocess.run(
        [sys.executable, "-m", "bench.phases", *command],
        capture_output=True,
        text=True,
        cwd=REPO / "tools",
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert (site / "index.html").is_file()
    timed = {line.split()[0] for line in done.stderr.splitlines() if line.endswith(" s")}
    assert {"total", "check", "prepare", "PageCache.convert_all", "MkDocsEngine.build"} <= timed


def test_the_machine_s_speed_is_a_fixed_workload() -> None:
    from bench import reference

    assert reference._text() == reference._text()  # the same work on every run
    assert 0 < reference.seconds() < 60
