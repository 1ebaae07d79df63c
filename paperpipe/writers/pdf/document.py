"""The PDF writer: renders a numbered Document with reportlab in one layout pass.

It counts nothing: section, figure and table numbers, cross-reference labels
and the contents come from the passes.  Page numbers for the contents are
drawn into forms filled in at the end (see ``flowables.ContentsLine``).
"""
from __future__ import annotations

import io
import time
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image as RLImage,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table as RLTable,
    TableStyle,
)

from ... import emblem
from ... import model as m
from ...fonts import register_fonts
from ...images import image_size_pt, svg_drawing
from ...metrics import metrics
from ...style import Style
from .flowables import Anchored, Box, ContentsLine, PageBook, ScaledDrawing, page_form_name
from .pdfua import finish
from .tags import ARTIFACT, Marker, TagTree, TaggedList, mark, tag_of

ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


@dataclass
class PdfResult:
    data: bytes
    pages: dict[str, int]  # anchor id -> printed page number
    page_count: int


# ----------------------------------------------------------------------------- styles
class Styles:
    """reportlab paragraph styles derived from templates/style.yaml."""

    def __init__(self, style: Style):
        self.style = style
        f = register_fonts(style)
        self.fonts = f
        c = {k: HexColor(v) for k, v in style.colours.items()}
        self.c = c
        sz = {k: style.pt("sizes", k) for k in style.sizes}
        sp = {k: float(style.pt("spacing", k)) for k in style.spacing}
        self.sp = sp
        self.m = M = metrics(style)
        fam = style.fonts["family"]
        base = dict(fontName=fam, textColor=c["text"], allowWidows=0, allowOrphans=0)
        self.body = ParagraphStyle("body", fontSize=sz["body"], leading=sz["leading"], spaceAfter=sp["paragraph_after"], **base)
        self.list_item = ParagraphStyle("list", parent=self.body, spaceAfter=sp["list_item_after"])
        heading_colours = {1: c["primary"], 2: c["secondary"], 3: c["primary"]}
        self.headings = {}
        for level in (1, 2, 3):
            size = sz[f"h{level}"]
            self.headings[level] = ParagraphStyle(
                f"h{level}", fontName=f["bold"], fontSize=size, leading=M["heading"][level][0], textColor=heading_colours[level],
                spaceBefore=sp[f"heading{level}_before"], spaceAfter=sp[f"heading{level}_after"], keepWithNext=1,
                allowWidows=0, allowOrphans=0,
            )
        self.caption = ParagraphStyle("caption", fontName=f["bold"], fontSize=sz["caption"], leading=M["caption"][0],
                                      textColor=c["primary"], spaceBefore=M["caption"][1], spaceAfter=M["caption"][2], keepWithNext=1)
        self.caption_loose = ParagraphStyle("captionloose", parent=self.caption, keepWithNext=0)
        self.cell = ParagraphStyle("cell", fontName=fam, fontSize=sz["table"], leading=M["cell"][0], textColor=c["text"], spaceAfter=M["cell"][2])
        self.cell_head = ParagraphStyle("cellhead", parent=self.cell, fontName=f["bold"], textColor=c["table_header_text"])
        self.sidebar = ParagraphStyle("sidebar", fontName=fam, fontSize=sz["sidebar"], leading=M["sidebar"][0], textColor=c["text"], spaceAfter=M["sidebar"][2])
        self.sidebar_title = ParagraphStyle("sidebartitle", parent=self.sidebar, fontName=f["bold"], textColor=c["accent"], spaceAfter=M["sidebar_title"][2])
        self.front_title = ParagraphStyle("fronttitle", parent=self.headings[1], spaceBefore=0)
        self.toc = {
            level: ParagraphStyle(f"toc{level}", fontName=f["bold"] if level == 1 else fam, fontSize=sz["toc"], leading=M["toc"][level][0],
                                  textColor=c["text"], spaceBefore=M["toc"][level][1], spaceAfter=M["toc"][level][2])
            for level in (1, 2, 3)
        }
        self.header = ParagraphStyle("header", fontName=fam, fontSize=sz["header"], leading=M["header_leading"], textColor=c["muted"], alignment=TA_RIGHT)


# ----------------------------------------------------------------------------- inline markup
def markup(inlines, link_colour: str) -> str:
    """Inline nodes as reportlab Paragraph markup; all text is escaped."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, m.Text):
            out.append(escape(node.text))
        elif isinstance(node, m.Strong):
            out.append(f"<b>{markup(node.children, link_colour)}</b>")
        elif isinstance(node, m.Emph):
            out.append(f"<i>{markup(node.children, link_colour)}</i>")
        elif isinstance(node, m.Code):
            out.append(escape(node.text))
        elif isinstance(node, m.LineBreak):
            out.append("<br/>")
        elif isinstance(node, m.Link):
            out.append(f'<a href="{escape(node.url, {chr(34): "&quot;"})}" color="{link_colour}"><u>{markup(node.children, link_colour)}</u></a>')
        elif isinstance(node, m.Ref):
            text = markup(node.children, link_colour) if node.children else escape(node.label)
            out.append(f'<a href="#{escape(node.target)}">{text}</a>')
    return "".join(out)


# ----------------------------------------------------------------------------- document template
class _Canvas(Canvas):
    """Fills the page-number forms when the document is complete, and keeps
    the file's dates and id reproducible."""

    book: PageBook
    anchors: list[str]
    number_style: ParagraphStyle
    epoch: float

    initial_font: str = "Helvetica"
    marker: Marker | None = None
    link_names: dict[str, str] = {}  # link target (anchor id or URL) -> what the link says

    def __init__(self, *args, **kwargs):
        kwargs["initialFontName"] = kwargs.get("initialFontName") or self.initial_font
        super().__init__(*args, **kwargs)
        ts = pdfdoc.TimeStamp(invariant=True)
        ts.t = self.epoch
        ts.lt = time.gmtime(self.epoch)
        ts.YMDhms = tuple(ts.lt)[:6]
        self._doc._timeStamp = ts

    # -- tagging hooks: the page stream's artifact frame, and links' owners
    def showPage(self):
        if self.marker is not None:
            self.marker.end_page(self)
        super().showPage()

    def linkRect(self, contents, destinationname, *args, **kwargs):
        self._link_description = self.link_names.get(destinationname, destinationname)
        return super().linkRect(contents, destinationname, *args, **kwargs)

    def linkURL(self, url, *args, **kwargs):
        self._link_description = self.link_names.get(url, url)
        return super().linkURL(url, *args, **kwargs)

    def _addAnnotation(self, annotation, name=None, addtopage=1):
        if self.marker is not None and addtopage:
            self.marker.annotation(self, len(self._annotationrefs), getattr(self, "_link_description", ""))
        return super()._addAnnotation(annotation, name, addtopage)

    def save(self):
        style = self.number_style
        for anchor in self.anchors:
            self.beginForm(page_form_name(anchor), lowerx=-60, lowery=-5, upperx=0, uppery=20)
            self.setFont(style.fontName, style.fontSize)
            self.setFillColor(style.textColor)
            self.drawRightString(0, 0, str(self.book.pages.get(anchor, "")))
            self.endForm()
        super().save()


class PaperTemplate(BaseDocTemplate):
    def __init__(self, buffer, doc: m.Document, style: Style, styles: Styles, book: PageBook):
        self.paper = doc
        self.paper_style = style
        self.styles = styles
        self.book = book
        self.cover_tags: list = []
        width, height = style.page_size
        super().__init__(
            buffer,
            pagesize=(width, height),
            leftMargin=style.pt("page", "margin_left"),
            rightMargin=style.pt("page", "margin_right"),
            topMargin=style.pt("page", "margin_top"),
            bottomMargin=style.pt("page", "margin_bottom"),
            title=doc.meta.title,
            author=doc.meta.author,
            subject=doc.meta.subject,
            keywords=", ".join(doc.meta.keywords),
            creator="paperpipe",
            producer="paperpipe (reportlab)",
            lang=doc.meta.language,
            invariant=1,
            displayDocTitle=1,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover_frame = Frame(0, 0, width, height, id="cover")
        self.addPageTemplates([
            PageTemplate(id="cover", frames=[cover_frame], onPage=self._draw_cover),
            PageTemplate(id="body", frames=[frame], onPage=self._draw_header, onPageEnd=self._draw_footer),
        ])

    # -- page furniture
    def _draw_header(self, canv, _doc):
        style, s = self.paper_style, self.styles
        width, height = style.page_size
        left, right = style.pt("page", "margin_left"), width - style.pt("page", "margin_right")
        top = height - style.pt("page", "header_distance")
        canv.saveState()
        canv.setFont(s.header.fontName, s.header.fontSize)
        canv.setFillColor(s.header.textColor)
        y = top
        for line in self.paper.meta.header:
            canv.drawRightString(right, y, line)
            y -= s.header.leading
        rule = y + s.header.leading - s.header.fontSize - 4
        canv.setStrokeColor(s.c["rule"])
        canv.setLineWidth(0.6)
        canv.line(left, rule, right, rule)
        canv.restoreState()

    def _draw_footer(self, canv, _doc):
        """The page number, drawn last so that it is the page's last text."""
        style, s = self.paper_style, self.styles
        right = style.page_size[0] - style.pt("page", "margin_right")
        canv.saveState()
        canv.setFont(s.fonts["regular"], float(style.sizes["footer"]))
        canv.setFillColor(s.c["muted"])
        canv.drawRightString(right, style.pt("page", "footer_distance"), str(self.book.printed(canv.getPageNumber())))
        canv.restoreState()

    def _draw_cover(self, canv, _doc):
        draw_cover(canv, self.paper, self.paper_style, self.styles, self.cover_tags)


def draw_cover(canv, doc: m.Document, style: Style, s: Styles, tags=None) -> None:
    """The cover: a band with the title and the event lines, the kind of
    paper under it, and the EU emblem with its line at the foot (geometry
    from the style's cover: section).  ``tags`` are the structure elements
    of the cover's texts in drawing order (title, lines, kind, footer)."""
    tags = iter(tags or ())
    width, height = style.page_size
    cover, geo = doc.meta.cover, s.m["cover"]
    left = style.pt("page", "margin_left")
    text_width = width - left - style.pt("page", "margin_right")
    primary, accent = s.c["primary"], s.c["accent"]
    canv.saveState()
    band_top, band_bottom = height * (1 - geo["band_top"]), height * (1 - geo["band_bottom"])
    canv.setFillColor(primary)
    canv.rect(0, band_bottom, width, band_top - band_bottom, stroke=0, fill=1)
    canv.setFillColor(accent)
    canv.rect(0, band_bottom - geo["accent_height"], width, geo["accent_height"], stroke=0, fill=1)
    sizes = s.m["size"]
    white = s.c["table_header_text"]
    title = ParagraphStyle("covertitle", fontName=s.fonts["bold"], fontSize=sizes["cover_title"], leading=s.m["cover_title_leading"],
                           textColor=white, alignment=TA_LEFT)
    sub = ParagraphStyle("coversub", fontName=s.fonts["regular"], fontSize=sizes["cover_subtitle"], leading=s.m["cover_subtitle_leading"],
                         textColor=white, alignment=TA_LEFT)
    kind = ParagraphStyle("coverkind", parent=sub, fontName=s.fonts["bold"], textColor=primary)
    y = band_top - geo["inset"]
    p = mark(Paragraph(escape(str(cover.get("title", doc.meta.title))), title), next(tags, None))
    _, h = p.wrap(text_width, height)
    p.drawOn(canv, left, y - h)
    y -= h + geo["title_gap"]
    for line in cover.get("lines", []) or []:
        p = mark(Paragraph(escape(str(line)), sub), next(tags, None))
        _, h = p.wrap(text_width, height)
        p.drawOn(canv, left, y - h)
        y -= h + geo["line_gap"]
    if cover.get("kind"):
        p = mark(Paragraph(escape(str(cover["kind"])), kind), next(tags, None))
        _, h = p.wrap(text_width, height)
        p.drawOn(canv, left, band_bottom - geo["inset"] - h)
    if cover.get("footer"):
        flag_w, flag_h = geo["emblem_width"], geo["emblem_height"]
        x0, y0 = left, style.pt("page", "margin_bottom")
        draw_eu_emblem(canv, x0, y0, flag_w, flag_h)
        canv.setFont(s.fonts["bold"], geo["footer_size"])
        canv.setFillColor(primary)
        marker, element = getattr(canv, "marker", None), next(tags, None)
        if marker is not None and element is not None:
            marker.begin(canv, element)
        canv.drawString(x0 + flag_w + geo["emblem_gap"], y0 + flag_h / 2 - 4, str(cover["footer"]))
        if marker is not None and element is not None:
            marker.end(canv)
    canv.restoreState()


def draw_eu_emblem(canv, x: float, y: float, w: float, h: float) -> None:
    """The European flag: twelve gold stars in a circle on blue."""
    canv.setFillColor(HexColor(emblem.BLUE))
    canv.rect(x, y, w, h, stroke=0, fill=1)
    canv.setFillColor(HexColor(emblem.GOLD))
    for star in emblem.star_polygons(w, h):
        path = canv.beginPath()
        path.moveTo(x + star[0][0], y + star[0][1])
        for px, py in star[1:]:
            path.lineTo(x + px, y + py)
        path.close()
        canv.drawPath(path, stroke=0, fill=1)


# ----------------------------------------------------------------------------- blocks
class Renderer:
    def __init__(self, doc: m.Document, style: Style, styles: Styles, book: PageBook):
        self.doc = doc
        self.style = style
        self.s = styles
        self.book = book
        self.link = style.colours["secondary"]
        self.tags = TagTree()

    def md(self, inlines) -> str:
        return markup(inlines, self.link)

    # -- front matter
    def front_matter(self) -> list:
        labels = self.doc.meta.labels
        story: list = []
        sections = [
            (labels["contents"], self.doc.contents, True),
            (labels["figures"], self.doc.figures, False),
            (labels["tables"], self.doc.tables, False),
        ]
        tags = self.tags
        for title, entries, numbered in sections:
            if not entries:
                continue
            story.append(mark(Paragraph(escape(title), self.s.front_title), tags.heading(1)))
            with tags.group("TOC"):
                for e in entries:
                    level = e.level if numbered else 1
                    style = self.s.toc[level] if numbered else self.s.toc[2]
                    number_width = self.s.m["toc_number"][level] if numbered else 0
                    text = escape(e.title) if numbered else escape(e.text)
                    line = ContentsLine(e.number if numbered else "", text, e.id, style, number_width, 0, self.s.m["toc_page_box"], self.style.colours["muted"])
                    with tags.group("TOCI"):
                        story.append(mark(line, tags.leaf("Link")))
            story.append(Spacer(1, self.s.m["after_lists"]))
        tags.end_sections()
        story.append(PageBreak())
        return story

    # -- body
    def blocks(self, blocks, context: str = "body") -> list:
        out: list = []
        for block in blocks:
            out.extend(self.block(block, context))
        return out

    def block(self, block: m.Block, context: str) -> list:
        s = self.s
        if isinstance(block, m.Heading):
            text = self.md(block.children)
            title = m.plain_text(block.children)
            shown = f"{block.number}&nbsp;&nbsp;&nbsp;{text}" if block.number else text
            outline_title = f"{block.number} {title}" if block.number else title
            flow = [mark(Anchored(shown, s.headings[block.level], block.id, self.book, outline_title, block.level - 1), self.tags.heading(block.level))]
            if block.level == 1:
                flow.insert(0, CondPageBreak(self.style.page_size[1] * 0.25))
            return flow
        if isinstance(block, m.Paragraph):
            return [mark(Paragraph(self.md(block.children), self.paragraph_style(context)), self.tags.leaf("P"))]
        if isinstance(block, (m.BulletList, m.OrderedList)):
            return [self.list_flowable(block, context)]
        if isinstance(block, m.Table):
            return self.table(block, context)
        if isinstance(block, m.Figure):
            return self.figure(block)
        if isinstance(block, m.Image):
            return [mark(self.image(block, self.style.text_width), self.tags.leaf("Figure", alt=block.description))]
        if isinstance(block, m.Sidebar):
            return [self.sidebar(block)]
        raise TypeError(f"unknown block {type(block).__name__}")

    def paragraph_style(self, context: str) -> ParagraphStyle:
        """The style of a paragraph in the body, a table cell, a header cell or a box."""
        s = self.s
        return {"body": s.body, "cell": s.cell, "head": s.cell_head, "sidebar": s.sidebar}[context]

    def list_flowable(self, block, context: str):
        if context == "body":
            style = item_style = self.s.list_item
        else:
            style = self.paragraph_style(context)
            item_style = ParagraphStyle("li", parent=style, spaceAfter=self.s.m["inner_list_item_after"])
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
                            else:
                                flows.extend(self.block(b, context))
                items.append(ListItem(flows))
        indent = self.s.m["list_indent"] if context == "body" else self.s.m["inner_list_indent"]
        if isinstance(block, m.OrderedList):
            widest = f"{block.start + len(block.items) - 1}."
            indent = max(indent, stringWidth(widest, style.fontName, style.fontSize) + style.fontSize * 0.6)
        common = dict(leftIndent=indent, bulletFontName=style.fontName, bulletFontSize=style.fontSize, bulletColor=self.s.c["secondary"])
        if isinstance(block, m.OrderedList):
            return TaggedList(items, labels, bulletType="1", start=str(block.start), bulletFormat="%s.", bulletDedent=indent, **common)
        return TaggedList(items, labels, bulletType="bullet", start="\u2022", bulletDedent=indent * 0.8, **common)

    def caption(self, kind: str, number: str, caption, anchor: str, keep: bool = True) -> Anchored:
        label = self.doc.meta.labels[kind]
        text = f"{escape(label)} {escape(number)}: {self.md(caption)}"
        style = self.s.caption if keep else self.s.caption_loose
        return mark(Anchored(text, style, anchor, self.book), self.tags.leaf("Caption"))

    def table(self, block: m.Table, context: str) -> list:
        with self.tags.group("Table"):
            return self._table(block, context)

    def _table(self, block: m.Table, context: str) -> list:
        s = self.s
        width = self.style.text_width
        if block.widths:
            total = sum(block.widths)
            col_widths = [width * w / total for w in block.widths]
        else:
            col_widths = [width / max(block.columns, 1)] * block.columns
        placed, _ = m.place_cells(block.rows)
        grid = [["" for _ in range(block.columns)] for _ in block.rows]
        caption = None
        if block.number:
            caption = self.caption("table", block.number, block.caption, block.id, keep=len(block.rows) <= self.s.m["keep_table_rows"])
        cells = self._tag_cells(block, placed)
        commands = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONT", (0, 0), (-1, -1), s.fonts["regular"], s.cell.fontSize, s.cell.leading),
            ("GRID", (0, 0), (-1, -1), s.m["grid_line"], s.c["rule"]),
            ("LEFTPADDING", (0, 0), (-1, -1), s.m["cell_padding"][1]),
            ("RIGHTPADDING", (0, 0), (-1, -1), s.m["cell_padding"][1]),
            ("TOPPADDING", (0, 0), (-1, -1), s.m["cell_padding"][0]),
            ("BOTTOMPADDING", (0, 0), (-1, -1), s.m["cell_padding"][0]),
        ]
        for r, row in enumerate(block.rows):
            role = row.role or ("header" if r < block.header_rows else "")
            if role == "header":
                commands.append(("BACKGROUND", (0, r), (-1, r), s.c["primary"]))
            elif role == "day":
                commands.append(("BACKGROUND", (0, r), (-1, r), s.c["day_fill"]))
            elif role == "break":
                commands.append(("BACKGROUND", (0, r), (-1, r), s.c["break_fill"]))
        for pc in placed:
            row_role = block.rows[pc.row].role or ("header" if pc.row < block.header_rows else "")
            ctx = "head" if row_role == "header" else "cell"
            with cells[id(pc)]:
                flows = self.blocks(pc.cell.blocks, ctx)
            if row_role == "day" or pc.cell.role in ("time", "day"):
                flows = [self._bold(f) for f in flows]
            if pc.cell.align in ALIGN:
                flows = [self._aligned(f, ALIGN[pc.cell.align]) for f in flows]
            grid[pc.row][pc.col] = flows
            if pc.cell.colspan > 1 or pc.cell.rowspan > 1:
                commands.append(("SPAN", (pc.col, pc.row), (pc.col + pc.cell.colspan - 1, pc.row + pc.cell.rowspan - 1)))
        if block.style == "recommendations":
            commands = [c for c in commands if c[0] != "GRID"] + [
                ("LINEBEFORE", (1, 0), (-1, -1), s.m["recommendations_rule"], HexColor("#FFFFFF")),
                ("BACKGROUND", (0, block.header_rows), (-1, -1), s.c["light"]),
            ]
        table = RLTable(grid, colWidths=col_widths, repeatRows=block.header_rows, style=TableStyle(commands), splitByRow=1, hAlign="LEFT")
        out: list = []
        if caption is not None:
            # keep the caption with the header and the first rows, but let a
            # long table start on this page rather than leave it half empty
            out.append(CondPageBreak(s.caption.leading * 2 + s.cell.leading * 8))
            out.append(caption)
        out.append(table)
        if context == "body":
            out.append(Spacer(1, self.s.sp["caption_after"]))
        return out

    def _tag_cells(self, block: m.Table, placed) -> dict:
        """The structure of a table: THead (its header rows) and TBody, rows,
        TH (scope column) and TD cells with their spans.  Returns, for each
        placed cell, the group its content is built in."""
        by_row: dict[int, list] = {}
        for pc in placed:
            by_row.setdefault(pc.row, []).append(pc)
        groups: dict[int, object] = {}
        parts = [("THead", range(0, min(block.header_rows, len(block.rows)))), ("TBody", range(block.header_rows, len(block.rows)))]
        for part, rows in parts:
            if not len(rows):
                continue
            with self.tags.group(part):
                for r in rows:
                    head = part == "THead" or block.rows[r].role == "header"
                    with self.tags.group("TR"):
                        for pc in sorted(by_row.get(r, []), key=lambda p: p.col):
                            attrs = {"Scope": "Column"} if head else {}
                            if pc.cell.rowspan > 1:
                                attrs["RowSpan"] = pc.cell.rowspan
                            if pc.cell.colspan > 1:
                                attrs["ColSpan"] = pc.cell.colspan
                            cell = self.tags.leaf("TH" if head else "TD", attrs=attrs, keep_empty=True)
                            groups[id(pc)] = self.tags.within(cell)
        return groups

    def _aligned(self, flowable, alignment: int):
        if isinstance(flowable, Paragraph):
            return mark(Paragraph(flowable.text, ParagraphStyle("aligned", parent=flowable.style, alignment=alignment)), tag_of(flowable))
        return flowable

    def _bold(self, flowable):
        if isinstance(flowable, Paragraph):
            return mark(Paragraph(f"<b>{flowable.text}</b>", flowable.style), tag_of(flowable))
        return flowable

    def image(self, image: m.Image, avail: float):
        width = avail * image.width
        if image.path.suffix.lower() == ".svg":
            return ScaledDrawing(svg_drawing(image.path), width, self.s.fonts["regular"])
        w, h = image_size_pt(image.path)
        flow = RLImage(str(image.path), width=width, height=h * width / w)
        flow.hAlign = "CENTER"
        return flow

    def figure(self, block: m.Figure) -> list:
        # the caption beside the Figure (whose alt text replaces its content), grouped
        with self.tags.group("Div"):
            parts: list = [self.caption("figure", block.number, block.caption, block.id)]
            body = []
            for b in block.body:
                body.extend(self.block(b, "body"))
        if any(isinstance(b, m.Table) for b in block.body):
            # a panel figure may run over a page: keep the caption with its start
            return [Spacer(1, self.s.sp["figure_before"]), KeepTogether(parts + body[:1])] + body[1:] + [Spacer(1, self.s.sp["caption_after"])]
        return [Spacer(1, self.s.sp["figure_before"]), KeepTogether(parts + body), Spacer(1, self.s.sp["caption_after"])]

    def sidebar(self, block: m.Sidebar):
        content: list = []
        with self.tags.group("Aside"):
            if block.title:
                content.append(mark(Paragraph(escape(block.title), self.s.sidebar_title), self.tags.leaf("P")))
            content.extend(self.blocks(block.blocks, "sidebar"))
        m_ = self.s.m
        box = Box(content, self.style.colours["light"], self.style.colours["accent"], m_["sidebar_padding"], m_["sidebar_rule"])
        return KeepTogether([box, Spacer(1, m_["sidebar_gap"])]) if len(content) < m_["sidebar_keep_limit"] else box


# ----------------------------------------------------------------------------- entry point
def anchors_of(doc: m.Document) -> list[str]:
    return [e.id for e in doc.contents + doc.figures + doc.tables]


def cover_tags(tags: TagTree, doc: m.Document) -> list:
    """The cover's texts as the first elements of the tree: the title, then paragraphs."""
    cover = doc.meta.cover
    out = [tags.leaf("Title")]
    count = len(cover.get("lines", []) or []) + bool(cover.get("kind")) + bool(cover.get("footer"))
    return out + [tags.leaf("P") for _ in range(count)]


def link_names(doc: m.Document) -> dict[str, str]:
    """What each link says, for its annotation's description: a target's
    label and title, a web address's link text and address."""
    names = {t.id: f"{t.label}: {t.title}" if t.title else t.label for t in doc.targets.values()}

    def inlines(nodes):
        for n in nodes:
            if isinstance(n, m.Link):
                text = m.plain_text(n.children).strip()
                names.setdefault(n.url, f"{text} ({n.url})" if text and text != n.url else n.url)
            if hasattr(n, "children"):
                inlines(n.children)

    def blocks(nodes):
        for b in nodes:
            for attr in ("children", "caption"):
                inlines(getattr(b, attr, ()) or ())
            if isinstance(b, (m.BulletList, m.OrderedList)):
                for item in b.items:
                    blocks(item)
            elif isinstance(b, m.Table):
                for row in b.rows:
                    for cell in row.cells:
                        blocks(cell.blocks)
            elif isinstance(b, m.Figure):
                blocks(b.body)
            elif isinstance(b, m.Sidebar):
                blocks(b.blocks)

    blocks(doc.blocks)
    return names


def render_pdf(doc: m.Document, style: Style, epoch: float) -> PdfResult:
    """Lay out and render the document; ``epoch`` is the creation time written
    into the file (from the content's date or SOURCE_DATE_EPOCH)."""
    styles = Styles(style)
    book = PageBook(first_numbered=2)
    buffer = io.BytesIO()
    template = PaperTemplate(buffer, doc, style, styles, book)
    renderer = Renderer(doc, style, styles, book)
    template.cover_tags = cover_tags(renderer.tags, doc)
    story: list = [NextPageTemplate("body"), PageBreak()]
    story += renderer.front_matter()
    story += renderer.blocks(doc.blocks)

    canvas_class = type("PaperCanvas", (_Canvas,), {
        "book": book,
        "anchors": anchors_of(doc),
        "number_style": styles.toc[2],
        "epoch": epoch,
        "initial_font": styles.fonts["regular"],
        "marker": Marker(),
        "link_names": link_names(doc),
    })
    template.build(story, canvasmaker=canvas_class)
    meta = doc.meta
    data = finish(buffer.getvalue(), renderer.tags.root, title=meta.title, language=meta.language, author=meta.author,
                  subject=meta.subject, epoch=epoch, first_numbered=book.first_numbered, cover_label=meta.labels.get("cover", "Cover"))
    return PdfResult(data, dict(book.pages), template.page)


__all__ = ["render_pdf", "PdfResult"]
