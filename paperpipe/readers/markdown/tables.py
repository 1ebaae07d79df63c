"""Tables: pipe tables with their ``Table:`` caption, and ```` ```table ````
blocks of YAML (grid tables with merged cells)."""
from __future__ import annotations

import re

from markdown_it.rules_block.table import escapedSplit
from markdown_it.tree import SyntaxTreeNode

from ... import model as m
from ...errors import shortened
from ...schema import builtin, validate
from ..yamlfile import parse_yaml
from .attrs import split_trailing_attrs
from .inlines import _trim, inline_markdown, read_inlines
from .limits import MAX_COLUMNS, MAX_ROWS
from .state import ReadState
from .syntax import _CAPTION


_DELIMITER = re.compile(r"\|?(?:\s*:?-+:?\s*\|)*\s*:?-+:?\s*\|?")  # the |---|:---:| line under a table's header


def cells_of(line: str) -> list[str]:
    """The cells typed on a table's line ('| a | b |', 'a | b'), '\\|' kept inside a cell."""
    cells = escapedSplit(line.strip())
    if cells and cells[0].strip() == "":
        cells.pop(0)
    if cells and cells[-1].strip() == "":
        cells.pop()
    return cells


def caption_text(node: SyntaxTreeNode) -> str | None:
    content = node.children[0].content if node.children else ""
    match = _CAPTION.match(content)
    if match and content.lstrip().startswith(("Table:", ":")):
        return match.group(1)
    return None


def captioned(st: ReadState, table: m.Table, caption: str, src: m.Source) -> m.Table:
    text, attrs = split_trailing_attrs(caption)
    st.unknown_attrs(attrs, ("id", "class", "place"), "a table", src)
    return m.Table(
        table.rows, table.columns, table.header_rows, table.widths,
        st.long_caption(inline_markdown(st, text, src), src), st.ident(attrs.get("id"), src), "", table.style, table.source,
        place=st.place(attrs.get("place"), "a table", src),
    )


def _bare_rows(st: ReadState, node: SyntaxTreeNode, caption: str | None) -> tuple[set[int], str | None, m.Source | None]:
    """Lines right under a table typed without a '|', which markdown-it reads
    as rows (its words in the first cell): the last, if it is a 'Table: …'
    line, is the caption (an editor left out the empty line before it); any
    other is an error. Returns the rows to leave out, the caption and its line."""
    body = [tr for part in node.children if part.type == "tbody" for tr in part.children]
    bare = [tr for tr in body if "bare" in tr.meta]
    skip: set[int] = {id(tr) for tr in bare}
    found, where = None, None
    if bare and bare[-1] is body[-1]:
        match = _CAPTION.match(bare[-1].meta["bare"])
        if match and bare[-1].meta["bare"].startswith(("Table:", ":")):
            found, where = match.group(1), st.src(bare[-1])
            bare = bare[:-1]
            if caption is not None:
                st.error(where, "the table has two captions, one above it and one under it", "keep one of them")
                found = None
    for tr in bare:
        st.error(st.src(tr), f"the line '{shortened(tr.meta['bare'])}' has no '|' and would be printed as a row of the table above, its words in the first cell",
                 "put an empty line between the table and the text under it, or write the row as '| … | … |'")
    return skip, found, where


def pipe_table(st: ReadState, node: SyntaxTreeNode, caption: str | None, src: m.Source) -> m.Table:
    rows: list[m.Row] = []
    header_rows = 0
    skip, under, under_src = _bare_rows(st, node, caption)
    for part in node.children:  # thead, tbody
        for tr in part.children:
            if id(tr) in skip:
                continue
            cells = []
            row_src = st.src(tr) if tr.map else src
            for cell in tr.children:
                style = cell.attrs.get("style", "") or ""
                align = style.replace("text-align:", "").strip() if style else ""
                inl = read_inlines(st, cell.children[0].children, row_src) if cell.children else ()
                cells.append(m.Cell((st.long_paragraph(m.Paragraph(_trim(inl), row_src)),) if inl else (), align=align))
            typed = tr.meta.get("typed", 0) if part.type == "tbody" else 0
            if typed > len(cells):
                st.error(row_src, f"the row has {typed} cells but the table's header has {len(cells)}: the last {typed - len(cells)} would not be printed",
                         "add the missing columns to the header line (and to the |---| line under it), or write a '\\|' for a '|' inside a cell")
            rows.append(m.Row(tuple(cells), "header" if part.type == "thead" else ""))
            if part.type == "thead":
                header_rows += 1
    columns = max((len(r.cells) for r in rows), default=0)
    st.too_many(src, len(rows), MAX_ROWS, "rows", "split it into several tables")
    if columns > MAX_COLUMNS:
        st.error(src, f"the table has {columns} columns, more than fit a page ({MAX_COLUMNS} at most)",
                 "split it into tables of fewer columns")
    table = m.Table(tuple(rows), columns, header_rows, (), (), "", "", "default", src)
    if caption is not None:
        table = captioned(st, table, caption, src)
    elif under is not None:
        table = captioned(st, table, under, under_src)
    return table


def fence(st: ReadState, node: SyntaxTreeNode, src: m.Source) -> m.Block | None:
    info = (node.info or "").strip().split()
    if info and info[0] == "table" and "cell" in st.inside:
        st.error(src, "a table cannot stand inside a table cell", "put the table after the other one, or merge cells with colspan/rowspan")
        return None
    if info and info[0] == "table" and len(info) > 1:
        st.error(src, f"the words after '{node.markup}table' ('{' '.join(info[1:])}') would not be printed",
                 "give the table its caption as 'caption: …' inside the block, and its id as 'id: tab-…'")
    if info and info[0] == "table":
        data = parse_yaml(node.content, st.file, st.problems, src.line)
        if data is None:
            return None
        return grid_table(st, data, src)
    st.error(src, "code blocks are not printed in this paper", "use a ```table block for tables, or plain text")
    return None


# ---------------------------------------------------------------------- YAML grid tables
def grid_table(st: ReadState, data, src: m.Source) -> m.Table | None:
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        st.error(src, "a ```table block needs a 'rows:' list", "see 'Tables with merged cells' in content/README.md")
        return None
    # unknown keys (a misspelt 'colspn:') and wrong kinds of rows or cells
    # are errors on their line, never silently ignored
    if not validate(data, builtin("table"), st.file, st.problems, src.line):
        return None
    if st.too_many(src, len(data["rows"]), MAX_ROWS, "rows", "split it into several tables"):
        return None

    def where(obj, key=None) -> m.Source:
        ln = obj.line(key) if hasattr(obj, "line") else 0
        return m.Source(src.file, ln + src.line if ln else src.line)

    rows: list[m.Row] = []
    for r_index, row in enumerate(data["rows"]):
        row_src = where(data["rows"], r_index)
        if isinstance(row, list):
            row = {"cells": row}
        if not isinstance(row, dict) or not isinstance(row.get("cells"), list):
            st.error(row_src, "a table row needs a 'cells:' list", "write '- cells: [first, second]'")
            continue
        cells: list[m.Cell] = []
        for c_index, cell in enumerate(row["cells"]):
            cell_src = where(row["cells"], c_index)
            if isinstance(cell, (str, int, float)):
                cell = {"text": str(cell)}
            if cell is None:
                cell = {"text": ""}
            if not isinstance(cell, dict):
                st.error(cell_src, "a table cell must be text or a mapping with 'text:'", "write '- text: …' with optional colspan/rowspan")
                continue
            spans = []
            left = len(data["rows"]) - r_index  # rows from this one to the last
            for key in ("colspan", "rowspan"):
                value = cell.get(key, 1)
                if not isinstance(value, int) or value < 1:
                    st.error(cell_src, f"'{key}' must be a whole number of 1 or more", f"write '{key}: 2'")
                    value = 1
                elif key == "rowspan" and value > left:
                    # a span past the last row cannot be laid out (and a huge one would never end)
                    st.error(cell_src, f"'rowspan: {value}' reaches past the last row ({left} row{'s' if left > 1 else ''} from here)",
                             f"make it at most {left}, or add the missing rows")
                    value = left
                elif key == "colspan" and value > MAX_COLUMNS:
                    st.error(cell_src, f"'colspan: {value}' is wider than any table can be ({MAX_COLUMNS} columns)",
                             "give the number of columns the cell covers, e.g. 'colspan: 2'")
                    value = 1
                spans.append(value)
            text = str(cell.get("text", "") if cell.get("text") is not None else "")
            sub = st.sub(cell_src.line - 1, st.depth + 1, (*st.inside, "cell"))
            cells.append(m.Cell(sub.read(text), spans[0], spans[1], str(cell.get("role", "")), str(cell.get("align", ""))))
        rows.append(m.Row(tuple(cells), str(row.get("role", ""))))
    columns = data.get("columns")
    _, occupied = m.place_cells(rows)
    if not occupied:
        st.error(src, "the table has no cells", "give each row its cells, e.g. '- cells: [first, second]'")
        return None
    if columns is None:
        columns = occupied
    elif not isinstance(columns, int) or columns != occupied:
        st.error(src, f"the table says columns: {columns} but its rows fill {occupied}", "check the colspan/rowspan of the cells")
        columns = occupied
    widths = data.get("widths") or ()
    if widths and (not isinstance(widths, list) or len(widths) != columns or not all(isinstance(w, (int, float)) and w > 0 for w in widths)):
        st.error(where(data, "widths"), f"'widths' must list {columns} positive numbers", "write e.g. 'widths: [1, 3]'")
        widths = ()
    header_rows = data.get("header_rows", 1)
    if not isinstance(header_rows, int) or not 0 <= header_rows <= len(rows):
        st.error(where(data, "header_rows"), "'header_rows' must be a whole number no larger than the number of rows", "write e.g. 'header_rows: 1'")
        header_rows = 0
    caption = st.long_caption(inline_markdown(st, str(data.get("caption", "") or ""), src), src)
    ident = st.ident(data.get("id") or "", where(data, "id") if "id" in data else src)
    place = st.place(data.get("place"), "a table", where(data, "place") if "place" in data else src)
    return m.Table(tuple(rows), columns, header_rows, tuple(float(w) for w in widths), caption, ident, "", str(data.get("style", "default")), src,
                   place=place)
