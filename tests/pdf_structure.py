"""Reading a tagged PDF's structure with pypdf: elements, tables, lists, links, marked content."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass
class Element:
    """One structure element: its type, attributes, children and the text it holds."""

    tag: str
    obj: DictionaryObject
    children: list[Element] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID)
    annotations: list[DictionaryObject] = field(default_factory=list)
    text: str = ""

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, tag: str) -> list[Element]:
        return [element for element in self.walk() if element.tag == tag]

    def all_text(self) -> str:
        return "".join(element.text for element in self.walk())

    @property
    def attributes(self) -> DictionaryObject:
        value = self.obj.get("/A")
        value = value.get_object() if value is not None else None
        if isinstance(value, ArrayObject):  # several attribute dictionaries
            merged = DictionaryObject()
            for item in value:
                item = item.get_object()
                if isinstance(item, DictionaryObject):
                    merged.update(item)
            return merged
        return value if isinstance(value, DictionaryObject) else DictionaryObject()


class TaggedPdf:
    """A tagged PDF's structure tree, with each element's text from the content streams."""

    def __init__(self, path: object) -> None:
        self.reader = pypdf.PdfReader(path)
        self.page_ids = {
            page.indirect_reference.idnum: index for index, page in enumerate(self.reader.pages)
        }
        self.marked_text = [self._marked_content(page) for page in self.reader.pages]
        root = self.reader.trailer["/Root"]["/StructTreeRoot"]
        self.root = Element("StructTreeRoot", root)
        self._kids(root, self.root, None)

    # --- the tree ------------------------------------------------------------------------------

    def _kids(self, obj: DictionaryObject, element: Element, page: int | None) -> None:
        kids = obj.get("/K")
        if kids is None:
            return
        kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
        items = list(kids) if isinstance(kids, ArrayObject) else [kids]
        page_ref = obj.get("/Pg")
        if page_ref is not None:
            page = self.page_ids.get(page_ref.idnum, page)
        for item in items:
            if isinstance(item, int):  # NumberObject is an int
                assert page is not None
                element.mcids.append((page, int(item)))
                element.text += self.marked_text[page].get(int(item), "")
                continue
            item_obj = item.get_object()
            if not isinstance(item_obj, DictionaryObject):
                continue
            kind = item_obj.get("/Type")
            if kind == "/MCR":
                mcr_page = self.page_ids.get(item_obj["/Pg"].idnum, page)
                mcid = int(item_obj["/MCID"])
                element.mcids.append((mcr_page, mcid))
                element.text += self.marked_text[mcr_page].get(mcid, "")
            elif kind == "/OBJR":
                element.annotations.append(item_obj["/Obj"].get_object())
            else:
                child = Element(str(item_obj["/S"])[1:], item_obj)
                element.children.append(child)
                self._kids(item_obj, child, page)

    @property
    def document(self) -> Element:
        [document] = self.root.children
        return document

    def elements(self, tag: str) -> list[Element]:
        return self.root.find(tag)

    # --- content streams -----------------------------------------------------------------------

    def _marked_content(self, page: pypdf.PageObject) -> dict[int, str]:
        """The text of each MCID of a page, decoded by pypdf's text extraction."""
        found: dict[int, str] = {}
        stack: list[int | None] = []

        def before(operator: bytes, operands: list, _cm: object, _tm: object) -> None:
            if operator in (b"BDC", b"BMC"):
                mcid = None
                if operator == b"BDC" and len(operands) > 1:
                    properties = operands[1]
                    if isinstance(properties, DictionaryObject) and "/MCID" in properties:
                        mcid = int(properties["/MCID"])
                stack.append(mcid)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(value: str, *_args: object) -> None:
            if stack and stack[-1] is not None and value:
                found[stack[-1]] = found.get(stack[-1], "") + value

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        return found

    def artifact_text_operators(self) -> tuple[int, int]:
        """(text-showing operators inside an /Artifact, outside any marked content)."""
        inside = outside = 0
        for page in self.reader.pages:
            stack: list[bytes] = []
            content = page.get_contents()
            if content is None:
                continue
            for operands, operator in pypdf.generic.ContentStream(content, self.reader).operations:
                if operator in (b"BDC", b"BMC"):
                    stack.append(bytes(str(operands[0]), "ascii"))
                elif operator == b"EMC" and stack:
                    stack.pop()
                elif operator in (b"Tj", b"TJ"):
                    if not stack:
                        outside += 1
                    elif b"/Artifact" in stack:
                        inside += 1
        return inside, outside

    def mcids_in_content(self) -> set[tuple[int, int]]:
        found = set()
        for index, page in enumerate(self.reader.pages):
            content = page.get_contents()
            if content is None:
                continue
            for operands, operator in pypdf.generic.ContentStream(content, self.reader).operations:
                if operator == b"BDC" and len(operands) > 1:
                    properties = operands[1]
                    if isinstance(properties, DictionaryObject) and "/MCID" in properties:
                        found.add((index, int(properties["/MCID"])))
        return found

    def link_annotations(self) -> list[DictionaryObject]:
        links = []
        for page in self.reader.pages:
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") == "/Link":
                    links.append(annotation)
        return links


def header_ids(cell: Element) -> list[str]:
    """The /Headers of a table cell, as strings."""
    headers = cell.attributes.get("/Headers")
    return [str(header) for header in headers] if headers is not None else []


def cell_id(cell: Element) -> str:
    return str(cell.obj.get("/ID", ""))


def squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)
