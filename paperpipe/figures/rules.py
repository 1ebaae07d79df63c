"""The figure check's rules for what an SVG draws, each problem at its element:

- styles (``style`` attributes, ``<style>`` sheets, presentation
  attributes) read as CSS by ``css.py``: only ``url(#id)`` references;
- words the outputs would not all show: HTML text (``<foreignObject>``)
  that the PDF cannot draw, a ``<switch>`` child chosen by the reader's
  language, a link to anything but a web or mail address (its words are
  drawn, the link is not kept);
- sizes: a width, height or viewBox that no page can hold, and a drawing
  whose numbers overflow or vanish (1e400, a viewBox of 1e308).

``problems(tree)`` yields (element, what is wrong, what to do); the caller
reports each at the element's line in the figure.
"""
from __future__ import annotations

import math
import re
from typing import Iterator

from ..links import is_web_link
from . import css, switch

# CSS properties SVG takes as attributes (SVG 1.1 and 2); their values are read as CSS
PRESENTATION = frozenset({
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color", "color-interpolation",
    "color-interpolation-filters", "color-profile", "color-rendering", "cursor", "direction", "display",
    "dominant-baseline", "enable-background", "fill", "fill-opacity", "fill-rule", "filter", "flood-color",
    "flood-opacity", "font", "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style",
    "font-variant", "font-weight", "glyph-orientation-horizontal", "glyph-orientation-vertical", "image-rendering",
    "kerning", "letter-spacing", "lighting-color", "marker", "marker-end", "marker-mid", "marker-start", "mask",
    "mask-type", "opacity", "overflow", "paint-order", "pointer-events", "shape-rendering", "stop-color",
    "stop-opacity", "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-rendering",
    "transform", "transform-origin", "unicode-bidi", "vector-effect", "visibility", "word-spacing", "writing-mode",
    "gradientTransform", "patternTransform",
})
STYLE_ADVICE = "only references inside the figure (url(#id)) are allowed; export the figure again or remove that style"
HTML_TEXT_ADVICE = ("export the drawing again with its labels as SVG text (draw.io: Export as SVG with "
                    "'Convert labels to SVG'; or Extras > Edit Diagram: html=0)")

MAX_SIDE = 100_000          # a figure's width or height, in its units (1.4 km in pixels)
MAX_COORDINATE = 1e9        # any number the drawing ends with, in points
MIN_SCALE = 1e-9            # the smallest transform scale a drawing may use
_LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*")


def problems(tree) -> Iterator[tuple[object, str, str]]:
    yield from _sizes(tree)
    for node in tree.iter():
        name = switch.local(node.tag)
        if name is None:
            continue
        if name == "switch":
            for child in node:
                if switch.local(child.tag) is not None and child.get("systemLanguage"):
                    yield (child, f"<{switch.local(child.tag)}> in a <switch> is shown only to readers of '{child.get('systemLanguage')}'",
                           "keep one language's text (the PDF and the page cannot choose by the reader's language)")
            chosen = switch.switch_choice(node)
            if chosen is not None and switch.local(chosen.tag) == "foreignObject":
                yield chosen, "<foreignObject> holds text as HTML, which the PDF cannot draw", HTML_TEXT_ADVICE
        elif name == "foreignObject" and switch.local(getattr(node.getparent(), "tag", None)) != "switch":
            yield node, "<foreignObject> holds text as HTML, which the PDF cannot draw", HTML_TEXT_ADVICE
        if name == "style":
            why = css.problem(node.text or "", sheet=True)
            if why:
                yield node, f"<style> {why}", STYLE_ADVICE
        for key, value in node.attrib.items():
            attribute = key.rsplit("}", 1)[-1] if key.startswith("{") else key
            if attribute == "style" or (attribute in PRESENTATION and not key.startswith("{")):
                why = css.problem(value)
                if why:
                    yield node, f"<{name}> {why} in its styles ({attribute}=\"{_short(value)}\")", STYLE_ADVICE


def link_problem(href: str) -> str | None:
    """Why an ``<a>`` of a figure cannot keep its address, or None (a web or
    mail address, or #id: its words are drawn, the link is not kept)."""
    if href.startswith("#") or is_web_link(href):
        return None
    return f"<a> links to '{_short(href)}', which is not a web address"


def _short(value: str, most: int = 60) -> str:
    """A value as a message shows it: on one line, cut after ``most`` characters."""
    value = re.sub(r"\s+", " ", value)
    return value if len(value) <= most else value[:most] + "…"


def _number(value: str) -> float | None:
    match = _LENGTH.fullmatch(value or "")
    return float(match.group(1)) if match else None


def _sizes(tree) -> Iterator[tuple[object, str, str]]:
    advice = f"export the figure again with its real size (width and height at most {MAX_SIDE:,})"
    for key in ("width", "height"):
        raw = tree.get(key)
        if raw is None:
            continue
        number = _number(raw)
        if raw.strip().endswith("%") or number is None:
            continue  # "100%" and the like: svglib falls back to the viewBox
        if not (math.isfinite(number) and 0 < number <= MAX_SIDE):
            yield tree, f"the figure's {key} '{_short(raw)}' is not a size a drawing can have", advice
    raw = tree.get("viewBox")
    if raw is not None:
        parts = [p for p in re.split(r"[\s,]+", raw.strip()) if p]
        numbers = [_number(p) for p in parts]
        if len(parts) != 4 or any(n is None or not math.isfinite(n) or abs(n) > MAX_COORDINATE for n in numbers):
            yield tree, f"the figure's viewBox '{_short(raw)}' is not four numbers of at most {MAX_COORDINATE:,.0f}", advice
        elif not (numbers[2] > 0 and numbers[3] > 0):
            yield tree, f"the figure's viewBox '{_short(raw)}' has no width or height", advice


def _too_large(node) -> bool:
    """Whether a number a drawn shape holds (its stroke width, dash pattern,
    font size …) is past what a PDF can write: such a number is no coordinate,
    so the bounds do not show it, and the PDF writer failed on it."""
    for value in vars(node).values():
        numbers = value if isinstance(value, (list, tuple)) else (value,)
        for number in numbers:
            if isinstance(number, float) and not (math.isfinite(number) and abs(number) <= MAX_COORDINATE):
                return True
    return False


def drawing_problem(drawing) -> str | None:
    """Why svglib's drawing of a figure cannot be printed (numbers that
    overflow, or a transform that shrinks it to nothing), or None."""
    width, height = float(drawing.width), float(drawing.height)
    if not (math.isfinite(width) and math.isfinite(height) and 0 < width <= MAX_COORDINATE and 0 < height <= MAX_COORDINATE):
        return "its size is not a number a page can hold"
    stack, seen = [drawing], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > 1_000_000:
            break
        transform = getattr(node, "transform", None)
        if transform is not None and len(transform) == 6:  # before the other numbers: a transform is said as one
            a, b, c, d, e, f = (float(v) for v in transform)
            if not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in (a, b, c, d, e, f)):
                return "a transform in it is too large"
            if abs(a * d - b * c) < MIN_SCALE * MIN_SCALE:
                return "a transform or viewBox in it shrinks the drawing to nothing"
        if _too_large(node):
            return "a number in it (a stroke width, a dash pattern …) is too large"
        stack.extend(getattr(node, "contents", ()) or ())
    try:
        bounds = drawing.getBounds()
    except (ValueError, ArithmeticError, TypeError):
        return "its coordinates cannot be computed"
    if bounds and not all(math.isfinite(float(v)) and abs(float(v)) <= MAX_COORDINATE for v in bounds):
        return "its coordinates are too large for a page"
    return None
