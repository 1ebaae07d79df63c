"""The document model as a Word document (DOCX) that Word treats as its own.

``render_docx`` opens the empty styled document (``package.py``), writes
the cover, the contents and the paper into it, and saves it with fixed
times.  The writer renders what the passes decided and takes every look
from the house style through the Word styles; it writes no geometry on a
paragraph, so pages break where Word (or LibreOffice) breaks them, and an
editor can keep working in the file:

- headings carry Heading 1-3, numbered by Word's outline list;
- the contents and the lists of figures and tables are TOC fields with
  their results filled in: each entry a hyperlink to a ``_Toc`` bookmark
  and a PAGEREF field holding the page the PDF prints (``pages``, data);
  Word refreshes them on opening;
- captions are "Figure {SEQ Figure}: title" with a ``_Ref`` bookmark around
  "Figure 1"; cross-references are REF fields;
- the cover is a section of its own, without header or footer.

Modules: ``blocks`` (paragraphs, lists, figures, sidebars), ``tables``,
``front`` (cover, contents, header and footer), ``inlines``, ``styles`` and
``numbering`` (the Word styles), ``package`` (the empty document and the
zip), ``wml`` (WordprocessingML pieces), ``looks`` (the house style).
"""
from __future__ import annotations

import datetime as _dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import docx
from docx.oxml.ns import qn
from lxml import etree

from ... import model as m
from ...realize import realized
from ...context import Context
from ...visit import walk
from ...dates import source_epoch
from .looks import Looks, looks_from_theme
from .numbering import ListNumbers
from .package import FIXED_TIME, reference_docx, zip_parts
from .wml import ROOT_NAMESPACES, el, emu


def render_docx(doc: m.Document, style, templates: Path | None, pages: Mapping[str, int], epoch: float | None = None,
                context: Context | None = None) -> bytes:
    """The DOCX as bytes; figures and their files come through the build's
    ``context`` (a new one for the document's and theme's folders when none
    is given)."""
    from . import blocks, front

    doc = realized(doc, style)
    looks = looks_from_theme(style, tuple(dict.fromkeys(b.kind for b in walk(doc.blocks) if isinstance(b, m.Admonition))), doc.cover.logos)
    context = context if context is not None else Context(doc.root, style.folder)
    state = State.open(doc, looks, pages, epoch, context)
    front.cover(state)
    front.contents(state)
    blocks.write_blocks(state, doc.blocks, blocks.BODY)
    front.header_footer(state)
    front.properties(state)
    return state.save()


# ----------------------------------------------------------------------------- anchors
@dataclass(frozen=True)
class Anchor:
    """The bookmarks of one heading or caption: ``toc`` spans the paragraph
    (the contents link to it), ``ref`` what a cross-reference refers to (the
    heading's paragraph, whose number Word prints; "Figure 1" of a caption)."""

    toc: str
    ref: str
    toc_id: int
    ref_id: int


def anchors_for(doc: m.Document) -> dict[str, Anchor]:
    """Bookmark names for every heading, figure and table id, in reading order.

    Word's own style of names (``_Toc`` / ``_Ref`` and digits) keeps them
    hidden in Word's bookmark list and valid whatever the content's ids are."""
    out: dict[str, Anchor] = {}
    for block in walk(doc.blocks):
        ident = getattr(block, "id", "")
        if isinstance(block, (m.Heading, m.Figure, m.Table)) and ident and ident not in out:
            n = len(out)
            out[ident] = Anchor(f"_Toc{100000001 + n}", f"_Ref{100000001 + n}", 2 * n + 1, 2 * n + 2)
    return out


# ----------------------------------------------------------------------------- state
@dataclass
class State:
    """What the writing modules share: the open document and the paper."""

    doc: m.Document
    looks: Looks
    pages: Mapping[str, int]
    when: _dt.datetime
    word: object
    anchors: dict
    lists: ListNumbers
    context: Context
    style_ids: dict = field(default_factory=dict)
    pictures: int = 0

    @classmethod
    def open(cls, doc: m.Document, looks: Looks, pages: Mapping[str, int], epoch: float | None, context: Context) -> "State":
        if epoch is None:
            epoch = source_epoch(doc.meta.date)
        word = docx.Document(io.BytesIO(reference_docx(looks, doc.meta.language, context.memory.packages)))
        numbering = word.part.numbering_part.element
        state = cls(doc, looks, pages, _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc), word, anchors_for(doc), ListNumbers(numbering, el),
                    context)
        for s in word.styles.element.findall(qn("w:style")):
            name = s.find(qn("w:name"))
            if name is not None:
                state.style_ids[name.get(qn("w:val")).lower()] = s.get(qn("w:styleId"))
        return state

    @property
    def part(self):
        return self.word.part

    @property
    def body(self) -> etree._Element:
        return self.word.element.body

    @property
    def final_sectpr(self) -> etree._Element:
        return self.body.find(qn("w:sectPr"))

    def sid(self, name: str) -> str:
        """The style id of a style name (Word's names are case-insensitive)."""
        return self.style_ids.get(name.lower(), re.sub(r"\W", "", name))

    def append(self, node: etree._Element) -> None:
        self.final_sectpr.addprevious(node)

    def para(self, style: str | None, children=(), *, align: str = "") -> etree._Element:
        ppr = el("w:pPr", None, el("w:pStyle", {"w:val": self.sid(style)}) if style else None)
        if align:
            ppr.append(el("w:jc", {"w:val": {"center": "center", "centre": "center", "right": "right", "justify": "both"}.get(align, "left")}))
        p = el("w:p", None, ppr)
        for child in children:
            p.append(child)
        return p

    def label(self, kind: str) -> str:
        return self.doc.meta.labels.get(kind, kind.title())

    def seq_name(self, kind: str) -> str:
        """The SEQ identifier of captions: the label ("Figure"), as Word's captions use."""
        return re.sub(r"\W", "_", self.label(kind)) or kind.title()

    def picture(self, data: bytes, width: float, height: float, name: str, description: str) -> etree._Element:
        """An inline picture with its alt text, numbered in order (Word wants
        each drawing's id unique)."""
        inline = self.part.new_pic_inline(io.BytesIO(data), emu(width), emu(height))
        self.pictures += 1
        for side in ("distT", "distB", "distL", "distR"):
            inline.set(side, "0")  # LibreOffice assumes 0.125in where they are missing
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("id", str(self.pictures))
        for node in (doc_pr, inline.find(f".//{qn('pic:cNvPr')}")):
            if node is not None:
                node.set("name", name)
                node.set("descr", description or "")
        return el("w:r", None, el("w:drawing", None, inline))

    def save(self) -> bytes:
        etree.cleanup_namespaces(self.word.element, top_nsmap=ROOT_NAMESPACES)
        raw = io.BytesIO()
        self.word.save(raw)
        with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zf:
            order = sorted(zf.namelist(), key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
            parts = [(n, zf.read(n)) for n in order]
        return zip_parts(parts, _zip_time())


def _zip_time() -> tuple[int, ...]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        t = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
        if t.year >= 1980:
            return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)
    return FIXED_TIME
