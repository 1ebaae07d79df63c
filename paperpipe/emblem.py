"""The European flag's geometry (twelve gold five-pointed stars in a circle
on blue), shared by the PDF (vector) and the DOCX (picture) covers."""
from __future__ import annotations

import math

BLUE = "#003399"
GOLD = "#FFCC00"


def star_polygons(width: float, height: float) -> list[list[tuple[float, float]]]:
    """The twelve stars as polygons, in a box of width × height with the
    origin at the bottom left and y going up (PDF coordinates)."""
    cx, cy, radius, star = width / 2, height / 2, height / 3, height / 18
    stars = []
    for i in range(12):
        angle = math.radians(90 - i * 30)
        sx, sy = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        points = []
        for k in range(10):
            r = star if k % 2 == 0 else star * 0.4
            a = math.radians(90 + k * 36)
            points.append((sx + r * math.cos(a), sy + r * math.sin(a)))
        stars.append(points)
    return stars
