"""A returned PDF: its text (from pdfium, page by page) and the reviewers'
annotations as Acrobat and Reader write them, in a file saved whole or
as an incremental update (pikepdf reads the file's last state).

- highlights, underlines, squiggles: comments on the words under their
  ``/QuadPoints``; strike-outs: deletions of those words;
- a caret: an insertion of its text at the nearest place in the line; a
  caret grouped with a strike-out (``/IRT``, ``/RT /Group``, ``/IT
  /Replace`` and ``/StrikeOutTextEdit``): one replacement;
- sticky notes (``/Text``), typewriter text (``/FreeText``) and other
  marks: comments on the nearest line of the paper's text;
- replies (``/IRT``, ``/RT /R``) follow their comment; review states
  (``/State``) are not findings.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .docx import day
from .marks import Mark, Reviewed
from .untrusted import Refused

MAX_PAGES = 2_000
MAX_ANNOTATIONS = 20_000
MAX_ENTRIES = 200_000    # entries of the pages' annotation lists, links and form fields included
MAX_PAGE_TEXT = 100_000    # characters of one page (a dense page of small print has some 8,000)
MAX_TEXT = 4_000_000       # characters of all the pages together
MAX_QUADS = 1_000       # quadrilaterals of one mark (a highlight over a whole page has some 60)
MAX_ALL_QUADS = 20_000   # quadrilaterals of all the marks together
MARKUP = {"/Highlight": "highlighted", "/Underline": "underlined", "/Squiggly": "squiggled"}
SKIPPED = {"/Popup", "/Link", "/Widget", "/PrinterMark", "/TrapNet", "/Watermark", "/Screen", "/3D"}


@dataclass
class _Annot:
    key: tuple
    page: int
    subtype: str
    contents: str
    author: str
    date: str
    irt: tuple | None
    rt: str
    it: str
    quads: list[tuple[float, float, float, float]]
    rect: tuple[float, float, float, float]
    children: list["_Annot"] = field(default_factory=list)


def _string(value) -> str:
    """A PDF text string; anything else (a number, an array, a dictionary) is no text."""
    import pikepdf

    try:
        return str(value) if isinstance(value, (pikepdf.String, str)) else ""
    except (UnicodeError, ValueError, TypeError):
        return ""


def _text(value) -> str:
    return " ".join(_string(value).split())


def _raw_text(value) -> str:
    """Text as typed (an inserted " word" keeps its space), on one line."""
    return _string(value).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def _numbers(value, limit: int = 4) -> list[float]:
    """The numbers of an array of at most ``limit`` (none when it is longer or not all numbers)."""
    import pikepdf

    if not isinstance(value, pikepdf.Array) or len(value) > limit:
        return []
    try:
        numbers = [float(x) for x in value]
    except (TypeError, ValueError):
        return []
    return numbers if all(abs(x) < 1e9 for x in numbers) else []  # NaN and infinities too


def _date(value) -> str:
    found = re.match(r"D:(\d{4})(\d{2})(\d{2})", _text(value))
    return day(f"{found.group(1)}-{found.group(2)}-{found.group(3)}") if found else ""


def _annotations(data: bytes) -> tuple[list[_Annot], int]:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused("the PDF is password-protected: save a copy without the password "
                      "(in Acrobat: File > Properties > Security: No Security) and run review on it") from None
    except (pikepdf.PdfError, ValueError, OSError):
        raise Refused("this is not a PDF, or it is damaged or cut short (ask the reviewer to send it again)") from None
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise Refused(f"the PDF has {len(pdf.pages)} pages, more than the {MAX_PAGES} a paper can have")
        found: list[_Annot] = []
        quads_left, entries = MAX_ALL_QUADS, 0
        for number, page in enumerate(pdf.pages):
            annots = page.obj.get("/Annots")
            if not isinstance(annots, pikepdf.Array):
                continue
            entries += len(annots)
            if entries > MAX_ENTRIES:  # one list of links may be shared by every page
                raise Refused(f"the PDF's pages list more than {MAX_ENTRIES:,} annotations and links by page {number + 1}; "
                              "it is not a reviewed paper (check that this is the right file)")
            for annot in annots:
                if not isinstance(annot, pikepdf.Dictionary):
                    continue
                if len(found) >= MAX_ANNOTATIONS:
                    raise Refused(f"the PDF holds more than {MAX_ANNOTATIONS:,} annotations; it is not a reviewed paper")
                subtype = str(annot.get("/Subtype", ""))
                if subtype in SKIPPED or "/State" in annot or "/StateModel" in annot:
                    continue  # links, form fields, popups; review states are not findings
                irt = annot.get("/IRT")
                raw = annot.get("/QuadPoints")
                if isinstance(raw, pikepdf.Array) and len(raw) > 8 * MAX_QUADS:
                    raise Refused(f"a mark on page {number + 1} covers more than {MAX_QUADS:,} pieces of text "
                                  "(a whole page has some 60); it is not a reviewer's mark (ask for the file again)")
                quads = _numbers(raw, 8 * MAX_QUADS)
                quads_left -= len(quads) // 8
                if quads_left < 0:
                    raise Refused(f"the PDF's marks cover more than {MAX_ALL_QUADS:,} pieces of text together; it is not a reviewed paper")
                boxes = []
                for q in range(0, len(quads) - 7, 8):
                    xs, ys = quads[q:q + 8:2], quads[q + 1:q + 8:2]
                    boxes.append((min(xs), min(ys), max(xs), max(ys)))
                rect = _numbers(annot.get("/Rect"), 8) or [0, 0, 0, 0]
                found.append(_Annot(
                    # an annotation written in its page's list (not an object of its own) has no number: all are (0, 0)
                    key=annot.objgen if annot.is_indirect else ("direct", len(found)), page=number, subtype=subtype, contents=_raw_text(annot.get("/Contents")),
                    author=_text(annot.get("/T")), date=_date(annot.get("/M") or annot.get("/CreationDate")),
                    irt=irt.objgen if isinstance(irt, pikepdf.Dictionary) and irt.is_indirect else None, rt=str(annot.get("/RT", "/R")),
                    it=str(annot.get("/IT", "")), quads=boxes, rect=tuple(rect[:4]) if len(rect) >= 4 else (0, 0, 0, 0)))
        return found, len(pdf.pages)


class _Pages:
    """The text of every page and, on demand, where each character is."""

    def __init__(self, data: bytes, count: int):
        import pypdfium2 as pdfium

        try:
            self.pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            raise Refused("the PDF cannot be read (it may be damaged or password-protected)") from None
        self.texts: list[str] = []
        self.bases: list[int] = []
        self.boxes: dict[int, list] = {}
        self.middles: dict[int, tuple[list, list]] = {}
        self.tags: dict[int, tuple] = {}
        size = 0
        for number in range(min(count, len(self.pdf))):
            try:
                page = self.pdf[number].get_textpage()
            except pdfium.PdfiumError:
                raise Refused(f"page {number + 1} of the PDF cannot be read (it may be damaged; ask for the file again)") from None
            chars = page.count_chars()
            if chars > MAX_PAGE_TEXT or size + chars > MAX_TEXT:
                held = (f"page {number + 1} holds {chars:,} characters, more than the {MAX_PAGE_TEXT:,} a page of a paper can"
                        if chars > MAX_PAGE_TEXT else f"its pages hold more than {MAX_TEXT:,} characters by page {number + 1}")
                raise Refused(f"this PDF is not a paper made here: {held} (check that this is the right file)")
            text = page.get_text_range(0, chars).replace("\r", " ").replace("\n", " ")
            self.bases.append(size)
            self.texts.append(text)
            size += len(text) + 1
        self.text = "\n".join(self.texts)

    def chars(self, number: int) -> list[tuple[float, float, float, float]]:
        if number not in self.boxes:
            page = self.pdf[number].get_textpage()
            self.boxes[number] = [page.get_charbox(i) for i in range(len(self.texts[number]))]
        return self.boxes[number]

    def _tags(self, number: int):
        if number not in self.tags:
            import pypdfium2.raw as raw

            from .tagged import figures

            page = self.pdf[number]
            found, captions, bounds = figures(page)
            textpage = page.get_textpage()
            mcids = []
            for i in range(len(self.texts[number]) if found else 0):
                obj = textpage.get_textobj(i)  # None for a space or line end pdfium made up
                mcids.append(raw.FPDFPageObj_GetMarkedContentID(obj.raw) if obj is not None else -1)
            self.tags[number] = (found, captions, bounds, mcids)
        return self.tags[number]

    def _caption(self, number: int, figure: int) -> tuple[int, int] | None:
        found, captions, _bounds, mcids = self._tags(number)
        wanted = set(captions.get(figure, ()))
        hit = [i for i, mcid in enumerate(mcids) if mcid in wanted and not self.texts[number][i].isspace()]
        return (self.bases[number] + hit[0], self.bases[number] + hit[-1] + 1) if hit else None

    def figure_at(self, number: int, x: float, y: float) -> tuple[int, int] | None:
        """A figure's caption, when (x, y) is on the figure."""
        for mcid, left, bottom, right, top in self._tags(number)[2]:
            if left <= x <= right and bottom <= y <= top:
                return self._caption(number, mcid)
        return None

    def on_figure(self, span: tuple[int, int]) -> tuple[int, int] | None:
        """A figure's caption, when every character of ``span`` is the figure's drawing."""
        number = max(i for i, base in enumerate(self.bases) if base <= span[0])
        found, _captions, _bounds, mcids = self._tags(number)
        inside = {mcids[i - self.bases[number]] for i in range(*span) if i - self.bases[number] < len(mcids)
                  and not self.text[i].isspace()}
        if found and inside and inside <= found:
            return self._caption(number, next(iter(inside)))
        return None

    def _middles(self, number: int) -> tuple[list, list]:
        """The page's characters (not spaces) by the height of their middle: (heights, (height, x, index))."""
        if number not in self.middles:
            text = self.texts[number]
            found = sorted(((b + t) / 2, (l + r) / 2, i) for i, (l, b, r, t) in enumerate(self.chars(number)) if not text[i].isspace())
            self.middles[number] = ([y for y, _, _ in found], found)
        return self.middles[number]

    def under(self, number: int, quads) -> tuple[int, int] | None:
        """The characters under the quadrilaterals (their middles), as offsets in the whole text."""
        import bisect

        heights, found = self._middles(number)
        hit = set()
        for x0, y0, x1, y1 in quads:  # only the characters at the quadrilateral's height are looked at
            for _y, x, i in found[bisect.bisect_left(heights, y0 - 1):bisect.bisect_right(heights, y1 + 1)]:
                if x0 - 1 <= x <= x1 + 1:
                    hit.add(i)
        if not hit:
            return None
        return self.whole_words(number, min(hit), max(hit) + 1)

    def whole_words(self, number: int, first: int, end: int) -> tuple[int, int]:
        """A stretch of a page's text widened to whole words (a mark's edge may cut one)."""
        text = self.texts[number]
        while first > 0 and text[first - 1].isalnum() and text[first].isalnum():
            first -= 1
        while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
            end += 1
        return self.bases[number] + first, self.bases[number] + end

    def nearest(self, number: int, x: float, y: float, point: bool = False) -> tuple[int, int] | None:
        """The line of text at height ``y`` (else the nearest line above it,
        else below): the whole line, or with ``point`` the place in it nearest ``x``."""
        text = self.texts[number]
        boxes = [(i, box) for i, box in enumerate(self.chars(number)) if not text[i].isspace()]
        if not boxes:
            return None
        on = [(i, box) for i, box in boxes if box[1] - 2 <= y <= box[3] + 2]
        if not on:
            above = [(i, box) for i, box in boxes if box[1] > y]
            pool = above or boxes
            line_y = min(box[1] for _, box in pool) if above else max(box[3] for _, box in pool)
            on = [(i, box) for i, box in pool if (box[1] <= line_y + 1 and box[3] >= line_y - 1)]
        if point:
            i, box = min(on, key=lambda item: abs((item[1][0] + item[1][2]) / 2 - x))
            at = i + 1 if x > (box[0] + box[2]) / 2 else i
            return self.bases[number] + at, self.bases[number] + at
        first, last = min(i for i, _ in on), max(i for i, _ in on)
        return self.whole_words(number, first, last + 1)


def _cut_rings(annots: list[_Annot]) -> dict[tuple, _Annot]:
    """The annotations by key, replies in a ring (A answers B, B answers A)
    cut where the ring's first in the file starts it: they would hang from
    nothing. Each is walked up once (a chain of replies as long as the
    file's annotations is walked in as many steps, not their square), and
    only a ring's own member is cut, not a reply that leads into one."""
    by_key = {a.key: a for a in annots}
    order = {a.key: i for i, a in enumerate(annots)}
    settled: set[tuple] = set()
    for annot in annots:
        path: list[_Annot] = []
        on_path: set[tuple] = set()
        up: _Annot | None = annot
        while up is not None and up.key not in settled and up.key not in on_path:
            path.append(up)
            on_path.add(up.key)
            up = by_key.get(up.irt) if up.irt else None
        if up is not None and up.key in on_path:  # the walk met itself: path from 'up' on is a ring
            ring = path[path.index(up):]
            min(ring, key=lambda a: order[a.key]).irt = None
        settled |= on_path
    return by_key


def read_pdf(data: bytes) -> Reviewed:
    annots, count = _annotations(data)
    pages = _Pages(data, count)
    by_key = _cut_rings(annots)
    top: list[_Annot] = []
    for annot in annots:
        parent = by_key.get(annot.irt) if annot.irt else None
        if parent is not None and parent is not annot:
            parent.children.append(annot)
        else:
            top.append(annot)
    marks: list[Mark] = []
    for annot in top:
        mark = _mark(annot, pages)
        if mark is not None:
            marks.append(mark)
    marks = _join_across_pages(marks, pages.text)
    marks.sort(key=lambda mark: (mark.start, mark.end))
    return Reviewed(pages.text, marks, tracked=True)


def _mark(annot: _Annot, pages: _Pages) -> Mark | None:
    group = [c for c in annot.children if c.rt == "/Group"]
    replies = [c for c in annot.children if c.rt != "/Group"]
    members = [annot, *group]
    strike = next((a for a in members if a.subtype == "/StrikeOut"), None)
    caret = next((a for a in members if a.subtype == "/Caret"), None)
    who = dict(author=annot.author, date=annot.date, key=str(annot.key))
    if strike is not None:
        span = pages.under(strike.page, strike.quads)
        if span is None:
            return None
        old = pages.text[span[0]:span[1]]
        if caret is not None:
            new = caret.contents or (strike.contents if strike.it == "/StrikeOutTextEdit" else "")
            mark = Mark("replacement", *span, old=old, new=new, **who)
        else:
            mark = Mark("deletion", *span, old=old, note=strike.contents, **who)
    elif annot.subtype == "/Caret":
        x, y = annot.rect[0], (annot.rect[1] + annot.rect[3]) / 2
        span = pages.nearest(annot.page, x + (annot.rect[2] - annot.rect[0]) / 2, y, point=True)
        if span is None:
            return None
        mark = Mark("insertion", *span, new=annot.contents, **who)
    else:
        span = pages.under(annot.page, annot.quads) if annot.quads else None
        if span is not None:
            span = pages.on_figure(span) or span
        else:  # a note: on a figure, the figure; else the line it stands on (its icon's top left corner)
            x, y = annot.rect[0], annot.rect[3]
            span = pages.figure_at(annot.page, x, y) or pages.nearest(annot.page, x, y)
        if span is None:
            return None
        note = annot.contents or MARKUP.get(annot.subtype, "")
        mark = Mark("comment", *span, note=note, **who)
    for reply in sorted(replies, key=lambda r: r.date):
        chain = [reply]
        while chain:  # a reply to a reply, at any depth, follows the reply it answers
            deeper = chain.pop()
            mark.replies.append(Mark("comment", mark.start, mark.end, note=deeper.contents, author=deeper.author, date=deeper.date))
            chain.extend(reversed(deeper.children))
    return mark


def _join_across_pages(marks: list[Mark], text: str) -> list[Mark]:
    """A highlight over a page break is two annotations, one a page: one
    comment when the second starts where the next page's text begins
    (after its running header) and says nothing of its own."""
    marks = sorted(marks, key=lambda mark: mark.start)
    out: list[Mark] = []
    for mark in marks:
        last = out[-1] if out else None
        if (last is not None and last.kind == mark.kind == "comment" and last.author == mark.author
                and mark.note in (last.note, "", "highlighted", "underlined", "squiggled") and not mark.replies
                and text.count("\n", last.end, mark.start) == 1 and len(text[last.end:text.find("\n", last.end)].split()) <= 5
                and len(text[text.find("\n", last.end):mark.start].split()) <= 40):
            last.more = (mark.start, mark.end)
            continue
        out.append(mark)
    return out
