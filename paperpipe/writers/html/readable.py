"""How wide an SVG figure must stay for its text to be read on a phone.

A figure drawn for the printed page shrinks with a narrow window, and its
text with it: a figure 480 units wide with 7-unit labels, shown 330 px wide
on a phone, has text under 5 px. The page gives each figure a minimum width
at which its smallest text is still ``MIN_TEXT_PX`` CSS pixels high; on a
narrower window the figure keeps that width and scrolls sideways in its
own region, and it shrinks no further.
"""
from __future__ import annotations

import math
import re
from xml.etree import ElementTree

MIN_TEXT_PX = 9.5      # the smallest figure text on any screen, in CSS px (WCAG reflow asks 9 at least)
DEFAULT_FONT = 16.0    # an SVG's text size when nothing sets one (CSS's "medium")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_SIZE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(px|pt)?\s*$", re.I)
_TRANSFORM = re.compile(r"(matrix|scale)\s*\(([^)]*)\)", re.I)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _font_size(el) -> float | None:
    value = el.get("font-size")
    for declaration in (el.get("style") or "").split(";"):
        name, _, val = declaration.partition(":")
        if name.strip().lower() == "font-size":
            value = val
    match = _SIZE.match(value or "")
    if not match:
        return None
    size = float(match.group(1)) * (4 / 3 if (match.group(2) or "").lower() == "pt" else 1)
    return size if 0 < size < 1e6 else None


def _scale(el) -> float:
    """How much the element's transform scales lengths (the square root of
    its matrices' determinants; rotation and translation scale nothing)."""
    scale = 1.0
    for kind, args in _TRANSFORM.findall(el.get("transform") or ""):
        n = [float(x) for x in _NUMBER.findall(args)]
        if kind.lower() == "scale" and n:
            scale *= math.sqrt(abs(n[0] * (n[1] if len(n) > 1 else n[0])))
        elif kind.lower() == "matrix" and len(n) == 6:
            scale *= math.sqrt(abs(n[0] * n[3] - n[1] * n[2]))
    return scale if math.isfinite(scale) and scale > 0 else 1.0


def smallest_text(root) -> float | None:
    """The smallest text height in the drawing's user units, or None when it has no text."""
    smallest = None

    def walk(el, size: float, scale: float) -> None:
        nonlocal smallest
        size = _font_size(el) or size
        scale *= _scale(el)
        if _local(el.tag) in ("text", "tspan", "textPath") and (el.text or "").strip():
            height = size * scale
            smallest = height if smallest is None else min(smallest, height)
        for child in el:
            walk(child, size, scale)

    walk(root, DEFAULT_FONT, 1.0)
    return smallest


def min_width_px(data: bytes) -> float | None:
    """The width in CSS px below which the figure's smallest text would be
    under MIN_TEXT_PX, or None when the drawing has no text to keep readable."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    box = _NUMBER.findall(root.get("viewBox") or "")
    width = float(box[2]) if len(box) == 4 else None
    if width is None:
        match = _SIZE.match(root.get("width") or "")
        width = float(match.group(1)) if match else None
    text = smallest_text(root)
    if not text or not width or not math.isfinite(width) or width <= 0:
        return None
    return math.ceil(MIN_TEXT_PX * width / text)
