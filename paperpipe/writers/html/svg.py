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

import hashlib
import re
from xml.etree import ElementTree

from ...figures import css, switch
from .inlines import attr, text

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MAX_ELEMENTS = 50_000  # far more than a figure needs; bounds the work on a hostile file

ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path",
    "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker",
    "symbol", "use", "image", "textPath",
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
    "refX", "refY", "orient", "visibility", "display", "color", "style", "href", "xml:space", "startOffset", "method",
    "spacing", "side",
}
# attributes that hold numbers, lengths, path data and keywords, never CSS:
# kept only when made of such characters (no brackets, quotes or backslashes)
GEOMETRY = {
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "width", "height", "d", "points", "dx", "dy",
    "rotate", "viewBox", "preserveAspectRatio", "textLength", "lengthAdjust", "offset", "gradientUnits", "spreadMethod",
    "clipPathUnits", "maskUnits", "maskContentUnits", "patternUnits", "patternContentUnits", "markerWidth", "markerHeight",
    "markerUnits", "refX", "refY", "orient", "xml:space", "startOffset", "method", "spacing", "side",
}
_PLAIN = re.compile(r"[\w\s.,%+#-]*")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]+$")


def _local(tag: str) -> str | None:
    """The element's name when it is in the SVG namespace (or has none)."""
    if not isinstance(tag, str):
        return None  # comments, processing instructions
    if tag.startswith(SVG):
        return tag[len(SVG):]
    return None if tag.startswith("{") else tag


def _ids(root) -> set[str]:
    return {el.get("id") for el in root.iter() if el.get("id")}


def _presentation(name: str, value: str, ids: set[str], prefix: str, fonts: str) -> str | None:
    """A presentation value as an attribute or a style declaration carries
    it, or None when it is dropped: geometry only when plain; any other value
    read as CSS (figures/css.py) and written out again from its tokens, its only
    references ``url(#id)`` to ids of the figure, renamed; a font family
    followed by the page's font stack."""
    if name in GEOMETRY:
        return value if _PLAIN.fullmatch(value) else None
    value = css.clean(value, lambda target: prefix + target if target in ids else None)
    if value is not None and name == "font-family":
        value = f"{value}, {fonts}"
    return value


def _style(value: str, ids: set[str], prefix: str, fonts: str) -> str:
    """A style attribute, declaration by declaration: presentation
    properties only, each value as ``_presentation`` keeps it; nothing when
    the attribute leaves something open or holds anything but declarations."""
    try:
        items = css.declarations(value)
    except css.StyleRefused:
        return ""
    kept = []
    for name, val, important in items:
        if name not in ATTRIBUTES or name in ("id", "href", "style", "xml:space"):
            continue
        val = _presentation(name, val, ids, prefix, fonts)
        if val:
            kept.append(f"{name}: {val}" + (" !important" if important else ""))
    return "; ".join(kept)


_DRAWN_MAX_BYTES = 1 << 20  # a drawing larger than this is not kept


def inline_svg(data: bytes, prefix: str, label: str, css_class: str, style: str, fonts: str, kept=None) -> str:
    """The drawing as an ``<svg>`` element for the page: sanitised, ids
    prefixed, sized by the stylesheet, and named ``label`` for screen readers.
    The result depends only on the arguments; ``kept`` (a bounded cache the
    caller keeps: the build context's Memory, so the watch's page does not
    sanitise a figure that did not change again) holds the last few."""
    key = (hashlib.sha256(data).digest(), prefix, label, css_class, style, fonts)
    drawn = kept.get(key) if kept is not None else None
    if drawn is None:
        drawn = _inline_svg(data, prefix, label, css_class, style, fonts)
        if kept is not None and len(data) + len(drawn) <= _DRAWN_MAX_BYTES:
            kept.put(key, drawn)
    return drawn


def _inline_svg(data: bytes, prefix: str, label: str, css_class: str, style: str, fonts: str) -> str:
    root = ElementTree.fromstring(data)
    if sum(1 for _ in root.iter()) > MAX_ELEMENTS:
        raise ValueError(f"the drawing has more than {MAX_ELEMENTS} elements")
    ids = _ids(root)
    if not root.get("viewBox") and root.get("width") and root.get("height"):
        w, h = (re.match(r"[\d.]+", root.get(k) or "") for k in ("width", "height"))
        if w and h:
            root.set("viewBox", f"0 0 {w.group(0)} {h.group(0)}")
    out: list[str] = []

    seen: set[str] = set()  # an id given twice in a figure is kept on its first element only

    def attrs(el, top: bool, skip: tuple[str, ...] = ()) -> str:
        parts = []
        for key, value in el.attrib.items():
            name = "href" if key == XLINK_HREF else key
            if name.startswith("{http://www.w3.org/XML/1998/namespace}"):
                name = "xml:" + name.split("}", 1)[1]
            if name not in ATTRIBUTES or name in skip or (top and name in ("width", "height", "style", "id")):
                continue
            if name == "id":
                if value in seen:
                    continue
                seen.add(value)
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

    def element(el, top: bool = False, in_text: bool = False) -> None:
        """An element and what it holds. Every word the PDF draws is kept:
        inside a text, any element is a tspan (svglib draws all the text of a
        text's descendants); a link is a group (its words, not the link); a
        switch shows the child the PDF shows (switch.switch_choice)."""
        name = _local(el.tag)
        if in_text:
            name = name if name in ("tspan", "textPath") else "tspan"
        elif name == "a":
            name = "g"
        elif name == "switch":
            chosen = switch.switch_choice(el)
            out.append(f"<g{attrs(el, False, skip=('href',))}>")
            if chosen is not None:
                element(chosen)
            out.append("</g>")
            return
        if name not in ELEMENTS:
            return
        if top:
            out.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="{attr(css_class)}" style="{attr(style)}" role="img" aria-label="{attr(label)}"{attrs(el, True)}>')
        else:
            out.append(f"<{name}{attrs(el, False, skip=('href',) if name != _local(el.tag) else ())}>")
        words = name in ("text", "tspan", "textPath")
        if el.text and (words or name in ("title", "desc")):
            out.append(text(el.text))
        for child in el:
            if not isinstance(child.tag, str):
                continue  # a comment or processing instruction
            element(child, in_text=words)
            if child.tail and words:
                out.append(text(child.tail))
        out.append(f"</{name}>")

    if _local(root.tag) != "svg":
        raise ValueError("the file is not an SVG drawing")
    element(root, top=True)
    return "".join(out)
