"""Facts written once: ``{{ paper.* }}`` anywhere in the text (a sentence, a
list item, a table cell, a heading, a box title) and in paper.yaml's cover,
header, subject and output name; an expression that cannot be expanded is an
error on its line, never printed raw. Built in-process from a copy of the
mini paper, checked in the real PDF."""
from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from paperpipe.pipeline import build, load
from paperpipe.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
TEMPLATES = ROOT / "templates"

PAPER = """\
title: Ports *and* Tides
author: Example Cluster Network
subject: "Output paper of “{{ paper.title }}”, {{ paper.place }}"
language: en-GB
date: "2024-03-05"
deliverable: T9.99
place: Gdańsk, Poland
when: 5–6 March 2024
output: "{{ paper.deliverable }}-ports"
header:
  - "“{{ paper.title }}”"
  - "{{ paper.place }} – {{ paper.when }}"
cover:
  title: "{{ paper.title }}"
  lines: ["{{ paper.place }} – {{ paper.when }}"]
  kind: "Output paper – {{ paper.deliverable }}"
sections: [sections/01-intro.md]
"""

SECTION = """\
# About {{ paper.deliverable }} {#intro}

The workshop “{{ paper.title }}” met in {{ paper.place }} on {{ paper.when }}.

- the deliverable {{ paper.deliverable }} in a list item
- dated {{ paper.date }}

| Fact | Value |
|------|-------|
| Title | {{ paper.title }} in a cell |

Table: Facts of {{ paper.deliverable }} {#tab-facts}

```table
rows:
  - cells: [Where, "{{ paper.place }} (grid cell)"]
```

::: sidebar Held on {{ paper.when }}
Literal: `{{ paper.title }}` and \\{{ paper.title }}.
:::
"""


def _paper(tmp_path: Path, section: str = SECTION, paper: str = PAPER) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "sections").mkdir()
    (content / "paper.yaml").write_text(paper, encoding="utf-8")
    (content / "sections" / "01-intro.md").write_text(section, encoding="utf-8")
    return content


def _problems(content: Path) -> list[str]:
    with pytest.raises(BuildError) as caught:
        load(content, TEMPLATES)
    return [str(p) for p in caught.value.problems]


def test_facts_print_in_sentence_list_item_table_cells_heading_box_cover_and_header(tmp_path):
    content = _paper(tmp_path)
    report = build(content, TEMPLATES, tmp_path / "out", ("pdf",))
    assert report.warnings == []
    pdf = tmp_path / "out" / "T9.99-ports.pdf"  # the output name used {{ paper.deliverable }}
    reader = PdfReader(pdf)
    cover = reader.pages[0].extract_text()
    assert "Ports *and* Tides" in cover and "Output paper – T9.99" in cover and "Gdańsk, Poland – 5–6 March 2024" in cover
    text = "\n".join(page.extract_text() for page in reader.pages[1:])
    assert "“Ports *and* Tides”" in text  # the running header, the title's stars printed as stars
    for expected in (
        "About T9.99",                                         # heading (and contents)
        "The workshop “Ports *and* Tides” met in Gdańsk, Poland on 5–6 March 2024.",  # sentence
        "the deliverable T9.99 in a list item",               # list item
        "dated 2024-03-05",
        "Ports *and* Tides in a cell",                         # pipe-table cell
        "Gdańsk, Poland (grid cell)",                          # YAML grid-table cell
        "Facts of T9.99",                                      # caption
        "Held on 5–6 March 2024",                              # box title
        "Literal: {{ paper.title }} and {{ paper.title }}.",   # code span and escape stay literal
    ):
        assert expected in text, expected
    assert reader.metadata["/Subject"] == "Output paper of “Ports *and* Tides”, Gdańsk, Poland"


def test_the_real_paper_types_each_fact_once():
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "content").rglob("*") if p.suffix in (".md", ".yaml") and p.name != "README.md"]
    everything = "\n".join(texts)
    for fact in ("Clusters Driving the Green and Digital Transition", "D4.04b06", "22/23 November 2021", "Saint-Ouen, France"):
        assert everything.count(fact) == 1, fact
    from conftest import real_paper

    loaded = real_paper()  # the real paper as the worker read it once (conftest)
    assert loaded.doc.meta.cover["kind"] == "Output paper – D4.04b06"
    assert loaded.doc.meta.header == ("“Clusters Driving the Green and Digital Transition”", "Saint-Ouen, France – 22/23 November 2021")


@pytest.mark.parametrize("text, line, phrase", [
    ("Intro\n\nA {{ paper.titel }} here.\n", 3, "did you mean paper.title?"),
    ("Intro\n\n- a {{ nothing }}\n", 3, "'nothing' is undefined"),
    ("Intro\n\nOpen {{ paper.title and more\n", 3, "'{{' is not closed by '}}'"),
    ("Intro\n\nA {% if x %} b\n", 3, "'{%' statements cannot be used"),
    ("Intro\n\n| a |\n|---|\n| {{ paper.nope }} |\n", 5, "paper.yaml has no fact 'nope'"),
])
def test_an_expression_that_cannot_be_expanded_is_an_error_on_its_line(tmp_path, text, line, phrase):
    content = _paper(tmp_path, "# Title {#t}\n\n" + text)
    problems = _problems(content)
    assert any(f"sections/01-intro.md:{line + 2}:" in p and phrase in p for p in problems), problems


def test_a_block_macro_inside_a_sentence_is_refused(tmp_path):
    content = _paper(tmp_path, "# Title {#t}\n\nSee {{ recommendations_table({'groups': [{'heading': 'A', 'recommendations': ['x']}]}) }} here.\n")
    problems = _problems(content)
    assert any(":3:" in p and "writes several lines" in p and "alone in its own paragraph" in p for p in problems), problems


def test_a_fact_cannot_use_an_expression_and_cover_errors_have_their_line(tmp_path):
    paper = PAPER.replace("deliverable: T9.99", "deliverable: \"{{ paper.title }}\"").replace(
        'kind: "Output paper – {{ paper.deliverable }}"', 'kind: "Output paper – {{ paper.delivrable }}"')
    problems = _problems(_paper(tmp_path, paper=paper))
    assert any("paper.yaml:6:" in p and "'deliverable' is a fact" in p for p in problems), problems
    assert any("paper.yaml:16:" in p and "did you mean paper.deliverable?" in p for p in problems), problems


def test_a_fact_paper_yaml_leaves_out_or_an_empty_value_is_an_error_where_it_is_printed(tmp_path):
    """'place:' and 'when:' may be left out of paper.yaml, and then
    '{{ paper.when }}' printed nothing ('met in Gdańsk on .'), as did
    '{{ person("x").role }}' for a person without a role: the sentence lost
    its words in every output, without a word."""
    paper = PAPER.replace("when: 5–6 March 2024\n", "").replace(" – {{ paper.when }}", "")
    section = ("# Title {#t}\n\nMet in {{ paper.place }} on {{ paper.when }}.\n\n"
               "Opened by {{ person('anna').name }}, {{ person('anna').role }}.\n")
    content = _paper(tmp_path, section, paper + "data:\n  people: data/people.yaml\n")
    (content / "data").mkdir()
    (content / "data" / "people.yaml").write_text("anna:\n  name: Anna Berg\n  organisation: Port of Gdańsk\n", encoding="utf-8")
    problems = _problems(content)
    assert [p.split(" — ")[0].split("content/", 1)[1] for p in problems] == [
        "sections/01-intro.md:3: paper.yaml gives no 'when', so {{ paper.when }} would print nothing",
        "sections/01-intro.md:5: '{{ person('anna').role }}' prints nothing here: what it reads is empty or not given"], problems
    assert "add 'when: …' to paper.yaml" in problems[0] and "write the value in the data file" in problems[1]
