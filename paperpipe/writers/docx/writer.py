"""The document model as a Word document (DOCX) that Word treats as its own.

``write_docx`` opens the Word template (``templates/reference.docx``, see
``reference.py``), empties its body and writes the paper into it with
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

The page numbers in those fields only hold if Word and LibreOffice lay the
pages out as the PDF does: the spacing and keep rules of ``layout.py``
see to that.  The writer renders: it never numbers or counts.  The package
is written with fixed zip timestamps and order, so two builds are
byte-identical.
"""
from __future__ import annotations

import copy
import datetime as _dt
import io
import os
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape
from pathlib import Path
from typing import BinaryIO, Mapping

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ... import model as m
from ...style import Style
from .fields import (
    bookmark_end, bookmark_start, clone, el, emu, external_link, field, field_begin, field_end,
    internal_link, rpr, tab_run, text_run, twips,
)
from .layout import Flow, Item, box_height, finish_box, finish_flow, ppr_of, set_ppr, set_spacing
from .measure import Measure, markup
from ...dates import source_epoch
from ...metrics import metrics
from .reference import FIXED_TIME, reference_docx, zip_parts

REFERENCE_FILE = "reference.docx"
ALIGN = {"left": "left", "center": "center", "centre": "center", "right": "right", "justify": "both"}


def write_docx(doc: m.Document, style: Style, templates: Path, pages: Mapping[str, int], out: Path | BinaryIO,
               epoch: float | None = None) -> None:
    """Write ``doc`` as DOCX to ``out`` (a path or a binary file object).

    ``pages`` maps every heading, figure and table id to the page number the
    PDF prints for it; the contents and lists show these numbers. ``epoch``
    is the time written into the file (the build gives the PDF's: the
    paper's date or SOURCE_DATE_EPOCH); without it, the paper's date.
    """
    data = render_docx(doc, style, templates, pages, epoch)
    if hasattr(out, "write"):
        out.write(data)  # type: ignore[union-attr]
    else:
        Path(out).write_bytes(data)


def render_docx(doc: m.Document, style: Style, templates: Path, pages: Mapping[str, int], epoch: float | None = None) -> bytes:
    """The DOCX as bytes."""
    return _Writer(doc, style, Path(templates), pages, epoch).render()


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


# ----------------------------------------------------------------------------- contexts
@dataclass(frozen=True)
class Ctx:
    """Where blocks are written: the body, a table cell, a header cell or a box.

    ``para`` is the paragraph style and its (line, before, after); lists in
    cells and boxes take the paragraph's style with a smaller indent."""

    name: str
    para: str
    metrics: tuple[float, float, float]
    width: float  # the column the text is set in
    size: float  # the font size
    bold: bool = False  # bold text (day rows, time cells)
    bold_font: bool = False  # the style's font is bold (header cells)
    colour: str | None = None
    align: str = ""


# ----------------------------------------------------------------------------- writer
class _Writer:
    def __init__(self, doc: m.Document, style: Style, templates: Path, pages: Mapping[str, int], epoch: float | None = None):
        self.doc = doc
        if epoch is None:
            epoch = source_epoch(doc.meta.date)
        self.when = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
        self.style = style
        self.templates = templates
        self.pages = pages
        self.m = metrics(style)
        self.anchors = anchors_for(doc)
        self.measure = Measure(style)
        self.lines: dict[etree._Element, int] = {}  # paragraph -> its number of lines in the PDF
        self.picture_ids = 0

    # ------------------------------------------------------------------ set-up
    def render(self) -> bytes:
        self.word = self._open_template()
        self.part = self.word.part
        self.style_ids = self._style_ids()
        self.body = self.word.element.body
        self.final_sectpr = self.body.find(qn("w:sectPr"))
        if self.final_sectpr is None:
            self.final_sectpr = el("w:sectPr")
            self.body.append(self.final_sectpr)
        for child in list(self.body):
            if child is not self.final_sectpr:
                self.body.remove(child)
        self._page_setup(self.final_sectpr)
        self._set_language(self.doc.meta.language)
        self._next_num_id = self._max_num_id() + 1
        self.body_ctx = Ctx("body", "Normal", self.m["body"], self.m["text_width"], self.m["size"]["body"])

        self._cover()
        flow = Flow()
        self._contents(flow)
        flow.page_break()
        self._blocks(self.doc.blocks, self.body_ctx, flow)
        finish_flow(flow, self._append, self._spacer_paragraph)
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
        tfl = self.word.settings.element.find(qn("w:themeFontLang"))
        if tfl is not None:
            tfl.set(qn("w:val"), language)

    def _append(self, node: etree._Element) -> None:
        self.final_sectpr.addprevious(node)

    # ------------------------------------------------------------------ paragraphs
    def para(self, style: str | None, children=(), *, align: str = "") -> etree._Element:
        ppr = el("w:pPr", None, el("w:pStyle", {"w:val": self.sid(style)}) if style else None)
        p = el("w:p", None, ppr)
        if align:
            set_ppr(p, el("w:jc", {"w:val": ALIGN.get(align, align)}))
        for child in children:
            p.append(child)
        return p

    def fit(self, p: etree._Element, text_markup: str, size: float, width: float, bold_font: bool = False) -> etree._Element:
        """Move the paragraph's right edge so that its lines break where the
        PDF's do; remember how many lines that is."""
        shift, lines = self.measure.fit(text_markup, size, width, bold_font)
        self.lines[p] = lines
        if shift:
            ppr = ppr_of(p)
            ind = ppr.find(qn("w:ind"))
            if ind is None:
                ind = el("w:ind")
                set_ppr(p, ind)
            ind.set(qn("w:right"), str(twips(shift)))
        return p

    def _spacer_paragraph(self, height: float) -> etree._Element:
        """An empty paragraph ``height`` high (at least 1pt), e.g. between two tables."""
        p = self.para(None)
        set_spacing(p, 0, 0, max(height, 1.0))
        p.find(qn("w:pPr")).append(el("w:rPr", None, el("w:sz", {"w:val": 2}), el("w:szCs", {"w:val": 2})))
        return p

    # ------------------------------------------------------------------ inlines
    def inlines(self, nodes, bold=False, italic=False, colour=None, link=False) -> list:
        out: list = []
        for node in nodes:
            props = rpr(bold=bold, italic=italic, colour=None if link else colour,
                        style_id=self.sid("Hyperlink") if link else None)
            if isinstance(node, (m.Text, m.Code)):
                out.append(text_run(node.text, props))
            elif isinstance(node, m.Strong):
                out.extend(self.inlines(node.children, True, italic, colour, link))
            elif isinstance(node, m.Emph):
                out.extend(self.inlines(node.children, bold, True, colour, link))
            elif isinstance(node, m.LineBreak):
                out.append(el("w:r", None, clone(props), el("w:br")))
            elif isinstance(node, m.Link):
                rel = self.part.relate_to(node.url, RT.HYPERLINK, is_external=True)
                out.append(external_link(rel, self.inlines(node.children, bold, italic, colour, True)))
            elif isinstance(node, m.Ref):
                out.extend(self.reference(node, bold, italic, colour))
        return out

    def reference(self, node: m.Ref, bold, italic, colour) -> list:
        """A cross-reference: a REF field to the target's bookmark showing its
        label; the editor's own link text stays text, linked to the target."""
        anchor = self.anchors.get(node.target)
        props = rpr(bold=bold, italic=italic, colour=colour)
        if anchor is None:
            return [text_run(node.label, props)]
        if node.children:
            return [internal_link(anchor.toc, self.inlines(node.children, bold, italic, colour))]
        target = self.doc.targets.get(node.target)
        if target is not None and target.kind == "section" and target.number and node.label.endswith(target.number):
            # "Section " and a REF to the bookmark around the heading's number
            prefix = node.label[: -len(target.number)]
            return [text_run(prefix, props), *field(f"REF {anchor.ref} \\h", target.number, props)]
        return field(f"REF {anchor.ref} \\h", node.label, props)

    # ------------------------------------------------------------------ page set-up
    def _page_setup(self, sect: etree._Element, margins: dict | None = None) -> None:
        mm = self.m
        values = {
            "w:top": twips(mm["margin_top"]), "w:right": twips(mm["margin_right"]),
            "w:bottom": twips(mm["margin_bottom"]), "w:left": twips(mm["margin_left"]),
            "w:header": twips(mm["header_distance"]), "w:footer": twips(mm["footer_distance"]), "w:gutter": 0,
        }
        values.update(margins or {})
        for tag in ("w:pgSz", "w:pgMar"):
            for node in sect.findall(qn(tag)):
                sect.remove(node)
        pg_sz = el("w:pgSz", {"w:w": twips(mm["page_width"]), "w:h": twips(mm["page_height"])})
        pg_mar = el("w:pgMar", values)
        # schema order: headerReference*, footerReference*, footnotePr, endnotePr, type, pgSz, pgMar, ...
        before = [sect.find(qn(t)) for t in ("w:type", "w:endnotePr", "w:footnotePr")]
        before = [b for b in before if b is not None]
        refs = sect.findall(qn("w:headerReference")) + sect.findall(qn("w:footerReference"))
        anchor = before[0] if before else (refs[-1] if refs else None)
        if anchor is None:
            sect.insert(0, pg_sz)
        else:
            anchor.addnext(pg_sz)
        pg_sz.addnext(pg_mar)

    # ------------------------------------------------------------------ cover
    def _cover(self) -> None:
        """The cover, laid out like the PDF's: a navy band across the page
        with the title and the event lines, the kind of paper under it, the
        EU emblem and its line at the foot.  It is a table of fixed-height
        rows in a section of its own with no header, footer or margins
        above and below, so every part stands where the PDF draws it."""
        meta, mm, colours = self.doc.meta, self.m, self.style.colours
        cover = meta.cover or {}
        height, width = mm["page_height"], mm["page_width"]
        left = mm["margin_left"]
        geo = mm["cover"]
        band_top, band_bottom = height * geo["band_top"], height * geo["band_bottom"]
        accent = geo["accent_height"]
        white = colours["table_header_text"]
        rows: list[tuple[float, list, str | None, float]] = []  # height, paragraphs, fill, top padding
        rows.append((band_top, [], None, 0))
        text_width, sizes = mm["text_width"], mm["size"]
        title = str(cover.get("title") or meta.title)
        on_band = rpr(colour=white)
        band = [self.fit(self.para("Title", [text_run(title, on_band)]), escape(title), sizes["cover_title"], text_width, bold_font=True)]
        for line in cover.get("lines") or ():
            band.append(self.fit(self.para("Subtitle", [text_run(str(line), on_band)]), escape(str(line)), sizes["cover_subtitle"], text_width))
        rows.append((band_bottom - band_top, band, colours["primary"], geo["inset"] - 3))
        rows.append((accent, [], colours["accent"], 0))
        kind = [self.para("Cover Text", [text_run(str(cover["kind"]))])] if cover.get("kind") else []
        rows.append((geo["inset"] + 16, kind, None, geo["inset"] - accent))
        footer_h = geo["emblem_height"]
        used = sum(r[0] for r in rows)
        rows.append((height - mm["margin_bottom"] - footer_h - used - 2, [], None, 0))
        if cover.get("footer"):
            emblem = self._emblem_run(geo["emblem_width"], footer_h)
            # the line stands beside the emblem, its baseline 14pt above the emblem's foot
            text = [text_run("\t" + str(cover["footer"]), el("w:rPr", None, el("w:position", {"w:val": 28})))]
            p = self.para("Cover Footer", [emblem, *text])
            set_ppr(p, el("w:tabs", None, el("w:tab", {"w:val": "left", "w:pos": twips(geo["emblem_width"] + geo["emblem_gap"])})))
            rows.append((footer_h, [p], None, 0))
        tbl = el("w:tbl")
        tbl.append(el("w:tblPr", None,
                      el("w:tblW", {"w:w": twips(width), "w:type": "dxa"}),
                      el("w:tblInd", {"w:w": -twips(left), "w:type": "dxa"}),
                      el("w:tblBorders", None, *(el(f"w:{s}", {"w:val": "nil"}) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))),
                      el("w:tblLayout", {"w:type": "fixed"}),
                      el("w:tblCellMar", None,
                         el("w:top", {"w:w": 0, "w:type": "dxa"}), el("w:left", {"w:w": twips(left), "w:type": "dxa"}),
                         el("w:bottom", {"w:w": 0, "w:type": "dxa"}), el("w:right", {"w:w": twips(mm["margin_right"]), "w:type": "dxa"})),
                      el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0, "w:firstColumn": 0,
                                       "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1})))
        tbl.append(el("w:tblGrid", None, el("w:gridCol", {"w:w": twips(width)})))
        for h, paras, fill, top in rows:
            tc_pr = el("w:tcPr", None, el("w:tcW", {"w:w": twips(width), "w:type": "dxa"}))
            if fill:
                tc_pr.append(el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill.lstrip("#").upper()}))
            if top:
                tc_pr.append(el("w:tcMar", None, el("w:top", {"w:w": twips(top), "w:type": "dxa"})))
            tc = el("w:tc", None, tc_pr, *(paras or [self._spacer_paragraph(1)]))
            tr = el("w:tr", None, el("w:trPr", None, el("w:cantSplit"), el("w:trHeight", {"w:val": twips(h), "w:hRule": "exact"})), tc)
            tbl.append(tr)
        self._append(tbl)
        # the paragraph that ends the cover section carries its properties
        end = self._spacer_paragraph(1)
        sect = copy.deepcopy(self.final_sectpr)
        for node in list(sect):
            if etree.QName(node).localname in ("headerReference", "footerReference", "pgNumType", "titlePg", "type"):
                sect.remove(node)
        self._page_setup(sect, {"w:top": 0, "w:bottom": 0, "w:header": 0, "w:footer": 0})
        end.find(qn("w:pPr")).append(sect)
        self._append(end)

    def _emblem_run(self, w: float, h: float) -> etree._Element:
        """The European flag (twelve gold stars on blue) as a picture."""
        from .emblem import eu_emblem_png

        inline = self._picture(eu_emblem_png(w, h), w, h)
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("name", "EU emblem")
        doc_pr.set("descr", "Flag of the European Union")
        return el("w:r", None, el("w:drawing", None, inline))

    def _picture(self, data: bytes, width: float, height: float) -> etree._Element:
        """An inline picture, numbered in order (Word wants each drawing's id unique)."""
        inline = self.part.new_pic_inline(io.BytesIO(data), emu(width), emu(height))
        self.picture_ids += 1
        inline.find(qn("wp:docPr")).set("id", str(self.picture_ids))
        return _no_wrap_distance(inline)

    # ------------------------------------------------------------------ contents
    def _contents(self, flow: Flow) -> None:
        labels = self.doc.meta.labels
        lists = [
            ("contents", self.doc.contents, 'TOC \\o "1-3" \\h \\z \\u'),
            ("figures", self.doc.figures, f'TOC \\h \\z \\c "{self.seq_name("figure")}"'),
            ("tables", self.doc.tables, f'TOC \\h \\z \\c "{self.seq_name("table")}"'),
        ]
        for key, entries, instruction in lists:
            if not entries:
                continue
            line, before, after = self.m["front_title"]
            flow.add(Item(self.para("TOC Heading", [text_run(labels.get(key, key.title()))]), before, after, before, after, role="title"))
            self._toc_field(flow, instruction, entries, key == "contents")
            flow.spacer(self.m["after_lists"])

    def seq_name(self, kind: str) -> str:
        """The SEQ identifier of captions: the label ("Figure"), as Word's captions use."""
        label = self.doc.meta.labels.get(kind, kind.title())
        return re.sub(r"\W", "_", label) or kind.title()

    def _toc_field(self, flow: Flow, instruction: str, entries, numbered: bool) -> None:
        for i, entry in enumerate(entries):
            anchor = self.anchors.get(entry.id)
            page = str(self.pages.get(entry.id, ""))
            runs = []
            if numbered:
                level = min(max(entry.level, 1), 3)
                style, kind = f"TOC {level}", self.m["toc"][level]
                if entry.number:
                    runs += [text_run(entry.number), tab_run()]
                runs.append(text_run(entry.title))
            else:
                style, kind = "Table of Figures", self.m["figure_list"]
                runs.append(text_run(entry.text or entry.title))
            runs.append(tab_run())
            if anchor is not None:
                runs += field(f"PAGEREF {anchor.toc} \\h", page)
                content = [internal_link(anchor.toc, runs)]
            else:
                content = runs + [text_run(page)]
            if i == 0:
                content = [*field_begin(instruction), *content]
            if i == len(entries) - 1:
                content.append(field_end())
            p = self.para(style, content)
            if numbered and not entry.number:
                set_ppr(p, el("w:ind", {"w:left": 0, "w:hanging": 0}))
            flow.add(Item(p, kind[1], kind[2], kind[1], kind[2], role="toc"))

    # ------------------------------------------------------------------ blocks
    def _blocks(self, blocks, ctx: Ctx, flow: Flow) -> None:
        for block in blocks:
            self._block(block, ctx, flow)

    def _block(self, block, ctx: Ctx, flow: Flow) -> None:
        if isinstance(block, m.Heading):
            self._heading(block, flow)
        elif isinstance(block, m.Paragraph):
            line, before, after = ctx.metrics
            p = self.para(ctx.para, self.inlines(block.children, ctx.bold, colour=ctx.colour), align=ctx.align)
            self.fit(p, markup(block.children, ctx.bold), ctx.size, ctx.width, ctx.bold_font)
            flow.add(Item(p, before, after, before, after, role="paragraph" if ctx.name == "body" else ctx.name,
                          height=self.lines[p] * line, line=line))
        elif isinstance(block, (m.BulletList, m.OrderedList)):
            self._list(block, ctx, flow, 0)
        elif isinstance(block, m.Table):
            self._table_block(block, ctx, flow)
        elif isinstance(block, m.Figure):
            self._figure(block, flow)
        elif isinstance(block, m.Image):
            p, height = self._image_para(block, block.description)
            flow.add(Item(p, role="figure", height=height))
        elif isinstance(block, m.Sidebar):
            self._sidebar(block, flow)

    def _heading(self, h: m.Heading, flow: Flow) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from ...fonts import register_fonts

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
        p = self.para(f"Heading {level}", content)
        size = self.m["size"][f"h{level}"]
        prefix = f"{h.number}&nbsp;&nbsp;&nbsp;" if h.number else ""
        self.fit(p, prefix + markup(h.children), size, self.m["text_width"], bold_font=True)
        if h.number:
            # the title starts where the PDF starts it: after the number and three spaces
            bold = register_fonts(self.style)["bold"]
            size = self.m["size"][f"h{level}"]
            stop = stringWidth(h.number + "\u00a0" * 3, bold, size)
            set_ppr(p, el("w:tabs", None, el("w:tab", {"w:val": "left", "w:pos": twips(stop)})))
        line, before, after = self.m["heading"][level]
        if level == 1:
            # the PDF starts a chapter on a new page when a quarter of the page is not left
            flow.conditional_break(self.m["page_height"] * 0.25)
        flow.add(Item(p, before, after, before, after, role="heading", height=self.lines[p] * line, line=line,
                      no_break_before=self._same_page_as_previous(h.id)))

    def _same_page_as_previous(self, ident: str) -> bool:
        """Whether the PDF prints this anchor on the page of the anchor before it
        (then it did not start a new page here)."""
        order = list(self.anchors)
        if ident not in order or order.index(ident) == 0:
            return False
        before = order[order.index(ident) - 1]
        here, there = self.pages.get(ident), self.pages.get(before)
        return here is not None and here == there

    # ------------------------------------------------------------------ captions
    def caption(self, kind: str, number: str, ident: str, inlines) -> etree._Element:
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
        return self.para("Caption", content)

    def _caption_item(self, kind: str, number: str, ident: str, inlines) -> Item:
        line, before, after = self.m["caption"]
        p = self.caption(kind, number, ident, inlines)
        label = self.doc.meta.labels.get(kind, kind.title())
        self.fit(p, f"{label} {number}: " + markup(inlines), self.m["size"]["caption"], self.m["text_width"], bold_font=True)
        return Item(p, before, after, before, after, role="caption", height=self.lines[p] * line, line=line)

    # ------------------------------------------------------------------ lists
    def _list(self, block, ctx: Ctx, flow: Flow, depth: int, outer: float = 0.0) -> None:
        """List items as paragraphs with numbering; in the body they take the
        List Bullet / List Number styles, in cells and boxes the cell's or
        box's style with a smaller indent, as the PDF draws them."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from ...fonts import register_fonts

        ordered = isinstance(block, m.OrderedList)
        body = ctx.name == "body"
        indent = self.m["list_indent"] if body else self.m["inner_list_indent"]
        line, before, _after = self.m["list_item"] if body else ctx.metrics
        item_after = self.m["space"]["list_item_after"] if body else self.m["inner_list_item_after"]
        size = ctx.size
        if ordered:
            fonts = register_fonts(self.style)
            widest = f"{block.start + len(block.items) - 1}."
            indent = max(indent, stringWidth(widest, fonts["bold" if ctx.name == "head" else "regular"], size) + size * 0.6)
        left = outer + indent
        hanging = indent if ordered else indent * 0.8
        style = ("List Number" if ordered else "List Bullet") if body else ctx.para
        style_after = self.m["space"]["list_item_after"] if body else ctx.metrics[2]
        num_id = self._new_list_num(ordered, block.start if ordered else 1)
        first_item = len(flow.items)
        for item in block.items:
            first = True
            for sub in item:
                if isinstance(sub, m.Paragraph):
                    if first:
                        p = self.para(style, self.inlines(sub.children, ctx.bold, colour=ctx.colour), align=ctx.align)
                        set_ppr(p, el("w:numPr", None, el("w:ilvl", {"w:val": min(depth, 8)}), el("w:numId", {"w:val": num_id})))
                        if not (body and depth == 0 and abs(indent - self.m["list_indent"]) < 0.01):
                            set_ppr(p, el("w:ind", {"w:left": twips(left), "w:hanging": twips(hanging)}))
                    else:
                        p = self.para("List Paragraph" if body else ctx.para, self.inlines(sub.children, ctx.bold, colour=ctx.colour), align=ctx.align)
                        set_ppr(p, el("w:ind", {"w:left": twips(left)}))
                    self.fit(p, markup(sub.children, ctx.bold), size, ctx.width - left, ctx.bold_font)
                    sb = style_after if (first or not body) else self.m["list_item"][2]
                    flow.add(Item(p, before, item_after, 0.0, sb, role="list", height=self.lines[p] * line, line=line))
                elif isinstance(sub, (m.BulletList, m.OrderedList)):
                    self._list(sub, ctx, flow, depth + 1, left)
                else:
                    self._block(sub, ctx, flow)
                first = False
        if depth and len(flow.items) > first_item:
            # in the PDF a list inside a list item has no space below it
            flow.items[-1].after = 0.0

    def _max_num_id(self) -> int:
        numbering = self.part.numbering_part.element
        return max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0)

    def _list_abstract(self, ordered: bool) -> str:
        """The abstract numbering behind the List Number / List Bullet style."""
        style = self.word.styles.element.find(
            f"{qn('w:style')}[@{qn('w:styleId')}='{self.sid('List Number' if ordered else 'List Bullet')}']")
        num_id = None
        if style is not None:
            node = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            if node is not None:
                num_id = node.get(qn("w:val"))
        for num in self.part.numbering_part.element.findall(qn("w:num")):
            if num.get(qn("w:numId")) == num_id:
                return num.find(qn("w:abstractNumId")).get(qn("w:val"))
        return "1" if ordered else "0"

    def _new_list_num(self, ordered: bool, start: int) -> int:
        """Each list its own numbering instance, so that numbered lists restart."""
        num_id = self._next_num_id
        self._next_num_id += 1
        num = el("w:num", {"w:numId": num_id}, el("w:abstractNumId", {"w:val": self._list_abstract(ordered)}))
        if ordered:
            for lvl in range(9):
                num.append(el("w:lvlOverride", {"w:ilvl": lvl}, el("w:startOverride", {"w:val": start if lvl == 0 else 1})))
        self.part.numbering_part.element.append(num)
        return num_id

    # ------------------------------------------------------------------ figures
    def _figure(self, fig: m.Figure, flow: Flow) -> None:
        """Caption above the figure, as in the PDF, kept with it; a figure made
        of a table (Figure 2's recommendations) is that table."""
        above, below = self.m["figure_gap"]
        flow.spacer(above)
        if fig.number:
            flow.add(self._caption_item("figure", fig.number, fig.id, fig.caption))
        first = True
        for block in fig.body:
            if isinstance(block, m.Image):
                p, height = self._image_para(block, block.description or fig.description)
                flow.add(Item(p, role="figure", height=height))
            elif isinstance(block, m.Table):
                flow.add(self._table_item(block, keep_together=first))
                flow.spacer(self.m["table_gap"])
            else:
                self._block(block, self.body_ctx, flow)
            first = False
        flow.spacer(below)

    def _image_para(self, image: m.Image, description: str) -> tuple[etree._Element, float]:
        from ...fonts import register_fonts
        from ...images import image_size_pt, raster_bytes

        register_fonts(self.style)
        data, _kind = raster_bytes(image.path, 300)
        w_pt, h_pt = image_size_pt(image.path)
        width = min(self.m["text_width"] * (image.width or 1.0), self.m["text_width"])
        height = h_pt * width / w_pt if w_pt else width
        inline = self._picture(data, width, height)
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("name", image.path.name)
        doc_pr.set("descr", description or "")
        pic_cnvpr = inline.find(f".//{qn('pic:cNvPr')}")
        if pic_cnvpr is not None:
            pic_cnvpr.set("name", image.path.name)
            pic_cnvpr.set("descr", description or "")
        run = el("w:r", None, el("w:drawing", None, inline))
        p = self.para("Figure", [run])
        # the paragraph mark tiny, so that the line is the picture's height in Word too
        p.find(qn("w:pPr")).append(el("w:rPr", None, el("w:sz", {"w:val": 2}), el("w:szCs", {"w:val": 2})))
        return p, height

    # ------------------------------------------------------------------ tables
    def _table_block(self, table: m.Table, ctx: Ctx, flow: Flow) -> None:
        keep = False
        if table.number:
            # the PDF starts a captioned table on a new page unless its caption and some rows fit
            flow.conditional_break(self.m["caption"][0] * 2 + self.m["cell"][0] * 8)
            caption = flow.add(self._caption_item("table", table.number, table.id, table.caption))
            caption.no_break_before = self._same_page_as_previous(table.id)
            keep = len(table.rows) <= self.m["keep_table_rows"]
        flow.add(self._table_item(table, keep_together=keep))
        if ctx.name == "body":
            flow.spacer(self.m["table_gap"])

    def _table_item(self, table: m.Table, keep_together: bool) -> Item:
        tbl, row_heights = self._table(table, keep_together=keep_together)
        known = None not in row_heights
        return Item(tbl, role="table", keep_whole=keep_together, row_heights=row_heights,
                    height=sum(row_heights) if known else None)

    def _grid_widths(self, table: m.Table, total: float) -> list[int]:
        n = max(table.columns, 1)
        rel = list(table.widths) if table.widths and len(table.widths) == n else [1.0] * n
        whole = twips(total)
        widths = [int(whole * w / sum(rel)) for w in rel]
        widths[-1] += whole - sum(widths)
        return widths

    def _table(self, table: m.Table, keep_together: bool = False) -> tuple[etree._Element, list]:
        """A table with the grid, padding and row shading of the PDF.

        Borders and padding are written on the table too (not only in the
        "Paper Table" style) because LibreOffice adds a border's width to a
        row's height: the padding is reduced by as much, so rows are as high
        as the PDF's."""
        grid = self._grid_widths(table, self.m["text_width"])
        colours = self.style.colours
        panel = table.style == "recommendations"
        line = self.m["grid_line"]
        pad_tb, pad_lr = self.m["cell_padding"]
        if panel:
            white = colours["table_header_text"].lstrip("#").upper()
            rule = self.m["recommendations_rule"]
            borders = [el(f"w:{s}", {"w:val": "nil"}) for s in ("top", "left", "bottom", "right", "insideH")]
            borders.append(el("w:insideV", {"w:val": "single", "w:sz": int(rule * 8), "w:space": 0, "w:color": white}))
            margins = (pad_tb, pad_lr)
        else:
            colour = colours["rule"].lstrip("#").upper()
            borders = [el(f"w:{s}", {"w:val": "single", "w:sz": int(round(line * 8)), "w:space": 0, "w:color": colour})
                       for s in ("top", "left", "bottom", "right", "insideH", "insideV")]
            margins = (pad_tb - line / 2, pad_lr)
        tbl = el("w:tbl")
        tbl.append(el(
            "w:tblPr", None,
            el("w:tblStyle", {"w:val": self.sid("Paper Table")}),
            el("w:tblW", {"w:w": sum(grid), "w:type": "dxa"}),
            el("w:tblBorders", None, *borders),
            el("w:tblLayout", {"w:type": "fixed"}),
            el("w:tblCellMar", None,
               el("w:top", {"w:w": twips(margins[0]), "w:type": "dxa"}), el("w:left", {"w:w": twips(margins[1]), "w:type": "dxa"}),
               el("w:bottom", {"w:w": twips(margins[0]), "w:type": "dxa"}), el("w:right", {"w:w": twips(margins[1]), "w:type": "dxa"})),
            el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0, "w:firstColumn": 0,
                             "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1}),
        ))
        tbl.append(el("w:tblGrid", None, *(el("w:gridCol", {"w:w": w}) for w in grid)))
        placed, _ = m.place_cells(table.rows)
        starts = {(p.row, p.col): p.cell for p in placed}
        from_above: dict[tuple[int, int], m.Cell] = {}
        for p in placed:
            for dr in range(1, p.cell.rowspan):
                from_above[(p.row + dr, p.col)] = p.cell
        row_heights: list = []
        for r, row in enumerate(table.rows):
            role = row.role or ("header" if r < table.header_rows else "")
            heights: list = []
            fill = {"header": colours["primary"], "day": colours["day_fill"], "break": colours["break_fill"]}.get(role)
            if panel and role != "header":
                fill = colours["light"]
            tr = el("w:tr", None, el("w:trPr", None, el("w:cantSplit"), el("w:tblHeader") if r < table.header_rows else None))
            c = 0
            while c < len(grid):
                if (r, c) in starts:
                    cell = starts[(r, c)]
                    span = grid[c:c + cell.colspan]
                    tc, height = self._cell(cell, role, fill, span, "restart" if cell.rowspan > 1 else None)
                    tr.append(tc)
                    heights.append(height if cell.rowspan == 1 else 0.0)
                    c += max(cell.colspan, 1)
                elif (r, c) in from_above:
                    cell = from_above[(r, c)]
                    tr.append(self._cell(cell, role, fill, grid[c:c + cell.colspan], "continue")[0])
                    c += max(cell.colspan, 1)
                else:
                    tr.append(self._cell(m.Cell(()), role, fill, grid[c:c + 1], None)[0])
                    c += 1
            tbl.append(tr)
            row_heights.append(None if None in heights else max(heights, default=0.0) + 2 * pad_tb)
        if keep_together:
            # as the PDF keeps a short captioned table in one piece: every row
            # but the last "keeps with next"
            rows = tbl.findall(qn("w:tr"))
            for tr in rows[:-1]:
                for p in tr.iter(qn("w:p")):
                    set_ppr(p, el("w:keepNext"))
        return tbl, row_heights

    def _cell(self, cell: m.Cell, role: str, fill: str | None, widths: list[int], vmerge: str | None) -> tuple[etree._Element, float | None]:
        """A table cell, and the height of its content as the PDF sets it."""
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
        header = role == "header"
        width = sum(widths) / 20 - 2 * self.m["cell_padding"][1]
        size = self.m["size"]["table"]
        if header:
            ctx = Ctx("head", "Table Heading", self.m["cell"], width, size, bold_font=True, align=cell.align)
        else:
            bold = role == "day" or cell.role in ("time", "day")
            ctx = Ctx("cell", "Table Text", self.m["cell"], width, size, bold=bold, align=cell.align)
        if vmerge == "continue" or not cell.blocks:
            tc.append(self.para(ctx.para))
            return tc, 0.0
        flow = Flow()
        self._blocks(cell.blocks, ctx, flow)
        height = box_height(flow)
        finish_box(flow, tc)
        if tc.find(qn("w:p")) is None or tc[-1].tag != qn("w:p"):
            tc.append(self._spacer_paragraph(1))
        return tc, height

    # ------------------------------------------------------------------ sidebars
    def _sidebar(self, box: m.Sidebar, flow: Flow) -> None:
        """A box beside the text: a one-cell table, shaded, with the accent
        rule on its left, the title bold.  Like the PDF, a short box is never
        split over two pages."""
        mm = self.m
        width = twips(mm["text_width"])
        pad, rule = mm["sidebar_padding"], mm["sidebar_rule"]
        light = self.style.colour("light").lstrip("#").upper()
        accent = self.style.colour("accent").lstrip("#").upper()
        inner = Flow()
        inner_width = mm["text_width"] - 2 * pad - rule
        size = mm["size"]["sidebar"]
        if box.title:
            line, before, after = mm["sidebar_title"]
            title = self.fit(self.para("Sidebar Title", [text_run(box.title)]), escape(box.title), size, inner_width, bold_font=True)
            inner.add(Item(title, before, after, before, after, height=self.lines[title] * line, line=line))
        ctx = Ctx("sidebar", "Sidebar", mm["sidebar"], inner_width, size)
        self._blocks(box.blocks, ctx, inner)
        parts = (1 if box.title else 0) + _flowable_count(box.blocks)
        keep = parts < mm["sidebar_keep_limit"]
        tc = el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:w": width, "w:type": "dxa"}),
                                 el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": light})))
        content = box_height(inner)
        finish_box(inner, tc)
        if tc.find(qn("w:p")) is None:
            tc.append(self.para("Sidebar"))
        tbl = el(
            "w:tbl", None,
            el("w:tblPr", None,
               el("w:tblStyle", {"w:val": self.sid("Sidebar Box")}),
               el("w:tblW", {"w:w": width, "w:type": "dxa"}),
               el("w:tblBorders", None,
                  el("w:top", {"w:val": "nil"}), el("w:left", {"w:val": "single", "w:sz": int(rule * 8), "w:space": 0, "w:color": accent}),
                  el("w:bottom", {"w:val": "nil"}), el("w:right", {"w:val": "nil"})),
               el("w:tblLayout", {"w:type": "fixed"}),
               el("w:tblCellMar", None,
                  el("w:top", {"w:w": twips(pad), "w:type": "dxa"}), el("w:left", {"w:w": twips(pad + rule), "w:type": "dxa"}),
                  el("w:bottom", {"w:w": twips(pad), "w:type": "dxa"}), el("w:right", {"w:w": twips(pad), "w:type": "dxa"})),
               el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0, "w:firstColumn": 0,
                                "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1})),
            el("w:tblGrid", None, el("w:gridCol", {"w:w": width})),
            el("w:tr", None, el("w:trPr", None, el("w:cantSplit") if keep else None), tc),
        )
        height = None if content is None else content + 2 * pad
        if keep:
            # the PDF keeps a short box together with the space below it: an
            # empty, borderless row of that height, kept with the box
            gap = mm["sidebar_gap"]
            for p in tc.iter(qn("w:p")):
                set_ppr(p, el("w:keepNext"))
            end = el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:w": width, "w:type": "dxa"}),
                                      el("w:tcBorders", None, el("w:left", {"w:val": "nil"})),
                                      el("w:tcMar", None, el("w:top", {"w:w": 0, "w:type": "dxa"}), el("w:bottom", {"w:w": 0, "w:type": "dxa"}))),
                     self._spacer_paragraph(1))
            tbl.append(el("w:tr", None, el("w:trPr", None, el("w:cantSplit"), el("w:trHeight", {"w:val": twips(gap), "w:hRule": "exact"})), end))
            height = None if height is None else height + gap
            flow.add(Item(tbl, role="box", height=height, keep_whole=True, row_heights=[height]))
            flow.spacer(0.0)
        else:
            flow.add(Item(tbl, role="box", height=height))

    # ------------------------------------------------------------------ header, footer
    def _header_footer(self) -> None:
        section = self.word.sections[-1]
        header = section.header
        header.is_linked_to_previous = False
        h = header._element
        for child in list(h):
            h.remove(child)
        lines = list(self.doc.meta.header) or [""]
        rule = self.style.colour("rule").lstrip("#").upper()
        for i, line in enumerate(lines):
            p = self.para("Header", [text_run(line)])
            if i == len(lines) - 1:
                set_ppr(p, el("w:pBdr", None, el("w:bottom", {"w:val": "single", "w:sz": 5, "w:space": 3, "w:color": rule})))
            h.append(p)
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
        sect.find(qn("w:pgMar")).addnext(el("w:pgNumType", {"w:start": 1}))

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
        props.revision = 1
        props.created = self.when
        props.modified = self.when

    def _save(self) -> bytes:
        raw = io.BytesIO()
        self.word.save(raw)
        with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zf:
            names = zf.namelist()
            order = sorted(names, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
            parts = [(n, zf.read(n)) for n in order]
        return zip_parts(parts, _zip_time())


def _no_wrap_distance(inline: etree._Element) -> etree._Element:
    """No space around an inline picture (LibreOffice assumes 0.125in where
    the attributes are missing)."""
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    return inline


def _flowable_count(blocks) -> int:
    """How many pieces the PDF's box holds: a list is one."""
    return len(blocks)


def _zip_time() -> tuple[int, ...]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        t = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
        if t.year >= 1980:
            return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)
    return FIXED_TIME
