"""Floats: a figure or table that does not fit where it is written goes to
the top of the next page, and the text after it fills this one (as LaTeX
and Typst place floats).

The realize stage decides which blocks may float (``placement``); here they
are placed. The renderer wraps such a block's flowables in a ``Float``, and
puts a ``Barrier`` before every level-1 heading and at the end of the story.
The document template hands each flowable to ``Placer.before`` first, which

- places a float where it is written when it fits there, when the page is
  still empty, or when it could not fit on any page (it then splits as any
  block does);
- otherwise holds it back, with every float after it (floats keep their
  order), and puts the held floats at the top of the next page, before
  whatever comes first there;
- at a barrier, places the floats still held where they are, so that none
  passes a level-1 heading or the end of the paper; and so before a figure or
  table pinned where it is written (``pinned``), which none passes either.

A float only ever moves later, never before where it is written (nor before
the text that comes before it there). The structure tree keeps each float
where the source puts it: it is built with the story, in the source's order,
and a float's marked content on its page belongs to it wherever it is drawn.

A float that follows a heading stays with it (reportlab's keep-with-next
groups them, and a ``KeepWithHeading`` measures what it holds): a figure is
never separated from the heading it stands under.
"""
from __future__ import annotations

from reportlab.platypus import CondPageBreak, KeepTogether, Spacer
from reportlab.platypus.flowables import Flowable, _listWrapOn


class Float(KeepTogether):
    """The flowables of one figure or table that may float. Where reportlab
    meets it inside a group of its own (a heading's keep-with-next), it is
    that group's part and stays there, kept together."""

    def __init__(self, content: list):
        super().__init__(content)
        self.content = list(content)


class Barrier(Flowable):
    """Floats held back are placed here at the latest (before a level-1
    heading, at the end of the paper). It draws nothing."""

    _ZEROSIZE = True

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


def needed(content: list, width: float, canv) -> float:
    """The height ``content`` takes on a page (its own conditional page
    breaks, which break a page when measured, are left out)."""
    return _listWrapOn(kept_content(content), width, canv)[1]


def kept_content(content: list) -> list:
    """The flowables a group holds (a kept-together group measures itself
    as taller than any page, to be split), less conditional page breaks."""
    out: list = []
    for f in content:
        if isinstance(f, KeepTogether):
            out += kept_content(f._content)
        elif not isinstance(f, CondPageBreak):
            out.append(f)
    return out


class Placer:
    """The floats of one layout: those held back, in order, and the page
    they were held back on."""

    def __init__(self):
        self.held: list[Float] = []
        self.held_on = 0

    def before(self, template, flowables: list) -> bool:
        """Called with the story's rest before its first flowable is laid
        out: may place, hold back or bring back floats at its front. True
        when it took the first flowable (a float held back, a barrier with
        nothing to place): the template then lays out nothing this time."""
        frame = getattr(template, "frame", None)
        if frame is None or not flowables or flowables is template._hanging:  # between pages
            return False
        if self.held and template.page > self.held_on and frame._atTop:
            if hasattr(flowables[0], "_postponed"):  # reportlab moved it here to stand at the top; it no longer does
                del flowables[0]._postponed  # (else, not fitting below the floats, it is taken for taller than a page)
            flowables[0:0], self.held = self.held, []  # the top of the next page
        first = flowables[0]
        if self.held and getattr(first, "pinned", False):  # a figure or table pinned where it is written
            flowables[0:0] = [f for held in self.held for f in held.content]  # comes after the floats held before it
            self.held = []
            return False
        if isinstance(first, Barrier):
            flowables[0:1] = [f for held in self.held for f in held.content]
            self.held = []
            return True
        if isinstance(first, Float):
            if self.held or not self._fits(first, frame, template.canv):
                del flowables[0]
                if not self.held:
                    self.held_on = template.page
                self.held.append(first)
                return True
            else:
                flows = list(first.content)
                if frame._atTop:  # the top of a page: no space above it
                    while flows and isinstance(flows[0], Spacer):
                        del flows[0]
                flowables[0:1] = flows
        return False

    @staticmethod
    def _fits(flow: Float, frame, canv) -> bool:
        if frame._atTop:
            return True
        height = needed(flow.content, frame._getAvailableWidth(), canv)
        return height <= frame._y - frame._y1p or height > frame._aH  # what fits no page is placed (and split) here
