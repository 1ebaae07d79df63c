"""Tagging for the PDF writer: the logical structure tree and the marked content.

reportlab has no tagging API, so the PDF writer tags in two halves:

* While it builds the story, the renderer builds the **structure tree** in
  reading order with a ``TagTree`` (Document → Sect → H1/P/L/Table/Figure…)
  and attaches each leaf element to the flowable that draws it (``mark``).
* While reportlab draws, a ``Marker`` on the canvas writes the
  **marked-content** operators into the page stream: every page starts as an
  ``/Artifact`` sequence; a marked flowable closes it, draws inside
  ``/P <</MCID n>> BDC … EMC`` and reopens it.  So everything the writer does
  not claim as content (running header, page numbers, rules, bands, cell
  fills, dot leaders) is an artifact without being listed.  The
  marker records which element owns each MCID on each page, and which
  element each link annotation belongs to.

``pdfua.finish`` then writes the tree, the parent tree and the document-level
entries into the file (with pikepdf).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus.flowables import BulletDrawer, ListFlowable


@dataclass(eq=False)
class Element:
    """One structure element. ``kids`` holds Elements, ``Content`` (an MCID on
    a page) and ``Annot`` (a link annotation) in reading order."""

    role: str
    parent: "Element | None" = None
    kids: list = field(default_factory=list)
    alt: str = ""
    attrs: dict = field(default_factory=dict)  # /A table attributes: Scope, RowSpan, ColSpan
    keep_empty: bool = False  # table cells stay even when empty (a regular grid)

    def add(self, role: str, **kw) -> "Element":
        el = Element(role, self, **kw)
        self.kids.append(el)
        return el

    def walk(self):
        yield self
        for k in self.kids:
            if isinstance(k, Element):
                yield from k.walk()


@dataclass(frozen=True)
class Content:
    page: int  # 0-based page index
    mcid: int


@dataclass(frozen=True)
class Annot:
    page: int
    index: int  # position in the page's /Annots
    description: str


# The element kinds that are not standard PDF 1.7 types, and what they are.
ROLE_MAP = {"Aside": "Div", "Title": "H1"}


class TagTree:
    """Builds the structure tree in reading order while the story is built.

    ``group`` opens a grouping element (a list, a table row, a sidebar…),
    ``leaf`` makes an element whose content a flowable draws, and
    ``heading`` opens and closes the Sect elements around headings."""

    def __init__(self):
        self.root = Element("Document")
        self.stack: list[Element] = [self.root]
        self.sections: list[tuple[int, Element]] = []  # (level, Sect)

    @property
    def current(self) -> Element:
        return self.stack[-1]

    @contextmanager
    def group(self, role: str, **kw):
        el = self.current.add(role, **kw)
        self.stack.append(el)
        try:
            yield el
        finally:
            self.stack.pop()

    @contextmanager
    def within(self, el: Element):
        """Build inside an element made earlier (a table cell)."""
        self.stack.append(el)
        try:
            yield el
        finally:
            self.stack.pop()

    def leaf(self, role: str, **kw) -> Element:
        return self.current.add(role, **kw)

    def heading(self, level: int) -> Element:
        """Close sections of this level and deeper, open a new Sect, and return its H<level>."""
        while self.sections and self.sections[-1][0] >= level:
            self.sections.pop()
            self.stack.pop()
        sect = self.current.add("Sect")
        self.stack.append(sect)
        self.sections.append((level, sect))
        return sect.add(f"H{level}")

    def end_sections(self) -> None:
        while self.sections:
            self.sections.pop()
            self.stack.pop()


# ----------------------------------------------------------------------------- drawing side
ARTIFACT = "Artifact"


class Marker:
    """Writes BDC/EMC into the canvas's page stream and records MCIDs.

    The stack holds what is open in the content stream: ``ARTIFACT`` at the
    bottom (implicitly opened at the top of every page), elements above it.
    Only the top one is open in the stream at any time, so tagged content and
    artifacts never nest."""

    def __init__(self):
        self.stack: list = [ARTIFACT]
        self.next_mcid = 0
        self.page_mcids: dict[int, int] = {}  # page -> MCIDs used

    def _open(self, canv, what) -> None:
        if what is ARTIFACT:
            canv._code.append("/Artifact BMC")
            return
        page = canv.getPageNumber() - 1
        mcid = self.page_mcids.get(page, 0)
        self.page_mcids[page] = mcid + 1
        what.kids.append(Content(page, mcid))
        canv._code.append(f"/{what.role} <</MCID {mcid}>> BDC")

    def begin(self, canv, what) -> None:
        canv._code.append("EMC")
        self.stack.append(what)
        self._open(canv, what)

    def end(self, canv) -> None:
        canv._code.append("EMC")
        self.stack.pop()
        self._open(canv, self.stack[-1])

    @contextmanager
    def content(self, canv, what):
        self.begin(canv, what)
        try:
            yield
        finally:
            self.end(canv)

    def end_page(self, canv) -> None:
        """Before a page is shown: the page stream begins with the artifact
        sequence and ends with every open sequence closed."""
        canv._code.insert(0, "/Artifact BMC")
        canv._code.append("EMC")
        while len(self.stack) > 1:  # never expected: a flowable is drawn on one page
            self.stack.pop()
            canv._code.append("EMC")

    def annotation(self, canv, index: int, description: str) -> None:
        top = self.stack[-1]
        if top is ARTIFACT:
            return
        page = canv.getPageNumber() - 1
        # a link inside a paragraph becomes a Link element described by its
        # alt text; a flowable that is all link (a contents line) holds it itself
        link = top if top.role == "Link" else top.add("Link", alt=description)
        link.kids.append(Annot(page, index, description))


@contextmanager
def artifact(canv):
    """Draw decoration (dot leaders) inside a marked flowable as an artifact."""
    marker = getattr(canv, "marker", None)
    if marker is None or marker.stack[-1] is ARTIFACT:
        yield
        return
    marker.begin(canv, ARTIFACT)
    try:
        yield
    finally:
        marker.end(canv)


class Marked:
    """Mixin for a flowable that draws the content of one structure element.

    A flowable drawn a second time (a table's header rows repeated on the
    next page) draws as an artifact."""

    _pp_tag: Element | None = None
    _pp_drawn: bool = False

    def drawOn(self, canv, x, y, _sW=0):
        marker = getattr(canv, "marker", None)
        if marker is None or self._pp_tag is None or self._pp_drawn:
            return super().drawOn(canv, x, y, _sW)
        self._pp_drawn = True
        with marker.content(canv, self._pp_tag):
            return super().drawOn(canv, x, y, _sW)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for p in parts:
            mark(p, self._pp_tag)
        return parts


_marked_classes: dict[type, type] = {}


def mark(flowable, element: Element | None):
    """Make ``flowable`` draw the content of ``element`` (returns it)."""
    if element is None:
        return flowable
    cls = type(flowable)
    if not issubclass(cls, Marked):
        sub = _marked_classes.get(cls)
        if sub is None:
            sub = _marked_classes[cls] = type(cls.__name__, (Marked, cls), {})
        flowable.__class__ = sub
    flowable._pp_tag = element
    return flowable


def tag_of(flowable) -> Element | None:
    return getattr(flowable, "_pp_tag", None)


class _Label(BulletDrawer):
    """A list bullet or number drawn as the content of the item's Lbl."""

    element: Element | None = None

    def drawOn(self, indenter, canv, x, y, _sW=0):
        marker = getattr(canv, "marker", None)
        if marker is None or self.element is None:
            return super().drawOn(indenter, canv, x, y, _sW)
        with marker.content(canv, self.element):
            return super().drawOn(indenter, canv, x, y, _sW)


class TaggedList(ListFlowable):
    """A ListFlowable whose bullets draw into the items' Lbl elements."""

    def __init__(self, items, labels: list[Element], **kw):
        self._pp_labels = labels
        super().__init__(items, **kw)

    def _getContent(self):
        self._pp_next = 0
        return super()._getContent()

    def _makeBullet(self, value, params=None):
        drawer = super()._makeBullet(value, params)
        drawer.__class__ = _Label
        if self._pp_next < len(self._pp_labels):
            drawer.element = self._pp_labels[self._pp_next]
        self._pp_next += 1
        return drawer


class SpacedText(PDFTextObject):
    """A text object that ends each wrapped line of a paragraph with a space
    (an invisible glyph), so that text extraction and screen readers find a
    word boundary at every line break ("Digital Transition", not
    "DigitalTransition").  A line ending in a hyphen gets none."""

    def _textOut(self, text, TStar=0):
        if TStar and not text.endswith((" ", "-", "\u2010", "\u00ad")):
            text += " "
        super()._textOut(text, TStar)
