"""The European flag for the DOCX cover: twelve gold five-pointed stars in a
circle on blue, drawn at print resolution with the same geometry as the
PDF's cover (circle radius a third of the height, star radius 1/18)."""
from __future__ import annotations

import io
import math

BLUE = (0x00, 0x33, 0x99)
GOLD = (0xFF, 0xCC, 0x00)


def eu_emblem_png(width_pt: float, height_pt: float, dpi: int = 300) -> bytes:
    from PIL import Image, ImageDraw

    scale = dpi / 72.0
    w, h = int(round(width_pt * scale)), int(round(height_pt * scale))
    image = Image.new("RGB", (w, h), BLUE)
    draw = ImageDraw.Draw(image)
    cx, cy = w / 2, h / 2
    radius, star = h / 3, h / 18
    for i in range(12):
        angle = math.radians(90 - i * 30)
        sx, sy = cx + radius * math.cos(angle), cy - radius * math.sin(angle)
        points = []
        for k in range(10):
            r = star if k % 2 == 0 else star * 0.4
            a = math.radians(90 + k * 36)
            points.append((sx + r * math.cos(a), sy - r * math.sin(a)))
        draw.polygon(points, fill=GOLD)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()
