"""The cover as printed, from paper.yaml's ``cover:`` (an untyped mapping
the reader has checked) and the theme's logos.

Decided here once for every output: a cover title that is missing or
empty is the paper's title (the PDF printed an empty one, the DOCX and the
page the paper's); lines, kind and footer are text; the logos are the
house style's, then the paper's own.
"""
from __future__ import annotations

from dataclasses import replace

from .. import model as m
from ..theme import Theme


def realize_cover(doc: m.Document, theme: Theme) -> m.Document:
    spec = doc.meta.cover or {}
    own = str(spec.get("title") or "")
    lines = spec.get("lines") or ()
    cover = m.Cover(
        title=own or doc.meta.title,
        lines=tuple(str(line) for line in lines),
        kind=str(spec.get("kind") or ""),
        footer=str(spec.get("footer") or ""),
        logos=tuple(theme.cover.logos),
        title_key="cover.title" if own else "title",
    )
    return replace(doc, cover=cover)
