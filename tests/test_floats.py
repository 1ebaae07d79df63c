"""Issue 19, "Pages well filled" (the PDF): a figure or table that does not
fit where it is written floats to the top of the next page and the text
after it fills the page, unless the source pins it (``place=here``); floats
keep their order, never pass a level-1 heading or the end, never come
before where they are written; the contents and lists follow; the tagged
PDF reads each float where the source puts it; and the paper's body pages
are filled (measured on rendered pixels, tests/pagefill.py).

Small made-up papers are built in tmp folders from the mini paper's
paper.yaml, with a tall picture that cannot fit below five paragraphs."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import CONTENT, MINI, ROOT, copy_templates, needs, real_paper, run_build
from pagefill import BODY_LIMIT, empty_at_foot, fill_problems
from paperpipe import model as m
from paperpipe.errors import Problems
from paperpipe.pipeline import load
from paperpipe.theme import load_theme
from paperpipe.visit import plain_text

PAPER_PDF = "D4.04b06-clusters-driving-the-green-and-digital-transition.pdf"

TALL = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300"><rect width="400" height="300" fill="#0B2A5B"/></svg>\n'
WORDS = ("Clusters bring firms, research centres and public bodies of a region together, share services and skills, "
         "and help their members find partners, markets and funding for the green and digital transition. ")


def para(name: str, sentences: int = 2) -> str:
    return f"{name} says: " + WORDS * sentences + "\n"


def figure(n: int, attrs: str = "") -> str:
    return f'![Tall picture {n}](figures/tall.svg){{#fig-tall-{n} {attrs} alt="A dark blue rectangle, number {n}"}}\n'


def make_paper(tmp_path: Path, *sections: str, templates: Path | None = None) -> tuple[Path, Path]:
    """A paper of the given section files (Markdown), built to PDF: its folder and the PDF."""
    root = tmp_path / "paper"
    (root / "sections").mkdir(parents=True)
    (root / "figures").mkdir()
    (root / "figures" / "tall.svg").write_text(TALL, encoding="utf-8")
    names = []
    for i, text in enumerate(sections, 1):
        (root / "sections" / f"{i:02}.md").write_text(text, encoding="utf-8")
        names.append(f"  - sections/{i:02}.md")
    yaml = (MINI / "paper.yaml").read_text(encoding="utf-8")
    yaml = yaml[: yaml.index("sections:")] + "sections:\n" + "\n".join(names) + "\n"
    (root / "paper.yaml").write_text(yaml, encoding="utf-8")
    args = ["--format", "pdf", "--content", str(root), "--output", str(tmp_path / "out")]
    if templates is not None:
        args += ["--templates", str(templates)]
    result = run_build(*args)
    assert result.returncode == 0, result.stderr
    return root, next((tmp_path / "out").glob("*.pdf"))


def pages_text(pdf: Path) -> list[str]:
    """Each page's text (index 0 = physical page 1)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def page_of(pages: list[str], needle: str) -> int:
    """The physical page (from 1) of the body where ``needle`` first stands (the contents page, 2, left out)."""
    found = [i + 1 for i, text in enumerate(pages) if needle in text and i + 1 > 2]
    assert found, needle
    return found[0]


def body_lines(page: str) -> list[str]:
    """A page's lines less the running header (its first two) and the page number (its last)."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return lines[2:-1]


def theme():
    return load_theme(ROOT / "templates", Problems(ROOT))


# ----------------------------------------------------------------------------- the float and the pin
FIVE = "".join(para(f"Alpha{i}") + "\n" for i in range(1, 6))
AFTER = "".join(para(f"Bravo{i}") + "\n" for i in range(1, 7))


@needs("pdftotext")
@needs("pdftoppm")
def test_a_figure_that_does_not_fit_floats_to_the_next_page_and_the_text_fills_this_one(tmp_path):
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + figure(1) + "\n" + AFTER)
    pages = pages_text(pdf)
    figure_page = page_of(pages, "Figure 1: Tall picture 1")
    assert page_of(pages, "Alpha5") == 3 and figure_page == 4
    assert page_of(pages, "Bravo1") == 3  # the text after the figure moved up
    assert body_lines(pages[3])[0].startswith("Figure 1: Tall picture 1")  # at the top of the next page
    # and the page it left is filled
    assert empty_at_foot(pdf, theme().page)[2] <= BODY_LIMIT
    # the list of figures gives the page it landed on (printed numbers: the cover is unnumbered)
    entry = next(line for line in pages[1].splitlines() if "Tall picture 1" in line)
    assert entry.split()[-1] == str(figure_page - 1)


@needs("pdftotext")
@needs("pdftoppm")
def test_a_pinned_figure_stays_where_it_is_written(tmp_path):
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + figure(1, "place=here") + "\n" + AFTER)
    pages = pages_text(pdf)
    assert page_of(pages, "Figure 1: Tall picture 1") == 4
    assert page_of(pages, "Bravo1") == 4  # after it, as written
    text = pages[3]
    assert text.index("Figure 1: Tall picture 1") < text.index("Bravo1")
    assert empty_at_foot(pdf, theme().page)[2] > BODY_LIMIT  # the room it could not use stays empty


@needs("pdftotext")
def test_floats_keep_their_order_and_never_come_before_where_they_are_written(tmp_path):
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + figure(1) + "\n" + para("Bravo1", 1) + "\n" + figure(2) + "\n" + AFTER)
    pages = pages_text(pdf)
    whole = "".join(pages[2:])
    assert whole.index("Alpha5") < whole.index("Figure 1: Tall picture 1") < whole.index("Figure 2: Tall picture 2")
    # the first fits the next page's top, the second (held behind it) comes after it
    assert page_of(pages, "Figure 1: Tall picture 1") == 4
    assert page_of(pages, "Figure 2: Tall picture 2") >= 4
    assert page_of(pages, "Bravo1") == 3


@needs("pdftotext")
def test_a_float_never_passes_a_level_1_heading(tmp_path):
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + figure(1) + "\n" + para("Bravo1", 1) + "\n# Two {#two}\n\n" + para("Charlie1"))
    pages = pages_text(pdf)
    assert page_of(pages, "Bravo1") == 3 and page_of(pages, "Figure 1: Tall picture 1") == 4  # it was held back …
    whole = "\f".join(pages[2:])
    assert whole.index("Bravo1") < whole.index("Figure 1: Tall picture 1") < whole.index("2 Two") < whole.index("Charlie1")  # … not past Two


@needs("pdftotext")
def test_a_float_held_back_at_the_end_is_placed_after_the_last_words(tmp_path):
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + figure(1) + "\n" + para("Bravo1", 1))
    pages = pages_text(pdf)
    assert page_of(pages, "Bravo1") == 3 and page_of(pages, "Figure 1: Tall picture 1") == 4
    assert len(pages) == 4 and "".join(pages).count("Figure 1: Tall picture 1") == 2  # in the list of figures and once on its page


@needs("pdftotext")
def test_a_figure_under_its_heading_stays_with_it(tmp_path):
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + "## Under a heading {#under}\n\n" + figure(1) + "\n" + AFTER)
    pages = pages_text(pdf)
    heading, fig = page_of(pages, "1.1 Under a heading"), page_of(pages, "Figure 1: Tall picture 1")
    assert heading == fig == 4
    assert pages[3].index("1.1 Under a heading") < pages[3].index("Figure 1: Tall picture 1")


@needs("pdftotext")
def test_a_table_floats_as_a_figure_does(tmp_path):
    rows = "".join(f"| Row {i} | {WORDS} |\n" for i in range(1, 5))
    table = "| Item | Text |\n|---|---|\n" + rows + "\nTable: A table of text {#tab-text}\n"
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + para("Alpha6", 3) + "\n" + table + "\n" + AFTER)
    pages = pages_text(pdf)
    table_page = page_of(pages, "Table 1: A table of text")
    assert page_of(pages, "Bravo1") < table_page
    assert body_lines(pages[table_page - 1])[0].startswith("Table 1: A table of text")


# ----------------------------------------------------------------------------- reading order and PDF/UA
@needs("pdfinfo")
def test_the_structure_tree_reads_a_float_where_the_source_puts_it(tmp_path):
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + figure(1) + "\n" + AFTER)
    tree = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = pages_text(pdf)
    assert page_of(pages, "Bravo1") < page_of(pages, "Figure 1: Tall picture 1")  # drawn after Bravo1 …
    body = tree[tree.index("Alpha1"):]  # after the list of figures
    assert body.index("Alpha5") < body.index("Figure 1: Tall picture 1") < body.index("Bravo1")  # … read before it


@pytest.mark.skipif(shutil.which("pdfua") is None or shutil.which("outloud") is None, reason="pdfua or outloud is not installed")
def test_a_paper_with_floats_is_valid_pdf_ua(tmp_path):
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + figure(1) + "\n" + para("Bravo1", 1) + "\n" + figure(2) + "\n" + AFTER)
    out = subprocess.run(["pdfua", "check", "-f", "json", str(pdf)], capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert report["findings"] == [] and report["skipped"] == [] and out.returncode == 0, report
    out = subprocess.run(["outloud", "--json", "-", str(pdf)], capture_output=True, text=True)
    result = json.loads(out.stdout)["results"][0]
    assert result["error"] is None and result["stats"]["tagged"]
    assert [f for f in result["findings"] if f["severity"] != "info"] == []


# ----------------------------------------------------------------------------- the source's and the theme's words
def test_realize_decides_which_blocks_float_from_the_theme_and_the_source(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(MINI, root)
    text = (root / "sections" / "02-results.md").read_text(encoding="utf-8")
    (root / "sections" / "02-results.md").write_text(text.replace('{#fig-map ', '{#fig-map place=here '), encoding="utf-8")
    templates = copy_templates(tmp_path / "t")
    style = (templates / "style.yaml").read_text(encoding="utf-8")
    assert "  tables: next-page-top\n" in style
    (templates / "style.yaml").write_text(style.replace("  tables: next-page-top\n", "  tables: here\n"), encoding="utf-8")
    from paperpipe.realize import realize

    loaded = load(root, templates)
    doc = realize(loaded.doc, loaded.theme)
    placed = {b.id: b.placement for b in doc.blocks if isinstance(b, (m.Figure, m.Table))}
    assert placed == {"fig-map": m.HERE, "tab-votes": m.HERE}
    (root / "sections" / "02-results.md").write_text(text.replace("{#tab-votes}", "{#tab-votes place=next-page-top}"), encoding="utf-8")
    loaded = load(root, templates)
    doc = realize(loaded.doc, loaded.theme)
    placed = {b.id: b.placement for b in doc.blocks if isinstance(b, (m.Figure, m.Table))}
    assert placed == {"fig-map": m.NEXT_PAGE_TOP, "tab-votes": m.NEXT_PAGE_TOP}  # the theme's rule for figures, the source's for the table


@pytest.mark.parametrize("old,new,what", [
    ("{#fig-map ", "{#fig-map place=top ", "a figure"),
    ("{#tab-votes}", "{#tab-votes place=float}", "a table"),
])
def test_a_place_that_is_not_understood_is_an_error_at_its_line(tmp_path, old, new, what):
    root = tmp_path / "p"
    shutil.copytree(MINI, root)
    path = root / "sections" / "02-results.md"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = run_build("--check", "--content", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    value = new.split("place=")[1].split()[0].rstrip("}")
    assert re.search(rf"02-results\.md:{line}: place=\"{value}\" of {what} is not understood", result.stderr), result.stderr
    assert "place=here" in result.stderr


def test_place_in_a_figure_box_and_a_table_block(tmp_path):
    box = "::: figure A panel {#fig-panel place=nowhere}\nSome words.\n:::\n"
    block = "```table\ncaption: A grid\nid: tab-grid\nplace: sideways\nrows:\n  - cells: [a, b]\n```\n"
    root = tmp_path / "p"
    shutil.copytree(MINI, root)
    path = root / "sections" / "02-results.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + box + "\n" + block, encoding="utf-8")
    lines = (text + "\n" + box + "\n" + block).splitlines()
    box_line = lines.index(box.splitlines()[0]) + 1
    place_line = lines.index("place: sideways") + 1
    result = run_build("--check", "--content", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"02-results.md:{box_line}: place=\"nowhere\" of a figure box is not understood" in result.stderr, result.stderr
    assert f"02-results.md:{place_line}: place=\"sideways\" of a table is not understood" in result.stderr, result.stderr


def test_a_floats_rule_the_theme_does_not_know_is_an_error_at_its_line(tmp_path):
    templates = copy_templates(tmp_path / "t")
    style = (templates / "style.yaml").read_text(encoding="utf-8")
    line = style[: style.index("  figures: next-page-top")].count("\n") + 1
    (templates / "style.yaml").write_text(style.replace("  figures: next-page-top", "  figures: anywhere"), encoding="utf-8")
    problems = Problems(ROOT)
    assert load_theme(templates, problems) is None
    assert [(p.line, "next-page-top" in f"{p.message} {p.advice}") for p in problems.errors] == [(line, True)], problems.errors


# ----------------------------------------------------------------------------- the paper's pages
def _paper_pages(paper_out: Path) -> tuple[range, set[int]]:
    """The body's physical pages and those that open with a level-1 heading
    (its bookmark at the top of the text area), from the PDF's outline."""
    reader = PdfReader(paper_out / PAPER_PDF)
    page = theme().page
    top = page.height - page.margin_top
    opens = set()
    tops = [item for item in reader.outline if not isinstance(item, list)]
    for item in tops:
        number = reader.get_destination_page_number(item) + 1
        if item.top is not None and float(item.top) >= top - 30:
            opens.add(number)
    first = reader.get_destination_page_number(tops[0]) + 1
    # the body's text ends on the page of the last paragraph's last words: the
    # pages after it hold only the floats placed at the end (never past it)
    doc = real_paper().doc
    last = " ".join(plain_text(next(b for b in reversed(doc.blocks) if isinstance(b, m.Paragraph)).children).split()[-6:])
    pages = [" ".join(text.split()) for text in pages_text(paper_out / PAPER_PDF)]
    end = max(i + 1 for i, text in enumerate(pages) if last in text)
    return range(first, end + 1), opens


@needs("pdftoppm")
@needs("pdftotext")
def test_the_papers_body_pages_are_filled(paper_out):
    """At most 12% of the text area empty at the foot of a body page, 25%
    before a page that opens with a level-1 heading; the last page of the
    text is exempt (and so the pages of floats after it, if any)."""
    body, opens = _paper_pages(paper_out)
    assert len(body) > 10 and body.start in opens
    empty = empty_at_foot(paper_out / PAPER_PDF, theme().page)
    assert fill_problems(empty, opens, body) == []



@needs("pdftoppm")
def test_the_fill_measure_sees_an_empty_foot(tmp_path):
    """The measure itself: a page whose text stops early is mostly empty; and the rule's limits."""
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + para("Alpha1", 3))
    empty = empty_at_foot(pdf, theme().page)
    assert 0.6 < empty[2] < 0.95 and empty[0] < 0.05  # page 3 (the cover's logos stand at the foot of page 1)
    made_up = [0.0, 0.3, 0.2, 0.2, 0.9]
    assert [p.split(":")[0] for p in fill_problems(made_up, set(), range(3, 6))] == ["page 3", "page 4"]  # the last is exempt
    assert [p.split(":")[0] for p in fill_problems(made_up, {4}, range(3, 6))] == ["page 4"]  # 25% before a level-1 heading


# ----------------------------------------------------------------------------- long table rows
def _grid(cells: int, tag: str) -> str:
    items = "".join(f"        - {tag} item {i} of the session, with a few words for its line\n" for i in range(1, cells + 1))
    # without a caption: a numbered table that fits a page would float whole
    return ("```table\nwidths: [1, 4]\nrows:\n  - cells: [Time, What]\n"
            "  - cells:\n      - \"09:00\"\n      - |\n" + items + "```\n").replace("{tag}", tag)


@needs("pdftotext")
def test_a_long_row_the_theme_lets_split_runs_over_the_page_with_its_header(tmp_path):
    # split_rows_from: 4 in the shipped theme: a row of 30 items may split, a row of 3 may not
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + para("Alpha6", 1) + "\n" + _grid(30, "long") + "\n" + AFTER)
    pages = pages_text(pdf)
    first, last = page_of(pages, "long item 1 of"), page_of(pages, "long item 30 of")
    assert first == 3 and last == 4  # it starts where it is written and runs on
    top = body_lines(pages[3])
    assert top[0].split()[:2] == ["Time", "What"]  # the header row repeated above the row's rest
    assert empty_at_foot(pdf, theme().page)[2] <= BODY_LIMIT


@pytest.mark.parametrize("items,splits", [(3, False), (5, True)])
@needs("pdftotext")
def test_only_a_row_of_split_rows_from_paragraphs_or_more_splits(tmp_path, items, splits):
    """The same row at the same place at the foot of page 3: with 3 items
    (fewer than the theme's split_rows_from: 4) it goes whole to the next page,
    with 5 it starts on page 3 and runs on."""
    row = _grid(items, "row").replace("with a few words for its line", "with a few words for its line " * 6)
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + para("Alpha6", 4) + "\n" + row + "\n" + AFTER)
    pages = pages_text(pdf)
    assert page_of(pages, "Alpha6") == 3
    assert (page_of(pages, "row item 1 of"), page_of(pages, f"row item {items} of")) == ((3, 4) if splits else (4, 4))


# ----------------------------------------------------------------------------- a figure held by a list
@needs("pdftotext")
def test_a_figure_in_a_list_item_that_does_not_fit_goes_whole_to_the_next_page(tmp_path):
    # reportlab's kept-together group breaks the frame when it does not fit, which a list cannot do
    # (an internal error); the figure stays in its item, its caption with its picture, on the next page
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + "- Delta1 item\n\n  " + figure(1) + "\n- Delta2 item\n\n" + para("Bravo1", 1))
    pages = pages_text(pdf)
    assert page_of(pages, "Delta1") == 3
    assert page_of(pages, "Figure 1: Tall picture 1") == 4 and page_of(pages, "Delta2") == 4
    whole = "\f".join(pages[2:])
    assert whole.index("Delta1") < whole.index("Figure 1: Tall picture 1") < whole.index("Delta2") < whole.index("Bravo1")


@needs("pdftotext")
def test_a_row_of_long_paragraphs_runs_over_several_pages(tmp_path):
    # reportlab's split of the row left its top a few points taller than the room it was split for
    # (658 pt for 655), and the build stopped: "this cannot be laid out on the page"
    words = "Interoperability of telecommunications infrastructures and internationalisation strategies. " * 15
    cell = "".join(f"        Paragraph{i} {words}\n\n" for i in range(1, 9))
    grid = ("```table\nrows:\n  - role: header\n    cells: [Time, What]\n"
            "  - cells:\n      - \"09:00\"\n      - |\n" + cell + "```\n")
    _, pdf = make_paper(tmp_path, "# One {#one}\n\n" + FIVE + grid + "\n" + para("Bravo1", 1))
    pages = pages_text(pdf)
    first, last = page_of(pages, "Paragraph1 "), page_of(pages, "Paragraph8 ")
    assert last >= first + 2  # over three pages or more
    for i in range(1, 9):
        assert "".join(pages).count(f"Paragraph{i} ") == 1
    for page in pages[first:last]:
        assert body_lines(page)[0].split()[:2] == ["Time", "What"]  # the header over each part


# ----------------------------------------------------------------------------- a place that cannot be honoured
@pytest.mark.parametrize("body,what", [
    ("- an item\n\n  " + figure(1, "place=next-page-top") + "\n- another item\n", "inside a list"),
    ("::: sidebar A box\n\n" + figure(1, "place=next-page-top") + "\n:::\n", "inside a box"),
    ("```table\nplace: next-page-top\nrows:\n  - cells: [a, b]\n```\n", "without a caption"),
])
def test_place_next_page_top_where_nothing_can_float_is_an_error_at_its_line(tmp_path, body, what):
    # it was silently ignored: the figure or table stayed where it was written
    root = tmp_path / "p"
    (root / "sections").mkdir(parents=True)
    (root / "figures").mkdir()
    (root / "figures" / "tall.svg").write_text(TALL, encoding="utf-8")
    text = "# One {#one}\n\n" + para("Alpha1") + "\n" + body
    (root / "sections" / "01.md").write_text(text, encoding="utf-8")
    yaml = (MINI / "paper.yaml").read_text(encoding="utf-8")
    (root / "paper.yaml").write_text(yaml[: yaml.index("sections:")] + "sections:\n  - sections/01.md\n", encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "next-page-top" in row)
    if what == "without a caption":
        line = text.splitlines().index("```table") + 1
    result = run_build("--check", "--content", str(root))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert re.search(rf"01\.md:{line}: .*next-page-top.*{what}", result.stderr), result.stderr
    # place=here asks for what happens there anyway: no error
    (root / "sections" / "01.md").write_text(text.replace("next-page-top", "here"), encoding="utf-8")
    assert run_build("--check", "--content", str(root)).returncode == 0


@needs("pdftotext")
def test_what_waited_for_the_next_page_still_fits_below_the_floats_placed_at_its_top(tmp_path):
    # a figure in a list item moved to the next page, where the figure held back before it was placed
    # first and left too little room: reportlab took the waiting one for taller than a page ("5918629 mm")
    text = "# One {#one}\n\n" + "".join(para(f"Alpha{i}") + "\n" for i in range(1, 5)) + figure(1) + "\n" + para("Bravo1", 1)
    text += "\n- Delta1 item\n\n  " + figure(2) + "\n- Delta2 item\n"
    _, pdf = make_paper(tmp_path, text)
    pages = pages_text(pdf)
    whole = "\f".join(pages[2:])
    assert whole.index("Bravo1") < whole.index("Delta1") < whole.index("Figure 2: Tall picture 2") < whole.index("Delta2")
    assert page_of(pages, "Figure 1: Tall picture 1") < page_of(pages, "Figure 2: Tall picture 2")
