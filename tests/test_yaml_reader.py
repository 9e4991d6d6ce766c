"""The fast YAML reader gives what the round-trip reader gives, or declines."""

from __future__ import annotations

import marshal
import random
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO
from polku.curriculum import SourceMap
from polku.reading import fast_yaml, loading, roundtrip, yaml_base

SNIPPETS = [
    "a: 1\nb:\nc: ~\n",
    "a:\n- x\n- y\n",
    "a:\n  - x\n  -\n  - z\n",
    "a: [Mitä opit?, Mitä teet toisin?]\n",
    "a: {b: 1, c: [1, 2], d: }\n",
    "a: |\n  line1\n\n  line2\n\nb: >-\n  folded\n  more\n\n  para\n",
    "a: |+\n  keep\n\n\nb: |-\n  strip\n",
    "a: |2\n    indented\n",
    "a: 'single '' quote'\nb: \"dq \\u00e4 \\n \\/\"\n",
    "a: plain\n  multi line\n  scalar\nb: x\n",
    "- a\n- b: 1\n  c: 2\n- - n1\n  - n2\n",
    "a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\ng: 017\nh: 0o17\ni: 1_000\n"
    'j: 2027-01-11\nk: "09:00"\nl: 09:00\nm: 1.5\nn: .inf\no: 0x1F\n',
    "# comment\na: 1 # trailing\n# more\nb: 2\n",
    "---\na: 1\n...\n",
    "---\na: 1\n---\nb: 2\n",
    "",
    "# only comment\n",
    "---\n",
    "a: b: c\n",
    "a: 'unclosed\n",
    "a: [1, 2\n",
    "a: 1\na: 2\n",
    "true: a\n1: b\n",
    "1: a\n'1': b\n",
    "a: 1\n b: 2\n",
    "a: &x 1\nb: *x\n",
    "a: &x [1, 2]\nb: *x\nc: [*x, *x]\n",
    "a: &m\n  k: v\n  l:\n    - 1\n    - {z: 2}\nb: *m\nc:\n  - *m\n",
    "s:\n  - outputs: &o\n      - one\n      - two\n    items: &i\n      - title: T\n"
    "        duration: 20min\n  - outputs: *o\n    items: *i\n",
    "a: &x 1\nb: &x 2\nc: *x\n",
    "a: *missing\n",
    "a: &r [*r]\n",
    "<<: {a: 1}\n",
    "a: &x {b: 1}\nc:\n  <<: *x\n",
    "&k a: 1\n",
    "a: &x 1\n*x : 2\n",
    "a: !!str 1\n",
    "%YAML 1.1\n---\na: yes\n",
    "a:\tb\n",
    "? complex\n: value\n",
    "a: x\r\nb: y\r\n",
    "title: Käyttäjän 😀 opas\nid: ö\n",
    "a: |\n  \n    more indented after a blank first line\n",
    "k0: |-#\n  x\n",
    "k0: ['':'q'' a # b']\n",
    "a: x\n...\n...\n",
    "a: [a?b, ?x, x:y, http://x.y]\n",
    "items:\n  - activity: m/a\n  - break: 15min\n  - title: T\n    duration: 20min\n",
]


def round_trip(text: str) -> tuple[object, dict, dict] | None:
    source = SourceMap("x")
    try:
        document = yaml_base.ruamel_yaml().load(text)
        data = roundtrip.Converter(source).convert(document, (), (1, 1))
    except Exception:
        return None
    return data, source.keys, source.values


def fast(text: str) -> tuple[object, dict, dict] | None:
    source = SourceMap("x")
    try:
        data = fast_yaml.FastReader(source).read(text)
    except fast_yaml.Declined:
        return None
    return data, source.keys, source.values


def assert_same(text: str) -> bool:
    """True when the fast reader took the text (and then agrees exactly)."""
    got = fast(text)
    if got is None:
        return False
    expected = round_trip(text)
    assert expected is not None, (
        f"the fast reader took what the round-trip reader refuses: {text!r}"
    )
    assert repr(got[0]) == repr(expected[0]), text
    assert got[1] == expected[1], text
    assert got[2] == expected[2], text
    return True


@pytest.mark.parametrize("text", SNIPPETS)
def test_snippets(text: str) -> None:
    assert_same(text)


def test_curriculum_files() -> None:
    paths = [*FIXTURES.rglob("*.yml"), *(REPO / "curriculum").rglob("*.yml")]
    taken = [assert_same(path.read_text("utf-8-sig")) for path in paths]
    assert sum(taken) >= len(paths) // 2  # ordinary files take the fast path


def test_mutated_documents() -> None:
    """Small random edits of a real module file: agree or decline, never differ."""
    base = (FIXTURES / "basic" / "curriculum" / "modules" / "kohtaaminen.yml").read_text("utf-8")
    pieces = [" ", "\n", ":", "-", "#", "'", '"', "[", "]", "{", "}", ",", "?", "|", "  ", "\n  "]
    rng = random.Random(1)
    for _ in range(1500):
        text = base
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(pieces) + text[at:]
        assert_same(text)


def test_fast_reader_is_used_for_plain_files(tmp_path: Path) -> None:
    text = (FIXTURES / "basic" / "curriculum" / "programmes" / "perehdytys.yml").read_text("utf-8")
    assert fast(text) is not None


# --- the parse cache -----------------------------------------------------------------------


def test_unchanged_files_come_from_the_parse_cache(
    basic_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from polku.check import check

    first, report = check(basic_project)
    assert (basic_project / ".cache" / "polku" / "parsed.marshal").is_file()

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr(loading, "parse_yaml", no_parsing)
    second, again = check(basic_project)
    assert [str(d) for d in again.sorted()] == [str(d) for d in report.sorted()]
    assert second.modules == first.modules and second.programmes == first.programmes
    for key, source in first.sources.items():
        assert second.sources[key].keys == source.keys
        assert second.sources[key].values == source.values


def test_an_edited_file_is_parsed_again_and_problems_are_always_reported(
    basic_project: Path,
) -> None:
    from helpers import edit, problems

    problems(basic_project)  # fills the cache
    edit(basic_project, "curriculum/modules/kohtaaminen.yml", "type: exercise", "type: exersice")
    first = problems(basic_project)
    assert any("did you mean 'exercise'" in line for line in first)
    assert problems(basic_project) == first  # a file with problems is never taken as read


def test_a_broken_or_unwritable_cache_is_ignored(basic_project: Path) -> None:
    from helpers import problems

    expected = problems(basic_project)
    cache = basic_project / ".cache" / "polku" / "parsed.marshal"
    # cut short, not marshal data at all, well-formed but not a cache, entries not entries
    stored = marshal.loads(cache.read_bytes())
    for broken in (
        cache.read_bytes()[:40],
        b"\x00garbage",
        marshal.dumps([1, 2, 3]),
        marshal.dumps(dict.fromkeys(stored, (1, 2))),
    ):
        cache.write_bytes(broken)
        assert problems(basic_project) == expected
    shutil.rmtree(basic_project / ".cache")
    (basic_project / ".cache").write_text("not a folder", "utf-8")
    assert problems(basic_project) == expected


def test_a_packed_source_map_gives_the_same_positions() -> None:
    source = SourceMap("curriculum/modules/m.yml")
    text = "id: m\ntitle: Ä\nactivities:\n  - id: a\n    steps: [yksi, kaksi]\n"
    fast_yaml.FastReader(source).read(text)
    keys, values = dict(source.keys), dict(source.values)
    asked = [(), ("id",), ("activities", 0, "steps", 1), ("activities", 0, "nothing"), ("x",)]
    before = [(source.key(loc), source.value(loc)) for loc in asked]
    assert len(keys) > 3 and ("activities", 0, "steps", 1) in values

    source.pack()
    source.pack()  # once is enough: a second does nothing

    assert source.keys == keys and source.values == values
    assert [(source.key(loc), source.value(loc)) for loc in asked] == before
    assert source.path == "curriculum/modules/m.yml"
    assert source._packed is not None and not source._keys and not source._values
