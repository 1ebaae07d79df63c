"""Numbers and labels as they are printed: "3.1" with the heading format
around it, "Figure 2: " before a caption, the lines of the lists of
figures and tables as their captions read, and the role label of a note or
a warning ("Note", from the theme)."""
from __future__ import annotations

from dataclasses import replace

from .. import model as m
from ..theme import Theme
from ..visit import map_blocks

KINDS = {m.Figure: "figure", m.Table: "table"}


def realize_labels(doc: m.Document, theme: Theme) -> m.Document:
    names = doc.meta.labels

    def heading(number: str) -> m.Label:
        before, after = theme.headings.around()
        return m.Label(before, number, after)

    def caption(kind: str, number: str) -> m.Label:
        before, after = theme.captions.around(names[kind])
        return m.Label(before, number, after)

    def fn(block):
        if isinstance(block, m.Quote):  # "— " before who said it
            return replace(block, mark=theme.quotes.attribution_mark if block.attribution else "")
        if isinstance(block, m.Admonition):  # "Note", or "Warning: the editor's title"
            label = theme.admonitions[block.kind].label
            return replace(block, label=f"{label}: {block.title}" if block.title else label)
        if isinstance(block, m.Heading) and block.number:
            return replace(block, label=heading(block.number))
        if type(block) in KINDS and block.number:
            return replace(block, label=caption(KINDS[type(block)], block.number))
        return block

    def contents_entry(e: m.Entry) -> m.Entry:
        if not e.number:
            return replace(e, text=e.title)
        label = heading(e.number)
        return replace(e, label=label, text=f"{label.bare}\t{e.title}")  # the number column, then the title

    def list_entry(kind: str, e: m.Entry) -> m.Entry:
        label = caption(kind, e.number)
        return replace(e, label=label, text=label.text + e.title)  # as the caption reads

    return replace(
        doc, blocks=map_blocks(doc.blocks, fn),
        contents=tuple(contents_entry(e) for e in doc.contents),
        figures=tuple(list_entry("figure", e) for e in doc.figures),
        tables=tuple(list_entry("table", e) for e in doc.tables),
    )
