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

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph
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

    def __deepcopy__(self, memo) -> "Element":
        # one node of the one tree: reportlab deep-copies a flowable it splits
        # (a list in a table cell), and the copy's parts still draw into it
        return self

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
        self.page_mcids: dict[int, int] = {}  # page -> MCIDs used

    def _open(self, canv, what) -> None:
        canv._code.append(self.open_code(canv, what))

    def open_code(self, canv, what) -> str:
        """The operator that opens ``what`` (a new MCID for an element)."""
        if what is ARTIFACT:
            return "/Artifact BMC"
        return f"/{what.role} <</MCID {self.new_mcid(canv, what)}>> BDC"

    def new_mcid(self, canv, element: Element) -> int:
        page = canv.getPageNumber() - 1
        mcid = self.page_mcids.get(page, 0)
        self.page_mcids[page] = mcid + 1
        kids = element.kids
        # a Link's text comes before its annotation (made earlier by reportlab)
        at = next((i for i, k in enumerate(kids) if isinstance(k, Annot)), len(kids))
        kids.insert(at, Content(page, mcid))
        return mcid

    def around_text(self, canv, code: str) -> str:
        """A text object that marks its own content: what is open in the
        page stream closes before it and opens again after it, so marked
        sequences never cross BT/ET."""
        return f"EMC {code} {self.open_code(canv, self.stack[-1])}"

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

    def annotation(self, canv, index: int, description: str, target: str = "") -> None:
        page = canv.getPageNumber() - 1
        text = getattr(canv, "_pp_tx", None)
        link = text.link_for(target) if text is not None else None
        if link is not None:  # a link in a paragraph: the Link that owns its text
            link.kids.append(Annot(page, index, description))
            return
        top = self.stack[-1]
        if top is ARTIFACT:
            return
        # a flowable that is all link (a contents line) holds it itself; a
        # link with no text of its own is described by its alt text
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
        if isinstance(self, Paragraph):  # its text object marks the text (and its links)
            owner, bl = self._pp_tag, getattr(self, "blPara", None)
            if bl is not None and bl.kind == 0 and getattr(bl, "link", None):
                owner = owner.add("Link")  # a paragraph that is one link throughout
            canv._pp_text = (owner, line_breaks(self))
            try:
                return super().drawOn(canv, x, y, _sW)
            finally:
                canv._pp_text = canv._pp_tx = None
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


HYPHENATED = "hyphenated"  # a line that ends with a hyphen reportlab added (hyphenation): not the text's


def line_breaks(para) -> list[bool | str] | None:
    """For each line of a laid-out paragraph, whether it ends where the
    source text has a space (True), inside a word that was broken there
    (False), or inside a word with a hyphen that hyphenation added
    (``HYPHENATED``).  None when the lines do not spell the source: then the
    text object guesses from the line's last character.  (The rest of a
    paragraph split over two pages is made by reportlab from its lines, with
    a space at each former line end.)"""
    bl = getattr(para, "blPara", None)
    frags = getattr(para, "frags", None)
    if bl is None or frags is None:
        return None
    source = getattr(para, "_pp_text", None)  # words.Paragraph's text as written (reportlab replaces its frags)
    if source is None:
        source = "".join(getattr(f, "text", "") for f in frags if not hasattr(f, "cbDefn"))
    if bl.kind == 0:
        lines = [" ".join(words) for _, words in bl.lines]
    else:
        lines = ["".join(getattr(w, "text", "") for w in line.words if not hasattr(w, "cbDefn")) for line in bl.lines]
    squashed, word_ends, at = "".join(source.split()), set(), 0
    for word in source.split():
        at += len(word)
        word_ends.add(at)
    out, at = [], 0
    for text in lines:
        line = "".join(text.split())
        if squashed.startswith(line, at):
            at += len(line)
            out.append(at in word_ends or at >= len(squashed))
        elif line.endswith("-") and squashed.startswith(line[:-1], at) and at + len(line) - 1 not in word_ends:
            at += len(line) - 1
            out.append(HYPHENATED)
        else:
            return None
    return out


_PAINTS = re.compile(r"T[jJ]$|T[jJ] T\*$")


class SpacedText(PDFTextObject):
    """The text object of the PDF writer.

    * **Word boundaries at line breaks.**  Each wrapped line ends with an
      added space (an invisible glyph), so that text extraction and screen
      readers find a word boundary at every line break ("Digital Transition",
      not "DigitalTransition") — but only where the source text has a space
      there: a long word broken after its slash in a narrow cell
      ("data-driven/|knowledge") stays one word.  For text the writer did
      not tag, a line ending in a hyphen gets none.  A hyphen that
      hyphenation added is drawn as an artifact between two sequences of
      its paragraph's text, which reads the word whole ("virtually", not
      "virtu-ally").
    * **Marked text and links.**  When a tagged paragraph draws (``Marked``
      sets ``canvas._pp_text``), the text object marks its own content,
      inside BT/ET: the paragraph's element owns the text, and each link's
      text is a separate sequence owned by a Link child of that element,
      which also receives the link's annotation(s).  reportlab reports a
      link's start only after writing its first fragment (``_linkRecord``),
      so ownership is recorded as runs over the code and the BDC/EMC
      operators are written when the code is packed (``getCode``)."""

    def __init__(self, canvas, x=0, y=0, direction=None):
        super().__init__(canvas, x, y, direction)
        owner, breaks = getattr(canvas, "_pp_text", None) or (None, None)
        self._pp_breaks = breaks
        self._pp_line = 0
        self._pp_hyphens: set[int] = set()  # where in the code a hyphen that hyphenation added is drawn
        self._pp_owner = owner if getattr(canvas, "marker", None) is not None else None
        if self._pp_owner is not None:
            self._pp_runs: list[tuple[int, Element]] = [(0, owner)]  # (code index, owner from there)
            self._pp_links: dict = {}  # reportlab's link key (n, href) -> Link element
            self._pp_pending: list[tuple[str, Element]] = []  # links drawn, waiting for their annotation
            self._pp_last = 0
            canvas._pp_tx = self

    def _textOut(self, text, TStar=0):
        if TStar and self._hyphenated(text):  # the added hyphen is drawn as an artifact: the text reads the word whole
            self._pp_line += 1
            self._pp_last = len(self._code)
            self._code.append(self._formatText(text[:-1]))
            self._pp_hyphens.add(len(self._code))
            self._code += [self._formatText("-"), "T*"]
            return
        if TStar:
            breaks, line = self._pp_breaks, self._pp_line
            space = breaks[line] if breaks is not None and line < len(breaks) else (
                breaks is not None or not text.endswith(("-", "\u2010", "\u00ad")))
            if space and not text.endswith(" "):
                text += " "
            self._pp_line += 1
        self._pp_last = len(self._code)
        super()._textOut(text, TStar)

    def _hyphenated(self, text: str) -> bool:
        breaks, line = self._pp_breaks, self._pp_line
        return breaks is not None and line < len(breaks) and breaks[line] == HYPHENATED and text.endswith("-")

    def _linkRecord(self, key, what):
        if self._pp_owner is None:
            return
        if what == "start":  # the link's first fragment is the code just written
            link = self._pp_links.get(key)
            if link is None:
                link = self._pp_links[key] = Element("Link", self._pp_owner)
            self._pp_pending.append((str(key[1]).strip(), link))
            self._pp_runs.append((self._pp_last, link))
        else:
            self._pp_runs.append((len(self._code), self._pp_owner))

    def link_for(self, target: str) -> Element | None:
        """The Link element an annotation made now belongs to."""
        for i, (href, link) in enumerate(self._pp_pending):
            if href == target:
                return self._pp_pending.pop(i)[1]
        if self._pp_pending:
            return self._pp_pending.pop(0)[1]
        return self._pp_owner if self._pp_owner.role == "Link" else None

    def getCode(self):
        code = super().getCode()
        canvas = self._canvas
        if self._pp_owner is None:
            return code
        canvas._pp_tx = None
        marker = canvas.marker
        owner_at: dict[int, Element] = {}
        for index, el in self._pp_runs:
            owner_at[index] = el
        out, current, want = [], None, self._pp_owner
        for index, item in enumerate(self._code):
            want = owner_at.get(index, want)
            if index in self._pp_hyphens:  # outside the text's sequence, an artifact
                if current is not None:
                    out.append("EMC")
                    current = None
                out.append(f"/Artifact BMC {item} EMC")
                continue
            if want is not current and _PAINTS.search(item):  # open sequences only around painted text
                if current is not None:
                    out.append("EMC")
                if want is not self._pp_owner and want not in self._pp_owner.kids:  # a Link, first drawn
                    self._pp_owner.kids.append(want)
                out.append(f"/{want.role} <</MCID {marker.new_mcid(canvas, want)}>> BDC")
                current = want
            if item == "ET" and current is not None:
                out.append("EMC")
                current = None
            out.append(item)
        return marker.around_text(canvas, " ".join(out))
