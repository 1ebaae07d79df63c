"""The theme's fonts as the PDF's text uses them (registered in
``figures.fonts``, shared with the figures' text)."""
from __future__ import annotations

from ...figures.fonts import register_fonts

__all__ = ["register_fonts"]
