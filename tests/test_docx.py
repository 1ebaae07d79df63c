"""The DOCX writer, read back with python-docx and lxml; and its layout in
LibreOffice against the page numbers it prints (those of the PDF).

Most tests build the mini paper (tests/fixtures/mini) with a stand-in page
mapping; the real paper's tests run when content/paper.yaml exists.  The
LibreOffice tests skip where soffice is not installed (CI installs
libreoffice-writer-nogui), and the page comparison needs the PDF writer.
"""
from __future__ import annotations

import datetime as dt
import inspect
import io
import re
import shutil
import subprocess
import zipfile
from functools import lru_cache
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from paperpipe import model as m
from paperpipe.errors import Problems
from paperpipe.passes import run_passes
from paperpipe.readers.content import read_paper
from paperpipe.style import load_style
from paperpipe.writers.docx import anchors_for, render_docx, write_docx
from paperpipe.writers.docx.reference import reference_docx

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
MINI = ROOT / "tests" / "fixtures" / "mini"
CONTENT = ROOT / "content"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HAS_PAPER = (CONTENT / "paper.yaml").is_file()
paper_only = pytest.mark.skipif(not HAS_PAPER, reason="content/paper.yaml does not exist yet")


# ----------------------------------------------------------------------------- helpers
@lru_cache(maxsize=None)
def load(folder: Path):
    problems = Problems()
    doc, problems = read_paper(folder, TEMPLATES, problems)
    assert doc is not None and not problems.errors, [str(p) for p in problems.items]
    doc = run_passes(doc, problems)
    assert not problems.errors, [str(p) for p in problems.items]
    style = load_style(TEMPLATES, problems)
    assert style is not None
    return doc, style


def stand_in_pages(doc: m.Document) -> dict[str, int]:
    """A page mapping that is not 1, 2, 3 in order, so that a writer mixing
    up entries would show."""
    ids = [e.id for e in doc.contents + doc.figures + doc.tables]
    return {ident: 10 + 3 * i for i, ident in enumerate(ids)}


@lru_cache(maxsize=None)
def built(folder: Path, real_pages: bool = False) -> bytes:
    doc, style = load(folder)
    pages = pdf_layout(folder)[0] if real_pages else stand_in_pages(doc)
    return render_docx(doc, style, TEMPLATES, pages)


def pdf_writer():
    try:
        from paperpipe.writers import pdf
    except ImportError:
        return None
    return getattr(pdf, "render_pdf", None)


@lru_cache(maxsize=None)
def pdf_layout(folder: Path):
    """(pages, page_count) from the PDF writer's own layout."""
    render_pdf = pdf_writer()
    if render_pdf is None:
        pytest.skip("the PDF writer (paperpipe.writers.pdf.render_pdf) does not exist yet")
    doc, style = load(folder)
    params = list(inspect.signature(render_pdf).parameters)
    third = TEMPLATES if params[2:3] == ["templates"] else _epoch(doc)
    result = render_pdf(doc, style, third)
    return dict(result.pages), result.page_count


def _epoch(doc: m.Document) -> float:
    day = dt.date.fromisoformat(doc.meta.date[:10])
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def para_text(p) -> str:
    """The text of a paragraph element as Word shows it (tabs included, field
    instructions left out)."""
    out = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}tab" and node.getparent().tag == f"{W}r":
            out.append("\t")
        elif node.tag == f"{W}br":
            out.append("\n")
    return "".join(out)


def style_name(document, p) -> str:
    ppr = p.find(f"{W}pPr")
    node = ppr.find(f"{W}pStyle") if ppr is not None else None
    sid = node.get(f"{W}val") if node is not None else None
    for s in document.styles.element.findall(f"{W}style"):
        if s.get(f"{W}styleId") == sid:
            return s.find(f"{W}name").get(f"{W}val")
    return "Normal"


def fields(element):
    """Every complex field under ``element``: (instruction, result text, begin run)."""
    out = []
    stack: list[dict] = []
    for node in element.iter(f"{W}fldChar", f"{W}instrText", f"{W}t"):
        if node.tag == f"{W}fldChar":
            kind = node.get(f"{W}fldCharType")
            if kind == "begin":
                stack.append({"instr": "", "result": "", "in_result": False, "begin": node})
            elif kind == "separate" and stack:
                stack[-1]["in_result"] = True
            elif kind == "end" and stack:
                f = stack.pop()
                out.append((f["instr"].strip(), f["result"], f["begin"]))
                if stack and stack[-1]["in_result"]:
                    stack[-1]["result"] += f["result"]
        elif node.tag == f"{W}instrText" and stack:
            stack[-1]["instr"] += node.text or ""
        elif node.tag == f"{W}t" and stack and stack[-1]["in_result"]:
            stack[-1]["result"] += node.text or ""
    return out


def bookmarks(element) -> dict[str, object]:
    """bookmark name -> the paragraph it starts in."""
    out = {}
    for b in element.iter(f"{W}bookmarkStart"):
        p = b
        while p is not None and p.tag != f"{W}p":
            p = p.getparent()
        out[b.get(f"{W}name")] = p
    return out


def body_paragraphs(document):
    return list(document.element.body.iter(f"{W}p"))


def table_style(table) -> str | None:
    node = table._tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
    return None if node is None else node.get(qn("w:val"))


def pictures(document):
    """(name, descr) of every picture in the body."""
    return [(d.get("name"), d.get("descr")) for d in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]


# ----------------------------------------------------------------------------- template
def test_reference_docx_is_generated_from_the_style():
    _doc, style = load(MINI)
    committed = (TEMPLATES / "reference.docx").read_bytes()
    assert committed == reference_docx(style), "templates/reference.docx is out of date: run python tools/make_reference_docx.py"


def test_reference_docx_has_the_word_styles():
    document = docx.Document(str(TEMPLATES / "reference.docx"))
    names = {s.name.lower() for s in document.styles}
    for name in ("normal", "title", "subtitle", "heading 1", "heading 2", "heading 3", "caption", "toc 1", "toc 2", "toc 3",
                 "table of figures", "list bullet", "list number", "header", "footer", "hyperlink", "sidebar", "paper table"):
        assert name in names, name
    styles = document.styles.element
    for level in (1, 2, 3):
        h = styles.find(f"{W}style[@{W}styleId='Heading{level}']")
        assert h.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == str(level - 1)
        assert h.find(f"{W}pPr/{W}keepNext") is not None
    # the list styles are tied to real numbering definitions
    numbering = document.part.numbering_part.element
    for sid, fmt in (("ListBullet", "bullet"), ("ListNumber", "decimal")):
        num_id = styles.find(f"{W}style[@{W}styleId='{sid}']/{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
        abstract = num.find(f"{W}abstractNumId").get(f"{W}val")
        lvl = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{abstract}']/{W}lvl")
        assert lvl.find(f"{W}numFmt").get(f"{W}val") == fmt


# ----------------------------------------------------------------------------- the mini paper
def test_headings_have_word_styles_and_the_pipelines_numbers():
    doc, _ = load(MINI)
    document = open_docx(built(MINI))
    headings = [(style_name(document, p), para_text(p)) for p in body_paragraphs(document) if style_name(document, p).lower().startswith("heading")]
    expected = [(f"heading {h.level}", f"{h.number}\t{m.plain_text(h.children)}") for h in m.walk(doc.blocks) if isinstance(h, m.Heading)]
    assert [(s.lower(), t) for s, t in headings] == expected
    assert headings[0][1] == "1\tIntroduction"


def test_contents_is_a_filled_toc_field_linking_to_heading_bookmarks():
    doc, _ = load(MINI)
    pages = stand_in_pages(doc)
    document = open_docx(built(MINI))
    body = document.element.body
    marks = bookmarks(body)
    tocs = [f for f in fields(body) if f[0].startswith("TOC")]
    instructions = [f[0] for f in tocs]
    assert re.fullmatch(r'TOC \\o "1-3" \\h( \\z)?( \\u)?', instructions[0])
    assert 'TOC \\h \\z \\c "Figure"' in instructions and 'TOC \\h \\z \\c "Table"' in instructions
    # the contents' entries: a hyperlink to the heading's bookmark, with a PAGEREF to it
    toc_paras = [p for p in body_paragraphs(document) if re.fullmatch(r"toc \d", style_name(document, p).lower())]
    assert len(toc_paras) == len(doc.contents)
    for p, entry in zip(toc_paras, doc.contents):
        links = p.findall(f"{W}hyperlink")
        assert len(links) == 1
        anchor = links[0].get(f"{W}anchor")
        assert anchor.startswith("_Toc") and anchor in marks
        heading = marks[anchor]
        assert para_text(heading) == entry.text
        pagerefs = [f for f in fields(links[0]) if f[0].startswith("PAGEREF")]
        assert pagerefs == [(f"PAGEREF {anchor} \\h", str(pages[entry.id]), pagerefs[0][2])]
        assert para_text(p).startswith(entry.text + "\t")
    # the lists of figures and tables, in the Table of Figures style
    tof = [p for p in body_paragraphs(document) if style_name(document, p).lower() == "table of figures"]
    assert [para_text(p).split("\t")[0] for p in tof] == [e.text for e in doc.figures + doc.tables]
    for p, entry in zip(tof, doc.figures + doc.tables):
        anchor = p.find(f"{W}hyperlink").get(f"{W}anchor")
        assert style_name(document, marks[anchor]).lower() == "caption"
        assert [f[1] for f in fields(p) if f[0].startswith("PAGEREF")] == [str(pages[entry.id])]


def test_captions_are_seq_fields_in_the_caption_style_with_bookmarks():
    doc, _ = load(MINI)
    document = open_docx(built(MINI))
    captions = [p for p in body_paragraphs(document) if style_name(document, p).lower() == "caption"]
    assert [para_text(p) for p in captions] == ["Figure 1: Participants by country", "Table 1: Votes on the proposals"]
    for p, kind in zip(captions, ("Figure", "Table")):
        seq = [f for f in fields(p) if f[0].startswith("SEQ")]
        assert [(f[0], f[1]) for f in seq] == [(f"SEQ {kind} \\* ARABIC", "1")]
        names = [b.get(f"{W}name") for b in p.iter(f"{W}bookmarkStart")]
        assert any(n.startswith("_Toc") for n in names) and any(n.startswith("_Ref") for n in names)


def test_cross_references_are_ref_fields_to_bookmarks_with_their_text():
    doc, _ = load(MINI)
    document = open_docx(built(MINI))
    body = document.element.body
    marks = bookmarks(body)
    refs = [f for f in fields(body) if f[0].startswith("REF ")]
    # "its results in Section 2, ... in Figure 1 and the votes in Table 1", "[](#why)'s spirit"
    results = [f[1] for f in refs]
    assert results == ["2", "Figure 1", "Table 1", "1.1"]
    intro = [p for p in body_paragraphs(document) if "maritime clusters in Gda" in para_text(p)][0]
    assert "summarised in Section 2," in para_text(intro)
    for instr, result, _ in refs:
        name = instr.split()[1]
        assert instr == f"REF {name} \\h" and name in marks
        # the bookmark spans exactly the text the field shows
        assert _bookmark_text(body, name) == result
    # the editor's own link text stays; it links to the heading
    link = [h for h in body.iter(f"{W}hyperlink") if para_text(h) == "the results"]
    assert link and link[0].get(f"{W}anchor") in marks


def _bookmark_text(body, name: str) -> str:
    """The visible text between a bookmark's start and end (field instructions excluded)."""
    started, ident, out = False, None, []
    for node in body.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd", f"{W}t"):
        if node.tag == f"{W}bookmarkStart" and node.get(f"{W}name") == name:
            started, ident = True, node.get(f"{W}id")
        elif node.tag == f"{W}bookmarkEnd" and started and node.get(f"{W}id") == ident:
            break
        elif node.tag == f"{W}t" and started:
            out.append(node.text or "")
    return "".join(out)


def test_headings_and_captions_carry_the_bookmarks_the_lists_point_to():
    doc, _ = load(MINI)
    document = open_docx(built(MINI))
    marks = bookmarks(document.element.body)
    anchors = anchors_for(doc)
    for entry in doc.contents + doc.figures + doc.tables:
        p = marks[anchors[entry.id].toc]
        assert entry.title in para_text(p)
        assert len(anchors[entry.id].toc) <= 40


def test_cover_is_a_section_without_header_and_the_rest_has_header_and_page_field():
    doc, _ = load(MINI)
    document = open_docx(built(MINI))
    sections = document.sections
    assert len(sections) == 2
    cover, body = sections
    assert cover._sectPr.findall(qn("w:headerReference")) == [] and cover._sectPr.findall(qn("w:footerReference")) == []
    cover_table = document.element.body.find(qn("w:tbl"))
    # the cover section ends right after the cover (its last paragraph holds the section break)
    assert cover_table.getnext().find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    cover_text = [para_text(p).strip() for p in cover_table.iter(qn("w:p"))]
    for line in [doc.meta.cover["title"], *doc.meta.cover["lines"], doc.meta.cover["kind"], doc.meta.cover["footer"]]:
        assert line in cover_text
    assert [p.text for p in body.header.paragraphs] == list(doc.meta.header)
    assert [f[0] for f in fields(body.footer._element)] == ["PAGE \\* Arabic"]
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    # the body starts on a new page after the contents; the cover section ends with a page break
    assert body._sectPr.find(qn("w:type")) is None or body._sectPr.find(qn("w:type")).get(qn("w:val")) == "nextPage"


def test_page_setup_is_the_styles():
    _doc, style = load(MINI)
    document = open_docx(built(MINI))
    for section in document.sections:
        assert abs(section.page_width.pt - style.page_size[0]) < 0.1
        assert abs(section.page_height.pt - style.page_size[1]) < 0.1
        assert abs(section.left_margin.pt - style.pt("page", "margin_left")) < 0.1
    body = document.sections[-1]
    for side in ("top", "bottom", "left", "right"):
        assert abs(getattr(body, f"{side}_margin").pt - style.pt("page", f"margin_{side}")) < 0.1
    assert abs(body.header_distance.pt - style.pt("page", "header_distance")) < 0.1
    assert abs(body.footer_distance.pt - style.pt("page", "footer_distance")) < 0.1


def test_figures_have_alt_text_and_print_resolution():
    doc, style = load(MINI)
    data = built(MINI)
    document = open_docx(data)
    found = pictures(document)
    assert found[0] == ("EU emblem", "Flag of the European Union")  # the cover's
    descr = [d for _name, d in found[1:]]
    expected = [b.description for b in m.walk(doc.blocks) if isinstance(b, m.Image)]
    assert descr == expected and all(descr)
    from PIL import Image

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
        assert media
        with Image.open(io.BytesIO(zf.read(media[-1]))) as img:
            shape = document.inline_shapes[-1]
            dpi = img.width / (shape.width.inches)
            assert dpi >= 290, dpi


def test_tables_repeat_header_rows_and_fit_the_page():
    _doc, style = load(MINI)
    document = open_docx(built(MINI))
    table = document.tables[-1]
    rows = table._tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert rows[1].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.find(qn("w:tblGrid"))]
    assert abs(sum(grid) / 20 - style.text_width) < 1
    assert style_name(document, table._tbl.find(f".//{qn('w:p')}")).lower() in ("table heading", "table text")
    assert table._tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}").get(qn("w:val")) == "PaperTable"


def test_sidebar_is_a_shaded_box_with_a_bold_title():
    document = open_docx(built(MINI))
    boxes = [t for t in document.tables if table_style(t) == "SidebarBox"]
    assert len(boxes) == 1
    box = boxes[0]._tbl.find(f"{qn('w:tr')}/{qn('w:tc')}")
    paras = box.findall(qn("w:p"))
    assert para_text(paras[0]) == "Speakers" and style_name(document, paras[0]) == "Sidebar Title"
    assert "Νίκος Παπαδόπουλος" in para_text(paras[-1])
    # a short box is never split over two pages, and keeps the space below it (an empty row)
    rows = boxes[0]._tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    assert len(rows) == 2 and para_text(rows[1]) == ""
    assert boxes[0]._tbl.find(f".//{qn('w:tcPr')}/{qn('w:shd')}") is not None
    bold_runs = [r for r in paras[1].iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None]
    assert para_text(bold_runs[0]) == "Anna Kowalska"


def test_inline_formatting_and_external_links():
    document = open_docx(built(MINI))
    body = document.element.body
    bold = [para_text(r) for r in body.iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None]
    assert "twelve" in bold
    links = [h for h in body.iter(qn("w:hyperlink")) if h.get(qn("r:id"))]
    assert [para_text(h) for h in links] == ["https://example.org"]
    rel = document.part.rels[links[0].get(qn("r:id"))]
    assert rel.is_external and rel.target_ref == "https://example.org"


def test_numbered_lists_use_the_list_number_style():
    document = open_docx(built(MINI))
    items = [p for p in body_paragraphs(document) if style_name(document, p) == "List Number"]
    assert [para_text(p) for p in items][1] == "Visit https://example.org for updates."
    assert len({p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val")) for p in items}) == 1


def test_core_properties_and_language():
    doc, _ = load(MINI)
    document = open_docx(built(MINI))
    props = document.core_properties
    assert props.title == doc.meta.title
    assert props.subject == doc.meta.subject
    assert props.author == doc.meta.author
    assert props.language == doc.meta.language == "en-GB"
    assert props.keywords == ", ".join(doc.meta.keywords)
    assert props.created.replace(tzinfo=None) == dt.datetime(2024, 3, 5) == props.modified.replace(tzinfo=None)
    styles = document.styles.element
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val") == "en-GB"
    normal = styles.find(f"{W}style[@{W}styleId='Normal']")
    assert normal.find(f"{W}rPr/{W}lang").get(f"{W}val") == "en-GB"


def test_docx_is_byte_identical_across_builds(monkeypatch):
    doc, style = load(MINI)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    one = render_docx(doc, style, TEMPLATES, stand_in_pages(doc))
    two = io.BytesIO()
    write_docx(doc, style, TEMPLATES, stand_in_pages(doc), two)
    assert one == two.getvalue()
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        assert zf.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    three = render_docx(doc, style, TEMPLATES, stand_in_pages(doc))
    with zipfile.ZipFile(io.BytesIO(three)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_write_docx_to_a_path(tmp_path):
    doc, style = load(MINI)
    target = tmp_path / "mini.docx"
    write_docx(doc, style, TEMPLATES, stand_in_pages(doc), target)
    assert target.read_bytes() == built(MINI)


def test_the_template_can_be_missing_or_replaced(tmp_path):
    """Without templates/reference.docx the writer builds the template from the
    style; with an organisation's own template it takes its styles by name."""
    doc, style = load(MINI)
    bare = tmp_path / "bare"
    bare.mkdir()
    document = open_docx(render_docx(doc, style, bare, stand_in_pages(doc)))
    assert document.core_properties.title == doc.meta.title
    house = tmp_path / "house"
    house.mkdir()
    template = docx.Document(str(TEMPLATES / "reference.docx"))
    template.styles["Heading 1"].font.size = docx.shared.Pt(20)
    template.save(str(house / "reference.docx"))
    document = open_docx(render_docx(doc, style, house, stand_in_pages(doc)))
    assert document.styles["Heading 1"].font.size.pt == 20


# ----------------------------------------------------------------------------- the real paper
@paper_only
def test_real_paper_contents_figures_and_tables():
    doc, _ = load(CONTENT)
    pages = stand_in_pages(doc)
    document = open_docx(built(CONTENT))
    body = document.element.body
    toc = [p for p in body_paragraphs(document) if re.fullmatch(r"toc \d", style_name(document, p).lower())]
    assert [para_text(p).rsplit("\t", 1)[0] for p in toc] == [e.text for e in doc.contents]
    assert [int(style_name(document, p)[-1]) for p in toc] == [e.level for e in doc.contents]
    tof = [p for p in body_paragraphs(document) if style_name(document, p).lower() == "table of figures"]
    assert len(tof) == len(doc.figures) + len(doc.tables) == 8
    assert [para_text(p).rsplit("\t", 1)[1] for p in tof] == [str(pages[e.id]) for e in doc.figures + doc.tables]
    seq = [f for f in fields(body) if f[0].startswith("SEQ ")]
    assert [f[1] for f in seq if "Figure" in f[0]] == [str(i) for i in range(1, 7)]
    assert [f[1] for f in seq if "Table" in f[0]] == ["1", "2"]


@paper_only
def test_real_paper_agenda_has_merged_cells_shaded_rows_and_a_repeating_header():
    _doc, style = load(CONTENT)
    document = open_docx(built(CONTENT))
    agenda = next(t for t in document.tables if "Registration and welcome coffee" in "".join(para_text(p) for p in t._tbl.iter(qn("w:p"))))
    tbl = agenda._tbl
    assert tbl.find(f".//{qn('w:gridSpan')}") is not None
    assert tbl.find(f".//{qn('w:vMerge')}") is not None or not any(
        c.rowspan > 1 for b in m.walk(load(CONTENT)[0].blocks) if isinstance(b, m.Table) for r in b.rows for c in r.cells)
    rows = tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    fills = {shd.get(qn("w:fill")) for shd in tbl.iter(qn("w:shd"))}
    for key in ("primary", "day_fill", "break_fill"):
        assert style.colour(key).lstrip("#").upper() in fills, key
    # every row spans the whole grid
    width = len(tbl.find(qn("w:tblGrid")))
    for row in rows:
        spans = [int(tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}").get(qn("w:val"))) if tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None else 1
                 for tc in row.findall(qn("w:tc"))]
        assert sum(spans) == width


@paper_only
def test_real_paper_figures_have_alt_text_from_the_content():
    doc, _ = load(CONTENT)
    document = open_docx(built(CONTENT))
    descr = [d for _name, d in pictures(document)[1:]]
    expected = []
    for fig in (b for b in m.walk(doc.blocks) if isinstance(b, m.Figure)):
        expected += [i.description or fig.description for i in fig.body if isinstance(i, m.Image)]
    assert descr == expected and all(descr)
    # Figure 2 is a table (the recommendations) inside the figure, under its caption
    fig2 = [b for b in m.walk(doc.blocks) if isinstance(b, m.Figure) and b.number == "2"][0]
    if any(isinstance(b, m.Table) for b in fig2.body):
        caption = [p for p in body_paragraphs(document) if para_text(p).startswith("Figure 2:") and style_name(document, p).lower() == "caption"][0]
        following = caption.getnext()
        assert following.tag == qn("w:tbl") or caption.getprevious().tag == qn("w:tbl")


# ----------------------------------------------------------------------------- LibreOffice
def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")


def convert(data: bytes, tmp: Path, name: str) -> Path:
    source = tmp / f"{name}.docx"
    source.write_bytes(data)
    profile = tmp / "lo-profile"
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    target = tmp / f"{name}.pdf"
    assert result.returncode == 0 and target.is_file(), result.stdout + result.stderr
    return target


def page_texts(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        for n in range(1, count + 1)
    ]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def heading_pages(pdf: Path, entries) -> dict[str, int | None]:
    """The physical page (1-based) on which each contents entry's heading
    starts: the first page, from the previous heading's on, whose text holds
    the entry's number and title without the contents' dot leaders."""
    texts = [_norm(t) for t in page_texts(pdf)]
    found: dict[str, int | None] = {}
    page = 0
    for entry in entries:
        key = _norm(f"{entry.number} {entry.title}" if entry.number else entry.title)
        words = key.split()[:7]
        pattern = re.compile(r"\s".join(re.escape(w) for w in words) + r"(?![^\n]{0,200}\.{4})")
        hit = None
        for index in range(page, len(texts)):
            for match in pattern.finditer(texts[index]):
                tail = texts[index][match.end():match.end() + 160]
                if "....." not in tail:
                    hit = index
                    break
            if hit is not None:
                break
        found[entry.id] = None if hit is None else hit + 1
        if hit is not None:
            page = hit
    return found


def toc_numbers(data: bytes) -> dict[str, int]:
    """The page numbers the DOCX's contents print, by the bookmark they point to."""
    document = open_docx(data)
    out = {}
    for link in document.element.body.iter(f"{W}hyperlink"):
        anchor = link.get(f"{W}anchor")
        for instr, result, _ in fields(link):
            if instr.startswith("PAGEREF") and result.strip().isdigit():
                out[anchor] = int(result)
    return out


def check_layout(folder: Path, tmp: Path, name: str):
    doc, _style = load(folder)
    pages, pdf_count = pdf_layout(folder)
    data = built(folder, real_pages=True)
    pdf = convert(data, tmp, name)
    anchors = anchors_for(doc)
    printed = toc_numbers(data)
    physical = heading_pages(pdf, doc.contents)
    cover_pages = 1
    rows, exact = [], 0
    for entry in doc.contents:
        shown = printed[anchors[entry.id].toc]
        assert shown == pages[entry.id]
        at = physical[entry.id]
        lo = None if at is None else at - cover_pages
        exact += lo == shown
        rows.append(f"{'ok' if lo == shown else 'XX'} {entry.number:6} contents {shown:3}  LibreOffice {lo}  {entry.title[:60]}")
    lo_count = len(page_texts(pdf))
    report = "\n".join(rows) + f"\n{name}: {exact}/{len(doc.contents)} contents entries exact; pages: PDF {pdf_count}, LibreOffice {lo_count}"
    print(report)
    return exact, len(doc.contents), report, pdf_count, lo_count


@needs_soffice
def test_libreoffice_converts_the_docx(tmp_path):
    pdf = convert(built(MINI), tmp_path, "mini")
    texts = page_texts(pdf)
    doc, _ = load(MINI)
    assert len(texts) >= 3
    assert doc.meta.cover["title"] in _norm(texts[0])
    assert doc.meta.header[0] not in texts[0]  # no running header on the cover
    assert all(doc.meta.header[0] in t for t in texts[1:])
    # the footer's PAGE field counts from 1 on the page after the cover
    assert re.search(r"(^|\n)1\s*$", texts[1].strip().splitlines()[-1] if texts[1].strip() else "") or "1" in texts[1].split()[-3:]


@needs_soffice
def test_mini_paper_paginates_in_libreoffice_as_the_pdf(tmp_path):
    exact, total, report, *_ = check_layout(MINI, tmp_path, "mini")
    assert exact == total, report


@needs_soffice
@paper_only
def test_real_paper_paginates_in_libreoffice_as_the_pdf(tmp_path):
    exact, total, report, pdf_count, lo_count = check_layout(CONTENT, tmp_path, "paper")
    assert exact == total, report


# ----------------------------------------------------------------------------- well-formed for Word
# Word refuses a file whose property elements stand out of the schema's order,
# and repairs one whose ids repeat; LibreOffice forgives both.
ORDER = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
            "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
            "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"],
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
            "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
            "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
            "em", "lang", "eastAsianLayout", "specVanish", "oMath"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
             "tcFitText", "vAlign", "hideMark"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
              "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"],
    "sectPr": ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
               "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
               "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings"],
    "style": ["name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
              "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr",
              "rPr", "tblPr", "trPr", "tcPr", "tblStylePr"],
}


def _order_problems(root) -> list[str]:
    problems = []
    for parent, order in ORDER.items():
        for node in root.iter(f"{W}{parent}"):
            names = [etree_local(child) for child in node if child.tag.startswith(W)]
            known = [n for n in names if n in order]
            if known != sorted(known, key=order.index):
                problems.append(f"{parent}: {names}")
    return problems


def etree_local(node) -> str:
    return node.tag.rsplit("}", 1)[-1]


@pytest.mark.parametrize("folder", [MINI, pytest.param(CONTENT, marks=paper_only)], ids=["mini", "paper"])
def test_parts_are_in_schema_order_with_unique_ids(folder):
    data = built(folder)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        from lxml import etree

        for name in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml"):
            root = etree.fromstring(zf.read(name))
            assert _order_problems(root) == [], name
    document = open_docx(data)
    body = document.element.body
    ids = [d.get("id") for d in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert len(ids) == len(set(ids))
    starts = list(body.iter(f"{W}bookmarkStart"))
    assert len({b.get(f"{W}id") for b in starts}) == len(starts) == len({b.get(f"{W}name") for b in starts})
    assert {b.get(f"{W}id") for b in starts} == {b.get(f"{W}id") for b in body.iter(f"{W}bookmarkEnd")}
    names = {b.get(f"{W}name") for b in starts}
    for link in body.iter(f"{W}hyperlink"):
        assert link.get(f"{W}anchor") in names or link.get(qn("r:id"))
    for instr, _result, _ in fields(body):
        if instr.startswith(("PAGEREF", "REF ")):
            assert instr.split()[1] in names, instr
    # every field is closed in the paragraph (or the run of contents paragraphs) it opens in
    kinds = [c.get(f"{W}fldCharType") for c in body.iter(f"{W}fldChar")]
    depth = 0
    for kind in kinds:
        depth += {"begin": 1, "end": -1}.get(kind, 0)
        assert depth >= 0
    assert depth == 0


def test_rowspan_and_colspan_become_vmerge_and_gridspan():
    from dataclasses import replace

    doc, style = load(MINI)

    def cell(text, **kw):
        return m.Cell((m.Paragraph((m.Text(text),)),), **kw)

    table = m.Table(
        rows=(
            m.Row((cell("Time"), cell("Session", colspan=2)), role="header"),
            m.Row((cell("09:00", rowspan=2), cell("A"), cell("B"))),
            m.Row((cell("C", colspan=2),)),
        ),
        columns=3, header_rows=1, widths=(1, 2, 2),
    )
    document = open_docx(render_docx(replace(doc, blocks=doc.blocks + (table,)), style, TEMPLATES, stand_in_pages(doc)))
    rows = document.tables[-1]._tbl.findall(qn("w:tr"))

    def spans(tr):
        out = []
        for tc in tr.findall(qn("w:tc")):
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            out.append((int(span.get(qn("w:val"))) if span is not None else 1,
                        None if merge is None else (merge.get(qn("w:val")) or "continue"), para_text(tc)))
        return out

    assert spans(rows[0]) == [(1, None, "Time"), (2, None, "Session")]
    assert spans(rows[1]) == [(1, "restart", "09:00"), (1, None, "A"), (1, None, "B")]
    assert spans(rows[2]) == [(1, "continue", ""), (2, None, "C")]
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
