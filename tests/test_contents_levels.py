"""The contents step in by level in every output, as the theme says
(contents.step_in: each level's number stands under the title of the level
above), and the DOCX's dot leaders stop short of the titles as the PDF's do."""
from __future__ import annotations

import io
import re
import zipfile

from pypdf import PdfReader

from conftest import real_paper

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paper():
    return real_paper()


def test_pdf_contents_numbers_stand_under_the_title_of_the_level_above(paper_out):
    loaded = _paper()
    contents = loaded.theme.contents
    assert contents.step_in
    numbers = {e.label.bare: e.level for e in loaded.doc.contents if e.label}
    pdf = PdfReader(next(paper_out.glob("*.pdf")))
    page = next(p for p in pdf.pages if "Contents" in (p.extract_text() or ""))
    found: dict[int, set[float]] = {}

    left, middle = loaded.theme.page.margin_left, float(page.mediabox.width) / 2

    def visit(text, cm, tm, *_):
        word, x = text.strip(), tm[4] * cm[0] + cm[4]
        if word in numbers and left - 1 <= x < middle:  # the number column, not a page number at the right
            found.setdefault(numbers[word], set()).add(round(tm[4] * cm[0] + cm[4], 1))

    page.extract_text(visitor_text=visit)
    assert set(found) == {1, 2, 3}, found
    x = {level: min(xs) for level, xs in found.items()}
    assert all(len(xs) == 1 for xs in found.values()), found  # one column per level
    assert abs(x[2] - x[1] - contents.indent(2)) < 0.5 and abs(x[3] - x[1] - contents.indent(3)) < 0.5, x
    assert contents.indent(2) == contents.number_width(1) > 0


def test_docx_contents_styles_step_in_and_leaders_stop_short_of_the_titles(paper_out):
    loaded = _paper()
    contents = loaded.theme.contents
    with zipfile.ZipFile(next(paper_out.glob("*.docx"))) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
        document = z.read("word/document.xml").decode("utf-8")
    for level in (1, 2, 3):
        style = re.search(rf'<w:style w:type="paragraph" w:styleId="TOC{level}">.*?</w:style>', styles).group(0)
        ind = re.search(r'<w:ind w:left="(\d+)" w:hanging="(\d+)"/>', style)
        assert int(ind.group(1)) == round((contents.indent(level) + contents.number_width(level)) * 20), (level, ind.group(0))
        assert int(ind.group(2)) == round(contents.number_width(level) * 20)
    # every contents line and list line: the title, then no-break spaces, then the tab to the leaders
    lines = re.findall(r'<w:pStyle w:val="(?:TOC\d|TableofFigures)"/>.*?</w:p>', document)
    assert len(lines) == len(loaded.doc.contents) + len(loaded.doc.figures) + len(loaded.doc.tables)
    for line in lines:
        assert re.search(r"<w:t(?: [^>]*)?>\u00a0+</w:t></w:r><w:r><w:tab/>", line), line[:200]


def test_html_contents_nest_with_the_same_steps(paper_out):
    loaded = _paper()
    page = next(paper_out.glob("*.html")).read_text(encoding="utf-8")
    for level in (2, 3):
        rule = re.search(rf"nav \.toc {re.escape(' > li > ol' * (level - 1))} \{{ padding-left: ([\d.]+)em; \}}", page)
        size = loaded.theme.contents_line(level - 1).size
        step = loaded.theme.contents.indent(level) - loaded.theme.contents.indent(level - 1)
        assert rule and abs(float(rule.group(1)) * size - step) < 0.01, level
