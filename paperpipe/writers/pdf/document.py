"""The PDF writer: renders a numbered Document with reportlab in one layout pass.

It counts nothing and decides no look: section, figure and table numbers,
cross-reference labels and the contents come from the passes; every size,
colour, gap and keep rule from the theme. Page numbers for the contents are
drawn into forms filled in at the end (see ``flowables.ContentsLine``).
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Image as RLImage,
    KeepTogether,
    ListItem,
    NextPageTemplate,
    PageBreak,
    Spacer,
)

from ... import model as m
from ...visit import Visitor, all_inlines, plain_text, walk
from ...links import is_web_link
from ...context import Context
from ...figures.drawing import fit, image_size_pt, svg_drawing
from ...realize import realized
from ...theme import Theme
from .. import Layout
from .floats import Barrier, Float
from .flowables import Anchored, Box, ContentsLine, Kept, KeepWithHeading, PageBook, ScaledDrawing
from .pages import PaperCanvas, PaperTemplate, cover_tags
from .pdfua import finish
from .styles import Styles
from .tables import table_flowables
from .tags import Marker, TagTree, TaggedList, mark
from .words import MARK, Paragraph


# ----------------------------------------------------------------------------- inline markup
def text(value: str) -> str:
    """Any string as the text of reportlab Paragraph markup: nothing in it is
    read as a tag or an entity (a theme's or an editor's ``<img>``, ``<a>``,
    ``<font>`` is printed as it stands)."""
    return escape(value, {'"': "&quot;"})


class Markup(Visitor):
    """Inline nodes as reportlab Paragraph markup; all text is escaped, and
    only web and mail addresses become links (reportlab would make a
    ``pdf:`` address a GoToR action)."""

    def __init__(self, link_colour: str, underline: bool = True):
        self.link_colour, self.underline = link_colour, underline

    def __call__(self, inlines) -> str:
        return "".join(self.visit(node) for node in inlines)

    def visit_text(self, node) -> str:
        return escape(node.text)

    visit_code = visit_text

    def visit_strong(self, node) -> str:
        return f"<b>{self(node.children)}</b>"

    def visit_emph(self, node) -> str:
        return f"<i>{self(node.children)}</i>"

    def visit_line_break(self, node) -> str:
        return "<br/>"

    def visit_word_break(self, node) -> str:
        return MARK  # a break only where a word does not fit (words.Paragraph)

    def visit_link(self, node) -> str:
        shown = self(node.children)
        if not is_web_link(node.url):
            return shown
        shown = f"<u>{shown}</u>" if self.underline else shown
        return f'<a href="{text(node.url)}" color="{self.link_colour}">{shown}</a>'

    def visit_ref(self, node) -> str:
        shown = self(node.children) if node.children else text(node.label)
        return f'<a href="#{text(node.target)}">{shown}</a>'


# ----------------------------------------------------------------------------- blocks
class Renderer(Visitor):
    """The document's blocks as reportlab flowables: ``visit_<kind>(block,
    context)`` for each kind of block."""

    def __init__(self, doc: m.Document, theme: Theme, styles: Styles, book: PageBook, context: Context):
        self.doc = doc
        self.context = context  # the build's figures and files
        self.theme = theme
        self.s = styles
        self.book = book
        self.tags = TagTree()
        self.md = Markup(theme.links.colour, theme.links.underline)

    # -- front matter
    def front_matter(self) -> list:
        labels, contents = self.doc.meta.labels, self.theme.contents
        story: list = []
        sections = [
            (labels["contents"], self.doc.contents, ""),
            (labels["figures"], self.doc.figures, "figure"),
            (labels["tables"], self.doc.tables, "table"),
        ]
        tags = self.tags
        # a line the page cannot hold (a word too wide) is reported at the heading or caption it lists, not at paper.yaml
        made_at = {b.id: b.source for b in walk(self.doc.blocks) if isinstance(b, (m.Heading, m.Figure, m.Table)) and b.id}
        for title, entries, kind in sections:
            if not entries:
                continue
            story.append(mark(Paragraph(text(title), self.s["list_title"]), tags.heading(1)))
            with tags.group("TOC"):
                for e in entries:
                    if not kind:  # the contents
                        style, number_width = self.s[self.theme.contents_line(e.level).name], contents.number_width(e.level)
                        number = e.label.bare if e.label else ""
                        line = ContentsLine(number, text(e.title), e.id, style, number_width, contents, contents.indent(e.level))
                    else:  # as the caption reads
                        line = ContentsLine("", text(e.text), e.id, self.s["list_entry"], 0, contents)
                    line.source = line.para.source = made_at.get(e.id)  # the title's paragraph is what finds a word too wide
                    with tags.group("TOCI"):
                        story.append(mark(line, tags.leaf("Link")))
            story.append(Spacer(1, contents.after))
        tags.end_sections()
        story.append(PageBreak())
        return story

    # -- body
    def blocks(self, blocks, context: str = "body") -> list:
        out: list = []
        headings: list[int] = []  # where the headings just laid out stand in out
        for block in blocks:
            flows = self.block(block, context)
            if getattr(block, "placement", "") == m.NEXT_PAGE_TOP and context == "body" and flows:
                flows = [Float(flows)]  # placed by the template (floats.py)
            elif context == "body" and any(isinstance(b, (m.Figure, m.Table)) and b.number for b in walk((block,))):
                for flow in flows:  # a figure or table pinned where it is written, or in a list or box:
                    flow.pinned = True  # the floats held before it are placed before it (floats.py)
            for flow in flows:
                _at(flow, block.source)  # a layout failure is reported at the block's line
            if isinstance(block, m.Heading):
                headings.append(len(out) + len(flows) - 1)
            elif headings and flows:
                keep = self.keep_with_headings([out[i] for i in headings], flows)
                if keep is not None:
                    keep.source = block.source
                    out.insert(headings[0], keep)
                headings = []
            out.extend(flows)
        return out

    def keep_with_headings(self, headings: list, flows: list):
        """What keeps headings with the start of the block after them where
        reportlab's keepWithNext does not (lists, boxes, figures, tables)."""
        flows = [f for flow in flows for f in (flow.content if isinstance(flow, Float) else (flow,))]
        start = 0.0
        for at, flow in enumerate(flows):
            if isinstance(flow, CondPageBreak):  # a captioned table's: its caption and first rows,
                caption = flows[at + 1]
                whole = (caption, flows[at + 2]) if caption.getKeepWithNext() else ()  # or a short table, whole
                return KeepWithHeading(headings, start, whole=whole, least=flow.height)
            if isinstance(flow, Spacer):
                start += flow.height
                continue
            if isinstance(flow, Paragraph):
                # its first lines only: reportlab's keepWithNext would move the whole paragraph with the
                # headings, leaving the rest of the page empty (a chain kept short)
                for heading in headings:
                    heading.keepWithNext = False
                lines = flow.style.leading * 2 + flow.style.spaceBefore
                return KeepWithHeading(headings, start + lines)
            if isinstance(flow, KeepTogether):
                return KeepWithHeading(headings, start, whole=(flow,))
            item = self.s["list_item"]  # a list, a table, a box: its first lines
            return KeepWithHeading(headings, start + item.leading * 2 + item.spaceBefore)
        return None

    def block(self, block: m.Block, context: str) -> list:
        """``context``: the text style of the paragraphs around (body, a table cell's, a box's)."""
        return self.visit(block, context)

    def visit_heading(self, block: m.Heading, context: str) -> list:
        title = plain_text(block.children)
        shown = (text(block.label.text) if block.label else "") + self.md(block.children)
        outline_title = f"{block.number} {title}" if block.number else title
        style = self.s[self.theme.heading(block.level).name]
        flow = [mark(Anchored(shown, style, block.id, self.book, outline_title, block.level - 1), self.tags.heading(block.level))]
        if block.level == 1 and self.theme.headings.new_page_below:
            flow.insert(0, CondPageBreak(self.theme.page.height * self.theme.headings.new_page_below))
        if block.level == 1:
            flow.insert(0, Barrier())  # no figure or table floats past a level-1 heading
        return flow

    def visit_paragraph(self, block: m.Paragraph, context: str) -> list:
        return [mark(Paragraph(self.md(block.children), self.s[context]), self.tags.leaf("P"))]

    def visit_bullet_list(self, block, context: str) -> list:
        if context != "body":
            return [self.list_flowable(block, context)]
        # a list in the text ends as a paragraph does (its last item's space counts)
        return [self.list_flowable(block, context), Spacer(1, max(0.0, self.s["body"].spaceAfter - self.s["list_item"].spaceAfter))]

    visit_ordered_list = visit_bullet_list

    def visit_table(self, block: m.Table, context: str) -> list:
        with self.tags.group("Table"):
            return table_flowables(self, block, context)

    def visit_image(self, block: m.Image, context: str) -> list:
        return [mark(self.image(block, self.theme.page.text_width), self.tags.leaf("Figure", alt=block.description))]

    def list_flowable(self, block, context: str, level: int = 0):
        """A list at ``level`` (0 in the text, 1 inside an item ...): its
        bullets are the theme's for that level. A list inside an item ends
        with an item's space, so that the next item of the outer list stands
        as far below it as items stand apart at every level (a ListFlowable in
        a ListItem otherwise loses its last item's space after)."""
        lists = self.theme.lists
        if context == "body":
            style = item_style = self.s["list_item"]
        else:
            style = self.s[context]
            item_style = ParagraphStyle(style.name + "-item", parent=style, spaceAfter=lists.inner_item_after)
        items, labels = [], []
        with self.tags.group("L"):
            for item in block.items:
                flows = []
                with self.tags.group("LI"):
                    labels.append(self.tags.leaf("Lbl"))
                    with self.tags.group("LBody"):
                        for b in item:
                            if isinstance(b, m.Paragraph):
                                flows.append(mark(Paragraph(self.md(b.children), item_style), self.tags.leaf("P")))
                            elif isinstance(b, (m.BulletList, m.OrderedList)):
                                flows.append(self.list_flowable(b, context, level + 1))
                            else:
                                flows.extend(self.block(b, context))
                        if not flows:  # an empty item ('* *': one holding an empty list) is a bullet on an empty line, as
                            # in the DOCX and the page: reportlab's list of nothing failed (IndexError, an internal error)
                            flows.append(mark(Paragraph("", item_style), self.tags.leaf("P")))
                for flow in flows:
                    if isinstance(flow, Kept):
                        flow.in_list = True
                items.append(ListItem(flows))
        indent = lists.indent if context == "body" else lists.inner_indent
        if isinstance(block, m.OrderedList):
            widest = lists.number(block.start + len(block.items) - 1)
            indent = max(indent, stringWidth(widest, style.fontName, style.fontSize) + style.fontSize * lists.number_gap)
        common = dict(leftIndent=indent, bulletFontName=style.fontName, bulletFontSize=style.fontSize, bulletColor=HexColor(lists.bullet_colour))
        if level:
            common["spaceAfter"] = item_style.spaceAfter
        if isinstance(block, m.OrderedList):
            number_format = "%s".join(part.replace("%", "%%") for part in lists.around())  # reportlab's own format
            return TaggedList(items, labels, bulletType="1", start=str(block.start), bulletFormat=number_format, bulletDedent=indent, **common)
        return TaggedList(items, labels, bulletType="bullet", start=lists.bullet(level), bulletDedent=indent * lists.bullet_dedent, **common)

    def caption(self, label: m.Label, caption, anchor: str, keep: bool = True) -> Anchored:
        prefix = label.text
        style = self.s[self.theme.captions.style] if keep else self.s.caption_loose
        return mark(Anchored(text(prefix) + self.md(caption), style, anchor, self.book), self.tags.leaf("Caption"))

    def image(self, image: m.Image, avail: float):
        width, height = fit(image_size_pt(self.context, image.path), avail * image.width, self.theme.page.text_height)
        if image.path.suffix.lower() == ".svg":
            return ScaledDrawing(svg_drawing(self.context, image.path), width, self.s.fonts["regular"])
        flow = RLImage(io.BytesIO(self.context.read_bytes(image.path)), width=width, height=height)
        flow.hAlign = "CENTER"
        return flow

    def visit_figure(self, block: m.Figure, context: str) -> list:
        gaps = self.theme.figures
        # the caption beside the Figure (whose alt text replaces its content), grouped
        with self.tags.group("Div") as div:
            parts: list = [self.caption(block.label, block.caption, block.id)]
            body = []
            for b in block.body:
                body.extend(self.block(b, "body"))
        # a panel of text is read as it is; its alt text becomes the table's summary
        if block.description and block.description != plain_text(block.caption):
            for el in div.kids:
                if getattr(el, "role", "") == "Table":
                    el.attrs["Summary"] = block.description
        if any(isinstance(b, m.Table) for b in block.body):
            # a panel figure may run over a page: keep the caption with its start
            return [Spacer(1, gaps.before), Kept(parts + body[:1])] + body[1:] + [Spacer(1, gaps.after)]
        return [Spacer(1, gaps.before), Kept(parts + body), Spacer(1, gaps.after)]

    def visit_quote(self, block: m.Quote, context: str) -> list:
        """A quotation: its words in italics beside an accent rule (the
        sidebar's, on the page's own white), then "— who said it"."""
        look = self.theme.sidebars
        style = self.s["sidebar"]
        content: list = []
        with self.tags.group("BlockQuote"):
            for b in block.blocks:
                if isinstance(b, m.Paragraph):
                    words = (m.Emph(b.children),) if self.theme.quotes.italic else b.children
                    content.append(mark(Paragraph(self.md(words), style), self.tags.leaf("P")))
                else:
                    content.extend(self.block(b, "sidebar"))
            if block.attribution:
                content.append(mark(Paragraph(text(block.mark) + self.md(block.attribution), style), self.tags.leaf("P")))
        box = Box(content, self.theme.quotes.fill, look.rule_colour, look.padding, look.rule_width)
        if context != "body":
            # in a box or a table cell what holds it decides where it breaks: a KeepTogether measures
            # itself taller than any page (to be split), which sent the box holding it to a new page
            # and made a table cell holding it impossible to lay out
            return [box, Spacer(1, look.after)] if context == "sidebar" else [box]
        return [KeepTogether([box, Spacer(1, look.after)]) if len(content) < look.keep_whole_below else box]

    def visit_admonition(self, block: m.Admonition, context: str) -> list:
        """A note or a warning: an Aside whose label (Lbl) is read first, in
        the sidebar's box with the kind's fill and rule."""
        look, box = self.theme.admonitions[block.kind], self.theme.sidebars
        content: list = []
        with self.tags.group("Aside"):
            content.append(mark(Paragraph(text(block.label), self.s[look.label_style]), self.tags.leaf("Lbl")))
            content.extend(self.blocks(block.blocks, "sidebar"))
        flow = Box(content, look.fill, look.rule_colour, box.padding, box.rule_width)
        return [KeepTogether([flow, Spacer(1, box.after)]) if len(content) < box.keep_whole_below else flow]

    def visit_sidebar(self, block: m.Sidebar, context: str) -> list:
        look = self.theme.sidebars
        content: list = []
        with self.tags.group("Aside"):
            if block.title:
                content.append(mark(Paragraph(text(block.title), self.s["sidebar_title"]), self.tags.leaf("P")))
            content.extend(self.blocks(block.blocks, "sidebar"))
        box = Box(content, look.fill, look.rule_colour, look.padding, look.rule_width)
        return [KeepTogether([box, Spacer(1, look.after)]) if len(content) < look.keep_whole_below else box]


# ----------------------------------------------------------------------------- entry point
def anchors_of(doc: m.Document) -> list[str]:
    return [e.id for e in doc.contents + doc.figures + doc.tables]


def link_names(doc: m.Document) -> dict[str, str]:
    """What each link says, for its annotation's description: a target's
    label and title, a web address's link text and address."""
    names = {t.id: f"{t.label}: {t.title}" if t.title else t.label for t in doc.targets.values()}

    for n in all_inlines(doc.blocks):
        if isinstance(n, m.Link):
            text = plain_text(n.children).strip()
            names.setdefault(n.url, f"{text} ({n.url})" if text and text != n.url else n.url)
    return names


def render_pdf(doc: m.Document, theme: Theme, epoch: float, context: Context | None = None) -> tuple[bytes, Layout]:
    """Lay out and render the document; ``epoch`` is the creation time written
    into the file (from the content's date or SOURCE_DATE_EPOCH); figures
    and their files come through the build's ``context`` (a new one for the
    document's and theme's folders when none is given)."""
    context = context if context is not None else Context(doc.root, theme.folder)
    doc = realized(doc, theme)
    styles = Styles(theme, doc.hyphenation)
    book = PageBook(first_numbered=theme.header.first_numbered_page)
    buffer = io.BytesIO()
    template = PaperTemplate(buffer, doc, theme, styles, book, context)
    renderer = Renderer(doc, theme, styles, book, context)
    template.cover_tags = cover_tags(renderer.tags, doc, theme)
    story: list = [NextPageTemplate("body"), PageBreak()]
    story += renderer.front_matter()
    story += renderer.blocks(doc.blocks)
    story.append(Barrier())  # nor past the end
    canvas_class = type("PaperCanvasOfBuild", (PaperCanvas,), {
        "book": book,
        "anchors": anchors_of(doc),
        "number_style": styles[theme.contents.page_number_style],
        "epoch": epoch,
        "initial_font": styles.fonts["regular"],
        "marker": Marker(),
        "link_names": link_names(doc),
    })
    template.build(story, canvasmaker=canvas_class)
    if template.misfits:  # a cover or header line of paper.yaml that the page cannot hold
        raise template.misfits[0]
    meta = doc.meta
    data = finish(buffer.getvalue(), renderer.tags.root, title=meta.title, language=meta.language, author=meta.author,
                  subject=meta.subject, epoch=epoch, first_numbered=book.first_numbered, cover_label=meta.labels.get("cover", "Cover"))
    return data, Layout.of(book.pages, template.page)


def _at(flow, source) -> None:
    """``flow`` and the flowables it holds (a group kept together, a float)
    made at ``source``: a part laid out apart from its group (a table split
    from the heading it was kept with) is still reported at its own line."""
    flow.source = source
    for inner in getattr(flow, "_content", None) or getattr(flow, "content", None) or ():
        if getattr(inner, "source", None) is None:
            _at(inner, source)
