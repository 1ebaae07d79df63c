"""What the DOCX writer needs besides the theme, gathered once: the Word
table style of each of the theme's table styles, the kinds of note and
warning the document holds, the cover's logos, and colours as Word writes
them ("1A1A1A"). Everything else the writer reads from the typed theme
itself (``Looks.theme``): its text styles, page, sidebars, cover, lists.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ... import model as m
from ...theme import Theme


def word_colour(value: str | None) -> str:
    """A theme colour ("#1a2b3c") as Word writes it ("1A2B3C"); "" for none."""
    return str(value or "").lstrip("#").upper()


@dataclass(frozen=True)
class TableLook:
    """The Word table style of one of the theme's table styles."""

    name: str  # the Word style name
    grid: float  # width of the grid lines (0: none)
    grid_colour: str
    padding: tuple  # (top/bottom, left/right)
    after: float  # the space below a table in the body
    header_fill: str
    body_fill: str = ""  # every body cell ("" none)
    column_rule: float = 0.0  # vertical rules between columns instead of a grid
    column_rule_colour: str = ""


@dataclass(frozen=True)
class Looks:
    theme: Theme
    tables: dict = field(default_factory=dict)  # table style key -> TableLook
    logos: tuple = ()  # the cover's (model.Logo: the house style's, then the paper's)
    asides: tuple = ()  # (Word style name, label text style, fill, rule colour) of each kind of note or warning the document holds

    @property
    def text(self):
        return self.theme.text

    @property
    def font(self) -> str:
        return self.theme.fonts.word_family  # the name Word has (a metric twin of the embedded family)

    @property
    def text_width(self) -> float:
        return self.theme.page.text_width

    @property
    def heading_number_around(self) -> tuple[str, str]:
        """What stands around a heading's number in Word's outline list: the gap after it is Word's tab."""
        before, after = self.theme.headings.around()
        return before, after.rstrip(m.GAPS)

    def table(self, key: str) -> TableLook:
        return self.tables.get(key) or self.tables["default"]

    def number_width(self, level: int) -> float:
        return self.theme.contents.number_width(level)


def looks_from_theme(theme: Theme, asides: tuple[str, ...] = (), logos: tuple = ()) -> Looks:
    """The looks of the typed theme; ``asides`` the kinds of note or warning
    the document holds (their styles are made), ``logos`` the cover's."""
    tables = {}
    for key, t in theme.tables.items():
        tables[key] = TableLook(
            name="Paper Table" if key == "default" else f"{key.replace('_', ' ').title()} Table",
            grid=t.grid_width, grid_colour=word_colour(t.grid_colour), padding=(t.padding_vertical, t.padding_horizontal), after=t.after,
            header_fill=word_colour(t.row_look("header").fill), body_fill=word_colour(t.body_fill),
            column_rule=t.column_rule_width, column_rule_colour=word_colour(t.column_rule_colour),
        )
    kinds = tuple((kind.title(), theme.admonitions[kind].label_style, word_colour(theme.admonitions[kind].fill),
                   word_colour(theme.admonitions[kind].rule_colour)) for kind in asides)
    return Looks(theme, tables, tuple(logos), kinds)
