"""reportlab's layout errors in an editor's words: the PDF writer knows its
library's messages, the build only gets a ``LayoutImpossible`` that says what
is wrong and what to do."""
from __future__ import annotations

import math
import re

from .. import LayoutImpossible

_TOO_LARGE = re.compile(r"\(([\d.]+) x ([\d.]+)\)[^(]*too large on page (\d+) in frame '[^']*'\(([\d.]+) x ([\d.]+)")
_SPLIT = "split it: a table row or cell into several rows, a long text into paragraphs"


def _mm(points: float) -> str:
    return f"{points / 72 * 25.4:.0f}"


def impossible(exc: Exception, source=None) -> LayoutImpossible:
    """The content error for reportlab's ``exc`` (a LayoutError, or the
    ValueError "negative availWidth" of a table with too many columns)."""
    text = str(exc)
    if "negative availWidth" in text:
        return LayoutImpossible("this table has more columns than fit the width of the page", source,
                                "use fewer columns (split the table in two), or give 'widths:' that leave each column room")
    match = _TOO_LARGE.search(text)
    if not match:
        return LayoutImpossible("this cannot be laid out on the page", source, _SPLIT)
    w, h, page, fw, fh = (float(x) for x in match.groups())
    what, size = ("taller", f"{_mm(h)} mm tall") if h > fh else ("wider", f"{_mm(w)} mm wide")
    return LayoutImpossible(f"this cannot be laid out: a part of it is {what} than a page ({size}, the page's text area is "
                            f"{_mm(fw)} x {_mm(fh)} mm), on page {int(page)}", source, _SPLIT)


def does_not_fit(what: str, need: float, room: float, source, advice: str) -> LayoutImpossible:
    """A text of paper.yaml (a cover or running-header line) that the page
    cannot hold: an error at its line, never cut."""
    need_mm, room_mm = math.ceil(need / 72 * 25.4), math.floor(room / 72 * 25.4)
    return LayoutImpossible(f"{what} does not fit: it needs {need_mm} mm, the page has {room_mm} mm for it", source, advice)
