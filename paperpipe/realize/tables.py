"""The look of every table row and cell, from the table's style in the theme.

Decided here once for every output:
- a header row is one of the table's first ``header_rows`` rows; it takes
  the role "header" unless it names its own;
- a row's fill is its role's, else (below the header rows) the style's
  ``body_fill``; a cell shows its own role's fill over its row's;
- a cell's text style is its role's, else its row role's, else the table's;
  it is bold when its role or its row's role says so.
"""
from __future__ import annotations

from dataclasses import replace

from .. import model as m
from ..theme import Theme
from ..theme.check import HEADER
from ..visit import map_blocks


def realize_tables(doc: m.Document, theme: Theme) -> m.Document:
    return replace(doc, blocks=map_blocks(doc.blocks, lambda b: table_looks(b, theme) if isinstance(b, m.Table) else b))


def table_looks(table: m.Table, theme: Theme) -> m.Table:
    style = theme.table(table.style)
    rows = []
    for r, row in enumerate(table.rows):
        header = r < table.header_rows
        role = row.role or (HEADER if header else "")
        row_look = style.row_look(role)
        fill = row_look.fill or (None if header else style.body_fill)
        whole = m.CellLook(fill, row_look.text or style.text, row_look.bold)
        cells = []
        for cell in row.cells:
            own = style.cell_look(cell.role)
            look = m.CellLook(own.fill or fill, own.text or whole.text, whole.bold or own.bold)
            cells.append(replace(cell, look=look))
        rows.append(replace(row, role=role, header=header, look=whole, cells=tuple(cells)))
    return replace(table, rows=tuple(rows))
