"""Where a long word may break: after the "/" between two words joined by a
slash ("data-driven/knowledge-enabled", "value/supply").

Without it the PDF cut such a word inside ("data-driven/k" | "nowledge-
enabled") when it was wider than a table column. The realize stage puts a
``WordBreak`` after each such slash, once for all three outputs: the page
prints <wbr>, the DOCX a zero-width space (an optional break in Word and
LibreOffice), the PDF breaks there when the word does not fit on a line of
its own. Nothing is marked in code, in a link's text, or in a word that reads
as a web or mail address (its slashes are the address's). The theme's
``typography.break_after_slash`` turns this on.

After a hyphen (``AFTER_HYPHEN``, which the PDF's paragraphs take for a word
too wide for a line; the page and the DOCX break after hyphens on their
own): when a letter follows it, after a letter or a digit ("COVID-19-|
related", "5G-|ready", "2021-|based"), never before a digit ("COVID-19",
"2021-2027", "pre-2021" stay whole: a line that starts with a number reads
as a new number or a range cut in two). Chromium and LibreOffice also break
before a digit ("2021-|2027"); the PDF breaks at a subset of their places,
never at one they would not."""
from __future__ import annotations

import re
from dataclasses import replace

from .. import model as m
from ..theme import Theme
from ..visit import map_blocks, map_own_inlines

_AFTER_SLASH = re.compile(r"(?<=[^\W\d_]/)(?=[^\W\d_])")  # a letter, "/", here, a letter
# a word that reads as a web or mail address (its slashes are the address's): https://…, www.…, a@b, ec.europa.eu/…
# (the PDF's paragraphs break such a word at its slashes alone: writers/pdf/words.py)
ADDRESS = re.compile(r"://|^\W*www\.|@|\.[^\W\d_]{2,}/", re.IGNORECASE)
# After a hyphen that joins two parts of a word, when a letter follows it:
# "COVID-19-|related", "5G-|ready", "2021-|based", "co-|operation". Never
# before a digit: "COVID-19", "2021-2027", "pre-2021" stay whole, as a line
# that starts with a number reads as a new number (the same reason
# dashes.py keeps "2022 – 2023" whole), and never after a hyphen that starts
# a word ("-based"). This is the Unicode line breaking rule (UAX #14)
# without its break after a hyphen before a digit, which Chromium and
# LibreOffice also take ("2021-|2027"): the PDF breaks at a subset of the
# places the page and the DOCX may break, never at one they would not.
# (The PDF's paragraphs take these places only for a word too wide for a
# line: writers/pdf/words.py.)
AFTER_HYPHEN = re.compile(r"(?<=[^\W_]-)(?=[^\W\d_])")
_WORD = re.compile(r"\S+")


def break_points(text: str) -> list[int]:
    """The offsets in ``text`` where a line may break after a slash."""
    if "/" not in text:  # most texts: no word of them is looked at
        return []
    return [at for word in _WORD.finditer(text) if not ADDRESS.search(word.group())
            for at in (word.start() + found.start() for found in _AFTER_SLASH.finditer(word.group()))]


def with_breaks(inlines: tuple) -> tuple:
    """The inlines with a WordBreak after each slash of their text (not in
    code, and not inside a link)."""
    out: list = []
    for node in inlines:
        if isinstance(node, m.Text):
            start = 0
            for at in break_points(node.text):
                out += [m.Text(node.text[start:at]), m.WordBreak()]
                start = at
            out.append(node if start == 0 else m.Text(node.text[start:]))
        elif isinstance(node, (m.Strong, m.Emph)):
            out.append(replace(node, children=with_breaks(node.children)))
        elif isinstance(node, m.Ref) and node.children:
            out.append(replace(node, children=with_breaks(node.children)))
        else:  # Code, Link (its text may be the address), LineBreak
            out.append(node)
    return tuple(out)


def realize_breaks(doc: m.Document, theme: Theme) -> m.Document:
    if not theme.typography.break_after_slash:
        return doc
    return replace(doc, blocks=map_blocks(doc.blocks, lambda block: map_own_inlines(block, with_breaks)))
