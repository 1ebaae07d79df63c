"""Issue 8, "every build can be trusted": careless and hostile input, each
class on a real bad folder (a copy of tests/fixtures/mini with one thing
broken) run in-process through the command line's main(): a clear error at
the right file and line, or the whole paper; never a traceback, never
"internal error", never text silently lost."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import mini_paper_in
from paperpipe import cli

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
RESULTS = "paper/sections/02-results.md"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def errors(self) -> list[str]:
        return [line for line in self.err.splitlines() if " — " in line and not line.startswith("warning: ")]


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """tmp_path holding paper/ (the mini paper) and templates/ (the real ones); the cwd."""
    mini_paper_in(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args: str) -> Run:
    code = cli.main(["--content", "paper", "--templates", "templates", "--output", "out", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "internal error" not in captured.err, captured.err
    return Run(code, captured.out, captured.err)


def add(folder: Path, text: str, file: str = "sections/02-results.md") -> int:
    """Append text to a section file; the line number of its first line."""
    path = folder / "paper" / file
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def only_error(result: Run, where: str, *phrases: str) -> str:
    assert result.code == 1, result.err
    assert len(result.errors) == 1, result.err
    [error] = result.errors
    assert error.startswith(where + (": " if where.count(":") else ":")), error
    for phrase in phrases:
        assert phrase in error, error
    return error


# ----------------------------------------------------------------------------- 1. silent loss: Markdown
def test_unclosed_box_is_an_error_on_its_opening_line(capsys, folder):
    # was: the rest of the file, headings included, drawn inside the box
    first = add(folder, "\n::: sidebar Speakers\nAnn and Bo\n\n## Later heading\n\nmore text\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 1}", "the box '::: sidebar Speakers' is not closed", "':::'")


def test_unknown_box_kind_and_stray_closing_line(capsys, folder):
    first = add(folder, "\n::: sidbar Speakers\nAnn\n:::\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 1}", "'::: sidbar' is not a kind of box", "did you mean '::: sidebar'?")
    (folder / "paper" / "sections" / "02-results.md").write_text((MINI / "sections" / "02-results.md").read_text(encoding="utf-8"))
    first = add(folder, "\ntext\n\n:::\n\nmore text\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 3}", "a ':::' line that closes no box")


def test_list_nested_past_the_limit_is_an_error_not_a_silent_drop(capsys, folder):
    # was: a list ten levels deep made markdown-it drop everything after it
    lines = "".join("  " * i + f"- level {i}\n" for i in range(10))
    first = add(folder, "\n" + lines + "\n## After the list\n\ntail text\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 7}", "nested more than 6 levels deep")


def test_boxes_inside_boxes_are_one_error(capsys, folder):
    first = add(folder, "\n::: sidebar A\n::: sidebar B\n::: sidebar C\nx\n:::\n:::\n:::\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 2}", "a sidebar box cannot stand inside a sidebar")


def test_heading_inside_a_list_is_an_error(capsys, folder):
    first = add(folder, "\n- item\n\n  # Heading in a list\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 3}", "a heading cannot stand inside a list")


def test_figure_and_table_inside_a_table_cell(capsys, folder):
    first = add(folder, "\n```table\nrows:\n  - cells: [a, '![Map](figures/map.svg)']\n```\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 3}", "a figure cannot stand inside a table cell")


def test_misspelt_key_in_a_table_block(capsys, folder):
    # was: 'colspn: 2' silently gave a one-column cell
    first = add(folder, "\n```table\nrows:\n  - cells: [a, {text: b, colspn: 2}]\n  - cells: [c, d]\n```\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 3}", "unknown key 'colspn'", "did you mean 'colspan'?")


# ----------------------------------------------------------------------------- 4. unbounded work
def billion_laughs() -> str:
    text, previous = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n', "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        previous = name
    return text


def test_yaml_alias_bomb_fails_fast(capsys, folder):
    # was: a 1 KB file hung the build and --check
    (folder / "paper" / "data").mkdir()
    (folder / "paper" / "data" / "agenda.yaml").write_text(billion_laughs(), encoding="utf-8")
    add(folder, "data:\n  agenda: data/agenda.yaml\n", "paper.yaml")
    result = run(capsys, "--check")
    only_error(result, "paper/data/agenda.yaml:6", "stands for more than 200,000 values", "aliases")
    first = add(folder, "\n```table\n" + billion_laughs().replace("a: &a", "rows: &a") + "```\n")
    # the same in a ```table block (and no cascade from the data file's own error)
    result = run(capsys, "--check")
    assert any(e.startswith(f"{RESULTS}:{first + 7}: ") and "more than 200,000 values" in e for e in result.errors), result.err


SPIN = """\
{%- macro spin() -%}{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}{%- endmacro -%}
{%- macro double() -%}{% set ns = namespace(s="xx") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}{%- endmacro -%}
{%- macro itself(n) -%}{{ itself(n) }}{%- endmacro -%}
{%- macro deep(n) -%}{{ deep(n + 1) if n < 65 else n }}{%- endmacro -%}
{%- macro fine(n) -%}{{ fine(n + 1) if n < 60 else n }}{%- endmacro -%}
"""


@pytest.mark.parametrize("call, phrase, where", [
    ("{{ 7**(9**9) }}", "the number 7 ** 387420489 is too large", RESULTS),
    ('{{ "x" * 999999999 }}', "makes more than 100,000", RESULTS),
    ("{{ range(999999999)|list|length }}", "range() of 999,999,999 items", RESULTS),
    ('{{ "{:>999999999}".format(1) }}', "a width in the format is too large", RESULTS),
    ('{{ "%999999999d" % 1 }}', "a width in the format is too large", RESULTS),
    ('{{ "x"|center(999999999) }}', "'center' is too large", RESULTS),
    ("{{ spin() }}", "the templates did more than 1,000,000 steps of work", "templates/spin.md.j2"),
    ("{{ double() }}", "joining text with '~' makes more than", "templates/spin.md.j2"),
    ("{{ itself(1) }}", "the macros call each other more than 64 deep: a macro calls itself without end?", "templates/spin.md.j2"),
    ("{{ deep(1) }}", "the macros call each other more than 64 deep", "templates/spin.md.j2"),
])
def test_template_work_is_bounded(capsys, folder, monkeypatch, call, phrase, where):
    from paperpipe.readers import sandbox

    # spin() asks for 10**12 loop steps, which no machine ends: the count of steps stops it, whatever the
    # machine's speed (the time budget, made long here, is not what stops it)
    monkeypatch.setattr(sandbox, "MAX_TEMPLATE_SECONDS", 600.0)
    (folder / "templates" / "spin.md.j2").write_text(SPIN, encoding="utf-8")
    first = add(folder, f"\n{call}\n")
    result = run(capsys, "--check")
    if where == RESULTS:
        only_error(result, f"{RESULTS}:{first + 1}", phrase, "simplify")
    else:
        error = only_error(result, where, phrase, "call each other" if "deep" in phrase else "simplify")
        assert f"(called from {RESULTS}:{first + 1})" in error


def test_templates_include_only_the_projects_macros(capsys, folder, tmp_path):
    (tmp_path / "secret.md.j2").write_text("SECRET", encoding="utf-8")
    (folder / "templates" / "link.md.j2").symlink_to(tmp_path / "secret.md.j2")
    (folder / "templates" / "inc.md.j2").write_text(
        '{%- macro a() -%}{% include "../secret.md.j2" %}{%- endmacro -%}\n'
        '{%- macro b() -%}{% include "link.md.j2" %}{%- endmacro -%}\n', encoding="utf-8")
    add(folder, "\n{{ a() }}\n")
    result = run(capsys, "--check")
    assert result.code == 1 and "SECRET" not in result.err
    assert any("../secret.md.j2" in e for e in result.errors), result.err
    # the link itself, and a link back to itself: named as what they are (it was 'template error: link.md.j2')
    (folder / "templates" / "loop.md.j2").symlink_to(folder / "templates" / "loop.md.j2")
    result = run(capsys, "--check")
    for name in ("link.md.j2", "loop.md.j2"):
        assert any(e.startswith(f"templates/{name}: the macro file cannot be read: it is not a file of the templates folder")
                   and e.endswith("put the macro file itself in the templates folder") for e in result.errors), result.err


# ----------------------------------------------------------------------------- 2. nothing from outside
SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="160">\n'


def use_bomb() -> str:
    groups = ['<g id="g0"><rect width="1" height="1"/><rect width="1" height="1"/></g>']
    groups += [f'<g id="g{i}"><use href="#g{i - 1}"/><use href="#g{i - 1}"/></g>' for i in range(1, 30)]
    return "<defs>\n" + "\n".join(groups) + "\n</defs>\n<use href=\"#g29\"/>\n"


@pytest.mark.parametrize("body, line, phrase", [
    ('<image href="../../outside.png" width="10" height="10"/>\n', 2, "<image> refers to '../../outside.png', outside the content folder"),
    ('<image xlink:href="../../outside.png" width="10" height="10"/>\n', 2, "outside the content folder"),
    ('<use href="../../other.svg#a"/>\n', 2, "<use> refers to '../../other.svg#a' in another file"),
    ('<image href="file:///etc/passwd" width="1" height="1"/>\n', 2, "is not a file in the content folder"),
    ('<image href="https://example.org/x.png" width="1" height="1"/>\n', 2, "is not a file in the content folder"),
    ("<style>\n@import url(https://example.org/x.css);\n</style>\n", 2, "imports a style sheet"),
    ('<rect style="fill: url(../../x.svg#a)" width="4" height="4"/>\n', 2, "refers to '../../x.svg#a' in its styles"),
    ('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/>\n', 2, "<xi:include> includes another file"),
    ('<?xml-stylesheet href="x.css"?>\n', 2, "processing instruction"),
    (use_bomb(), 13, "more than 10,000 drawing elements (this <use> repeats others)"),
])
def test_svg_references_are_confined_to_the_content_folder(capsys, folder, body, line, phrase):
    (folder / "outside.png").write_bytes((ROOT / "tests" / "fixtures" / "mini" / "figures" / "map.svg").read_bytes())
    (folder / "paper" / "figures" / "map.svg").write_text(SVG_HEAD + body + "</svg>\n", encoding="utf-8")
    only_error(run(capsys, "--check"), f"paper/figures/map.svg:{line}", phrase)
    assert run(capsys, "--format", "all").code == 1 and not (folder / "out").exists()


@pytest.mark.parametrize("prolog, phrase", [
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', "declares XML entities"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n', "declares XML entities"),
])
def test_svg_entities_are_refused_before_any_parser_expands_them(capsys, folder, prolog, phrase):
    (folder / "paper" / "figures" / "map.svg").write_text('<?xml version="1.0"?>\n' + prolog + SVG_HEAD + "<text>&x;</text></svg>\n", encoding="utf-8")
    only_error(run(capsys, "--check"), "paper/sections/02-results.md:3", f"the image 'figures/map.svg' {phrase}")


def test_svg_picture_inside_the_content_folder_and_an_ordinary_doctype_build(capsys, folder):
    from PIL import Image

    Image.new("RGB", (30, 30), "red").save(folder / "paper" / "figures" / "dot.png")
    (folder / "paper" / "figures" / "map.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        + SVG_HEAD + '<image href="dot.png" width="30" height="30"/>\n</svg>\n', encoding="utf-8")
    result = run(capsys, "--format", "all")
    assert result.code == 0 and "warning" not in result.err, result.err  # dot.png counts as used: no warning


# ----------------------------------------------------------------------------- 7. paths and names
def test_figure_name_with_accents_spaces_and_parentheses(capsys, folder):
    shutil.copy(folder / "paper" / "figures" / "map.svg", folder / "paper" / "figures" / "carte (été) 1.svg")
    add(folder, "\n![Carte](<figures/carte (été) 1.svg>){#fig-carte alt=\"Map of the partners\"}\n")
    result = run(capsys, "--format", "all")
    assert result.code == 0, result.err


# ----------------------------------------------------------------------------- 5. layout impossibilities
TALL_CELL = "\n```table\nrows:\n  - cells: [a, b]\n  - cells:\n      - |\n" + "".join(f"        line {i} \\\n" for i in range(150)) + "      - x\n```\n"


@pytest.mark.parametrize("command", [["--check"], ["--format", "all"]])
def test_row_taller_than_a_page_is_a_content_error_in_check_and_build(capsys, folder, command):
    first = add(folder, TALL_CELL)
    only_error(run(capsys, *command), f"{RESULTS}:{first + 1}", "cannot be laid out", "taller than a page", "split it")
    assert not (folder / "out").exists()


def test_figure_taller_than_the_page_is_scaled_to_fit(capsys, folder):
    from pypdf import PdfReader

    (folder / "paper" / "figures" / "tall.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="5000"><rect width="100" height="5000"/></svg>', encoding="utf-8")
    add(folder, '\n![Tall](figures/tall.svg){#fig-tall alt="A tall black bar"}\n')
    result = run(capsys, "--format", "all")
    assert result.code == 0, result.err
    pdf = PdfReader(folder / "out" / "T1.01-maritime-clusters.pdf")
    assert "Figure 2: Tall" in "".join(page.extract_text() for page in pdf.pages)


def test_too_long_heading_and_caption(capsys, folder):
    first = add(folder, "\n## " + " ".join(["Longword"] * 400) + "\n")
    only_error(run(capsys, "--check"), f"{RESULTS}:{first + 1}", "the heading is 3,599 characters long", "shorten it")


@pytest.mark.parametrize("kind", ["cmyk", "headerless"])
def test_jpegs_word_cannot_take_are_converted_for_the_docx(capsys, folder, kind):
    import io
    import zipfile

    from PIL import Image

    out = io.BytesIO()
    Image.new("CMYK" if kind == "cmyk" else "RGB", (60, 40), (0, 100, 200, 0) if kind == "cmyk" else "red").save(out, "JPEG")
    data = out.getvalue()
    if kind == "headerless":  # no JFIF segment: python-docx cannot tell what it is
        data = data[:2] + data[4 + int.from_bytes(data[4:6], "big"):]
    (folder / "paper" / "figures" / "pic.jpg").write_bytes(data)
    add(folder, '\n![Picture](figures/pic.jpg){#fig-pic alt="A coloured box"}\n')
    result = run(capsys, "--format", "all")
    assert result.code == 0, result.err
    with zipfile.ZipFile(folder / "out" / "T1.01-maritime-clusters.docx") as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert not [n for n in media if n.endswith((".jpg", ".jpeg"))] and len(media) >= 2, media


@pytest.mark.parametrize("value, phrase", [("99999999999999", "outside the times the files can hold"), ("12", "outside"),
                                           ("soon", "not a number of seconds")])
def test_source_date_epoch_out_of_range(capsys, folder, monkeypatch, value, phrase):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    only_error(run(capsys, "--check"), "SOURCE_DATE_EPOCH", phrase, "unset it")


def test_metadata_longer_than_the_file_properties_hold(capsys, folder):
    paper = folder / "paper" / "paper.yaml"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("subject: Output paper of a test workshop", "subject: " + "long " * 60), encoding="utf-8")
    line = next(n for n, t in enumerate(paper.read_text(encoding="utf-8").splitlines(), 1) if t.startswith("subject:"))
    only_error(run(capsys, "--check"), f"paper/paper.yaml:{line}", "'subject' must be at most 255 characters long")


# ----------------------------------------------------------------------------- 4. size limits that keep the layout linear
@pytest.mark.parametrize("text, phrase", [
    ("\n" + " ".join(["word"] * 100_000) + "\n", "the paragraph is 499,999 characters long"),
    ("\n| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(1200)), "the table has 1,201 rows"),
    ("\n" + "".join(f"- item {i}\n" for i in range(1200)), "the list has 1,200 items"),
])
def test_work_that_grows_with_the_square_is_refused_fast(capsys, folder, text, phrase):
    # was: one paragraph of 100,000 words took 60 s to lay out (reportlab breaks the rest of it again on every page)
    first = add(folder, text)
    result = run(capsys, "--check")
    only_error(result, f"{RESULTS}:{first + 1}", phrase, "split it")


# ----------------------------------------------------------------------------- 7. --watch with the output inside the content
def test_watch_with_the_output_inside_the_content_builds_once(folder):
    import io
    import threading

    from paperpipe.watch import watch

    out, err = io.StringIO(), io.StringIO()
    looks = []

    def stop() -> bool:
        """Asked each time the watch looks for changes: once the build is
        done (its outputs and the figure cache written), the watch is let
        look several more times, so that a change made by writing them
        would have been seen and started a second build, however slow the
        machine is."""
        if "built " in out.getvalue():
            looks.append(1)
        return len(looks) > 8

    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("code", watch(
        folder / "paper", folder / "templates", folder / "paper" / "out", ("pdf", "docx"),
        interval=0.05, stop=stop, out=out, err=err)), daemon=True)
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the watch never finished its first build:\n" + out.getvalue() + err.getvalue()
    assert outcome.get("code") == 0, out.getvalue() + err.getvalue()
    assert out.getvalue().count(": building") == 1, out.getvalue()
    assert (folder / "paper" / "out" / "T1.01-maritime-clusters.pdf").is_file()


def test_subject_longer_than_the_file_properties_once_expanded(capsys, folder):
    paper = folder / "paper" / "paper.yaml"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(text.replace("subject: Output paper of a test workshop",
                                  "subject: \"" + "{{ paper.title }} " * 8 + "\""), encoding="utf-8")
    line = next(n for n, t in enumerate(paper.read_text(encoding="utf-8").splitlines(), 1) if t.startswith("subject:"))
    only_error(run(capsys, "--check"), f"paper/paper.yaml:{line}", "once its {{ … }} are filled in, more than the 255")


def test_image_element_pointing_inside_the_figure_or_at_bad_data(capsys, folder):
    # found by the bug hunt: <image href="#a"> crashed the PDF writer
    (folder / "paper" / "figures" / "map.svg").write_text(
        SVG_HEAD + '<image href="#a" width="10" height="10"/>\n<image href="data:image/png;base64,iVBORw0KGgo=" width="9" height="9"/>\n</svg>\n',
        encoding="utf-8")
    result = run(capsys, "--check")
    assert result.code == 1 and len(result.errors) == 2, result.err
    assert result.errors[0].startswith("paper/figures/map.svg:2: <image> refers to '#a', which is not a picture")
    assert result.errors[1].startswith("paper/figures/map.svg:3: <image> holds embedded picture data that is damaged")


def test_macros_may_call_each_other_up_to_the_stated_depth(capsys, folder):
    from paperpipe.readers import sandbox

    # 60 calls deep stays under MAX_CALL_DEPTH (64) and under Python's own limit: it prints, with no error
    assert sandbox.MAX_CALL_DEPTH == 64
    (folder / "templates" / "spin.md.j2").write_text(SPIN, encoding="utf-8")
    add(folder, "\nDepth {{ fine(1) }} reached.\n")
    result = run(capsys, "--check")
    assert result.code == 0 and not result.errors, result.err


def test_blocks_nested_deeper_than_python_compiles_are_named_as_such(capsys, folder):
    # was: "template error: too many statically nested blocks (m.md.j2, line 84)", a line of the compiled Python
    deep = "{% for i in [1] %}" * 21 + "1" + "{% endfor %}" * 21
    (folder / "templates" / "deep.md.j2").write_text("{% macro x() %}\n" + deep + "{% endmacro %}\n", encoding="utf-8")
    only_error(run(capsys, "--check"), "templates/deep.md.j2", "nests too deep", "fewer levels")


def test_a_template_nested_thousands_deep_is_named_as_such(capsys, folder):
    # was: 2,000 nested brackets were reported as "the template calls itself without end"
    first = add(folder, "\n{{ " + "[" * 2000 + "]" * 2000 + " }}\n")
    result = run(capsys, "--check")
    only_error(result, f"{RESULTS}:{first + 1}", "nests too deep", "fewer levels")
