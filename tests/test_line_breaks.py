"""Where lines may not break (the theme's typography.dashes_keep_with_word):
a spaced dash stays with the word before it, and a range of times or
numbers stays whole, in the PDF, the DOCX and the page."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from conftest import real_paper
from paperpipe.realize.dashes import keep_dashes
from paperpipe.visit import all_inlines
from paperpipe import model as m


def test_the_rule():
    assert keep_dashes("09:00 – 09:30") == "09:00\u00a0–\u00a009:30"
    assert keep_dashes("Team Leader – Cluster Policy") == "Team Leader\u00a0– Cluster Policy"
    assert keep_dashes(" – after an emphasis") == "\u00a0– after an emphasis"
    assert keep_dashes("well-known—unspaced") == "well-known—unspaced"


def test_the_paper_s_text_holds_no_breakable_dash():
    loaded = real_paper()
    assert loaded.theme.typography.dashes_keep_with_word
    texts = [n.text for n in all_inlines(loaded.doc.blocks) if isinstance(n, m.Text)]
    assert any("\u00a0–\u00a0" in t for t in texts) and any("\u00a0– " in t for t in texts)
    assert not [t for t in texts if re.search(r"\S [–—]\s|\d [–—] \d", t)]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_no_line_of_the_pdf_starts_with_a_dash_of_the_text_and_no_range_is_split(paper_out):
    pdf = next(paper_out.glob("*.pdf"))
    lines = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.splitlines()
    assert not [line for line in lines if line.startswith("– Cluster Policy")]  # the agenda's "Team Leader – Cluster Policy"
    assert not [line for line in lines if re.search(r"\d{2}:\d{2} ?[–—]$", line.strip())]  # "09:00 –" / "09:30"


def test_the_docx_and_the_page_hold_the_same_no_break_spaces(paper_out):
    with zipfile.ZipFile(next(paper_out.glob("*.docx"))) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    page = next(paper_out.glob("*.html")).read_text(encoding="utf-8")
    for out in (xml, page):
        assert "09:00\u00a0–\u00a009:30" in out
        assert "Leader\u00a0– Cluster Policy" in out
