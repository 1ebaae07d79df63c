"""Which characters the theme's font can draw (read from the font's own
character map with fontTools, so that checking a paper needs no writer)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .types import Fonts


@lru_cache(maxsize=8)
def _cmap(path: str, mtime: float) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        # only the characters are wanted, not the glyphs' names: glyphs named by
        # their number spare fontTools naming each of a face's thousands of
        # glyphs from the character map (and loading the glyph-name list)
        font.setGlyphOrder([f"glyph{gid:05d}" for gid in range(font["maxp"].numGlyphs)])
        return frozenset(font["cmap"].getBestCmap() or {})


def missing_glyphs(fonts: Fonts, text: str) -> set[str]:
    """Characters of ``text`` that the regular face cannot draw."""
    path = Path(fonts.files["regular"])
    cmap = _cmap(str(path), path.stat().st_mtime)
    return {ch for ch in set(text) if ord(ch) not in cmap and ch not in "\n\t\r" and ord(ch) >= 32}
