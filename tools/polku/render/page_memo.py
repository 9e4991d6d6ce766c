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
own for that). A build from the memo is byte-identical to one without it
(tests/test_build_cache.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from ..curriculum import Curriculum
from ..model import Module
from ..store import FileStore

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
            found = hashlib.sha256(module.model_dump_json().encode()).hexdigest()
            self._modules[module.id] = found
        return found

    def page(
        self,
        path: str,
        modules: Iterable[Module],
        render: Callable[[], str],
        *,
        shows: str = "",
    ) -> str:
        """The Markdown of ``path``, which shows ``modules`` in full.

        A page that shows no module in full but more than the outline of all of them
        (the journal shows every prompt) passes that as ``shows``.
        """
        if self.store is None:
            self.made += 1
            return render()
        digests = (self.module_digest(m) for m in modules)
        key = self.store.key(self.common, path, shows, *digests)
        kept = self.store.get(key, shared=True)  # text: never changed
        if isinstance(kept, str):
            return kept
        self.made += 1
        markdown = render()
        self.store.put(key, markdown)
        return markdown

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
