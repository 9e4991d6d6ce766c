"""A link checker for a built site: every internal href, src and #anchor must resolve.

Works on the files, so it checks a site built for a server (``page/`` URLs) and one built
for the file system (``page.html`` URLs) alike, without a network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
_LINKING = {
    "a": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "video": "src",
    "audio": "src",
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        name = _LINKING.get(tag)
        if name and values.get(name):
            self.links.append(values[name])
        if values.get("srcset"):
            self.links += [part.split()[0] for part in values["srcset"].split(",") if part.strip()]


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    unreachable: list[str] = field(default_factory=list)


def check_site(site: Path, start: str = "index.html") -> LinkReport:
    """Check every HTML page of ``site``; also list pages no link leads to from ``start``."""
    site = site.resolve()
    parsed: dict[Path, _Page] = {}

    def page(path: Path) -> _Page:
        if path not in parsed:
            parser = _Page()
            parser.feed(path.read_text(encoding="utf-8"))
            parsed[path] = parser
        return parsed[path]

    report = LinkReport()
    pages = sorted(site.rglob("*.html"))
    edges: dict[Path, set[Path]] = {}
    for path in pages:
        report.pages += 1
        edges[path] = set()
        if path.name == "404.html" and path.parent == site:
            continue  # written for any missing URL: its links start at the site root
        for link in page(path).links:
            report.links += 1
            if _EXTERNAL.match(link):
                report.external.add(link)
                continue
            parts = urlsplit(link)
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site)} -> {link}"
            if not target.is_relative_to(site):
                report.broken.append(f"{where} (outside the site)")
            elif not target.is_file():
                report.broken.append(f"{where} (no such file)")
            elif target.suffix == ".html":
                edges[path].add(target)
                anchor = unquote(parts.fragment)
                if anchor and anchor not in page(target).ids:
                    report.broken.append(f"{where} (no such anchor)")
    seen = {(site / start).resolve()}
    stack = list(seen)
    while stack:
        for target in edges.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    report.unreachable = [
        str(p.relative_to(site)) for p in pages if p not in seen and p.name != "404.html"
    ]
    return report
