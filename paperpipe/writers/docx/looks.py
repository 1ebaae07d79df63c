"""What the DOCX needs of the house style, gathered once.

Every colour, size, length and table look the DOCX uses comes from here;
the other modules of the writer only translate these values into Word
styles and never choose one themselves.  ``looks_from_theme`` reads the
typed theme (paperpipe/theme).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Para:
    """A paragraph style (the fields of the theme's TextStyle)."""

    name: str
    face: str = "regular"
    size: float = 11.0
    leading: float = 14.0
    before: float = 0.0
    after: float = 0.0
    colour: str = "#000000"
    align: str = "left"
    keep_with_next: bool = False
    widow_control: bool = False


@dataclass(frozen=True)
class TableLook:
    """The look of one kind of table (a Word table style)."""

    name: str  # the Word style name
    grid: float  # width of the grid lines (0: none)
    grid_colour: str
    padding: tuple  # (top/bottom, left/right)
    after: float  # the space below a table in the body
    header_fill: str
    row_fills: dict = field(default_factory=dict)  # row role -> fill
    bold_rows: tuple = ()  # row roles set in bold
    bold_cells: tuple = ()  # cell roles set in bold
    row_text: dict = field(default_factory=dict)  # row role -> text style (a key of Looks.text)
    cell_text: dict = field(default_factory=dict)  # cell role -> text style
    body_fill: str = ""  # every body cell ("" none)
    column_rule: float = 0.0  # vertical rules between columns instead of a grid
    column_rule_colour: str = ""


@dataclass(frozen=True)
class Looks:
    font: str
    text: dict  # role -> Para: body, list_item, heading1-3, list_title, caption, cell, cell_header, sidebar, sidebar_title,
    #             contents1-3, list_entry, header, footer, cover_title, cover_line, cover_kind, cover_footer
    page: dict  # page_width, page_height, margins, header/footer distances
    link_colour: str
    list_indent: float
    inner_list_indent: float
    bullet: str
    bullet_colour: str
    bullet_dedent: float
    number_widths: tuple  # the number column of headings and contents lines, by level
    lists_after: float  # after the contents and after each list
    header_rule: tuple  # (width, colour)
    figure_after: float
    sidebar: dict  # padding, rule, fill, rule_colour
    cover: dict  # band_top, band_colour, accent_height, accent_colour, inset, logo_gap
    logos: tuple = ()  # model.Logo: the cover's (house style's, then the paper's)
    tables: dict = field(default_factory=dict)  # table style key -> TableLook
    caption_format: str = "{label} {number}: "  # what stands before a caption's text
    heading_number_format: str = "{number}"  # a heading's number as printed ({number} is "3.3.1")
    list_number_format: str = "{number}."  # the number of an item of a numbered list
    quote: tuple = ("FFFFFF", True)  # a quotation's fill and whether its words are in italics
    asides: tuple = ()  # (Word style name, label text style, fill, rule colour) of each kind of note or warning the document holds

    @property
    def text_width(self) -> float:
        return self.page["page_width"] - self.page["margin_left"] - self.page["margin_right"]

    def table(self, key: str) -> TableLook:
        return self.tables.get(key) or self.tables["default"]

    def number_width(self, level: int) -> float:
        return self.number_widths[min(level, len(self.number_widths)) - 1]


def _hex(value: str | None) -> str:
    return str(value or "").lstrip("#").upper()


def _page(p) -> dict:
    return {"page_width": p.width, "page_height": p.height, "margin_top": p.margin_top, "margin_bottom": p.margin_bottom,
            "margin_left": p.margin_left, "margin_right": p.margin_right, "header_distance": p.header_distance,
            "footer_distance": p.footer_distance}


def looks_from_theme(theme, asides: tuple[str, ...] = ()) -> Looks:
    """The looks from the typed theme (paperpipe.theme.Theme); ``asides``
    the kinds of note or warning the document holds (their styles are made)."""
    text = {role: Para(t.name, t.face, t.size, t.leading, t.before, t.after, _hex(t.colour), t.align, t.keep_with_next, t.widow_control)
            for role, t in theme.text.items()}
    tables = {}
    for key, t in theme.tables.items():
        header = t.row_look("header")
        tables[key] = TableLook(
            name="Paper Table" if key == "default" else f"{key.replace('_', ' ').title()} Table",
            grid=t.grid_width, grid_colour=_hex(t.grid_colour), padding=(t.padding_vertical, t.padding_horizontal), after=t.after,
            header_fill=_hex(header.fill),
            row_fills={role: _hex(look.fill) for role, look in t.rows.items() if look.fill},
            bold_rows=tuple(role for role, look in t.rows.items() if look.bold),
            bold_cells=tuple(role for role, look in t.cells.items() if look.bold),
            row_text={role: look.text for role, look in t.rows.items() if look.text},
            cell_text={role: look.text for role, look in t.cells.items() if look.text},
            body_fill=_hex(t.body_fill), column_rule=t.column_rule_width, column_rule_colour=_hex(t.column_rule_colour),
        )
    sb, cv, ls = theme.sidebars, theme.cover, theme.lists
    return Looks(
        font=theme.fonts.word_family,
        text=text,
        page=_page(theme.page),
        link_colour=_hex(theme.links.colour),
        list_indent=ls.indent, inner_list_indent=ls.inner_indent, bullet=ls.bullet, bullet_colour=_hex(ls.bullet_colour),
        bullet_dedent=ls.bullet_dedent,
        number_widths=tuple(theme.contents.number_widths), lists_after=theme.contents.after,
        header_rule=(theme.header.rule_width, _hex(theme.header.rule_colour)),
        figure_after=theme.figures.after,
        sidebar={"padding": sb.padding, "rule": sb.rule_width, "fill": _hex(sb.fill), "rule_colour": _hex(sb.rule_colour)},
        cover={"band_top": cv.band_top, "band_colour": _hex(cv.band_colour), "accent_height": cv.accent_height,
               "accent_colour": _hex(cv.accent_colour), "inset": cv.inset, "logo_gap": cv.logo_gap,
               "title_gap": cv.title_gap, "line_gap": cv.line_gap},
        logos=tuple(cv.logos),  # model.Logo, as the theme holds them
        tables=tables,
        caption_format=theme.captions.format,
        # the gap after the number is Word's tab to the heading's text
        heading_number_format=theme.headings.number_format.rstrip(" \u00a0\t"),
        list_number_format=ls.number_format,
        quote=(_hex(theme.quotes.fill), theme.quotes.italic),
        asides=tuple((kind.title(), theme.admonitions[kind].label_style, _hex(theme.admonitions[kind].fill),
                      _hex(theme.admonitions[kind].rule_colour)) for kind in asides),
    )
