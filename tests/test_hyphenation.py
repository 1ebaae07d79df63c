"""Optional hyphenation (the theme's typography.hyphenate, off in the shipped
style): with it on, a small paper with long words and narrow table columns
has hyphenated line ends in the PDF (reportlab with pyphen's dictionary for
the paper's language), Word's automatic hyphenation in the DOCX and the
browser's (CSS hyphens: auto, <html lang>) on the page, in the text styles
marked 'hyphenate: true' only; with it off, none of these."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import MINI, copy_templates, needs, run_build
from paperpipe.realize.hyphenation import LONGEST_HYPHENATED, dictionary, hyphenator

LONG = ("Interoperability of telecommunications infrastructures, internationalisation strategies, "
        "responsibilities of intergovernmental organisations, characterisation of electromagnetic "
        "compatibility, decarbonisation commitments, representativeness of stakeholders, "
        "recommendations on the implementation of transformational programmes, and the "
        "EISMEA and COVID acronyms, written again: interoperability, telecommunications, "
        "internationalisation, intergovernmental, electromagnetic, decarbonisation, representativeness.")
TABLE = """
| Interoperability | Decarbonisation | Representativeness |
|---|---|---|
| transformational programmes and internationalisation | electromagnetic compatibility and characterisation | intergovernmental organisations' responsibilities |
"""


def _paper(base: Path) -> Path:
    paper = base / "paper"
    shutil.copytree(MINI, paper)
    intro = paper / "sections" / "01-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8") + f"\n{LONG}\n\n{LONG}\n{TABLE}", encoding="utf-8")
    return paper


def _templates(base: Path, on: bool) -> Path:
    templates = copy_templates(base / ("on" if on else "off"))
    style = templates / "style.yaml"
    text = style.read_text(encoding="utf-8")
    assert "\n  hyphenate: false\n" in text  # shipped off
    style.write_text(text.replace("\n  hyphenate: false\n", f"\n  hyphenate: {'true' if on else 'false'}\n"), encoding="utf-8")
    return templates


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("hyphenation")
    paper, out = _paper(base), {}
    for on in (True, False):
        folder = base / f"out-{on}"
        result = run_build("build", "--format", "all", "--content", str(paper), "--templates", str(_templates(base, on)),
                           "--output", str(folder), "--quiet")
        assert result.returncode == 0, result.stderr
        out[on] = folder
    return out


def _hyphenated(folder: Path) -> list[str]:
    """The PDF's line ends where a word is hyphenated (the word whole in the source)."""
    lines = subprocess.run(["pdftotext", "-raw", str(next(folder.glob("*.pdf"))), "-"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    words = set(re.findall(r"[A-Za-z]+", LONG.lower()))
    out = []
    for line, after in zip(lines, lines[1:]):
        head, tail = re.search(r"([A-Za-z]+)-$", line.strip()), re.match(r"([A-Za-z]+)", after.strip())
        if head and tail and (head.group(1) + tail.group(1)).lower() in words:
            out.append(f"{head.group(1)}-{tail.group(1)}")
    return out


def test_the_rule_for_a_word():
    pairs = hyphenator("en_GB")
    assert ("interoper", "ability") in pairs("interoperability")
    assert all(len(head) >= 2 and len(tail) >= 3 for head, tail in pairs("internationalisation"))
    assert pairs("EISMEA") == [] and pairs("COVID") == []  # acronyms stay whole
    assert dictionary("en-GB") == "en_GB" and dictionary("fr") == "fr" and dictionary("tlh") == ""


def test_a_word_longer_than_the_limit_is_not_looked_up(monkeypatch):
    # reportlab asks again for each line of a word running over many lines, and the dictionary's
    # work grows with the word: an 11,000-character word joined by hyphens took 34 s of CPU to lay out
    import pyphen

    looked: list[str] = []
    iterate = pyphen.Pyphen.iterate
    monkeypatch.setattr(pyphen.Pyphen, "iterate", lambda self, word: looked.append(word) or iterate(self, word))
    pairs = hyphenator("en_GB")
    word = "-".join(["interoperability"] * 10)
    assert len(word) > LONGEST_HYPHENATED and pairs(word) == [] and looked == []
    assert pairs("interoperability") and looked == ["interoperability"]
    assert len("Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen") <= LONGEST_HYPHENATED


@needs("pdftotext")
def test_a_very_long_word_joined_by_hyphens_breaks_at_its_hyphens_with_hyphenation_on(tmp_path):
    paper = _paper(tmp_path)
    word = "-".join(["kelpfarmers"] * 600)
    intro = paper / "sections" / "01-intro.md"
    intro.write_text(intro.read_text(encoding="utf-8") + f"\nThe word {word} ends here.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("--format", "pdf", "--content", str(paper), "--templates", str(_templates(tmp_path, True)),
                       "--output", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(next(out.glob("*.pdf"))), "-"], capture_output=True, text=True, check=True).stdout
    assert re.sub(r"[\s-]", "", text).count("kelpfarmers") == 600  # no word lost


@needs("pdftotext")
def test_with_hyphenation_on_the_pdf_has_hyphenated_line_ends_and_without_none(built):
    on = _hyphenated(built[True])
    assert len(on) >= 4, on
    assert not [w for w in on if w.replace("-", "").isupper()]
    assert _hyphenated(built[False]) == []


def test_with_hyphenation_on_the_docx_asks_word_to_hyphenate_but_not_its_headings(built):
    for on in (True, False):
        with zipfile.ZipFile(next(built[on].glob("*.docx"))) as z:
            settings, styles = z.read("word/settings.xml").decode(), z.read("word/styles.xml").decode()
        assert ("<w:autoHyphenation" in settings) is on and ("<w:doNotHyphenateCaps" in settings) is on
        normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles).group(0)
        heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles).group(0)
        assert "suppressAutoHyphens" not in normal and ("suppressAutoHyphens" in heading) is on
        assert 'w:lang w:val="en-GB"' in styles  # the language Word hyphenates in


def test_with_hyphenation_on_the_page_asks_the_browser_to_hyphenate_its_text_not_its_headings(built):
    on, off = (next(built[x].glob("*.html")).read_text(encoding="utf-8") for x in (True, False))
    assert '<html lang="en-GB"' in on
    body = re.search(r"body \{[^}]*\}", on).group(0)
    assert "hyphens: auto" in body and "hyphens: manual" in re.search(r"main h1 \{[^}]*\}", on).group(0)
    assert "hyphens" not in off


def test_a_language_with_no_dictionary_is_an_error_at_its_line(tmp_path):
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    yaml = paper / "paper.yaml"
    text = yaml.read_text(encoding="utf-8")
    line = text.splitlines().index("language: en-GB") + 1
    yaml.write_text(text.replace("language: en-GB", "language: tlh"), encoding="utf-8")
    result = run_build("check", "--content", str(paper), "--templates", str(_templates(tmp_path, True)))
    assert result.returncode == 1
    assert f"paper.yaml:{line}:" in result.stderr and "'tlh'" in result.stderr and "hyphenate: false" in result.stderr
    assert "Traceback" not in result.stderr


@needs("pdfinfo")
@needs("pdftotext")
def test_the_pdf_s_tags_read_a_hyphenated_word_whole(built):
    """The hyphen hyphenation adds is drawn as an artifact: the text a screen
    reader gets (the tags) holds the word without it."""
    pdf = next(built[True].glob("*.pdf"))
    out = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    tagged = "".join(line[line.index('"') + 1:line.rindex('"')] for line in out.splitlines() if line.count('"') >= 2)
    hyphenated = _hyphenated(built[True])
    assert hyphenated
    for word in hyphenated:
        assert word.replace("-", "") in tagged and word not in tagged, word


@needs("pdfua")
def test_a_hyphenated_pdf_is_still_pdf_ua(built):
    import json

    out = subprocess.run(["pdfua", "check", "-f", "json", str(next(built[True].glob("*.pdf")))], capture_output=True, text=True)
    assert json.loads(out.stdout)["findings"] == [] and out.returncode == 0
