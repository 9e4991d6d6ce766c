"""The programme at a glance: phases and sessions as an SVG timeline (a Gantt chart).

polku draws the picture itself at build time: plain SVG with real text, one
row per session under its phase, a bar on the session's day coloured by its
kind, the date and time beside it, and a legend. The colours are presentation
attributes (light, print-safe); the site's stylesheet and a standalone file's
own ``<style>`` switch them for dark mode by the ``polku-tl-*`` classes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..i18n import Labels
from ..model import Programme, Session, SessionKind
from ..plan import DatedSession, Plan, Run

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
WIDTH = 960
LABEL_WIDTH = 250
MAX_PRINT_LABEL_WIDTH = 400  # in print the titles' column widens to this for long titles
PAD = 12
AXIS_HEIGHT = 44
ROW_HEIGHT = 22
PHASE_HEIGHT = 24
LEGEND_HEIGHT = 34
FONT_SIZE = 12
SMALL_SIZE = 11
CHAR_WIDTH = 6.6  # average advance of a 12px sans-serif character, for layout estimates
FONT_FAMILY = "Polku Sans, IBM Plex Sans, system-ui, sans-serif"
DAY_START = 7 * 60  # a working day on the timeline runs 07:00-19:00
DAY_MINUTES = 12 * 60

# Okabe-Ito colours: told apart with every common kind of colour blindness
LIGHT = {
    SessionKind.CONTACT: "#0072b2",
    SessionKind.REMOTE: "#009e73",
    SessionKind.SELF_STUDY: "#e69f00",
    SessionKind.MENTORING: "#cc79a7",
    SessionKind.ASSIGNMENT: "#d55e00",
}
# The edge of a bar whose colour stands out less than 3:1 from the white page (WCAG
# 1.4.11): the same hue, darker. Orange and pink keep their Okabe-Ito fill inside it.
EDGE = {
    SessionKind.REMOTE: "#007a59",
    SessionKind.SELF_STUDY: "#8a5f00",
    SessionKind.MENTORING: "#9c4f7b",
}
DARK = {
    SessionKind.CONTACT: "#56b4e9",
    SessionKind.REMOTE: "#3fd1a5",
    SessionKind.SELF_STUDY: "#f5c242",
    SessionKind.MENTORING: "#e8a9ce",
    SessionKind.ASSIGNMENT: "#ff8f5a",
}
INK = {
    "text": "#1f2328",
    "muted": "#57606a",
    "grid": "#d8dee4",
    "week": "#8c959f",
    "phase": "#eaeef2",
    "start": "#1f2328",
}
DARK_INK = {
    "text": "#e6edf3",
    "muted": "#9da7b3",
    "grid": "#30363d",
    "week": "#6e7681",
    "phase": "#262c36",
    "start": "#e6edf3",
}


def dark_css(scope: str) -> str:
    """CSS rules that give the timeline its dark colours under ``scope``."""
    rules = [
        f"{scope} .polku-tl-{name} {{ {_prop(name)}: {value}; }}"
        for name, value in DARK_INK.items()
    ]
    rules += [
        f"{scope} .polku-tl-kind--{kind.value} {{ fill: {value}; }}" for kind, value in DARK.items()
    ]
    return "\n".join(rules)


def _prop(name: str) -> str:
    return "fill" if name in ("text", "muted", "phase") else "stroke"


@dataclass
class _Row:
    kind: str  # phase | session
    title: str
    session: Session | None = None
    dated: DatedSession | None = None
    days: tuple[int, int] | None = None  # first and last day index of a phase


def day_index(day: int) -> int:
    """Column of a programme day: day 1 is column 0, day -1 column -1 (there is no day 0)."""
    return day - 1 if day > 0 else day


def index_day(index: int) -> int:
    return index + 1 if index >= 0 else index


class Timeline:
    """Lays out and draws the timeline of one programme, dated by one run or undated."""

    def __init__(
        self,
        programme: Programme,
        plan: Plan,
        labels: Labels,
        run: Run | None = None,
        *,
        ident: str = "",
        link: Callable[[Session], str] | None = None,
    ) -> None:
        self.programme = programme
        self.plan = plan
        self.labels = labels
        self.run = run
        self.ident = ident or f"polku-tl-{programme.id}" + (f"-{run.key}" if run else "")
        self.link = link
        self.dated = {d.session.id: d for d in plan.dated(run)} if run else {}
        self._measure: Callable[[str, bool], float] | None = None
        self._label_width: float = LABEL_WIDTH

    # --- layout -----------------------------------------------------------------------

    def rows(self) -> list[_Row]:
        rows: list[_Row] = []
        for phase in self.programme.phases:
            indexes = [day_index(s.day) for s in phase.sessions]
            span = (min(indexes), max(indexes)) if indexes else None
            rows.append(_Row("phase", phase.title, days=span))
            for session in phase.sessions:
                rows.append(_Row("session", session.title, session, self.dated.get(session.id)))
        return rows

    def span(self) -> tuple[int, int]:
        """First column and one past the last column shown."""
        indexes = [day_index(s.day) for _phase, s in self.programme.sessions()] or [0]
        return min(min(indexes), 0), max(indexes) + 1

    # --- drawing ----------------------------------------------------------------------

    def svg(
        self,
        *,
        standalone: bool = False,
        size: tuple[str, str] | None = None,
        print_font: bool = False,
    ) -> str:
        """The picture; ``size`` gives its printed width and height (CSS lengths).

        ``print_font``: the picture is printed with polku's own sans (the PDFs), so a
        title is shortened only where that font's letters do not fit. A browser may
        show another font, so on the site titles are fitted to an estimate.
        """
        self._measure = text_width if print_font else None
        rows = self.rows()
        self._label_width = self._print_label_width(rows) if print_font else LABEL_WIDTH
        first, end = self.span()
        columns = end - first
        track_left = self._label_width + PAD
        track_width = WIDTH - track_left - PAD
        cell = track_width / columns
        height = self.height()

        def x_of(index: int) -> float:
            return track_left + (index - first) * cell

        out: list[str] = []
        title_id, desc_id = f"{self.ident}-title", f"{self.ident}-desc"
        width_text, height_text = size or (str(WIDTH), f"{height:.0f}")
        # with links inside it is a group to browse, not one image (axe: nested-interactive)
        role = "group" if self.link is not None else "img"
        out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'width="{width_text}" height="{height_text}" role="{role}" '
            'class="polku-timeline__svg" '
            f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT_FAMILY}" '
            f'font-size="{FONT_SIZE}">'
        )
        out.append(f'<title id="{title_id}">{escape(self.title())}</title>')
        out.append(f'<desc id="{desc_id}">{escape(self.description())}</desc>')
        if standalone:
            out.append(
                "<style>@media (prefers-color-scheme: dark) {\n" + dark_css("svg") + "\n}</style>"
            )
        top = AXIS_HEIGHT
        bottom = height - LEGEND_HEIGHT - 4
        out += self._axis(first, end, x_of, cell, top, bottom)
        y = float(top)
        for row in rows:
            if row.kind == "phase":
                out += self._phase(row, x_of, cell, y)
                y += PHASE_HEIGHT
            else:
                out += self._session(row, x_of, cell, y)
                y += ROW_HEIGHT
        out += self._legend(bottom + 8)
        out.append("</svg>")
        return "\n".join(out)

    @staticmethod
    def _print_label_width(rows: list[_Row]) -> float:
        """The titles' column in print: as wide as the longest title needs, within limits,
        so that the page's width goes to whole titles before the day columns."""
        needed = [
            text_width(row.title, row.kind == "phase") + (PAD if row.kind == "phase" else PAD + 10)
            for row in rows
        ]
        return min(max([LABEL_WIDTH, *[width + PAD for width in needed]]), MAX_PRINT_LABEL_WIDTH)

    def height(self) -> float:
        """Height of the picture in the same units as its width (``WIDTH``)."""
        rows = self.rows()
        body = sum(PHASE_HEIGHT if r.kind == "phase" else ROW_HEIGHT for r in rows)
        return AXIS_HEIGHT + body + LEGEND_HEIGHT + 4

    def title(self) -> str:
        name = self.programme.title
        if self.run is not None and self.run.cohort is not None:
            name = f"{name} – {self.run.title}"
        return self.labels("schedule.timeline_title", title=name)

    def description(self) -> str:
        sessions = [s for _phase, s in self.programme.sessions()]
        if not sessions:
            return self.labels("no_sessions")
        first = min(sessions, key=lambda s: s.day).day
        last = max(sessions, key=lambda s: s.day).day
        return self.labels(
            "schedule.timeline_desc",
            sessions=len(sessions),
            phases=len(self.programme.phases),
            first=self._day_text(first),
            last=self._day_text(last),
        )

    def _day_text(self, day: int) -> str:
        if self.run is None:
            return self.labels("day_label", day=day)
        # the date first, as on the session pages: "to 7.1.2027 (päivä -2)"
        date = self.labels.date(self.run.days.date_of(day))
        return f"{date} ({self.labels('day_in_programme', day=day)})"

    def _short_date(self, day: dt.date) -> str:
        return self.labels(
            "schedule.date_short",
            day=day.day,
            month=day.month,
            month_name=self.labels(f"schedule.month.{day.month}"),
        )

    def _ticks(self, first: int, end: int, cell: float) -> list[int]:
        """Columns that get a label: week starts when dated, every 5th or 7th day otherwise."""
        if self.run is not None:
            marks = []
            previous: tuple[int, int] | None = None
            for index in range(first, end):
                week = self.run.days.date_of(index_day(index)).isocalendar()[:2]
                if week != previous:
                    marks.append(index)
                previous = week
        else:
            step = 5 if self.programme.workdays_only else 7
            marks = [i for i in range(first, end) if (index_day(i) - 1) % step == 0 or i == first]
        if not marks:
            return []
        spacing = min((b - a for a, b in itertools.pairwise(marks)), default=end)
        stride = 1
        while spacing * stride * cell < 52 and stride < len(marks):
            stride *= 2
        return marks[::stride]

    def _axis(
        self,
        first: int,
        end: int,
        x_of: Callable[[int], float],
        cell: float,
        top: float,
        bottom: float,
    ) -> list[str]:
        t = self.labels
        out = [
            f'<text class="polku-tl-muted" x="{PAD}" y="18" fill="{INK["muted"]}" '
            f'font-size="{SMALL_SIZE}">{escape(t("day"))}</text>'
        ]
        if self.run is not None:
            out.append(
                f'<text class="polku-tl-muted" x="{PAD}" y="34" fill="{INK["muted"]}" '
                f'font-size="{SMALL_SIZE}">{escape(t("date"))}</text>'
            )
        if cell >= 6:
            for index in range(first, end + 1):
                x = x_of(index)
                out.append(
                    f'<line class="polku-tl-grid" x1="{x:.1f}" y1="{top:.0f}" x2="{x:.1f}" '
                    f'y2="{bottom:.0f}" stroke="{INK["grid"]}" stroke-width="0.5"/>'
                )
        for index in self._ticks(first, end, cell):
            x = x_of(index)
            out.append(
                f'<line class="polku-tl-week" x1="{x:.1f}" y1="{top - 6:.0f}" x2="{x:.1f}" '
                f'y2="{bottom:.0f}" stroke="{INK["week"]}" stroke-width="0.75"/>'
            )
            out.append(
                f'<text class="polku-tl-text" x="{x + 3:.1f}" y="18" fill="{INK["text"]}" '
                f'font-size="{SMALL_SIZE}">{index_day(index)}</text>'
            )
            if self.run is not None:
                date = self.run.days.date_of(index_day(index))
                out.append(
                    f'<text class="polku-tl-muted" x="{x + 3:.1f}" y="34" fill="{INK["muted"]}" '
                    f'font-size="{SMALL_SIZE}">{escape(self._short_date(date))}</text>'
                )
        if first < 0:  # the programme starts here; columns to the left come before it
            x = x_of(0)
            out.append(
                f'<line class="polku-tl-start" x1="{x:.1f}" y1="{top - 8:.0f}" x2="{x:.1f}" '
                f'y2="{bottom:.0f}" stroke="{INK["start"]}" stroke-width="1.5"/>'
            )
        return out

    def _phase(self, row: _Row, x_of: Callable[[int], float], cell: float, y: float) -> list[str]:
        out = []
        if row.days is not None:
            left = x_of(row.days[0])
            width = x_of(row.days[1] + 1) - left
            out.append(
                f'<rect class="polku-tl-phase" x="{left:.1f}" y="{y + 3:.1f}" '
                f'width="{width:.1f}" height="{PHASE_HEIGHT - 6}" rx="3" '
                f'fill="{INK["phase"]}"/>'
            )
        label = _fit(row.title, self._label_width - PAD, bold=True, measure=self._measure)
        out.append(
            f'<text class="polku-tl-text" x="{PAD}" y="{y + 16:.1f}" fill="{INK["text"]}" '
            f'font-weight="700">{escape(label)}'
            f"<title>{escape(row.title)}</title></text>"
        )
        return out

    def _session(self, row: _Row, x_of: Callable[[int], float], cell: float, y: float) -> list[str]:
        session = row.session
        assert session is not None
        index = day_index(session.day)
        left, width = x_of(index), cell
        minutes = self.plan.minutes.get(session.id, 0)
        if session.start is not None and minutes and cell >= 80:
            start = session.start.hour * 60 + session.start.minute
            begin = min(max((start - DAY_START) / DAY_MINUTES, 0.0), 0.95)
            finish = min(max((start + minutes - DAY_START) / DAY_MINUTES, begin + 0.05), 1.0)
            left, width = left + begin * cell, (finish - begin) * cell
        else:
            left, width = left + 1, max(cell - 2, 3.0)
        width = max(width, min(cell - 2, max(6.0, cell / 4)), 5.0)  # 5: visible when tiny
        left = max(min(left, x_of(index) + cell - width), x_of(index))
        colour = LIGHT[session.kind]
        kind_label = self.labels(f"kind.{session.kind.value}")
        detail = self._detail(session, row.dated)
        tooltip = f"{session.title} · {kind_label} · {detail}"
        label = escape(_fit(session.title, self._label_width - PAD - 10, measure=self._measure))
        body = [
            f'<text class="polku-tl-text" x="{PAD + 10}" y="{y + 15:.1f}" '
            f'fill="{INK["text"]}">{label}</text>',
            f'<rect class="polku-tl-kind--{session.kind.value}" x="{left:.1f}" '
            f'y="{y + 4:.1f}" width="{width:.1f}" height="{ROW_HEIGHT - 8}" rx="2" '
            f'fill="{colour}"{_edge(session.kind)}/>',
        ]
        detail_width = len(detail) * CHAR_WIDTH * SMALL_SIZE / FONT_SIZE
        after = left + width + 5
        if after + detail_width <= WIDTH - 2 or left - 5 - detail_width < self._label_width + PAD:
            body.append(
                f'<text class="polku-tl-muted" x="{after:.1f}" y="{y + 15:.1f}" '
                f'fill="{INK["muted"]}" font-size="{SMALL_SIZE}">{escape(detail)}</text>'
            )
        else:
            body.append(
                f'<text class="polku-tl-muted" x="{left - 5:.1f}" y="{y + 15:.1f}" '
                f'fill="{INK["muted"]}" font-size="{SMALL_SIZE}" text-anchor="end">'
                f"{escape(detail)}</text>"
            )
        inner = f"<title>{escape(tooltip)}</title>" + "".join(body)
        if self.link is not None:
            return [f"<a href={quoteattr(self.link(session))}>{inner}</a>"]
        return [f"<g>{inner}</g>"]

    def _detail(self, session: Session, dated: DatedSession | None) -> str:
        t = self.labels
        if dated is not None:
            day = dated.date
            text = f"{t(f'weekday.{day.weekday()}')} {self._short_date(day)}"
        else:
            text = t("day_label", day=session.day)
        if session.start is not None:
            text += f" {session.start:%H:%M}"
            minutes = self.plan.minutes.get(session.id, 0)
            if minutes:
                total = session.start.hour * 60 + session.start.minute + minutes
                text += f"–{(total // 60) % 24:02d}:{total % 60:02d}"
        return text

    def _legend(self, y: float) -> list[str]:
        used = [k for k in SessionKind if any(s.kind is k for _p, s in self.programme.sessions())]
        out = []
        x = float(PAD)
        for kind in used:
            label = self.labels(f"kind.{kind.value}")
            out.append(
                f'<rect class="polku-tl-kind--{kind.value}" x="{x:.1f}" y="{y:.1f}" '
                f'width="12" height="12" rx="2" fill="{LIGHT[kind]}"{_edge(kind)}/>'
            )
            out.append(
                f'<text class="polku-tl-text" x="{x + 17:.1f}" y="{y + 10.5:.1f}" '
                f'fill="{INK["text"]}">{escape(label)}</text>'
            )
            x += 17 + len(label) * CHAR_WIDTH + 22
        return out


def _edge(kind: SessionKind) -> str:
    """The stroke of a bar of ``kind`` that needs a darker edge to stand out, or ''."""
    if kind not in EDGE:
        return ""
    return f' stroke="{EDGE[kind]}" stroke-width="1.5"'


def _fit(
    text: str,
    width: float,
    *,
    bold: bool = False,
    measure: Callable[[str, bool], float] | None = None,
) -> str:
    """Shorten ``text`` with an ellipsis to ``width`` pixels: measured with ``measure``,
    or else to about that width by an average letter's advance."""
    text = " ".join(text.split())
    if measure is not None:
        if measure(text, bold) <= width:
            return text
        end = len(text)
        while end > 4 and measure(text[: end - 1].rstrip() + "…", bold) > width:
            end -= 1
        return text[: end - 1].rstrip() + "…"
    per_char = CHAR_WIDTH * (1.08 if bold else 1.0)
    limit = max(int(width / per_char), 4)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@cache
def _advances(bold: bool) -> tuple[dict[int, int], float]:
    """Advance widths by code point of polku's print sans, and pixels per font unit."""
    from fontTools.ttLib import TTFont

    name = "IBMPlexSans-Bold.ttf" if bold else "IBMPlexSans-Regular.ttf"
    font = TTFont(FONTS_DIR / name)
    metrics = font["hmtx"]
    advances = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    return advances, FONT_SIZE / font["head"].unitsPerEm


def text_width(text: str, bold: bool = False) -> float:
    """The width of ``text`` at the timeline's font size in polku's print sans, in pixels."""
    advances, scale = _advances(bold)
    fallback = advances.get(ord("n"), 0)
    return sum(advances.get(ord(char), fallback) for char in text) * scale


def standalone_file(svg: str) -> str:
    """An SVG document to save as a file."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
