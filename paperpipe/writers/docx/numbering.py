"""Word's numbering definitions (word/numbering.xml): the outline list of the
headings, bullets and numbers for body lists, compact ones for lists in
table cells, and ones for sidebars that keep the box's left edge (Word and
LibreOffice join bordered paragraphs into one box only where their indents
are equal, so a list item in a box stands at the box's indent, its marker
followed by a space).

Heading 1-3 are linked to the outline list (each level names its style), so
Word numbers every heading itself, "1", "1.1", "1.1.1", exactly as the
passes do, and numbers a heading an editor inserts; an unnumbered heading
carries numId 0, which takes it out of the list without counting it.
"""
from __future__ import annotations

from lxml import etree

from .looks import Looks, word_colour
from .wml import W_NS, twips

# numId of each definition; the styles point at them
BULLETS, NUMBERS, HEADINGS, CELL_BULLETS, CELL_NUMBERS, BOX_BULLETS, BOX_NUMBERS = 1, 2, 3, 4, 5, 6, 7
ABSTRACT = {BULLETS: 0, NUMBERS: 1, HEADINGS: 2, CELL_BULLETS: 3, CELL_NUMBERS: 4, BOX_BULLETS: 5, BOX_NUMBERS: 6}
FIRST_FREE_NUM = 8
# where lists stand: the numbering of their bullets and of their numbers
PLACES = {"body": (BULLETS, NUMBERS), "cell": (CELL_BULLETS, CELL_NUMBERS), "box": (BOX_BULLETS, BOX_NUMBERS)}
LEVELS = 9


def _w(tag: str, parent=None, **attrs) -> etree._Element:
    """An element in Word's namespace; every attribute value is set as text
    (lxml escapes it), so a theme's bullet or number format can hold any
    character without changing the XML around it."""
    name = f"{{{W_NS}}}{tag}"
    node = etree.Element(name, nsmap={"w": W_NS}) if parent is None else etree.SubElement(parent, name)
    for key, value in attrs.items():
        node.set(f"{{{W_NS}}}{key}", str(value))
    return node


def _level(parent, i: int, fmt: str, text: str, left: float, hanging: float, colour: str = "", style: str = "", suffix: str = "") -> None:
    lvl = _w("lvl", parent, ilvl=i)
    _w("start", lvl, val=1)
    _w("numFmt", lvl, val=fmt)
    if style:
        _w("pStyle", lvl, val=style)
    if suffix:
        _w("suff", lvl, val=suffix)
    _w("lvlText", lvl, val=text)
    _w("lvlJc", lvl, val="left")
    _w("ind", _w("pPr", lvl), left=twips(left), hanging=twips(hanging))
    if colour:
        _w("color", _w("rPr", lvl), val=colour)


def _numbered(around: tuple[str, str], number: str) -> str:
    """A number format of the theme (read once: its text before and after
    the number) as Word's level text ("%1.")."""
    return around[0] + number + around[1]


def numbering_xml(lk: Looks) -> str:
    ls = lk.theme.lists
    marker = word_colour(ls.bullet_colour)
    root = _w("numbering")

    def abstract(ident: int, kind: str):
        node = _w("abstractNum", root, abstractNumId=ident)
        _w("multiLevelType", node, val=kind)
        return node

    def lists(bullets, numbers, indent: float, number: float) -> None:
        for i in range(LEVELS):
            _level(bullets, i, "bullet", ls.bullet(i), indent * (i + 1), indent * ls.bullet_dedent, marker)
        for i in range(LEVELS):
            _level(numbers, i, "decimal", _numbered(ls.around(), f"%{i + 1}"), indent * i + number, number, marker)

    lists(abstract(ABSTRACT[BULLETS], "hybridMultilevel"), abstract(ABSTRACT[NUMBERS], "hybridMultilevel"), ls.indent, ls.indent)
    headings = abstract(ABSTRACT[HEADINGS], "multilevel")
    for i in range(LEVELS):
        width = lk.number_width(i + 1)
        text = _numbered(lk.heading_number_around, ".".join(f"%{k + 1}" for k in range(i + 1)))
        _level(headings, i, "decimal", text, width, width, style=f"Heading{i + 1}" if i < 3 else "", suffix="tab")
    # numbers keep the body's column, wide enough for "15."; bullets are narrower
    lists(abstract(ABSTRACT[CELL_BULLETS], "hybridMultilevel"), abstract(ABSTRACT[CELL_NUMBERS], "hybridMultilevel"),
          ls.inner_indent, ls.indent)
    box = lk.theme.sidebars.padding + lk.theme.sidebars.rule_width  # the Sidebar style's left indent
    box_bullets = abstract(ABSTRACT[BOX_BULLETS], "hybridMultilevel")
    for i in range(LEVELS):
        _level(box_bullets, i, "bullet", ls.bullet(i), box, 0, marker, suffix="space")
    box_numbers = abstract(ABSTRACT[BOX_NUMBERS], "hybridMultilevel")
    for i in range(LEVELS):  # a list's numbers in the bullets' colour, as in the PDF and the page
        _level(box_numbers, i, "decimal", _numbered(ls.around(), f"%{i + 1}"), box, 0, marker, suffix="space")
    for n, a in ABSTRACT.items():
        _w("abstractNumId", _w("num", root, numId=n), val=a)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True).decode("utf-8")


class ListNumbers:
    """Hands out a numbering instance per numbered list, so that each list
    counts from its own start; bullet lists share theirs."""

    def __init__(self, numbering_element, make_element):
        self.root = numbering_element
        self.el = make_element
        self.next = FIRST_FREE_NUM

    def bullets(self, place: str) -> int:
        return PLACES[place][0]

    def numbers(self, place: str, start: int) -> int:
        num_id = self.next
        self.next += 1
        abstract = ABSTRACT[PLACES[place][1]]
        num = self.el("w:num", {"w:numId": num_id}, self.el("w:abstractNumId", {"w:val": abstract}))
        num.append(self.el("w:lvlOverride", {"w:ilvl": 0}, self.el("w:startOverride", {"w:val": start})))
        self.root.append(num)
        return num_id
