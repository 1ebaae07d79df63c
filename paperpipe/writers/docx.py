"""The document model as a Word document (DOCX) that Word treats as its own.

``write_docx`` opens the Word template (``templates/reference.docx``, see
``docx_reference.py``), empties its body and writes the paper into it with
the template's styles: Title, Heading 1-3, Caption, TOC 1-3, Table of
Figures, List Bullet/Number, the "Paper Table" table style, Sidebar.

What makes it a Word document rather than a dump of paragraphs:

- Heading numbers are the pipeline's (``Heading.number``), written as text
  and a tab, so they can never differ from the PDF's.
- The contents and the lists of figures and tables are TOC fields whose
  results are already filled in: each entry a hyperlink to a ``_Toc``
  bookmark on its heading or caption, with a PAGEREF field holding the page
  on which the PDF prints it (``pages``).
- Captions are "Figure {SEQ Figure}: title" with the number filled in and a
  ``_Ref`` bookmark around "Figure 1"; cross-references are REF fields to
  those bookmarks, so Word's cross-reference dialog recognises them.
- The cover is a section of its own without header or footer; the next
  section has the running header and a PAGE field and starts at page 1.

The writer renders: it never numbers or counts.  The package is written
with fixed zip timestamps and order so that two builds are byte-identical.
"""
from __future__ import annotations

import copy
import datetime as _dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import BinaryIO, Mapping

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from .. import model as m
from ..style import Style
from .docx_fields import (
    bookmark_end, bookmark_start, break_run, clone, el, emu, external_link, field, field_begin,
    field_end, internal_link, rpr, tab_run, text_run, twips,
)
from .docx_reference import FIXED_TIME, metrics, reference_docx, zip_parts

REFERENCE_FILE = "reference.docx"


def write_docx(doc: m.Document, style: Style, templates: Path, pages: Mapping[str, int], out: Path | BinaryIO) -> None:
    """Write ``doc`` as DOCX to ``out`` (a path or a binary file object).

    ``pages`` maps every heading, figure and table id to the page number the
    PDF prints for it; the contents and lists show these numbers.
    """
    data = render_docx(doc, style, templates, pages)
    if hasattr(out, "write"):
        out.write(data)  # type: ignore[union-attr]
    else:
        Path(out).write_bytes(data)


def render_docx(doc: m.Document, style: Style, templates: Path, pages: Mapping[str, int]) -> bytes:
    """The DOCX as bytes."""
    return _Writer(doc, style, Path(templates), pages).render()


# ----------------------------------------------------------------------------- anchors
@dataclass(frozen=True)
class Anchor:
    """The bookmarks of one heading or caption: ``toc`` spans the paragraph
    (the contents link to it), ``ref`` spans what a cross-reference prints
    (the number of a heading, "Figure 1" of a caption)."""

    toc: str
    ref: str
    toc_id: int
    ref_id: int


def anchors_for(doc: m.Document) -> dict[str, Anchor]:
    """Bookmark names for every heading, figure and table id, in reading order.

    Word's own style of names (``_Toc`` / ``_Ref`` and digits) keeps them
    hidden in Word's bookmark list and valid whatever the content's ids are."""
    out: dict[str, Anchor] = {}
    for block in m.walk(doc.blocks):
        ident = getattr(block, "id", "")
        if isinstance(block, (m.Heading, m.Figure, m.Table)) and ident and ident not in out:
            n = len(out)
            out[ident] = Anchor(f"_Toc{100000001 + n}", f"_Ref{100000001 + n}", 2 * n + 1, 2 * n + 2)
    return out


# ----------------------------------------------------------------------------- writer
@dataclass
class _Ctx:
    """How paragraphs inside a container are styled."""

    style: str = "Normal"
    bold: bool = False
    colour: str | None = None
    align: str = ""
    list_depth: int = 0


@dataclass
class _Writer:
    doc: m.Document
    style: Style
    templates: Path
    pages: Mapping[str, int]
    anchors: dict[str, Anchor] = dc_field(default_factory=dict)

    # ------------------------------------------------------------------ set-up
    def render(self) -> bytes:
        self.m = metrics(self.style)
        self.anchors = anchors_for(self.doc)
        self.word = self._open_template()
        self.part = self.word.part
        self.style_ids = self._style_ids()
        self.body = self.word.element.body
        self.final_sectpr = self.body.find(qn("w:sectPr"))
        for child in list(self.body):
            if child is not self.final_sectpr:
                self.body.remove(child)
        self._set_language(self.doc.meta.language)
        self._next_num_id = self._max_num_id() + 1

        self._cover()
        self._contents()
        contents_end = self.final_sectpr.getprevious()
        self._blocks(self.doc.blocks, _Ctx())
        self._start_body_on_new_page(contents_end)
        self._header_footer()
        self._core_properties()
        return self._save()

    def _open_template(self):
        path = self.templates / REFERENCE_FILE
        if path.is_file():
            return docx.Document(str(path))
        return docx.Document(io.BytesIO(reference_docx(self.style, self.doc.meta.language)))

    def _style_ids(self) -> dict[str, str]:
        ids = {}
        for s in self.word.styles.element.findall(qn("w:style")):
            name = s.find(qn("w:name"))
            if name is not None:
                ids[name.get(qn("w:val")).lower()] = s.get(qn("w:styleId"))
        return ids

    def sid(self, name: str) -> str:
        """The style id of a style name (Word's names are case-insensitive)."""
        return self.style_ids.get(name.lower(), re.sub(r"\W", "", name))

    def _set_language(self, language: str) -> None:
        styles = self.word.styles.element
        targets = [styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")]
        normal = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{self.sid('Normal')}']")
        if normal is not None:
            rp = normal.find(qn("w:rPr"))
            if rp is None:
                rp = el("w:rPr")
                normal.append(rp)
            targets.append(rp)
        for rp in targets:
            if rp is None:
                continue
            lang = rp.find(qn("w:lang"))
            if lang is None:
                lang = el("w:lang")
                rp.append(lang)
            lang.set(qn("w:val"), language)
            lang.set(qn("w:eastAsia"), language)
        settings = self.word.settings.element
        tfl = settings.find(qn("w:themeFontLang"))
        if tfl is not None:
            tfl.set(qn("w:val"), language)

    # ------------------------------------------------------------------ paragraphs
    def para(self, style: str | None = None, children=(), *, keep_next=False, page_break=False,
             align: str = "", spacing: dict | None = None, ind: dict | None = None, sect=None) -> etree._Element:
        ppr_children = []
        if style:
            ppr_children.append(el("w:pStyle", {"w:val": self.sid(style)}))
        if keep_next:
            ppr_children.append(el("w:keepNext"))
        if page_break:
            ppr_children.append(el("w:pageBreakBefore"))
        if spacing:
            ppr_children.append(el("w:spacing", {f"w:{k}": v for k, v in spacing.items()}))
        if ind:
            ppr_children.append(el("w:ind", {f"w:{k}": v for k, v in ind.items()}))
        if align:
            ppr_children.append(el("w:jc", {"w:val": {"justify": "both", "centre": "center"}.get(align, align)}))
        if sect is not None:
            ppr_children.append(sect)
        p = el("w:p", None, el("w:pPr", None, *ppr_children) if ppr_children else None)
        for child in children:
            p.append(child)
        return p

    def add(self, node: etree._Element, container=None) -> etree._Element:
        target = self.body if container is None else container
        if target is self.body:
            self.final_sectpr.addprevious(node)
        else:
            target.append(node)
        return node

    # ------------------------------------------------------------------ inlines
    def inlines(self, nodes, bold=False, italic=False, colour=None, code=False, link_style=False) -> list:
        out: list = []
        for node in nodes:
            props = rpr(bold=bold, italic=italic, colour=colour,
                        style_id=self.sid("Hyperlink") if link_style else (self.sid("Verbatim Char") if code else None))
            if isinstance(node, m.Text):
                out.append(text_run(node.text, props))
            elif isinstance(node, m.Strong):
                out.extend(self.inlines(node.children, True, italic, colour, code, link_style))
            elif isinstance(node, m.Emph):
                out.extend(self.inlines(node.children, bold, True, colour, code, link_style))
            elif isinstance(node, m.Code):
                out.extend(self.inlines((m.Text(node.text),), bold, italic, colour, True, link_style))
            elif isinstance(node, m.LineBreak):
                out.append(el("w:r", None, clone(props), el("w:br")))
            elif isinstance(node, m.Link):
                rel = self.part.relate_to(node.url, RT.HYPERLINK, is_external=True)
                out.append(external_link(rel, self.inlines(node.children, bold, italic, None, code, True)))
            elif isinstance(node, m.Ref):
                out.extend(self.reference(node, bold, italic, colour))
        return out

    def reference(self, node: m.Ref, bold, italic, colour) -> list:
        anchor = self.anchors.get(node.target)
        props = rpr(bold=bold, italic=italic, colour=colour)
        if anchor is None:
            return [text_run(node.label, props)]
        if node.children:
            # the editor's own words: a link that updating fields cannot rewrite
            return [internal_link(anchor.toc, self.inlines(node.children, bold, italic, colour))]
        target = self.doc.targets.get(node.target)
        if target is not None and target.kind == "section" and target.number and node.label.endswith(target.number):
            # "Section " + REF to the bookmark around the heading's number
            prefix = node.label[: -len(target.number)]
            return [text_run(prefix, props), *field(f"REF {anchor.ref} \\h", node.label[len(prefix):], props)]
        return field(f"REF {anchor.ref} \\h", node.label, props)

    # ------------------------------------------------------------------ cover
    def _cover(self) -> None:
        meta = self.doc.meta
        cover = meta.cover or {}
        title = str(cover.get("title") or meta.title)
        lines = [str(x) for x in (cover.get("lines") or ())]
        kind = str(cover.get("kind") or "")
        footer = str(cover.get("footer") or "")
        height = self.m["page_height"] - self.m["margin_top"] - self.m["margin_bottom"]
        self.add(self.para("Title", [text_run(title)], spacing={"before": twips(height * 0.28)}))
        for line in lines:
            self.add(self.para("Subtitle", [text_run(line)]))
        if kind:
            self.add(self.para("Cover Text", [text_run(kind, rpr(bold=True))], spacing={"before": twips(24)}))
        # the last cover paragraph carries the cover section's properties
        sect = self._cover_sectpr()
        last = self.para("Cover Footer", [text_run(footer)] if footer else [], sect=sect,
                         spacing={"before": twips(height * 0.35)})
        self.add(last)

    def _cover_sectpr(self) -> etree._Element:
        sect = copy.deepcopy(self.final_sectpr)
        for ref in sect.findall(qn("w:headerReference")) + sect.findall(qn("w:footerReference")):
            sect.remove(ref)
        for tag in ("w:pgNumType", "w:titlePg", "w:type"):
            for node in sect.findall(qn(tag)):
                sect.remove(node)
        self._page_setup(sect)
        return sect

    def _page_setup(self, sect: etree._Element) -> None:
        mm = self.m
        for tag in ("w:pgSz", "w:pgMar"):
            node = sect.find(qn(tag))
            if node is not None:
                sect.remove(node)
        pg_sz = el("w:pgSz", {"w:w": twips(mm["page_width"]), "w:h": twips(mm["page_height"])})
        pg_mar = el("w:pgMar", {
            "w:top": twips(mm["margin_top"]), "w:right": twips(mm["margin_right"]),
            "w:bottom": twips(mm["margin_bottom"]), "w:left": twips(mm["margin_left"]),
            "w:header": twips(mm["header_distance"]), "w:footer": twips(mm["footer_distance"]), "w:gutter": 0,
        })
        # schema order: headerReference*, footerReference*, ..., pgSz, pgMar, ...
        refs = sect.findall(qn("w:headerReference")) + sect.findall(qn("w:footerReference"))
        if refs:
            refs[-1].addnext(pg_sz)
        else:
            sect.insert(0, pg_sz)
        pg_sz.addnext(pg_mar)

    # ------------------------------------------------------------------ contents
    def _contents(self) -> None:
        labels = self.doc.meta.labels
        self.add(self.para("TOC Heading", [text_run(labels.get("contents", "Contents"))]))
        self._toc_field('TOC \\o "1-3" \\h \\z \\u', self.doc.contents, lambda e: f"TOC {min(max(e.level, 1), 3)}")
        for key, seq in (("figures", "figure"), ("tables", "table")):
            entries = getattr(self.doc, key)
            if not entries:
                continue
            self.add(self.para("TOC Heading", [text_run(labels.get(key, key.title()))]))
            self._toc_field(f'TOC \\h \\z \\c "{self.seq_name(seq)}"', entries, lambda e: "Table of Figures")

    def seq_name(self, kind: str) -> str:
        """The SEQ identifier of captions: the label ("Figure"), as Word's captions use."""
        label = self.doc.meta.labels.get(kind, kind.title())
        return re.sub(r"\W", "_", label) or kind.title()

    def _toc_field(self, instruction: str, entries, style_of) -> None:
        for i, entry in enumerate(entries):
            anchor = self.anchors.get(entry.id)
            page = self.pages.get(entry.id, "")
            runs = []
            text = entry.text or entry.title
            if "\t" in text:
                number, title = text.split("\t", 1)
                runs += [text_run(number), tab_run()]
            else:
                title = text
            runs.append(text_run(title))
            runs.append(tab_run())
            if anchor is not None:
                runs += field(f"PAGEREF {anchor.toc} \\h", str(page))
                content = [internal_link(anchor.toc, runs)]
            else:
                content = runs + [text_run(str(page))]
            if i == 0:
                content = [*field_begin(instruction), *content]
            if i == len(entries) - 1:
                content.append(field_end())
            self.add(self.para(style_of(entry), content))

    # ------------------------------------------------------------------ blocks
    def _blocks(self, blocks, ctx: _Ctx, container=None) -> None:
        for block in blocks:
            self._block(block, ctx, container)

    def _start_body_on_new_page(self, contents_end: etree._Element) -> None:
        """The body starts on a new page after the contents."""
        first = contents_end.getnext()
        if first is None or first is self.final_sectpr:
            return
        if first.tag != qn("w:p"):
            first.addprevious(self.para(None, spacing={"before": 0, "after": 0, "line": 20, "lineRule": "exact"}))
            first = first.getprevious()
        ppr = first.find(qn("w:pPr"))
        if ppr is None:
            ppr = el("w:pPr")
            first.insert(0, ppr)
        _insert_ppr(ppr, el("w:pageBreakBefore"))

    def _block(self, block, ctx: _Ctx, container=None) -> None:
        if isinstance(block, m.Heading):
            self.add(self._heading(block), container)
        elif isinstance(block, m.Paragraph):
            self.add(self.para(ctx.style, self.inlines(block.children, ctx.bold, colour=ctx.colour), align=ctx.align), container)
        elif isinstance(block, (m.BulletList, m.OrderedList)):
            self._list(block, ctx, container)
        elif isinstance(block, m.Table):
            self._table_block(block, ctx, container)
        elif isinstance(block, m.Figure):
            self._figure(block, ctx, container)
        elif isinstance(block, m.Image):
            self.add(self._image_para(block, block.description), container)
        elif isinstance(block, m.Sidebar):
            self._sidebar(block, container)

    def _heading(self, h: m.Heading) -> etree._Element:
        level = min(max(h.level, 1), 3)
        anchor = self.anchors.get(h.id)
        content = []
        if anchor is not None:
            content.append(bookmark_start(anchor.toc_id, anchor.toc))
        if h.number:
            if anchor is not None:
                content.append(bookmark_start(anchor.ref_id, anchor.ref))
            content.append(text_run(h.number))
            if anchor is not None:
                content.append(bookmark_end(anchor.ref_id))
            content.append(tab_run())
            content += self.inlines(h.children)
        else:
            if anchor is not None:
                content.append(bookmark_start(anchor.ref_id, anchor.ref))
            content += self.inlines(h.children)
            if anchor is not None:
                content.append(bookmark_end(anchor.ref_id))
        if anchor is not None:
            content.append(bookmark_end(anchor.toc_id))
        ind = None if h.number else {"left": 0, "hanging": 0}
        return self.para(f"Heading {level}", content, ind=ind)

    # ------------------------------------------------------------------ captions
    def caption(self, kind: str, number: str, ident: str, inlines, keep_next=False) -> etree._Element:
        anchor = self.anchors.get(ident)
        label = self.doc.meta.labels.get(kind, kind.title())
        content = []
        if anchor is not None:
            content += [bookmark_start(anchor.toc_id, anchor.toc), bookmark_start(anchor.ref_id, anchor.ref)]
        content.append(text_run(f"{label} "))
        content += field(f"SEQ {self.seq_name(kind)} \\* ARABIC", number)
        if anchor is not None:
            content.append(bookmark_end(anchor.ref_id))
        content.append(text_run(": "))
        content += self.inlines(inlines)
        if anchor is not None:
            content.append(bookmark_end(anchor.toc_id))
        return self.para("Caption", content, keep_next=keep_next)

    # ------------------------------------------------------------------ lists
    def _list(self, block, ctx: _Ctx, container) -> None:
        ordered = isinstance(block, m.OrderedList)
        style = "List Number" if ordered else "List Bullet"
        num_id = self._new_list_num(ordered, block.start if ordered else 1)
        depth = ctx.list_depth
        indent = self.style.pt("spacing", "list_indent")
        for item in block.items:
            first = True
            for sub in item:
                if isinstance(sub, m.Paragraph) and first:
                    p = self.para(style, self.inlines(sub.children, ctx.bold, colour=ctx.colour))
                    ppr = p.find(qn("w:pPr"))
                    _insert_ppr(ppr, el("w:numPr", None, el("w:ilvl", {"w:val": depth}), el("w:numId", {"w:val": num_id})))
                    if depth:
                        _insert_ppr(ppr, el("w:ind", {"w:left": twips(indent * (depth + 1)), "w:hanging": twips(indent)}))
                    self.add(p, container)
                elif isinstance(sub, m.Paragraph):
                    p = self.para("List Paragraph", self.inlines(sub.children, ctx.bold, colour=ctx.colour),
                                  ind={"left": twips(indent * (depth + 1))})
                    self.add(p, container)
                elif isinstance(sub, (m.BulletList, m.OrderedList)):
                    self._list(sub, _Ctx(ctx.style, ctx.bold, ctx.colour, ctx.align, depth + 1), container)
                else:
                    self._block(sub, ctx, container)
                first = False

    def _max_num_id(self) -> int:
        numbering = self.part.numbering_part.element
        ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        return max(ids, default=0)

    def _list_abstract(self, ordered: bool) -> str:
        """The abstract numbering behind the List Number / List Bullet style."""
        style = self.word.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{self.sid('List Number' if ordered else 'List Bullet')}']")
        num_id = None
        if style is not None:
            node = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            if node is not None:
                num_id = node.get(qn("w:val"))
        numbering = self.part.numbering_part.element
        for num in numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                return num.find(qn("w:abstractNumId")).get(qn("w:val"))
        return "1" if ordered else "0"

    def _new_list_num(self, ordered: bool, start: int) -> int:
        """Each list its own numbering instance, so that numbered lists restart."""
        num_id = self._next_num_id
        self._next_num_id += 1
        num = el("w:num", {"w:numId": num_id}, el("w:abstractNumId", {"w:val": self._list_abstract(ordered)}))
        if ordered:
            for lvl in range(3):
                num.append(el("w:lvlOverride", {"w:ilvl": lvl}, el("w:startOverride", {"w:val": start if lvl == 0 else 1})))
        self.part.numbering_part.element.append(num)
        return num_id

    # ------------------------------------------------------------------ figures
    def _figure(self, fig: m.Figure, ctx: _Ctx, container) -> None:
        for block in fig.body:
            if isinstance(block, m.Image):
                self.add(self._image_para(block, block.description or fig.description, keep_next=True), container)
            elif isinstance(block, m.Table):
                self.add(self._table(block, fig_style=block.style), container)
            else:
                self._block(block, ctx, container)
        if fig.number:
            self.add(self.caption("figure", fig.number, fig.id, fig.caption), container)

    def _image_para(self, image: m.Image, description: str, keep_next=False) -> etree._Element:
        from ..fonts import register_fonts
        from ..images import image_size_pt, raster_bytes

        register_fonts(self.style)
        data, _kind = raster_bytes(image.path, 300)
        w_pt, h_pt = image_size_pt(image.path)
        width = self.m["text_width"] * (image.width or 1.0)
        height = h_pt * width / w_pt if w_pt else width
        inline = self.part.new_pic_inline(io.BytesIO(data), emu(width), emu(height))
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("descr", description or "")
        doc_pr.set("name", image.path.name)
        pic_cnvpr = inline.find(f".//{qn('pic:cNvPr')}")
        if pic_cnvpr is not None:
            pic_cnvpr.set("name", image.path.name)
            pic_cnvpr.set("descr", description or "")
        run = el("w:r", None, el("w:drawing", None, inline))
        return self.para("Figure", [run], keep_next=keep_next)

    # ------------------------------------------------------------------ tables
    def _table_block(self, table: m.Table, ctx: _Ctx, container) -> None:
        if table.number:
            self.add(self.caption("table", table.number, table.id, table.caption, keep_next=True), container)
        self.add(self._table(table), container)
        if container is None:
            # Word needs a paragraph between two tables; this one also gives the space after
            pass

    def _grid_widths(self, table: m.Table, total: float) -> list[int]:
        n = max(table.columns, 1)
        rel = list(table.widths) if table.widths and len(table.widths) == n else [1.0] * n
        whole = twips(total)
        widths = [int(whole * w / sum(rel)) for w in rel]
        widths[-1] += whole - sum(widths)
        return widths

    def _table(self, table: m.Table, fig_style: str = "", total: float | None = None) -> etree._Element:
        total = self.m["text_width"] if total is None else total
        grid = self._grid_widths(table, total)
        colours = self.style.colours
        tbl = el("w:tbl")
        tbl_pr = el(
            "w:tblPr", None,
            el("w:tblStyle", {"w:val": self.sid("Paper Table")}),
            el("w:tblW", {"w:w": sum(grid), "w:type": "dxa"}),
            el("w:tblLayout", {"w:type": "fixed"}),
            el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0, "w:firstColumn": 0,
                             "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1}),
        )
        tbl.append(tbl_pr)
        tbl.append(el("w:tblGrid", None, *(el("w:gridCol", {"w:w": w}) for w in grid)))
        placed, _ = m.place_cells(table.rows)
        starts = {(p.row, p.col): p.cell for p in placed}
        spans_from_above: dict[tuple[int, int], m.Cell] = {}
        for p in placed:
            for dr in range(1, p.cell.rowspan):
                spans_from_above[(p.row + dr, p.col)] = p.cell
        for r, row in enumerate(table.rows):
            header = r < table.header_rows
            tr_pr = el("w:trPr", None, el("w:cantSplit"), el("w:tblHeader") if header else None)
            tr = el("w:tr", None, tr_pr)
            c = 0
            while c < len(grid):
                if (r, c) in starts:
                    cell = starts[(r, c)]
                    tr.append(self._cell(cell, row, header, grid[c:c + cell.colspan], "restart" if cell.rowspan > 1 else None))
                    c += cell.colspan
                elif (r, c) in spans_from_above:
                    cell = spans_from_above[(r, c)]
                    tr.append(self._cell(cell, row, header, grid[c:c + cell.colspan], "continue"))
                    c += cell.colspan
                else:
                    tr.append(self._cell(m.Cell(()), row, header, grid[c:c + 1], None))
                    c += 1
            tbl.append(tr)
        return tbl

    def _cell_look(self, cell: m.Cell, row: m.Row, header: bool) -> tuple[str | None, str | None, bool]:
        """Fill, text colour and boldness of a cell from its row's and its own role."""
        colours = self.style.colours
        role = cell.role or row.role
        if header or role in ("header", "head"):
            return colours["primary"], colours["table_header_text"], True
        if role == "day":
            return colours["day_fill"], colours["primary"], True
        if role == "break":
            return colours["break_fill"], None, False
        return None, None, False

    def _cell(self, cell: m.Cell, row: m.Row, header: bool, widths: list[int], vmerge: str | None) -> etree._Element:
        fill, colour, bold = self._cell_look(cell, row, header)
        tc_pr = el("w:tcPr", None, el("w:tcW", {"w:w": sum(widths), "w:type": "dxa"}))
        if len(widths) > 1:
            tc_pr.append(el("w:gridSpan", {"w:val": len(widths)}))
        if vmerge == "restart":
            tc_pr.append(el("w:vMerge", {"w:val": "restart"}))
        elif vmerge == "continue":
            tc_pr.append(el("w:vMerge"))
        if fill:
            tc_pr.append(el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill.lstrip("#").upper()}))
        tc = el("w:tc", None, tc_pr)
        if vmerge == "continue" or not cell.blocks:
            tc.append(self.para("Table Heading" if bold and header else "Table Text"))
            return tc
        ctx = _Ctx("Table Heading" if header else "Table Text", bold and not header, colour.lstrip("#").upper() if colour else None, cell.align)
        self._blocks(cell.blocks, ctx, tc)
        if tc.find(qn("w:p")) is None or tc[-1].tag != qn("w:p"):
            tc.append(self.para(ctx.style))
        return tc

    # ------------------------------------------------------------------ sidebars
    def _sidebar(self, box: m.Sidebar, container) -> None:
        width = twips(self.m["text_width"])
        tbl = el(
            "w:tbl", None,
            el("w:tblPr", None,
               el("w:tblStyle", {"w:val": self.sid("Sidebar Box")}),
               el("w:tblW", {"w:w": width, "w:type": "dxa"}),
               el("w:tblLayout", {"w:type": "fixed"}),
               el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0, "w:firstColumn": 0,
                                "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1})),
            el("w:tblGrid", None, el("w:gridCol", {"w:w": width})),
        )
        light = self.style.colour("light").lstrip("#").upper()
        tc = el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:w": width, "w:type": "dxa"}),
                                 el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": light})))
        if box.title:
            tc.append(self.para("Sidebar Title", [text_run(box.title)]))
        self._blocks(box.blocks, _Ctx("Sidebar"), tc)
        if tc.find(qn("w:p")) is None:
            tc.append(self.para("Sidebar"))
        last = tc.findall(qn("w:p"))[-1]
        ppr = last.find(qn("w:pPr"))
        if ppr is None:
            ppr = el("w:pPr")
            last.insert(0, ppr)
        _insert_ppr(ppr, el("w:spacing", {"w:after": 0}))
        tbl.append(el("w:tr", None, el("w:trPr"), tc))
        self.add(tbl, container)

    # ------------------------------------------------------------------ header, footer
    def _header_footer(self) -> None:
        section = self.word.sections[-1]
        self._page_setup(self.final_sectpr)
        header = section.header
        header.is_linked_to_previous = False
        h = header._element
        for child in list(h):
            h.remove(child)
        lines = list(self.doc.meta.header)
        for i, line in enumerate(lines):
            h.append(self.para("Header", [text_run(line)]))
        if not lines:
            h.append(self.para("Header"))
        footer = section.footer
        footer.is_linked_to_previous = False
        f = footer._element
        for child in list(f):
            f.remove(child)
        f.append(self.para("Footer", field("PAGE \\* Arabic", "1")))
        # page numbers start at 1 on the first page after the cover
        sect = self.final_sectpr
        for node in sect.findall(qn("w:pgNumType")):
            sect.remove(node)
        pg_num = el("w:pgNumType", {"w:start": 1})
        pg_mar = sect.find(qn("w:pgMar"))
        pg_mar.addnext(pg_num)

    # ------------------------------------------------------------------ properties, package
    def _core_properties(self) -> None:
        meta = self.doc.meta
        props = self.word.core_properties
        props.title = meta.title
        props.subject = meta.subject
        props.author = meta.author
        props.last_modified_by = meta.author
        props.keywords = ", ".join(meta.keywords)
        props.language = meta.language
        props.identifier = meta.deliverable
        props.comments = ""
        props.category = ""
        props.revision = 1
        when = _meta_datetime(meta.date)
        props.created = when
        props.modified = when

    def _save(self) -> bytes:
        raw = io.BytesIO()
        self.word.save(raw)
        with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zf:
            names = zf.namelist()
            order = sorted(names, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
            parts = [(n, zf.read(n)) for n in order]
        return zip_parts(parts, _zip_time())


def _insert_ppr(ppr: etree._Element, child: etree._Element) -> None:
    """Insert a paragraph property in schema order (replacing one of the same kind)."""
    order = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange"]
    name = etree.QName(child).localname
    existing = ppr.find(qn(f"w:{name}"))
    if existing is not None:
        ppr.replace(existing, child)
        return
    rank = order.index(name)
    for i, node in enumerate(ppr):
        other = etree.QName(node).localname
        if other in order and order.index(other) > rank:
            ppr.insert(i, child)
            return
    ppr.append(child)


def _meta_datetime(text: str) -> _dt.datetime:
    """The paper's date as a timestamp (never the clock)."""
    try:
        day = _dt.date.fromisoformat(str(text).strip()[:10])
        return _dt.datetime(day.year, day.month, day.day, tzinfo=_dt.timezone.utc)
    except ValueError:
        return _source_date()


def _source_date() -> _dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
    return _dt.datetime(1980, 1, 1, tzinfo=_dt.timezone.utc)


def _zip_time() -> tuple[int, ...]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        t = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
        if t.year >= 1980:
            return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)
    return FIXED_TIME
