"""What of an SVG figure the PDF draws, so that the page shows the same words.

svglib (the PDF's and the DOCX's renderer) shows one child of a
``<switch>``: the first that asks for no extension, whose required features
it supports and that names no language. The page shows that same child (a
browser would choose by its own rules), and the figure check refuses a
switch that would show different words in different outputs: a child that
chooses by the reader's language, or HTML text (``<foreignObject>``), which
svglib cannot draw.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def features() -> frozenset[str]:
    """The features svglib draws (asked for only when a figure requires
    some: the page alone imports no SVG-drawing library)."""
    try:
        from svglib.svglib import SUPPORTED_SVG_FEATURES
    except ImportError:  # an svglib without switch support draws its first child
        return frozenset()
    return frozenset(SUPPORTED_SVG_FEATURES)



def local(tag) -> str | None:
    """An element's name without its namespace (None for comments and
    processing instructions)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None


def switch_choice(switch):
    """The child of a ``<switch>`` that the PDF shows, or None."""
    for child in switch:
        if local(child.tag) is None:
            continue
        if child.get("requiredExtensions"):
            continue
        required = (child.get("requiredFeatures") or "").split()
        if required and not all(f.lower() in features() for f in required):
            continue
        if child.get("systemLanguage"):
            continue
        return child
    return None
