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

from .looks import Looks
from .wml import W_NS, twips

HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# numId of each definition; the styles point at them
BULLETS, NUMBERS, HEADINGS, CELL_BULLETS, CELL_NUMBERS, BOX_BULLETS, BOX_NUMBERS = 1, 2, 3, 4, 5, 6, 7
ABSTRACT = {BULLETS: 0, NUMBERS: 1, HEADINGS: 2, CELL_BULLETS: 3, CELL_NUMBERS: 4, BOX_BULLETS: 5, BOX_NUMBERS: 6}
FIRST_FREE_NUM = 8
# where lists stand: the numbering of their bullets and of their numbers
PLACES = {"body": (BULLETS, NUMBERS), "cell": (CELL_BULLETS, CELL_NUMBERS), "box": (BOX_BULLETS, BOX_NUMBERS)}
LEVELS = 9


def _level(i: int, fmt: str, text: str, left: float, hanging: float, colour: str = "", style: str = "", suffix: str = "") -> str:
    out = f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
    if style:
        out += f'<w:pStyle w:val="{style}"/>'
    if suffix:
        out += f'<w:suff w:val="{suffix}"/>'
    out += f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
    out += f'<w:pPr><w:ind w:left="{twips(left)}" w:hanging="{twips(hanging)}"/></w:pPr>'
    if colour:
        out += f'<w:rPr><w:color w:val="{colour}"/></w:rPr>'
    return out + "</w:lvl>"


def _numbered(fmt: str, number: str) -> str:
    """A number format of the theme ("{number}.") as Word's level text ("%1.")."""
    return fmt.replace("{number}", number)


def _abstract(ident: int, kind: str, levels: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{ident}"><w:multiLevelType w:val="{kind}"/>{levels}</w:abstractNum>'


def numbering_xml(lk: Looks) -> str:
    marker = lk.bullet_colour

    def lists(indent: float, number: float) -> tuple[str, str]:
        bullets = "".join(_level(i, "bullet", lk.bullet, indent * (i + 1), indent * lk.bullet_dedent, marker) for i in range(LEVELS))
        numbers = "".join(_level(i, "decimal", _numbered(lk.list_number_format, f"%{i + 1}"), indent * i + number, number, marker)
                          for i in range(LEVELS))
        return bullets, numbers

    body_bullets, body_numbers = lists(lk.list_indent, lk.list_indent)
    # numbers keep the body's column, wide enough for "15."; bullets are narrower
    cell_bullets, cell_numbers = lists(lk.inner_list_indent, lk.list_indent)
    box = lk.sidebar["padding"] + lk.sidebar["rule"]  # the Sidebar style's left indent
    box_bullets = "".join(_level(i, "bullet", lk.bullet, box, 0, marker, suffix="space") for i in range(LEVELS))
    box_numbers = "".join(_level(i, "decimal", _numbered(lk.list_number_format, f"%{i + 1}"), box, 0, marker, suffix="space")
                          for i in range(LEVELS))  # a list's numbers in the bullets' colour, as in the PDF and the page
    headings = ""
    for i in range(LEVELS):
        width = lk.number_width(i + 1)
        text = _numbered(lk.heading_number_format, ".".join(f"%{k + 1}" for k in range(i + 1)))
        style = f"Heading{i + 1}" if i < 3 else ""
        headings += _level(i, "decimal", text, width, width, style=style, suffix="tab")
    abstracts = [
        _abstract(ABSTRACT[BULLETS], "hybridMultilevel", body_bullets),
        _abstract(ABSTRACT[NUMBERS], "hybridMultilevel", body_numbers),
        _abstract(ABSTRACT[HEADINGS], "multilevel", headings),
        _abstract(ABSTRACT[CELL_BULLETS], "hybridMultilevel", cell_bullets),
        _abstract(ABSTRACT[CELL_NUMBERS], "hybridMultilevel", cell_numbers),
        _abstract(ABSTRACT[BOX_BULLETS], "hybridMultilevel", box_bullets),
        _abstract(ABSTRACT[BOX_NUMBERS], "hybridMultilevel", box_numbers),
    ]
    nums = "".join(f'<w:num w:numId="{n}"><w:abstractNumId w:val="{a}"/></w:num>' for n, a in ABSTRACT.items())
    return HEAD + f'<w:numbering xmlns:w="{W_NS}">' + "".join(abstracts) + nums + "</w:numbering>"


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
