"""Paragraphs that never cut a word inside.

reportlab breaks lines at spaces only, and a word wider than a line it cuts
wherever the line ends ("data-driven/k" | "nowledge-enabled"). A paragraph
here is laid out as reportlab would, and only when reportlab had to cut a
word is it laid out again with more places to break, in this order:

1. after the realize stage's ``WordBreak`` marks (after a slash), which the
   markup carries as an empty ``<onDraw>`` (reportlab's parser reads a
   zero-width space as a space);
2. also after a hyphen a letter follows ("5G-|ready", never "2021-2027":
   realize/breaks.AFTER_HYPHEN), and in a web or mail address after its
   slashes only (reportlab's own address splitting can leave the rest of an
   address wider than the line);
3. if a word is still wider than its column, the build stops with an error
   at the block's line that names the word: a word is never cut inside.

A break draws nothing: the PDF's text (and what is copied or searched) gains
no character, and a paragraph with no word too wide for its line is laid out
exactly as before."""
from __future__ import annotations

import re

from reportlab.lib.abag import ABag
from reportlab.lib.rl_accel import sameFrag
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph as _Paragraph

from ...realize.breaks import ADDRESS, AFTER_HYPHEN
from .. import LayoutImpossible

_CALLBACK = "paperpipe-word-break"  # the canvas callback a break draws: nothing
MARK = f'<onDraw name="{_CALLBACK}"/>'  # a WordBreak in the markup (reportlab reads a zero-width space as a space)
_AFTER_SLASH = re.compile(r"(?<=/)(?=[^/])")
_WORD = re.compile(r"\S+")


def _nothing(canvas, kind, label) -> None:
    return None


def _is_mark(frag) -> bool:
    return getattr(getattr(frag, "cbDefn", None), "name", None) == _CALLBACK


def _break(frag):
    """A frag of no width that ends the word before it without a space: where
    reportlab may break a line, drawing nothing."""
    return frag.clone(text="", cbDefn=ABag(kind="break", name=_CALLBACK, width=1e-6, height=0, valign="baseline"))


def _in_word(word: str) -> str:
    """A word with a NUL where it may break: after a hyphen a letter follows
    (realize/breaks.AFTER_HYPHEN), or in a web or mail address after its
    slashes only."""
    return (_AFTER_SLASH if ADDRESS.search(word) else AFTER_HYPHEN).sub("\0", word)


def _at_hyphens(frag) -> list:
    """The text frag in pieces, a break at each place ``_in_word`` finds."""
    pieces = _WORD.sub(lambda w: _in_word(w.group()), frag.text).split("\0")
    return [piece for i, text in enumerate(pieces) for piece in ([_break(frag)] if i else []) + [frag.clone(text=text)]]


def _frags(parsed, marks: bool, hyphens: bool) -> list:
    """Fresh copies of the parsed frags: without the marks (the text as it
    was before they were set, with the text on both sides of a mark one frag
    again), or with a break at each (and at each hyphen)."""
    out: list = []
    joining = False
    for f in parsed:
        if _is_mark(f):
            if marks:
                out.append(_break(f))
            joining = not marks
            continue
        text = getattr(f, "text", None)
        if joining and out and text and not hasattr(f, "cbDefn") and not hasattr(out[-1], "cbDefn") and sameFrag(out[-1], f):
            out[-1].text += text
        elif hyphens and text and not hasattr(f, "cbDefn"):
            out += _at_hyphens(f)
        else:
            out.append(f.clone())
        joining = False
    return out


_VARIANTS = ((False, False), (True, False), (True, True))  # (break at the marks, and at hyphens)


class Paragraph(_Paragraph):
    """reportlab's Paragraph that breaks a word too wide for its line only
    after a slash or a hyphen, never inside (see the module)."""

    _pp_parsed = None  # the frags as parsed, marks and all (a paragraph made from another's lines has none)
    _pp_remade = False  # whether its frags are remade from those before each layout
    _pp_text = None  # its text as written, without marks (tags.line_breaks reads where its lines end)

    def _setup(self, text, style, bulletText, frags, cleaner):
        fresh = frags is None
        super()._setup(text, style, bulletText, frags, cleaner)
        if fresh:
            self._pp_parsed = self.frags
            self._pp_remade = any(_is_mark(f) for f in self.frags)
            self._pp_text = "".join(" " if hasattr(f, "lineBreak") else getattr(f, "text", "")  # a <br/>: a word boundary
                                    for f in self.frags if not hasattr(f, "cbDefn"))

    def breakLines(self, width):
        """The lines at ``width``: the same as the last time when the width
        and the frags are (reportlab wraps a paragraph again and again at
        one width: to measure a kept-together group, a float, a table row,
        then in its frame), else broken anew."""
        key = tuple(width) if isinstance(width, list) else width
        last = self.__dict__.get("_pp_lines")
        if last is not None and last[0] == key and last[1] is self.frags:
            return last[2]
        lines = self._break_lines(width)
        self._pp_lines = (key, self.frags, lines)
        return lines

    def _break_lines(self, width):
        if self._pp_parsed is None:
            return super().breakLines(width)
        for marks, hyphens in _VARIANTS:
            if marks or self._pp_remade:
                self.frags = _frags(self._pp_parsed, marks, hyphens)
                self._pp_remade = True
            lines = super().breakLines(width)
            if not self._splitLongWordCount:
                return lines
        raise self._too_wide(width)

    def draw(self):
        self.canv.setNamedCB(_CALLBACK, _nothing)
        super().draw()

    def _too_wide(self, width) -> LayoutImpossible:
        room = min(width) if isinstance(width, (list, tuple)) else width
        # the pieces between the places it may break (its marks, and what _in_word finds): not at every
        # slash, as one the realize stage did not mark is no place to break
        text = "".join("\0" if _is_mark(f) else " " if hasattr(f, "lineBreak") else getattr(f, "text", "")
                       for f in self._pp_parsed if _is_mark(f) or not hasattr(f, "cbDefn"))
        pieces = [p for word in text.split() for p in _in_word(word).split("\0") if p]
        font = self.style.fontName, self.style.fontSize
        widest = max(pieces, key=lambda p: stringWidth(p, *font), default="")
        need = stringWidth(widest, *font)
        widest = widest.strip(".,;:!?()[]\"'“”‘’") or widest  # named without the punctuation around it
        named = f"'{widest}'" if len(widest) <= _NAMED else f"'{widest[:_NAMED_START]}…' ({len(widest):,} characters)"
        return LayoutImpossible(  # a long word by its start and length: the whole of it would bury the advice
            f"the word {named} is wider than its column in the PDF ({_mm(need)} mm, the column has {_mm(room)} mm), "
            "and a word is never cut inside",
            getattr(self, "source", None), "break it with a hyphen or a slash, shorten it, or give its column more room")


_NAMED, _NAMED_START = 160, 60  # a word longer than _NAMED characters is named by its first _NAMED_START


def _mm(points: float) -> str:
    return f"{points / 72 * 25.4:.0f}"
