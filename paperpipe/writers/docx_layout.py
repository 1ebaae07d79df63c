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

from .docx_fields import el, twips

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

    def add(self, item: Item) -> Item:
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
        if not item.is_table:
            # Word puts the larger of the previous space after and this space before
            _apply(item, gap if (prev.is_table or gap > prev.after + 0.001 or item.before > gap) else item.before, item.after)
        elif prev.is_table:
            item.spacer_node = spacer_paragraph(gap)  # type: ignore[attr-defined]
        else:
            _apply(prev, None, gap)
    _keeps(items)
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
            set_ppr(items[i + 1].node, el("w:keepLines"))


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
