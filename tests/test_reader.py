"""Golden tests of the Markdown reader: each tests/fixtures/reader/NAME.md
is read into the model and compared, in native form, with NAME.native.
Set UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from paperpipe.errors import Problems
from paperpipe.native import dump
from paperpipe.readers.markdown import MarkdownReader

FIXTURES = Path(__file__).parent / "fixtures" / "reader"
CASES = sorted(p.stem for p in FIXTURES.glob("*.md"))


def read(name: str):
    problems = Problems(FIXTURES)
    path = FIXTURES / f"{name}.md"
    reader = MarkdownReader(path, problems, resolve_path=lambda rel, src: FIXTURES / rel)
    return reader.read(path.read_text(encoding="utf-8")), problems


@pytest.mark.parametrize("name", CASES)
def test_golden(name):
    blocks, problems = read(name)
    assert [str(p) for p in problems.items] == []
    got = dump(blocks) + "\n"
    expected_file = FIXTURES / f"{name}.native"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")


def test_cases_exist():
    assert {"inline", "blocks", "tables", "figures"} <= set(CASES)


@pytest.mark.parametrize("text, phrase, line", [
    ("para\n\n<div>x</div>\n", "raw HTML is not supported", 3),
    ("Some <b>bold</b> text\n", "raw HTML '<b>' is not supported", 1),
    ("# A\n\n#### Too deep\n", "heading level 4", 3),
    ("[x](page.html)\n", "neither a web address nor '#id'", 1),
    ("```python\nprint(1)\n```\n", "code blocks are not printed", 1),
    ("text ![img](a.png) inline\n", "must stand alone", 1),
    ("Intro\n\n![A map](a.svg){#fig-a}\n", "the figure has no alt text", 3),
    ("![A map](a.svg){#fig-a alt=\"a  Map\"}\n", "alt text repeats its caption", 1),
    ("```table\nrows: [[a, {text: b, colspan: 0}]]\n```\n", "'colspan' must be a whole number", 2),
    ("```table\nrows: [\n```\n", "YAML error", 3),
])
def test_reader_reports_problems_with_lines(text, phrase, line, tmp_path):
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    problems = Problems(tmp_path)
    MarkdownReader(path, problems, resolve_path=lambda rel, src: tmp_path / rel).read(text)
    matches = [p for p in problems.items if phrase in p.message]
    assert matches, [str(p) for p in problems.items]
    assert matches[0].line == line, str(matches[0])
    assert matches[0].advice
