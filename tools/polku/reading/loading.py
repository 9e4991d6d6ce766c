"""Load a curriculum: the files ``discover`` found, read, parsed, validated and assembled.

Every text is read first, so the files that are neither in the parse cache nor
out of the ordinary can be read by the fast reader in several processes at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .. import parallel
from ..curriculum import Curriculum, Loc, SourceMap
from ..diagnostics import Report
from ..model import KIND_MODELS, Glossary, Handout, Method, Module, Programme
from .cache import ParseCache
from .fast_yaml import read_plain
from .layout import CurriculumFile, Discovery, discover, leaves, outside_message, relative
from .parse import NOT_READ, parse_yaml
from .schema_messages import validate_schema
from .text import read_text

# below this many files to read a second process costs more than it saves
PARALLEL_MIN_FILES = 100

Parsed = tuple[Any, SourceMap]


def load(
    root: Path, report: Report, curriculum_dir: str = "curriculum", *, cache: bool = True
) -> Curriculum:
    """Load every file under ``root/curriculum_dir``; problems go to ``report``.

    ``cache``: keep parsed files in the project's parse cache (``.cache/polku/``).
    """
    found = discover(root, report, curriculum_dir)
    return assemble(found, report, ParseCache.of_project(found.root) if cache else None)


def assemble(found: Discovery, report: Report, cache: ParseCache | None = None) -> Curriculum:
    """Read, parse and validate the files ``discover`` found into a Curriculum."""
    curriculum = Curriculum(root=found.root, curriculum_dir=found.base)
    if not found.exists:
        return curriculum
    curriculum.broken |= found.broken
    curriculum.assets = found.assets
    loaded = load_files([(f.path, f.kind) for f in found.files], found.root, report, cache)
    for file, result in zip(found.files, loaded, strict=True):
        if result is None:
            if file.kind != "glossary":
                curriculum.broken.add((file.kind, file.path.stem))
            continue
        _add(curriculum, file, *result, report)
    if cache is not None:
        cache.save()
    return curriculum


def _add(
    curriculum: Curriculum,
    file: CurriculumFile,
    model: BaseModel,
    source: SourceMap,
    report: Report,
) -> None:
    """Put one loaded model into the curriculum, with its body file when it has one."""
    if isinstance(model, Glossary):
        curriculum.glossary = model
        curriculum.sources[("glossary", "glossary")] = source
        return
    ident = model.id  # type: ignore[attr-defined]
    curriculum.sources[(file.kind, ident)] = source
    if isinstance(model, Programme):
        curriculum.programmes[ident] = model
    elif isinstance(model, Module):
        _attach_body(model, file, source, curriculum, report)
        curriculum.modules[ident] = model
    elif isinstance(model, Method):
        curriculum.methods[ident] = model
    elif isinstance(model, Handout):
        _attach_body(model, file, source, curriculum, report)
        curriculum.handouts[ident] = model


def load_files(
    files: list[tuple[Path, str]], root: Path, report: Report, cache: ParseCache | None = None
) -> list[tuple[BaseModel, SourceMap] | None]:
    """Load each (path, kind); None for a file with problems (reported)."""
    rels = [relative(path, root) for path, _kind in files]
    texts = [_text(path, kind, rel, report) for (path, kind), rel in zip(files, rels, strict=True)]
    keys, cached = _look_up(cache, texts, rels)
    plain = _read_plain_shared(texts, rels, cached)
    loaded: list[tuple[BaseModel, SourceMap] | None] = []
    for index, ((path, kind), rel, text) in enumerate(zip(files, rels, texts, strict=True)):
        parsed = cached[index]
        if parsed is None and text is not None:
            parsed = parse_yaml(text, rel, report, characters_checked=True, plain=plain[index])
            if parsed is not None and cache is not None:
                cache.put(keys[index], parsed)
        loaded.append(_model(path, kind, parsed, report))
    return loaded


def _look_up(
    cache: ParseCache | None, texts: list[str | None], rels: list[str]
) -> tuple[list[str], list[Parsed | None]]:
    """The cache key of every text, and what the parse cache holds for it."""
    if cache is None:
        return [""] * len(texts), [None] * len(texts)
    keys = [cache.key(text) if text is not None else "" for text in texts]
    cached = [
        cache.get(key, rel) if text is not None else None
        for key, rel, text in zip(keys, rels, texts, strict=True)
    ]
    return keys, cached


def _text(path: Path, kind: str, rel: str, report: Report) -> str | None:
    text = read_text(path, rel, report)
    if text is not None and not text.strip() and kind == "glossary":
        return "terms: []"  # an empty glossary is a glossary without terms
    return text


def _read_plain_shared(
    texts: list[str | None], rels: list[str], cached: list[Parsed | None]
) -> list[Parsed | None]:
    """The fast reader's result for every text not in the cache, NOT_READ for the rest.

    The texts are shared with forked processes when there are enough of them.
    """
    unread = [i for i, text in enumerate(texts) if text is not None and cached[i] is None]
    entries = parallel.map_plain(
        _plain_entry,
        [(texts[index], rels[index]) for index in unread],
        min_share=PARALLEL_MIN_FILES,
    )
    plain: list[Parsed | None] = [NOT_READ] * len(texts)
    for index, entry in zip(unread, entries, strict=True):
        plain[index] = None if entry is None else (entry[0], SourceMap(rels[index], *entry[1:]))
    return plain


def _plain_entry(item: tuple[str, str]) -> tuple[Any, dict[Loc, Any], dict[Loc, Any]] | None:
    """The fast reader's result for (text, rel) as plain data, for ``parallel.map_plain``."""
    parsed = read_plain(*item)
    if parsed is None:
        return None
    data, source = parsed
    return data, source.keys, source.values


def _model(
    path: Path, kind: str, parsed: Parsed | None, report: Report
) -> tuple[BaseModel, SourceMap] | None:
    """The validated model of a parsed file whose id is its file name."""
    if parsed is None:
        return None
    data, source = parsed
    model = validate_schema(data, KIND_MODELS[kind], source, report)
    if model is None:
        return None
    ident = getattr(model, "id", None)
    if ident is not None and ident != path.stem:
        line, column = source.value(("id",))
        if isinstance(data, dict) and isinstance(data.get("id"), int) and path.stem.isdigit():
            # 007 is the number 7 in YAML: the leading zeros are gone before polku sees it
            fix = f"write the id in quotes, 'id: \"{path.stem}\"', and so every reference to it"
        else:
            fix = f"rename the file to '{ident}.yml' or set 'id: {path.stem}'"
        report.error(
            source.path,
            line,
            column,
            f"id '{ident}' does not match the file name '{path.name}'; {fix}",
        )
        return None
    return model, source


def _attach_body(
    model: Module | Handout,
    file: CurriculumFile,
    source: SourceMap,
    curriculum: Curriculum,
    report: Report,
) -> None:
    """Read the sibling ``<id>.md`` into the model's body; it cannot also have one."""
    if file.body is None:
        return
    rel = relative(file.body, curriculum.root)
    if leaves(file.body, curriculum.curriculum_dir, file.folder_inside):
        report.error(rel, 1, 1, outside_message(file.body.resolve()))
        return
    if model.body is not None:
        line, column = source.key(("body",))
        report.error(
            source.path,
            line,
            column,
            f"the body is given twice: here and in '{file.body.name}'; keep one of them",
        )
        return
    text = read_text(file.body, rel, report)
    if text is None:
        return
    model.body = text
    curriculum.body_files[(file.kind, model.id)] = rel
