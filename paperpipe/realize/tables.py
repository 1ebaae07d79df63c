"""The look of every table row and cell, from the table's style in the theme.

Decided here once for every output:
- a header row is one of the table's first ``header_rows`` rows; it takes
  the role "header" unless it names its own;
- a row's fill is its role's, else (below the header rows) the style's
  ``body_fill``; a cell shows its own role's fill over its row's;
- a cell's text style is its role's, else its row role's, else the table's;
  it is bold when its role or its row's role says so;
- a body row may split over a page break when one of its cells holds the
  style's ``split_rows_from`` paragraphs or more (a list's items count one
  each); header rows, shorter rows and the rows of a table that a figure
  shows never split;
- a header row's cells head their columns; below them, a cell in the
  grid's first column heads its row when its role, or its row's role, says
  ``heads_row`` (a programme's times, say), unless it spans the whole row.
"""
from __future__ import annotations

from dataclasses import replace

from .. import model as m
from ..theme import Theme
from ..theme.check import HEADER
from ..visit import map_blocks


def realize_tables(doc: m.Document, theme: Theme) -> m.Document:
    def realize(block):
        if isinstance(block, m.Table):
            return table_looks(block, theme)
        if isinstance(block, m.Figure):  # a figure is kept whole: so are the rows of a table it shows
            return replace(block, body=tuple(_whole_rows(b) if isinstance(b, m.Table) else b for b in block.body))
        return block
    return replace(doc, blocks=map_blocks(doc.blocks, realize))


def _whole_rows(table: m.Table) -> m.Table:
    return replace(table, rows=tuple(replace(row, may_split=False) for row in table.rows))


def table_looks(table: m.Table, theme: Theme) -> m.Table:
    style = theme.table(table.style)
    placed, _ = m.place_cells(table.rows)
    columns = max((pc.col + pc.cell.colspan for pc in placed), default=0)
    # a cell of the first column that does not span the whole row (it would head nothing beside it)
    first_column = {id(pc.cell) for pc in placed if pc.col == 0 and pc.cell.colspan < columns}
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
            heads_row = (own.heads_row or row_look.heads_row) and id(cell) in first_column
            heads = "column" if header else ("row" if heads_row else "")
            cells.append(replace(cell, look=look, heads=heads))
        may_split = not header and style.split_rows_from > 0 and _fullest(row) >= style.split_rows_from
        rows.append(replace(row, role=role, header=header, look=whole, cells=tuple(cells), may_split=may_split))
    return replace(table, rows=tuple(rows))


def _fullest(row: m.Row) -> int:
    """The paragraphs of the row's fullest cell, a list's items one each."""
    return max((_paragraphs(cell.blocks) for cell in row.cells), default=0)


def _paragraphs(blocks) -> int:
    count = 0
    for block in blocks:
        if isinstance(block, (m.BulletList, m.OrderedList)):
            count += sum(max(_paragraphs(item), 1) for item in block.items)
        elif isinstance(block, (m.Sidebar, m.Quote, m.Admonition)):
            count += _paragraphs(block.blocks)
        else:
            count += 1
    return count
