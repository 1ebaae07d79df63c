"""The theme's typed, immutable parts: every look a writer needs, resolved.

Lengths are points, colours "#RRGGBB" (palette names already looked up),
fonts by face ("regular", "bold", "italic", "bold_italic"). Writers read
these values and decide nothing themselves.
"""
from __future__ import annotations

import string
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from ..model import Logo

FACES = ("regular", "bold", "italic", "bold_italic")


HYPHENATED = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+)+(?![\w-])")  # words joined by hyphens: "Île-de-France"


def frozen_map(items=()) -> Mapping:
    """A read-only mapping (the theme is shared by writers and never changes)."""
    return MappingProxyType(dict(items))


def around_number(fmt: str, **fields: str) -> tuple[str, str]:
    """A format's text before and after its ``{number}``, its other fields
    (checked when the theme was read) filled in and "{{" / "}}" read as one
    brace, as str.format reads them. The one reading of every
    "{label} {number}: " / "{number}." format of the theme."""
    parts: tuple[list[str], list[str]] = ([], [])
    side = 0
    for literal, name, _spec, _conversion in string.Formatter().parse(fmt):
        parts[side].append(literal)
        if name == "number" and not side:
            side = 1
        elif name is not None:
            parts[side].append(fields.get(name, ""))
    return "".join(parts[0]), "".join(parts[1])


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    header_distance: float   # from the top edge to the header's first baseline
    footer_distance: float   # from the bottom edge to the page number's baseline

    @property
    def text_width(self) -> float:
        return self.width - self.margin_left - self.margin_right

    @property
    def text_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom


@dataclass(frozen=True)
class Fonts:
    family: str                  # the embedded family's name (PDF)
    word_family: str             # the name the DOCX gives (a metric-compatible font Word has)
    files: Mapping[str, Path]    # face -> TrueType file


@dataclass(frozen=True)
class TextStyle:
    """A paragraph style."""

    name: str
    face: str = "regular"
    size: float = 11.0
    leading: float = 14.0        # line height in points
    before: float = 0.0
    after: float = 0.0
    colour: str = "#000000"
    align: str = "left"          # left, center, right, justify
    keep_with_next: bool = False
    widow_control: bool = False
    # its words hyphenated at line ends: None when the house style hyphenates
    # nothing (typography.hyphenate: false), else the style's own 'hyphenate:'
    hyphenate: bool | None = None


@dataclass(frozen=True)
class Links:
    colour: str
    underline: bool


@dataclass(frozen=True)
class Headings:
    number_format: str           # "{number}" and what follows it, before the heading's text
    new_page_below: float        # a level-1 heading starts a new page when less than this part of the text height is left

    def around(self) -> tuple[str, str]:
        """What stands before and after a heading's number (the realize stage's one reading of the format)."""
        return around_number(self.number_format)


@dataclass(frozen=True)
class Captions:
    format: str                  # "{label} {number}: "
    style: str                   # the text style

    def around(self, label: str) -> tuple[str, str]:
        """What stands before and after a caption's number, ``label`` ("Figure") filled in."""
        return around_number(self.format, label=label)

    def prefix(self, label: str, number: str) -> str:
        """What stands before a caption's text: "Figure 2: "."""
        before, after = self.around(label)
        return before + number + after


@dataclass(frozen=True)
class Lists:
    indent: float
    inner_indent: float          # in table cells and boxes
    inner_item_after: float
    bullets: tuple[str, ...]     # by list level, the last for deeper levels too
    bullet_colour: str
    bullet_dedent: float         # part of the indent the bullet stands left of the text
    number_format: str           # "{number}."
    number_gap: float            # least gap after the widest number, in parts of the font size

    def bullet(self, level: int) -> str:
        """The bullet of a list at ``level`` (0 for a list in the text, 1 for
        a list inside one of its items ...): each level its own, the theme's
        last one for any deeper level."""
        return self.bullets[min(level, len(self.bullets) - 1)]

    def around(self) -> tuple[str, str]:
        """What stands before and after an item's number."""
        return around_number(self.number_format)

    def number(self, n: int) -> str:
        before, after = self.around()
        return f"{before}{n}{after}"


@dataclass(frozen=True)
class Contents:
    number_widths: tuple[float, ...]   # by level, 1 first
    page_width: float
    leader_colour: str
    page_number_style: str
    after: float
    leader: str                  # repeated between a title and its page number ("" none)
    title_gap: float             # kept free right of a title, before the page number box
    leader_gap: float            # from the end of a title to the leaders
    page_gap: float              # from the leaders to the page number box
    step_in: bool = False        # each level's number under the title of the level above (else all at the margin)

    def number_width(self, level: int) -> float:
        return self.number_widths[min(level, len(self.number_widths)) - 1]

    def indent(self, level: int) -> float:
        """Where a contents line of ``level`` starts: its number stands under
        the title of the level above (the number columns of the levels above)."""
        return sum(self.number_width(lv) for lv in range(1, level)) if self.step_in else 0.0


@dataclass(frozen=True)
class Header:
    rule_colour: str
    rule_width: float
    rule_gap: float
    first_numbered_page: int     # the physical page printed as page 1


@dataclass(frozen=True)
class Figures:
    before: float
    after: float


@dataclass(frozen=True)
class Floats:
    """Where a figure and a table go when they do not fit where they are
    written (model.PLACES): "here" (the next page starts with them and the
    rest of this one stays empty) or "next-page-top" (they float to the top
    of the next page and the text after them fills this one). A figure or
    table typed with ``place=`` goes as it says."""

    figures: str = "here"
    tables: str = "here"

    def rule(self, kind: str) -> str:
        return self.figures if kind == "figure" else self.tables


@dataclass(frozen=True)
class Sidebars:
    fill: str
    rule_colour: str
    rule_width: float
    padding: float
    after: float
    keep_whole_below: int


@dataclass(frozen=True)
class Quotes:
    """The look of a quotation: the sidebars' rule and padding on ``fill``,
    its words in italics or not, and the mark printed before who said it."""

    fill: str = "#FFFFFF"
    italic: bool = True
    attribution_mark: str = "\u2014 "


@dataclass(frozen=True)
class Typography:
    """What the text's punctuation becomes: with ``smart_quotes``, typed
    straight quotes become the marks of the paper's language (``quotes``:
    language -> the double then the single pair, four marks)."""

    smart_quotes: bool = False
    quotes: Mapping[str, tuple[str, str, str, str]] = field(default_factory=frozen_map)

    dashes_keep_with_word: bool = False  # a spaced dash never starts a line, a range "09:00 – 09:30" never breaks
    no_break_hyphens: int = 0    # a hyphenated name (first and last parts capitalised) this long or shorter never breaks at its hyphens
    break_after_slash: bool = False  # a word may break after the "/" between two words ("data-driven/knowledge-enabled")
    hyphenate: bool = False  # words of the text styles marked 'hyphenate: true' are hyphenated (pyphen, the paper's language)

    def unbroken(self, text: str) -> list[tuple[str, bool]]:
        """``text`` in pieces, each with whether it is a short hyphenated
        proper name ("Île-de-France") that must not break at its hyphens."""
        if not self.no_break_hyphens or "-" not in text:
            return [(text, False)] if text else []
        out: list[tuple[str, bool]] = []
        at = 0
        for match in HYPHENATED.finditer(text):
            name = match.group(0)
            if name[0].isupper() and name.rsplit("-", 1)[1][0].isupper() and len(name) <= self.no_break_hyphens:  # a name, not "Kick-off"
                if match.start() > at:
                    out.append((text[at:match.start()], False))
                out.append((name, True))
                at = match.end()
        if at < len(text):
            out.append((text[at:], False))
        return out

    def marks(self, language: str) -> tuple[str, str, str, str] | None:
        """The four marks for a language tag ("en-GB" -> "en"), or None to leave quotes as typed."""
        if not self.smart_quotes:
            return None
        return self.quotes.get(language.split("-")[0].lower()) or self.quotes.get("en")


@dataclass(frozen=True)
class AsideLook:
    """The look of a kind of aside (a note, a warning): its role label,
    printed above its text and announced by screen readers, the label's
    text style, and its box (the sidebar's, in its own fill and rule)."""

    label: str                   # "Note"
    label_style: str             # a text style name
    fill: str
    rule_colour: str


@dataclass(frozen=True)
class RoleLook:
    """How a row or cell role looks: a fill, bold text, a text style; and
    whether a cell of it (or the first cell of a row of it), standing in the
    table's first column, heads its row (a row header for screen readers)."""

    fill: str | None = None
    bold: bool = False
    text: str | None = None      # a text style name; None keeps the table's
    heads_row: bool = False


@dataclass(frozen=True)
class TableStyle:
    name: str
    text: str                    # text style of the cells
    grid_width: float            # 0: no grid
    grid_colour: str
    padding_vertical: float
    padding_horizontal: float
    after: float
    keep_rows: int
    start_rows: int
    rows: Mapping[str, RoleLook] = field(default_factory=frozen_map)
    cells: Mapping[str, RoleLook] = field(default_factory=frozen_map)
    column_rule_width: float = 0.0   # rules between the columns (panels)
    column_rule_colour: str | None = None
    body_fill: str | None = None     # fill of every row below the header rows
    split_rows_from: int = 0         # a body row with this many paragraphs in a cell may split over pages (0: none)

    def row_look(self, role: str) -> RoleLook:
        return self.rows.get(role) or RoleLook()

    def cell_look(self, role: str) -> RoleLook:
        return self.cells.get(role) or RoleLook()


@dataclass(frozen=True)
class Cover:
    band_top: float              # parts of the page height, from the top
    band_bottom: float
    band_colour: str
    accent_height: float
    accent_colour: str
    inset: float
    title_gap: float
    line_gap: float
    logo_gap: float
    footer_baseline: float
    logos: tuple[Logo, ...]


@dataclass(frozen=True)
class Theme:
    """Every look of a paper, resolved once from templates/style.yaml."""

    folder: Path
    page: Page
    fonts: Fonts
    text: Mapping[str, TextStyle]
    links: Links
    headings: Headings
    captions: Captions
    lists: Lists
    contents: Contents
    header: Header
    figures: Figures
    sidebars: Sidebars
    tables: Mapping[str, TableStyle]
    cover: Cover
    admonitions: Mapping[str, AsideLook] = field(default_factory=frozen_map)  # kind ("note") -> look
    quotes: Quotes = Quotes()
    web_fonts: tuple[str, ...] = ()  # fonts a browser may use when the house font is missing, after family and word_family
    typography: Typography = field(default_factory=Typography)
    floats: Floats = Floats()

    def heading(self, level: int) -> TextStyle:
        return self.text[f"heading{min(max(level, 1), 3)}"]

    def contents_line(self, level: int) -> TextStyle:
        return self.text[f"contents{min(max(level, 1), 3)}"]

    def table(self, name: str) -> TableStyle:
        return self.tables.get(name) or self.tables["default"]

    def with_logos(self, logos) -> "Theme":
        """The theme with a paper's own cover logos (model.Logo: file, alt,
        width, height) placed after the house style's."""
        if not logos:
            return self
        return replace(self, cover=replace(self.cover, logos=self.cover.logos + tuple(logos)))
