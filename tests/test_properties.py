"""Property tests: generated Markdown and generated paper.yaml values go
through the readers, the passes and the writers (``build.load`` = read_paper
+ run_passes + glyph check, then ``build.render`` = PDF and, when it exists,
DOCX). Whatever an editor writes, the only outcome other than a finished
file is a BuildError whose problems all read ``file:line: what — what to do``.

How many cases ran is printed at the end of the pytest run ("hypothesis
cases: …"), with how many of them got as far as the writers, and the most
CPU seconds one case took (every case must finish within 10 s).

The default run (pytest, .ci/run) tries 15 generated cases per test, besides
the fixed @example cases, so that the suite stays fast; every run draws new
ones. Before a release, or after a change to the readers or writers, run
more (PAPERPIPE_EXAMPLES=60 was the default before, ~4× the time).

Bug hunt (issue 8 asks for 20,000 cases): raise the count per test and log
every case, e.g. on one core, in the background:

    PAPERPIPE_EXAMPLES=2500 PAPERPIPE_HUNT_LOG=/tmp/hunt.log \
        nice taskset -c 1 python -m pytest -q tests/test_properties.py
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PROPERTY_CASES, copy_templates

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paperpipe.pipeline import load, render  # noqa: E402
from paperpipe.errors import BuildError  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "mini"
HAS_DOCX = (ROOT / "paperpipe" / "writers" / "docx").is_dir()
FORMATS = ("pdf", "docx", "html") if HAS_DOCX else ("pdf", "html")
EXAMPLES = int(os.environ.get("PAPERPIPE_EXAMPLES", "15"))  # per test; raise it to hunt for bugs
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

MACROS = """\
{%- macro greet(name) -%}
Hello **{{ name|md }}**.
{%- endmacro -%}
{%- macro row(a, b) -%}
| {{ a|md }} | {{ b|md }} |
|---|---|
| x | y |
{%- endmacro -%}
"""

CASES = PROPERTY_CASES  # counted per test, printed at the end of the run (conftest)


# ----------------------------------------------------------------------------- a paper folder, reused
@pytest.fixture(scope="module")
def base():
    """tmp/templates (style, fonts, test macros) and tmp/paper, rewritten by every case."""
    folder = Path(tempfile.mkdtemp(prefix="paperpipe-props-"))
    copy_templates(folder / "templates", MACROS)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


MINI_META = yaml.safe_load((MINI / "paper.yaml").read_text(encoding="utf-8"))


def write_paper(base: Path, section: str | bytes, paper_yaml: str | bytes | None = None) -> Path:
    paper = base / "paper"
    shutil.rmtree(paper, ignore_errors=True)
    (paper / "sections").mkdir(parents=True)
    (paper / "figures").mkdir()
    shutil.copy(MINI / "figures" / "map.svg", paper / "figures" / "map.svg")
    if paper_yaml is None:
        meta = dict(MINI_META, sections=["sections/gen.md"])
        paper_yaml = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    for name, data in (("paper.yaml", paper_yaml), ("sections/gen.md", section)):
        (paper / name).write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return paper


HUNT_LOG = os.environ.get("PAPERPIPE_HUNT_LOG")  # the bug hunt appends one line per case: name, seconds, outcome
MAX_SECONDS = 10.0  # any content under 1 MB builds or stops with an error within this (issue 8)


def pipeline(name: str, base: Path, kept: list | None = None) -> list:
    """Read, check and (if clean) render, timed; only BuildError may come out.
    Returns the problems that stopped the build ([] when it rendered); the
    paper as read goes into ``kept`` (a list), when given and it was read."""
    import time

    CASES[name] += 1
    started, cpu = time.perf_counter(), time.process_time()
    outcome = "error"
    try:
        problems = _pipeline(name, base, kept)
        outcome = "refused" if problems else "rendered"
        return problems
    finally:
        # the work a case took: CPU seconds (on a shared machine the wall clock also counts the others' work)
        seconds, wall = time.process_time() - cpu, time.perf_counter() - started
        CASES["worst seconds"] = max(CASES["worst seconds"], seconds)
        if HUNT_LOG:
            with open(HUNT_LOG, "a", encoding="utf-8") as log:
                log.write(f"{name}\t{seconds:.3f}\t{outcome}\t{wall:.3f}\n")
        if outcome != "error":
            assert seconds < MAX_SECONDS, f"{name}: {seconds:.1f} s of work"


def _opens_in(shown: str, base: Path) -> bool:
    """A problem's file, opened from the current folder, is in the case's
    folder (or it names no file: SOURCE_DATE_EPOCH, <generated>)."""
    return "/" not in shown or (Path.cwd() / shown).resolve().is_relative_to(base.resolve())


# The properties whose subject is the text itself render the page as a build
# does, its house font cut to the generated characters; the others (nesting,
# sizes, SVG, YAML structure) render every format as --check does, without
# cutting the page's font (a third of a small page's work, and the same
# work whatever the structure: the text properties give it every character).
TEXT_CASES = {"valid markdown", "markdown", "raw section", "paper.yaml text"}


def _pipeline(name: str, base: Path, kept: list | None = None) -> list:
    try:
        loaded = load(base / "paper", base / "templates")
    except BuildError as exc:
        assert exc.problems, "a BuildError without problems"
        for problem in exc.problems:
            text = str(problem)
            assert problem.message and problem.advice, text
            assert problem.line >= 0 and "\n" not in problem.file, text
            assert _opens_in(problem.file, base), text  # shown as it opens from the folder the command ran in
            assert "Traceback" not in text
        return exc.problems
    if kept is not None:
        kept.append(loaded)
    try:
        data, pages = render(loaded, FORMATS, base / "templates", checking=name not in TEXT_CASES)
    except BuildError as exc:  # content that cannot be laid out: an error at its line
        assert exc.problems and all(p.message and p.advice and _opens_in(p.file, base) for p in exc.problems), exc
        return [p for p in exc.problems if p.severity == "error"]
    CASES[name + ":rendered"] += 1
    assert pages >= 1
    assert data["pdf"].startswith(b"%PDF-") and data["pdf"].rstrip().endswith(b"%%EOF")
    if HAS_DOCX:
        assert data["docx"][:2] == b"PK"
    return []


# ----------------------------------------------------------------------------- Markdown
def _in_font(chars: str) -> list[str]:
    from reportlab.pdfbase.ttfonts import TTFont

    cmap = TTFont("props-probe", str(ROOT / "templates" / "fonts" / "Carlito-Regular.ttf")).face.charToGlyph
    return [ch for ch in chars if ord(ch) in cmap]


# characters the font has (Latin, Greek, Cyrillic, typography); ODD below has some it has not
FONT_TEXT = st.text(st.sampled_from(_in_font(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-()/%€£"
    "àéèêëïôöüçñßøåæœłńśźżčřšž" "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΕΘΛΠΣΦΨΩάέήίόύώ"
    "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯёЁіїєґ"
    "–—‘’“”„…•·°±×÷½¼¾©®™§¶†‡‰′″«»‹›")), max_size=12)
ODD = st.sampled_from([
    "&", "<", ">", '"', "'", "&amp;", "&lt;", "&#x41;", "&nosuch;", "\\", "*", "**", "_", "__", "`", "``", "|", "[", "]",
    "(", ")", "{", "}", "{{", "}}", "{%", "%}", "{#", "#}", "{#x}", "{-}", "<b>", "</b>", "<br>", "<div>", "<!-- c -->",
    "<https://example.org>", "<x@y.z>", "<script>alert(1)</script>", "![", "](", "#", "##", ":::", "```", "~~~", "---",
    "***", "> ", "1.", "- ", "+", "    ", "\t", "\u00a0", "\u200b", "\u200d", "\u202e", "\u2028", "\ufeff", "\x00",
    "\x07", "\x1b", "\r", "\u0301", "☃", "🙂", "👩‍👩‍👧", "汉字", "עברית", "العربية", "\U0010ffff", "\ud800",
])
IDS = st.sampled_from(["intro", "results", "fig-map", "tab-x", "missing", "Intro", "1bad", "a b", "x" * 60, "é", ""])
PATHS = st.sampled_from(["figures/map.svg", "figures/missing.svg", "../x.svg", "/etc/passwd", "figures/map.gif",
                         "figures", "", "figures/map.svg#frag", "figures/../figures/map.svg", "C:\\x.png", "https://e.org/x.png"])
WORDS = st.lists(st.one_of(FONT_TEXT, FONT_TEXT, FONT_TEXT, ODD), max_size=6).map(" ".join)

inline = st.one_of(
    WORDS,
    WORDS.map(lambda t: f"**{t}**"),
    WORDS.map(lambda t: f"*{t}*"),
    WORDS.map(lambda t: f"`{t}`"),
    st.tuples(WORDS, IDS).map(lambda x: f"[{x[0]}](#{x[1]})"),
    IDS.map(lambda i: f"[](#{i})"),
    WORDS.map(lambda t: f"[{t}](https://example.org/?a=1&b=<2>)"),
    WORDS.map(lambda t: f"[{t}](relative/page.html)"),
    st.sampled_from(["{{ greet('A & B') }}", "{{ x }}", "{{", "}}", "<span>x</span>", "\\<b\\>", "a  \nb", "a\\\nb"]),
)
line = st.lists(inline, min_size=1, max_size=4).map(" ".join)


def _pipe_table(x) -> str:
    width, rows, caption = x
    rows = [(r + [""] * width)[:width] for r in rows]
    head = "| " + " | ".join(rows[0]) + " |"
    rule = "|" + "|".join(["---", ":--", "--:", ":-:"][i % 4] for i in range(width)) + "|"
    body = ["| " + " | ".join(r) + " |" for r in rows[1:]]
    table = "\n".join([head, rule, *body])
    return table + (f"\n\nTable: {caption}" if caption is not None else "")


grid_cell = st.one_of(
    WORDS, st.none(), st.integers(), st.floats(allow_nan=True),
    st.fixed_dictionaries({"text": st.one_of(WORDS, st.none(), st.integers())},
                          optional={"colspan": st.one_of(st.integers(-2, 4), st.just(10**9), st.text(max_size=3)),
                                    "rowspan": st.one_of(st.integers(-2, 4), st.just(10**9), st.none()),
                                    "role": st.sampled_from(["time", "day", "head", "x"]),
                                    "align": st.sampled_from(["left", "center", "right", "diagonal"])}),
    st.lists(WORDS, max_size=2),
)
grid_table = st.fixed_dictionaries(
    {"rows": st.lists(st.one_of(st.lists(grid_cell, max_size=4),
                                st.fixed_dictionaries({"cells": st.lists(grid_cell, max_size=4)},
                                                      optional={"role": st.sampled_from(["header", "day", "break", "session"])}),
                                WORDS), max_size=5)},
    optional={"caption": WORDS, "id": IDS, "columns": st.one_of(st.integers(-1, 6), WORDS),
              "widths": st.one_of(st.lists(st.one_of(st.integers(-1, 5), st.floats(allow_nan=True)), max_size=5), WORDS),
              "header_rows": st.one_of(st.integers(-1, 6), st.none()), "style": st.sampled_from(["default", "recommendations", "x"])},
).map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False))

block = st.one_of(
    st.lists(line, min_size=1, max_size=3).map("\n".join),
    st.tuples(st.integers(1, 5), line, st.one_of(st.just(""), IDS.map(lambda i: f" {{#{i}}}"), st.just(" {-}"))).map(
        lambda x: "#" * x[0] + " " + x[1] + x[2]),
    st.lists(line, min_size=1, max_size=4).map(lambda items: "\n".join("- " + i for i in items)),
    st.tuples(st.integers(0, 10**9), st.lists(line, min_size=1, max_size=3)).map(
        lambda x: "\n".join(f"{x[0] + n}. {i}" for n, i in enumerate(x[1]))),
    st.tuples(st.integers(1, 4), st.lists(st.lists(WORDS, max_size=5), min_size=1, max_size=4),
              st.one_of(st.none(), line, IDS.map(lambda i: f"Votes {{#{i}}}"))).map(_pipe_table),
    st.tuples(line, PATHS, IDS, st.sampled_from(["", ' width="60%"', ' width="0%"', " width=2", ' width="x"', ' alt="A & <b>"'])).map(
        lambda x: f"![{x[0]}]({x[1]}){{#{x[2]}{x[3]}}}" if x[2] else f"![{x[0]}]({x[1]})"),
    st.tuples(WORDS, st.lists(line, max_size=2)).map(lambda x: f"::: sidebar {x[0]}\n" + "\n\n".join(x[1]) + "\n:::"),
    st.tuples(WORDS, IDS).map(lambda x: f"::: figure {x[0]} {{#{x[1]}}}\n| a | b |\n|---|---|\n| 1 | 2 |\n:::"),
    grid_table.map(lambda y: f"```table\n{y}```"),
    st.text(max_size=60).map(lambda y: f"```table\n{y}\n```"),
    st.sampled_from(["<div>x</div>", "<!-- comment -->", "> a quote", "---", "```python\nprint(1)\n```", "    indented code",
                     "{{ greet('Anna & <Bob>') }}", "{{ greet( }}", "{{ nosuch() }}", "{{ meta.title }}", "{{ data.x }}",
                     "{{ ''.__class__.__mro__ }}", "{% for x in range(3) %}x{% endfor %}", "{{ row('a|b', '*c*') }}",
                     "{{ greet(meta) }}", "::: sidebar", ":::", "::: figure", "[ref]: https://example.org", "Table: lonely"]),
    st.text(max_size=120),
)
markdown = st.lists(block, max_size=7).map("\n\n".join)


@SETTINGS
@given(body=markdown)
def test_generated_markdown_never_raises(base, body):
    """A heading first, so that many cases are valid and reach the writers."""
    write_paper(base, "# Generated {#intro}\n\n" + body + "\n")
    pipeline("markdown", base)


# Markdown an editor may legitimately write: it must not only not raise, it
# must build, so that the writers see many shapes of content
WORD = FONT_TEXT.filter(lambda t: t.strip() != "")
SAFE = st.lists(st.one_of(WORD, WORD, WORD, st.sampled_from(["&", "\\<", "\\>", '"', "'", "it's", "A&B", "\\<b\\>", "&amp;", "&lt;"])),
                min_size=1, max_size=6).map(" ".join)
safe_inline = st.one_of(SAFE, SAFE.map(lambda t: f"**{t}**"), SAFE.map(lambda t: f"*{t}*"), SAFE.map(lambda t: f"`{t}`"),
                        st.just("[](#intro)"), SAFE.map(lambda t: f"[{t}](#intro)"), SAFE.map(lambda t: f"[{t}](https://example.org/?a=1&b=2)"))
safe_line = st.lists(safe_inline, min_size=1, max_size=4).map(" ".join)
safe_cell = st.one_of(SAFE, st.fixed_dictionaries({"text": SAFE}, optional={"align": st.sampled_from(["left", "center", "right"]),
                                                                              "role": st.sampled_from(["time", "day", ""])}))


def _grid(x) -> str:
    width, rows, caption, header = x
    data = {"rows": [{"cells": (r + ["-"] * width)[:width]} for r in rows], "header_rows": min(header, len(rows))}
    if caption:
        data["caption"] = caption
    return "```table\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "```"


safe_block = st.one_of(
    st.lists(safe_line, min_size=1, max_size=3).map("\n".join),
    st.lists(safe_line, min_size=1, max_size=4).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(safe_line, min_size=1, max_size=4).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    st.tuples(st.integers(1, 4), st.lists(st.lists(SAFE, max_size=5), min_size=1, max_size=5),
              st.one_of(st.none(), SAFE)).map(_pipe_table),
    st.tuples(st.integers(1, 4), st.lists(st.lists(safe_cell, min_size=1, max_size=4), min_size=1, max_size=5),
              st.one_of(st.none(), SAFE), st.integers(0, 2)).map(_grid),
    st.tuples(SAFE, st.sampled_from(['{alt="Drawing of the map, 1"}', '{width="60%" alt="Drawing of the map, 2"}', '{width="100%" alt="A & B, drawn"}'])).map(lambda x: f"![{x[0]}](figures/map.svg){x[1]}"),
    # sidebars of paragraphs and lists (a list in a box once crashed the PDF writer)
    st.tuples(SAFE, st.lists(safe_line, min_size=1, max_size=2), st.booleans()).map(
        lambda x: f"::: sidebar {x[0]}\n" + "\n\n".join(("- " if x[2] else "Note: ") + ln for ln in x[1]) + "\n:::"),
    SAFE.map(lambda t: f"::: figure {t}\n| a | b |\n|---|---|\n| 1 | 2 |\n:::"),
)


@st.composite
def safe_markdown(draw) -> str:
    parts, last, numbered = [], 1, 1  # no level may be skipped, in the outline or in the numbering
    for _ in range(draw(st.integers(1, 5))):
        level = draw(st.integers(1, min(last + 1, 3)))
        flag = draw(st.sampled_from(["", "", " {-}"]))
        if level > numbered + 1:
            flag = " {-}"
        last, numbered = level, (numbered if flag else level)
        parts.append("#" * level + " " + draw(SAFE) + flag)
        parts.extend(draw(st.lists(safe_block, max_size=3)))
    return "\n\n".join(parts)


@SETTINGS
@given(body=safe_markdown())
def test_valid_generated_markdown_builds(base, body):
    write_paper(base, "# Generated {#intro}\n\n" + body + "\n")
    problems = pipeline("valid markdown", base)
    assert not problems, "valid Markdown was refused:\n" + "\n".join(map(str, problems))


def test_list_in_a_sidebar_builds(base):
    write_paper(base, "# Generated {#intro}\n\n::: sidebar Speakers\n- Anna\n- Bob\n:::\n")
    assert pipeline("fixed cases", base) == []


@SETTINGS
@given(text=st.one_of(st.text(max_size=400), st.binary(max_size=200)), heading=st.booleans())
def test_arbitrary_section_text_never_raises(base, text, heading):
    """Any text at all, or any bytes (not UTF-8, NUL, lone surrogates)."""
    if heading:
        text = (b"# Heading\n\n" if isinstance(text, bytes) else "# Heading\n\n") + text
    write_paper(base, text)
    pipeline("raw section", base)


# ----------------------------------------------------------------------------- paper.yaml
DELETE = object()
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                   FONT_TEXT, WORDS, st.text(max_size=20), st.dates().map(str), st.just(""))
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(st.one_of(FONT_TEXT, st.integers()), inner, max_size=3)),
                     max_leaves=8)
FIELDS = ["title", "author", "subject", "language", "date", "deliverable", "output", "header", "sections", "cover",
          "labels", "keywords", "data", "extra"]
field_value = st.one_of(value, WORDS, FONT_TEXT, st.lists(FONT_TEXT, max_size=3), st.just(DELETE),
                        st.lists(st.sampled_from(["sections/gen.md", "sections/none.md", "../x.md", "/etc/passwd", "sections"]),
                                 max_size=3),
                        st.dictionaries(st.sampled_from(["people", "agenda"]),
                                        st.sampled_from(["data/p.yaml", "../p.yaml", "/etc/passwd", "paper.yaml", ""]), max_size=2),
                        st.dictionaries(st.sampled_from(["figure", "table", "contents", "section", "x"]), WORDS, max_size=3))


@SETTINGS
@given(changes=st.dictionaries(st.sampled_from(FIELDS), field_value, min_size=1, max_size=4))
@example(changes={"title": "\ud800"})  # found: a YAML escape made a lone surrogate that crashed the PDF writer
@example(changes={"data": {"x": "data/\ud800.yaml"}})  # found by the bug hunt: such a path crashed the file look-up
def test_generated_paper_yaml_values_never_raise(base, changes):
    meta = dict(MINI_META, sections=["sections/gen.md"])
    for key, new in changes.items():
        if new is DELETE:
            meta.pop(key, None)
        else:
            meta[key] = new
    try:
        text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        text = yaml.safe_dump(meta, allow_unicode=False, sort_keys=False)
    write_paper(base, "# Results {#results}\n\nSee [](#results) & <https://example.org>.\n", text)
    pipeline("paper.yaml values", base)


@SETTINGS
@given(field=st.sampled_from(FIELDS[:8] + ["keywords", "extra"]), raw=st.text(max_size=60),
       where=st.sampled_from(["value", "line", "indented"]))
def test_raw_text_in_paper_yaml_never_raises(base, field, raw, where):
    """What an editor types straight into paper.yaml, unquoted: any characters,
    tabs, colons, brackets, control characters, tags."""
    lines = yaml.safe_dump(dict(MINI_META, sections=["sections/gen.md"]), allow_unicode=True, sort_keys=False).splitlines()
    index = next((i for i, ln in enumerate(lines) if ln.startswith(field + ":")), len(lines))
    if where == "value":
        lines[index:index + 1] = [f"{field}: {raw}"]
    elif where == "line":
        lines.insert(index, raw)
    else:
        lines.insert(index + 1, "  " + raw)
    write_paper(base, "# Results {#results}\n\nText.\n", "\n".join(lines) + "\n")
    pipeline("paper.yaml text", base)


# ----------------------------------------------------------------------------- issue 8: a generator per class
PEOPLE_SCHEMA = """{"type": "object", "additionalProperties": false,
  "properties": {"speakers": {"type": "array", "items": {"type": "string"}}, "extra": {}}}"""


@st.composite
def aliased_yaml(draw) -> str:
    """YAML whose anchors and aliases nest: from harmless sharing to a bomb."""
    width, depth = draw(st.integers(1, 12)), draw(st.integers(1, 9))
    lines = [f"a0: &a0 [{', '.join(repr(draw(WORDS)) for _ in range(width))}]"]
    for level in range(1, depth + 1):
        items = ", ".join(f"*a{draw(st.integers(0, level - 1))}" for _ in range(width))
        lines.append(f"a{level}: &a{level} [{items}]")
    key = draw(st.sampled_from(["speakers", "extra", "rows"]))
    lines.append(f"{key}: *a{depth}")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(text=aliased_yaml(), where=st.sampled_from(["data", "table"]))
def test_yaml_with_aliases_is_bounded(base, text, where):
    if where == "data":
        write_paper(base, "# Data {#intro}\n\nText.\n")
        (base / "paper" / "data").mkdir()
        (base / "paper" / "data" / "people.yaml").write_text(text, encoding="utf-8")
        (base / "templates" / "schemas").mkdir(exist_ok=True)
        (base / "templates" / "schemas" / "people.schema.json").write_text(PEOPLE_SCHEMA, encoding="utf-8")
        with (base / "paper" / "paper.yaml").open("a", encoding="utf-8") as handle:
            handle.write("data:\n  people: data/people.yaml\n")
    else:
        write_paper(base, "# Table {#intro}\n\n```table\n" + text + "```\n")
    pipeline("yaml aliases", base)


@st.composite
def nested_markdown(draw) -> str:
    """Lists, boxes and quotes inside each other, past markdown-it's limit."""
    depth = draw(st.integers(1, 40))
    out, indent = [], ""
    for level in range(depth):
        kind = draw(st.sampled_from(["- ", "1. ", "> ", "::: sidebar ", "::: figure ", "* "]))
        if kind.startswith(":::"):
            out.append(f"{indent}{kind}{draw(SAFE)}")
        else:
            out.append(f"{indent}{kind}{draw(SAFE)}")
            indent += " " * len(kind) if kind != "> " else "> "
    out.append(indent + draw(SAFE))
    closers = draw(st.integers(0, depth))
    out += [":::"] * closers
    return "\n".join(out) + "\n\n## After {#after}\n\n" + draw(SAFE)


@SETTINGS
@given(body=nested_markdown())
def test_deep_nesting_never_drops_silently(base, body):
    write_paper(base, "# Nested {#intro}\n\n" + body + "\n")
    read: list = []
    problems = pipeline("deep nesting", base, read)
    if not problems:  # it built: then the text after the nesting is there (in the paper it read, not read again)
        [loaded] = read
        assert any(getattr(b, "id", "") == "after" for b in loaded.doc.blocks)


SVG_REFS = st.sampled_from(["#a", "#nosuch", "../x.png", "../../x.png", "/etc/passwd", "file:///etc/passwd",
                            "https://example.org/x.png", "dot.png", "map.svg#a", "data:image/png;base64,iVBORw0KGgo=",
                            "dot%20x.png", "figures/dot.png", "", "javascript:alert(1)"])
SVG_PARTS = st.one_of(
    SVG_REFS.map(lambda r: f'<image href="{r}" width="10" height="10"/>'),
    SVG_REFS.map(lambda r: f'<image xlink:href="{r}" width="10" height="10"/>'),
    SVG_REFS.map(lambda r: f'<use href="{r}"/>'),
    SVG_REFS.map(lambda r: f'<rect style="fill: url({r})" width="5" height="5"/>'),
    SVG_REFS.map(lambda r: f'<style>@import url({r}); rect {{ fill: url({r}) }}</style>'),
    st.just('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/>'),
    st.just('<?xml-stylesheet href="x.css"?>'),
    st.just('<g id="a"><rect width="3" height="3"/></g>'),
    st.integers(1, 14).map(lambda n: "".join(f'<g id="u{i}"><use href="#u{i - 1}"/><use href="#u{i - 1}"/></g>' for i in range(1, n))),
    st.just('<g id="loop"><use href="#loop"/></g>'),
    st.just("<script>alert(1)</script>"), st.just("<foreignObject><p>x</p></foreignObject>"),
    st.just('<text x="5" y="20">Text &amp; more</text>'),
)
SVG_PROLOG = st.sampled_from(["", '<?xml version="1.0"?>\n', '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
                              '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n',
                              '<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'])
SVG_SIZE = st.sampled_from(['width="400" height="160"', 'width="0" height="0"', 'width="100000" height="10"',
                            'width="10" height="100000"', 'width="-5" height="x"', 'viewBox="0 0 0 0"', ""])


@SETTINGS
@given(prolog=SVG_PROLOG, size=SVG_SIZE, parts=st.lists(SVG_PARTS, max_size=6))
@example(prolog="", size='width="400" height="160"', parts=['<image href="#a" width="10" height="10"/>'])  # found by the bug hunt: crashed the PDF writer
def test_hostile_svg_is_refused_or_drawn(base, prolog, size, parts):
    from PIL import Image

    write_paper(base, '# Figure {#intro}\n\n![A figure](figures/map.svg){#fig-x alt="A drawn figure"}\n')
    Image.new("RGB", (8, 8), "red").save(base / "paper" / "figures" / "dot.png")
    Image.new("RGB", (8, 8), "blue").save(base / "x.png")
    svg = (prolog + f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" {size}>'
           + "".join(parts) + '<rect width="10" height="10"/></svg>')
    (base / "paper" / "figures" / "map.svg").write_text(svg, encoding="utf-8")
    problems = pipeline("hostile svg", base)
    for problem in problems:  # nothing outside the content folder was read into the outputs
        assert "passwd" not in problem.message or "refers to" in problem.message or "entit" in problem.message, str(problem)


@st.composite
def huge_table_or_image(draw) -> tuple[str, tuple | None]:
    kind = draw(st.sampled_from(["columns", "tall cell", "rows", "image"]))
    if kind == "columns":
        n = draw(st.integers(1, 80))
        return "| " + " | ".join(f"c{i}" for i in range(n)) + " |\n|" + "---|" * n + "\n| " + " | ".join(draw(SAFE) for _ in range(n)) + " |\n", None
    if kind == "tall cell":
        lines = draw(st.integers(1, 400))
        return ("```table\nrows:\n  - cells: [a, b]\n  - cells:\n      - |\n"
                + "".join(f"        line {i} \\\n" for i in range(lines)) + "      - x\n```\n"), None
    if kind == "rows":
        rows = draw(st.integers(1, 1500))
        return "| a | b |\n|---|---|\n" + "".join(f"| {i} | row {i} |\n" for i in range(rows)) + "\nTable: Many rows\n", None
    size = draw(st.sampled_from([(1, 1), (1, 4000), (4000, 1), (3000, 3000), (7100, 7100), (20000, 3)]))
    return '![A picture](figures/pic.png){#fig-pic alt="A picture"}\n', size


@SETTINGS
@given(case=huge_table_or_image())
def test_huge_tables_and_images_are_bounded(base, case):
    from PIL import Image

    body, size = case
    write_paper(base, "# Large {#intro}\n\n" + body)
    if size is not None:
        Image.new("1", size).save(base / "paper" / "figures" / "pic.png")
    pipeline("huge tables and images", base)
