"""Text contrast, computed from the theme (WCAG 2.1 SC 1.4.3): every text
colour against every background it is drawn on reaches 4.5:1, or 3:1 for
large text (18 pt, or 14 pt bold, and larger)."""
from __future__ import annotations

import pytest

from conftest import ROOT
from paperpipe.errors import Problems
from paperpipe.theme import Theme, load_theme

WHITE = "#FFFFFF"


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast(WHITE, WHITE) == pytest.approx(1.0)
    assert contrast("#0E8A8A", "#E9EFF7") == pytest.approx(3.6, abs=0.05)  # the sidebar title


def pairs(theme: Theme):
    """(what, text colour, background, size, bold) for every text the writers draw."""
    text = theme.text
    inside = {"sidebar", "sidebar_title", "cover_title", "cover_line"}
    table_styles = {t.text for t in theme.tables.values()} | {
        look.text for t in theme.tables.values() for look in (*t.rows.values(), *t.cells.values()) if look.text}
    for name, style in text.items():
        if name not in inside and name not in table_styles:
            yield name, style.colour, WHITE, style.size, style.face.startswith("bold")
    side = theme.sidebars.fill
    for name in ("sidebar", "sidebar_title"):
        yield name, text[name].colour, side, text[name].size, text[name].face.startswith("bold")
    for name in ("cover_title", "cover_line"):
        yield name, text[name].colour, theme.cover.band_colour, text[name].size, text[name].face.startswith("bold")
    # links and bullets are text too: on the page, in boxes and in table cells
    fills = {WHITE, side}
    for t in theme.tables.values():
        base = text[t.text]
        fills |= {t.body_fill} if t.body_fill else set()
        yield f"table {t.name} cells", base.colour, t.body_fill or WHITE, base.size, base.face.startswith("bold")
        for role, look in (*t.rows.items(), *t.cells.items()):
            style = text[look.text or t.text]
            for fill in {look.fill or t.body_fill or WHITE, look.fill or WHITE}:
                yield f"table {t.name} role {role}", style.colour, fill, style.size, style.face.startswith("bold") or look.bold
    cell_fills = {look.fill for t in theme.tables.values() for look in (*t.rows.values(), *t.cells.values())
                  if look.fill and not look.text}  # fills under ordinary cell text, where links can stand
    smallest = min(s.size for s in text.values())
    for fill in fills | cell_fills:
        yield f"links on {fill}", theme.links.colour, fill, smallest, False
        yield f"bullets on {fill}", theme.lists.bullet_colour, fill, smallest, False


def test_every_text_colour_reaches_the_contrast_minimum():
    theme = load_theme(ROOT / "templates", Problems(ROOT))
    assert theme is not None
    checked, low = 0, []
    for what, colour, background, size, bold in pairs(theme):
        large = size >= 18 or (bold and size >= 14)
        need = 3.0 if large else 4.5
        ratio = contrast(colour, background)
        checked += 1
        if ratio < need:
            low.append(f"{what}: {colour} on {background} is {ratio:.2f}:1, needs {need}:1")
    assert checked > 25
    assert not low, low


# ----------------------------------------------------------------------------- text inside SVG figures
SVG = "{http://www.w3.org/2000/svg}"


def _svg_colour(value: str | None) -> str | None:
    from reportlab.lib.colors import toColor

    if value is None or value.strip() in ("none", "transparent"):
        return None
    return "#" + toColor(value.strip()).hexval()[2:].upper()


def _bbox(el) -> tuple[float, float, float, float]:
    """The bounding box of a filled shape (rect, circle, ellipse, polygon, absolute path)."""
    import re

    tag, num = el.tag.replace(SVG, ""), lambda k: float(el.get(k, 0))
    if tag == "rect":
        return num("x"), num("y"), num("x") + num("width"), num("y") + num("height")
    if tag in ("circle", "ellipse"):
        rx, ry = (num("r"), num("r")) if tag == "circle" else (num("rx"), num("ry"))
        return num("cx") - rx, num("cy") - ry, num("cx") + rx, num("cy") + ry
    source = el.get("points", "") if tag == "polygon" else el.get("d", "")
    assert tag in ("polygon", "path") and not re.search(r"[^MLQCZ0-9.,\s-]", source), \
        f"a filled <{tag}> this check cannot place (only absolute M/L/Q/C/Z paths): {source[:40]}"
    values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", source)]
    return min(values[0::2]), min(values[1::2]), max(values[0::2]), max(values[1::2])


def svg_text_pairs(svg: str):
    """(text, colour, background, size, bold) for every line of text in an SVG.

    Simple on purpose: no transforms (refused), every text line (a <text>
    and each <tspan> with its own position) is placed at its anchor, half a
    glyph above the baseline, and lies on the last filled shape drawn before
    it whose bounding box holds that point (else the white page)."""
    from defusedxml import ElementTree

    root = ElementTree.fromstring(svg)
    shapes: list[tuple[tuple[float, float, float, float], str]] = []
    for el in root.iter():
        tag = el.tag.replace(SVG, "")
        assert "transform" not in el.attrib and "style" not in el.attrib, f"<{tag}> with transform/style: not supported here"
        if tag == "text":
            size, bold = float(el.get("font-size", 16)), el.get("font-weight") == "bold"
            fill = _svg_colour(el.get("fill", "#000000"))
            x, y = float(el.get("x", 0)), float(el.get("y", 0))
            lines = [(el.text, x, y, fill, size, bold)]
            for t in el.iter(SVG + "tspan"):
                x, y = float(t.get("x", x)), float(t.get("y", y)) + float(t.get("dy", 0))
                lines.append((t.text, x, y, _svg_colour(t.get("fill")) or fill, float(t.get("font-size", size)),
                              bold or t.get("font-weight") == "bold"))
            for text, x, y, colour, size, bold in lines:
                if text and text.strip() and colour:
                    py = y - 0.35 * size
                    back = next((c for (x0, y0, x1, y1), c in reversed(shapes) if x0 <= x <= x1 and y0 <= py <= y1), WHITE)
                    yield text.strip(), colour, back, size, bold
        elif tag in ("rect", "circle", "ellipse", "polygon", "path") and _svg_colour(el.get("fill", "#000000")):
            shapes.append((_bbox(el), _svg_colour(el.get("fill", "#000000"))))


def _low(svg: str) -> list[str]:
    low = []
    for text, colour, back, size, bold in svg_text_pairs(svg):
        points = size * 0.75  # SVG user units are CSS pixels; the figures print no larger than that
        need = 3.0 if points >= 18 or (bold and points >= 14) else 4.5
        if contrast(colour, back) < need:
            low.append(f"{text!r}: {colour} on {back} is {contrast(colour, back):.2f}:1, needs {need}:1")
    return low


def test_svg_contrast_check_finds_low_text():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><rect x="0" y="0" width="100" height="40" fill="#0E8A8A"/>'
           '<text x="10" y="20" font-size="14" fill="#FFFFFF">low<tspan x="10" dy="30" fill="#0E8A8A">teal on white</tspan></text>'
           '<polygon points="0,50 100,50 100,90 0,90" fill="#0B2A5B"/><text x="10" y="70" font-size="14" fill="#FFFFFF">fine</text></svg>')
    assert [(t, c, b) for t, c, b, _, _ in svg_text_pairs(svg)] == [
        ("low", WHITE, "#0E8A8A"), ("teal on white", "#0E8A8A", WHITE), ("fine", WHITE, "#0B2A5B")]
    assert len(_low(svg)) == 2


@pytest.mark.parametrize("paper", ["content", "tests/fixtures/mini"])
def test_text_in_every_svg_figure_reaches_the_contrast_minimum(paper):
    from paperpipe import model as m
    from paperpipe.visit import walk
    from paperpipe.pipeline import load

    doc = load(ROOT / paper, ROOT / "templates").doc
    svgs = sorted({b.path for b in walk(doc.blocks) if isinstance(b, m.Image) and b.path.suffix.lower() == ".svg"})
    assert svgs
    low, lines = [], 0
    for path in svgs:
        svg = path.read_text(encoding="utf-8")
        lines += sum(1 for _ in svg_text_pairs(svg))
        low += [f"{path.name}: {x}" for x in _low(svg)]
    assert lines >= len(svgs)
    assert not low, low
