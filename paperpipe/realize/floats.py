"""Where each figure and table goes when it does not fit where it is
written (model.PLACES), decided once: the source's ``place=`` if typed, else
the theme's rule for its kind (``floats:`` in style.yaml).

Only a numbered figure or table in the running text may float: one inside a
list, a box or another figure stays with what holds it (``here``). The
writers that lay out pages (the PDF) read ``placement``; the others have no
page to float to.
"""
from __future__ import annotations

from dataclasses import replace

from .. import model as m
from ..theme import Theme


def realize_floats(doc: m.Document, theme: Theme) -> m.Document:
    return replace(doc, blocks=tuple(_placed(block, theme) for block in doc.blocks))


def _placed(block: m.Block, theme: Theme) -> m.Block:
    if isinstance(block, m.Figure) and block.number:
        return replace(block, placement=block.place or theme.floats.rule("figure"))
    if isinstance(block, m.Table) and block.number:
        return replace(block, placement=block.place or theme.floats.rule("table"))
    return block
