"""A stable, readable text form of the document model (like pandoc's
``-t native``), used by the golden tests of the readers and passes."""
from __future__ import annotations

from . import model as m


def inline_text(nodes) -> str:
    out = []
    for n in nodes:
        if isinstance(n, m.Text):
            out.append(n.text)
        elif isinstance(n, m.Strong):
            out.append(f"**{inline_text(n.children)}**")
        elif isinstance(n, m.Emph):
            out.append(f"*{inline_text(n.children)}*")
        elif isinstance(n, m.Code):
            out.append(f"`{n.text}`")
        elif isinstance(n, m.LineBreak):
            out.append("\\n")
        elif isinstance(n, m.Link):
            out.append(f"[{inline_text(n.children)}]<{n.url}>")
        elif isinstance(n, m.Ref):
            out.append(f"[{inline_text(n.children)}|#{n.target}={n.label}]")
    return "".join(out)


def dump(blocks, indent: int = 0) -> str:
    pad = "  " * indent
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, m.Heading):
            num = f" {b.number}" if b.number else ("" if b.numbered else " (unnumbered)")
            lines.append(f"{pad}Heading{b.level}{num} #{b.id} {inline_text(b.children)}")
        elif isinstance(b, m.Paragraph):
            lines.append(f"{pad}Para {inline_text(b.children)}")
        elif isinstance(b, (m.BulletList, m.OrderedList)):
            kind = "Bullets" if isinstance(b, m.BulletList) else f"Ordered start={b.start}"
            lines.append(f"{pad}{kind}")
            for item in b.items:
                lines.append(f"{pad}  - item")
                lines.append(dump(item, indent + 2))
        elif isinstance(b, m.Table):
            cap = f" {b.number}: {inline_text(b.caption)}" if b.caption else ""
            lines.append(f"{pad}Table #{b.id}{cap} cols={b.columns} header={b.header_rows} style={b.style}")
            for r, row in enumerate(b.rows):
                lines.append(f"{pad}  Row {r}{' ' + row.role if row.role else ''}")
                for cell in row.cells:
                    span = f" span={cell.colspan}x{cell.rowspan}" if (cell.colspan, cell.rowspan) != (1, 1) else ""
                    align = f" align={cell.align}" if cell.align else ""
                    lines.append(f"{pad}    Cell{span}{align}")
                    lines.append(dump(cell.blocks, indent + 3))
        elif isinstance(b, m.Figure):
            lines.append(f"{pad}Figure {b.number} #{b.id}: {inline_text(b.caption)}")
            lines.append(dump(b.body, indent + 1))
        elif isinstance(b, m.Image):
            lines.append(f"{pad}Image {b.path.name} width={b.width:g} alt={b.description!r}")
        elif isinstance(b, m.Sidebar):
            lines.append(f"{pad}Sidebar {b.title!r}")
            lines.append(dump(b.blocks, indent + 1))
    return "\n".join(line for line in lines if line)
