"""The document model shared by every reader, pass and writer.

Readers turn content files into these nodes; passes (``passes.py``) return
new documents with numbers and references filled in; writers only render.
All nodes are frozen dataclasses holding tuples, so a pass can never change a
document another stage is looking at: it builds a new one with
``dataclasses.replace``.

Inline nodes: Text, Strong, Emph, Code, Link, Ref, LineBreak, WordBreak.
Block nodes: Heading, Paragraph, BulletList, OrderedList, Table, Figure,
Image, Sidebar, Quote (a Sidebar that is a quotation), Admonition (a
Sidebar that is a note or a warning).
What each node holds, and the one walk over them, is ``visit.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union


@dataclass(frozen=True)
class Source:
    """Where a node came from, for error messages: a file and a 1-based line."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


NOWHERE = Source("<generated>", 0)

# Where a figure or a table goes when it does not fit where it is written:
# "here" (where it is written: the rest of the page stays empty and it starts
# the next one), "next-page-top" (it floats to the top of the next page and
# the text after it moves up to fill this one).
HERE, NEXT_PAGE_TOP = "here", "next-page-top"
PLACES = (HERE, NEXT_PAGE_TOP)


# --------------------------------------------------------------------------- inlines
@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Emph:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class WordBreak:
    """A place inside a word where a line may break with nothing added (after
    the "/" of "data-driven/knowledge-enabled"): set by the realize stage,
    never typed. Writers print it as an optional break (the page's <wbr>,
    Word's zero-width space); it adds no character to the text."""


@dataclass(frozen=True)
class Link:
    """An external hyperlink (http, https, mailto)."""

    url: str
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Ref:
    """A cross-reference to a section, figure or table by id.

    ``children`` is the editor's own link text; empty means "print the
    target's label" (for example "Table 1").  ``label`` is filled in by the
    ``resolve_references`` pass; writers print ``children`` if given, else
    ``label``, and link to the anchor ``target``.
    """

    target: str
    children: tuple["Inline", ...] = ()
    label: str = ""
    source: Source = NOWHERE


Inline = Union[Text, Strong, Emph, Code, LineBreak, WordBreak, Link, Ref]


# --------------------------------------------------------------------------- blocks
@dataclass(frozen=True)
class Label:
    """A number as it is printed, set by the realize stage from the theme's
    format: the text before it ("Figure "), the number, the text after it
    (": "). Writers print ``text``, or the number as a field between
    ``before`` and ``after``."""

    before: str
    number: str
    after: str

    @property
    def text(self) -> str:
        return self.before + self.number + self.after

    @property
    def bare(self) -> str:
        """The label without the gap after it: what a number column or Word's
        tab-separated number prints ("3.1." of "{number}. ")."""
        return self.text.rstrip(GAPS)


GAPS = " \u00a0\t"  # the spaces a label's format may end with


@dataclass(frozen=True)
class Heading:
    level: int  # 1..3
    children: tuple[Inline, ...]
    id: str = ""
    number: str = ""  # "3.3.1", set by number_sections
    numbered: bool = True
    source: Source = NOWHERE
    label: Label | None = None  # the number as printed (realize), None when unnumbered


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    source: Source = NOWHERE


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple["Block", ...], ...]
    source: Source = NOWHERE


@dataclass(frozen=True)
class OrderedList:
    items: tuple[tuple["Block", ...], ...]
    start: int = 1
    source: Source = NOWHERE


@dataclass(frozen=True)
class CellLook:
    """How a table cell looks, decided once by the realize stage from the
    table style: the fill it shows (its role's, else its row's), its text
    style (a name of the theme's) and whether its text is bold."""

    fill: str | None = None  # "#RRGGBB"; None: the page's
    text: str = "cell"
    bold: bool = False


@dataclass(frozen=True)
class Cell:
    blocks: tuple["Block", ...]
    colspan: int = 1
    rowspan: int = 1
    role: str = ""  # style hint from the content: "", "time", "day", "break", "head" ...
    align: str = ""  # "", "left", "center", "right"
    look: CellLook | None = None  # set by the realize stage
    heads: str = ""  # realize: "" (a data cell), "column" (a header row's cell) or "row" (a first-column cell whose role or row role has heads_row)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    role: str = ""  # "", "header", "day", "break", "session" ...; realized: "header" for a header row naming none
    header: bool = False  # a header row: repeated on each page, its cells header cells (set by the realize stage)
    look: CellLook | None = None  # the look of the row, of a cell without a role of its own (realize)
    may_split: bool = False  # may run over a page break, the header rows repeated above its rest (realize)


@dataclass(frozen=True)
class Table:
    """A table; with a caption and id it is numbered ("Table 2").

    ``header_rows`` rows at the top repeat on every page the table runs over.
    ``widths`` are relative column widths (they need not add up to 1).
    Cells covered by another cell's colspan/rowspan are *not* listed: rows
    hold only the cells that start in them, as in HTML.
    """

    rows: tuple[Row, ...]
    columns: int
    header_rows: int = 1
    widths: tuple[float, ...] = ()
    caption: tuple[Inline, ...] = ()
    id: str = ""
    number: str = ""
    style: str = "default"
    source: Source = NOWHERE
    label: Label | None = None  # "Table 1: " (realize), None without a number
    place: str = ""  # where the source asks it to go: "" (the theme's rule) or one of PLACES
    placement: str = ""  # where it goes when it does not fit where it is written (realize): one of PLACES


@dataclass(frozen=True)
class Image:
    path: Path  # absolute, inside the content folder
    description: str = ""  # alt text
    width: float = 1.0  # fraction of the text width
    source: Source = NOWHERE


@dataclass(frozen=True)
class Figure:
    """A numbered figure: a caption and a body (an Image, or any blocks such
    as a Table drawn as a panel)."""

    body: tuple["Block", ...]
    caption: tuple[Inline, ...]
    id: str = ""
    number: str = ""
    description: str = ""
    source: Source = NOWHERE
    label: Label | None = None  # "Figure 1: " (realize)
    place: str = ""  # where the source asks it to go: "" (the theme's rule) or one of PLACES
    placement: str = ""  # where it goes when it does not fit where it is written (realize): one of PLACES


@dataclass(frozen=True)
class Sidebar:
    """A box set apart from the running text (speakers, moderators...)."""

    blocks: tuple["Block", ...]
    title: str = ""
    kind: str = "sidebar"
    source: Source = NOWHERE


@dataclass(frozen=True)
class Quote(Sidebar):
    """A quotation (Markdown ``> …``): its paragraphs in ``blocks`` and who
    said it in ``attribution`` (from a last line "— Name, Role"; may be
    empty). A kind of Sidebar, so every pass that walks boxes walks it;
    writers render it as a quotation (tagged BlockQuote)."""

    kind: str = "quote"
    attribution: tuple[Inline, ...] = ()
    mark: str = ""  # printed before the attribution, from the theme (realize)


@dataclass(frozen=True)
class Admonition(Sidebar):
    """A note or a warning (Markdown ``::: note`` / ``::: warning``): an
    aside whose kind the theme labels ("Note", "Warning") and gives a look
    (style.yaml ``admonitions:``). ``title`` is the editor's own words after
    the kind, if any. A kind of Sidebar, so every pass that walks boxes
    walks it; ``label`` is set by the realize stage."""

    kind: str = "note"
    label: str = ""


Block = Union[Heading, Paragraph, BulletList, OrderedList, Table, Image, Figure, Sidebar, Quote, Admonition]


# --------------------------------------------------------------------------- document
@dataclass(frozen=True)
class Target:
    """One row of the numbering table: what a cross-reference to ``id`` prints."""

    id: str
    kind: str  # "section" | "figure" | "table"
    number: str
    label: str  # "Section 3.3.1", "Figure 2", "Table 1"
    title: str  # plain text of the heading or caption


@dataclass(frozen=True)
class Entry:
    """A line of the contents, list of figures or list of tables."""

    id: str
    number: str
    title: str  # plain text
    level: int = 1  # 1..3 for contents; 1 for figures and tables
    text: str = ""  # what a list of figures or tables prints: "Figure 1: ..." (realize, the caption's label)
    label: "Label | None" = None  # the number as its heading or caption prints it (realize)


@dataclass(frozen=True)
class Logo:
    """A picture on the cover: the house style's (style.yaml cover: logos:,
    in the templates folder) or the paper's own (paper.yaml logos:, placed
    after them). The one Logo of the reader, the theme and the writers."""

    file: Path  # an SVG or PNG file
    alt: str  # its text for screen readers
    width: float  # points
    height: float


@dataclass(frozen=True)
class Cover:
    """The cover as it is printed, set by the realize stage from paper.yaml's
    cover: the title (the paper's title when the cover names none or an
    empty one), the event lines, the kind of paper, the footer line and the
    logos (the house style's, then the paper's)."""

    title: str
    lines: tuple[str, ...] = ()
    kind: str = ""
    footer: str = ""
    logos: tuple[Logo, ...] = ()
    title_key: str = "title"  # where the printed title was written: "cover.title" or "title" (Meta.sources)


@dataclass(frozen=True)
class Meta:
    """Document metadata (content/paper.yaml), validated by the reader."""

    title: str
    author: str
    subject: str
    language: str
    date: str
    deliverable: str
    output_name: str
    header: tuple[str, ...]  # running-header lines
    cover: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # "contents": "Contents", ...
    keywords: tuple[str, ...] = ()
    logos: tuple[Logo, ...] = ()  # the paper's own cover logos (partners)
    # where each printed line of paper.yaml stands, for a line that cannot be
    # laid out: "title", "header.0", "cover.title", "cover.lines.0", "cover.kind", "cover.footer";
    # and "language", for a language the theme cannot hyphenate
    sources: dict[str, Source] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]
    root: Path  # the content folder
    targets: dict[str, Target] = field(default_factory=dict)
    contents: tuple[Entry, ...] = ()
    figures: tuple[Entry, ...] = ()
    tables: tuple[Entry, ...] = ()
    cover: Cover | None = None  # the cover as printed (realize)
    hyphenation: str = ""  # the dictionary words are hyphenated with ("en_GB"), "" for none (realize)
    realized: tuple = ()  # what the realize stage saw (theme and parts, by identity): paperpipe/realize


@dataclass(frozen=True)
class PlacedCell:
    row: int
    col: int
    cell: Cell


def place_cells(rows: tuple[Row, ...] | list[Row]) -> tuple[list[PlacedCell], int]:
    """Each cell's grid position, honouring colspan and rowspan (as HTML does),
    and the number of grid columns the rows fill."""
    covered: set[tuple[int, int]] = set()
    placed: list[PlacedCell] = []
    width = 0
    for r, row in enumerate(rows):
        col = 0
        for cell in row.cells:
            while (r, col) in covered:
                col += 1
            placed.append(PlacedCell(r, col, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, col + dc))
            col += cell.colspan
        width = max(width, max((c + 1 for (rr, c) in covered if rr == r), default=0))
    return placed, width
