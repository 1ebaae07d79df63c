"""WordprocessingML building blocks for the DOCX writer: runs, fields,
bookmarks and hyperlinks, as lxml elements.

A field is written the way Word writes one, as complex-field runs::

    <w:r><w:fldChar w:fldCharType="begin"/></w:r>
    <w:r><w:instrText xml:space="preserve"> PAGEREF _Toc100000001 \\h </w:instrText></w:r>
    <w:r><w:fldChar w:fldCharType="separate"/></w:r>
    <w:r><w:t>3</w:t></w:r>            <- the result, already filled in
    <w:r><w:fldChar w:fldCharType="end"/></w:r>

so that Word and LibreOffice show the result at once and can refresh it.
Nothing here keeps state: the writer hands in names and numbers.
"""
from __future__ import annotations

from typing import Iterable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# declared once on the document's root element, where readers that resolve
# prefixes from the root (pandoc) find them
ROOT_NAMESPACES = {
    "w": W_NS,
    "r": R_NS,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
}


def el(tag: str, attrs: dict | None = None, *children) -> etree._Element:
    """``el("w:p", {"w:rsidR": "…"}, child, …)``: an element in the Word namespaces."""
    node = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        node.set(qn(key), str(value))
    for child in children:
        if child is not None:
            node.append(child)
    return node


def rpr(bold=False, italic=False, colour: str | None = None, size: float | None = None,
        style_id: str | None = None, font: str | None = None, caps=False) -> etree._Element | None:
    """Run properties in schema order (rStyle, rFonts, b, i, caps, color, sz)."""
    props = []
    if style_id:
        props.append(el("w:rStyle", {"w:val": style_id}))
    if font:
        props.append(el("w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:cs": font, "w:eastAsia": font}))
    if bold:
        props.append(el("w:b"))
        props.append(el("w:bCs"))
    if italic:
        props.append(el("w:i"))
        props.append(el("w:iCs"))
    if caps:
        props.append(el("w:caps"))
    if colour:
        props.append(el("w:color", {"w:val": colour.lstrip("#").upper()}))
    if size:
        props.append(el("w:sz", {"w:val": half_points(size)}))
        props.append(el("w:szCs", {"w:val": half_points(size)}))
    return el("w:rPr", None, *props) if props else None


def clone(node: etree._Element | None) -> etree._Element | None:
    return None if node is None else etree.fromstring(etree.tostring(node))


def text_run(text: str, props: etree._Element | None = None) -> etree._Element:
    """A run of text; tabs and line breaks in ``text`` become w:tab / w:br."""
    run = el("w:r", None, clone(props))
    for i, part in enumerate(text.split("\n")):
        if i:
            run.append(el("w:br"))
        for j, chunk in enumerate(part.split("\t")):
            if j:
                run.append(el("w:tab"))
            if chunk:
                t = el("w:t")
                t.text = chunk
                if chunk != chunk.strip() or "  " in chunk:
                    t.set(XML_SPACE, "preserve")
                run.append(t)
    return run


def w(tag: str) -> str:
    """The Clark name of a Word element: ``w("p")`` -> ``{…/main}p``."""
    return f"{{{W_NS}}}{tag}"


def tab_run(props=None) -> etree._Element:
    return el("w:r", None, clone(props), el("w:tab"))


def _fld_char(kind: str, props=None, dirty=False) -> etree._Element:
    attrs = {"w:fldCharType": kind}
    if dirty:
        attrs["w:dirty"] = "true"
    return el("w:r", None, clone(props), el("w:fldChar", attrs))


def _instr(instruction: str, props=None) -> etree._Element:
    t = el("w:instrText")
    t.text = f" {instruction.strip()} "
    t.set(XML_SPACE, "preserve")
    return el("w:r", None, clone(props), t)


def field_begin(instruction: str, props=None) -> list[etree._Element]:
    """The runs that open a field and start its result (begin, instruction, separate)."""
    return [_fld_char("begin", props), _instr(instruction, props), _fld_char("separate", props)]


def field_end(props=None) -> etree._Element:
    return _fld_char("end", props)


def field(instruction: str, result: Iterable[etree._Element] | str, props=None) -> list[etree._Element]:
    """A complete complex field with its result runs (or result text)."""
    if isinstance(result, str):
        result = [text_run(result, props)]
    return [*field_begin(instruction, props), *result, field_end(props)]


def bookmark_start(ident: int, name: str) -> etree._Element:
    return el("w:bookmarkStart", {"w:id": ident, "w:name": name})


def bookmark_end(ident: int) -> etree._Element:
    return el("w:bookmarkEnd", {"w:id": ident})


def internal_link(anchor: str, children: Iterable[etree._Element]) -> etree._Element:
    """A hyperlink to a bookmark in this document."""
    return el("w:hyperlink", {"w:anchor": anchor, "w:history": 1}, *children)


def external_link(rel_id: str, children: Iterable[etree._Element]) -> etree._Element:
    """A hyperlink to a web address held in the part's relationships."""
    return el("w:hyperlink", {"r:id": rel_id, "w:history": 1}, *children)


# ----------------------------------------------------------------------------- units
def twips(points: float) -> int:
    """Points to twentieths of a point (lengths in w:ind, w:spacing, w:pgMar ...)."""
    return int(round(points * 20))


def half_points(points: float) -> int:
    """Points to half-points (font sizes)."""
    return int(round(points * 2))


def eighths(points: float) -> int:
    """Points to eighths of a point (border widths)."""
    return int(round(points * 8))


EMU_PER_POINT = 12700


def emu(points: float) -> int:
    return int(round(points * EMU_PER_POINT))


def keep_names_whole(paragraph: etree._Element, unbroken) -> etree._Element:
    """The paragraph with the hyphens of each name ``unbroken(text)`` marks
    (the theme's typography) written as Word's no-break hyphens."""
    for t in list(paragraph.iter(qn("w:t"))):
        pieces = unbroken(t.text or "")
        if not any(keep for _, keep in pieces):
            continue
        nodes = []
        for piece, keep in pieces:
            parts = piece.split("-") if keep else [piece]
            for i, part in enumerate(parts):
                if i:
                    nodes.append(el("w:noBreakHyphen"))
                if part:
                    node = el("w:t")
                    node.text = part
                    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                    nodes.append(node)
        for node in nodes:
            t.addprevious(node)
        t.getparent().remove(t)
    return paragraph
