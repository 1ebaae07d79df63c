"""Tables as reportlab Tables, looking as their table style in the theme says:
grid, padding, fills and bold by row and cell role, rules between columns."""
from __future__ import annotations

from contextlib import contextmanager

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Spacer, Table as RLTable, TableStyle

from ... import model as m
from .. import LayoutImpossible
from .styles import ALIGN
from .tags import mark, tag_of
from .words import Paragraph


def _row_fills(rows) -> list:
    """The rows' fills (the realize stage's), one command per row."""
    return [("BACKGROUND", (0, r), (-1, r), HexColor(row.look.fill)) for r, row in enumerate(rows) if row.look.fill]


def table_flowables(renderer, block: m.Table, context: str) -> list:
    """The table, with its caption and the space after it."""
    theme, s = renderer.theme, renderer.s
    look = theme.table(block.style)
    width = theme.page.text_width
    if block.widths:
        total = sum(block.widths)
        col_widths = [width * w / total for w in block.widths]
    else:
        col_widths = [width / max(block.columns, 1)] * block.columns
    cell_style = s[look.text]
    placed, _ = m.place_cells(block.rows)
    caption = None
    if block.number:  # made first: it comes first in the structure tree
        caption = renderer.caption(block.label, block.caption, block.id, keep=len(block.rows) <= look.keep_rows)
    cells = _tag_cells(renderer.tags, block, placed)
    pad_v, pad_h = look.padding_vertical, look.padding_horizontal
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), cell_style.fontName, cell_style.fontSize, cell_style.leading),
        ("LEFTPADDING", (0, 0), (-1, -1), pad_h),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad_h),
        ("TOPPADDING", (0, 0), (-1, -1), pad_v),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad_v),
    ]
    if look.grid_width:
        commands.insert(2, ("GRID", (0, 0), (-1, -1), look.grid_width, HexColor(look.grid_colour)))
    commands += _row_fills(block.rows)
    grid = [["" for _ in range(block.columns)] for _ in block.rows]
    for pc in placed:
        row, cell = block.rows[pc.row], pc.cell.look
        with cells[id(pc)]:
            flows = renderer.blocks(pc.cell.blocks, cell.text)
        if cell.bold:
            flows = [_bold(f) for f in flows]
        if pc.cell.align in ALIGN:
            flows = [_aligned(f, ALIGN[pc.cell.align]) for f in flows]
        grid[pc.row][pc.col] = flows
        if cell.fill and cell.fill != row.look.fill:  # a cell's own fill, over its row's
            commands.append(("BACKGROUND", (pc.col, pc.row), (pc.col + pc.cell.colspan - 1, pc.row + pc.cell.rowspan - 1), HexColor(cell.fill)))
        if pc.cell.colspan > 1 or pc.cell.rowspan > 1:
            commands.append(("SPAN", (pc.col, pc.row), (pc.col + pc.cell.colspan - 1, pc.row + pc.cell.rowspan - 1)))
    if look.column_rule_width and look.column_rule_colour:
        commands.append(("LINEBEFORE", (1, 0), (-1, -1), look.column_rule_width, HexColor(look.column_rule_colour)))
    table = RowSplittingTable(grid, colWidths=col_widths, repeatRows=block.header_rows, style=TableStyle(commands), splitByRow=1, hAlign="LEFT",
                              may_split=tuple(row.may_split for row in block.rows))
    out: list = []
    if caption is not None:
        # keep the caption with the header and the first rows, but let a
        # long table start on this page rather than leave it half empty
        out.append(CondPageBreak(s[theme.captions.style].leading * 2 + cell_style.leading * look.start_rows))
        out.append(caption)
    out.append(table)
    if context == "body":
        out.append(Spacer(1, look.after))
    return out


_SPLIT_TRIES = 4  # a long row's split is tried again in less room when its top came out too tall


class RowSplittingTable(RLTable):
    """A table whose long rows (``may_split``, one flag per row: the realize
    stage's, from the style's split_rows_from) may run over a page break,
    the header rows repeated above their rest, as in the DOCX and the page:
    a whole long row that jumps to the next page leaves the foot of this one
    empty. Other rows split the table only between rows."""

    def __init__(self, *args, may_split: tuple = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.may_split = tuple(may_split) or (False,) * len(self._cellvalues)

    def wrap(self, availWidth, availHeight):
        with _at_table(self):
            return super().wrap(availWidth, availHeight)

    def split(self, availWidth, availHeight):
        with _at_table(self):
            parts = self._split(availWidth, availHeight)
        for part in parts:
            part.source = getattr(self, "source", None)  # a part laid out on the next page is still this table
        return parts

    def _split(self, availWidth, availHeight):
        self._calc(availWidth, availHeight)
        n = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
        if n < len(self.may_split) and self.may_split[n] and self._width <= availWidth:
            room = availHeight
            for _ in range(_SPLIT_TRIES):
                with _whole_lines(self._cellvalues[n]):
                    parts = self._splitRows(room, doInRowSplit=1)
                if len(parts) != 2:
                    break
                # rows[:n] and the row's top; the header rows, the row's rest and the rows after it
                head = self._head()
                parts[0].may_split = self.may_split[:n] + (False,)
                parts[1].may_split = self.may_split[:head] + (True,) + self.may_split[n + 1:]
                for part in parts:  # reportlab gives the row's rest the whole row's height less what the top used:
                    part._argH = [None] * len(part._argH)  # each row as tall as its content again
                over = parts[0].wrap(availWidth, availHeight)[1] - availHeight
                if over <= 0:
                    return parts
                room -= over  # the top measured as its content came out a little taller than the room it was split for
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            k = len(parts[0]._cellvalues)
            parts[0].may_split = self.may_split[:k]
            parts[1].may_split = self.may_split[:self._head()] + self.may_split[k:]
        return parts

    def _head(self) -> int:
        repeat = self.repeatRows
        return repeat if isinstance(repeat, int) else len(repeat)


@contextmanager
def _whole_lines(cells):
    """While a row is split: no paragraph of its cells leaves a single line
    on either page (the cell's own style keeps no widow control: a row
    never split before)."""
    changed = []
    stack = [f for cell in cells if isinstance(cell, (list, tuple)) for f in cell]
    while stack:
        f = stack.pop()
        if isinstance(f, Paragraph):
            changed.append((f, f.style))
            f.style = ParagraphStyle(f.style.name + "-split", parent=f.style, allowWidows=0, allowOrphans=0)
        stack += list(getattr(f, "_content", ()) or ()) + list(getattr(f, "_flowables", ()) or ())
    try:
        yield
    finally:
        for f, style in changed:
            f.style = style


def _aligned(flowable, alignment: int):
    if isinstance(flowable, Paragraph):
        return mark(Paragraph(flowable.text, ParagraphStyle("aligned", parent=flowable.style, alignment=alignment)), tag_of(flowable))
    return flowable


def _bold(flowable):
    if isinstance(flowable, Paragraph):
        return mark(Paragraph(f"<b>{flowable.text}</b>", flowable.style), tag_of(flowable))
    return flowable


def _tag_cells(tags, block: m.Table, placed) -> dict:
    """The structure of a table: THead (its header rows) and TBody, rows,
    TH (the cells the realize stage made heads of a column or a row, with
    their scope) and TD cells with their spans.  Returns, for each
    placed cell, the group its content is built in."""
    by_row: dict[int, list] = {}
    for pc in placed:
        by_row.setdefault(pc.row, []).append(pc)
    groups: dict[int, object] = {}
    head = sum(1 for row in block.rows if row.header)  # the realize stage's header rows, at the top
    parts = [("THead", range(0, head)), ("TBody", range(head, len(block.rows)))]
    for part, rows in parts:
        if not len(rows):
            continue
        with tags.group(part):
            for r in rows:
                with tags.group("TR"):
                    for pc in sorted(by_row.get(r, []), key=lambda p: p.col):
                        heads = pc.cell.heads
                        attrs = {"Scope": "Column" if heads == "column" else "Row"} if heads else {}
                        if pc.cell.rowspan > 1:
                            attrs["RowSpan"] = pc.cell.rowspan
                        if pc.cell.colspan > 1:
                            attrs["ColSpan"] = pc.cell.colspan
                        cell = tags.leaf("TH" if heads else "TD", attrs=attrs, keep_empty=True)
                        groups[id(pc)] = tags.within(cell)
    return groups


@contextmanager
def _at_table(table):
    """A word too wide for its cell is reported at the table's line."""
    try:
        yield
    except LayoutImpossible as exc:
        exc.source = exc.source or getattr(table, "source", None)
        raise
