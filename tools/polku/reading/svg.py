"""Refuse SVG pictures that could run scripts or load anything from elsewhere.

An SVG under ``assets/`` is published as it is, and a reader who opens it gets a
document of the site's origin: a script in it runs with the site's rights, and a
reference to another server leaks who looks at the picture. A picture drawn in
Inkscape or Illustrator and saved as plain SVG has neither, so anything of the
kind is refused rather than cleaned. The standard library's expat parser gives
each node's line and column; a DOCTYPE is refused as soon as it starts, before
any entity it declares is parsed.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from .text import shorten

# elements that run scripts or hold web-page content (compared in lower case)
_ACTIVE_ELEMENTS = {
    "script": "runs a script",
    "foreignobject": "can hold web-page content and scripts",
    "handler": "runs a script",
    "listener": "runs a script",
    "iframe": "loads a web page",
    "frame": "loads a web page",
    "embed": "loads other content",
    "object": "loads other content",
    "applet": "runs a program",
    "base": "changes where links lead",
    "meta": "can redirect the reader",
    "link": "loads a style sheet or other content",
}
_ANIMATIONS = {"set", "animate", "animatecolor", "animatemotion", "animatetransform"}
_SVG_ROOT = "http://www.w3.org/2000/svg svg"  # <svg> in the SVG namespace, as expat names it
_REFERENCES = {"href", "src"}  # local names, in any namespace (xlink:href too)

# CSS that loads from elsewhere: url(...) not to '#...', image-set(), src(), @import
_CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*([^'\")\s]*)", re.IGNORECASE)
_CSS_LOADS = re.compile(r"@import|(?:^|[^\w-])(?:-webkit-)?image-set\(|(?:^|[^\w-])src\(", re.I)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_URL_NOISE = re.compile(r"[\x00-\x20]")


class _Refused(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def svg_problem(data: bytes) -> tuple[int, int, str] | None:
    """Line, column and message of the first thing that keeps the SVG from being published."""
    check = _Check(data)
    try:
        check.parser.Parse(data, True)
    except _Refused as refused:
        return refused.line, refused.column, refused.message
    except expat.ExpatError as exc:
        reason = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        return (
            exc.lineno or 1,
            (exc.offset or 0) + 1,
            f"the SVG is not well-formed XML ({reason}); open it in a drawing program "
            "and save it again as plain SVG",
        )
    return None


class _Check:
    """Expat handlers that raise _Refused at the first thing an SVG may not hold."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.entity
        parser.ExternalEntityRefHandler = self.external_entity
        parser.ProcessingInstructionHandler = self.instruction
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        self.parser = parser
        self.started = False  # the root element has been seen
        self.style: list[str] | None = None  # the text of an open <style> element
        self.style_at = (1, 1)

    def refuse(self, message: str) -> _Refused:
        return _Refused(self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1, message)

    def doctype(self, *_args: object) -> None:
        # expat calls this at the end of the declaration's start; point at its '<!'
        start = self.data.rfind(b"<!DOCTYPE", 0, max(self.parser.CurrentByteIndex, 0) + 1)
        if start < 0:
            line, column = self.position()
        else:
            line_start = self.data.rfind(b"\n", 0, start) + 1
            line = self.data.count(b"\n", 0, start) + 1
            column = len(self.data[line_start:start].decode("utf-8", "replace")) + 1
        raise _Refused(
            line,
            column,
            "the SVG has a DOCTYPE declaration, which can define entities that expand "
            "without limit; delete the <!DOCTYPE …> part (SVG needs none)",
        )

    def entity(self, *_args: object) -> None:
        raise self.refuse("the SVG declares an entity; delete the <!ENTITY …> declaration")

    def external_entity(self, *_args: object) -> int:
        raise self.refuse("the SVG refers to an external entity; delete the reference")

    def instruction(self, target: str, _data: str) -> None:
        raise self.refuse(
            f"the SVG has the processing instruction '<?{shorten(target)} …?>', which can load "
            "a style sheet from elsewhere; delete it"
        )

    def start(self, name: str, attributes: dict[str, str]) -> None:
        element = _local(name)
        if not self.started and name != _SVG_ROOT:
            raise self.refuse(
                'the <svg> element lacks xmlns="http://www.w3.org/2000/svg", so browsers show '
                "nothing; add it, or save the picture again as plain SVG"
                if name == "svg"
                else f"the file is not an SVG picture: it starts with <{element}>, not <svg>; "
                "save the picture again as plain SVG"
            )
        self.started = True
        what = _ACTIVE_ELEMENTS.get(element.lower())
        if what is not None:
            raise self.refuse(
                f"the SVG has a <{element}> element, which {what}; polku publishes only "
                "pictures: delete the element, or export the picture again as plain SVG or PNG"
            )
        for attribute, value in attributes.items():
            self.attribute(element, _local(attribute), value)
        if element.lower() == "style":
            self.style, self.style_at = [], self.position()
        elif element.lower() in _ANIMATIONS:
            self.animation(element, attributes)

    def attribute(self, element: str, name: str, value: str) -> None:
        lower = name.lower()
        if lower.startswith("on"):
            raise self.refuse(
                f"the SVG has the event-handler attribute '{name}' on <{element}>, which runs "
                "a script; delete the attribute"
            )
        if lower in _REFERENCES and not _own_reference(value):
            raise self.refuse(
                f"the SVG links to '{shorten(value)}' ({name} on <{element}>); an SVG may refer "
                "only to its own parts ('#name') and embed pictures as 'data:image/…': embed "
                "the picture or delete the link"
            )
        problem = _css_problem(value)
        if problem is not None:
            raise self.refuse(f"the SVG's {name} on <{element}> {problem}")

    def animation(self, element: str, attributes: dict[str, str]) -> None:
        target = next((v for k, v in attributes.items() if _local(k) == "attributeName"), "")
        name = target.rsplit(":", 1)[-1].strip().lower()
        if name in _REFERENCES or name.startswith("on") or name == "style":
            raise self.refuse(
                f"the SVG's <{element}> changes the attribute '{shorten(target)}', which can "
                "turn a link into a script; delete the animation"
            )

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)

    def end(self, name: str) -> None:
        if self.style is None or _local(name).lower() != "style":
            return
        problem = _css_problem("".join(self.style))
        self.style = None
        if problem is not None:
            raise _Refused(*self.style_at, f"the SVG's <style> {problem}")

    def position(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1


def _local(name: str) -> str:
    """An element or attribute name without its namespace ('href' for xlink:href)."""
    return name.rsplit(" ", 1)[-1]


def _own_reference(value: str) -> bool:
    """A reference to a part of the same SVG, or a picture embedded as data."""
    address = _URL_NOISE.sub("", value).lower()
    if address.startswith("#"):
        return True
    # an embedded SVG would be a document these checks have not seen
    return address.startswith("data:image/") and not address.startswith("data:image/svg")


def _css_problem(css: str) -> str | None:
    """What in a style (or a presentation attribute) loads from elsewhere, or None."""
    if "\\" not in css and "(" not in css and "@" not in css:
        return None  # the common case: a colour, a length, path data
    plain = _CSS_ESCAPE.sub(_unescape, _CSS_COMMENT.sub(" ", css))
    if _CSS_LOADS.search(plain):
        return "loads a style sheet or picture from elsewhere (@import, image-set, src); delete it"
    for match in _CSS_URL.finditer(plain):
        if not match.group(2).startswith("#"):
            return (
                f"refers to 'url({shorten(match.group(2))})'; an SVG may refer only to its own "
                "parts, as url(#name): delete the reference"
            )
    return None


def _unescape(match: re.Match[str]) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return match.group(2)
