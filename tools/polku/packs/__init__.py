"""Welcome packs: for each new hire, a letter with their own dates and a calendar file.

``polku packs --people PEOPLE.csv --out DIR`` reads one person per row, checks the
file as strictly as the curriculum, and writes ``DIR/<person>/<person>.pdf`` and
``DIR/<person>/<person>.ics``. People's data stays in DIR: nothing of it goes into
the site folder, the search index or the project's caches, and the PDFs are
rendered in a private work folder inside DIR that is removed afterwards. DIR is
polku's own, as the site folder is: new, empty or marked by an earlier run, never a
folder of someone's files (:data:`polku.packs.write.PACKS`).
"""

from __future__ import annotations

from .write import PacksError, PacksResult, make_packs

__all__ = ["PacksError", "PacksResult", "make_packs"]
