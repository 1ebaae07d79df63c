"""Blocks as Word paragraphs: headings, paragraphs, lists, figures, captions
and sidebars.  Each block takes its Word style from where it stands (the
body, a table cell, a header cell, a sidebar); nothing is measured and no
paragraph carries spacing, indents or keep settings of its own."""
from __future__ import annotations

from docx.oxml.ns import qn
from lxml import etree

from ... import model as m
from ...visit import Visitor, plain_text
from ...figures.drawing import fit, image_size_pt
from ...figures.raster import raster_bytes
from .inlines import inlines
from .places import BODY, QUOTE, SIDEBAR, Ctx, separated
from .styles import LIST_STYLES
from .tables import table
from .wml import bookmark_end, bookmark_start, el, field, keep_names_whole, text_run

PICTURE_DPI = 300


def write_blocks(state, blocks, ctx: Ctx) -> None:
    """Write blocks into the body; a Table End paragraph below each table
    gives the space the house style keeps under tables."""
    for node in block_elements(state, blocks, ctx):
        state.append(node)
        if node.tag == qn("w:tbl"):
            state.append(state.para("Table End"))


def block_elements(state, blocks, ctx: Ctx) -> list:
    out: list = []
    for block in blocks:
        out.extend(block_element(state, block, ctx))
    return out


def cell_blocks(state, blocks, ctx: Ctx) -> list:
    """The contents of a table cell (handed to the table writer)."""
    return separated(state, block_elements(state, blocks, ctx))


def block_element(state, block, ctx: Ctx) -> list:
    return BLOCKS.visit(block, state, ctx)


class Blocks(Visitor):
    """``visit_<kind>(block, state, ctx)``: a block's Word elements."""

    def visit_heading(self, block, state, ctx: Ctx) -> list:
        return [heading(state, block)]

    def visit_paragraph(self, block, state, ctx: Ctx) -> list:
        return [state.para(ctx.para, inlines(state, block.children, ctx.bold), align=ctx.align)]

    def visit_bullet_list(self, block, state, ctx: Ctx) -> list:
        return list_items(state, block, ctx, 0)

    visit_ordered_list = visit_bullet_list

    def visit_table(self, block, state, ctx: Ctx) -> list:
        out = [caption(state, "table", block.label, block.id, block.caption)] if block.label else []
        return out + [table(state, block, cell_blocks)]

    def visit_figure(self, block, state, ctx: Ctx) -> list:
        return figure(state, block)

    def visit_image(self, block, state, ctx: Ctx) -> list:
        return [image(state, block, block.description)]

    def visit_quote(self, block, state, ctx: Ctx) -> list:
        return quote(state, block)

    def visit_sidebar(self, block, state, ctx: Ctx) -> list:
        return sidebar(state, block)

    def visit_admonition(self, block, state, ctx: Ctx) -> list:
        """A note or a warning: its label, then its paragraphs, in the kind's styles ("Note Label", "Note")."""
        name = block.kind.title()
        return [state.para(name + " Label", [text_run(block.label)]), *block_elements(state, block.blocks, Ctx(name, "box"))]


BLOCKS = Blocks()


def heading(state, h: m.Heading):
    """A heading in Heading 1-3; Word prints its number from the outline list.
    Both bookmarks span the heading's text: the contents link to ``toc``,
    cross-references take the number of the paragraph ``ref`` stands in."""
    level = min(max(h.level, 1), 3)
    anchor = state.anchors.get(h.id)
    runs = inlines(state, h.children)
    if anchor is not None:
        runs = [bookmark_start(anchor.toc_id, anchor.toc), bookmark_start(anchor.ref_id, anchor.ref), *runs,
                bookmark_end(anchor.ref_id), bookmark_end(anchor.toc_id)]
    p = keep_names_whole(state.para(f"Heading {level}", runs), state.looks.theme.typography.unbroken)
    if not h.numbered:
        # out of the outline list: not numbered, and not counted
        p.find(qn("w:pPr")).append(el("w:numPr", None, el("w:ilvl", {"w:val": 0}), el("w:numId", {"w:val": 0})))
    return p


def caption(state, kind: str, label: m.Label, ident: str, children):
    """"Figure {SEQ Figure}: title" (the caption's label), with ``ref``
    around "Figure 1" and ``toc`` around the whole caption."""
    anchor = state.anchors.get(ident)
    runs = [text_run(label.before), *field(f"SEQ {state.seq_name(kind)} \\* ARABIC", label.number)]
    if anchor is not None:
        runs = [bookmark_start(anchor.ref_id, anchor.ref), *runs, bookmark_end(anchor.ref_id)]
    runs += [text_run(label.after), *inlines(state, children)]
    if anchor is not None:
        runs = [bookmark_start(anchor.toc_id, anchor.toc), *runs, bookmark_end(anchor.toc_id)]
    return state.para("Caption", runs)


def list_items(state, block, ctx: Ctx, depth: int) -> list:
    """List items: in the body the List Bullet / List Number styles, in cells
    and boxes the place's style with the place's numbering; a numbered list
    counts from its own start."""
    ordered = isinstance(block, m.OrderedList)
    if ordered:
        num_id = state.lists.numbers(ctx.place, block.start)
    else:
        num_id = state.lists.bullets(ctx.place)
    body = ctx.place == "body"
    style = ("List Number" if ordered else "List Bullet") if body else ctx.para
    follow = "List Paragraph" if body else ctx.para
    out: list = []
    for item in block.items:
        first = True
        for sub in item:
            if isinstance(sub, m.Paragraph):
                runs = inlines(state, sub.children, ctx.bold)
                if first:
                    p = state.para(style, runs, align=ctx.align)
                    if not body or ordered or depth:
                        _number(p, depth, num_id)
                else:
                    p = state.para(follow, runs, align=ctx.align)
                out.append(p)
            elif isinstance(sub, (m.BulletList, m.OrderedList)):
                out += list_items(state, sub, ctx, depth + 1)
            else:
                out += block_element(state, sub, ctx)
            first = False
    if body and depth == 0:
        _last_with_paragraph_space(state, out)
    return out


def _last_with_paragraph_space(state, out: list) -> None:
    """A body list's last paragraph in its "… Last" style, so that the text
    after the list stands a paragraph's space below it, as in the PDF."""
    if not out or etree.QName(out[-1]).localname != "p":
        return
    style = out[-1].find(qn("w:pPr") + "/" + qn("w:pStyle"))
    names = {state.sid(name): name for name in LIST_STYLES}
    if style is not None and style.get(qn("w:val")) in names:
        style.set(qn("w:val"), state.sid(names[style.get(qn("w:val"))] + " Last"))


def _number(p, depth: int, num_id: int) -> None:
    ppr = p.find(qn("w:pPr"))
    num = el("w:numPr", None, el("w:ilvl", {"w:val": min(depth, 8)}), el("w:numId", {"w:val": num_id}))
    style = ppr.find(qn("w:pStyle"))
    (style.addnext(num) if style is not None else ppr.insert(0, num))


def figure(state, fig: m.Figure) -> list:
    """The caption above the figure (kept with it by the Caption style), then
    its picture or its table."""
    out = [caption(state, "figure", fig.label, fig.id, fig.caption)] if fig.label else []
    for block in fig.body:
        if isinstance(block, m.Image):
            out.append(image(state, block, block.description or fig.description))
        elif isinstance(block, m.Table):
            out.append(table(state, block, cell_blocks, description=fig.description or plain_text(fig.caption)))
        else:
            out += block_element(state, block, BODY)
    return out


def image(state, img: m.Image, description: str):
    """A picture alone in a Figure paragraph, at print resolution, with its alt text."""
    w_pt, h_pt = image_size_pt(state.context, img.path)
    page = state.looks.theme.page
    width, height = fit((w_pt, h_pt), min(page.text_width * (img.width or 1.0), page.text_width), page.text_height)
    data, _kind = raster_bytes(state.context, img.path, PICTURE_DPI, width)
    return state.para("Figure", [state.picture(data, width, height, img.path.name, description)])


def quote(state, q: m.Quote) -> list:
    """A quotation: its paragraphs in the Quote style, then "— who said it"
    in Quote Attribution (lists inside keep the box's styles)."""
    out = block_elements(state, q.blocks, QUOTE)
    if q.attribution:
        out.append(state.para("Quote Attribution", [text_run(q.mark)] + inlines(state, q.attribution)))
    return out


def sidebar(state, box: m.Sidebar) -> list:
    """A box beside the text: paragraphs in the Sidebar styles, whose borders
    and shading join them into one shaded box with a rule at its left."""
    out = [state.para("Sidebar Title", [text_run(box.title)])] if box.title else []
    out += block_elements(state, box.blocks, SIDEBAR)
    return out
