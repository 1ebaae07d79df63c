"""Vertical spacing and keep rules that make Word and LibreOffice break pages
where the PDF does.

Between two paragraphs reportlab (the PDF) puts the larger of the first's
space after and the second's space before, as Word and LibreOffice do; but
its spacers (and its conditional page breaks, which are zero-height spacers)
stand between the two, so that across them the gap is after + spacer +
before.  Inside a table cell or a sidebar box reportlab adds the spaces up,
leaving out the first paragraph's space before and the last one's space
after.  Word has neither spacers nor adding cells.

The writer therefore collects the paragraphs and tables of a flow as
``Item``s carrying the PDF's space before and after and any spacer above
them; ``finish_flow`` and ``finish_box`` give each paragraph the Word
spacing that yields the PDF's gaps, as direct formatting only where it
differs from the paragraph's style.  reportlab keeps a heading with the
whole next paragraph; that becomes "keep lines together" on the paragraph.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn
from lxml import etree

from .fields import el, twips

PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
]


@dataclass
class Item:
    """A paragraph or table of a flow, with the PDF's spacing around it.

    ``style_before``/``style_after`` are what the paragraph's Word style
    already gives, so that only differences become direct formatting."""

    node: etree._Element
    before: float = 0.0
    after: float = 0.0
    style_before: float = 0.0
    style_after: float = 0.0
    spacer: float = 0.0  # explicit space (reportlab Spacers) just above this item
    role: str = "paragraph"  # paragraph | heading | list | caption | figure | table | box | toc | title
    page_break: bool = False
    barrier: bool = False  # a spacer stands between this item and the previous one
    height: float | None = None  # as the PDF lays it out, when known
    line: float = 0.0  # line height (paragraphs)
    cond: float = 0.0  # the PDF breaks the page before this item if less space is left
    keep_lines: bool = False
    keep_whole: bool = False  # a table kept in one piece
    row_heights: list | None = None  # tables: each row's height, when known
    no_break_before: bool = False  # the PDF shows this on the page of the anchor before it

    @property
    def min_height(self) -> float | None:
        """The least of the item Word must fit on a page before breaking it:
        widow control keeps two lines together at either end."""
        if self.height is None:
            return None
        if self.is_table or self.keep_lines or not self.line:
            return self.height
        lines = round(self.height / self.line)
        return self.height if lines < 4 else 2 * self.line

    @property
    def is_table(self) -> bool:
        return self.node.tag == qn("w:tbl")


@dataclass
class Flow:
    """The items of one flow (the body, a table cell, a sidebar box) in order."""

    items: list[Item] = field(default_factory=list)
    pending_spacer: float = 0.0
    pending_barrier: bool = False
    pending_break: bool = False
    pending_cond: float = 0.0

    def add(self, item: Item) -> Item:
        item.cond = max(item.cond, self.pending_cond)
        self.pending_cond = 0.0
        item.spacer += self.pending_spacer
        item.barrier = item.barrier or self.pending_barrier or self.pending_spacer > 0
        item.page_break = item.page_break or self.pending_break
        self.pending_spacer = 0.0
        self.pending_barrier = False
        self.pending_break = False
        self.items.append(item)
        return item

    def spacer(self, height: float) -> None:
        """Explicit space (a reportlab Spacer; a CondPageBreak is one of no height)."""
        self.pending_spacer += height
        self.pending_barrier = True

    def page_break(self) -> None:
        self.pending_break = True

    def conditional_break(self, height: float) -> None:
        """reportlab's CondPageBreak: a new page unless ``height`` is left."""
        self.spacer(0.0)
        self.pending_cond = height


# ----------------------------------------------------------------------------- pPr helpers
def ppr_of(p: etree._Element) -> etree._Element:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    return ppr


def set_ppr(p: etree._Element, child: etree._Element) -> None:
    """Put a paragraph property in schema order, replacing one of the same kind."""
    ppr = ppr_of(p)
    name = etree.QName(child).localname
    existing = ppr.find(qn(f"w:{name}"))
    if existing is not None:
        ppr.replace(existing, child)
        return
    rank = PPR_ORDER.index(name)
    for i, node in enumerate(ppr):
        other = etree.QName(node).localname
        if other in PPR_ORDER and PPR_ORDER.index(other) > rank:
            ppr.insert(i, child)
            return
    ppr.append(child)


def set_spacing(p: etree._Element, before: float | None = None, after: float | None = None,
                line: float | None = None, rule: str = "exact") -> None:
    """Direct spacing on a paragraph (attributes not given are left as they are)."""
    ppr = ppr_of(p)
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = el("w:spacing")
        set_ppr(p, spacing)
    if before is not None:
        spacing.set(qn("w:before"), str(twips(max(before, 0.0))))
    if after is not None:
        spacing.set(qn("w:after"), str(twips(max(after, 0.0))))
    if line is not None:
        spacing.set(qn("w:line"), str(twips(line)))
        spacing.set(qn("w:lineRule"), rule)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 0.025


def _paragraphs_of_table(tbl: etree._Element) -> list[etree._Element]:
    return list(tbl.iter(qn("w:p")))


# ----------------------------------------------------------------------------- finishing
def finish_flow(flow: Flow, append, spacer_paragraph) -> None:
    """The body: gaps as reportlab's frames make them, keeps as its keepWithNext.

    ``append(node)`` places a node; ``spacer_paragraph(height)`` makes an empty
    paragraph of that height (Word needs one between two tables anyway)."""
    items = flow.items
    gaps = [0.0] * len(items)
    for i, item in enumerate(items):
        prev = items[i - 1] if i else None
        if item.page_break:
            if item.is_table:
                item.spacer_node = spacer_paragraph(0.0)  # type: ignore[attr-defined]
                set_ppr(item.spacer_node, el("w:pageBreakBefore"))
            else:
                set_ppr(item.node, el("w:pageBreakBefore"))
                _apply(item, 0.0, item.after)
            continue
        if prev is None:
            if not item.is_table:
                _apply(item, 0.0, item.after)
            continue
        gap = prev.after + item.spacer + item.before if item.barrier else max(prev.after, item.before)
        gaps[i] = gap
        if not item.is_table:
            # Word puts the larger of the previous space after and this space before
            _apply(item, gap if (prev.is_table or gap > prev.after + 0.001 or item.before > gap) else item.before, item.after)
        elif prev.is_table:
            item.spacer_node = spacer_paragraph(gap)  # type: ignore[attr-defined]
        else:
            _apply(prev, None, gap)
    _keeps(items)
    _conditional_breaks(items, gaps)
    for item in items:
        node = getattr(item, "spacer_node", None)
        if node is not None:
            append(node)
        append(item.node)


def _apply(item: Item, before: float | None, after: float | None) -> None:
    """Write the spacing that differs from the style's."""
    b = None if before is None or _close(before, item.style_before) else before
    a = None if after is None or _close(after, item.style_after) else after
    if b is not None or a is not None:
        set_spacing(item.node, b, a)
    if before is not None:
        item.style_before = before
    if after is not None:
        item.style_after = after


def _keeps(items: list[Item]) -> None:
    """reportlab keeps a heading (and any heading right after it) with the
    whole next paragraph: Word's "keep lines together" on that paragraph,
    the headings having "keep with next" from their style."""
    for i, item in enumerate(items[:-1]):
        if item.role == "heading" and items[i + 1].role == "paragraph":
            items[i + 1].keep_lines = True
            set_ppr(items[i + 1].node, el("w:keepLines"))


def _conditional_breaks(items: list[Item], gaps: list[float]) -> None:
    """reportlab starts a chapter (and a long captioned table) on a new page
    when less than a given height is left; Word has no such break.  The
    same effect: keep the heading with as much of what follows as comes
    closest to that height ("keep with next" and "keep lines together" on
    the paragraphs, on the first rows of a table)."""
    for i, item in enumerate(items):
        if not item.cond or item.page_break or i == 0 or item.height is None:
            continue
        # the page breaks in the PDF when the space from the end of the
        # previous text is below: previous space after + spacers + cond; in
        # Word when it is below: gap + what is kept together
        want = items[i - 1].after + item.spacer + item.cond - gaps[i]
        options: list[tuple[float, int, object]] = []
        total = item.height
        j = i + 1
        while j < len(items) and total < want + 40:
            nxt = items[j]
            if nxt.is_table:
                if nxt.keep_whole and nxt.height is not None:
                    options.append((total + gaps[j] + nxt.height, j, len(nxt.row_heights or [0]) - 1))
                elif nxt.row_heights and None not in nxt.row_heights:
                    rows = 0.0
                    for r, h in enumerate(nxt.row_heights):
                        rows += h
                        options.append((total + gaps[j] + rows, j, r))
                break
            if nxt.height is None or nxt.min_height is None:
                break
            if nxt.role != "heading":  # a heading always keeps with what follows it
                if not nxt.keep_lines or j > i + 1:
                    options.append((total + gaps[j] + nxt.min_height, j, "partial"))
                options.append((total + gaps[j] + nxt.height, j, "full"))
            total += gaps[j] + nxt.height
            j += 1
        if not options:
            continue
        default = options[0]
        if item.no_break_before:
            # the PDF did not break here: keep no more than it needs
            fitting = [o for o in options if o[0] <= want + 0.01]
            best = max(fitting, key=lambda o: o[0]) if fitting else default
        else:
            best = min(options, key=lambda o: abs(o[0] - want))
        if best is default or abs(best[0] - want) >= abs(default[0] - want) - 0.01:
            continue
        _, last, mode = best
        for k in range(i + 1, last):
            set_ppr(items[k].node, el("w:keepNext"))
            if not items[k].is_table:
                set_ppr(items[k].node, el("w:keepLines"))
        target = items[last]
        if target.is_table:
            rows = target.node.findall(qn("w:tr"))
            for tr in rows[: int(mode)]:
                for p in tr.iter(qn("w:p")):
                    set_ppr(p, el("w:keepNext"))
        elif mode == "full":
            set_ppr(target.node, el("w:keepLines"))


def finish_box(flow: Flow, container: etree._Element) -> None:
    """A table cell or sidebar: spaces add up; none above the first paragraph
    or below the last.  Word takes the larger of space after and space
    before, so each paragraph's space before carries the sum."""
    items = flow.items
    for i, item in enumerate(items):
        if item.is_table:
            continue
        prev_after = items[i - 1].after if i else 0.0
        before = 0.0 if i == 0 else prev_after + item.spacer + item.before
        after = 0.0 if i == len(items) - 1 else item.after
        _apply(item, before, after)
    for item in items:
        container.append(item.node)


def box_height(flow: Flow) -> float | None:
    """The height of a cell's or box's content as the PDF adds it up."""
    total = 0.0
    for i, item in enumerate(flow.items):
        if item.height is None:
            return None
        total += item.height
        if i:
            total += flow.items[i - 1].after + item.spacer + item.before
    return total
