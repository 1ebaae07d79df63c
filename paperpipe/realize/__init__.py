"""The realize stage: the numbered document and the theme into a document
ready to render.

After the passes (which count and resolve) and before the writers (which
only render), each step here takes a decision every writer would otherwise
make, once, from the theme: how a number or a caption label reads, the look
of each table row and cell, the cover's texts and logos, … Writers read
what these steps set and never the theme's formats or role rules
themselves, so no two outputs can disagree about a look.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from .. import model as m
from ..theme import Theme
from .cover import realize_cover
from .breaks import realize_breaks
from .dashes import realize_dashes
from .hyphenation import realize_hyphenation
from .floats import realize_floats
from .labels import realize_labels
from .tables import realize_tables

Step = Callable[[m.Document, Theme], m.Document]

STEPS: list[tuple[str, Step]] = [
    ("dashes", realize_dashes),  # before the labels: the lists' lines are made from the entries' titles
    ("breaks", realize_breaks),
    ("hyphenation", realize_hyphenation),
    ("labels", realize_labels),
    ("tables", realize_tables),
    ("cover", realize_cover),
    ("floats", realize_floats),
]


def realize(doc: m.Document, theme: Theme) -> m.Document:
    """The document with every label and look set."""
    for _name, step in STEPS:
        doc = step(doc, theme)
    return replace(doc, realized=_seen(doc, theme))


def realized(doc: m.Document, theme: Theme) -> m.Document:
    """``doc`` if the realize stage made it with this theme and nothing of it
    was replaced since, else ``doc`` realized now (a writer called on a
    document built or changed by hand, as the tests do)."""
    seen = _seen(doc, theme)
    if len(doc.realized) == len(seen) and all(a is b for a, b in zip(doc.realized, seen)):
        return doc
    return realize(doc, theme)


def _seen(doc: m.Document, theme: Theme) -> tuple:
    return (theme, doc.meta, doc.blocks, doc.contents, doc.figures, doc.tables)


__all__ = ["STEPS", "realize", "realized"]
