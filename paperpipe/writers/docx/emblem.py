"""The European flag for the DOCX cover, drawn at print resolution from the
same geometry as the PDF's (paperpipe.emblem)."""
from __future__ import annotations

import io

from ...emblem import BLUE, GOLD, star_polygons


def eu_emblem_png(width_pt: float, height_pt: float, dpi: int = 300) -> bytes:
    from PIL import Image, ImageDraw

    scale = dpi / 72.0
    w, h = int(round(width_pt * scale)), int(round(height_pt * scale))
    image = Image.new("RGB", (w, h), BLUE)
    draw = ImageDraw.Draw(image)
    for star in star_polygons(w, h):
        draw.polygon([(x, h - y) for x, y in star], fill=GOLD)  # PIL's y goes down
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()
