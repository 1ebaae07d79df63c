"""Block nodes as HTML: sections with numbered headings, paragraphs, lists,
data tables with captions and merged cells, figures and boxes.

Nothing is counted here: numbers, labels and ids come from the passes.
"""
from __future__ import annotations

import base64

from ... import model as m
from ...visit import Visitor
from ...context import Context
from ...figures.raster import raster_bytes
from .css import figure_class, role_class, table_class
from .inlines import Inlines, attr, text
from .readable import min_width_px
from .svg import inline_svg

ALIGN = {"left", "center", "right"}


class Blocks(Visitor):
    def __init__(self, doc: m.Document, theme, inlines: Inlines, fonts: str, context: Context):
        self.doc = doc
        self.context = context  # the build's files (pictures downsampled for the outputs among them)
        self.theme = theme
        self.md = inlines
        self.fonts = fonts
        self.labels = doc.meta.labels
        self._pictures = 0  # only to keep the ids inside inlined drawings apart
        self.figure_widths: list[int] = []  # the least widths figures keep (the stylesheet shows their scroll hint below them)
        self.asides: list[str] = []  # the kinds of note and warning the page holds (the stylesheet styles those)

    # -- sections
    def body(self, blocks) -> str:
        """The blocks, each heading opening a <section> that lasts until the
        next heading of the same or a higher level."""
        out: list[str] = []
        open_levels: list[int] = []
        for block in blocks:
            if isinstance(block, m.Heading):
                while open_levels and open_levels[-1] >= block.level:
                    open_levels.pop()
                    out.append("</section>")
                out.append("<section>")
                open_levels.append(block.level)
            out.append(self.block(block))
        out.extend("</section>" for _ in open_levels)
        return "\n".join(out)

    def visit_heading(self, block: m.Heading) -> str:
        number = ""
        if block.label:  # the number as the theme prints it, e.g. "{number}" and three no-break spaces
            label = block.label
            number = f'{text(label.before)}<span class="number">{text(label.number)}</span>{text(label.after)}'
        ident = f' id="{attr(block.id)}"' if block.id else ""
        words = Inlines(self.md.external, self.theme.typography.unbroken)(block.children)  # "Île-de-France" kept whole
        return f"<h{block.level}{ident}>{number}{words}</h{block.level}>"

    # -- blocks
    def blocks(self, blocks) -> str:
        return "\n".join(self.block(b) for b in blocks)

    def block(self, block) -> str:
        return self.visit(block)

    def visit_paragraph(self, block: m.Paragraph) -> str:
        return f"<p>{self.md(block.children)}</p>"

    def visit_bullet_list(self, block: m.BulletList) -> str:
        return "<ul>" + "".join(self.item(i) for i in block.items) + "</ul>"

    def visit_ordered_list(self, block: m.OrderedList) -> str:
        start = f' start="{block.start}"' if block.start != 1 else ""
        return f"<ol{start}>" + "".join(self.item(i) for i in block.items) + "</ol>"

    def item(self, blocks) -> str:
        if len(blocks) == 1 and isinstance(blocks[0], m.Paragraph):
            return f"<li>{self.md(blocks[0].children)}</li>"
        return f"<li>{self.blocks(blocks)}</li>"

    def caption(self, label: m.Label, caption) -> str:
        return text(label.text) + self.md(caption)

    # -- tables
    def visit_table(self, block: m.Table) -> str:
        placed, _ = m.place_cells(block.rows)
        by_row: dict[int, list[m.PlacedCell]] = {}
        for pc in placed:
            by_row.setdefault(pc.row, []).append(pc)
        head = sum(1 for row in block.rows if row.header)  # the realize stage's header rows, at the top
        caption_id = f"_caption-{block.id}" if block.id else ""  # "_": no content id starts so
        parts = []
        classes = table_class(block.style or "default")
        ident = f' id="{attr(block.id)}"' if block.id else ""
        parts.append(f'<table class="{attr(classes)}"{ident}>')
        if block.number:
            parts.append(f'<caption id="{attr(caption_id)}">{self.caption(block.label, block.caption)}</caption>')
        if block.widths and len(block.widths) == block.columns and sum(block.widths) > 0:
            total = sum(block.widths)
            parts.append("<colgroup>" + "".join(f'<col style="width: {100 * w / total:.2f}%">' for w in block.widths) + "</colgroup>")
        for section, rows in (("thead", range(0, head)), ("tbody", range(head, len(block.rows)))):
            if not rows:
                continue
            parts.append(f"<{section}>")
            for r in rows:
                row = block.rows[r]
                role = row.role  # realized: "header" for a header row naming none
                names = ([role_class("r-", role)] if role else []) + (["split"] if row.may_split else [])  # split: may run over a printed page's end
                cls = f' class="{" ".join(names)}"' if names else ""
                cells = "".join(self.cell(pc) for pc in by_row.get(r, []))
                parts.append(f"<tr{cls}>{cells}</tr>")
            parts.append(f"</{section}>")
        parts.append("</table>")
        table = "".join(parts)
        # a wide table scrolls inside its own box on a narrow screen; the box
        # can be scrolled with the keyboard and is named after the table
        name = f' aria-labelledby="{attr(caption_id)}"' if block.number else ""
        label = "" if block.number else f' aria-label="{attr(self.labels["table"])}"'
        return f'<div class="table-scroll" role="region" tabindex="0"{name}{label}>{table}</div>'

    def cell(self, pc: m.PlacedCell) -> str:
        cell = pc.cell
        classes = [c for c in (role_class("c-", cell.role) if cell.role else "", f"align-{cell.align}" if cell.align in ALIGN else "") if c]
        span = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
        content = self.cell_content(cell.blocks)
        if cell.heads == "column":
            tag, extra = "th", f' scope="{"colgroup" if cell.colspan > 1 else "col"}"'
        elif cell.heads == "row":
            tag, extra = "th", ' scope="rowgroup"' if cell.rowspan > 1 else ' scope="row"'
        else:
            tag, extra = "td", ""
        cls = f' class="{attr(" ".join(classes))}"' if classes else ""
        return f"<{tag}{extra}{span}{cls}>{content}</{tag}>"

    def cell_content(self, blocks) -> str:
        if len(blocks) == 1 and isinstance(blocks[0], m.Paragraph):
            return self.md(blocks[0].children)
        return self.blocks(blocks)

    # -- figures and pictures
    def visit_figure(self, block: m.Figure) -> str:
        ident = f' id="{attr(block.id)}"' if block.id else ""
        caption = f"<figcaption>{self.caption(block.label, block.caption)}</figcaption>"
        body = "\n".join(self.visit_image(b, block.description) if isinstance(b, m.Image) else self.block(b) for b in block.body)
        return f"<figure{ident}>{caption}\n{body}</figure>"

    def visit_image(self, image: m.Image, fallback: str = "") -> str:
        alt = image.description or fallback
        width = f"width: {max(0.05, min(image.width, 1.0)) * 100:.1f}%"
        self._pictures += 1
        if image.path.suffix.lower() == ".svg":
            data = self.context.read_bytes(image.path)
            least = min_width_px(data)
            if least is None:
                return inline_svg(data, f"_pic{self._pictures}-", alt, "picture", width, self.fonts, self.context.memory.inlined)
            # on a narrow window the figure keeps the width at which its text
            # can be read and scrolls in its own region, which the keyboard
            # can reach and which is named after the figure
            drawing = inline_svg(data, f"_pic{self._pictures}-", alt, "picture", f"{width}; min-width: {least}px", self.fonts,
                                 self.context.memory.inlined)
            self.figure_widths.append(least)
            return f'<div class="figure-scroll {figure_class(least)}" role="region" tabindex="0" aria-label="{attr(alt)}">{drawing}</div>'
        data, kind = raster_bytes(self.context, image.path)
        encoded = base64.b64encode(data).decode("ascii")
        return f'<img class="picture" style="{width}" src="data:image/{kind};base64,{encoded}" alt="{attr(alt)}">'

    # -- boxes
    def visit_quote(self, block: m.Quote) -> str:
        """A quotation: <blockquote>, and who said it in the <figure>'s caption
        (the HTML way to attribute a quotation)."""
        quoted = f"<blockquote>{self.blocks(block.blocks)}</blockquote>"
        if not block.attribution:
            return f'<figure class="quote">{quoted}</figure>'
        return f'<figure class="quote">{quoted}<figcaption>{text(block.mark)}{self.md(block.attribution)}</figcaption></figure>'

    def visit_admonition(self, block: m.Admonition) -> str:
        """A note or a warning: an aside in the role of a note, named by its label."""
        if block.kind not in self.asides:
            self.asides.append(block.kind)
        return (f'<aside class="admonition {attr(role_class("", block.kind))}" role="note" aria-label="{attr(block.label)}">'
                f'<p class="label">{text(block.label)}</p>{self.blocks(block.blocks)}</aside>')

    def visit_sidebar(self, block: m.Sidebar) -> str:
        label = f' aria-label="{attr(block.title)}"' if block.title else ""
        title = f'<p class="title">{text(block.title)}</p>' if block.title else ""
        kind = block.kind if block.kind and block.kind != "sidebar" else ""
        classes = attr(f"sidebar {kind}".strip())
        return f'<aside class="{classes}"{label}>{title}{self.blocks(block.blocks)}</aside>'
