"""The DOCX writer, read back with python-docx, lxml and pandoc; and its
layout in LibreOffice against the page numbers it prints (those of the PDF).

Most tests build the mini paper (tests/fixtures/mini) with a stand-in page
mapping; the real paper's tests run when content/paper.yaml exists.  The
LibreOffice tests skip where soffice is not installed (CI installs
libreoffice-writer-nogui), and the page comparison needs the PDF writer.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import caption_line, copy_fonts, uno_ready
from paperpipe import model as m
from paperpipe.visit import plain_text, walk
from paperpipe.errors import Problems
from paperpipe.passes import run_passes
from paperpipe.readers.content import read_paper
from paperpipe.realize import realize
from paperpipe.theme import load_theme
from paperpipe.writers.docx import anchors_for, render_docx

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
    theme = load_theme(TEMPLATES, problems)
    assert theme is not None
    return realize(doc, theme), theme


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


@lru_cache(maxsize=None)
def pdf_layout(folder: Path):
    """(pages, page_count) from the PDF writer's own layout (through the writer registry)."""
    from paperpipe.writers import Job, writer

    doc, style = load(folder)
    layout = writer("pdf").render(doc, style, Job(_epoch(doc), TEMPLATES)).layout
    return dict(layout.pages), layout.page_count


def _epoch(doc: m.Document) -> float:
    day = dt.date.fromisoformat(doc.meta.date[:10])
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()


def contents_line(theme, entry) -> str:
    """A contents line as Word's TOC lays it out: the heading's number in the
    theme's number format (its trailing spaces give way to Word's tab), a
    tab, the title; an unnumbered heading is its title."""
    if not entry.number:
        return entry.title
    return theme.headings.number_format.format(number=entry.number).rstrip(" \u00a0\t") + "\t" + entry.title


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def para_text(p) -> str:
    """The text of a paragraph element as Word shows it (tabs included, field
    instructions left out)."""
    out = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}noBreakHyphen"):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}noBreakHyphen":
            out.append("-")
        elif node.tag == f"{W}tab" and node.getparent().tag == f"{W}r":
            out.append("\t")
        elif node.tag == f"{W}br":
            out.append("\n")
    return "".join(out)


def toc_text(p) -> str:
    """A contents or list line's text without the no-break spaces that keep
    its dot leaders off the title."""
    return re.sub("\u00a0+\t", "\t", para_text(p))


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
    """(name, descr) of every picture in the body (not the cover's decorative shapes)."""
    wp, pic = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}", "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"
    return [(d.get("name"), d.get("descr")) for d in document.element.body.iter(f"{wp}docPr")
            if next(d.getparent().iter(pic), None) is not None]


# ----------------------------------------------------------------------------- template
def test_word_styles_are_made_from_the_style_with_word_names():
    document = open_docx(built(MINI))
    names = {s.name.lower() for s in document.styles}
    for name in ("normal", "title", "subtitle", "heading 1", "heading 2", "heading 3", "caption", "toc 1", "toc 2", "toc 3",
                 "table of figures", "list bullet", "list number", "header", "footer", "hyperlink", "sidebar", "paper table"):
        assert name in names, name
    styles = document.styles.element
    for level in (1, 2, 3):
        h = styles.find(f"{W}style[@{W}styleId='Heading{level}']")
        assert h.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == str(level - 1)
        assert h.find(f"{W}pPr/{W}keepNext") is not None and h.find(f"{W}pPr/{W}keepLines") is not None
    assert styles.find(f"{W}style[@{W}styleId='Normal']/{W}pPr/{W}widowControl") is not None
    assert styles.find(f"{W}style[@{W}styleId='Caption']/{W}pPr/{W}keepNext") is not None
    # the header row repeats by the table style too
    assert styles.find(f"{W}style[@{W}styleId='PaperTable']/{W}tblStylePr[@{W}type='firstRow']/{W}trPr/{W}tblHeader") is not None
    # the list styles are tied to real numbering definitions
    numbering = document.part.numbering_part.element
    for sid, fmt in (("ListBullet", "bullet"), ("ListNumber", "decimal")):
        num_id = styles.find(f"{W}style[@{W}styleId='{sid}']/{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        num = numbering.find(f"{W}num[@{W}numId='{num_id}']")
        abstract = num.find(f"{W}abstractNumId").get(f"{W}val")
        lvl = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{abstract}']/{W}lvl")
        assert lvl.find(f"{W}numFmt").get(f"{W}val") == fmt


def test_a_colour_changed_in_style_yaml_reaches_the_docx_on_the_next_build(tmp_path):
    """No tool to run: the Word styles are made from the style on every build."""
    from conftest import copy_templates, run_build

    templates = copy_templates(tmp_path / "templates", (TEMPLATES / "macros.md.j2").read_text(encoding="utf-8"))
    style_file = templates / "style.yaml"
    text = style_file.read_text(encoding="utf-8")
    assert 'primary: "#0B2A5B"' in text
    style_file.write_text(text.replace('primary: "#0B2A5B"', 'primary: "#7A1F3D"'), encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("--format", "docx", "--content", str(MINI), "--templates", str(templates), "--output", str(out))
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(next(out.glob("*.docx"))))
    styles = document.styles.element
    for sid in ("Heading1", "Caption", "Title"):
        colour = styles.find(f"{W}style[@{W}styleId='{sid}']/{W}rPr/{W}color")
        assert colour is not None and colour.get(f"{W}val") in ("7A1F3D", "FFFFFF"), sid
    assert styles.find(f"{W}style[@{W}styleId='Heading1']/{W}rPr/{W}color").get(f"{W}val") == "7A1F3D"
    assert styles.find(f"{W}style[@{W}styleId='Caption']/{W}rPr/{W}color").get(f"{W}val") == "7A1F3D"
    assert not (templates / "reference.docx").exists()


def test_docx_writer_imports_neither_reportlab_nor_the_pdf_writer():
    import ast

    folder = ROOT / "paperpipe" / "writers" / "docx"
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            for name in names:
                assert not name.startswith("reportlab"), f"{path.name} imports {name}"
                assert "pdf" not in name.split("."), f"{path.name} imports {name}"
                assert name != "...fonts", f"{path.name} imports {name}"  # reportlab's font registry
    # nor does anything it imports
    probe = "import sys, paperpipe.writers.docx; print(sorted(m for m in sys.modules if m.startswith(('reportlab', 'paperpipe.writers.pdf'))))"
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


# (an alignment the content asks for, such as a right-aligned column, is not counted)
GEOMETRY = ("spacing", "ind", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "tabs")


@pytest.mark.parametrize("folder", [MINI, pytest.param(CONTENT, marks=paper_only)], ids=["mini", "paper"])
def test_no_paragraph_carries_geometry_of_its_own(folder):
    """Spacing, indents, keep settings and tab stops come from the styles only."""
    with zipfile.ZipFile(io.BytesIO(built(folder))) as zf:
        from lxml import etree

        root = etree.fromstring(zf.read("word/document.xml"))
    found = {tag: 0 for tag in GEOMETRY}
    paragraphs = list(root.iter(f"{W}p"))
    for p in paragraphs:
        ppr = p.find(f"{W}pPr")
        for tag in GEOMETRY:
            if ppr is not None and ppr.find(f"{W}{tag}") is not None:
                found[tag] += 1
    assert len(paragraphs) > 20
    assert found == {tag: 0 for tag in GEOMETRY}, found
    # nor rows of fixed height or page breaks typed into the text
    assert list(root.iter(f"{W}trHeight")) == []
    assert [b for b in root.iter(f"{W}br") if b.get(f"{W}type") == "page"] == []


def word_heading_numbers(document) -> list[tuple[str, str]]:
    """(heading text, the number Word shows) for every heading, computed as
    Word does from the numbering definitions and the styles' list links."""
    styles = document.styles.element
    numbering = document.part.numbering_part.element

    def style_num(sid):
        while sid:
            s = styles.find(f"{W}style[@{W}styleId='{sid}']")
            if s is None:
                return None
            num = s.find(f"{W}pPr/{W}numPr")
            if num is not None:
                ilvl = num.find(f"{W}ilvl")
                return num.find(f"{W}numId").get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0
            based = s.find(f"{W}basedOn")
            sid = based.get(f"{W}val") if based is not None else None
        return None

    counters: dict[str, list[int]] = {}
    out = []
    for p in body_paragraphs(document):
        sid = (p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") if p.find(f"{W}pPr/{W}pStyle") is not None else "Normal")
        if not sid.startswith("Heading"):
            continue
        num = style_num(sid)
        direct = p.find(f"{W}pPr/{W}numPr")
        if direct is not None:
            num = (direct.find(f"{W}numId").get(f"{W}val"), int(direct.find(f"{W}ilvl").get(f"{W}val")))
        if num is None or num[0] == "0":
            out.append((para_text(p), ""))
            continue
        num_id, ilvl = num
        abstract = numbering.find(f"{W}num[@{W}numId='{num_id}']/{W}abstractNumId").get(f"{W}val")
        definition = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{abstract}']")
        count = counters.setdefault(abstract, [0] * 9)
        count[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            count[deeper] = 0
        text = definition.find(f"{W}lvl[@{W}ilvl='{ilvl}']/{W}lvlText").get(f"{W}val")
        for k in range(9):
            text = text.replace(f"%{k + 1}", str(count[k]))
        out.append((para_text(p), text))
    return out


@pytest.mark.parametrize("folder", [MINI, pytest.param(CONTENT, marks=paper_only)], ids=["mini", "paper"])
def test_word_numbers_the_headings_as_the_passes_do(folder):
    doc, _ = load(folder)
    document = open_docx(built(folder))
    expected = [(plain_text(h.children), h.number) for h in walk(doc.blocks) if isinstance(h, m.Heading)]
    assert word_heading_numbers(document) == expected
    # the numbers are Word's, not typed text
    styles = document.styles.element
    for level in (1, 2, 3):
        link = styles.find(f"{W}style[@{W}styleId='Heading{level}']/{W}pPr/{W}numPr")
        assert link is not None and link.find(f"{W}ilvl").get(f"{W}val") == str(level - 1)
        numbering = document.part.numbering_part.element
        lvl_styles = [p.get(f"{W}val") for p in numbering.iter(f"{W}pStyle")]
        assert f"Heading{level}" in lvl_styles


def test_a_heading_inserted_in_word_is_numbered():
    """A new paragraph in Heading 2 (as an editor adds one in Word) gets the next number."""
    document = open_docx(built(MINI))
    last = [p for p in body_paragraphs(document) if style_name(document, p).lower() == "heading 2"][-1]
    from copy import deepcopy

    added = deepcopy(last)
    for node in list(added):
        if node.tag != f"{W}pPr":
            added.remove(node)
    run = added.makeelement(f"{W}r", {})
    t = run.makeelement(f"{W}t", {})
    t.text = "Added in Word"
    run.append(t)
    added.append(run)
    last.addnext(added)
    numbers = dict(word_heading_numbers(document))
    assert numbers["Added in Word"] == "2.2"


def test_fields_are_refreshed_when_word_opens_the_file():
    document = open_docx(built(MINI))
    update = document.settings.element.find(f"{W}updateFields")
    assert update is not None and update.get(f"{W}val") == "true"


# ----------------------------------------------------------------------------- the mini paper
def test_headings_have_word_styles_and_no_typed_numbers():
    doc, _ = load(MINI)
    document = open_docx(built(MINI))
    headings = [(style_name(document, p), para_text(p)) for p in body_paragraphs(document) if style_name(document, p).lower().startswith("heading")]
    expected = [(f"heading {h.level}", plain_text(h.children)) for h in walk(doc.blocks) if isinstance(h, m.Heading)]
    assert [(s.lower(), t) for s, t in headings] == expected
    assert headings[0][1] == "Introduction"


def test_contents_is_a_filled_toc_field_linking_to_heading_bookmarks():
    doc, theme = load(MINI)
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
        assert para_text(heading) == entry.title
        pagerefs = [f for f in fields(links[0]) if f[0].startswith("PAGEREF")]
        assert pagerefs == [(f"PAGEREF {anchor} \\h", str(pages[entry.id]), pagerefs[0][2])]
        assert toc_text(p).startswith(contents_line(theme, entry) + "\t")
    # the lists of figures and tables, in the Table of Figures style, each line as the theme's caption format prints it
    tof = [p for p in body_paragraphs(document) if style_name(document, p).lower() == "table of figures"]
    assert [toc_text(p).split("\t")[0] for p in tof] == \
        [caption_line(theme, doc, "figure", e) for e in doc.figures] + [caption_line(theme, doc, "table", e) for e in doc.tables]
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
    headings = dict(word_heading_numbers(document))
    for instr, result, _ in refs:
        name = instr.split()[1]
        assert name in marks
        if instr == f"REF {name} \\w \\h":
            # a section: Word prints the number of the bookmarked heading
            assert style_name(document, marks[name]).lower().startswith("heading")
            assert headings[_bookmark_text(body, name)] == result
        else:
            # the bookmark spans exactly the text the field shows
            assert instr == f"REF {name} \\h" and _bookmark_text(body, name) == result
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
    assert len(sections) == 3  # cover, contents, body
    cover, contents, body = sections
    assert cover._sectPr.findall(qn("w:headerReference")) == [] and cover._sectPr.findall(qn("w:footerReference")) == []
    # the cover is paragraphs in the cover styles, not a layout table
    paras = []
    for node in document.element.body:
        assert node.tag != qn("w:tbl")
        paras.append(node)
        if node.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            break
    shown = [(style_name(document, p), para_text(p).strip()) for p in paras if para_text(p).strip()]
    assert shown == [("Title", doc.meta.cover["title"]), *(("Subtitle", line) for line in doc.meta.cover["lines"]),
                     ("Cover Text", doc.meta.cover["kind"]), ("Cover Footer", doc.meta.cover["footer"])]
    assert [p.text for p in contents.header.paragraphs] == list(doc.meta.header)
    assert [f[0] for f in fields(contents.footer._element)] == ["PAGE \\* Arabic"]
    assert contents._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    # the body takes over the contents' header and footer, and its page count
    assert body.header.is_linked_to_previous and body.footer.is_linked_to_previous
    assert body._sectPr.find(qn("w:pgNumType")) is None


def test_page_setup_is_the_styles():
    _doc, style = load(MINI)
    document = open_docx(built(MINI))
    for section in document.sections:
        assert abs(section.page_width.pt - style.page.width) < 0.1
        assert abs(section.page_height.pt - style.page.height) < 0.1
        assert abs(section.left_margin.pt - style.page.margin_left) < 0.1
    body = document.sections[-1]
    for side in ("top", "bottom", "left", "right"):
        assert abs(getattr(body, f"{side}_margin").pt - getattr(style.page, f"margin_{side}")) < 0.1
    assert abs(body.header_distance.pt - style.page.header_distance) < 0.1
    assert abs(body.footer_distance.pt - style.page.footer_distance) < 0.1


def test_figures_have_alt_text_and_print_resolution():
    doc, style = load(MINI)
    data = built(MINI)
    document = open_docx(data)
    descr = [d for _name, d in pictures(document)]
    expected = [logo.alt for logo in style.cover.logos] + [b.description for b in walk(doc.blocks) if isinstance(b, m.Image)]
    assert descr == expected and all(descr)  # the cover's logos, then the figures
    from PIL import Image

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
        assert media
        with Image.open(io.BytesIO(zf.read(media[-1]))) as img:
            shape = document.inline_shapes[-1]
            dpi = img.width / (shape.width.inches)
            assert dpi >= 290, dpi


def test_drawing_namespaces_are_declared_on_the_root_only():
    """pandoc resolves the drawing prefixes from the root element: declared
    on each picture, its alt text is not read."""
    with zipfile.ZipFile(io.BytesIO(built(MINI))) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    root_tag = xml[xml.index("<w:document"):xml.index(">", xml.index("<w:document"))]
    for prefix in ("wp", "a", "pic", "r"):
        assert f"xmlns:{prefix}=" in root_tag, prefix
    assert xml.count("xmlns:") == root_tag.count("xmlns:")


def pandoc_images(data: bytes, tmp: Path) -> list[str]:
    import json

    source = tmp / "x.docx"
    source.write_bytes(data)
    out = subprocess.run(["pandoc", str(source), "-t", "json"], capture_output=True, text=True, check=True).stdout
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Image":
                found.append("".join(i.get("c", " ") if i.get("t") == "Str" else " " for i in node["c"][1]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(out))
    return found


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("folder", [MINI, pytest.param(CONTENT, marks=paper_only)], ids=["mini", "paper"])
def test_pandoc_reads_the_alt_text_of_every_picture(folder, tmp_path):
    document = open_docx(built(folder))
    expected = [d for _name, d in pictures(document)]
    assert expected and all(expected)
    assert [_norm(a) for a in pandoc_images(built(folder), tmp_path)] == [_norm(d) for d in expected]


def test_tables_have_header_rows_a_title_and_a_description_and_fit_the_page():
    _doc, style = load(MINI)
    document = open_docx(built(MINI))
    table = document.tables[-1]
    rows = table._tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert rows[1].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.find(qn("w:tblGrid"))]
    assert abs(sum(grid) / 20 - style.page.text_width) < 1
    assert style_name(document, rows[0].find(f".//{qn('w:p')}")) == "Table Heading"
    assert style_name(document, rows[1].find(f".//{qn('w:p')}")) == "Table Text"
    props = table._tbl.find(qn("w:tblPr"))
    assert props.find(qn("w:tblStyle")).get(qn("w:val")) == "PaperTable"
    assert props.find(qn("w:tblLook")).get(qn("w:firstRow")) == "1"
    assert props.find(qn("w:tblCaption")).get(qn("w:val")) == "Votes on the proposals"
    assert props.find(qn("w:tblDescription")).get(qn("w:val"))


def test_sidebar_is_paragraphs_in_the_sidebar_styles_not_a_table():
    document = open_docx(built(MINI))
    assert [table_style(t) for t in document.tables] == ["PaperTable"]
    paras = [p for p in body_paragraphs(document) if style_name(document, p).startswith("Sidebar")]
    assert [style_name(document, p) for p in paras] == ["Sidebar Title", "Sidebar", "Sidebar"]
    assert para_text(paras[0]) == "Speakers"
    assert "Νίκος Παπαδόπουλος" in para_text(paras[-1])
    bold_runs = [r for r in paras[1].iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None]
    assert para_text(bold_runs[0]) == "Anna Kowalska"
    # the box is the styles': shading, a rule on the left, kept together
    styles = document.styles.element
    sidebar = styles.find(f"{W}style[@{W}styleId='Sidebar']/{W}pPr")
    assert sidebar.find(f"{W}shd") is not None and sidebar.find(f"{W}pBdr/{W}left") is not None
    assert sidebar.find(f"{W}keepLines") is not None
    assert styles.find(f"{W}style[@{W}styleId='SidebarTitle']/{W}pPr/{W}keepNext") is not None


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
    items = [p for p in body_paragraphs(document) if style_name(document, p) in ("List Number", "List Number Last")]
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
    assert render_docx(doc, style, TEMPLATES, stand_in_pages(doc)) == one
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        assert zf.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    three = render_docx(doc, style, TEMPLATES, stand_in_pages(doc))
    with zipfile.ZipFile(io.BytesIO(three)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_a_build_writes_the_docx_the_writer_renders_with_the_pdfs_page_numbers(tmp_path, monkeypatch):
    """The public path (what the command line runs): the file in the output
    folder is the writer's DOCX with the page numbers of the PDF's layout."""
    from paperpipe.pipeline import build

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    report = build(MINI, TEMPLATES, tmp_path, ("docx",))
    [written] = [f for f in report.files if f.suffix == ".docx"]
    assert written.read_bytes() == built(MINI, real_pages=True)


# ----------------------------------------------------------------------------- the real paper
@paper_only
def test_real_paper_contents_figures_and_tables():
    doc, theme = load(CONTENT)
    pages = stand_in_pages(doc)
    document = open_docx(built(CONTENT))
    body = document.element.body
    toc = [p for p in body_paragraphs(document) if re.fullmatch(r"toc \d", style_name(document, p).lower())]
    assert [toc_text(p).rsplit("\t", 1)[0] for p in toc] == [contents_line(theme, e) for e in doc.contents]
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
        c.rowspan > 1 for b in walk(load(CONTENT)[0].blocks) if isinstance(b, m.Table) for r in b.rows for c in r.cells)
    rows = tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    fills = {shd.get(qn("w:fill")) for shd in tbl.iter(qn("w:shd"))}
    agenda_style = style.tables["agenda"]
    for role in ("header", "day", "break"):  # the fills the theme gives these rows
        assert agenda_style.row_look(role).fill.lstrip("#").upper() in fills, role
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
    descr = [d for name, d in pictures(document) if not name.startswith("logo")]
    expected = []
    for fig in (b for b in walk(doc.blocks) if isinstance(b, m.Figure)):
        expected += [i.description or fig.description for i in fig.body if isinstance(i, m.Image)]
    assert descr == expected and all(descr)
    # Figure 2 is a table (the recommendations) inside the figure, under its caption
    fig2 = [b for b in walk(doc.blocks) if isinstance(b, m.Figure) and b.number == "2"][0]
    if any(isinstance(b, m.Table) for b in fig2.body):
        caption = [p for p in body_paragraphs(document) if para_text(p).startswith("Figure 2:") and style_name(document, p).lower() == "caption"][0]
        following = caption.getnext()
        assert following.tag == qn("w:tbl") or caption.getprevious().tag == qn("w:tbl")


# ----------------------------------------------------------------------------- LibreOffice
# The DOCX of the paper and of the mini paper as the command line writes them
# (with the PDF's page numbers), laid out by LibreOffice: conftest's
# ``libreoffice`` converts both with the one soffice of the run.
needs_soffice = pytest.mark.skipif(not uno_ready(), reason="LibreOffice with python3-uno is not installed")


def page_texts(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [
        subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
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


@pytest.fixture(scope="module")
def libreoffice_pdf(libreoffice, paper_out, mini_out):
    """(the PDF LibreOffice made of a paper's DOCX, that DOCX's bytes), by folder."""
    made = {MINI: (libreoffice["mini.pdf"], mini_out), CONTENT: (libreoffice["paper.pdf"], paper_out)}

    def pdf_of(folder: Path) -> tuple[Path, bytes]:
        pdf, out = made[folder]
        return pdf, next(out.glob("*.docx")).read_bytes()
    return pdf_of


@lru_cache(maxsize=None)
def shipped_layout(folder: Path):
    """(document, pages, page count) of a paper as the command line reads and lays it out."""
    from paperpipe.pipeline import draw_figures, load as load_paper, source_epoch
    from paperpipe.writers import Job, writer

    loaded = load_paper(folder, TEMPLATES)
    if not loaded.context.drawn:
        draw_figures(loaded.context, loaded.problems)
    job = Job(source_epoch(loaded.doc), TEMPLATES, context=loaded.context)
    layout = writer("pdf").render(loaded.doc, loaded.theme, job).layout
    return loaded.doc, dict(layout.pages), layout.page_count


def check_layout(folder: Path, converted: tuple[Path, bytes], name: str):
    pdf, data = converted
    doc, pages, pdf_count = shipped_layout(folder)
    anchors = anchors_for(doc)
    printed = toc_numbers(data)
    physical = heading_pages(pdf, doc.contents)
    cover_pages = 1
    rows, exact, near = [], 0, 0
    for entry in doc.contents:
        shown = printed[anchors[entry.id].toc]
        assert shown == pages[entry.id]
        at = physical[entry.id]
        lo = None if at is None else at - cover_pages
        exact += lo == shown
        near += lo is not None and abs(lo - shown) <= 1
        mark = "ok" if lo == shown else ("~1" if lo is not None and abs(lo - shown) <= 1 else "XX")
        rows.append(f"{mark} {entry.number:6} contents {shown:3}  LibreOffice {lo}  {entry.title[:60]}")
    lo_count = len(page_texts(pdf))
    report = ("\n".join(rows) + f"\n{name}: {exact}/{len(doc.contents)} contents entries exact, {near} within one page; "
              f"pages: PDF {pdf_count}, LibreOffice {lo_count}")
    print(report)
    return exact, near, len(doc.contents), report


@needs_soffice
def test_libreoffice_converts_the_docx(libreoffice_pdf):
    pdf, _docx = libreoffice_pdf(MINI)
    texts = page_texts(pdf)
    doc, _ = load(MINI)
    assert len(texts) >= 3
    assert doc.meta.cover["title"] in _norm(texts[0])
    assert doc.meta.header[0] not in texts[0]  # no running header on the cover
    assert all(doc.meta.header[0] in t for t in texts[1:])
    # the footer's PAGE field counts from 1 on the page after the cover
    assert re.search(r"(^|\n)1\s*$", texts[1].strip().splitlines()[-1] if texts[1].strip() else "") or "1" in texts[1].split()[-3:]


@needs_soffice
def test_mini_paper_contents_hold_in_libreoffice(libreoffice_pdf):
    """The DOCX is laid out by Word or LibreOffice, not as a copy of the PDF:
    each contents entry (the PDF's page) must be within one page of where
    LibreOffice prints the heading."""
    _exact, near, total, report = check_layout(MINI, libreoffice_pdf(MINI), "mini")
    assert near == total, report


@needs_soffice
@paper_only
def test_real_paper_contents_hold_in_libreoffice(libreoffice_pdf):
    _exact, near, total, report = check_layout(CONTENT, libreoffice_pdf(CONTENT), "paper")
    assert near == total, report


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
              "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"],
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


def test_a_list_in_a_sidebar_keeps_the_box_whole():
    """Bordered paragraphs join into one box only where their left indents are
    equal: a list item in a sidebar stands at the Sidebar style's indent."""
    from dataclasses import replace

    doc, style = load(MINI)

    def para(text):
        return m.Paragraph((m.Text(text),))

    box = m.Sidebar((para("Intro"), m.BulletList(((para("a point"),), (para("another"),))), m.OrderedList(((para("first"),),), start=3)),
                    title="Box")
    document = open_docx(render_docx(replace(doc, blocks=doc.blocks + (box,)), style, TEMPLATES, stand_in_pages(doc)))
    styles = document.styles.element
    numbering = document.part.numbering_part.element
    inset = styles.find(f"{W}style[@{W}styleId='Sidebar']/{W}pPr/{W}ind").get(f"{W}left")
    items = [p for p in body_paragraphs(document) if para_text(p) in ("a point", "another", "first")]
    assert [style_name(document, p) for p in items] == ["Sidebar"] * 3
    for p in items:
        assert p.find(f"{W}pPr/{W}ind") is None
        num_id = p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        abstract = numbering.find(f"{W}num[@{W}numId='{num_id}']/{W}abstractNumId").get(f"{W}val")
        ind = numbering.find(f"{W}abstractNum[@{W}abstractNumId='{abstract}']/{W}lvl[@{W}ilvl='0']/{W}pPr/{W}ind")
        assert ind.get(f"{W}left") == inset and ind.get(f"{W}hanging") == "0"
    first = items[-1].find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    start = numbering.find(f"{W}num[@{W}numId='{first}']/{W}lvlOverride/{W}startOverride")
    assert start.get(f"{W}val") == "3"


def test_a_second_house_style_reaches_the_docx(tmp_path):
    """The house paper (tests/fixtures/house): its own logo, table role, text
    style of a cell role, caption and heading-number formats, from its
    templates alone."""
    import shutil

    house = ROOT / "tests" / "fixtures" / "house"
    templates = tmp_path / "templates"
    shutil.copytree(house / "templates", templates)
    copy_fonts(templates / "fonts")
    problems = Problems()
    doc, problems = read_paper(house / "paper", templates, problems)
    doc = run_passes(doc, problems)
    theme = load_theme(templates, problems)
    assert theme is not None and not problems.errors, [str(p) for p in problems.items]
    document = open_docx(render_docx(doc, theme, templates, stand_in_pages(doc)))
    logo = theme.cover.logos[0]
    assert pictures(document) == [(f"logo-1-{logo.file.name}", logo.alt)]
    rows = document.tables[0]._tbl.findall(qn("w:tr"))
    winner = [r for r in rows if any(t.text == "Quay Robotics" for t in r.iter(qn("w:t")))][0]
    gold = theme.table("scores").row_look("winner").fill.lstrip("#").upper()
    assert {s.get(qn("w:fill")) for s in winner.iter(qn("w:shd"))} == {gold}
    assert all(r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None for r in winner.iter(qn("w:r")) if para_text(r).strip())
    points = [style_name(document, p) for r in rows[1:] for p in r.findall(f"{qn('w:tc')}/{qn('w:p')}")][1::2]
    assert set(points) == {"Points"}
    styles = document.styles.element
    points_style = styles.find(f"{W}style[@{W}styleId='Points']")
    assert points_style.find(f"{W}rPr/{W}color").get(f"{W}val") == theme.text["points"].colour.lstrip("#").upper()
    assert points_style.find(f"{W}rPr/{W}b") is not None
    caption = [p for p in body_paragraphs(document) if style_name(document, p).lower() == "caption"][0]
    assert para_text(caption) == "1".join(theme.captions.around("Table")) + "Scores of the teams"
    entry = [p for p in body_paragraphs(document) if style_name(document, p).lower() == "table of figures"][0]
    assert toc_text(entry).split("\t")[0] == para_text(caption)
    numbering = document.part.numbering_part.element
    lvl = [lv for lv in numbering.iter(f"{W}lvl") if lv.find(f"{W}pStyle") is not None and lv.find(f"{W}pStyle").get(f"{W}val") == "Heading1"][0]
    assert lvl.find(f"{W}lvlText").get(f"{W}val") == theme.headings.number_format.format(number="%1").rstrip()


def test_list_numbers_and_bullets_are_in_the_theme_s_marker_colour():
    """The PDF and the HTML page colour a list's numbers as its bullets
    (lists: bullet_colour); Word printed the numbers black. Headings' numbers
    keep their heading's colour."""
    document = open_docx(built(MINI))
    doc, theme = load(MINI)
    numbering = document.part.numbering_part.element
    colour = theme.lists.bullet_colour.lstrip("#").upper()
    abstracts = list(numbering.iter(f"{W}abstractNum"))
    headings = [a for a in abstracts if a.find(f"{W}lvl/{W}pStyle") is not None]
    lists = [lv for a in abstracts if a not in headings for lv in a.iter(f"{W}lvl")]
    assert len(headings) == 1 and len(lists) == 6 * 9
    assert any(lv.find(f"{W}numFmt").get(f"{W}val") == "decimal" for lv in lists)
    for lv in lists:
        assert lv.find(f"{W}rPr/{W}color").get(f"{W}val").upper() == colour
    assert all(lv.find(f"{W}rPr") is None for lv in headings[0].iter(f"{W}lvl"))


@paper_only
def test_a_list_in_the_body_ends_with_a_paragraph_s_space():
    """Word spaces paragraphs by style: the last item of a list was followed by
    the items' 3 pt where the PDF leaves a paragraph's space. Each body list's
    last paragraph is in its "… Last" style, whose space after is the body's."""
    doc, theme = load(CONTENT)
    document = open_docx(built(CONTENT))
    styles = {s.get(f"{W}styleId"): s for s in document.styles.element.findall(f"{W}style")}
    paragraphs = body_paragraphs(document)
    names = [style_name(document, p) for p in paragraphs]
    lists = ("List Paragraph", "List Bullet", "List Number")
    ends = 0
    for i, name in enumerate(names[:-1]):
        after = names[i + 1]
        if name in lists and after not in lists and not after.endswith(" Last"):
            raise AssertionError(f"a list ends in '{name}' before '{after}': {para_text(paragraphs[i])[:40]}")
        if name.endswith(" Last"):
            ends += 1
            assert name[:-5] in lists and after not in lists, (name, after)
            sid = paragraphs[i].find(f"{W}pPr/{W}pStyle").get(f"{W}val")
            spacing = styles[sid].find(f"{W}pPr/{W}spacing")
            assert int(spacing.get(f"{W}after")) == round(theme.text["body"].after * 20)
            assert styles[sid].find(f"{W}basedOn").get(f"{W}val") in {s.get(f"{W}styleId") for s in styles.values()
                                                                     if s.find(f"{W}name").get(f"{W}val") == name[:-5]}
    lists_in_body = sum(1 for b in doc.blocks if isinstance(b, (m.BulletList, m.OrderedList)))
    assert ends >= lists_in_body > 5


# ----------------------------------------------------------------------------- pictures at their placed size
def test_every_picture_is_stored_at_300_dpi_of_the_size_it_is_placed_at(paper_out):
    """Each drawn figure and the cover's logo are rendered for the width they
    take on the page: the 54 pt logo was stored 2,532 pixels wide (1,125 dpi),
    and a drawing placed wider than its own width would be enlarged from too
    few pixels."""
    from PIL import Image

    data = next(paper_out.glob("*.docx")).read_bytes()
    document = open_docx(data)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    seen = []
    for inline in document.element.body.iter(f"{wp}inline"):
        blip = next(inline.iter(f"{a}blip"))
        part = document.part.related_parts[blip.get(f"{r}embed")]
        with Image.open(io.BytesIO(part.blob)) as picture:
            width_px = picture.size[0]
        inches = int(inline.find(f"{wp}extent").get("cx")) / 914400
        seen.append((inline.find(f"{wp}docPr").get("name"), width_px, round(inches, 2)))
        assert abs(width_px - inches * 300) <= 2, seen[-1]
    names = [name for name, _, _ in seen]
    assert len(seen) == 6 and any(name.startswith("logo-") for name in names), seen
