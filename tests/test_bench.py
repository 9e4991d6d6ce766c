"""The benchmark runs end to end on a tiny curriculum (it times nothing here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO
from helpers import bench_module
from polku.check import check

BENCH = REPO / "tools" / "bench.py"
bench = bench_module()


def test_generated_curriculum_is_valid(tmp_path: Path) -> None:
    facts = bench.generate(tmp_path / "project", bench.Sizes(6, body_words=300))
    assert facts["modules"] == 6
    curriculum, report = check(tmp_path / "project")
    assert not report.items, [str(d) for d in report.sorted()]
    assert len(curriculum.modules) == 6
    assert len(curriculum.programmes) == bench.PROGRAMMES
    assert len(curriculum.methods) == bench.METHODS
    assert curriculum.glossary is not None and len(curriculum.glossary.terms) == bench.TERMS
    assert all(len(m.activities) == bench.ACTIVITIES for m in curriculum.modules.values())


def test_bench_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--sizes",
            "3",
            "--quick",
            "--out",
            str(out),
            "--work",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = out.read_text("utf-8")
    assert "## Targets" in result.stdout  # printed as well as written
    assert "| 3 modules |" in text
    assert "cores" in text
    for row in (
        "`polku check`",
        "`polku build --no-pdf`",
        "plain `mkdocs build` of the same pages",
        "ratio polku / plain MkDocs",
        "peak RSS: `polku build --no-pdf`",
        "render, 1 process",
        "workbook stage, nothing changed",
    ):
        assert row in text
    # every measured cell holds a figure, and the workbook rows were measured
    assert "not available" not in text
    assert "| pages (all workbooks) | 0 |" not in text
    # the generated projects are removed afterwards
    assert not list((tmp_path / "work").glob("curriculum-*"))
