"""Custom reportlab flowables for the PDF writer.

``Anchored`` paragraphs record on which page they land (for the contents and
for the DOCX's page fields), set a named destination and an outline entry.
``ContentsLine`` draws one line of the contents or of a list, with dot
leaders and a page number that is filled in when the document is finished:
the number is drawn into a PDF form XObject referenced now and defined at
the end, so the contents need no second layout pass.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether
from reportlab.platypus.doctemplate import _FrameBreak

from .floats import kept_content, needed
from .tags import artifact
from .words import Paragraph


@dataclass
class PageBook:
    """Where each anchor landed: id -> printed page number (the cover is
    unnumbered; the first page after it is page 1)."""

    first_numbered: int = 2
    pages: dict[str, int] = field(default_factory=dict)

    def printed(self, physical: int) -> int:
        return physical - self.first_numbered + 1


class Anchored(Paragraph):
    """A paragraph (heading or caption) that is a link target.

    On drawing it records its page in the PageBook, bookmarks its position
    and, when ``outline_level`` is set, adds an outline (bookmark) entry."""

    def __init__(self, text, style, anchor: str, book: PageBook, outline_title: str = "", outline_level: int | None = None):
        super().__init__(text, style)
        self.anchor = anchor
        self.book = book
        self.outline_title = outline_title
        self.outline_level = outline_level

    def draw(self):
        canv = self.canv
        if self.anchor:
            canv.bookmarkHorizontal(self.anchor, 0, self.height + self.style.fontSize * 0.6)
            self.book.pages.setdefault(self.anchor, self.book.printed(canv.getPageNumber()))
            if self.outline_level is not None:
                canv.addOutlineEntry(self.outline_title, self.anchor, level=self.outline_level, closed=self.outline_level > 0)
        super().draw()

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:  # only the first part carries the anchor
            first, rest = parts
            anchored = Anchored("", self.style, self.anchor, self.book, self.outline_title, self.outline_level)
            anchored.__dict__.update({k: v for k, v in first.__dict__.items() if k not in ("anchor", "book", "outline_title", "outline_level")})
            return [anchored, rest]
        return parts


class ContentsLine(Flowable):
    """One contents entry: number, title (wrapping), dot leaders, page number, all a link."""

    def __init__(self, number: str, title_markup: str, anchor: str, style, number_width: float, look, indent: float = 0.0):
        """``look``: the theme's Contents (page number box, leaders and their gaps);
        ``indent``: where the line starts (its level's step in)."""
        super().__init__()
        self.number = number
        self.anchor = anchor
        self.style = style
        self.number_width = number_width
        self.indent = indent
        self.page_box = look.page_width
        self.look = look
        self.para = Paragraph(title_markup, style)
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        text_width = availWidth - self.indent - self.number_width - self.page_box - self.look.title_gap
        _, h = self.para.wrap(text_width, availHeight)
        self.text_width = text_width
        self.height = h
        return availWidth, h

    def _last_line_end(self) -> float:
        bl = self.para.blPara
        last = bl.lines[-1]
        extra = last.extraSpace if hasattr(last, "extraSpace") else last[0]
        return self.text_width - extra

    def draw(self):
        canv = self.canv
        style = self.style
        x_text = self.indent + self.number_width
        first_baseline = self.height - style.fontSize
        last_baseline = first_baseline - (len(self.para.blPara.lines) - 1) * style.leading
        if self.number:
            canv.setFont(style.fontName, style.fontSize)
            canv.setFillColor(style.textColor)
            canv.drawString(self.indent, first_baseline, self.number)
        self.para.drawOn(canv, x_text, 0)
        # dot leaders on the last line, up to the page-number box
        look = self.look
        start = x_text + self._last_line_end() + look.leader_gap
        end = self.width - self.page_box - look.page_gap
        canv.setFillColor(HexColor(look.leader_colour))
        canv.setFont(style.fontName, style.fontSize)
        dot = stringWidth(look.leader, style.fontName, style.fontSize) if look.leader else 0
        count = int((end - start) // dot) if dot else 0
        if count > 0:  # one run of leaders, right-aligned, so text extraction reads it as one
            with artifact(canv):
                canv.drawRightString(end, last_baseline, look.leader * count)
        # the page number, drawn later into a form named after the anchor
        canv.saveState()
        canv.translate(self.width, last_baseline)
        canv.doForm(page_form_name(self.anchor))
        canv.restoreState()
        canv.linkRect("", self.anchor, (0, 0, self.width, self.height), relative=1, thickness=0)


def page_form_name(anchor: str) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in anchor)
    return f"pg_{safe}_{zlib.crc32(anchor.encode()):08x}"


class Box(Flowable):
    """A sidebar: flowables inside a tinted box with an accent rule on the left.

    It splits across pages like the flowables it holds. A group kept
    together inside it (a figure's caption and picture) is held as the
    flowables it groups, ``kept`` their ranges: a KeepTogether measures
    itself taller than any page, to be split, which sent the whole box to
    a new page; the box moves such a group whole to its next part instead."""

    def __init__(self, content: list, fill: str, rule: str, padding: float, rule_width: float = 3,
                 kept: tuple[tuple[int, int], ...] | None = None):
        super().__init__()
        if kept is None:
            content, kept = _groups(content)
        self.content, self.kept = content, kept
        self.fill = fill
        self.rule = rule
        self.padding = padding
        self.rule_width = rule_width

    def _wrap(self, f, width, height):
        """Wrap a child on this box's canvas: containers such as lists need one."""
        canv = getattr(self, "canv", None)
        return f.wrapOn(canv, width, height) if canv is not None else f.wrap(width, height)

    def _inner_width(self, availWidth):
        return availWidth - 2 * self.padding - self.rule_width

    def wrap(self, availWidth, availHeight):
        inner = self._inner_width(availWidth)
        h = 0
        for i, f in enumerate(self.content):
            _, fh = self._wrap(f, inner, availHeight)
            h += fh + (f.getSpaceBefore() if i else 0) + (f.getSpaceAfter() if i < len(self.content) - 1 else 0)
        self.width = availWidth
        self.height = h + 2 * self.padding
        return availWidth, self.height

    def split(self, availWidth, availHeight):
        inner = self._inner_width(availWidth)
        used = self.padding
        first: list = []
        for i, f in enumerate(self.content):
            _, fh = self._wrap(f, inner, availHeight)
            gap = f.getSpaceBefore() if i else 0
            if used + gap + fh + self.padding <= availHeight:
                first.append(f)
                used += gap + fh + f.getSpaceAfter()
                continue
            start = next((a for a, b in self.kept if a < i < b or a == i < b - 1), None)
            if start:  # a group that does not fit, after something else in this part: to the next part, whole
                return self._parts(start, self.content[:start], self.content[start:], 0)
            if start == 0 and availHeight < self._page_height(availHeight):
                return []  # a part that starts with a group goes whole to the next page, unless taller than one
            room = availHeight - used - gap - self.padding
            canv = getattr(self, "canv", None)
            parts = f.splitOn(canv, inner, room) if canv is not None else f.split(inner, room)
            if parts:
                first.append(parts[0])
                rest = list(parts[1:]) + self.content[i + 1:]
            else:
                rest = self.content[i:]
            if not first:
                return []
            return self._parts(i + 1 if parts else i, first, rest, len(parts) - 1 if parts else 0)
        return [self]

    def _page_height(self, default: float) -> float:
        frame = self._doctemplateAttr("frame")
        return frame._height - frame._topPadding - frame._bottomPadding if frame is not None else default

    def _parts(self, cut: int, first: list, rest: list, more: int) -> list:
        """This box split before its child ``cut``: the groups wholly on
        either side stay kept (``more``: pieces of a split child that start ``rest``)."""
        look = (self.fill, self.rule, self.padding, self.rule_width)
        before = tuple((a, b) for a, b in self.kept if b <= cut)
        after = tuple((a - cut + more, b - cut + more) for a, b in self.kept if a >= cut)
        return [Box(first, *look, kept=before), Box(rest, *look, kept=after)]

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setFillColor(HexColor(self.fill))
        canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canv.setFillColor(HexColor(self.rule))
        canv.rect(0, 0, self.rule_width, self.height, stroke=0, fill=1)
        canv.restoreState()
        inner = self._inner_width(self.width)
        y = self.height - self.padding
        for i, f in enumerate(self.content):
            _, fh = self._wrap(f, inner, self.height)
            if i:
                y -= f.getSpaceBefore()
            y -= fh
            f.drawOn(canv, self.rule_width + self.padding, y)
            y -= f.getSpaceAfter()


def _groups(content: list) -> tuple[list, tuple[tuple[int, int], ...]]:
    """``content`` with each group kept together replaced by what it holds
    (less its conditional page breaks), and the range of each in the list."""
    flat: list = []
    kept = []
    for f in content:
        if isinstance(f, KeepTogether):
            inner = kept_content(f._content)
            kept.append((len(flat), len(flat) + len(inner)))
            flat += inner
        else:
            flat.append(f)
    return flat, tuple(kept)


class ScaledDrawing(Flowable):
    """A reportlab Drawing (from an SVG) scaled to a width, kept vector."""

    def __init__(self, drawing, width: float, font_name: str):
        super().__init__()
        self.drawing = drawing
        # text state starts in the paper's embedded font, not Helvetica
        drawing.initialFontName = font_name
        self.scale = width / float(drawing.width) if drawing.width else 1.0
        self.width = width
        self.height = float(drawing.height) * self.scale
        self.hAlign = "CENTER"

    def wrap(self, availWidth, availHeight):
        if self.width > availWidth:
            self.scale *= availWidth / self.width
            self.width = availWidth
            self.height = float(self.drawing.height) * self.scale
        return self.width, self.height

    def draw(self):
        from reportlab.graphics import renderPDF

        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        self.canv.restoreState()


class Kept(KeepTogether):
    """A figure's caption and content, kept together. On a page reportlab
    breaks the frame before a group that does not fit; in a list item
    (``in_list``) the break is wrapped in the item's indent, which reportlab
    cannot lay out (an internal error): there the group goes whole to the
    next page, or, taller than a page, splits as its content does."""

    in_list = False

    def split(self, aW, aH):
        parts = super().split(aW, aH)
        if not self.in_list or not parts or not isinstance(parts[0], _FrameBreak):
            return parts
        frame = self._doctemplateAttr("frame")
        page = frame._height - frame._topPadding - frame._bottomPadding if frame is not None else aH
        return [] if needed(self._content, aW, self.canv) <= page else parts[1:]


class KeepWithHeading(CondPageBreak):
    """Stands before a heading (or headings in a row): breaks the page unless they and the
    start of the block after it fit below.  reportlab's keepWithNext keeps a
    heading only with a plain flowable: a list (a container), a box or figure
    kept together, or a table's own conditional break after a heading left
    the heading alone at the foot of a page.  ``start`` is the least height
    of the next block to keep with it (its first lines, its caption and first
    rows); ``whole`` the flowables kept in one piece, measured when laid out;
    ``least`` a height the next block asks for in any case (a table's own break)."""

    def __init__(self, headings: list, start: float = 0.0, whole: tuple = (), least: float = 0.0):
        super().__init__(0)
        self._headings, self._start, self._whole, self._least = headings, start, whole, least

    def wrap(self, availWidth, availHeight):
        frame = self._doctemplateAttr("frame")
        if frame is None or getattr(frame, "_atTop", False):
            return 0, 0  # at the top of a page a break gains nothing
        need = self._start
        for heading in self._headings:
            need += heading.getSpaceBefore() + heading.wrap(availWidth, availHeight)[1] + heading.getSpaceAfter()
        whole = 0.0
        for flow in self._whole:
            flow.canv = self.canv
            # a group kept together measures as taller than any page (to be split): its content's height
            height = needed([flow], availWidth, self.canv) if isinstance(flow, KeepTogether) else flow.wrap(availWidth, availHeight)[1]
            whole += flow.getSpaceBefore() + height + flow.getSpaceAfter()
        need += max(whole, self._least)
        self.height = need if need <= frame._aH else 0  # never break for what cannot fit on any page
        return super().wrap(availWidth, availHeight)
