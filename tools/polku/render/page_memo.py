"""Generated pages kept between builds while nothing they show has changed.

A module page and a session page show the text of one module or of a session's modules,
and from the rest of the curriculum only what every page may show: titles, ids,
lengths, the programmes, the glossary, the method cards and the handouts. So a page's
key is the digest of that common part (the same for every page of a build) and the
digests of the modules the page shows in full. Editing one module's body makes again
only the pages that show that module; editing a title or a glossary term makes every
page again, as it changes the navigation and the glossed text of many pages anyway.
Pages that show only the outline (method cards, the indexes, the glossary) are kept
under the common part alone, and the journal under the prompts of every activity.

The Markdown is kept, so the engine still turns it into HTML (and has a cache of its
own for that). The pages a build has to make are rendered by this process and forked
copies of it together (``PageMemo.outputs``). A build from the memo is byte-identical
to one without it (tests/test_build_cache.py).
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import parallel
from ..curriculum import Curriculum
from ..model import Module
from ..store import FileStore
from .output import Output, Packed

# pages per process below which rendering stays in this one (a page takes milliseconds)
PARALLEL_MIN_PAGES = 100

# What of a module every page may show: the rest (body, outcomes, activity texts) is
# shown only by the module's own page and the sessions that schedule it
MODULE_OUTLINE = {
    "id": True,
    "title": True,
    "summary": True,
    "duration": True,
    "prerequisites": True,
    "tags": True,
    "activities": {"__all__": {"id", "type", "title", "duration", "mode", "methods", "handouts"}},
}


@dataclass(frozen=True)
class PageJob:
    """A generated page: where it goes, what it shows, and how to render it."""

    path: str
    title: str
    render: Callable[[], str]
    modules: tuple[Module, ...] = ()  # the modules it shows in full
    shows: str = ""  # more than the outline, when it shows that (the journal: every prompt)
    in_nav: bool = True


class PageMemo:
    """The Markdown of generated pages by what they show."""

    def __init__(self, folder: Path | None, salt: str) -> None:
        self.store = FileStore(folder, salt) if folder is not None else None
        self.common = ""
        self._modules: dict[str, str] = {}
        self.made = 0  # pages rendered by this build (the rest came from the memo)

    def start(self, curriculum: Curriculum, *context: str) -> None:
        """Fix the common part of every key: the curriculum's outline and ``context``.

        ``context``: what the renderer adds to every page (the build's options, the
        links and figures of the programme pages, the files that are published).
        """
        digest = hashlib.sha256()
        for part in (*context, outline(curriculum)):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part.encode("utf-8", "surrogatepass"))
        self.common = digest.hexdigest()

    def module_digest(self, module: Module) -> str:
        found = self._modules.get(module.id)
        if found is None:
            # not model_dump_json: it leaves a UTF-8 copy of every text in the text object,
            # as long as the module lives (a build's largest texts, twice). Version 2 of
            # marshal writes the same bytes for the same data (later ones mark shared objects)
            data = marshal.dumps(module.model_dump(mode="json"), 2)
            found = hashlib.sha256(data).hexdigest()
            self._modules[module.id] = found
        return found

    def outputs(self, entries: Sequence[Output | PageJob]) -> list[Output]:
        """``entries`` as outputs, in their order: kept pages from the memo, the rest
        rendered here and in forked processes, and kept for the next build."""
        found: list[Output | None] = []
        todo: list[tuple[int, str | None]] = []  # (index, memo key) of the pages to render
        for entry in entries:
            if isinstance(entry, Output):
                found.append(entry)
                continue
            key = self._key(entry)
            kept = self.store.get(key, shared=True) if self.store and key else None
            if isinstance(kept, bytes):
                found.append(self._output(entry, Packed(kept)))
                continue
            todo.append((len(found), key))
            found.append(None)
        self.made += len(todo)

        def render(item: tuple[int, str | None]) -> bytes:
            index, key = item
            job = entries[index]
            assert isinstance(job, PageJob)
            data = Packed.of(job.render()).data  # packed where made: see Packed
            if self.store is not None and key is not None:
                # kept by the process that made it; compressed already
                self.store.put(key, data, packed=True)
            return data

        rendered = parallel.map_plain(render, todo, min_share=PARALLEL_MIN_PAGES)
        for (index, key), data in zip(todo, rendered, strict=True):
            job = entries[index]
            assert isinstance(job, PageJob)
            found[index] = self._output(job, Packed(data))
            if self.store is not None and key is not None:
                self.store.adopt(key)
        return [output for output in found if output is not None]

    def _key(self, job: PageJob) -> str | None:
        if self.store is None:
            return None
        digests = (self.module_digest(m) for m in job.modules)
        return self.store.key(self.common, job.path, job.shows, *digests)

    @staticmethod
    def _output(job: PageJob, markdown: Packed) -> Output:
        return Output(job.path, markdown, title=job.title, in_nav=job.in_nav)

    def prune(self) -> None:
        if self.store is not None:
            self.store.prune()


def outline(curriculum: Curriculum) -> str:
    """Everything of the curriculum but the full text of its modules, as JSON."""
    glossary = curriculum.glossary
    modules = curriculum.modules.values()
    bodies = curriculum.body_files.items()
    return json.dumps(
        [
            curriculum.language,
            [p.model_dump(mode="json") for p in curriculum.programmes.values()],
            [m.model_dump(mode="json", include=MODULE_OUTLINE) for m in modules],
            [m.model_dump(mode="json") for m in curriculum.methods.values()],
            [h.model_dump(mode="json") for h in curriculum.handouts.values()],
            glossary.model_dump(mode="json") if glossary is not None else None,
            sorted(asset.path for asset in curriculum.assets),
            sorted(f"{kind}/{ident}={path}" for (kind, ident), path in bodies),
        ],
        ensure_ascii=False,
    )
