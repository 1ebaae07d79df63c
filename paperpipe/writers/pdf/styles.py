"""The theme's text styles as reportlab paragraph styles (made once per build)."""
from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ...realize.hyphenation import hyphenator
from ...theme import TextStyle, Theme
from .fonts import register_fonts

ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


class Styles:
    """Every text style of the theme as a ParagraphStyle, by the theme's name."""

    def __init__(self, theme: Theme, hyphenation: str = ""):
        self.theme = theme
        # words hyphenated with the realize stage's dictionary ("en_GB"), none when ""
        self.hyphenator = hyphenator(hyphenation) if hyphenation else ""
        self.fonts = register_fonts(theme.fonts)
        self.by_name = {name: self.paragraph_style(style) for name, style in theme.text.items()}
        # the same style without keep-with-next: a caption over a long table
        # must not pull the whole table along
        caption = self.by_name[theme.captions.style]
        self.caption_loose = ParagraphStyle(caption.name + "-loose", parent=caption, keepWithNext=0)

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.by_name[name]

    def paragraph_style(self, s: TextStyle) -> ParagraphStyle:
        widows = 0 if s.widow_control else 1
        return ParagraphStyle(
            s.name, fontName=self.fonts[s.face], fontSize=s.size, leading=s.leading, textColor=HexColor(s.colour),
            spaceBefore=s.before, spaceAfter=s.after, alignment=ALIGN[s.align], keepWithNext=int(s.keep_with_next),
            allowWidows=widows, allowOrphans=widows,
            hyphenationLang=self.hyphenator if s.hyphenate else "",  # reportlab hyphenates where it says
        )

    def colour(self, value: str) -> HexColor:
        return HexColor(value)
