"""Typographic punctuation: straight quotes and apostrophes typed in the
Markdown and in paper.yaml's printed lines become the language's marks
(the theme's typography.quotes) in all three outputs; a backslash keeps one
straight, and code, web addresses and attributes are left as typed."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import MINI, ROOT, visible_text
from paperpipe.pipeline import load, render

STRAIGHT = re.compile(r"['\"]")


def page_text(data: bytes) -> str:
    return visible_text(data.decode("utf-8"))


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)).replace("&quot;", '"').replace("&apos;", "'")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def outputs(content: Path, templates: Path) -> dict[str, str]:
    loaded = load(content, templates)
    data, _ = render(loaded, ("pdf", "docx", "html"), templates)
    return {"pdf": pdf_text(data["pdf"]), "docx": docx_text(data["docx"]), "html": page_text(data["html"])}


def test_the_paper_has_no_straight_quote_in_any_output(paper_out):
    for suffix, read in (("pdf", pdf_text), ("docx", docx_text), ("html", page_text)):
        text = read(next(paper_out.glob(f"*.{suffix}")).read_bytes())
        assert STRAIGHT.findall(text) == [], (suffix, [text[max(0, m.start() - 20):m.end() + 20] for m in STRAIGHT.finditer(text)][:5])
        assert text.count("’") >= 20 and text.count("“") >= 4, suffix


@pytest.fixture
def quoting(tmp_path) -> Path:
    content = tmp_path / "paper"
    shutil.copytree(MINI, content)
    section = content / "sections" / "01-intro.md"
    section.write_text(section.read_text(encoding="utf-8") + """

The region's "blue" plan, a \\'straight\\' mark, `code's "as typed"` and [the sea's site](https://example.org/it's).
""", encoding="utf-8")
    paper = content / "paper.yaml"
    paper.write_text(paper.read_text(encoding="utf-8").replace(
        '    - "Workshop organised by the Example Cluster Network"', '    - "The network\'s \\"blue\\" workshop"'), encoding="utf-8")
    return content


def test_quotes_are_the_language_s_in_text_and_printed_lines_and_an_escape_keeps_one_straight(quoting):
    for fmt, text in outputs(quoting, ROOT / "templates").items():
        flat = " ".join(text.split())
        assert "The region’s “blue” plan, a 'straight' mark," in flat, fmt
        assert "code's \"as typed\"" in flat, fmt  # code is printed as typed
        assert "the sea’s site" in flat, fmt
        assert "The network’s “blue” workshop" in flat, fmt


def test_a_french_paper_gets_french_marks_from_the_theme(quoting):
    paper = quoting / "paper.yaml"
    paper.write_text(paper.read_text(encoding="utf-8").replace("language: en-GB", "language: fr-FR"), encoding="utf-8")
    loaded = load(quoting, ROOT / "templates")
    html = page_text(render(loaded, ("html",), ROOT / "templates", layout=False)[0]["html"])
    assert "The region’s «\u202fblue\u202f» plan" in " ".join(html.split(" "))


def test_with_smart_quotes_off_the_text_keeps_what_was_typed(quoting, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    style = templates / "style.yaml"
    style.write_text(style.read_text(encoding="utf-8").replace("smart_quotes: true", "smart_quotes: false"), encoding="utf-8")
    loaded = load(quoting, templates)
    html = page_text(render(loaded, ("html",), templates, layout=False)[0]["html"])
    assert "The region's \"blue\" plan" in html and "The network's \"blue\" workshop" in html
