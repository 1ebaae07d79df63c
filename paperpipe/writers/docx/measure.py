"""Line widths that make Word and LibreOffice break lines where the PDF does.

reportlab (the PDF) breaks lines only at spaces, lets a line be a little
wider than the column by shrinking its spaces (``spaceShrinkage``, 5% of a
space each) and cuts a word that is wider than the column anywhere.
LibreOffice breaks at the column edge with the text's natural width, sets
Carlito about 0.2% narrower than reportlab measures it, and may also break
after a hyphen, a dash or a slash.  Left alone, the two break some lines
differently, and when a paragraph gains or loses a line, later pages shift.

For each paragraph this module lays the text out as the PDF does (same
fonts, sizes and breaking rules), then tries column widths around the real
one with a model of LibreOffice's line breaker, and returns how far to move
the paragraph's right edge (a right indent, mostly a fraction of a point)
to the middle of the widest range of widths at which the breaks fall where
the PDF's do (or, failing that, give as many lines).  It only measures:
not a word of the text changes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from ...fonts import register_fonts
from ...style import Style

LO_SCALE = 0.998  # LibreOffice's width of a line of Carlito against reportlab's
# where LibreOffice may break inside a word: after a hyphen before a letter,
# after a dash, after a slash not before a digit
_BREAK_AFTER = re.compile(r"(?:-(?=[^\W\d_])|[–—](?=\S)|/(?=[^\d\s]))")
STEP = 0.1
SEARCH = (-6.0, 6.0)  # column widths tried for the line count, relative to the real one


def markup(inlines, bold=False) -> str:
    """Inline nodes as the PDF writer marks them up, so they measure as wide
    as the PDF prints them (the link colour changes no width)."""
    from ..pdf.document import markup as pdf_markup

    text = pdf_markup(inlines, "#000000")
    return f"<b>{text}</b>" if bold else text


@dataclass
class _Unit:
    """A piece of text LibreOffice will not break: its width, whether a
    space comes before it, whether a forced line break comes before it,
    and the offset of its first character in the paragraph's text."""

    width: float
    space_before: float
    forced: bool
    offset: int


_FITTED: dict[tuple, tuple[float, int]] = {}


class Measure:
    """Lays paragraphs out as the PDF does, to find where its lines break."""

    def __init__(self, style: Style):
        self.fonts = register_fonts(style)
        self.family = style.fonts["family"]
        # what the fonts are: a changed style file must not reuse old widths
        self._faces = tuple(str(style.font_file(face)) for face in ("regular", "bold", "italic", "bold_italic"))

    def _style(self, font_size: float, bold: bool) -> ParagraphStyle:
        return ParagraphStyle("m", fontName=self.fonts["bold"] if bold else self.family, fontSize=font_size, leading=font_size * 1.2)

    def right_indent(self, text_markup: str, font_size: float, width: float, bold_font: bool = False) -> float:
        """The right indent (points, negative to widen) for a paragraph of
        ``text_markup`` in a column ``width`` wide; 0 if it needs none."""
        return self.fit(text_markup, font_size, width, bold_font)[0]

    def fit(self, text_markup: str, font_size: float, width: float, bold_font: bool = False) -> tuple[float, int]:
        """The right indent for the paragraph and the number of lines the PDF gives it.

        Remembered for the life of the process: a --watch rebuild measures
        only the paragraphs that changed."""
        key = (self._faces, self.family, text_markup, font_size, width, bold_font)
        found = _FITTED.get(key)
        if found is None:
            if len(_FITTED) > 20000:
                _FITTED.clear()
            found = _FITTED[key] = self._fit(text_markup, font_size, width, bold_font)
        return found

    def _fit(self, text_markup: str, font_size: float, width: float, bold_font: bool) -> tuple[float, int]:
        if not text_markup.strip() or width <= 20:
            return 0.0, 1
        para = Paragraph(text_markup, self._style(font_size, bold_font))
        frags = [(getattr(f, "text", ""), f.fontName, f.fontSize, bool(getattr(f, "lineBreak", False))) for f in para.frags]
        para.wrap(width, 1e6)
        lines = para.blPara.lines
        if not lines:
            return 0.0, 1
        count = len(lines)
        text, units = self._units(frags)
        if not units:
            return 0.0, count
        wanted = self._pdf_starts(para, lines, text)
        target = self._exact_width(units, wanted, width)
        if target is None:
            target = self._same_count_width(units, wanted, width)
        if target is None:
            return 0.0, count
        shift = target - width
        return (-round(shift, 2) if abs(shift) > 0.05 else 0.0), count

    def _exact_width(self, units: list[_Unit], wanted: list[int], width: float) -> float | None:
        """A column width at which a greedy breaker starts lines where the PDF
        does, as far as possible from both ends of the range that does so."""
        index = {u.offset: k for k, u in enumerate(units)}
        if any(start not in index for start in wanted):
            return None  # the PDF cut a word: no width reproduces that
        bounds = [index[start] for start in wanted] + [len(units)]
        low, high = 0.0, float("inf")
        for a, b in zip(bounds, bounds[1:]):
            natural = units[a].width + sum(u.space_before + u.width for u in units[a + 1:b])
            low = max(low, natural)
            if b < len(units) and not units[b].forced:
                high = min(high, natural + units[b].space_before + units[b].width)
        if high == float("inf"):
            return width if low <= width - 0.5 else low + 0.5
        if high - low < 0.2:
            return None
        margin = min(0.6, (high - low) / 3)
        if low + margin <= width <= high - margin:
            return width
        return (low + high) / 2

    def _same_count_width(self, units: list[_Unit], wanted: list[int], width: float) -> float | None:
        """Failing that, the middle of the widest range of widths near the
        column's that give as many lines as the PDF's."""
        lo, hi = SEARCH
        candidates = [width + lo + STEP * i for i in range(int((hi - lo) / STEP) + 1)]
        good = [len(_greedy(units, w)) == len(wanted) for w in candidates]
        best, run = (0, 0), None
        for i, ok in enumerate(good + [False]):
            if ok and run is None:
                run = i
            elif not ok and run is not None:
                if i - run > best[1]:
                    best = (run, i - run)
                run = None
        if not best[1]:
            return None
        if good[candidates.index(min(candidates, key=lambda c: abs(c - width)))] and best[1] * STEP < 1:
            return width
        return candidates[best[0]] + STEP * (best[1] - 1) / 2

    # ------------------------------------------------------------------ the text as LibreOffice sees it
    def _units(self, frags) -> tuple[str, list[_Unit]]:
        """The paragraph's text and its unbreakable pieces (LibreOffice's
        widths), from its fragments (text, font, size, line break)."""
        text = ""
        pieces: list[tuple[str, str, float, bool]] = []  # char, font, size, forced break before
        forced_next = False
        for frag_text, font, size, line_break in frags:
            if line_break:
                forced_next = True
                continue
            for ch in frag_text:
                pieces.append((ch, font, size, forced_next))
                forced_next = False
                text += ch
        units: list[_Unit] = []
        i, n = 0, len(pieces)
        space_w = 0.0
        while i < n:
            ch, font, size, forced = pieces[i]
            if ch.isspace() and ch != "\u00a0":
                space_w = stringWidth(" ", font, size) * LO_SCALE
                i += 1
                continue
            start = i
            word_forced = forced
            while i < n and not (pieces[i][0].isspace() and pieces[i][0] != "\u00a0"):
                if i > start and pieces[i][3]:
                    break
                i += 1
            word = "".join(p[0] for p in pieces[start:i])
            # split the word where LibreOffice may break it
            cuts = [0] + [mm.end() for mm in _BREAK_AFTER.finditer(word)] + [len(word)]
            for k in range(len(cuts) - 1):
                a, b = cuts[k], cuts[k + 1]
                if a == b:
                    continue
                width = sum(stringWidth(p[0], p[1], p[2]) for p in pieces[start + a:start + b]) * LO_SCALE
                before = space_w if (k == 0 and units and not word_forced) else 0.0
                units.append(_Unit(width, before, word_forced and k == 0, start + a))
            space_w = 0.0
        return text, units

    def _pdf_starts(self, para: Paragraph, lines, text: str) -> list[int]:
        """The offset in the text at which each of the PDF's lines starts."""
        kind = para.blPara.kind
        pos, out = 0, []
        for line in lines:
            shown = " ".join(line[1]) if kind == 0 else "".join(getattr(f, "text", "") for f in line.words)
            shown = "".join(shown.split())
            while pos < len(text) and text[pos].isspace() and text[pos] != "\u00a0":
                pos += 1
            out.append(pos)
            for ch in shown:
                while pos < len(text) and text[pos] != ch:
                    pos += 1
                pos += 1
        return out


def _greedy(units: list[_Unit], width: float) -> list[int]:
    """Where a greedy breaker without shrinking starts each line."""
    starts = [units[0].offset]
    used = 0.0
    for k, unit in enumerate(units):
        if k == 0:
            used = unit.width
            continue
        if unit.forced:
            starts.append(unit.offset)
            used = unit.width
            continue
        if used + unit.space_before + unit.width > width + 1e-6:
            starts.append(unit.offset)
            used = unit.width
        else:
            used += unit.space_before + unit.width
    return starts
