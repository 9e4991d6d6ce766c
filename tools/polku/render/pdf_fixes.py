"""What polku changes in WeasyPrint (70) for accessible and quick PDFs, in one place.

Imported by the processes that render PDFs (``pdf_worker``, the at-a-glance
pages) and installed once with :func:`install`. Each change is small, names what
it fixes, and leaves WeasyPrint as it was when the function it wraps is not the
one it expects.

- **Link descriptions** (PDF/UA-1 7.18.5): WeasyPrint describes every link by its
  target, so a screen reader says "session-lahiopetus-2". A link's description
  becomes what the link says: its ``title``, or its words, and for a web address
  the address too.
- **Running headers and page numbers as artifacts** (PDF/UA-1 7.8): WeasyPrint
  marks the text of page margins as content but leaves it out of the structure
  tree, so it is neither read nor marked as pagination. It becomes a pagination
  artifact.
- **Page references in linear time**: ``pydyf.PDF.page_references`` builds the
  tuple of every page's reference on each use, and the structure tree asks for it
  once per element: quadratic in the pages. It is kept until a page is added.
- **Arrays for HarfBuzz subsetting**: the font subsetter asks cffi for an array of
  a new C type for each length (``hb_codepoint_t[1234]``), and cffi parses each
  new type with pycparser, about 20 ms a time. The same array of the open type
  (``hb_codepoint_t[]``), parsed once, holds the same values.
- **One font description per font**: each piece of text laid out builds a new
  Pango font description from its style. Pango copies a description into the
  layout that uses it, so the same description serves every piece of text in
  the same family, style, weight and size.

None of these changes what a PDF holds: the same HTML gives the same bytes.
"""

from __future__ import annotations

from typing import Any

_installed = False


def install() -> None:
    """Apply the changes (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    _describe_links()
    _margins_as_artifacts()
    _page_references_once()
    _open_arrays_for_subsetting()
    _font_descriptions_once()


def link_description(element: Any, link_type: str, target: str) -> str:
    """What a link says: its title or words; an address is named as well."""
    title = " ".join((element.get("title") or "").split()) if element is not None else ""
    words = " ".join("".join(element.itertext()).split()) if element is not None else ""
    text = title or words
    if link_type == "external" and target not in text:
        return f"{text} ({target})" if text else target
    return text or target


def _describe_links() -> None:
    import pydyf
    import weasyprint.pdf as pdf_module
    from weasyprint.pdf import anchors

    original = anchors.add_links
    if getattr(pdf_module, "add_links", None) is not original:
        return

    def add_links(links_and_anchors: Any, matrix: Any, pdf: Any, page: Any, names: Any, tags: Any):
        result = original(links_and_anchors, matrix, pdf, page, names, tags)
        if tags is not None:
            links, _anchors = links_and_anchors
            for link_type, target, _rectangle, box in links:
                annotation = getattr(box, "link_annotation", None)
                if annotation is not None and link_type in ("internal", "external"):
                    description = link_description(box.element, link_type, target)
                    annotation["Contents"] = pydyf.String(description)
        return result

    pdf_module.add_links = add_links


def _margins_as_artifacts() -> None:
    import pydyf
    from weasyprint import draw
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags as tags_module

    draw_context = draw.draw_stacking_context
    build_tree = tags_module._build_box_tree

    def draw_stacking_context(stream: Any, stacking_context: Any) -> None:
        marked = getattr(stream, "_tags", None)
        if marked is None or not isinstance(stacking_context.box, boxes.MarginBox):
            draw_context(stream, stacking_context)
            return
        # a running header or a page number: pagination, not content
        pydyf.Stream.begin_marked_content(
            stream, "Artifact", pydyf.Dictionary({"Type": "/Pagination"})
        )
        stream._tags = None
        try:
            draw_context(stream, stacking_context)
        finally:
            stream._tags = marked
            pydyf.Stream.end_marked_content(stream)

    def build_box_tree(box: Any, *args: Any) -> Any:
        if isinstance(box, boxes.MarginBox):
            return iter(())  # drawn as an artifact, so nothing of it is in the tree
        return build_tree(box, *args)

    draw.draw_stacking_context = draw_stacking_context
    tags_module._build_box_tree = build_box_tree


def _page_references_once() -> None:
    import pydyf

    def page_references(self: Any) -> tuple[bytes, ...]:
        kids = self.pages["Kids"]
        kept = self.__dict__.get("_polku_page_references")
        if kept is None or kept[0] != len(kids):
            kept = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            self.__dict__["_polku_page_references"] = kept
        return kept[1]

    pydyf.PDF.page_references = property(page_references)  # type: ignore[method-assign]


def _open_arrays_for_subsetting() -> None:
    import re

    from weasyprint.pdf import fonts

    real = fonts.ffi
    if not hasattr(real, "new"):
        return
    sized = re.compile(r"^([A-Za-z_][\w ]*)\[\d+\]$")

    class OpenArrays:
        """cffi as the subsetter uses it, with its sized arrays made from open types."""

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def new(self, cdecl: Any, init: Any = None) -> Any:
            if init is not None and isinstance(cdecl, str):
                match = sized.match(cdecl)
                if match:
                    cdecl = f"{match.group(1)}[]"  # its length is the values'
            return real.new(cdecl, init)

    fonts.ffi = OpenArrays()


def _font_descriptions_once() -> None:
    from weasyprint.text import line_break

    build = line_break.get_font_description
    made: dict[tuple[Any, ...], Any] = {}

    def get_font_description(style: Any) -> Any:
        variations = style["font_variation_settings"]
        key = (
            tuple(style["font_family"]),
            style["font_style"],
            style["font_stretch"],
            style["font_weight"],
            style["font_size"],
            style["font_variant_caps"],
            variations if variations == "normal" else tuple(map(tuple, variations)),
        )
        description = made.get(key)
        if description is None:
            description = made[key] = build(style)  # kept alive with the process
        return description

    line_break.get_font_description = get_font_description
