"""The programme at a glance: an A4 landscape PDF for HR to post or email.

The first page has the programme's name, the group and its dates, a few facts and
the timeline picture, scaled to fit the page whatever the programme's length.
Below the picture, or on the next page when the picture leaves no room, every
session is listed in a table: the picture's text in a form a screen reader (and
anyone who wants the whole title) can read.
WeasyPrint renders it with polku's own fonts (``tools/polku/fonts``, the same
as the workbooks). A PDF whose HTML did not change is copied from the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import paths
from ..model import Programme
from ..plan import OWN_RUN, Plan, Run
from .schedules import ScheduleRenderer

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0  # A4 landscape, mm
MARGIN = 12.0
HEADER_HEIGHT = 26.0
FOOTER_HEIGHT = 9.0
GAP = 3.0
TABLE_HEADER = 15.0  # mm: the table's caption, heading row and margin
TABLE_ROW = 5.2  # mm per session row
CACHE_FORMAT = "2"  # 2: link descriptions and pagination artifacts

log = logging.getLogger("mkdocs.plugins.polku")


@dataclass(frozen=True)
class GlanceDocument:
    path: str  # under the site directory
    title: str
    html: str


class GlanceRenderer:
    """Builds and renders the at-a-glance page of every programme and cohort."""

    def __init__(self, schedules: ScheduleRenderer, organisation: str = "") -> None:
        self.schedules = schedules
        self.labels = schedules.labels
        self.organisation = organisation
        self.env = Environment(
            loader=PackageLoader("polku.render", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def documents(self) -> list[GlanceDocument]:
        found = []
        for programme in self.schedules.curriculum.programmes.values():
            if not programme.phases:
                continue
            plan = self.schedules.plans[programme.id]
            found.append(self.document(programme, plan.run(OWN_RUN)))
            for run in plan.runs:
                if run.cohort is not None:
                    found.append(self.document(programme, run))
        return found

    def document(self, programme: Programme, run: Run | None) -> GlanceDocument:
        t = self.labels
        key = programme.id if run is None or run.cohort is None else f"{programme.id}/{run.key}"
        timeline = self.schedules.timelines[key]
        width = PAGE_WIDTH - 2 * MARGIN
        height = PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT - 2 * GAP
        scale = min(width / 960, height / timeline.height())
        size = (f"{960 * scale:.2f}mm", f"{timeline.height() * scale:.2f}mm")
        plan = self.schedules.plans[programme.id]
        # The sessions as a table, the picture's text equivalent: below a short timeline,
        # on the next page when the timeline leaves no room for it.
        room = height - timeline.height() * scale - GAP
        table = self._rows(plan, run)
        table_on_next_page = TABLE_HEADER + TABLE_ROW * len(table) > room
        when = ""
        facts: list[tuple[str, str]] = []
        if run is not None:
            dates = [d.date for d in plan.dated(run)]
            if dates:
                when = f"{t.date(min(dates))} – {t.date(max(dates))}"
            if run.cohort is not None and run.cohort.location:
                facts.append((t("location"), run.cohort.location))
            if run.cohort is not None and run.cohort.facilitator:
                facts.append((t("facilitator"), run.cohort.facilitator))
        if programme.audience:
            facts.append((t("audience"), programme.audience))
        facts.append((t("sessions"), str(len(list(programme.sessions())))))
        heading = programme.title
        if run is not None and run.cohort is not None:
            heading = f"{programme.title}: {run.title}"
        urls = self.schedules.urls
        footer_left = ""
        if urls.is_absolute:
            footer_left = t("schedule.details_at", url=urls.page(paths.programme(programme.id)))
        html = self.env.get_template("glance.html.j2").render(
            language=programme.language,
            title=f"{heading} – {t('schedule.at_a_glance_title')}",
            author=self.organisation,
            kicker=t("schedule.at_a_glance_title"),
            heading=heading,
            when=when,
            facts=facts,
            svg=Markup(timeline.svg(size=size, print_font=True)),
            footer_left=footer_left,
            footer_right=self.organisation,
            table=table,
            table_on_next_page=table_on_next_page,
            table_caption=t("sessions"),
            columns=(
                t("date") if run is not None else t("day"),
                t("time"),
                t("session"),
                t("kind"),
                t("location"),
            ),
            margin=MARGIN,
            header_height=HEADER_HEIGHT,
        )
        path = paths.glance(programme.id, run.key if run and run.cohort else None)
        return GlanceDocument(path=path, title=heading, html=html)

    def _rows(self, plan: Plan, run: Run | None) -> list[tuple[str, str, str, str, str]]:
        """Date (or day), time, title, kind and place of every session, in date order."""
        t = self.labels
        if run is None:
            return [
                (
                    t("day_label", day=planned.session.day),
                    _clock_span(planned.session.start, planned.end),
                    planned.session.title,
                    t(f"kind.{planned.session.kind.value}"),
                    planned.session.location or "",
                )
                for planned in plan.sessions
            ]
        return [
            (
                t.date(d.date),
                f"{d.start:%H:%M}–{d.end:%H:%M}" if d.start and d.end else "",
                d.session.title,
                t(f"kind.{d.session.kind.value}"),
                d.location or "",
            )
            for d in sorted(plan.dated(run), key=lambda d: d.sort_key)
        ]

    # --- rendering ----------------------------------------------------------------------

    def render_all(self, cache_dir: Path | None = None) -> dict[str, bytes]:
        """Site path -> PDF of every document, from the cache where the HTML is unchanged."""
        return {doc.path: self.render(doc, cache_dir) for doc in self.documents()}

    def render(self, document: GlanceDocument, cache_dir: Path | None = None) -> bytes:
        key = _key(document.html)
        cached = None
        if cache_dir is not None:
            stem = document.path.rsplit("/", 1)[-1].removesuffix(".pdf")
            cached = cache_dir / f"{stem}-{key[:24]}.pdf"
            if cached.is_file():
                return cached.read_bytes()
        pdf = render_pdf(document.html)
        if cached is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                for old in cached.parent.glob(f"{stem}-*.pdf"):
                    old.unlink(missing_ok=True)
                temporary = cached.with_name(f".{cached.name}.{os.getpid()}")
                temporary.write_bytes(pdf)
                temporary.replace(cached)
            except OSError as exc:  # a cache that cannot be written only costs time
                log.debug("polku: could not cache %s: %s", cached, exc)
        return pdf


def render_pdf(html: str) -> bytes:
    """One PDF from the page's HTML; fonts from polku's font folder only."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from .pdf_fixes import install

    install()
    fonts = FontConfiguration()
    document = weasyprint.HTML(string=html, base_url=FONTS_DIR.as_uri() + "/")
    return document.write_pdf(font_config=fonts, pdf_variant="pdf/ua-1")


def _clock_span(start: dt.time | None, end: dt.time | None) -> str:
    if start is None:
        return ""
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"


def _key(html: str) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\n".encode())
    for package in ("weasyprint", "pydyf", "fonttools"):
        try:
            digest.update(f"{package}={metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=-\n".encode())
    for path in sorted(FONTS_DIR.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + hashlib.sha256(path.read_bytes()).digest())
    digest.update(html.encode())
    return digest.hexdigest()
