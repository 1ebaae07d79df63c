"""What the DOCX needs to know of the house style, read from the style once.

Every colour, size, length and table look the DOCX uses comes from here;
the other modules of the writer only translate these values into Word
styles and never choose one themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...metrics import metrics
from ...style import Style


@dataclass(frozen=True)
class TableLook:
    """The look of one kind of table (a Word table style)."""

    name: str  # the Word style name
    grid: float  # width of the grid lines (0: none)
    grid_colour: str
    header_fill: str
    header_text: str
    body_fill: str = ""  # every body cell ("" none)
    column_rule: float = 0.0  # vertical rules between columns instead of a grid
    column_rule_colour: str = ""
    row_fills: dict = field(default_factory=dict)  # row role -> fill
    bold_rows: tuple = ()  # row roles set in bold
    bold_cells: tuple = ()  # cell roles set in bold


@dataclass(frozen=True)
class Looks:
    font: str
    language_default: str
    colours: dict  # name -> RRGGBB (no '#')
    size: dict  # body, leading, h1.., caption, table, table_leading, sidebar, header, footer, toc, cover_title, cover_subtitle
    space: dict  # spacing: lengths in points
    page: dict  # width, height, margins, header/footer distances
    text_width: float
    heading_colours: dict  # level -> RRGGBB
    number_width: dict  # level -> width of the heading number column (contents and headings)
    toc_page_box: float
    list_indent: float
    inner_list_indent: float
    cell_padding: tuple  # (top/bottom, left/right)
    sidebar: dict  # padding, rule, fill, rule colour, title colour
    cover: dict  # cover geometry (points) and colours
    line: dict  # line height factors
    tables: dict  # table style key -> TableLook
    caption_above: bool = True

    def table(self, key: str) -> TableLook:
        return self.tables.get(key) or self.tables["default"]


def _hex(value: str) -> str:
    return str(value).lstrip("#").upper()


def looks_from_style(style: Style) -> Looks:
    mm = metrics(style)
    c = {k: _hex(v) for k, v in style.colours.items()}
    size = dict(mm["size"])
    lay = mm["layout"]
    sp = dict(mm["space"])
    sp.update({
        "cell_after": lay["cell_after"], "sidebar_after": lay["sidebar_after"], "sidebar_title_after": lay["sidebar_title_after"],
        "caption_gap": lay["caption_gap"], "toc1_before": lay["toc1_before"], "toc_before": lay["toc_before"],
        "toc_after": lay["toc_after"], "after_lists": lay["after_lists"], "inner_list_item_after": lay["inner_list_item_after"],
    })
    grid = TableLook(
        "Paper Table", mm["grid_line"], c["rule"], c["primary"], c["table_header_text"],
        row_fills={"day": c["day_fill"], "break": c["break_fill"], "header": c["primary"]},
        bold_rows=("day",), bold_cells=("time", "day"),
    )
    # interim, until the theme names its panels: every other table style is the panel look
    panel = TableLook(
        "Panel Table", 0.0, c["rule"], c["primary"], c["table_header_text"], body_fill=c["light"],
        column_rule=lay["recommendations_rule"], column_rule_colour=c["table_header_text"],
    )
    return Looks(
        font=style.fonts.get("word_family", "Calibri"),
        language_default="en-GB",
        colours=c,
        size=size,
        space=sp,
        page={k: mm[k] for k in ("page_width", "page_height", "margin_top", "margin_bottom", "margin_left", "margin_right",
                                 "header_distance", "footer_distance")},
        text_width=mm["text_width"],
        heading_colours={1: c["primary"], 2: c["secondary"], 3: c["primary"]},
        number_width=dict(mm["toc_number"]),
        toc_page_box=mm["toc_page_box"],
        list_indent=mm["list_indent"],
        inner_list_indent=mm["inner_list_indent"],
        cell_padding=mm["cell_padding"],
        sidebar={"padding": mm["sidebar_padding"], "rule": mm["sidebar_rule"], "fill": c["light"], "rule_colour": c["accent"],
                 "title_colour": c["accent"]},
        cover={**mm["cover"], "band": c["primary"], "on_band": c["table_header_text"], "rule": c["accent"], "kind": c["primary"]},
        line={k: lay[k] for k in ("heading_line", "caption_line", "sidebar_line", "toc_line", "header_line",
                                  "cover_title_line", "cover_subtitle_line")},
        tables={"default": grid, "panel": panel},
    )


def table_key(style_name: str) -> str:
    """Interim, until the theme names its table looks: the model's table
    style -> a key of Looks.tables (the panel look is the PDF's one exception)."""
    return "panel" if style_name == "recommendations" else "default"
