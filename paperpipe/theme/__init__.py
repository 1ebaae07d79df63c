"""The theme: every look of a paper, one typed immutable object resolved once
from ``templates/style.yaml`` (and the files it names, such as logos).

Writers take a ``Theme`` and render with it; they decide no look themselves.
"""
from .resolve import STYLE_FILE, length, load_theme
from .types import (
    AsideLook, Captions, Contents, Cover, Figures, Floats, Fonts, Header, Headings, Links, Lists, Logo, Page, Quotes, RoleLook, Sidebars,
    TableStyle, TextStyle, Theme, Typography,
)

__all__ = [
    "AsideLook", "STYLE_FILE", "Captions", "Contents", "Cover", "Figures", "Floats", "Fonts", "Header", "Headings", "Links", "Lists", "Logo",
    "Page", "Quotes", "RoleLook", "Sidebars", "TableStyle", "TextStyle", "Theme", "Typography", "length", "load_theme",
]
