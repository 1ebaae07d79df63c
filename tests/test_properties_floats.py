"""Property tests for this morning's layout features, on generated papers:

- floats: a run of paragraphs, figures (floating or pinned with place=here),
  figures in list items and level-1/2 headings always builds to a PDF whose
  list of figures gives the page each caption is really on, with the figures
  in order, none before where it is written and none past the next level-1
  heading;
- word breaks: the PDF's Paragraph keeps every character of a text full of
  slashes, hyphens and addresses at any column width, or stops with an error
  naming the word (never a cut, never a lost character).

The default run tries 15 cases per test (PAPERPIPE_EXAMPLES raises it, as
in test_properties.py)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.sax.saxutils as sax
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle

from conftest import MINI, needs, run_build
from paperpipe import model as m
from paperpipe.realize.breaks import with_breaks
from paperpipe.realize.hyphenation import hyphenator
from paperpipe.visit import plain_text
from paperpipe.writers import LayoutImpossible
from paperpipe.writers.pdf.words import MARK, Paragraph

EXAMPLES = int(os.environ.get("PAPERPIPE_EXAMPLES", "15"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])

TALL = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="{h}" viewBox="0 0 400 {h}"><rect width="400" height="{h}" fill="#0B2A5B"/></svg>\n'
WORDS = ("Clusters bring firms, research centres and public bodies of a region together, share services and skills, "
         "and help their members find partners, markets and funding for the green and digital transition. ")

# ----------------------------------------------------------------------------- floats
PIECE = st.one_of(
    st.tuples(st.just("para"), st.integers(1, 4)),
    st.tuples(st.just("figure"), st.sampled_from(["", "place=here", "place=next-page-top"]), st.sampled_from([60, 200, 300, 520])),
    st.tuples(st.just("listfig"), st.sampled_from([60, 300])),
    st.tuples(st.just("heading"), st.sampled_from([1, 2])),
)


def _paper(root: Path, pieces: list) -> str:
    (root / "sections").mkdir(parents=True)
    (root / "figures").mkdir()
    for h in (60, 200, 300, 520):
        (root / "figures" / f"f{h}.svg").write_text(TALL.format(h=h), encoding="utf-8")
    text, figures, headings, paras = "# Start {#start}\n\n", 0, 0, 0
    for piece in pieces:
        if piece[0] == "para":
            paras += 1
            text += f"Para{paras} says: " + WORDS * piece[1] + "\n\n"
        elif piece[0] == "figure":
            figures += 1
            text += f"![Picture{figures} caption](figures/f{piece[2]}.svg){{#fig-p{figures} {piece[1]} alt=\"A block {figures}\"}}\n\n"
        elif piece[0] == "listfig":
            figures += 1
            text += (f"- An item\n\n  ![Picture{figures} caption](figures/f{piece[1]}.svg){{#fig-p{figures} alt=\"A block {figures}\"}}\n"
                     "- Another item\n\n")
        else:
            headings += 1
            text += f"{'#' * piece[1]} Heading{headings} {{#h{headings}}}\n\n"
    (root / "sections" / "01.md").write_text(text, encoding="utf-8")
    yaml = (MINI / "paper.yaml").read_text(encoding="utf-8")
    (root / "paper.yaml").write_text(yaml[: yaml.index("sections:")] + "sections:\n  - sections/01.md\n", encoding="utf-8")
    used = {f"f{h}.svg" for h in (60, 200, 300, 520) if f"f{h}.svg" in text}
    for h in (60, 200, 300, 520):  # an unused figure file is a warning, not wrong; keep the folder tidy anyway
        if f"f{h}.svg" not in used:
            (root / "figures" / f"f{h}.svg").unlink()
    return text


@needs("pdftotext")
@SETTINGS
@given(pieces=st.lists(PIECE, min_size=1, max_size=14))
def test_generated_floats_build_and_their_list_gives_their_pages(pieces):
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "paper", Path(tmp) / "out"
        source = _paper(root, pieces)
        result = run_build("--format", "pdf", "--content", str(root), "--output", str(out))
        assert result.returncode == 0, result.stderr
        pdf = next(out.glob("*.pdf"))
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")[:-1]
    listed, captions = {}, {}
    for i, page in enumerate(pages):
        for line in page.splitlines():
            entry = re.match(r"\s*Figure (\d+): Picture\d+ caption[ .]+(\d+)\s*$", line)  # a line of the list of figures
            caption = re.match(r"\s*Figure (\d+): Picture\d+ caption\s*$", line)
            if entry:
                listed[int(entry.group(1))] = int(entry.group(2))
            elif caption:
                captions.setdefault(int(caption.group(1)), i)
    count = source.count("![Picture")
    assert sorted(listed) == sorted(captions) == list(range(1, count + 1))
    assert listed == captions  # a printed page number is the physical page less the unnumbered cover
    assert [captions[n] for n in sorted(captions)] == sorted(captions.values())  # in order
    body = "\f".join(pages)
    # none before the text written before it, none past the next level-1 heading
    flat = re.sub(r"[ \t]+", " ", body)
    start = re.search(r"^ ?1 Start ?$", flat, re.M).start()  # the heading, not its line in the contents
    for n in range(1, count + 1):
        written = source.index(f"![Picture{n} caption")
        before = re.findall(r"Para(\d+) says", source[:written])
        pos = flat.index(f"Figure {n}: Picture{n} caption", start)
        if before:
            assert flat.index(f"Para{before[-1]} says", start) < pos
        later = re.search(r"^# Heading(\d+)", source[written:], re.M)
        if later:
            assert pos < flat.index(f" Heading{later.group(1)}", start)


# ----------------------------------------------------------------------------- word breaks
STYLE = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12)
HYPHENATED = ParagraphStyle("hyphenated", parent=STYLE, hyphenationLang=hyphenator("en_GB"))
TOKEN = st.sampled_from(["data", "driven", "knowledge", "enabled", "a", "/", "-", "//", "https://", "www.", "ec.eu/", "@",
                         "value", "km", "9", "—", "–", "co", "operation", " ", "  ", "ab" * 15, "internationalisation"])


@SETTINGS
@given(text=st.lists(TOKEN, min_size=1, max_size=20).map("".join), width=st.sampled_from([20, 40, 60, 90, 150]),
       hyphenate=st.booleans())
def test_a_paragraph_keeps_every_character_or_names_the_word_too_wide(text, width, hyphenate):
    text = text.strip() or "x"
    inlines = with_breaks((m.Text(text),))
    assert plain_text(inlines) == text  # the realize stage adds places to break, never a character
    markup = "".join(MARK if isinstance(n, m.WordBreak) else sax.escape(n.text) for n in inlines)
    paragraph = Paragraph(markup, HYPHENATED if hyphenate else STYLE)
    try:
        paragraph.wrap(width, 10_000)
    except LayoutImpossible as caught:
        assert "never cut" in str(caught)
        return
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        got = "".join(" ".join(words) for _, words in lines)
    else:
        got = "".join("".join(getattr(w, "text", "") for w in line.words) for line in lines)
    got, want = re.sub(r"\s", "", got), re.sub(r"\s", "", text)
    if hyphenate:  # hyphenation adds a hyphen at a line end
        got, want = got.replace("-", ""), want.replace("-", "")
    assert got == want, (text, width)


@needs("pdftotext")
def test_a_pinned_figure_does_not_pass_the_floats_held_before_it(tmp_path):
    """Found by the property test above: two figures held back, then one
    pinned with place=here: the pinned one (Figure 3) was placed on the page
    the held ones left, before Figure 2."""
    pieces = [("para", 1)] * 3 + [("figure", "", 200), ("figure", "", 200), ("figure", "place=here", 60)]
    _paper(tmp_path / "paper", pieces)
    result = run_build("--format", "pdf", "--content", str(tmp_path / "paper"), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(next((tmp_path / "out").glob("*.pdf"))), "-"], capture_output=True, text=True, check=True).stdout
    body = text[text.index("Para1 says"):]
    assert body.index("Figure 1: Picture1") < body.index("Figure 2: Picture2") < body.index("Figure 3: Picture3")


@needs("pdftotext")
def test_a_figure_in_a_list_does_not_pass_the_floats_held_before_it(tmp_path):
    """Found by the property test: a figure held back, then a list holding a
    figure (which stays with its item): Figure 2 came on the page before Figure 1."""
    _paper(tmp_path / "paper", [("para", 1), ("para", 1), ("figure", "", 520), ("listfig", 60)])
    result = run_build("--format", "pdf", "--content", str(tmp_path / "paper"), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(next((tmp_path / "out").glob("*.pdf"))), "-"], capture_output=True, text=True, check=True).stdout
    body = text[text.index("Para1 says"):]
    assert body.index("Figure 1: Picture1") < body.index("Figure 2: Picture2")
