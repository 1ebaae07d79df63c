"""What an editor trips over outside the Markdown of a section (content/
README.md is their guide): paper.yaml's list of sections, file names, YAML,
and the macro files a paper's templates hold. Each mistake is reported at its
file and line with what to do, once: never a message about a consequence
instead of the cause."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import MINI, run_build
from paperpipe import model as m
from paperpipe.errors import Problems
from paperpipe.readers.spelling import spelt_on_disk
from paperpipe.readers.templates import TemplateCalls
from paperpipe.readers.yamlfile import parse_yaml


# ----------------------------------------------------------------------------- a macro file that loads itself
def _macro_problems(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str, str]]:
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    for name, text in files.items():
        (templates / name).write_text(text, encoding="utf-8")
    problems = Problems(tmp_path)
    TemplateCalls(templates, {"data": {}}, problems)
    return [(Path(p.file).name, p.line, p.message, p.advice) for p in problems.items]


@pytest.mark.parametrize("line", [
    '{% import "self.md.j2" as again %}',
    '{% from "self.md.j2" import first %}',
    '{% macro second() %}{% include "self.md.j2" %}{% endmacro %}',
    '{% macro second() %}{% include ["missing.md.j2", "self.md.j2"] %}{% endmacro %}',
])
def test_a_macro_file_that_loads_itself_is_named_at_the_line_that_does(line, tmp_path):
    """It was 'self.md.j2:22: the template nests too deep' for a 5-line file:
    the line of jinja's compiled Python, and Python's recursion limit."""
    found = _macro_problems(tmp_path, {"self.md.j2": "{% macro first() %}x{% endmacro %}\n\n\n" + line + "\n{% macro third() %}{% endmacro %}\n"})
    assert len(found) == 1, found
    file, at, message, advice = found[0]
    assert (file, at) == ("self.md.j2", 4)
    assert message.startswith("the macro file 'self.md.j2' " + ("includes" if "include" in line else "imports") + " itself")
    assert "remove that line" in advice
def test_macro_files_that_import_each_other_are_named_once_with_both_lines(tmp_path):
    found = _macro_problems(tmp_path, {"a.md.j2": '\n\n{% import "b.md.j2" as b %}\n', "b.md.j2": '{% from "a.md.j2" import x %}\n',
                                       "c.md.j2": '{% import "b.md.j2" as b %}{% macro c() %}{% endmacro %}\n'})
    assert [(f, at) for f, at, *_ in found] == [("a.md.j2", 3)], found
    assert "imports 'b.md.j2', which imports 'a.md.j2' (b.md.j2:1)" in found[0][2]


def test_a_macro_file_loading_itself_by_a_made_name_is_stopped_at_the_template_s_own_line(tmp_path):
    """A name made while running is not followed before: Python's recursion
    limit stops it, and the line is the template's (it was the compiled code's)."""
    found = _macro_problems(tmp_path, {"self.md.j2": '{% set name = "self" ~ ".md.j2" %}\n\n{% import name as again %}\n'})
    assert [(f, at) for f, at, *_ in found] == [("self.md.j2", 3)], found


def test_a_macro_file_that_imports_a_circle_of_others_is_not_reported_again(tmp_path):
    found = _macro_problems(tmp_path, {"0.md.j2": '{% import "b.md.j2" as b %}\n', "a.md.j2": '{% import "b.md.j2" as b %}\n',
                                       "b.md.j2": '\n{% import "a.md.j2" as a %}\n'})
    assert [(f, at) for f, at, *_ in found] == [("b.md.j2", 2)], found
    assert found[0][2].startswith("the macro file 'b.md.j2' imports 'a.md.j2', which imports 'b.md.j2' (a.md.j2:1)")


@pytest.mark.parametrize("unreadable, line, message", [
    (b"{% macro x() %}\n\xe9{% endmacro %}\n", 2, "the text is not UTF-8 (byte 0xe9)"),
    (b"x" * 1_000_001, 0, "the file is larger than the 1 MB a template file may be"),
    (b"{% macro x() %}\n\n{{ 1 | nofilter }}{% endmacro %}\n", 3, "template syntax error: No filter named 'nofilter'."),
])
def test_a_macro_file_that_cannot_be_read_is_named_once_and_a_file_importing_it_not_again(tmp_path, unreadable, line, message):
    """A macro file in Latin-1 was 'internal error: UnicodeDecodeError' (the
    check for import circles read it); a too-large one, or one that does
    not compile, was named a second time at the file that imports it, as a
    syntax error there (at the imported file's line)."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "b.md.j2").write_bytes(unreadable)
    found = _macro_problems(tmp_path, {"a.md.j2": '{% import "b.md.j2" as b %}\n{% macro y() %}y{% endmacro %}\n'})
    assert [(f, at, text) for f, at, text, _ in found] == [("b.md.j2", line, message)], found
    assert found[0][3] in ("save the file with UTF-8 encoding in your editor", "split the macros into several .md.j2 files",
                           "fix the template's Jinja2 syntax")


# ----------------------------------------------------------------------------- a file name with other capitals
def test_a_file_name_typed_with_other_capitals_names_the_file_as_it_is_spelt(tmp_path):
    """'Figures/Map.svg' for figures/map.svg was 'the image … was not found'
    on Linux and built on a Mac or Windows: now an error everywhere, naming
    the file as it is spelt on disk (also a section or data file in paper.yaml)."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    results = paper / "sections" / "02-results.md"
    results.write_text(results.read_text(encoding="utf-8").replace("](figures/map.svg)", "](Figures/Map.svg)"), encoding="utf-8")
    yaml = paper / "paper.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("sections/01-intro.md", "sections/01-Intro.md"), encoding="utf-8")
    done = run_build("check", "--content", str(paper))
    assert done.returncode == 1
    said = done.stdout + done.stderr
    assert "02-results.md:3: the image path 'Figures/Map.svg' differs in capitals from the file's name, 'figures/map.svg' — write 'figures/map.svg'" in said
    assert "the section path 'sections/01-Intro.md' differs in capitals from the file's name, 'sections/01-intro.md'" in said
    assert "was not found" not in said


def test_names_spelt_as_on_disk_or_missing_are_left_to_the_other_checks(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "Map.svg").write_text("<svg/>", encoding="utf-8")
    assert spelt_on_disk(tmp_path, "figures/Map.svg") is None
    assert spelt_on_disk(tmp_path, "./figures/Map.svg") is None
    assert spelt_on_disk(tmp_path, "figures/map.svg") == "figures/Map.svg"
    assert spelt_on_disk(tmp_path, "figures/other.svg") is None and spelt_on_disk(tmp_path, "../x/Map.svg") is None


# ----------------------------------------------------------------------------- a section file with nothing to print
@pytest.mark.parametrize("text", ["", "\ufeff\r\n", "\n  \n<!-- to write: the results -->\n"])
def test_a_listed_section_file_that_prints_nothing_is_a_warning(text, tmp_path):
    """It was read as nothing, without a word: a file saved empty by mistake
    (or its text pasted into another) went unnoticed."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    (paper / "sections" / "03-empty.md").write_bytes(text.encode("utf-8"))
    yaml = paper / "paper.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("  - sections/02-results.md\n", "  - sections/02-results.md\n  - sections/03-empty.md\n"),
                    encoding="utf-8")
    done = run_build("check", "--content", str(paper))
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    assert "sections/03-empty.md:1: this section file prints nothing (it is empty, or holds only comments) — " \
           "write its text, or take 'sections/03-empty.md' out of 'sections:' in paper.yaml" in said


def test_a_macro_of_another_file_not_imported_is_named_with_its_file_and_the_import_to_write(tmp_path):
    """The error was "'bb' is undefined — did you mean bb?": a macro file
    sees the macros of the files loaded before it only when it imports them."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "a.md.j2").write_text("{% macro aa() %}\nA{{ bb() }}{% endmacro %}\n", encoding="utf-8")
    (templates / "b.md.j2").write_text("{% macro bb() %}B{% endmacro %}\n", encoding="utf-8")
    problems = Problems(tmp_path)
    calls = TemplateCalls(templates, {"data": {}}, problems)
    assert calls.expand("{{ aa() }}", m.Source("x.md", 3), tmp_path / "x.md") is None
    (found,) = problems.items
    assert (Path(found.file).name, found.line) == ("a.md.j2", 2)
    assert found.message.startswith("the macro 'bb' of b.md.j2 is not known in a.md.j2 (called from ") and found.message.endswith("x.md:3)")
    assert found.advice == 'import it at the top of a.md.j2: {% from "b.md.j2" import bb %}'
    (templates / "a.md.j2").write_text('{% from "b.md.j2" import bb %}{% macro aa() %}\nA{{ bb() }}{% endmacro %}\n', encoding="utf-8")
    assert TemplateCalls(templates, {"data": {}}, Problems(tmp_path)).expand("{{ aa() }}", m.Source("x.md", 3), tmp_path / "x.md") == "\nAB"


# ----------------------------------------------------------------------------- YAML: a list item without its space
@pytest.mark.parametrize("text, line", [
    ("sections:\n  - sections/01-intro.md\n  -sections/02-results.md\n", 3),
    ("sections:\n  - sections/01-intro.md\n  -sections/02-results.md\n  - sections/03-end.md\n", 3),
])
def test_a_list_item_without_the_space_after_its_dash_is_named_at_its_line(text, line, tmp_path):
    """It was 'YAML error at column 1: could not find expected ':' (while
    scanning a simple key that starts on line 3)', at the line under it."""
    problems = Problems(tmp_path)
    assert parse_yaml(text, tmp_path / "paper.yaml", problems, 0) is None
    (found,) = problems.items
    assert (found.line, found.message, found.advice) == (
        line, "YAML error: '-sections/02-results.md' has no space after its '-', so it is not an item of the list",
        "write '- sections/02-results.md'")


# ----------------------------------------------------------------------------- a section listed by a wrong name
@pytest.mark.parametrize("typed", ["02-results.md", "sections/02-result.md"])
def test_a_section_listed_by_a_wrong_name_suggests_the_file_once(typed, tmp_path):
    """It was 'not found — check the name …', then 'this content file is not
    used' for the file meant: two messages for one slip, neither naming it."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    yaml = paper / "paper.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("  - sections/02-results.md\n", f"  - {typed}\n"), encoding="utf-8")
    done = run_build("check", "--content", str(paper))
    said = done.stdout + done.stderr
    assert f"section file '{typed}' not found — did you mean 'sections/02-results.md'?" in said
    assert "this content file is not used" not in said


def test_a_section_line_indented_one_space_more_is_named_as_joined_to_the_line_above(tmp_path):
    """YAML read '  - a.md' and '   - b.md' as one item 'a.md - b.md': 'not
    found', then both files 'not used'."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    yaml = paper / "paper.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("  - sections/02-results.md\n", "   - sections/02-results.md\n"), encoding="utf-8")
    done = run_build("check", "--content", str(paper))
    said = done.stdout + done.stderr
    assert "'sections/01-intro.md - sections/02-results.md' is read as one file name: the '- ' line under 'sections/01-intro.md' " \
           "is indented more than it, so the two lines were joined — start every '- ' line of the list in the same column" in said
    assert "this content file is not used" not in said and "not found" not in said


@pytest.mark.parametrize("value, read, quoted", [
    ("no", "not yes/no", '"NO"'),
    ("off", "not yes/no", '"NO"'),
    ("1.10", "not a number", '"1.10"'),
])
def test_a_word_or_number_yaml_reads_as_another_kind_is_told_to_be_quoted(value, read, quoted, tmp_path):
    """'subject: no' (or a country code NO) is read by YAML as yes/no, and
    '1.10' as the number 1.1: the message said only that text was wanted."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    text = (paper / "paper.yaml").read_text(encoding="utf-8")
    lines = [f"subject: {value}" if line.startswith("subject:") else line for line in text.splitlines()]
    (paper / "paper.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_build("--check", "--content", str(paper))
    assert result.returncode == 1
    at = lines.index(f"subject: {value}") + 1
    assert f"paper.yaml:{at}: 'subject' must be text, {read} — YAML reads a bare" in result.stderr, result.stderr
    assert f"({quoted})" in result.stderr


# ----------------------------------------------------------------------------- NUL characters: UTF-16, or one pasted
@pytest.mark.parametrize("file, data, line, said", [
    ("sections/02-results.md", "# Results {#results}\n\nWords.\n".encode("utf-16-le"), 1, "every other character is an invisible NUL (U+0000)"),
    ("sections/02-results.md", "# Results {#results}\n\nWor\0ds.\n".encode(), 3, "an invisible control character (U+0000) is in the text"),
    ("paper.yaml", (MINI / "paper.yaml").read_text(encoding="utf-8").encode("utf-16-le"), 1, "as in a file saved as UTF-16"),
])
def test_a_file_with_nul_characters_is_named_as_such_at_its_line(file, data, line, said, tmp_path):
    """A section saved as UTF-16 without its byte order mark (valid UTF-8,
    every other byte a NUL) gave 'cross-reference to unknown id' in the
    other sections and "the character '�' (U+FFFD) cannot be drawn", and a
    NUL pasted into a sentence the latter: Markdown makes a NUL a '�'."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    (paper / file).write_bytes(data)
    result = run_build("check", "--content", str(paper), cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("paper/")]
    assert len(lines) == 1 and lines[0].startswith(f"paper/{file}:{line}: ") and said in lines[0], result.stderr
    assert "save the file with UTF-8" in lines[0] or "delete it" in lines[0]


# ----------------------------------------------------------------------------- text of only spaces in paper.yaml
@pytest.mark.parametrize("old, new, line, said", [
    ("title: Maritime Clusters and the Blue Economy", "title: '   '", 2, "'title' holds only spaces, so nothing would be printed"),
    ('  - "Gdańsk, Poland – 5 March 2024"\ncover', '  - " "\ncover', 11, "item 2 of 'header' holds only spaces"),
    ("title: Maritime Clusters and the Blue Economy", "title: ''", 2, "'title' is empty"),
])
def test_a_text_of_only_spaces_in_paper_yaml_is_an_error_at_its_line(old, new, line, said, tmp_path):
    """'title: "   "' built a paper without a title (the cover, the running
    header and the files' properties blank), silently: only '' was refused."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    text = (paper / "paper.yaml").read_text(encoding="utf-8")
    (paper / "paper.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_build("check", "--content", str(paper), cwd=tmp_path)
    lines = [line for line in result.stderr.splitlines() if line.startswith("paper/")]
    assert result.returncode == 1 and len(lines) == 1 and lines[0].startswith(f"paper/paper.yaml:{line}: {said}"), result.stderr


# ----------------------------------------------------------------------------- a link that leads back to itself
@pytest.mark.parametrize("link, edit, said", [
    ("sections/loop.md", None, "paper/sections/loop.md:1: this content file is not used"),
    ("sections/loop.md", ("  - sections/02-results.md\n", "  - sections/02-results.md\n  - sections/loop.md\n"),
     "paper/paper.yaml:23: the section path 'sections/loop.md' is a link that leads back to itself"),
    ("data/people.yaml", ("sections:", "data: {people: data/people.yaml}\nsections:"),
     "paper/paper.yaml:20: the data file path 'data/people.yaml' is a link that leads back to itself"),
    ("figures/loop.png", "svg", "paper/figures/map.svg:2: <image> refers to 'loop.png', a link that leads back to itself"),
])
def test_a_link_that_leads_back_to_itself_is_named_once(link, edit, said, tmp_path):
    """A symbolic link to itself in the paper's folder (a copy gone wrong)
    was 'internal error: RuntimeError: Symlink loop from …': pathlib's
    resolve() raises RuntimeError, not OSError, for one."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    (paper / link).parent.mkdir(exist_ok=True)
    (paper / link).symlink_to(Path(link).name)
    if edit == "svg":
        svg = paper / "figures" / "map.svg"
        svg.write_text(svg.read_text(encoding="utf-8").replace(">", '>\n<image href="loop.png" width="9" height="9"/>', 1), encoding="utf-8")
    elif edit:
        yaml_file = paper / "paper.yaml"
        yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    result = run_build("check", "--content", str(paper), cwd=tmp_path)
    lines = [line for line in result.stderr.splitlines() if line.startswith("paper/")]
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert len(lines) == 1 and lines[0].startswith(said), result.stderr
