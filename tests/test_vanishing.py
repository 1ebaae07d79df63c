"""No word vanishes with exit 0 (issue 15): each Markdown construct either
prints every word in the PDF, the DOCX and the web page, or is refused with
its file, line and advice. The hostile section below holds the constructs
that print; each of its marker words (wq1 … wq99) is looked for in all three
outputs. The refused constructs are read one by one and must give an error at
their line."""
from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings as hsettings, strategies as hst
from pypdf import PdfReader

from paperpipe import model as m
from paperpipe.pipeline import build
from paperpipe.errors import Problems
from paperpipe.readers.markdown import MarkdownReader
from paperpipe.links import is_web_link
from paperpipe.native import dump
from paperpipe.visit import plain_text

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
MARK = re.compile(r"\bwq\d+\b")

# Constructs that print: braces that are not attributes, other attribution
# marks, hard breaks, escapes, entities, short table rows, literal syntax
# that CommonMark leaves as text.
HOSTILE = r"""## Hostile words {wq1}

Code then braces `wq2`{wq3} and `wq4`{.wq5}, a link then braces
[wq6](https://example.eu/){wq7} and [wq8](https://example.eu/){#wq9}.

Table: Costs {wq10 wq11}

| wq12 | wq13 |
|------|------|
| wq14 \| wq15 | wq16 |
| wq17 |

> wq18 spoke.
>
> ―wq19 wq20, wq21

> wq22 spoke.
>
> – wq23 wq24

> wq25 spoke.
>
> --wq26 wq27

> wq28 spoke.
>
> —wq29 *wq30*

A hard break wq31\
wq32 and another wq33  
wq34.

Escapes \*wq35\* and \[wq36\], entities &amp; wq37 &copy;, a lone \[^wq38]
and ~~wq39~~ and <https://example.eu/wq40> printed.

An escaped footnote mark wq48\[^wq49].

\[^wq49]: The wq50 words of a note that is no link definition.

### Third level wq41 {-}

::: figure Panel wq42 {wq43} {#fig-hostile}

- wq44

:::

1. wq45
2. wq46
   - wq47

> - wq51 in a quoted list
>
>   ::: sidebar Box wq52
>   wq53 words in a box in a list in a quotation
>   :::
"""


def _text_pdf(path: Path) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _text_docx(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _text_html(path: Path) -> str:
    tree = lxml.html.fromstring(path.read_bytes())
    for junk in tree.xpath("//script|//style"):
        junk.drop_tree()
    return " ".join(tree.body.itertext())  # each element's text apart: <td>a</td><td>b</td> is "a b"


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory) -> Path:
    paper = tmp_path_factory.mktemp("hostile") / "paper"
    shutil.copytree(MINI, paper)
    results = paper / "sections" / "02-results.md"
    results.write_text(results.read_text(encoding="utf-8") + "\n\n" + HOSTILE, encoding="utf-8")
    out = paper.parent / "out"
    report = build(paper, ROOT / "templates", out, ("pdf", "docx", "html"))
    assert report.warnings == []
    return out


@pytest.mark.parametrize("fmt, text", [("pdf", _text_pdf), ("docx", _text_docx), ("html", _text_html)])
def test_every_hostile_word_is_printed(fmt, text, hostile_outputs):
    [path] = hostile_outputs.glob(f"*.{fmt}")
    expected = set(MARK.findall(HOSTILE))
    assert len(expected) == 53
    printed = set(MARK.findall(text(path)))
    assert expected - printed == set(), f"missing from the {fmt}"


def test_other_attribution_marks_keep_every_word(hostile_outputs):
    """The mark goes, the name stays whole: '―wq19 wq20' is said by 'wq19 wq20'."""
    blocks = _read(HOSTILE)[0]
    quotes = [b for b in blocks if isinstance(b, m.Quote)]
    assert [plain_text(q.attribution) for q in quotes] == ["wq19 wq20, wq21", "wq23 wq24", "wq26 wq27", "wq29 wq30", ""]


def _read(text: str, tmp: Path | None = None):
    folder = tmp or MINI
    problems = Problems(folder)
    path = folder / "x.md"
    blocks = MarkdownReader(path, problems, resolve_path=lambda rel, src: folder / rel).read(text)
    return blocks, problems


# (Markdown, words of the message, line): each is refused with advice
REFUSED = [
    ("Intro.\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", "the row has 3 cells but the table's header has 2", 5),
    ("- item\n\n  | a |\n  |---|\n  | 1 | 2 |\n", "the row has 2 cells", 5),
    ("Sources:\n\n[1]: https://example.eu/\n", "the link definition '[1]: https://example.eu/' is not printed", 3),
    ("See [the site][eu].\n\n[eu]: https://example.eu/ \"Its title\"\n", "the link definition", 3),
    ("Go to [the site](http:example.eu).\n", "'http:example.eu' has no '//' after 'http:'", 1),
    ("Go to <https:example.eu>.\n", "has no '//' after 'https:'", 1),
    ("A\nGo to [the site](https:///x).\n", "neither a web address nor '#id'", 2),
    ("Go to [the site](https://example.eu \"Title words\").\n", "the link's title \"Title words\" is not printed", 1),
    ('![Map](a.svg "Title"){#fig-a alt="A map"}\n', "the picture's title \"Title\" is not printed", 1),
    ('![Map](a.svg){#fig-a alt="A map" caption="More words"}\n', "'caption' is not an attribute of a figure", 1),
    ("# Heading {#h lang=fr}\n", "'lang' is not an attribute of a heading", 1),
    ("> Words.\n>\n> —\n", "names nobody", 3),
    ("A\n\nSee [](https://example.eu/) and [ ](mailto:a@example.eu).\n", "the link to 'https://example.eu/' has no text", 3),
    ("See [ ](mailto:a@example.eu).\n", "the link to 'mailto:a@example.eu' has no text", 1),
    ("![Map](a.svg){wq1}\n", "must stand alone", 1),
    ("x\n\n###### Six\n", "heading level 6", 3),
    ("x\n\n0. zero\n1. one\n", "a numbered list cannot start at 0", 3),
    ("x\n\n```table Costs in euros\nrows: [[a]]\n```\n", "the words after '```table' ('Costs in euros') would not be printed", 3),
    ("x\n\n<!-- a note --> Words after it\n", "the words after '-->' on the comment's line would not be printed", 3),
    ("x\n\n<!-- a note left open\n\nWords.\n", "the comment '<!--' is not closed by '-->'", 3),
    ("Some <span>words</span>\n", "raw HTML '<span>' is not supported", 1),
    ("<div>\nwords\n</div>\n", "raw HTML is not supported", 1),
    ("Note[^1].\n\n[^1]: note\n", "the link definition '[^1]: note'", 3),
    ("A footnote wq48[^wq49].\n", "'[^wq49]' would be printed as typed: footnotes are not supported", 1),
    ("x\n\n[^wq49]: The wq50 words of a note that is no link definition.\n", "'[^wq49]' would be printed as typed", 3),
]


@pytest.mark.parametrize("text, phrase, line", REFUSED)
def test_refused_with_line_and_advice(text, phrase, line, tmp_path):
    (tmp_path / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    _, problems = _read(text, tmp_path)
    found = [p for p in problems.items if phrase in p.message]
    assert found, [str(p) for p in problems.items]
    assert found[0].line == line, str(found[0])
    assert found[0].advice and found[0].severity == "error"


@pytest.mark.parametrize("href", [
    "https://example.eu/", "http://example.eu", "mailto:a@example.eu", "ftp://example.eu/x", "file:///etc/passwd",
    "http:example.eu", "https:/example.eu", "https:///x", "javascript:alert(1)", "HTTPS://EXAMPLE.EU",
    "//example.eu", "mailto:", "https://", "data:text/html,x",
])
def test_one_rule_for_web_addresses_in_every_output(href, tmp_path):
    """A link the reader keeps is one every output links (paperpipe/links.py):
    an address is refused at its line, or linked in all three."""
    blocks, problems = _read(f"Go [there]({href}).\n", tmp_path)
    links = [n for n in blocks[0].children if isinstance(n, m.Link)]
    if links:
        assert problems.items == [] and is_web_link(links[0].url)
    else:  # refused, or not a link to Markdown at all and printed as typed
        refused = any(p.line == 1 and p.severity == "error" for p in problems.items)
        assert refused or plain_text(blocks[0].children) == f"Go [there]({href})."


# paper.yaml texts the cover or the running header print: (text replaced,
# replacement, words of the message, the line of paper.yaml it names)
LONG_WORD = "Supercalifragilisticexpialidocious" * 3
TOO_BIG = [
    ('  - "Gdańsk, Poland – 5 March 2024"\n', '  - "Gdańsk, Poland – 5 March 2024' + ", and on" * 30 + '"\n',
     "the running header's line 'Gdańsk", 11),
    ('  - "Maritime Clusters and the Blue Economy"\n', "".join(f'  - "line {i}"\n' for i in range(6)), "the running header (all its lines) does not fit", 13),
    ('    - "Workshop organised by the Example Cluster Network"\n',
     '    - "Workshop organised by the Example Cluster Network"\n' + "".join(f'    - "line {i}"\n' for i in range(9)),
     "the text of the cover's band (its title and lines) does not fit", 21),
    ('    - "Workshop organised by the Example Cluster Network"\n', f'    - "Workshop {LONG_WORD}"\n', "a word of the cover's line 'Workshop", 15),
    ('  title: "Maritime Clusters and the Blue Economy"\n', '  title: "' + "Maritime Clusters " * 30 + '"\n', "the text of the cover's band", 13),
    ('  footer: "An example paper used by the tests"\n', '  footer: "An example paper used by the tests' + ", and by others" * 8 + '"\n',
     "the cover's footer line (beside the logos) does not fit", 18),
    ('  kind: "Output paper – T1.01"\n', '  kind: "Output paper – T1.01' + " and more" * 120 + '"\n', "the cover's kind line", 17),
    # a logo the page cannot hold was said as the footer's or the kind line's ('the page has -1985 mm for it')
    ('  footer: "An example paper used by the tests"\n', '  footer: "Tests"\n  logos:\n    - {file: figures/map.svg, alt: A map, width: 60, height: 30}\n'
     '    - {file: figures/map.svg, alt: A map, width: 6000, height: 30}\n', "the cover's logo 'map.svg' (beside the logos before it)", 21),
    ('  footer: "An example paper used by the tests"\n', '  footer: "Tests"\n  logos:\n    - {file: figures/map.svg, alt: A map, width: 60, height: 3000}\n',
     "the cover's logo 'map.svg' (between the page's foot and the band)", 20),
]


@pytest.mark.parametrize("old, new, phrase, line", TOO_BIG)
def test_cover_and_header_lines_that_do_not_fit_are_errors_at_their_line(old, new, phrase, line, tmp_path):
    """Never cut from the PDF (and kept in the DOCX and the page): the build stops at the line."""
    from paperpipe.errors import BuildError
    from paperpipe.pipeline import load, render

    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    yaml_file = paper / "paper.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    assert old in text
    yaml_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    loaded = load(paper, ROOT / "templates")
    with pytest.raises(BuildError) as failed:
        render(loaded, ("pdf",), ROOT / "templates")
    [problem] = [p for p in failed.value.problems if p.severity == "error"]
    assert phrase in problem.message and "does not fit" in problem.message, str(problem)
    assert (problem.file, problem.line) == (loaded.problems.rel(yaml_file), line), str(problem)
    assert problem.advice


def test_a_person_in_a_box_title_or_alt_text_is_printed_by_name(tmp_path):
    """[@id] was printed as typed in a box's title and a figure's alt text."""
    (tmp_path / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    calls: list[str] = []

    def expand(call: str, src) -> str:
        calls.append(call)
        return "Anna Example" if call == '{{ person("anna") }}' else "?"

    problems = Problems(tmp_path)
    text = '::: sidebar Talk by [@anna], as typed\nWords.\n:::\n\n![Map](a.svg){#fig-a alt="A map drawn by [@anna]"}\n'
    sidebar, figure = MarkdownReader(tmp_path / "x.md", problems, expand=expand, resolve_path=lambda rel, src: tmp_path / rel).read(text)
    assert problems.items == []
    assert sidebar.title == "Talk by Anna Example, as typed"  # Markdown there ('*as typed*') is an error: test_editor_mistakes
    assert figure.description == "A map drawn by Anna Example"
    assert calls == ['{{ person("anna") }}'] * 2


# ---------------------------------------------------------------------- property: the reader drops no word
# Inline and block forms, each word a marker; hypothesis combines them. A text
# the reader takes without an error must keep every marker in the model
# (an id or a class in braces at the end of a heading's or a caption's line is an
# attribute, not printed by design; anywhere else braces are text).
INLINE_FORMS = ["{w}", "*{w}*", "**{w}**", "_{w}_", "`{w}`", "[{w}](https://example.eu/)", "[{w}](#sec)", "{w}\\\n{w}",
                "{w}  \n{w}", "{{{w}}}", "{{#{w}}}", "{{.{w}}}", "`{w}`{{{w}}}", "[{w}](https://example.eu/){{.{w}}}",
                "\\*{w}\\*", "&amp;{w}", "<{w}@example.eu>", "[{w}]", "[{w}][{w}]", "~~{w}~~", "[^{w}]", "<!-- c --> {w}",
                "{w}: {w}", "| {w}", "{w} #", "— {w}", "{w}{{{w} {w}}}"]
BLOCK_FORMS = ["{l}", "# {l}", "## {l} {{#{i}}}", "### {l} {{-}}", "- {l}\n- {l}", "3. {l}\n4. {l}", "> {l}\n>\n> — {l}",
               "> {l}\n>\n> ―{l}", "> {l}\n>\n> –{l}", "| {w} | {w} |\n|---|---|\n| {l} | {l} |", "Table: {l}\n\n| {w} |\n|---|\n| {l} |",
               "::: sidebar {l}\n{l}\n:::", "::: figure {l} {{#fig-{i}}}\n{l}\n:::", "::: note {l}\n{l}\n:::", "{l}\n===", "{l}\n{l}",
               "- {l}\n\n  > {l}", "- {l}\n\n  | {w} |\n  |---|\n  | {l} |", "> - {l}\n>   - {l}"]


@hst.composite
def _marked_markdown(draw) -> str:
    count = iter(range(1, 10_000))

    def line() -> str:
        forms = draw(hst.lists(hst.sampled_from(INLINE_FORMS), min_size=1, max_size=4))
        return " ".join(words(form) for form in forms)

    def words(form: str) -> str:  # each {w} a word of its own
        while "{w}" in form:
            form = form.replace("{w}", f"mk{next(count)}", 1)
        return form.replace("{{", "{").replace("}}", "}")

    blocks = []
    for form in draw(hst.lists(hst.sampled_from(BLOCK_FORMS), min_size=1, max_size=5)):
        form = form.replace("{i}", f"id{next(count)}")
        while "{l}" in form or "{w}" in form:
            form = form.replace("{w}", f"mk{next(count)}", 1) if form.find("{w}") != -1 and (form.find("{l}") == -1 or form.find("{w}") < form.find("{l}")) \
                else form.replace("{l}", line(), 1)
        blocks.append(form.replace("{{", "{").replace("}}", "}"))
    return "\n\n".join(blocks) + "\n"


@hsettings(max_examples=int(os.environ.get("PAPERPIPE_EXAMPLES", "150")), deadline=None)
@given(text=_marked_markdown())
def test_the_reader_keeps_every_word_or_reports_an_error(text):
    problems = Problems(MINI)
    blocks = MarkdownReader(MINI / "x.md", problems).read(text)
    if problems.errors:
        return
    shown = dump(blocks).replace("\\n", " ")
    for word in set(re.findall(r"mk\d+", text)):
        attribute = rf"\{{[#.]{word}\}}[ \t]*"
        if re.search(rf"^#+ .*{attribute}$|^Table: (?:[^\n]|\n(?!\n))*?{attribute}$|{attribute}\n=+$", text, re.M):
            continue  # an attribute at the end of a heading or a caption
        assert re.search(rf"(?<![0-9A-Za-z]){word}(?!\d)", shown), (word, text, shown)
