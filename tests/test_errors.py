"""Every problem class of the editors' safety net, each made with a real bad
content folder: a copy of tests/fixtures/mini with one thing broken (static
bad files live in tests/fixtures/bad/), checked through the command line
(``build.py --check``) for the file, the line, a key phrase of the message
and of the advice, and the exit status.

Templates come from a copy of templates/ (style and fonts) with the test's
own macros, so the tests depend neither on content/ nor on the real macros.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import conftest
from conftest import copy_templates

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
BAD = ROOT / "tests" / "fixtures" / "bad"

MACROS = """\
{#- macros used by the tests -#}
{%- macro greet(name) -%}
Hello **{{ name|md }}**.
{%- endmacro -%}

{%- macro speakers() -%}
Speakers: {{ data.people.speakers|join(", ") }}
{%- endmacro -%}
"""

_LINE = re.compile(r"^(?:warning: )?(?P<file>[^:\n]+):(?:(?P<line>\d+):)? (?P<message>.*?)(?: — (?P<advice>.*))?$")


@dataclass
class Reported:
    file: str
    line: int
    message: str
    advice: str
    warning: bool


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def problems(self) -> list[Reported]:
        found = []
        for text in self.err.splitlines():
            match = _LINE.match(text)
            if match and " — " in text:
                found.append(Reported(match["file"], int(match["line"] or 0), match["message"], match["advice"] or "",
                                      text.startswith("warning: ")))
        return found

    @property
    def errors(self) -> list[Reported]:
        return [p for p in self.problems if not p.warning]


def run_build(*args: str, cwd: Path = ROOT) -> Run:
    """``python build.py ARGS`` run from ``cwd``, in this process (conftest's
    run_build: the same command line that build.py calls), never with a
    Python traceback or "internal error" for bad input
    (test_build_py_runs_the_same_command_line runs build.py itself)."""
    result = conftest.run_build(*args, cwd=cwd)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return Run(result.returncode, result.stdout, result.stderr)


@pytest.fixture
def paper(tmp_path) -> Path:
    """A fresh copy of the mini paper at tmp_path/paper (shown as paper/… from tmp_path)."""
    dest = tmp_path / "paper"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture
def templates(tmp_path) -> Path:
    return copy_templates(tmp_path / "templates", MACROS)


def check(paper: Path, templates: Path) -> Run:
    # run beside the paper, so its files are shown as paper/… (relative to the folder the command ran in)
    return run_build("--check", "--content", str(paper), "--templates", str(templates), cwd=paper.parent)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> int:
    """Append text; returns the line number of its first line."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def line_of(path: Path, needle: str) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def expect_only(run: Run, file: str, line: int, message: str, advice: str) -> Reported:
    """Exactly one error, at file:line, with the phrases; exit status 1."""
    assert run.code == 1, run.err
    assert len(run.errors) == 1, run.err
    return expect(run, file, line, message, advice)


def expect(run: Run, file: str, line: int, message: str, advice: str) -> Reported:
    assert run.code == 1, run.err
    for p in run.errors:
        if p.file == file and p.line == line and message in p.message and advice in p.advice:
            return p
    raise AssertionError(f"no error {file}:{line}: …{message}… — …{advice}… in:\n{run.err}")


INTRO = "paper/sections/01-intro.md"
RESULTS = "paper/sections/02-results.md"
PAPER = "paper/paper.yaml"


# ----------------------------------------------------------------------------- baseline and command line
def test_clean_paper_exits_0(paper, templates):
    run = check(paper, templates)
    assert run.code == 0, run.err
    assert "content OK" in run.out
    assert run.err == ""


def test_build_py_runs_the_same_command_line(paper, templates):
    """build.py itself, in a Python of its own: its exit status and what it
    prints, for a content mistake and for a mistyped option."""
    append(paper / "paper.yaml", "title: Another title\n")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--check", "--content", str(paper), "--templates", str(templates)],
                            cwd=paper.parent, capture_output=True, text=True, timeout=300)
    run = Run(result.returncode, result.stdout, result.stderr)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "title: Another"), "the key 'title' is given twice", "remove or rename")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--chek"], cwd=paper.parent, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "formats: pdf, docx, html, all" in result.stderr, result.stderr


def test_unknown_format_is_a_command_line_error_listing_the_formats(paper):
    run = run_build("--format", "odt", "--content", str(paper))
    assert run.code == 2
    assert "invalid choice: 'odt'" in run.err
    assert "formats: pdf, docx, html, all" in run.err


def test_unknown_option_is_a_command_line_error(paper):
    run = run_build("--chek", "--content", str(paper))
    assert run.code == 2
    assert "formats: pdf, docx, html, all" in run.err


def test_missing_content_folder_is_a_command_line_error(tmp_path):
    run = run_build("--check", "--content", str(tmp_path / "nowhere"))
    assert run.code == 2
    assert "the content folder" in run.err and "does not exist" in run.err


def test_folder_without_paper_yaml(tmp_path, templates):
    (tmp_path / "empty").mkdir()
    run = check(tmp_path / "empty", templates)
    assert run.code == 1
    assert "paper.yaml not found" in run.err and "--content" in run.err


# ----------------------------------------------------------------------------- YAML
def test_malformed_yaml_has_line_and_column(paper, templates):
    edit(paper / "paper.yaml", "subject: Output paper of a test workshop", "subject: [Output paper of a test workshop")
    start = line_of(paper / "paper.yaml", "subject:")
    run = check(paper, templates)
    # PyYAML notices the unclosed [ on the next line; the message names where it starts
    p = expect_only(run, PAPER, start + 1, "YAML error at column 9", "check the indentation")
    assert f"flow sequence that starts on line {start}" in p.message


def test_yaml_tab_indentation(paper, templates):
    edit(paper / "paper.yaml", '  - "Maritime Clusters and the Blue Economy"', '\t- "Maritime Clusters and the Blue Economy"')
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "\t-"), "YAML error at column 1", "spaces, not tabs")


def test_yaml_python_tag_is_refused_not_executed(paper, templates, tmp_path):
    marker = tmp_path / "executed"
    edit(paper / "paper.yaml", "keywords: [clusters, maritime]", f'keywords: !!python/object/apply:os.system ["touch {marker}"]')
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "keywords:"),
                "the tag '!!python/object/apply:os.system' is not allowed", "only plain text, numbers, lists and mappings")
    assert not marker.exists()


def test_yaml_key_given_twice(paper, templates):
    append(paper / "paper.yaml", "title: Another title\n")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "title: Another"), "the key 'title' is given twice", "remove or rename")


def test_malformed_yaml_in_a_table_block_points_into_the_section(paper, templates):
    first = append(paper / "sections" / "02-results.md", "\n```table\nrows:\n  - cells: [a, b\n  - cells: [c, d]\n```\n")
    run = check(paper, templates)
    # line first+1 is the fence, +2 'rows:', +3 the unclosed list, the error shows on the next line
    p = expect_only(run, RESULTS, first + 4, "YAML error at column", "check the indentation")
    assert f"starts on line {first + 3}" in p.message


# ----------------------------------------------------------------------------- metadata
def test_missing_required_metadata(paper, templates):
    edit(paper / "paper.yaml", "deliverable: T1.01\n", "")
    run = check(paper, templates)
    expect_only(run, PAPER, 2, "required key 'deliverable' is missing", "add a line 'deliverable:")


def test_wrongly_typed_metadata(paper, templates):
    edit(paper / "paper.yaml", "title: Maritime Clusters and the Blue Economy", "title: [Maritime, Clusters]")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "title:"), "'title' must be text, not a list", "write it as text")


def test_date_that_is_not_a_date(paper, templates):
    edit(paper / "paper.yaml", "date: 2024-03-05", "date: 5 March 2024")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "date:"), "'date: 5 March 2024' is not a date written YYYY-MM-DD",
                "write e.g. 'date:")


def test_wrongly_typed_list_line(paper, templates):
    edit(paper / "paper.yaml", '  - "Gdańsk, Poland – 5 March 2024"\ncover', "  - 2024\ncover")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "  - 2024"), "item 2 of 'header' must be text, not a whole number", "quotes")


def test_output_name_may_not_leave_the_output_folder(paper, templates):
    edit(paper / "paper.yaml", "output: T1.01-maritime-clusters", "output: ../../escaped")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "output:"), "is not a plain file name", "without folders")


def test_unknown_field_is_an_error_listing_the_known_ones(paper, templates):
    append(paper / "paper.yaml", "colour: blue\n")
    run = check(paper, templates)
    p = expect_only(run, PAPER, line_of(paper / "paper.yaml", "colour:"), "unknown key 'colour'", "the keys allowed here are:")
    assert "did you mean" not in p.advice and "sections" in p.advice


def test_misspelt_cover_key_says_did_you_mean(paper, templates):
    # was: the cover's kind line silently vanished from both outputs
    edit(paper / "paper.yaml", '  kind: "Output paper – T1.01"', '  knd: "Output paper – T1.01"')
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "knd:"), "unknown key 'knd' in 'cover'", "did you mean 'kind'?")


def test_misspelt_required_key_is_one_message(paper, templates):
    edit(paper / "paper.yaml", "author:", "autor:")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "autor:"), "unknown key 'autor'", "did you mean 'author'?")


# ----------------------------------------------------------------------------- sections and files
def test_section_in_the_order_that_does_not_exist(paper, templates):
    edit(paper / "paper.yaml", "  - sections/02-results.md\n", "  - sections/02-results.md\n  - sections/03-outlook.md\n")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "03-outlook"), "section file 'sections/03-outlook.md' not found",
                "check the name under 'sections:'")


def test_section_path_outside_the_content_folder(paper, templates):
    edit(paper / "paper.yaml", "  - sections/02-results.md\n", "  - sections/02-results.md\n  - ../../elsewhere.md\n")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "elsewhere"), "points outside the content folder", "copy the file into the content folder")


def test_content_file_that_nothing_uses(paper, templates):
    (paper / "sections" / "03-draft.md").write_text("# Draft\n\nNot listed yet.\n", encoding="utf-8")
    run = check(paper, templates)
    expect_only(run, "paper/sections/03-draft.md", 1, "this content file is not used", "add 'sections/03-draft.md' under 'sections:'")


def test_text_that_is_not_utf8(paper, templates):
    shutil.copy(BAD / "latin1.md", paper / "sections" / "03-annex.md")
    edit(paper / "paper.yaml", "  - sections/02-results.md\n", "  - sections/02-results.md\n  - sections/03-annex.md\n")
    run = check(paper, templates)
    expect_only(run, "paper/sections/03-annex.md", 5, "the text is not UTF-8 (byte 0xe9)", "save the file with UTF-8 encoding")


# ----------------------------------------------------------------------------- images
def _use_image(paper: Path, name: str) -> int:
    edit(paper / "sections" / "02-results.md", "figures/map.svg", f"figures/{name}")
    return line_of(paper / "sections" / "02-results.md", f"figures/{name}")


def test_missing_image(paper, templates):
    line = _use_image(paper, "mpa.svg")
    run = check(paper, templates)
    expect_only(run, RESULTS, line, "the image 'figures/mpa.svg' was not found", "check the file name")


def test_unsupported_image(paper, templates):
    shutil.copy(BAD / "picture.gif", paper / "figures" / "picture.gif")
    line = _use_image(paper, "picture.gif")
    run = check(paper, templates)
    expect_only(run, RESULTS, line, "unsupported type '.gif'", "use SVG")


def test_corrupt_png_truncated(paper, templates):
    shutil.copy(BAD / "truncated.png", paper / "figures" / "truncated.png")
    line = _use_image(paper, "truncated.png")
    run = check(paper, templates)
    expect_only(run, RESULTS, line, "the image 'figures/truncated.png' is damaged", "export it again as PNG or JPEG")


def test_text_file_named_png(paper, templates):
    shutil.copy(BAD / "not-a-picture.png", paper / "figures" / "chart.png")
    line = _use_image(paper, "chart.png")
    run = check(paper, templates)
    p = expect_only(run, RESULTS, line, "is damaged or not a picture", "export it again")
    assert "0x" not in p.message  # no Python object address


def test_svg_that_is_not_well_formed(paper, templates):
    shutil.copy(BAD / "broken.svg", paper / "figures" / "map.svg")
    run = check(paper, templates)
    expect_only(run, RESULTS, line_of(paper / "sections" / "02-results.md", "figures/map.svg"), "is not valid SVG", "export it again")


def test_svg_that_cannot_be_drawn(paper, templates):
    shutil.copy(BAD / "undrawable.svg", paper / "figures" / "map.svg")
    run = check(paper, templates)
    expect_only(run, RESULTS, line_of(paper / "sections" / "02-results.md", "figures/map.svg"), "cannot be drawn", "export it again as plain SVG")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="running as root: file permissions do not stop reading "
                    "(test_unreadable_image_message covers the message in-process)")
def test_unreadable_image(paper, templates):
    (paper / "figures" / "map.svg").chmod(0)
    try:
        run = check(paper, templates)
    finally:
        (paper / "figures" / "map.svg").chmod(0o644)
    expect_only(run, RESULTS, line_of(paper / "sections" / "02-results.md", "figures/map.svg"), "cannot be read", "permissions")


def test_unreadable_image_message(tmp_path, monkeypatch):
    """The same check in-process, with reading refused as it is for a non-root user."""
    from paperpipe.errors import Problems
    from paperpipe.figures.check import check_image

    image = tmp_path / "paper" / "figures" / "map.svg"
    image.parent.mkdir(parents=True)
    shutil.copy(MINI / "figures" / "map.svg", image)

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)  # (the file is read by open(), at most one byte past its size limit)
    monkeypatch.chdir(tmp_path)
    problems = Problems(tmp_path / "paper")
    assert not check_image(image, "figures/map.svg", problems, tmp_path / "paper" / "sections" / "02.md", 3)
    [p] = problems.items
    assert str(p) == ("paper/sections/02.md:3: the image 'figures/map.svg' cannot be read (Permission denied)"
                      " — check the file's permissions")


def test_image_that_is_a_folder(paper, templates):
    (paper / "figures" / "chart.png").mkdir()
    line = _use_image(paper, "chart.png")
    run = check(paper, templates)
    expect_only(run, RESULTS, line, "is a folder, not a file", "point to the picture file")


def test_image_path_with_dotdot_is_refused(paper, templates):
    shutil.copy(MINI / "figures" / "map.svg", paper.parent / "outside.svg")
    edit(paper / "sections" / "02-results.md", "figures/map.svg", "../outside.svg")
    run = check(paper, templates)
    expect(run, RESULTS, line_of(paper / "sections" / "02-results.md", "../outside.svg"),
           "the image path '../outside.svg' points outside the content folder", "copy the file into the content folder")
    assert len(run.errors) == 1


def test_absolute_image_path_is_refused(paper, templates):
    edit(paper / "sections" / "02-results.md", "figures/map.svg", "/etc/passwd")
    run = check(paper, templates)
    expect_only(run, RESULTS, line_of(paper / "sections" / "02-results.md", "/etc/passwd"),
                "the image path '/etc/passwd' is absolute", "give a path relative to the content folder")


def test_symlink_out_of_the_content_folder_is_refused(paper, templates):
    (paper / "figures" / "passwd.svg").symlink_to("/etc/passwd")
    line = _use_image(paper, "passwd.svg")
    run = check(paper, templates)
    expect(run, RESULTS, line, "points outside the content folder", "copy the file into the content folder")


def test_data_file_outside_the_content_folder(paper, templates):
    append(paper / "paper.yaml", "data:\n  people: /etc/passwd\n")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "people:"), "the data file path '/etc/passwd' is absolute", "relative to the content folder")


# ----------------------------------------------------------------------------- tables
GRID = "\n```table\ncaption: Spans {#tab-span}\nrows:\n  - cells: [a, b]\n  - cells:\n      - text: c\n        SPAN\n      - d\n```\n"


def test_rowspan_past_the_last_row(paper, templates):
    first = append(paper / "sections" / "02-results.md", GRID.replace("SPAN", "rowspan: 3"))
    run = check(paper, templates)
    # the cell's '- text: c' stands 6 lines below the blank line that starts the addition
    expect_only(run, RESULTS, first + 6, "'rowspan: 3' reaches past the last row", "make it at most 1")


def test_table_without_cells(paper, templates):
    first = append(paper / "sections" / "02-results.md", "\n```table\nrows:\n  - cells: []\n```\n")
    run = check(paper, templates)
    expect_only(run, RESULTS, first + 1, "the table has no cells", "give each row its cells")


def test_huge_colspan_is_an_error_not_a_hang(paper, templates):
    first = append(paper / "sections" / "02-results.md", GRID.replace("SPAN", "colspan: 100000000"))
    run = check(paper, templates)
    expect_only(run, RESULTS, first + 6, "'colspan: 100000000' is wider than any table can be", "colspan: 2")


# ----------------------------------------------------------------------------- ids and references
def test_duplicate_id(paper, templates):
    line = append(paper / "sections" / "02-results.md", "\n## Why again {#why}\n") + 1
    run = check(paper, templates)
    p = expect_only(run, RESULTS, line, "the id 'why' is used twice", "give each section, figure and table its own id")
    assert f"first at {INTRO}:{line_of(paper / 'sections' / '01-intro.md', '{#why}')}" in p.message


def test_unknown_cross_reference_suggests_the_nearest_id(paper, templates):
    edit(paper / "sections" / "01-intro.md", "[](#fig-map)", "[](#fig-mpa)")
    run = check(paper, templates)
    expect_only(run, INTRO, line_of(paper / "sections" / "01-intro.md", "#fig-mpa"), "cross-reference to unknown id '#fig-mpa'",
                "did you mean '#fig-map'?")


def test_unknown_cross_reference_without_a_near_id(paper, templates):
    edit(paper / "sections" / "01-intro.md", "[the results](#results)", "[the results](#zzzzzz)")
    run = check(paper, templates)
    expect_only(run, INTRO, line_of(paper / "sections" / "01-intro.md", "#zzzzzz"), "unknown id '#zzzzzz'", "give the section, figure or table this id")


# ----------------------------------------------------------------------------- templates
def test_undefined_template_variable_points_at_the_template_line(paper, templates):
    call = append(paper / "sections" / "02-results.md", "\n{{ speakers() }}\n") + 1
    run = check(paper, templates)
    p = expect_only(run, "templates/macros.md.j2", line_of(templates / "macros.md.j2", "data.people"),
                    "undefined template variable", "check the name in the template")
    assert f"called from {RESULTS}:{call}" in p.message


def test_undefined_macro_in_a_section(paper, templates):
    call = append(paper / "sections" / "02-results.md", "\n{{ speakerz() }}\n") + 1
    run = check(paper, templates)
    expect_only(run, RESULTS, call, "'speakerz' is undefined", "check the name")


def test_template_syntax_error_points_at_the_template_line(paper, templates):
    macros = templates / "macros.md.j2"
    macros.write_text(MACROS + "\n{%- macro broken() -%}\n{% if meta.title %}\nno endif\n{%- endmacro -%}\n", encoding="utf-8")
    run = check(paper, templates)
    # Jinja2 sees the missing endif when it meets the macro's end, on the last line
    last = len(macros.read_text(encoding="utf-8").splitlines())
    p = expect_only(run, "templates/macros.md.j2", last, "template syntax error", "Jinja2 syntax")
    assert "'if'" in p.message


def test_template_call_syntax_error_in_a_section(paper, templates):
    call = append(paper / "sections" / "02-results.md", '\n{{ greet("Anna" }}\n') + 1
    run = check(paper, templates)
    expect_only(run, RESULTS, call, "template call syntax error", "write a call as {{ macro_name(arguments) }}")


def test_templates_are_sandboxed(paper, templates):
    macros = templates / "macros.md.j2"
    macros.write_text(MACROS + "\n{%- macro evil() -%}\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n{%- endmacro -%}\n", encoding="utf-8")
    append(paper / "sections" / "02-results.md", "\n{{ evil() }}\n")
    run = check(paper, templates)
    expect_only(run, "templates/macros.md.j2", line_of(macros, "__class__"), "not allowed in a template", "templates may only read data")


def test_template_output_is_read_as_text(paper, templates):
    """Data put through |md prints literally: no error, no emphasis, no HTML."""
    append(paper / "sections" / "02-results.md", '\n{{ greet("A & B <c> *d*") }}\n')
    run = check(paper, templates)
    assert run.code == 0, run.err


# ----------------------------------------------------------------------------- fonts and Markdown
def test_character_the_fonts_cannot_draw(paper, templates):
    first = append(paper / "sections" / "02-results.md", "\nThe weather was\nfine: \u2603 all day.\n")
    run = check(paper, templates)
    # the paragraph starts on first+1; the snowman stands on the line after
    expect_only(run, RESULTS, first + 2, "the character '\u2603' (U+2603 SNOWMAN) cannot be drawn by the font Carlito",
                "replace it with a character the font has")


def test_character_the_fonts_cannot_draw_after_a_line_separator_is_at_its_own_line(paper, templates):
    """A LINE SEPARATOR (U+2028) two paragraphs up moved the error one line
    down: the line was counted with str.splitlines(), which breaks there too
    (and at U+0085, form feeds …), where Markdown does not."""
    first = append(paper / "sections" / "02-results.md", "\nPasted\u2028from the web.\n\nThe weather was\nfine: \u2603 all day.\n")
    run = check(paper, templates)
    snowman = [line for line in run.err.splitlines() if "U+2603 SNOWMAN" in line]
    assert len(snowman) == 1 and snowman[0].startswith(f"paper/sections/02-results.md:{first + 4}: "), run.err


def test_character_the_fonts_cannot_draw_in_metadata(paper, templates):
    edit(paper / "paper.yaml", "  title: \"Maritime Clusters and the Blue Economy\"", "  title: \"Maritime Clusters \u2693\"")
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "\u2693"), "U+2693 ANCHOR", "replace it")


def test_invisible_control_character_in_a_section(paper, templates):
    first = append(paper / "sections" / "02-results.md", "\nPasted from a terminal:\nred \x1b[31m text.\n")
    run = check(paper, templates)
    expect_only(run, RESULTS, first + 2, "an invisible control character (U+001B)", "delete it")


def test_invisible_control_character_in_yaml(paper, templates):
    edit(paper / "paper.yaml", "subject: Output paper of a test workshop", 'subject: "Output paper\\a of a test workshop"')
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "subject:"), "an invisible control character (U+0007)", "delete it")


def test_lone_surrogate_escape_in_yaml(paper, templates):
    edit(paper / "paper.yaml", "subject: Output paper of a test workshop", 'subject: "Output \\uD800 paper"')
    run = check(paper, templates)
    expect_only(run, PAPER, line_of(paper / "paper.yaml", "subject:"), "an invalid character (U+D800)", "delete it")


def test_empty_heading(paper, templates):
    line = append(paper / "sections" / "02-results.md", "\n## {#empty}\n") + 1
    run = check(paper, templates)
    expect_only(run, RESULTS, line, "the heading has no text", "write its title after the #")


def test_skipped_heading_level(paper, templates):
    line = append(paper / "sections" / "02-results.md", "\n# Annex {-}\n\n### Details\n") + 3
    run = check(paper, templates)
    expect_only(run, RESULTS, line, "a level-3 heading follows a level-1 heading", "use ## here")


def test_numbered_heading_under_an_unnumbered_one(paper, templates):
    line = append(paper / "sections" / "02-results.md", "\n# Annex\n\n## Notes {-}\n\n### Details\n") + 5
    run = check(paper, templates)
    expect_only(run, RESULTS, line, "a numbered level-3 heading stands under an unnumbered level-2 heading", "mark this one {-} as well")


def test_raw_html_block_is_reported_not_dropped(paper, templates):
    line = append(paper / "sections" / "02-results.md", "\n<div class=\"note\">Important</div>\n") + 1
    run = check(paper, templates)
    expect_only(run, RESULTS, line, "raw HTML is not supported", "write it in Markdown")


def test_raw_inline_html_is_reported_not_dropped(paper, templates):
    line = append(paper / "sections" / "02-results.md", "\nA <span>highlighted</span> word.\n") + 1
    run = check(paper, templates)
    assert run.code == 1
    found = [p for p in run.errors if p.file == RESULTS and p.line == line]
    assert [p.message for p in found] == ["raw HTML '<span>' is not supported", "raw HTML '</span>' is not supported"]
    assert all("use Markdown" in p.advice for p in found)


def test_markdown_the_writers_cannot_render(paper, templates):
    # a quotation (> …) is printed; one with only "— who said it" has nothing to print
    first = append(paper / "sections" / "02-results.md", "\n> — Nobody\n\n```python\nprint(1)\n```\n")
    run = check(paper, templates)
    expect(run, RESULTS, first + 1, "the quotation has no text", "write the quoted words")
    expect(run, RESULTS, first + 3, "code blocks are not printed", "plain text")
    assert len(run.errors) == 2


# ----------------------------------------------------------------------------- all at once
def test_check_reports_every_problem_in_one_run(paper, templates):
    """Several mistakes in several files, metadata included: one --check lists them all."""
    edit(paper / "paper.yaml", "deliverable: T1.01\n", "")
    (paper / "sections" / "03-draft.md").write_text("# Draft\n", encoding="utf-8")
    edit(paper / "sections" / "01-intro.md", "[](#fig-map)", "[](#fig-mpa)")
    edit(paper / "sections" / "02-results.md", "figures/map.svg", "figures/mpa.svg")
    html = append(paper / "sections" / "02-results.md", "\n<div>x</div>\n") + 1
    run = check(paper, templates)
    expect(run, PAPER, 2, "required key 'deliverable' is missing", "add a line")
    expect(run, "paper/sections/03-draft.md", 1, "not used", "under 'sections:'")
    expect(run, INTRO, line_of(paper / "sections" / "01-intro.md", "#fig-mpa"), "unknown id '#fig-mpa'", "did you mean '#fig-map'?")
    expect(run, RESULTS, line_of(paper / "sections" / "02-results.md", "mpa.svg"), "'figures/mpa.svg' was not found", "check the file name")
    expect(run, RESULTS, html, "raw HTML", "write it in Markdown")
    assert len(run.errors) == 5, run.err
    assert "5 error(s)" in run.err
    # every error line has the form file:line: what is wrong — what to do
    for text in run.err.splitlines()[:-1]:
        if not text.startswith("warning: "):
            assert re.match(r"^paper/[^:]+:\d+: .+ — .+$", text), text
