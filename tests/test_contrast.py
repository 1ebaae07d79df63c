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
