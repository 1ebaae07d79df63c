"""Tables as Word tables: the table style of their look, real header rows
(repeated on every page), rows kept whole unless the theme lets a long one
split, merged cells, the fills of row roles, and a title
and description for assistive technology."""
from __future__ import annotations

from dataclasses import replace

from docx.oxml.ns import qn

from ... import model as m
from ...visit import plain_text
from .places import CELL
from .styles import style_id, word_style
from .wml import el, twips


def table(state, t: m.Table, cell_blocks, description: str = ""):
    """A Word table; ``cell_blocks(state, blocks, ctx)`` writes a cell's blocks."""
    look = state.looks.table(t.style)
    grid = _grid(t, state.looks.text_width)
    title = plain_text(t.caption)
    props = el(
        "w:tblPr", None,
        el("w:tblStyle", {"w:val": style_id(look.name)}),
        el("w:tblW", {"w:w": sum(grid), "w:type": "dxa"}),
        el("w:tblLayout", {"w:type": "fixed"}),
        el("w:tblLook", {"w:val": "04A0" if t.header_rows else "0400", "w:firstRow": 1 if t.header_rows else 0, "w:lastRow": 0,
                         "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1}),
        el("w:tblCaption", {"w:val": title}) if title else None,
        el("w:tblDescription", {"w:val": description or title}) if (description or title) else None,
    )
    tbl = el("w:tbl", None, props, el("w:tblGrid", None, *(el("w:gridCol", {"w:w": w}) for w in grid)))
    placed, _ = m.place_cells(t.rows)
    starts = {(p.row, p.col): p.cell for p in placed}
    below: dict[tuple[int, int], m.Cell] = {}
    for p in placed:
        for dr in range(1, p.cell.rowspan):
            below[(p.row + dr, p.col)] = p.cell
    for r, row in enumerate(t.rows):
        # a row runs over a page break only where the realize stage lets it (a long one, by the theme)
        tr = el("w:tr", None, el("w:trPr", None, None if row.may_split else el("w:cantSplit"), el("w:tblHeader") if row.header else None))
        c = 0
        while c < len(grid):
            if (r, c) in starts:
                cell = starts[(r, c)]
                merge = "restart" if cell.rowspan > 1 else None
            elif (r, c) in below:  # under a cell spanning rows: this row's look
                cell, merge = replace(below[(r, c)], look=row.look), "continue"
            else:
                cell, merge = m.Cell((), look=row.look), None
            span = max(min(cell.colspan, len(grid) - c), 1)
            tr.append(_cell(state, cell, row.header, grid[c:c + span], merge, cell_blocks))
            c += span
        tbl.append(tr)
    return tbl


def _grid(t: m.Table, total: float) -> list[int]:
    n = max(t.columns, 1)
    rel = list(t.widths) if t.widths and len(t.widths) == n else [1.0] * n
    whole = twips(total)
    widths = [int(whole * w / sum(rel)) for w in rel]
    widths[-1] += whole - sum(widths)
    return widths


def _cell(state, cell: m.Cell, header: bool, widths: list[int], merge: str | None, cell_blocks):
    """A cell in its look (the realize stage's: fill, text style, bold); a
    grid place no cell covers is an empty cell of the row's look."""
    props = el("w:tcPr", None, el("w:tcW", {"w:w": sum(widths), "w:type": "dxa"}),
               el("w:gridSpan", {"w:val": len(widths)}) if len(widths) > 1 else None,
               el("w:vMerge", {"w:val": "restart"} if merge == "restart" else None) if merge else None)
    look = cell.look
    if look.fill:
        props.append(el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": look.fill.lstrip("#").upper()}))
    tc = el("w:tc", None, props)
    ctx = replace(CELL, para=word_style(look.text), bold=look.bold)
    if cell.align:
        ctx = replace(ctx, align=cell.align)
    nodes = [] if merge == "continue" else cell_blocks(state, cell.blocks, ctx)
    for node in nodes:
        tc.append(node)
    if not nodes or nodes[-1].tag != qn("w:p"):
        tc.append(state.para(ctx.para))  # a cell ends with a paragraph
    return tc
