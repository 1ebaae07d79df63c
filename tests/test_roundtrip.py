"""No text is lost silently: every word of every source file, after its
template calls and expressions are expanded, is in the PDF's text, in the
DOCX's text and in the web page's text (issues 8 and 15). Words are compared case-insensitively, as sets per
source file; what is not printed by design (ids and attributes, link
addresses, picture paths, YAML keys of ```table blocks, the ids of [@person]
references) is left out of the source's words. A Markdown construct that
silently drops text, or a writer that skips a kind of block, fails here."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.html
import pytest
import yaml
from pypdf import PdfReader

from conftest import CONTENT, MINI, ROOT

WORD = re.compile(r"\w+")
CALL = re.compile(r"\{\{(?:(?!\}\}).)*\}\}", re.S)
FENCE = re.compile(r"^```table[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
ATTRS = re.compile(r"(?<!\{)\{(?!\{)[^{}]*\}")
LINK_TARGET = re.compile(r"\]\(([^()]|\([^()]*\))*\)")


def _yaml_words(text: str) -> str:
    """The printed strings of a ```table block: its caption and its cells."""
    data = yaml.safe_load(text) or {}
    out: list[str] = [str(data.get("caption", ""))]

    def cell(value):
        if isinstance(value, dict):
            out.append(str(value.get("text", "")))
        elif isinstance(value, list):
            for item in value:
                cell(item)
        elif value is not None:
            out.append(str(value))

    for row in data.get("rows") or []:
        cell(row.get("cells") if isinstance(row, dict) else row)
    return "\n\n".join(_printed(t) for t in out)


def _printed(markdown: str) -> str:
    """Markdown without what is not printed: attributes, link targets, table YAML keys."""
    markdown = FENCE.sub(lambda m: _yaml_words(m.group(1)), markdown)
    markdown = ATTRS.sub(" ", markdown)
    markdown = LINK_TARGET.sub("]", markdown)
    markdown = re.sub(r"\[@[\w.-]+\]", " ", markdown)  # a person reference prints the person's name, not the id
    markdown = re.sub(r"^:::+\s*(sidebar|figure)?", " ", markdown, flags=re.M)
    markdown = re.sub(r"^Table:", " ", markdown, flags=re.M)
    return markdown


def source_words(content: Path, templates: Path, monkeypatch) -> dict[str, set[str]]:
    """Per source file, its printed words, template calls replaced by what they wrote."""
    from paperpipe.pipeline import load
    from paperpipe.readers import templates as jinja

    written: dict[str, str] = {}
    expand = jinja.TemplateCalls.expand

    def recording(self, call, src, file, *args, **kwargs):
        text = expand(self, call, src, file, *args, **kwargs)
        if text is not None:
            written[call.strip()] = text
        return text

    monkeypatch.setattr(jinja.TemplateCalls, "expand", recording)
    loaded = load(content, templates)
    words: dict[str, set[str]] = {}
    for block in loaded.doc.blocks:
        file = Path(block.source.file)
        if file.name in words:
            continue
        text = loaded.problems.path(file).read_text(encoding="utf-8")  # a Source's file, shown from the cwd, back as a path
        for _ in range(3):  # calls write calls
            text = CALL.sub(lambda m: written.get(m.group(0).strip(), m.group(0)), text)
        words[file.name] = {w.lower() for w in WORD.findall(_printed(text))}
    meta = loaded.doc.meta
    cover = meta.cover or {}
    printed_meta = [meta.title, *meta.header, str(cover.get("title", "")), *map(str, cover.get("lines") or []),
                    str(cover.get("kind", "")), str(cover.get("footer", ""))]
    words["paper.yaml"] = {w.lower() for w in WORD.findall(" ".join(printed_meta))}
    return words


def pdf_words(path: Path) -> set[str]:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return {w.lower() for w in WORD.findall(text)}


def docx_words(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as docx:
        xml = " ".join(docx.read(n).decode("utf-8") for n in docx.namelist() if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n))
    text = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    import html

    return {w.lower() for w in WORD.findall(html.unescape(text))}


def html_words(path: Path) -> set[str]:
    """The page's text: every element's text apart (<td>a</td><td>b</td> is two words), without styles and scripts."""
    tree = lxml.html.fromstring(path.read_bytes())
    for junk in tree.xpath("//script|//style"):
        junk.drop_tree()
    numbers = [str(int(ol.get("start", 1)) + i) for ol in tree.body.iter("ol") for i, _ in enumerate(ol.findall("li"))]
    return {w.lower() for w in WORD.findall(" ".join([*tree.body.itertext(), *numbers]))}  # a list's numbers are the browser's


@pytest.mark.parametrize("paper", ["real", "mini"])
def test_every_source_word_is_in_the_pdf_the_docx_and_the_page(paper, paper_out, mini_out, monkeypatch):
    content, out = (CONTENT, paper_out) if paper == "real" else (MINI, mini_out)
    [pdf] = out.glob("*.pdf")
    [docx] = out.glob("*.docx")
    [page] = out.glob("*.html")
    printed = {"pdf": pdf_words(pdf), "docx": docx_words(docx), "html": html_words(page)}
    missing = {}
    for file, words in source_words(content, ROOT / "templates", monkeypatch).items():
        lost = {fmt: sorted(words - found) for fmt, found in printed.items() if words - found}
        if lost:
            missing[file] = lost
    assert not missing, missing
