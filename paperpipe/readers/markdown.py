"""Markdown (CommonMark + pipe tables) into document-model blocks.

The syntax editors use, all standard or widespread extensions:

- ``# Heading {#id}`` (levels 1-3); ``{-}`` or ``{.unnumbered}`` leaves it unnumbered.
- ``![Caption](figures/x.svg){#fig-id width="80%" alt="description"}`` alone in
  a paragraph is a numbered figure.
- a pipe table followed (or preceded) by ``Table: Caption {#tab-id}`` is a
  numbered table; a fenced block ```` ```table ```` holds a YAML table with
  merged cells.
- ``::: sidebar Title`` … ``:::`` is a box set apart from the text;
  ``::: figure Caption {#fig-id}`` … ``:::`` is a figure made of any blocks.
- ``> …`` lines are a quotation; a last ``> — Name, Role`` line says who said it.
- ``[@id]`` prints the name of the person ``id`` of the people file.
- ``<!-- … -->`` is a comment: a note for editors, never printed.
- ``[](#id)`` prints the number of a section, figure or table ("Table 1");
  ``[text](#id)`` links the given text to it.
- ``{{ macro(...) }}`` alone in a paragraph is replaced by the blocks the
  template macro writes (see ``templates/macros.md.j2``); anywhere else (in a
  sentence, a list item, a table cell, a heading, a caption) ``{{ … }}`` is
  an inline expression: ``{{ paper.title }}``, ``{{ person("id") }}``; what
  it writes is read as Markdown text of one line.  An expression that cannot
  be expanded is an error on its line, never printed as it stands.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin

from .. import model as m
from ..errors import Problems, nearest
from ..schema import builtin, validate
from .yamlfile import parse_yaml

_ATTRS_AT_END = re.compile(r"\s*\{([^{}]*)\}\s*$")
_CAPTION = re.compile(r"^\s*(?:Table)?:\s+(.*)$", re.S)
_TEMPLATE_CALL = re.compile(r"^\s*\{\{(?:(?!\}\}).)*\}\}\s*$", re.S)  # exactly one {{ … }}
_COMMENT = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.S)  # HTML comments: notes that are not printed
_ID = re.compile(r"^[A-Za-z][\w:.-]*$")
_EXTERNAL = re.compile(r"^(https?:|mailto:|ftp:)", re.I)
MAX_COLUMNS = 30  # more than fits on a page (a column needs ~1.5 cm); guards against a typo such as colspan: 20000
MAX_NESTING = 6  # lists and boxes inside each other; markdown-it drops what is nested past its own limit (20 token levels)
MAX_HEADING = 300  # characters of a heading: it must fit a line of the contents (a few lines at most)
MAX_CAPTION = 600  # characters of a caption: it must fit a line of the list of figures or tables
MAX_PARAGRAPH = 20_000  # characters of one paragraph (~3,000 words, 6 pages): reportlab lays out a paragraph that runs over pages in time that grows with the square of its length
MAX_ROWS = 1_000  # rows of one table (~25 pages): reportlab lays a table out again for each page it runs over
MAX_ITEMS = 1_000  # items of one list, for the same reason
MAX_TEXT = 1_000_000  # characters of one Markdown file (or of what one template call writes)
_CLOSING = re.compile(r"^\s*:{3,}\s*$")
_WHERE = {"list": "a list", "sidebar": "a sidebar", "figure": "a figure box", "cell": "a table cell"}


def _template_rule(state, silent: bool) -> bool:
    """``{{ expression }}`` inside a line becomes one 'template' token (its
    content the whole ``{{ … }}``), so that Markdown never splits or
    re-reads it; ``{%`` and an unclosed ``{{`` become a 'template_bad' token
    that the reader reports.  Code spans and ``\\{`` escapes run first, so
    `{{ x }}` in backticks prints literally."""
    src, pos = state.src, state.pos
    if src.startswith("{{", pos):
        end = src.find("}}", pos + 2)
        kind = "template" if end >= 0 else "template_bad"
        stop = end + 2 if end >= 0 else pos + 2
    elif src.startswith("{%", pos):
        kind, stop = "template_bad", pos + 2
    else:
        return False
    if not silent:
        token = state.push(kind, "", 0)
        token.content = src[pos:stop]
    state.pos = stop
    return True


_PERSON = re.compile(r"\[@([A-Za-z][\w-]*)\]")


def _person_rule(state, silent: bool) -> bool:
    """``[@id]``: a person of the people file, printed by name."""
    if not state.src.startswith("[@", state.pos):
        return False
    match = _PERSON.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("person_ref", "", 0)
        token.content = match.group(1)
    state.pos = match.end()
    return True


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").use(attrs_plugin)
    md.inline.ruler.before("text", "template", _template_rule)
    md.inline.ruler.before("link", "person", _person_rule)
    md.use(container_plugin, name="sidebar")
    md.use(container_plugin, name="figure")
    # any other ::: line (a misspelt kind, a stray closing :::) is read as a
    # box too, so that the reader reports it instead of printing ':::'
    md.use(container_plugin, name="other", validate=lambda params, markup: True)
    return md


_MD = _parser()


def parse_attrs(text: str) -> dict[str, str]:
    """``#id .class key=value key="value"`` into a dict ("id", "class", keys)."""
    attrs: dict[str, str] = {}
    for token in re.findall(r'[^\s"=]+="[^"]*"|[^\s"=]+=\S+|\S+', text):
        if token == "-":
            attrs["unnumbered"] = "1"
        elif token.startswith("#"):
            attrs["id"] = token[1:]
        elif token.startswith("."):
            attrs.setdefault("class", "")
            attrs["class"] = (attrs["class"] + " " + token[1:]).strip()
            if token == ".unnumbered":
                attrs["unnumbered"] = "1"
        elif "=" in token:
            key, value = token.split("=", 1)
            attrs[key] = value.strip('"')
    return attrs


def split_trailing_attrs(text: str) -> tuple[str, dict[str, str]]:
    match = _ATTRS_AT_END.search(text)
    if not match:
        return text, {}
    return text[: match.start()], parse_attrs(match.group(1))


@dataclass
class MarkdownReader:
    """Reads one Markdown file (or fragment) into blocks, recording problems.

    ``expand`` renders a ``{{ ... }}`` template call to Markdown text (or
    returns None after recording a problem); ``resolve_path`` turns a
    relative image path into an absolute one inside the content folder (or
    None after recording a problem).
    """

    file: Path
    problems: Problems
    expand: Callable[[str, m.Source], str | None] | None = None
    resolve_path: Callable[[str, m.Source], Path | None] | None = None
    line_offset: int = 0
    depth: int = 0
    inside: tuple[str, ...] = ()  # what encloses this text: "list", "sidebar", "figure", "cell"

    # ------------------------------------------------------------------ entry
    def read(self, text: str) -> tuple[m.Block, ...]:
        if len(text) > MAX_TEXT:
            self._error(m.Source(self.problems.rel(self.file), self.line_offset or 1),
                        f"the text is longer than {MAX_TEXT:,} characters", "split it into several section files")
            return ()
        self._lines = text.split("\n")
        tree = SyntaxTreeNode(_MD.parse(text))
        return self._blocks(tree.children)

    def _sub(self, line_offset: int, depth: int, inside: tuple[str, ...] | None = None) -> "MarkdownReader":
        """A reader for Markdown inside this one (a template call's output, a table cell)."""
        return MarkdownReader(self.file, self.problems, self.expand, self.resolve_path, line_offset, depth,
                              self.inside if inside is None else inside)

    def _nested(self, kind: str, nodes, src: m.Source) -> tuple[m.Block, ...]:
        """The blocks of a list item or a box, one level deeper."""
        if len(self.inside) >= MAX_NESTING:
            if not getattr(self, "_too_deep", False):
                self._too_deep = True
                self._error(src, f"lists and boxes are nested more than {MAX_NESTING} levels deep here",
                            "flatten the list or split the box: deeper levels cannot be printed")
            return ()
        self.inside = (*self.inside, kind)
        try:
            return self._blocks(nodes)
        finally:
            self.inside = self.inside[:-1]

    def _closed(self, node: SyntaxTreeNode) -> bool:
        """Whether a ::: box has its closing ::: line (markdown-it closes an
        unclosed one silently at the end of the file)."""
        end = node.map[1] if node.map else -1
        lines = getattr(self, "_lines", [])
        return node.map is not None and node.map[0] < end < len(lines) and bool(_CLOSING.match(lines[end]))

    def _src(self, node: SyntaxTreeNode) -> m.Source:
        line = (node.map[0] + 1 + self.line_offset) if node.map else self.line_offset
        return m.Source(self.problems.rel(self.file), line)

    def _error(self, src: m.Source, message: str, advice: str = "") -> None:
        self.problems.error(self.file, src.line, message, advice)

    # ------------------------------------------------------------------ blocks
    def _blocks(self, nodes) -> tuple[m.Block, ...]:
        out: list[m.Block] = []
        nodes = list(nodes)
        i = 0
        while i < len(nodes):
            node = nodes[i]
            src = self._src(node)
            kind = node.type
            if kind == "heading":
                if self.inside:
                    self._error(src, f"a heading cannot stand inside {_WHERE[self.inside[-1]]}",
                                "end the list or box before the heading (an empty line, or ':::' for a box)")
                out.append(self._heading(node, src))
            elif kind == "paragraph":
                caption = self._caption_text(node)
                if caption is not None and i + 1 < len(nodes) and nodes[i + 1].type == "table":
                    out.append(self._pipe_table(nodes[i + 1], caption, src))
                    i += 2
                    continue
                if caption is not None and out and isinstance(out[-1], m.Table) and not out[-1].caption:
                    out[-1] = self._captioned(out[-1], caption, src)
                else:
                    out.extend(self._paragraph(node, src))
            elif kind in ("bullet_list", "ordered_list") and self._too_many(src, len(node.children), MAX_ITEMS, "items", "split it into several lists"):
                pass
            elif kind == "bullet_list":
                out.append(m.BulletList(tuple(self._nested("list", item.children, self._src(item)) for item in node.children), src))
            elif kind == "ordered_list":
                start = int(node.attrs.get("start", 1) or 1)
                out.append(m.OrderedList(tuple(self._nested("list", item.children, self._src(item)) for item in node.children), start, src))
            elif kind == "table":
                out.append(self._pipe_table(node, None, src))
            elif kind == "container_other" and not node.info.strip():
                if not getattr(self, "_box_error", False):  # else the end of the box reported just before
                    self._error(src, f"a '{node.markup}' line that closes no box", "remove it, or start the box with '::: sidebar Title' or '::: figure Caption'")
            elif kind.startswith("container_") and not self._closed(node):
                self._error(src, f"the box '{node.markup} {node.info.strip()}' is not closed", f"end it with a line '{node.markup}' after its last paragraph")
            elif kind in ("container_sidebar", "container_figure") and ("sidebar" in self.inside or "figure" in self.inside or "cell" in self.inside):
                outer = next(k for k in reversed(self.inside) if k in ("sidebar", "figure", "cell"))
                self._box_error = True
                self._error(src, f"a {kind[len('container_'):]} box cannot stand inside {_WHERE[outer]}",
                            "close the outer box (':::') before this one, or write the text without the inner box")
            elif kind == "container_sidebar":
                title = self._plain(node.info.strip()[len("sidebar"):].strip(), src)
                out.append(m.Sidebar(self._nested("sidebar", node.children, src), title, "sidebar", src))
            elif kind == "container_figure":
                out.append(self._figure_container(node, src))
            elif kind == "container_other":
                word = node.info.strip().split()[0]
                close = nearest(word, ("sidebar", "figure"))
                self._error(src, f"'{node.markup} {word}' is not a kind of box",
                            f"did you mean '{node.markup} {close}'?" if close else "write '::: sidebar Title' or '::: figure Caption'")
            elif kind in ("fence", "code_block"):
                block = self._fence(node, src)
                if block is not None:
                    out.append(block)
            elif kind == "html_block" and _COMMENT.fullmatch(node.content):
                pass  # <!-- a note for editors -->: never printed
            elif kind == "html_block":
                self._error(src, "raw HTML is not supported", "write it in Markdown (lists, tables, **bold**) or remove it")
            elif kind == "hr":
                self.problems.warning(self.file, src.line, "a horizontal rule (---) is not printed", "remove it; sections start on their own")
            elif kind == "blockquote":
                out.append(self._quote(node, src))
            else:
                self._error(src, f"unsupported Markdown block '{kind}'", "see content/README.md for what can be used")
            i += 1
        return tuple(out)

    def _quote(self, node: SyntaxTreeNode, src: m.Source) -> m.Quote:
        """``> text`` lines; a last paragraph starting with "— " (or "-- ")
        names who said it."""
        blocks = list(self._blocks(node.children))
        attribution: tuple[m.Inline, ...] = ()
        last = blocks[-1] if blocks else None
        if isinstance(last, m.Paragraph) and last.children and isinstance(last.children[0], m.Text) \
                and last.children[0].text.startswith(("— ", "-- ", "―")):
            first = last.children[0].text.split(" ", 1)[1] if " " in last.children[0].text else ""
            attribution = _trim((m.Text(first), *last.children[1:]))
            blocks.pop()
        if not blocks:
            self._error(src, "the quotation has no text", "write the quoted words on '> ' lines above the '> — Name' line")
        if any(isinstance(b, (m.Heading, m.Figure, m.Table, m.Sidebar)) for b in blocks):
            self._error(src, "a quotation holds only paragraphs and lists", "end the quotation (a line without '>') before the heading, table, figure or box")
        return m.Quote(tuple(blocks), "", "quote", src, attribution)

    def _heading(self, node: SyntaxTreeNode, src: m.Source) -> m.Heading:
        level = int(node.tag[1])
        inline = node.children[0]
        children = list(self._inlines(inline.children, src))
        attrs: dict[str, str] = {}
        if children and isinstance(children[-1], m.Text):
            text, attrs = split_trailing_attrs(children[-1].text)
            children[-1] = m.Text(text)
            if not text:
                children.pop()
        if level > 3:
            self._error(src, f"heading level {level} ('{'#' * level}') is too deep", "use #, ## or ### (three levels)")
            level = 3
        text = m.plain_text(_trim(tuple(children))).strip()
        if not text:
            self._error(src, "the heading has no text", "write its title after the #, or delete the line")
        elif len(text) > MAX_HEADING:
            self._error(src, f"the heading is {len(text):,} characters long, more than the {MAX_HEADING} a line of the contents can hold",
                        "shorten it, and put the rest in a paragraph under it")
        ident = attrs.get("id", "")
        if ident and not _ID.match(ident):
            self._error(src, f"'{ident}' is not a valid id", "start with a letter; use letters, digits, '-' and '_'")
        return m.Heading(level, _trim(tuple(children)), ident, "", "unnumbered" not in attrs, src)

    def _paragraph(self, node: SyntaxTreeNode, src: m.Source) -> list[m.Block]:
        inline = node.children[0]
        content = inline.content
        if _TEMPLATE_CALL.match(content):
            return list(self._template_call(content, src))
        kids = [k for k in inline.children if not (k.type == "text" and not k.content.strip())]
        if kids and kids[0].type == "image" and "cell" in self.inside:
            self._error(src, "a figure cannot stand inside a table cell",
                        "put the figure before or after the table, and refer to it in the cell with [](#fig-id)")
            return []
        if kids and kids[0].type == "image" and all(k.type == "image" or k.type == "softbreak" for k in kids[:1]):
            if len(kids) == 1:
                return [self._image_figure(kids[0], None, src)]
            if len(kids) == 2 and kids[1].type == "text" and _ATTRS_AT_END.fullmatch(kids[1].content):
                return [self._image_figure(kids[0], parse_attrs(_ATTRS_AT_END.fullmatch(kids[1].content).group(1)), src)]
        return [self._long_paragraph(m.Paragraph(_trim(self._inlines(inline.children, src)), src))]

    def _too_many(self, src: m.Source, count: int, limit: int, what: str, advice: str) -> bool:
        if count > limit:
            kind = "list" if what == "items" else "table"
            self._error(src, f"the {kind} has {count:,} {what}, more than the {limit:,} one {kind} may have", advice)
        return count > limit

    def _long_paragraph(self, paragraph: m.Paragraph) -> m.Paragraph:
        size = len(m.plain_text(paragraph.children))
        if size > MAX_PARAGRAPH:
            self._error(paragraph.source, f"the paragraph is {size:,} characters long, more than the {MAX_PARAGRAPH:,} one paragraph may have",
                        "split it into paragraphs (an empty line between them)")
        return paragraph

    def _template_call(self, content: str, src: m.Source) -> tuple[m.Block, ...]:
        if self.expand is None or self.depth > 3:
            self._error(src, "template calls ({{ … }}) cannot be used here", "move the call into a section file")
            return ()
        text = self.expand(content.strip(), src)
        if text is None:
            return ()
        sub = self._sub(src.line - 1, self.depth + 1)
        blocks = sub.read(text)
        # every block generated by a call points at the call's line
        return blocks

    def _image_figure(self, node: SyntaxTreeNode, extra: dict | None, src: m.Source) -> m.Figure:
        attrs = dict(node.attrs)
        attrs.update(extra or {})
        caption = self._long_caption(self._inlines(node.children, src), src)
        ident = str(attrs.get("id", ""))
        width = _width(str(attrs.get("width", "")), self, src)
        caption_text = m.plain_text(caption)
        description = self._alt(str(attrs.get("alt", "")), caption_text, src)
        # markdown-it percent-encodes the address (a space is %20, é is %C3%A9): the file has the name as typed
        relative = unquote(str(attrs.get("src", "")))
        path = self._path(relative, src)
        image = m.Image(path or Path(relative), description, width, src)
        if not caption:
            self._error(src, "a figure needs a caption", "write it between the brackets: ![Caption](file){#fig-id}")
        return m.Figure((image,), caption, ident, "", description, src)

    def _alt(self, alt: str, caption: str, src: m.Source) -> str:
        """A figure's alt text: required, and not a copy of its caption (readers of
        the tagged PDF hear both)."""
        text = self._plain(alt, src).strip()
        if not text:
            self._error(src, "the figure has no alt text",
                        'add alt="…" to its attributes, e.g. {#fig-id alt="Bar chart of …"}: describe what the picture shows for readers who cannot see it')
        elif " ".join(text.lower().split()) == " ".join(caption.lower().split()):
            self._error(src, "the figure's alt text repeats its caption", "describe what the picture shows instead: the caption is read out as well")
        return text

    def _path(self, relative: str, src: m.Source) -> Path | None:
        if self.resolve_path is None:
            return Path(relative)
        return self.resolve_path(relative, src)

    def _figure_container(self, node: SyntaxTreeNode, src: m.Source) -> m.Figure:
        info = node.info.strip()[len("figure"):].strip()
        caption_text, attrs = split_trailing_attrs(info)
        caption = self._long_caption(self._inline_markdown(caption_text, src), src)
        if not caption:
            self._error(src, "a figure needs a caption", "write it after '::: figure', e.g. '::: figure My caption {#fig-id}'")
        body = self._nested("figure", node.children, src)
        # a panel's content is read as it is; its alt text, if any, summarises it
        description = self._plain(attrs.get("alt", ""), src) or m.plain_text(caption)
        return m.Figure(body, caption, attrs.get("id", ""), "", description, src)

    def _caption_text(self, node: SyntaxTreeNode) -> str | None:
        content = node.children[0].content if node.children else ""
        match = _CAPTION.match(content)
        if match and content.lstrip().startswith(("Table:", ":")):
            return match.group(1)
        return None

    def _captioned(self, table: m.Table, caption: str, src: m.Source) -> m.Table:
        text, attrs = split_trailing_attrs(caption)
        return m.Table(
            table.rows, table.columns, table.header_rows, table.widths,
            self._long_caption(self._inline_markdown(text, src), src), attrs.get("id", ""), "", table.style, table.source,
        )

    def _pipe_table(self, node: SyntaxTreeNode, caption: str | None, src: m.Source) -> m.Table:
        rows: list[m.Row] = []
        header_rows = 0
        for part in node.children:  # thead, tbody
            for tr in part.children:
                cells = []
                row_src = self._src(tr) if tr.map else src
                for cell in tr.children:
                    style = cell.attrs.get("style", "") or ""
                    align = style.replace("text-align:", "").strip() if style else ""
                    inl = self._inlines(cell.children[0].children, row_src) if cell.children else ()
                    cells.append(m.Cell((self._long_paragraph(m.Paragraph(_trim(inl), row_src)),) if inl else (), align=align))
                rows.append(m.Row(tuple(cells), "header" if part.type == "thead" else ""))
                if part.type == "thead":
                    header_rows += 1
        columns = max((len(r.cells) for r in rows), default=0)
        self._too_many(src, len(rows), MAX_ROWS, "rows", "split it into several tables")
        if columns > MAX_COLUMNS:
            self._error(src, f"the table has {columns} columns, more than fit a page ({MAX_COLUMNS} at most)",
                        "split it into tables of fewer columns")
        table = m.Table(tuple(rows), columns, header_rows, (), (), "", "", "default", src)
        if caption is not None:
            table = self._captioned(table, caption, src)
        return table

    def _fence(self, node: SyntaxTreeNode, src: m.Source) -> m.Block | None:
        info = (node.info or "").strip().split()
        if info and info[0] == "table" and "cell" in self.inside:
            self._error(src, "a table cannot stand inside a table cell", "put the table after the other one, or merge cells with colspan/rowspan")
            return None
        if info and info[0] == "table":
            data = parse_yaml(node.content, self.file, self.problems, src.line)
            if data is None:
                return None
            return self._grid_table(data, src)
        self._error(src, "code blocks are not printed in this paper", "use a ```table block for tables, or plain text")
        return None

    # ------------------------------------------------------------------ YAML grid tables
    def _grid_table(self, data, src: m.Source) -> m.Table | None:
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            self._error(src, "a ```table block needs a 'rows:' list", "see 'Tables with merged cells' in content/README.md")
            return None
        # unknown keys (a misspelt 'colspn:') and wrong kinds of rows or cells
        # are errors on their line, never silently ignored
        if not validate(data, builtin("table"), self.file, self.problems, src.line):
            return None
        if self._too_many(src, len(data["rows"]), MAX_ROWS, "rows", "split it into several tables"):
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
                self._error(row_src, "a table row needs a 'cells:' list", "write '- cells: [first, second]'")
                continue
            cells: list[m.Cell] = []
            for c_index, cell in enumerate(row["cells"]):
                cell_src = where(row["cells"], c_index)
                if isinstance(cell, (str, int, float)):
                    cell = {"text": str(cell)}
                if cell is None:
                    cell = {"text": ""}
                if not isinstance(cell, dict):
                    self._error(cell_src, "a table cell must be text or a mapping with 'text:'", "write '- text: …' with optional colspan/rowspan")
                    continue
                spans = []
                left = len(data["rows"]) - r_index  # rows from this one to the last
                for key in ("colspan", "rowspan"):
                    value = cell.get(key, 1)
                    if not isinstance(value, int) or value < 1:
                        self._error(cell_src, f"'{key}' must be a whole number of 1 or more", f"write '{key}: 2'")
                        value = 1
                    elif key == "rowspan" and value > left:
                        # a span past the last row cannot be laid out (and a huge one would never end)
                        self._error(cell_src, f"'rowspan: {value}' reaches past the last row ({left} row{'s' if left > 1 else ''} from here)",
                                    f"make it at most {left}, or add the missing rows")
                        value = left
                    elif key == "colspan" and value > MAX_COLUMNS:
                        self._error(cell_src, f"'colspan: {value}' is wider than any table can be ({MAX_COLUMNS} columns)",
                                    "give the number of columns the cell covers, e.g. 'colspan: 2'")
                        value = 1
                    spans.append(value)
                text = str(cell.get("text", "") if cell.get("text") is not None else "")
                sub = self._sub(cell_src.line - 1, self.depth + 1, (*self.inside, "cell"))
                cells.append(m.Cell(sub.read(text), spans[0], spans[1], str(cell.get("role", "")), str(cell.get("align", ""))))
            rows.append(m.Row(tuple(cells), str(row.get("role", ""))))
        columns = data.get("columns")
        _, occupied = m.place_cells(rows)
        if not occupied:
            self._error(src, "the table has no cells", "give each row its cells, e.g. '- cells: [first, second]'")
            return None
        if columns is None:
            columns = occupied
        elif not isinstance(columns, int) or columns != occupied:
            self._error(src, f"the table says columns: {columns} but its rows fill {occupied}", "check the colspan/rowspan of the cells")
            columns = occupied
        widths = data.get("widths") or ()
        if widths and (not isinstance(widths, list) or len(widths) != columns or not all(isinstance(w, (int, float)) and w > 0 for w in widths)):
            self._error(where(data, "widths"), f"'widths' must list {columns} positive numbers", "write e.g. 'widths: [1, 3]'")
            widths = ()
        header_rows = data.get("header_rows", 1)
        if not isinstance(header_rows, int) or not 0 <= header_rows <= len(rows):
            self._error(where(data, "header_rows"), "'header_rows' must be a whole number no larger than the number of rows", "write e.g. 'header_rows: 1'")
            header_rows = 0
        caption = self._long_caption(self._inline_markdown(str(data.get("caption", "") or ""), src), src)
        ident = str(data.get("id", "") or "")
        return m.Table(tuple(rows), columns, header_rows, tuple(float(w) for w in widths), caption, ident, "", str(data.get("style", "default")), src)

    def _long_caption(self, caption: tuple, src: m.Source) -> tuple:
        text = m.plain_text(caption)
        if len(text) > MAX_CAPTION:
            self._error(src, f"the caption is {len(text):,} characters long, more than the {MAX_CAPTION} a line of the list of figures or tables can hold",
                        "shorten it, and say the rest in the text")
        return caption

    # ------------------------------------------------------------------ inlines
    def _inline_markdown(self, text: str, src: m.Source) -> tuple[m.Inline, ...]:
        if not text.strip():
            return ()
        tokens = _MD.parseInline(text.strip())
        tree = SyntaxTreeNode(tokens)
        inline = tree.children[0] if tree.children else None
        # SyntaxTreeNode wraps the inline token; descend to its children
        while inline is not None and inline.type != "inline" and inline.children:
            inline = inline.children[0]
        return _trim(self._inlines(inline.children if inline is not None else [], src))

    def _inlines(self, nodes, src: m.Source, at: list[int] | None = None) -> tuple[m.Inline, ...]:
        # ``at`` follows the line breaks, so that a reference or a problem on
        # the third line of a paragraph is reported on that line
        at = at if at is not None else [src.line]

        def here() -> m.Source:
            return m.Source(src.file, at[0])

        out: list[m.Inline] = []
        for node in nodes:
            kind = node.type
            if kind == "text":
                if node.content:
                    out.append(m.Text(node.content))
            elif kind == "softbreak":
                out.append(m.Text(" "))
                at[0] += 1 if src.line else 0
            elif kind == "hardbreak":
                out.append(m.LineBreak())
                at[0] += 1 if src.line else 0
            elif kind == "strong":
                out.append(m.Strong(self._inlines(node.children, src, at)))
            elif kind == "em":
                out.append(m.Emph(self._inlines(node.children, src, at)))
            elif kind == "code_inline":
                out.append(m.Code(node.content))
            elif kind == "link":
                href = str(node.attrs.get("href", ""))
                start = here()
                children = self._inlines(node.children, src, at)
                if href.startswith("#"):
                    out.append(m.Ref(href[1:], children, "", start))
                elif _EXTERNAL.match(href):
                    out.append(m.Link(href, children))
                else:
                    self._error(start, f"the link target '{href}' is neither a web address nor '#id'", "write https://… for a web page or #id for a section, figure or table")
                    out.extend(children)
            elif kind == "image":
                self._error(here(), "an image must stand alone in its own paragraph to become a figure", "put a blank line before and after ![Caption](file)")
            elif kind == "template":
                out.extend(self._inline_expression(node.content, here()))
                at[0] += node.content.count("\n") if src.line else 0
            elif kind == "person_ref":
                out.extend(self._inline_expression(f'{{{{ person("{node.content}") }}}}', here()))
            elif kind == "template_bad":
                if node.content == "{%":
                    self._error(here(), "'{%' statements cannot be used in the text", "use an expression {{ … }}, e.g. {{ paper.title }}; to print '{%' literally write '\\{%'")
                else:
                    self._error(here(), "'{{' is not closed by '}}'", "close the expression with }}, e.g. {{ paper.title }}; to print '{{' literally write '\\{{'")
            elif kind == "html_inline" and _COMMENT.fullmatch(node.content):
                at[0] += node.content.count("\n") if src.line else 0
            elif kind in ("html_inline",):
                self._error(here(), f"raw HTML '{node.content}' is not supported", "use Markdown: **bold**, *italic*, [text](https://…)")
                at[0] += node.content.count("\n") if src.line else 0
            else:
                self._error(here(), f"unsupported inline Markdown '{kind}'", "see content/README.md")
        return _merge_text(out)


    def _plain(self, text: str, src: m.Source) -> str:
        """A plain-text attribute (a box title, alt text) with its {{ … }} expanded."""
        if "{{" not in text and "{%" not in text:
            return text
        return m.plain_text(self._inline_markdown(text, src))

    def _inline_expression(self, call: str, src: m.Source) -> tuple[m.Inline, ...]:
        """An expression inside a line: its text, read as inline Markdown."""
        if self.expand is None or self.depth > 3:
            self._error(src, "expressions ({{ … }}) cannot be used here", "move it into a section file")
            return ()
        text = self.expand(call.strip(), src)
        if text is None:
            return ()
        if "\n" in text.strip():
            self._error(src, f"'{call.strip()}' writes several lines (a list, a table or paragraphs), which cannot stand inside a line",
                        "put the call alone in its own paragraph, with an empty line before and after it")
            return ()
        if "{{" in text or "{%" in text:
            self._error(src, f"'{call.strip()}' writes another template expression", "data and macros must write text, not {{ … }}")
            return ()
        sub = self._sub(self.line_offset, self.depth + 1)
        return sub._inline_markdown(text, src) if text.strip() else ()


def _merge_text(nodes: list[m.Inline]) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _trim(nodes: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    nodes = list(nodes)
    if nodes and isinstance(nodes[0], m.Text):
        nodes[0] = m.Text(nodes[0].text.lstrip())
        if not nodes[0].text:
            nodes.pop(0)
    if nodes and isinstance(nodes[-1], m.Text):
        nodes[-1] = m.Text(nodes[-1].text.rstrip())
        if not nodes[-1].text:
            nodes.pop()
    return tuple(nodes)


def _width(text: str, reader: MarkdownReader, src: m.Source) -> float:
    if not text:
        return 1.0
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        value = -1
    if not 0 < value <= 1:
        reader._error(src, f"width '{text}' is not understood", "give a percentage of the text width, e.g. width=\"80%\"")
        return 1.0
    return value
