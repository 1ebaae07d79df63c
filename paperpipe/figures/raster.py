"""Figures as bitmaps for the formats without SVG (the DOCX): an SVG
rendered at print resolution from the very same drawing the PDF shows
(through the figure cache); a PNG or JPEG as it is, converted when Word
cannot take it."""
from __future__ import annotations

import io
from pathlib import Path

from ..context import Context
from .cache import MAX_RASTER_SIDE, cached_png
from .drawing import _dpi, svg_drawing
from .inputs import inputs_digest


def raster_bytes(context: Context, path: Path, dpi: int = 300, width: float | None = None) -> tuple[bytes, str]:
    """The figure as bitmap bytes for formats without SVG (PNG for SVG
    sources; a JPEG Word cannot take, CMYK or without a JFIF/Exif header,
    converted to PNG). An SVG is rendered at ``dpi`` for the ``width`` in
    points it is placed at (its own width when None): a 54 pt logo drawn
    810 pt wide is rendered 225 pixels wide, not 3,375, and a small drawing
    placed across the page is not enlarged from too few pixels."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        pixels = _pixels(width, dpi)
        name = f"{inputs_digest(context, path)}-{dpi}{f'-w{pixels}' if pixels else ''}.png"
        return cached_png(context, name, lambda: _render_png(svg_drawing(context, path), dpi, pixels)), "png"
    return docx_bitmap(context.read_bytes(path))


def _pixels(width: float | None, dpi: int) -> int:
    """The rendering's width in pixels for a placed width (0: the drawing's own)."""
    return max(1, min(MAX_RASTER_SIDE, round(width * dpi / 72.0))) if width else 0


def _render_png(drawing, dpi: int, pixels: int = 0) -> bytes:
    """The drawing as a PNG ``pixels`` wide (0: at ``dpi`` of its own width)."""
    import pypdfium2
    from reportlab.graphics import renderPDF

    scale = pixels / max(float(drawing.width), 1.0) if pixels else dpi / 72.0
    longest = max(float(drawing.width), float(drawing.height), 1.0)
    scale = min(scale, MAX_RASTER_SIDE / longest)  # a huge drawing is printed scaled down anyway
    pdf = renderPDF.drawToString(drawing)
    doc = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = doc[0].render(scale=scale)
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False, dpi=(dpi, dpi))  # Word's "reset size" gives the placed size
        return out.getvalue()
    finally:
        doc.close()


def docx_bitmap(data: bytes) -> tuple[bytes, str]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        if img.format == "PNG":
            return data, "png"
        if img.format == "JPEG" and img.mode in ("L", "RGB") and data[6:10] in (b"JFIF", b"Exif"):
            return data, "jpeg"
        converted = img.convert("RGBA" if "A" in img.mode else "RGB")
        dpi = _dpi(img)
    out = io.BytesIO()
    converted.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue(), "png"
