"""The realize stage (paperpipe/realize): each decision is taken once, from
the theme, and the PDF, the DOCX and the HTML page show the same result.
Each test changes the theme or the content so that a writer deciding on its
own would show, and reads the real outputs."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import ROOT, copy_fonts, mini_paper, needs_browser
from paperpipe import model as m
from paperpipe.pipeline import load
from paperpipe.realize.tables import table_looks
from paperpipe.theme.types import RoleLook
from paperpipe.writers import Job, writer

TEMPLATES = ROOT / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RED = "#FF0000"
BLUE = "#0000FF"
LIGHT = "#E9EFF7"  # the body fill under the rows


@pytest.fixture(scope="module")
def mini():
    return mini_paper()  # the worker's one load of the mini paper (conftest): only read here (variants are copies)


def outputs(doc: m.Document, theme, tmp_path, formats=("pdf", "docx", "html")) -> dict:
    """The document rendered by each writer, written into tmp_path."""
    job, files = Job(0.0, TEMPLATES), {}
    for fmt in ("pdf", "docx", "html"):
        if fmt not in formats and fmt != "pdf":
            continue
        rendered = writer(fmt).render(doc, theme, job)
        job = replace(job, layout=rendered.layout or job.layout)
        files[fmt] = tmp_path / f"out.{fmt}"
        files[fmt].write_bytes(rendered.data)
    return files


def cell(text: str, role: str = "") -> m.Cell:
    return m.Cell((m.Paragraph((m.Text(text),)),), role=role)


def striped_table() -> m.Table:
    return m.Table(rows=(m.Row((cell("Time"), cell("Session"))), m.Row((cell("Monday"), cell("Opening")), role="day"),
                         m.Row((cell("09:00"), cell("Welcome")))), columns=2, style="striped")


def with_striped_style(theme):
    """A table style with a body fill and a red 'day' row role."""
    base = theme.tables["default"]
    striped = replace(base, name="striped", body_fill=LIGHT,
                      rows={**base.rows, "day": RoleLook(fill=RED, bold=True)})
    return replace(theme, tables={**theme.tables, "striped": striped})


def _pixels(png) -> set:
    with Image.open(png) as img:
        return {colour for _count, colour in img.convert("RGB").getcolors(maxcolors=1 << 24)}


def pdf_colours(pdf, tmp_path) -> set:
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    return set().union(*(_pixels(p) for p in tmp_path.glob("page*.png")))


def html_colours(browser, html, tmp_path) -> set:
    browser.check(html, (900,), axe=False, shots=tmp_path / "shots")
    return _pixels(tmp_path / "shots" / "page-900.png")


def docx_xml(docx) -> str:
    return zipfile.ZipFile(docx).read("word/document.xml").decode()


# ----------------------------------------------------------------------------- table looks
@needs_browser
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler")
def test_a_red_row_role_is_red_over_the_body_fill_in_pdf_docx_and_html(browser, mini, tmp_path):
    """The PDF painted the style's body_fill after the row fills: a red 'day'
    row came out light blue there, red in the DOCX and the HTML."""
    theme = with_striped_style(mini.theme)
    doc = replace(mini.doc, blocks=(striped_table(),), contents=(), figures=(), tables=())
    files = outputs(doc, theme, tmp_path)
    red, light = (255, 0, 0), tuple(int(LIGHT[i:i + 2], 16) for i in (1, 3, 5))
    assert {red, light} <= pdf_colours(files["pdf"], tmp_path)
    assert {red, light} <= html_colours(browser, files["html"], tmp_path)
    rows = re.findall(r"<w:tr>.*?</w:tr>", docx_xml(files["docx"]), re.S)
    fills = [set(re.findall(r'w:fill="([0-9A-F]{6})"', row)) for row in rows[-3:]]
    assert fills[1:] == [{"FF0000"}, {LIGHT[1:].upper()}]


@needs_browser
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler")
def test_a_cells_role_fill_is_shown_over_its_rows_fill_in_pdf_docx_and_html(browser, mini, tmp_path):
    """The page's stylesheet let a row role's fill win over a cell role's
    (the row's selector was the more specific); the PDF and the DOCX showed the cell's."""
    theme = with_striped_style(mini.theme)
    striped = theme.tables["striped"]
    theme = replace(theme, tables={**theme.tables, "striped": replace(striped, cells={"mark": RoleLook(fill=BLUE)})})
    table = striped_table()
    day = table.rows[1]
    table = replace(table, rows=(table.rows[0], replace(day, cells=(day.cells[0], replace(day.cells[1], role="mark"))), table.rows[2]))
    doc = replace(mini.doc, blocks=(table,), contents=(), figures=(), tables=())
    files = outputs(doc, theme, tmp_path)
    red, blue = (255, 0, 0), (0, 0, 255)
    assert {red, blue} <= pdf_colours(files["pdf"], tmp_path)
    assert {red, blue} <= html_colours(browser, files["html"], tmp_path)
    row = re.findall(r"<w:tr>.*?</w:tr>", docx_xml(files["docx"]), re.S)[-2]
    assert re.findall(r'w:fill="([0-9A-F]{6})"', row) == ["FF0000", "0000FF"]


def test_header_rows_are_decided_once_even_when_a_header_row_names_a_role(mini, tmp_path):
    """A header row with a role of its own ('day') is still a header row: a
    TH in the PDF's tags, a repeated header row in the DOCX, <th> in <thead>
    in the HTML, and it takes its role's look (red, bold) in all three."""
    theme = with_striped_style(mini.theme)
    table = replace(striped_table(), rows=(replace(striped_table().rows[1], role="day"), *striped_table().rows[2:]), header_rows=1)
    doc = replace(mini.doc, blocks=(table,), contents=(), figures=(), tables=())
    files = outputs(doc, theme, tmp_path)
    import pikepdf

    with pikepdf.open(files["pdf"]) as pdf:
        tags = []

        def collect(node):
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                for kid in kids:
                    if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                        tags.append(str(kid.S))
                        collect(kid)
            elif isinstance(kids, pikepdf.Dictionary) and "/S" in kids:
                tags.append(str(kids.S))
                collect(kids)
        collect(pdf.Root.StructTreeRoot)
    assert tags.count("/TH") == 2 and tags.count("/TD") == 2 and tags.count("/THead") == 1
    rows = re.findall(r"<w:tr>.*?</w:tr>", docx_xml(files["docx"]), re.S)[-2:]
    assert ["<w:tblHeader/>" in r for r in rows] == [True, False]
    assert 'w:fill="FF0000"' in rows[0] and "<w:b/>" in rows[0]
    html = files["html"].read_text(encoding="utf-8")
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert head.count("<th ") == 2 and 'class="r-day"' in head


def _pdf_cells(pdf_file) -> list[str]:
    """The PDF's table cells in reading order: "TD", or "TH" with its scope ("TH/Row")."""
    import pikepdf

    cells: list[str] = []
    with pikepdf.open(pdf_file) as pdf:
        def walk(node):
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    tag = str(kid.S)[1:]
                    if tag in ("TH", "TD"):
                        scope = kid.get("/A", {}).get("/Scope") if isinstance(kid.get("/A"), pikepdf.Dictionary) else None
                        cells.append(tag + (f"/{str(scope)[1:]}" if scope is not None else ""))
                    walk(kid)
        walk(pdf.Root.StructTreeRoot)
    return cells


def _html_cells(html: str) -> list[str]:
    scopes = {"col": "Column", "colgroup": "Column", "row": "Row", "rowgroup": "Row"}
    return [f"TH/{scopes[scope]}" if tag == "th" else "TD"
            for tag, scope in re.findall(r'<(th|td)(?: scope="(\w+)")?[ >]', html)]


def test_the_cells_that_head_a_row_are_the_same_in_the_pdfs_tags_and_the_page(mini, tmp_path):
    """The page made a body row's first cell with any role (a time, a day) a
    row header; the PDF's tags made it a TD. Now the realize stage decides,
    from the theme: a cell whose role says heads_row (the agenda's times)."""
    assert mini.theme.tables["agenda"].cell_look("time").heads_row
    assert not mini.theme.tables["agenda"].cell_look("day").heads_row
    timed = m.Table(rows=(m.Row((cell("Time"), cell("Session"))),
                          m.Row((replace(cell("09:00"), rowspan=2, role="time"), cell("Welcome"))),
                          m.Row((cell("Coffee"),)),  # its first cell stands in the grid's second column
                          m.Row((cell("11:00", role="time"), cell("Room A"))),
                          m.Row((cell("Monday", role="day"), cell("Room B"))),  # a role that heads no row
                          m.Row((cell("plain"), cell("12:00", role="time")))),  # a time off the first column heads nothing
                    columns=2, header_rows=1, style="agenda")
    doc = replace(mini.doc, blocks=(timed,), contents=(), figures=(), tables=())
    files = outputs(doc, mini.theme, tmp_path, formats=("pdf", "html"))
    want = ["TH/Column", "TH/Column", "TH/Row", "TD", "TD", "TH/Row", "TD", "TD", "TD", "TD", "TD"]
    assert _pdf_cells(files["pdf"]) == want
    assert _html_cells(files["html"].read_text(encoding="utf-8")) == want


def test_a_cell_across_the_whole_row_heads_no_row(mini):
    """A time over all the columns has no cell beside it to head: it was a
    row header (TH) of nothing, and outloud took the table's header cells for
    shredded."""
    table = m.Table(rows=(m.Row((cell("Time"), cell("Session"))),
                          m.Row((replace(cell("09:00 all day"), colspan=2, role="time"),)),
                          m.Row((cell("10:00", role="time"), cell("Talk")))),
                    columns=2, header_rows=1, style="agenda")
    looks = table_looks(table, mini.theme)
    assert [[c.heads for c in row.cells] for row in looks.rows] == [["column", "column"], [""], ["row", ""]]


# ----------------------------------------------------------------------------- labels
def test_captions_and_their_list_lines_read_as_the_theme_formats_them_everywhere(mini, tmp_path):
    """The caption format was read four ways (str.format, partition, replace);
    Entry.text hard-coded "{label} {number}: " and no writer read it."""
    theme = replace(mini.theme, captions=replace(mini.theme.captions, format="{label} no. {{{number}}} – "))  # "{{": a brace
    files = outputs(mini.doc, theme, tmp_path)
    doc = mini.doc
    want = [f"{doc.meta.labels['figure']} no. {{{e.number}}} – {e.title}" for e in doc.figures]
    assert want and all(w in " ".join(PdfReader(str(files["pdf"])).pages[1].extract_text().split()) for w in want)  # list of figures
    pdf_text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(files["pdf"])).pages[2:])
    assert all(w in pdf_text for w in want)  # the captions
    xml = docx_xml(files["docx"])
    words = " ".join(re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S))
    assert all(w in words for w in want)
    html = files["html"].read_text(encoding="utf-8")
    assert all(html.count(w) == 2 for w in want)  # the caption and its line in the list of figures


def test_the_contents_number_reads_as_the_heading_prints_it_in_pdf_and_docx(mini, tmp_path):
    """With a heading format "{number}. ", the DOCX contents printed "1." and
    the PDF contents "1"."""
    theme = replace(mini.theme, headings=replace(mini.theme.headings, number_format="{number}. "))
    files = outputs(mini.doc, theme, tmp_path, formats=("pdf", "docx"))
    first = next(e for e in mini.doc.contents if e.number)
    contents = PdfReader(str(files["pdf"])).pages[1].extract_text()
    assert re.search(rf"^{re.escape(first.number)}\.\s+{re.escape(first.title)}", contents, re.M)
    xml = docx_xml(files["docx"])
    toc = re.search(r'<w:pStyle w:val="TOC1"/>.*?</w:p>', xml, re.S).group(0)
    assert re.sub(r"<[^>]+>", "", toc.split("<w:tab/>")[0]).endswith(f"{first.number}.")


def test_a_numbered_lists_format_is_the_themes_in_every_output(mini, tmp_path):
    """The page printed "1." whatever the theme's lists.number_format said,
    where the PDF and the DOCX printed "(1)"."""
    import tinycss2

    theme = replace(mini.theme, lists=replace(mini.theme.lists, number_format="({number})"))
    files = outputs(mini.doc, theme, tmp_path)
    pdf_text = " ".join((p.extract_text() or "") for p in PdfReader(str(files["pdf"])).pages)
    assert re.search(r"\(1\)\s*Meet again", pdf_text) and re.search(r"\(2\)\s*Visit", pdf_text), pdf_text
    with zipfile.ZipFile(files["docx"]) as z:
        numbering = z.read("word/numbering.xml").decode()
    assert 'w:lvlText w:val="(%1)"' in numbering
    html = files["html"].read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    rules = [r for r in tinycss2.parse_stylesheet(style, skip_whitespace=True, skip_comments=True)]
    [counter] = [r for r in rules if r.type == "at-rule" and r.lower_at_keyword == "counter-style"]
    name = tinycss2.serialize(counter.prelude).strip()
    decls = {d.lower_name: "".join(t.value for t in d.value if t.type == "string")
             for d in tinycss2.parse_declaration_list(counter.content, skip_whitespace=True) if d.type == "declaration"}
    assert (decls["prefix"], decls["suffix"]) == ("(", ") ")
    ol = [r for r in rules if r.type == "qualified-rule" and tinycss2.serialize(r.prelude).strip() == "ol"]
    assert any(f"list-style-type: {name}" in tinycss2.serialize(r.content) for r in ol)


# ----------------------------------------------------------------------------- the cover
def test_a_cover_title_that_expands_to_nothing_is_the_papers_title_in_every_output(mini, tmp_path):
    """`cover.get("title", title)` in the PDF printed an empty cover title
    where the DOCX and the page (`… or meta.title`) printed the paper's."""
    doc = replace(mini.doc, meta=replace(mini.doc.meta, cover={**mini.doc.meta.cover, "title": ""}))
    files = outputs(doc, mini.theme, tmp_path)
    title = doc.meta.title
    assert doc.meta.cover["title"] == "" and title
    cover_text = " ".join((PdfReader(str(files["pdf"])).pages[0].extract_text() or "").split())
    assert cover_text.startswith(title)
    xml = docx_xml(files["docx"])
    first = re.search(r'<w:pStyle w:val="Title"/>.*?</w:p>', xml, re.S).group(0)
    assert "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", first)) == title  # its words (the band's shapes stand there too)
    html = files["html"].read_text(encoding="utf-8")
    assert re.search(r'<header class="cover">.*?<h1>(.*?)</h1>', html, re.S).group(1) == title


def test_the_cover_logos_are_the_house_styles_then_the_papers_in_every_output(tmp_path):
    """One Logo type from the reader to the writers; the house paper's
    cover shows its house logo, then the paper's own, in each output."""
    house = ROOT / "tests" / "fixtures" / "house"
    templates = tmp_path / "templates"
    shutil.copytree(house / "templates", templates)
    copy_fonts(templates / "fonts")
    loaded = load(house / "paper", templates)
    logos = loaded.doc.cover.logos
    assert [lg.alt for lg in logos] == [lg.alt for lg in loaded.theme.cover.logos] and len(logos) == 2
    files = outputs(loaded.doc, loaded.theme, tmp_path)
    xml = docx_xml(files["docx"])
    pictures = [d for d in re.findall(r'<wp:docPr [^>]*>', xml) if "decorative" not in xml[xml.index(d):xml.index(d) + 400]]
    assert [re.search(r'descr="([^"]*)"', d).group(1) for d in pictures][:2] == [lg.alt for lg in logos]  # not the band's shapes
    html = files["html"].read_text(encoding="utf-8")
    cover = re.search(r'<header class="cover">.*?</header>', html, re.S).group(0)
    assert [a for a in re.findall(r'(?:aria-label|alt)="([^"]*)"', cover)] == [lg.alt for lg in logos]


# ----------------------------------------------------------------------------- quotations
def test_a_quotations_look_is_the_themes_in_every_output(mini, tmp_path):
    """The quotation's italics, its box on white and the "— " before who said
    it were written into each writer; now they are style.yaml's quotes:."""
    from paperpipe.theme import Quotes

    theme = replace(mini.theme, quotes=Quotes(fill="#FFF4D6", italic=False, attribution_mark="~ "))
    quote = m.Quote((m.Paragraph((m.Text("Clusters are where firms meet."),)),), attribution=(m.Text("Ann Example"),))
    doc = replace(mini.doc, blocks=(quote,), contents=(), figures=(), tables=())
    files = outputs(doc, theme, tmp_path)
    fonts: dict[str, str] = {}

    def seen(text, cm, tm, font, size):
        if text.strip() and font is not None:
            fonts[text.strip()] = str(font.get("/BaseFont"))
    reader = PdfReader(str(files["pdf"]))
    for page in reader.pages[1:]:
        page.extract_text(visitor_text=seen)
    words = next(f for t, f in fonts.items() if t.startswith("Clusters are"))
    assert "Italic" not in words and "~ Ann Example" in fonts
    import pikepdf

    with pikepdf.open(files["pdf"]) as pdf:
        fills = {"#%02X%02X%02X" % tuple(round(float(v) * 255) for v in ops) for page in pdf.pages
                 for ops, op in pikepdf.parse_content_stream(page) if op == pikepdf.Operator("rg")}
    assert "#FFF4D6" in fills
    with zipfile.ZipFile(files["docx"]) as z:
        styles, document = z.read("word/styles.xml").decode(), z.read("word/document.xml").decode()
    quote_style = re.search(r'<w:style [^>]*w:styleId="Quote".*?</w:style>', styles, re.S).group(0)
    assert 'w:fill="FFF4D6"' in quote_style and "<w:i/>" not in quote_style
    assert "~ Ann Example" in re.sub(r"<[^>]+>", "", document)
    html = files["html"].read_text(encoding="utf-8")
    assert "<figcaption>~ Ann Example</figcaption>" in html
    assert re.search(r"figure\.quote \{ background: #FFF4D6; border-left", html)
    assert "figure.quote blockquote { margin: 0; font-style: normal; }" in html


def test_the_web_pages_fallback_fonts_are_the_themes(mini, tmp_path):
    theme = replace(mini.theme, web_fonts=("Verdana", "serif"))
    html = outputs(mini.doc, theme, tmp_path, formats=("html",))["html"].read_text(encoding="utf-8")
    family = f'"{theme.fonts.family}", "{theme.fonts.word_family}", "Verdana", serif'
    assert family in html and "Segoe" not in html
