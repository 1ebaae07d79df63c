"""How well a laid-out page is filled: the part of the text area left empty at
its foot, measured on rendered pixels (poppler's pdftoppm), for any PDF whose
pages follow the theme's page geometry (the PDF itself, or LibreOffice's
layout of the DOCX)."""
from __future__ import annotations

from pathlib import Path
import subprocess
import tempfile

INK = 200        # a channel darker than this is ink (text, rules, figures, fills)
DPI = 60


def empty_at_foot(pdf: Path, page, dpi: int = DPI) -> list[float]:
    """For each page of `pdf`, the part (0..1) of the text area's height below
    the lowest inked row inside it. `page` is the theme's page geometry
    (width, height and margins in points)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(Path(tmp) / "p")],
                       check=True, capture_output=True, timeout=300)
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda f: int(f.stem.rsplit("-", 1)[1]))
        return [_empty(Image.open(f).convert("L"), page) for f in files]


def _empty(image, page) -> float:
    scale = image.width / page.width
    left, right = round(page.margin_left * scale), round((page.width - page.margin_right) * scale)
    top, bottom = round(page.margin_top * scale), round((page.height - page.margin_bottom) * scale)
    area = image.crop((left, top, right, bottom))
    width, height = area.size
    pixels = area.load()
    for y in range(height - 1, -1, -1):
        if any(pixels[x, y] < INK for x in range(width)):
            return (height - 1 - y) / height
    return 1.0


# The team's rule for a body page: at most this part of its text area empty
# at the foot, or BEFORE_PART_LIMIT before a page that opens with a level-1
# heading; the last page is exempt.
BODY_LIMIT = 0.12
BEFORE_PART_LIMIT = 0.25


def fill_problems(empty: list[float], opens_part: set[int], body: range) -> list[str]:
    """The body pages emptier at the foot than the rule allows. ``empty`` is
    ``empty_at_foot``'s list (page 1 first); ``body`` and ``opens_part`` (the
    pages that open with a level-1 heading) are page numbers from 1; the last
    page of ``body`` is exempt."""
    problems = []
    pages = [n for n in body if n <= len(empty)]
    for n in pages[:-1]:
        limit = BEFORE_PART_LIMIT if n + 1 in opens_part else BODY_LIMIT
        if empty[n - 1] > limit:
            problems.append(f"page {n}: {empty[n - 1]:.0%} of the text area is empty at the foot (at most {limit:.0%})")
    return problems
