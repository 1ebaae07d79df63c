"""What the DOCX needs of the house style, gathered once.

Every colour, size, length and table look the DOCX uses comes from here;
the other modules of the writer only translate these values into Word
styles and never choose one themselves.  ``looks_from_theme`` reads the
typed theme (paperpipe/theme); ``looks_from_style`` the flat style groups of
``style.py`` that came before it, giving the same values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
    body_fill: str = ""  # every body cell ("" none)
    column_rule: float = 0.0  # vertical rules between columns instead of a grid
    column_rule_colour: str = ""


@dataclass(frozen=True)
class Logo:
    file: Path
    alt: str
    width: float
    height: float


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
    logos: tuple = ()
    tables: dict = field(default_factory=dict)  # table style key -> TableLook

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


def looks_from_theme(theme) -> Looks:
    """The looks from the typed theme (paperpipe.theme.Theme)."""
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
        logos=tuple(Logo(lg.file, lg.alt, lg.width, lg.height) for lg in cv.logos),
        tables=tables,
    )


def looks_from_style(style) -> Looks:
    """The looks from the flat style groups of style.py (before the theme)."""
    from ...metrics import metrics

    mm = metrics(style)
    c = {k: _hex(v) for k, v in style.colours.items()}
    size, sp, lay = mm["size"], mm["space"], mm["layout"]

    def para(name, size_key, leading=None, line=None, before=0.0, after=0.0, colour="text", bold=False, align="left", keep=False, widow=False):
        sz = size[size_key] if isinstance(size_key, str) else size_key
        lead = leading if leading is not None else sz * (line or 1.2)
        return Para(name, "bold" if bold else "regular", sz, lead, before, after, c[colour], align, keep, widow)

    text = {
        "body": para("body", "body", size["leading"], after=sp["paragraph_after"], widow=True),
        "list_item": para("list_item", "body", size["leading"], after=sp["list_item_after"], widow=True),
        "list_title": para("list_title", "h1", line=lay["heading_line"], after=sp["heading1_after"], colour="primary", bold=True, keep=True, widow=True),
        "caption": para("caption", "caption", line=lay["caption_line"], before=sp["caption_before"], after=sp["caption_before"] + lay["caption_gap"],
                        colour="primary", bold=True, keep=True),
        "cell": para("cell", "table", size["table_leading"], after=lay["cell_after"]),
        "cell_header": para("cell_header", "table", size["table_leading"], after=lay["cell_after"], colour="table_header_text", bold=True),
        "sidebar": para("sidebar", "sidebar", line=lay["sidebar_line"], after=lay["sidebar_after"]),
        "sidebar_title": para("sidebar_title", "sidebar", line=lay["sidebar_line"], after=lay["sidebar_title_after"], colour="accent", bold=True),
        "contents1": para("contents1", "toc", line=lay["toc_line"], before=lay["toc1_before"], after=lay["toc_after"], bold=True),
        "contents2": para("contents2", "toc", line=lay["toc_line"], before=lay["toc_before"], after=lay["toc_after"]),
        "contents3": para("contents3", "toc", line=lay["toc_line"], before=lay["toc_before"], after=lay["toc_after"]),
        "list_entry": para("list_entry", "toc", line=lay["toc_line"], before=lay["toc_before"], after=lay["toc_after"]),
        "header": para("header", "header", line=lay["header_line"], colour="muted", align="right"),
        "footer": para("footer", "footer", line=lay["header_line"], colour="muted", align="right"),
        "cover_title": para("cover_title", "cover_title", line=lay["cover_title_line"], colour="table_header_text", bold=True),
        "cover_line": para("cover_line", "cover_subtitle", line=lay["cover_subtitle_line"], colour="table_header_text"),
        "cover_kind": para("cover_kind", "cover_subtitle", line=lay["cover_subtitle_line"], colour="primary", bold=True),
        "cover_footer": para("cover_footer", mm["cover"]["footer_size"], colour="primary", bold=True),
    }
    for level, colour in ((1, "primary"), (2, "secondary"), (3, "primary")):
        text[f"heading{level}"] = para(f"heading{level}", f"h{level}", line=lay["heading_line"], before=sp[f"heading{level}_before"],
                                       after=sp[f"heading{level}_after"], colour=colour, bold=True, keep=True, widow=True)
    pad = mm["cell_padding"]
    after = sp["caption_after"]
    grid = TableLook("Paper Table", mm["grid_line"], c["rule"], pad, after, c["primary"])
    agenda = TableLook("Agenda Table", mm["grid_line"], c["rule"], pad, after, c["primary"],
                       row_fills={"day": c["day_fill"], "break": c["break_fill"]}, bold_rows=("day",), bold_cells=("time", "day"))
    panel = TableLook("Panel Table", 0.0, c["rule"], pad, after, c["primary"], body_fill=c["light"],
                      column_rule=lay["recommendations_rule"], column_rule_colour=c["table_header_text"])
    cv = mm["cover"]
    return Looks(
        font=style.fonts.get("word_family", "Calibri"),
        text=text,
        page={k: mm[k] for k in ("page_width", "page_height", "margin_top", "margin_bottom", "margin_left", "margin_right",
                                 "header_distance", "footer_distance")},
        link_colour=c["secondary"],
        list_indent=mm["list_indent"], inner_list_indent=mm["inner_list_indent"], bullet="\u2022", bullet_colour=c["secondary"],
        bullet_dedent=0.8,
        number_widths=(mm["toc_number"][1], mm["toc_number"][2], mm["toc_number"][3]), lists_after=mm["after_lists"],
        header_rule=(0.6, c["rule"]),
        figure_after=mm["figure_gap"][1],
        sidebar={"padding": mm["sidebar_padding"], "rule": mm["sidebar_rule"], "fill": c["light"], "rule_colour": c["accent"]},
        cover={"band_top": cv["band_top"], "band_colour": c["primary"], "accent_height": cv["accent_height"],
               "accent_colour": c["accent"], "inset": cv["inset"], "logo_gap": cv["emblem_gap"],
               "title_gap": cv["title_gap"], "line_gap": cv["line_gap"]},
        tables={"default": grid, "agenda": agenda, "recommendations": panel, "panel": panel},
    )


def looks_for(style_or_theme) -> Looks:
    """The looks of a Theme, or of the older Style."""
    if hasattr(style_or_theme, "text") and hasattr(style_or_theme, "page") and not isinstance(style_or_theme.page, dict):
        return looks_from_theme(style_or_theme)
    return looks_from_style(style_or_theme)
