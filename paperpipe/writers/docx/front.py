"""The parts around the text: the cover, the contents and the lists of figures
and tables, the sections, the running header and the page-number footer,
and the document's properties.

Sections: the cover (no header or footer), the contents (header and footer,
pages counted from 1), the body (the same header and footer, linked to the
contents', the count going on).
"""
from __future__ import annotations

import copy

from docx.oxml.ns import qn
from lxml import etree

from ...figures.raster import raster_bytes
from .blocks import PICTURE_DPI
from .looks import word_colour
from .wml import ROOT_NAMESPACES, W_NS, el, emu, keep_names_whole, twips, field, field_begin, field_end, internal_link, tab_run, text_run

CONTENTS = 'TOC \\o "1-3" \\h \\z \\u'

NAMESPACES = {"w": W_NS, "wp": ROOT_NAMESPACES["wp"], "a": ROOT_NAMESPACES["a"], "wps": ROOT_NAMESPACES["wps"], "adec": ROOT_NAMESPACES["adec"]}
# a filled rectangle behind the text, placed on the page (DrawingML, as Word 2010 and LibreOffice write it)
RECTANGLE = (
    '<w:drawing xmlns:w="{w}" xmlns:wp="{wp}" xmlns:a="{a}" xmlns:wps="{wps}" xmlns:adec="{adec}">'
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{id}" behindDoc="1" locked="1" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{id}" name="{name}" descr="">'
    '<a:extLst><a:ext uri="{{C183D7F6-B498-43B3-948B-1728B52AA6E4}}">'
    '<adec:decorative val="1"/></a:ext></a:extLst>'
    '</wp:docPr><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
    '</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
)
NBSP_EM = 0.23  # a no-break space's width in em of its text (Calibri's and Carlito's)


def cover(state) -> None:
    """The cover in the cover styles (Title, Subtitle, Cover Text, Cover
    Footer), then a section break: the cover has no header or footer."""
    spec = state.doc.cover
    whole = state.looks.theme.typography.unbroken  # "Île-de-France" never breaks at its hyphens
    paras = [keep_names_whole(state.para("Title", [_band(state), text_run(spec.title)]), whole)]
    paras += [keep_names_whole(state.para("Subtitle", [text_run(line)]), whole) for line in spec.lines]
    if spec.kind:  # the theme's inset under the band, wherever the band's text ends: a frame on the page
        kind = state.para("Cover Text", [text_run(spec.kind)])
        cv, page = state.looks.theme.cover, state.looks.theme.page
        kind.find(qn("w:pPr")).find(qn("w:pStyle")).addnext(
            el("w:framePr", {"w:w": twips(page.text_width), "w:wrap": "notBeside", "w:vAnchor": "page", "w:hAnchor": "margin",
                             "w:x": 0, "w:y": twips(page.height * cv.band_bottom + cv.accent_height + cv.inset)}))
        paras.append(kind)
    logos = spec.logos
    if spec.footer or logos:
        runs = []
        for i, logo in enumerate(logos):
            data, _kind = raster_bytes(state.context, logo.file, PICTURE_DPI, logo.width)
            runs += [state.picture(data, logo.width, logo.height, f"logo-{i + 1}-{logo.file.name}", logo.alt), tab_run()]
        if spec.footer:
            # its baseline the theme's footer_baseline above the logos' foot, as in the PDF
            # (beside a picture a line stands on the picture's foot, and its descenders were cut)
            raised = el("w:rPr", None, el("w:position", {"w:val": round(2 * state.looks.theme.cover.footer_baseline)})) if logos else None
            runs.append(text_run(spec.footer, raised))
        foot = state.para("Cover Footer", runs)
        foot.find(qn("w:pPr")).append(_foot_frame(state))
        paras.append(foot)
    for p in paras:
        state.append(p)
    state.append(_section_end(state, headers=False))


def _band(state) -> etree._Element:
    """The cover's band and the accent rule under it, from edge to edge of
    the page as in the PDF: two rectangles behind the text, placed on the
    page by the theme's band_top and band_bottom, marked decorative (a
    screen reader reads the title and lines, not the shapes)."""
    cv, page = state.looks.theme.cover, state.looks.theme.page
    top, bottom = page.height * cv.band_top, page.height * cv.band_bottom
    run = el("w:r")
    for name, y, height, colour in (("Cover band", top, bottom - top, cv.band_colour),
                                    ("Cover rule", bottom, cv.accent_height, cv.accent_colour)):
        state.pictures += 1
        run.append(etree.fromstring(RECTANGLE.format(id=state.pictures, name=name, y=emu(y), cx=emu(page.width), cy=emu(height),
                                                     colour=word_colour(colour), **NAMESPACES)))
    return run


def _foot_frame(state) -> etree._Element:
    """A frame at the foot of the cover page, as high as the logos."""
    lk = state.looks
    height = max([lg.height for lg in lk.logos] + [lk.text["cover_footer"].leading])
    top = lk.theme.page.height - lk.theme.page.margin_bottom - height
    return el("w:framePr", {"w:w": twips(lk.text_width), "w:h": twips(height), "w:hRule": "exact", "w:wrap": "notBeside",
                            "w:vAnchor": "page", "w:hAnchor": "margin", "w:x": 0, "w:y": twips(top)})


def _section_end(state, headers: bool) -> etree._Element:
    """An empty paragraph ending a section with the body's page set-up."""
    sect = copy.deepcopy(state.final_sectpr)
    for node in list(sect):
        if not headers and etree.QName(node).localname in ("headerReference", "footerReference", "pgNumType", "titlePg"):
            sect.remove(node)
    p = state.para(None)
    p.find(qn("w:pPr")).append(sect)
    return p


def contents(state) -> None:
    """The contents and the lists of figures and tables: TOC fields whose
    results are filled in, each entry a hyperlink to its bookmark with the
    page number the PDF prints (a PAGEREF field); a section of their own."""
    doc = state.doc
    lists = [
        ("contents", doc.contents, CONTENTS),
        ("figures", doc.figures, f'TOC \\h \\z \\c "{state.seq_name("figure")}"'),
        ("tables", doc.tables, f'TOC \\h \\z \\c "{state.seq_name("table")}"'),
    ]
    for key, entries, instruction in lists:
        if not entries:
            continue
        state.append(state.para("TOC Heading", [text_run(state.label(key))]))
        for i, entry in enumerate(entries):
            content = _entry(state, entry, key == "contents")
            if i == 0:
                content = [*field_begin(instruction), *content]
            if i == len(entries) - 1:
                content.append(field_end())
            style = f"TOC {min(max(entry.level, 1), 3)}" if key == "contents" else "Table of Figures"
            state.append(state.para(style, content))
    state.append(_section_end(state, headers=False))


def _entry(state, entry, numbered: bool) -> list:
    """Number, tab, title, tab, page: Word's own layout of a contents line."""
    anchor = state.anchors.get(entry.id)
    page = str(state.pages.get(entry.id, ""))
    runs = []
    if numbered and entry.label:  # the contents' number column, then the title
        runs += [text_run(entry.label.bare), tab_run()]
    runs.append(text_run(entry.title if numbered else entry.text))  # a list's line reads as its caption (realize)
    if state.looks.theme.contents.leader_gap:  # the dot leaders stop short of the title, as in the PDF (Word starts them at its last letter)
        size = state.looks.text["contents1" if numbered else "list_entry"].size
        runs.append(text_run("\u00a0" * max(1, round(state.looks.theme.contents.leader_gap / (NBSP_EM * size)))))
    runs.append(tab_run())
    if anchor is None:
        return [*runs, text_run(page)]
    return [internal_link(anchor.toc, [*runs, *field(f"PAGEREF {anchor.toc} \\h", page)])]


def header_footer(state) -> None:
    """The running header (the Header style draws the rule under its last
    line) and the page number (a PAGE field), set on the contents' section,
    whose pages count from 1; the body's section takes them over."""
    sections = state.word.sections
    section = sections[1] if len(sections) > 2 else sections[-1]
    header = section.header
    header.is_linked_to_previous = False
    h = header._element
    for child in list(h):
        h.remove(child)
    for line in list(state.doc.meta.header) or [""]:
        h.append(state.para("Header", [text_run(line)]))
    footer = section.footer
    footer.is_linked_to_previous = False
    f = footer._element
    for child in list(f):
        f.remove(child)
    f.append(state.para("Footer", field("PAGE \\* Arabic", "1")))
    sect = section._sectPr
    for node in sect.findall(qn("w:pgNumType")):
        sect.remove(node)
    sect.find(qn("w:pgMar")).addnext(el("w:pgNumType", {"w:start": 1}))


def properties(state) -> None:
    meta = state.doc.meta
    props = state.word.core_properties
    props.title = meta.title
    props.subject = meta.subject
    props.author = meta.author
    props.last_modified_by = meta.author
    props.keywords = ", ".join(meta.keywords)
    props.language = meta.language
    props.identifier = meta.deliverable
    props.revision = 1
    props.created = state.when
    props.modified = state.when
