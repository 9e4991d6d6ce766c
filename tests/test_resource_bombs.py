"""Resource bombs are refused with a located error, in bounded time and memory.

The bombs are read in a child process under hard limits (CPU seconds and address
space, with setrlimit), so a regression shows as a failed test, never as a hung or
swapping test machine. The limits are far above what a refusal takes (a few
milliseconds and the interpreter's own memory) but far below what the bombs would
take if they were expanded.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, run_polku

CPU_SECONDS = 20  # a refusal takes milliseconds; the bombs would take minutes or forever
MEMORY_BYTES = 1 << 30  # 1 GiB of address space; the bombs would take far more


def laughs(levels: int = 10, width: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def nested_merges(levels: int = 40) -> str:
    lines = ["m0: &m0 {x: 1}"]
    for level in range(1, levels):
        lines.append(f"m{level}: &m{level}\n  <<: [*m{level - 1}, *m{level - 1}]\n  y{level}: 1")
    return "\n".join(lines) + "\n"


def mapping_aliases(levels: int = 25) -> str:
    lines = ["k0: &k0 {a: x, b: x}"]
    for level in range(1, levels):
        lines.append(f"k{level}: &k{level} {{a: *k{level - 1}, b: *k{level - 1}}}")
    return "\n".join(lines) + "\n"


BOMBS = {
    # name: (file text, expected line:col, start of the message)
    "billion-laughs": (laughs(), "5:10", "the file expands to more than 20,000 values"),
    "nested-merge-keys": (nested_merges(), "33:8", "the file expands to more than 20,000 values"),
    "mapping-aliases": (mapping_aliases(), "12:15", "the file expands to more than 20,000 values"),
    "deep-flow-nesting": (
        "id: x\nbody: " + "[" * 200_000 + "]" * 200_000 + "\n",
        "2:1006",
        "values are nested more than 32 levels deep",
    ),
    "deep-block-nesting": (
        "".join("  " * depth + f"k{depth}:\n" for depth in range(400)),
        "33:65",
        "values are nested more than 32 levels deep",
    ),
    "deep-flow-mappings": (
        "id: x\nbody: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n",
        "2:131",
        "values are nested more than 32 levels deep",
    ),
    "huge-scalar": (
        "id: x\nbody: " + "sana " * 90_000 + "\n",
        "2:7",
        "this value is 449,999 characters long, over the limit of 100,000",
    ),
    "huge-quoted-scalar": (
        'id: x\nbody: "' + "ä\\n" * 120_000 + '"\n',
        "2:7",
        "this value is",
    ),
    "huge-key": ("k" * 400_000 + ": 1\n", "1:1", "this value is 400,000 characters long"),
    "huge-number": ("day: " + "9" * 50_000 + "\n", "1:6", "the number 9999999999"),
    "long-flow-list": (
        "items: [" + ", ".join(["1"] * 100_000) + "]\n",
        "1:60000",
        "the file expands to more than 20,000 values",
    ),
    "many-keys": (
        "".join(f"k{i}: {i}\n" for i in range(30_000)),
        "10000:8",
        "the file expands to more than 20,000 values",
    ),
    "long-tag": ("a: !" + "x" * 400_000 + " 1\n", "1:4", "the tag '!xxxxxxxx"),
    "long-anchor": ("a: &" + "x" * 400_000 + " 1\n", "1:4", "this anchor name is over 100"),
}

CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
from polku.diagnostics import Report
from polku.reading import parse_yaml
results = {{}}
for name, text in json.load(sys.stdin).items():
    report = Report()
    start = time.perf_counter()
    parse_yaml(text, "curriculum/methods/pommi.yml", report)
    seconds = time.perf_counter() - start
    results[name] = {{"lines": [str(d) for d in report.sorted()], "seconds": seconds}}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"results": results, "peak": peak}}))
"""


@pytest.fixture(scope="module")
def outcomes() -> dict[str, object]:
    """Every bomb read in one child process under the limits."""
    child = CHILD.format(cpu=CPU_SECONDS, memory=MEMORY_BYTES)
    texts = {name: text for name, (text, _position, _message) in BOMBS.items()}
    result = subprocess.run(
        [sys.executable, "-c", child],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=CPU_SECONDS * 10,
    )
    assert result.returncode == 0, f"killed or crashed ({result.returncode}): {result.stderr}"
    outcome = json.loads(result.stdout)
    print(f"peak RSS of the child after all bombs: {outcome['peak'] / 2**20:.0f} MiB")
    return outcome


@pytest.mark.parametrize("name", list(BOMBS))
def test_bomb_is_refused(name: str, outcomes: dict[str, object]) -> None:
    text, position, message = BOMBS[name]
    assert len(text.encode()) <= 500_000  # under the file size limit: the content is refused
    results = outcomes["results"]
    assert isinstance(results, dict)
    lines, seconds = results[name]["lines"], results[name]["seconds"]
    rel = "curriculum/methods/pommi.yml"
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{rel}:{position}: error: {message}"), lines[0]
    print(f"{name}: refused in {seconds:.3f} s")


def test_a_bomb_through_the_command_line(tmp_path: Path) -> None:
    project = tmp_path / "hardening"
    shutil.copytree(FIXTURES / "hardening", project)
    (project / "curriculum/methods/pommi.yml").write_text(laughs(), "utf-8")
    result = run_polku("check", "--root", project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "curriculum/methods/pommi.yml:5:10: error: the file expands to more than 20,000 values "
        "(aliases or a huge list); write the content out plainly and split it into smaller files",
        "polku: 1 error found",
    ]


def test_rlimits_are_available() -> None:
    """The limits above are enforced by the kernel on this platform."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    assert hard == resource.RLIM_INFINITY or hard >= MEMORY_BYTES
