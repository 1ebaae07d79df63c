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


def raster_bytes(context: Context, path: Path, dpi: int = 300) -> tuple[bytes, str]:
    """The figure as bitmap bytes for formats without SVG (PNG for SVG
    sources; a JPEG Word cannot take, CMYK or without a JFIF/Exif header,
    converted to PNG)."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        name = f"{inputs_digest(context, path)}-{dpi}.png"
        return cached_png(context, name, lambda: _render_png(svg_drawing(context, path), dpi)), "png"
    return docx_bitmap(context.read_bytes(path))


def _render_png(drawing, dpi: int) -> bytes:
    import pypdfium2
    from reportlab.graphics import renderPDF

    scale = dpi / 72.0
    longest = max(float(drawing.width), float(drawing.height), 1.0)
    scale = min(scale, MAX_RASTER_SIDE / longest)  # a huge drawing is printed scaled down anyway
    pdf = renderPDF.drawToString(drawing)
    doc = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = doc[0].render(scale=scale)
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
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
