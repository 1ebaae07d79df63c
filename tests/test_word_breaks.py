"""Where a long word may break (the theme's typography.break_after_slash):
after the slash between two words ("data-driven/knowledge-enabled") in all
three outputs, in the PDF also after a hyphen, and never inside a word. The
realize stage marks the places (``WordBreak``); the PDF takes them only for a
word that does not fit on a line of its own, so its other lines stay as they
were, and its text gains no character."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as PlainParagraph

from conftest import MINI, ROOT, needs, run_build
from paperpipe import model as m
from paperpipe.realize.breaks import break_points, with_breaks
from paperpipe.writers import LayoutImpossible
from paperpipe.writers.pdf.fonts import register_fonts
from paperpipe.writers.pdf.words import MARK, Paragraph
from paperpipe.theme import load_theme
from paperpipe.errors import Problems

ZWSP = "\u200b"
WORD = "data-driven/knowledge-enabled"


# ----------------------------------------------------------------------------- the rule (realize)
def test_a_slash_between_two_words_is_a_place_to_break_and_nothing_else_is():
    assert break_points(f"to {WORD} smart") == [len("to data-driven/")]
    assert break_points("value/supply and products/services") == [6, len("value/supply and products/")]
    for text in ("22/23 November", "https://ec.europa.eu/growth/clusters", "www.clustercollaboration.eu/news",
                 "ec.europa.eu/growth", "a/b@example.org", "km/h", "one / two", "and/", "/etc"):
        expected = [3] if text == "km/h" else []
        assert break_points(text) == expected, text


def test_code_and_links_are_left_whole_and_emphasis_is_looked_into():
    code, link = m.Code("a/b"), m.Link("https://example.org/a/b", (m.Text("value/supply"),))
    out = with_breaks((m.Text("x value/supply"), code, link, m.Strong((m.Text("in/out"),))))
    assert out == (m.Text("x value/"), m.WordBreak(), m.Text("supply"), code, link,
                   m.Strong((m.Text("in/"), m.WordBreak(), m.Text("out"))))


# ----------------------------------------------------------------------------- the PDF's paragraphs
@pytest.fixture(scope="module")
def style():
    theme = load_theme(ROOT / "templates", Problems(ROOT))
    fonts = register_fonts(theme.fonts)
    return ParagraphStyle("body", fontName=fonts["regular"], fontSize=10, leading=12)


def _lines(para, width: float) -> list[str]:
    para.wrap(width, 10_000)
    bl = para.blPara
    if bl.kind == 0:
        return [" ".join(words) for _, words in bl.lines]
    return ["".join(getattr(w, "text", "") for w in line.words) for line in bl.lines]


def _marked(text: str) -> str:
    return re.sub(r"(?<=[a-z]/)(?=[a-z])", MARK, text)


def test_a_word_too_wide_for_its_line_breaks_after_its_slash(style):
    assert _lines(PlainParagraph(f"manufacturing to {WORD} smart", style), 130)[0].endswith("data-driven/k")  # reportlab's cut
    lines = _lines(Paragraph(_marked(f"manufacturing to {WORD} smart manufacturing."), style), 130)
    assert lines == ["manufacturing to data-driven/", "knowledge-enabled smart", "manufacturing."]


def test_then_after_its_hyphens_and_never_inside(style):
    lines = _lines(Paragraph(_marked(f"to {WORD} smart"), style), 60)
    assert lines == ["to data-", "driven/", "knowledge-", "enabled smart"]
    assert all(re.search(r"(^|[-/ ])\w+$", line) or line.endswith(("-", "/")) for line in lines)


def test_a_word_that_fits_on_a_line_moves_whole_as_before(style):
    texts = [f"Increase cluster capacity to provide advanced business services, {WORD} and value/supply chains, "
             "with <b>bold</b> and <i>italic</i> words, co-operation and long-term cross-sectoral partnerships."]
    for width in (90, 150, 240, 450):
        for text in texts:
            assert _lines(Paragraph(_marked(text), style), width) == _lines(PlainParagraph(text, style), width)


def test_a_word_with_no_hyphen_or_slash_wider_than_its_column_is_an_error_never_a_cut(style):
    with pytest.raises(LayoutImpossible) as caught:
        _lines(Paragraph("the Donaudampfschifffahrtsgesellschaft arrives", style), 80)
    assert "Donaudampfschifffahrtsgesellschaft" in str(caught.value) and "never cut" in str(caught.value)
    assert "hyphen or a slash" in caught.value.advice


def test_the_error_names_the_piece_that_cannot_break_and_its_width_is_more_than_the_column_s(style):
    """A slash the realize stage did not mark (here: none, as with
    break_after_slash off or a digit before the slash) is no place to break:
    the error named 'knowledge-' (17 mm) as wider than a 25 mm column, where
    'driven/knowledge-' (27 mm) was the piece that could not break."""
    with pytest.raises(LayoutImpossible) as caught:
        _lines(Paragraph(f"to {WORD} smart", style), 70)
    message = str(caught.value)
    assert "'driven/knowledge-'" in message, message
    need, room = map(int, re.search(r"\((\d+) mm, the column has (\d+) mm\)", message).groups())
    assert need > room, message


@pytest.mark.parametrize("word", ["a" * 5000, "/" * 3000, "/".join(["path"] * 400)])
def test_a_word_of_thousands_of_characters_is_named_by_its_start_and_length(style, word):
    """The message printed the whole word: one line of 5,000 characters, the advice at its end."""
    with pytest.raises(LayoutImpossible) as caught:
        _lines(Paragraph(f"the word {word} is long", style), 200)
    message = str(caught.value)
    assert len(message) < 300, message[:400]
    assert f"'{word[:60]}…' ({len(word):,} characters)" in message and "never cut" in message


def test_a_web_address_breaks_at_its_slashes(style):
    url = "https://www.clustercollaboration.eu/news/clusters-driving-green-digital"
    lines = _lines(Paragraph(f"see {url} now", style), 150)
    assert "".join(lines).replace(" ", "") == f"see{url}now"
    assert lines[0] == "see https://" and all(line.endswith(("/", "now")) for line in lines[1:]), lines  # never at a hyphen


def test_a_too_wide_word_in_a_paper_is_reported_at_its_line(tmp_path):
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    intro = paper / "sections" / "01-intro.md"
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
    intro.write_text(intro.read_text(encoding="utf-8") + f"\nA word: {word}.\n", encoding="utf-8")
    line = intro.read_text(encoding="utf-8").splitlines().index(f"A word: {word}.") + 1
    result = run_build("--format", "pdf", "--content", str(paper), "--output", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert f"01-intro.md:{line}:" in result.stderr and f"'{word}'" in result.stderr and "never cut" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("block", ["paragraph", "table"])
def test_a_too_wide_word_right_under_a_heading_is_reported_at_its_own_line_with_the_advice(tmp_path, block):
    """Under a heading the block is laid out in a group kept with it, and
    reportlab raised the error again with its own words ('raised by class
    KeepTogether(…)@0x… wrap') and without the advice, at the heading's line
    (found by test_properties: a table whose '00000000' cell is 14 mm wide in
    a 5 mm column)."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    results = paper / "sections" / "02-results.md"
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3 if block == "paragraph" else "00000000"
    cells = 18
    body = (f"A word: {word}.\n" if block == "paragraph" else
            "|" + "|".join(f" c{i} " for i in range(cells)) + "|\n|" + "---|" * cells + "\n| " + word + " |" + " 0 |" * (cells - 1) + "\n")
    text = results.read_text(encoding="utf-8")
    results.write_text(text + "\n## A heading right above it\n\n" + body, encoding="utf-8")
    line = len(text.splitlines()) + (4 if block == "paragraph" else 6)  # the paragraph's line, the table row's that holds the word
    result = run_build("--format", "pdf", "--content", str(paper), "--output", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert f"02-results.md:{line}: the word '{word}' is wider than its column" in result.stderr, result.stderr
    assert "— break it with a hyphen or a slash" in result.stderr
    assert "raised by" not in result.stderr and "0x" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("old, new, line", [
    ("## Next steps", "## Next " + "W" * 60, 12),                                  # a heading: its line of the contents
    ("Votes on the proposals", "Votes " + "V" * 90, 5),                            # a caption: its line of the list of tables
])
def test_a_word_too_wide_for_its_line_of_the_contents_is_reported_at_the_heading_or_caption(tmp_path, old, new, line):
    """It was 'content/paper.yaml: the word … is wider than its column' (no
    line), or at the line of the figure listed before it: a line of the
    contents or of a list has no source of its own."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    results = paper / "sections" / "02-results.md"
    results.write_text(results.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = run_build("check", "--content", str(paper), cwd=tmp_path)
    said = [line for line in result.stderr.splitlines() if line.startswith("paper/")]
    assert len(said) == 1 and said[0].startswith(f"paper/sections/02-results.md:{line}: the word '"), result.stderr
    assert "is wider than its column" in said[0]


# ----------------------------------------------------------------------------- the paper, in the three outputs
@needs("pdftotext")
def test_figure_2_breaks_after_the_slash_in_the_pdf_and_its_text_reads_one_word(paper_out):
    pdf = next(paper_out.glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    at = lines.index("manufacturing to data-driven/")
    assert lines[at + 1].startswith("knowledge-enabled")
    assert ZWSP not in text and "data-driven/k\n" not in text


@needs("pdfinfo")
def test_the_pdf_s_tags_read_the_word_whole_without_a_stray_character(paper_out):
    pdf = next(paper_out.glob("*.pdf"))
    tagged = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"manufacturing to {WORD} smart manufacturing." in tagged
    assert ZWSP not in tagged and "\u00ad" not in tagged


def test_the_docx_holds_word_s_optional_break_and_the_page_a_wbr(paper_out):
    with zipfile.ZipFile(next(paper_out.glob("*.docx"))) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert re.search(r"data-driven/</w:t></w:r><w:r>(<w:rPr>.*?</w:rPr>)?<w:t>\u200b</w:t></w:r><w:r>(<w:rPr>.*?</w:rPr>)?"
                     r"<w:t>knowledge-enabled", xml)
    page = next(paper_out.glob("*.html")).read_text(encoding="utf-8")
    assert "data-driven/<wbr>knowledge-enabled" in page and "value/<wbr>supply" in page
    assert ZWSP not in page


def test_libreoffice_breaks_the_docx_after_the_slash(in_libreoffice):
    """Word's optional break (a zero-width space) is honoured in LibreOffice's
    layout: it broke "knowledge-" | "enabled" before, and reads no character there."""
    text = subprocess.run(["pdftotext", str(in_libreoffice), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines()]
    ends = [i for i, line in enumerate(lines) if line.endswith("data-driven/")]
    assert ends and lines[ends[0] + 1].startswith("knowledge-enabled"), lines[ends[0]:ends[0] + 2] if ends else "no line ends at the slash"
    assert ZWSP not in text


# ----------------------------------------------------------------------------- after a hyphen: a letter follows
def test_a_hyphen_is_a_place_to_break_when_a_letter_follows_it_after_a_letter_or_a_digit(style):
    """'COVID-19-related', '5G-ready', '2021-based' break after the hyphen a
    letter follows, as after 'data-' (they were cut inside or refused: only a
    hyphen between two letters was a place to break); 'COVID-19',
    '2021-2027', 'pre-2021' never break before their digits."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from paperpipe.realize.breaks import AFTER_HYPHEN
    places = lambda word: [found.start() for found in AFTER_HYPHEN.finditer(word)]  # noqa: E731
    assert places("COVID-19-related") == [len("COVID-19-")]
    assert places("5G-ready") == [3] and places("2021-based") == [5] and places("co-operation") == [3]
    for whole in ("COVID-19", "2021-2027", "pre-2021", "-based", "a--b", "x_-y", "n-1"):
        assert places(whole) == [], whole
    for word, pieces in (("COVID-19-related", ["COVID-19-", "related"]), ("5G-ready", ["5G-", "ready"]),
                         ("2021-based", ["2021-", "based"])):
        room = max(stringWidth(piece, style.fontName, style.fontSize) for piece in pieces) + 1
        assert room < stringWidth(word, style.fontName, style.fontSize)
        assert _lines(Paragraph(word, style), room) == pieces


def test_a_hyphen_before_a_digit_is_no_place_to_break_so_a_range_too_wide_is_named(style):
    with pytest.raises(LayoutImpossible) as caught:
        _lines(Paragraph("in 2021-2027 and", style), 25)
    assert "'2021-2027'" in str(caught.value)
