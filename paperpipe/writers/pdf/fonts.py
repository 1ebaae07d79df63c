"""Registers the theme's TrueType fonts with reportlab (once per process).

The family is registered under its own name with bold/italic mappings, so
that Paragraph markup (<b>, <i>) and SVG figures (font-family, font-weight)
both find the embedded faces; nothing falls back to a base-14 font.
"""
from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...theme import Fonts

SUFFIXES = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bold_italic": "-BoldItalic"}
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
