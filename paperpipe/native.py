"""A stable, readable text form of the document model (like pandoc's
``-t native``), used by the golden tests of the readers and passes."""
from __future__ import annotations

from .visit import Visitor


class _Inlines(Visitor):
    def __call__(self, nodes) -> str:
        return "".join(self.visit(n) for n in nodes)

    def visit_text(self, n) -> str:
        return n.text

    def visit_strong(self, n) -> str:
        return f"**{self(n.children)}**"

    def visit_emph(self, n) -> str:
        return f"*{self(n.children)}*"

    def visit_code(self, n) -> str:
        return f"`{n.text}`"

    def visit_line_break(self, n) -> str:
        return "\\n"

    def visit_word_break(self, n) -> str:
        return "<wbr>"

    def visit_link(self, n) -> str:
        return f"[{self(n.children)}]<{n.url}>"

    def visit_ref(self, n) -> str:
        return f"[{self(n.children)}|#{n.target}={n.label}]"


inline_text = _Inlines()


class _Blocks(Visitor):
    """Each block as its lines, ``pad`` before each."""

    def __call__(self, blocks, indent: int) -> list[str]:
        return [line for b in blocks for line in self.visit(b, "  " * indent, indent)]

    def visit_heading(self, b, pad, indent):
        num = f" {b.number}" if b.number else ("" if b.numbered else " (unnumbered)")
        return [f"{pad}Heading{b.level}{num} #{b.id} {inline_text(b.children)}"]

    def visit_paragraph(self, b, pad, indent):
        return [f"{pad}Para {inline_text(b.children)}"]

    def _items(self, b, pad, indent):
        return [line for item in b.items for line in [f"{pad}  - item", *self(item, indent + 2)]]

    def visit_bullet_list(self, b, pad, indent):
        return [f"{pad}Bullets", *self._items(b, pad, indent)]

    def visit_ordered_list(self, b, pad, indent):
        return [f"{pad}Ordered start={b.start}", *self._items(b, pad, indent)]

    def visit_table(self, b, pad, indent):
        cap = f" {b.number}: {inline_text(b.caption)}" if b.caption else ""
        lines = [f"{pad}Table #{b.id}{cap} cols={b.columns} header={b.header_rows} style={b.style}"]
        for r, row in enumerate(b.rows):
            lines.append(f"{pad}  Row {r}{' ' + row.role if row.role else ''}")
            for cell in row.cells:
                span = f" span={cell.colspan}x{cell.rowspan}" if (cell.colspan, cell.rowspan) != (1, 1) else ""
                align = f" align={cell.align}" if cell.align else ""
                lines.append(f"{pad}    Cell{span}{align}")
                lines += self(cell.blocks, indent + 3)
        return lines

    def visit_figure(self, b, pad, indent):
        return [f"{pad}Figure {b.number} #{b.id}: {inline_text(b.caption)}", *self(b.body, indent + 1)]

    def visit_image(self, b, pad, indent):
        return [f"{pad}Image {b.path.name} width={b.width:g} alt={b.description!r}"]

    def visit_sidebar(self, b, pad, indent):
        return [f"{pad}Sidebar {b.title!r}", *self(b.blocks, indent + 1)]

    def visit_quote(self, b, pad, indent):
        said = f"{pad}  Attribution {inline_text(b.attribution)}" if b.attribution else ""
        return [f"{pad}Quote", *self(b.blocks, indent + 1), said]

    def visit_admonition(self, b, pad, indent):
        return [f"{pad}Admonition {b.kind}{' ' + repr(b.title) if b.title else ''}", *self(b.blocks, indent + 1)]


def dump(blocks, indent: int = 0) -> str:
    return "\n".join(line for line in _Blocks()(blocks, indent) if line)
