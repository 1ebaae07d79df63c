"""SVG figures inlined into the page, made safe first.

Figure files are untrusted: an SVG can hold scripts, event handlers, links,
style sheets that would restyle the whole page, and references to other
hosts. Only the drawing is kept: elements and attributes from a list of
plain drawing features, references only inside the same figure (``#id``,
``url(#id)``) or embedded pictures (``data:image/png|jpeg``). Ids are
prefixed so that two figures (or a figure and the paper) can never share
one. Everything else is left out.
"""
from __future__ import annotations

import re
from xml.etree import ElementTree

from .inlines import attr, text

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MAX_ELEMENTS = 50_000  # far more than a figure needs; bounds the work on a hostile file

ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path",
    "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker",
    "symbol", "use", "image",
}
ATTRIBUTES = {
    "id", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "width", "height", "d", "points",
    "dx", "dy", "rotate", "transform", "viewBox", "preserveAspectRatio", "fill", "fill-opacity", "fill-rule",
    "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray",
    "stroke-dashoffset", "stroke-miterlimit", "opacity", "font-family", "font-size", "font-weight", "font-style",
    "font-variant", "font-stretch", "letter-spacing", "word-spacing", "text-anchor", "dominant-baseline",
    "alignment-baseline", "baseline-shift", "text-decoration", "textLength", "lengthAdjust", "offset",
    "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod", "clip-path",
    "clip-rule", "clipPathUnits", "mask", "maskUnits", "maskContentUnits", "patternUnits", "patternContentUnits",
    "patternTransform", "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "markerUnits",
    "refX", "refY", "orient", "visibility", "display", "color", "style", "href", "xml:space",
}
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I)
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]+$")
_STYLE_BAD = re.compile(r"[<>\\]|@import|expression\s*\(|javascript:", re.I)


def _local(tag: str) -> str | None:
    """The element's name when it is in the SVG namespace (or has none)."""
    if not isinstance(tag, str):
        return None  # comments, processing instructions
    if tag.startswith(SVG):
        return tag[len(SVG):]
    return None if tag.startswith("{") else tag


def _ids(root) -> set[str]:
    return {el.get("id") for el in root.iter() if el.get("id")}


def _refs_ok(value: str, ids: set[str], prefix: str) -> str | None:
    """The value with url(#id) references renamed, or None if it refers outside."""
    bad = False

    def swap(match):
        nonlocal bad
        target = match.group(2)
        if target.startswith("#") and target[1:] in ids:
            return f"url(#{prefix}{target[1:]})"
        bad = True
        return ""

    value = _URL.sub(swap, value)
    return None if bad else value


def _presentation(name: str, value: str, ids: set[str], prefix: str, fonts: str) -> str | None:
    """A presentation value as an attribute or a style declaration carries
    it: references renamed (None if one points outside), and a font family
    followed by the page's font stack."""
    value = _refs_ok(value, ids, prefix)
    if value is not None and name == "font-family":
        value = f"{value}, {fonts}"
    return value


def _style(value: str, ids: set[str], prefix: str, fonts: str) -> str:
    kept = []
    for declaration in value.split(";"):
        if ":" not in declaration:
            continue
        name, _, val = declaration.partition(":")
        name, val = name.strip().lower(), val.strip()
        if name not in ATTRIBUTES or _STYLE_BAD.search(val):
            continue
        val = _presentation(name, val, ids, prefix, fonts)
        if val is not None:
            kept.append(f"{name}: {val}")
    return "; ".join(kept)


def inline_svg(data: bytes, prefix: str, label: str, css_class: str, style: str, fonts: str) -> str:
    """The drawing as an ``<svg>`` element for the page: sanitised, ids
    prefixed, sized by the stylesheet, and named ``label`` for screen readers."""
    root = ElementTree.fromstring(data)
    if sum(1 for _ in root.iter()) > MAX_ELEMENTS:
        raise ValueError(f"the drawing has more than {MAX_ELEMENTS} elements")
    ids = _ids(root)
    if not root.get("viewBox") and root.get("width") and root.get("height"):
        w, h = (re.match(r"[\d.]+", root.get(k) or "") for k in ("width", "height"))
        if w and h:
            root.set("viewBox", f"0 0 {w.group(0)} {h.group(0)}")
    out: list[str] = []

    def attrs(el, top: bool) -> str:
        parts = []
        for key, value in el.attrib.items():
            name = "href" if key == XLINK_HREF else key
            if name.startswith("{http://www.w3.org/XML/1998/namespace}"):
                name = "xml:" + name.split("}", 1)[1]
            if name not in ATTRIBUTES or (top and name in ("width", "height", "style", "id")):
                continue
            if name == "id":
                value = prefix + value
            elif name == "href":
                if value.startswith("#") and value[1:] in ids:
                    value = "#" + prefix + value[1:]
                elif not (_local(el.tag) == "image" and _DATA_IMAGE.match(value)):
                    continue
            elif name == "style":
                value = _style(value, ids, prefix, fonts)
                if not value:
                    continue
            else:
                value = _presentation(name, value, ids, prefix, fonts)
                if value is None:
                    continue
            parts.append(f' {name}="{attr(value)}"')
        return "".join(parts)

    def element(el, top: bool = False) -> None:
        name = _local(el.tag)
        if name not in ELEMENTS:
            return
        if top:
            out.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="{attr(css_class)}" style="{attr(style)}" role="img" aria-label="{attr(label)}"{attrs(el, True)}>')
        else:
            out.append(f"<{name}{attrs(el, False)}>")
        if el.text and name in ("text", "tspan", "title", "desc"):
            out.append(text(el.text))
        for child in el:
            element(child)
            if child.tail and name in ("text", "tspan"):
                out.append(text(child.tail))
        out.append(f"</{name}>")

    if _local(root.tag) != "svg":
        raise ValueError("the file is not an SVG drawing")
    element(root, top=True)
    return "".join(out)
