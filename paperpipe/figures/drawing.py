"""SVG figures as reportlab drawings (svglib), each made once per build from
the tree the reader's check parsed, and kept in the process's memory while
its inputs are unchanged; the printed size of any figure."""
from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from ..context import Context
from ..errors import Problems
from .inputs import facts, inputs_digest


def svg_drawing(context: Context, path: Path):
    """A reportlab Drawing of a checked SVG file (made once per build)."""
    path = Path(path)
    drawing = context.drawings.get(path)
    if drawing is None:
        found = facts(context, path)
        key = inputs_digest(context, path)
        drawing = context.memory.drawings.get(key)
        if drawing is None:
            drawing = _draw(context, path, found)
            context.memory.drawings.put(key, drawing)
        found.tree = None  # drawn: the tree is not needed any more
        context.drawings[path] = drawing
    return drawing


def _draw(context: Context, path: Path, found):
    import logging

    from svglib.svglib import SvgRenderer, svg2rlg

    from .fonts import FigureFonts

    logging.getLogger("svglib").setLevel(logging.CRITICAL)  # its warnings are not the editors' business: the reader's checks are
    fonts = FigureFonts(context.fonts) if context.fonts is not None else None  # the theme's faces for text in its family
    if found.tree is None:
        return svg2rlg(str(path), external_reference_root=str(found.root), font_map=fonts)
    return SvgRenderer(str(path), external_reference_root=str(found.root), font_map=fonts).render(found.tree)


def draw_all(context: Context, problems: Problems) -> None:
    """Draw every SVG the reader checked, and report one that cannot be
    drawn at the line that uses it: well-formed XML is not enough, the PDF
    and the DOCX need a drawing (the writers then use these)."""
    from .rules import drawing_problem

    for path, found in list(context.svgs.items()):
        file, line, shown = found.place
        try:
            drawing = svg_drawing(context, path)
        except Exception as exc:  # noqa: BLE001 - svglib raises many kinds
            drawing, why = None, str(exc) or type(exc).__name__
        else:
            why = "no drawing could be made from it"
        if drawing is not None and drawing.width > 0 and drawing.height > 0:
            why = drawing_problem(drawing)  # numbers that overflow or vanish (a width of 1e400, a viewBox of 1e308)
            if why:
                problems.error(file, line, f"the image '{shown}' cannot be printed: {why}", "export it again from your drawing program at its real size")
                context.drawings.pop(path, None)
                continue
            family = context.fonts.family if context.fonts is not None else ""
            for font, chars in sorted(_undrawn(drawing).items()):
                named = ", ".join(f"'{ch}' (U+{ord(ch):04X}{' ' + unicodedata.name(ch, '')})" for ch in sorted(chars)[:5])
                other = f"give that text the paper's font (font-family=\"{family}\"), " if family and not font.startswith(family) else ""
                problems.error(file, line, f"the image '{shown}' has text its font {font} cannot draw: {named}"
                                           f"{f' and {len(chars) - 5} more' if len(chars) > 5 else ''}; the PDF and the Word file "
                                           "would show a blank or a box there, the web page the character in another font",
                               f"{other}replace the character in the drawing, or convert that text to shapes (paths) in your drawing program")
        if drawing is None or not (drawing.width > 0 and drawing.height > 0):
            if drawing is not None:
                why = "it has no width or height"
            problems.error(file, line, f"the image '{shown}' cannot be drawn ({why})", "export it again as plain SVG from your drawing program")
            context.drawings.pop(path, None)


def _undrawn(drawing) -> dict[str, set[str]]:
    """The characters of a drawing's text that its font has no glyph for, by font (blanks, a no-break space among them, left out: they
    print as the gap they are). The web page shows them in a fallback font."""
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase import pdfmetrics

    found: dict[str, set[str]] = {}
    stack = [drawing]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "contents", ()) or ())
        if isinstance(node, String) and node.text:
            try:
                glyphs = getattr(getattr(pdfmetrics.getFont(node.fontName), "face", None), "charToGlyph", None)
            except (KeyError, ValueError, TypeError):
                continue
            has = (lambda ch: ord(ch) in glyphs) if glyphs is not None else _in_standard_font  # a PDF's own font: no glyph table
            missing = {ch for ch in node.text if not has(ch) and not ch.isspace() and unicodedata.category(ch) != "Zs"}
            if missing:
                found.setdefault(node.fontName, set()).update(missing)
    return found


def _in_standard_font(ch: str) -> bool:
    """Whether one of the PDF's standard fonts (Helvetica …, drawn in their
    WinAnsi encoding) has the character."""
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


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


def image_size_pt(context: Context, path: Path) -> tuple[float, float]:
    """Natural size in points."""
    if path.suffix.lower() == ".svg":
        d = svg_drawing(context, path)
        return float(d.width), float(d.height)
    from PIL import Image

    with Image.open(io.BytesIO(context.read_bytes(path))) as img:
        dpi = _dpi(img)
        return img.width * 72.0 / dpi, img.height * 72.0 / dpi
