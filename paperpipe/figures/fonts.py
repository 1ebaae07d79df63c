"""Registers the theme's TrueType fonts with reportlab (once per process),
for the PDF's text and for the figures' text alike.

The family is registered under its own name with bold/italic mappings, so
that Paragraph markup (<b>, <i>) finds the embedded faces; and svglib is
handed a font map (``FigureFonts``) in which a figure's text in the
theme's family (font-family, font-weight, font-style) is measured and drawn
with those very faces, never with a system font that svglib would look up
through fontconfig (a process and a parse of each face per build, and a
figure that depended on the machine's fonts). Nothing falls back to a
base-14 font.
"""
from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..theme import Fonts

SUFFIXES = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bold_italic": "-BoldItalic"}
_FACES = {("normal", "normal"): "regular", ("bold", "normal"): "bold", ("normal", "italic"): "italic",
          ("bold", "italic"): "bold_italic"}  # svglib's (weight, style) -> face
_registered: dict[str, str] = {}


def register_fonts(fonts: Fonts) -> dict[str, str]:
    """Register the four faces; returns face -> reportlab font name."""
    family = fonts.family
    names = {face: family + suffix for face, suffix in SUFFIXES.items()}
    for face, name in names.items():
        path = str(fonts.files[face])
        if _registered.get(name) != path:
            pdfmetrics.registerFont(TTFont(name, path))
            _registered[name] = path
    addMapping(family, 0, 0, names["regular"])
    addMapping(family, 1, 0, names["bold"])
    addMapping(family, 0, 1, names["italic"])
    addMapping(family, 1, 1, names["bold_italic"])
    return names


class FigureFonts:
    """svglib's font map for a build (passed to its renderer, which asks
    only ``find_font``): the theme's family by its faces, any other family
    as svglib's own map finds it."""

    def __init__(self, fonts: Fonts):
        from svglib.fonts import get_global_font_map

        self.names = register_fonts(fonts)
        self.family = fonts.family.strip().lower()
        self.fallback = get_global_font_map()

    def find_font(self, font_name: str, weight="normal", style="normal") -> tuple[str, bool]:
        face = _FACES.get((str(weight).strip().lower(), str(style).strip().lower()))
        if face is not None and str(font_name).strip().lower() == self.family:
            return self.names[face], True
        return self.fallback.find_font(font_name, weight, style)
