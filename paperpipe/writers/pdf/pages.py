"""The PDF's pages: the document template, the cover, the running header and
the page numbers, all placed and coloured by the theme."""
from __future__ import annotations

import io
import time
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, Image as RLImage, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import LayoutError

from ... import model as m
from ...links import is_web_link
from ...context import Context
from ...figures.drawing import svg_drawing
from ...theme import Logo, Theme
from .. import LayoutImpossible
from .impossible import does_not_fit, impossible
from .floats import Placer
from .flowables import PageBook, ScaledDrawing, page_form_name
from .styles import Styles
from .tags import Marker, SpacedText, mark


class PaperCanvas(Canvas):
    """Fills the page-number forms when the document is complete, and keeps
    the file's dates and id reproducible. Subclassed per build with the
    class attributes below set."""

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

    def beginText(self, x=0, y=0, direction=None):
        return SpacedText(self, x, y, direction=direction)

    def linkRect(self, contents, destinationname, *args, **kwargs):
        self._link_description = self.link_names.get(destinationname, destinationname)
        self._link_target = "#" + destinationname
        return super().linkRect(contents, destinationname, *args, **kwargs)

    def linkURL(self, url, *args, **kwargs):
        # the last guard: the writer makes web and mail links only, so any
        # other action (GoToR, Launch, JavaScript, a file: address) is a bug
        kind = kwargs.get("kind", args[5] if len(args) > 5 else "URI")
        if kind != "URI" or not is_web_link(url):
            raise RuntimeError(f"the PDF writer was asked for a {kind} link to {url!r}; it makes web and mail links only")
        self._link_description = self.link_names.get(url, url)
        self._link_target = url
        return super().linkURL(url, *args, **kwargs)

    def _addAnnotation(self, annotation, name=None, addtopage=1):
        if self.marker is not None and addtopage:
            self.marker.annotation(self, len(self._annotationrefs), getattr(self, "_link_description", ""),
                                    getattr(self, "_link_target", ""))
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


def _first(exc: LayoutImpossible) -> LayoutImpossible:
    """The error as the writer raised it: inside a group kept together (a
    heading with the table after it) reportlab raises it again as a new one
    of its class, with its own words about the group before ours and without
    the advice; the one it replaces is its context."""
    while isinstance(exc.__context__, LayoutImpossible):
        exc = exc.__context__
    return exc


class PaperTemplate(BaseDocTemplate):
    """A cover page template and a body page template with the running header."""

    last_source = None  # the source of the last block laid out (parts split from it have none)

    def handle_flowable(self, flowables):
        if flowables and getattr(flowables[0], "source", None) is not None:
            self.last_source = flowables[0].source
        try:
            if not self.floats.before(self, flowables):  # a figure or table may float to the next page (floats.py)
                super().handle_flowable(flowables)
        except LayoutImpossible as exc:  # a word too wide for its column (words.Paragraph): at the block's line
            first = _first(exc)
            first.source = first.source or self.last_source
            raise first from None
        except (LayoutError, ValueError) as exc:  # ValueError: reportlab's "negative availWidth", too many columns
            if isinstance(exc, ValueError) and "negative availWidth" not in str(exc):
                raise  # a bug, not the content
            raise impossible(exc, self.last_source) from exc  # build.render reports it at this line

    def __init__(self, buffer, doc: m.Document, theme: Theme, styles: Styles, book: PageBook, context: Context):
        self.paper = doc
        self.context = context
        self.theme = theme
        self.styles = styles
        self.book = book
        self.cover_tags: list = []
        self.floats = Placer()
        # paper.yaml texts the page cannot hold, found while drawing (reportlab
        # rewraps what a page callback raises): render_pdf raises the first
        self.misfits: list[LayoutImpossible] = []
        page = theme.page
        super().__init__(
            buffer,
            pagesize=(page.width, page.height),
            leftMargin=page.margin_left,
            rightMargin=page.margin_right,
            topMargin=page.margin_top,
            bottomMargin=page.margin_bottom,
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
        cover_frame = Frame(0, 0, page.width, page.height, id="cover")
        self.addPageTemplates([
            PageTemplate(id="cover", frames=[cover_frame], onPage=self._draw_cover),
            PageTemplate(id="body", frames=[frame], onPage=self._draw_header, onPageEnd=self._draw_footer),
        ])

    def _draw_header(self, canv, _doc):
        """The running header, right-aligned, with a rule under its last line."""
        page, header = self.theme.page, self.styles["header"]
        left, right = page.margin_left, page.width - page.margin_right
        canv.saveState()
        canv.setFont(header.fontName, header.fontSize)
        canv.setFillColor(header.textColor)
        y = page.height - page.header_distance
        look = self.theme.header
        for i, line in enumerate(self.paper.meta.header):
            fit(canv.stringWidth(line, header.fontName, header.fontSize), right - left, self.paper, f"header.{i}", self.misfits,
                f"the running header's line '{line}'", "shorten it, or split it into two lines of 'header:'")
            fit(page.height - (y - header.fontSize - look.rule_gap), page.margin_top, self.paper, f"header.{i}", self.misfits,
                "the running header (all its lines)", "use fewer or shorter lines in 'header:', or give the page a larger margin_top in the theme")
            canv.drawRightString(right, y, line)
            y -= header.leading
        rule = y + header.leading - header.fontSize - look.rule_gap
        canv.setStrokeColor(HexColor(look.rule_colour))
        canv.setLineWidth(look.rule_width)
        canv.line(left, rule, right, rule)
        canv.restoreState()

    def _draw_footer(self, canv, _doc):
        """The page number, drawn last so that it is the page's last text."""
        page, footer = self.theme.page, self.styles["footer"]
        canv.saveState()
        canv.setFont(footer.fontName, footer.fontSize)
        canv.setFillColor(footer.textColor)
        canv.drawRightString(page.width - page.margin_right, page.footer_distance, str(self.book.printed(canv.getPageNumber())))
        canv.restoreState()

    def _draw_cover(self, canv, _doc):
        draw_cover(canv, self.paper, self.theme, self.styles, self.context, self.cover_tags, self.misfits)


def cover_tags(tags, doc: m.Document, theme: Theme) -> list:
    """The cover's structure elements, first in the tree, in drawing order:
    the title, the lines and the kind as paragraphs, each logo as a Figure
    with its alt text, the footer line."""
    cover = doc.cover
    out = [tags.leaf("Title")]
    out += [tags.leaf("P") for _ in range(len(cover.lines) + bool(cover.kind))]
    out += [tags.leaf("Figure", alt=logo.alt) for logo in cover.logos]
    return out + ([tags.leaf("P")] if cover.footer else [])


def draw_cover(canv, doc: m.Document, theme: Theme, s: Styles, context: Context, tags=None, misfits: list | None = None) -> None:
    """The cover: a band with the title and the event lines, an accent rule,
    the kind of paper under it, and the logos with the footer line at the
    foot (geometry from the theme's cover). ``tags`` are the structure
    elements of its texts and logos in drawing order (``cover_tags``); a
    text that does not fit is added to ``misfits``."""
    misfits = misfits if misfits is not None else []
    tags = iter(tags or ())
    page, geo = theme.page, theme.cover
    cover = doc.cover
    left, text_width = page.margin_left, page.text_width
    canv.saveState()
    band_top, band_bottom = page.height * (1 - geo.band_top), page.height * (1 - geo.band_bottom)
    canv.setFillColor(HexColor(geo.band_colour))
    canv.rect(0, band_bottom, page.width, band_top - band_bottom, stroke=0, fill=1)
    canv.setFillColor(HexColor(geo.accent_colour))
    canv.rect(0, band_bottom - geo.accent_height, page.width, geo.accent_height, stroke=0, fill=1)
    y = band_top - geo.inset
    band = ("the text of the cover's band (its title and lines)", "shorten the title or the lines, or remove a line; the band's size is "
            "the theme's cover band_top and band_bottom")
    title = cover.title_key
    p = mark(Paragraph(escape(cover.title), s["cover_title"]), next(tags, None))
    _, h = p.wrap(text_width, page.height)
    fit(p.minWidth(), text_width, doc, title, misfits, "a word of the cover's title", _BREAK)
    fit(band_top - (y - h), band_top - band_bottom, doc, title, misfits, *band)
    p.drawOn(canv, left, y - h)
    y -= h + geo.title_gap
    for i, line in enumerate(cover.lines):
        p = mark(Paragraph(escape(line), s["cover_line"]), next(tags, None))
        _, h = p.wrap(text_width, page.height)
        fit(p.minWidth(), text_width, doc, f"cover.lines.{i}", misfits, f"a word of the cover's line '{line}'", _BREAK)
        fit(band_top - (y - h), band_top - band_bottom, doc, f"cover.lines.{i}", misfits, *band)
        p.drawOn(canv, left, y - h)
        y -= h + geo.line_gap
    x, foot = left, page.margin_bottom
    own = len((doc.meta.cover or {}).get("logos") or ())  # the paper's own logos come last (Meta.sources: cover.logos.i)
    for i, logo in enumerate(cover.logos):
        key, name = f"cover.logos.{i - (len(cover.logos) - own)}", logo.file.name
        fit(x + logo.width - left, page.width - page.margin_right - left, doc, key, misfits,
            f"the cover's logo '{name}' (beside the logos before it)", "give it a smaller width (in points, or e.g. '20mm')")
        fit(logo.height, band_bottom - geo.accent_height - foot, doc, key, misfits,
            f"the cover's logo '{name}' (between the page's foot and the band)", "give it a smaller height (in points, or e.g. '20mm')")
        x += logo.width + geo.logo_gap
    x = left
    if cover.kind:
        p = mark(Paragraph(escape(cover.kind), s["cover_kind"]), next(tags, None))
        _, h = p.wrap(text_width, page.height)
        fit(p.minWidth(), text_width, doc, "cover.kind", misfits, "a word of the cover's kind line", _BREAK)
        under = max([logo.height for logo in cover.logos] + [geo.footer_baseline + s["cover_footer"].fontSize if cover.footer else 0])
        fit(geo.inset + h, band_bottom - foot - under, doc, "cover.kind", misfits,
            "the cover's kind line (under the band, above the logos)", "shorten it")
        p.drawOn(canv, left, band_bottom - geo.inset - h)
    for logo in cover.logos:
        draw_logo(canv, context, logo, x, foot, s.fonts["regular"], next(tags, None))
        x += logo.width + geo.logo_gap
    if cover.footer:
        style = s["cover_footer"]
        fit(canv.stringWidth(cover.footer, style.fontName, style.fontSize), page.width - page.margin_right - x, doc,
            "cover.footer", misfits, "the cover's footer line (beside the logos)", "shorten it")
        canv.setFont(style.fontName, style.fontSize)
        canv.setFillColor(style.textColor)
        marker, element = getattr(canv, "marker", None), next(tags, None)
        if marker is not None and element is not None:
            marker.begin(canv, element)
        canv.drawString(x, foot + geo.footer_baseline, cover.footer)
        if marker is not None and element is not None:
            marker.end(canv)
    canv.restoreState()


_BREAK = "shorten the word, or break it with a space"


def fit(need: float, room: float, doc: m.Document, key: str, misfits: list, what: str, advice: str) -> None:
    """A text of paper.yaml that the page cannot hold is an error at its line
    (``key`` in Meta.sources), never drawn off the page or out of its band."""
    if need > room + 0.01 and not misfits:
        misfits.append(does_not_fit(what, need, room, doc.meta.sources.get(key), advice))


def draw_logo(canv, context: Context, logo: Logo, x: float, y: float, font: str, tag=None) -> None:
    """A logo file (SVG kept vector, or PNG) fitted into its box, centred."""
    if logo.file.suffix.lower() == ".svg":
        drawing = svg_drawing(context, logo.file)
        scale = min(logo.width / float(drawing.width), logo.height / float(drawing.height))
        flow = ScaledDrawing(drawing, float(drawing.width) * scale, font)
    else:
        flow = RLImage(io.BytesIO(context.read_bytes(logo.file)), width=logo.width, height=logo.height, kind="proportional")
        flow.wrap(logo.width, logo.height)
        flow.width, flow.height = flow.drawWidth, flow.drawHeight
    mark(flow, tag).drawOn(canv, x + (logo.width - flow.width) / 2, y + (logo.height - flow.height) / 2)
