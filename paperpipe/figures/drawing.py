"""SVG figures as reportlab drawings (svglib), kept while their inputs are
unchanged, and the printed size of any figure."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .inputs import inputs, inputs_digest


@lru_cache(maxsize=64)
def _svg_drawing(path: str, digest: str):
    import logging

    from svglib.svglib import svg2rlg

    logging.getLogger("svglib").setLevel(logging.CRITICAL)  # its warnings are not the editors' business: the reader's checks are
    root, _refs = inputs(Path(path))
    return svg2rlg(path, external_reference_root=str(root))


def svg_drawing(path: Path):
    """A reportlab Drawing of an SVG file (kept while the file and the pictures it refers to are unchanged)."""
    return _svg_drawing(str(path), inputs_digest(path))


FIGURE_MAX_HEIGHT = 0.8  # share of the text height a picture may take (the rest for its caption)


def fit(natural: tuple[float, float], width: float, text_height: float) -> tuple[float, float]:
    """The printed size of a picture ``width`` wide, made smaller (same
    proportions) when it would be taller than FIGURE_MAX_HEIGHT of the page's
    text height: a tall figure is scaled to fit, never a layout failure."""
    w, h = natural
    if w <= 0 or h <= 0:
        return width, width
    height = h * width / w
    limit = text_height * FIGURE_MAX_HEIGHT
    if height > limit:
        width, height = width * limit / height, limit
    return width, height


def _dpi(img) -> float:
    dpi = img.info.get("dpi", (96, 96))
    value = dpi[0] if isinstance(dpi, (tuple, list)) and dpi else dpi
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = 96.0
    return value if 10 <= value <= 2400 else 96.0  # 0 or absurd resolutions: the usual screen one


def image_size_pt(path: Path) -> tuple[float, float]:
    """Natural size in points."""
    if path.suffix.lower() == ".svg":
        d = svg_drawing(path)
        return float(d.width), float(d.height)
    from PIL import Image

    with Image.open(path) as img:
        dpi = _dpi(img)
        return img.width * 72.0 / dpi, img.height * 72.0 / dpi
