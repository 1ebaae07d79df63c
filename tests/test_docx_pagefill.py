"""Pages of the DOCX well filled in LibreOffice's layout: a long table row
(an agenda session with its panellists) may run over a page break, its
table's header rows repeated above the rest, where the theme's
``split_rows_from`` lets it; a short row, a header row and the rows of a
table that a figure shows stay whole."""
from __future__ import annotations

import re
import subprocess
import zipfile

from conftest import CONTENT, ROOT
from pagefill import empty_at_foot
from paperpipe import model as m
from paperpipe.pipeline import load
from paperpipe.visit import plain_text


def _loaded():
    return load(CONTENT, ROOT / "templates")


def _tables(blocks, in_figure=False):
    for block in blocks:
        if isinstance(block, m.Table):
            yield block, in_figure
        if isinstance(block, m.Figure):
            yield from _tables(block.body, True)
        elif isinstance(getattr(block, "blocks", None), tuple):
            yield from _tables(block.blocks, in_figure)


def _agenda(doc) -> m.Table:
    return next(t for t, _ in _tables(doc.blocks) if t.style == "agenda")


def _row_text(row: m.Row) -> str:
    return " ".join(plain_text(b.children) for c in row.cells for b in c.blocks if isinstance(b, m.Paragraph))


def test_the_theme_decides_which_rows_may_split():
    loaded = _loaded()
    theme, doc = loaded.theme, loaded.doc
    assert theme.table("agenda").split_rows_from == 4
    agenda = _agenda(doc)
    assert all(not r.may_split for r in agenda.rows if r.header)
    coffee = [r for r in agenda.rows if "Coffee break" in _row_text(r)]
    assert coffee and not any(r.may_split for r in coffee)  # one line: never split
    panels = [r for r in agenda.rows if "Panellists:" in _row_text(r)]
    assert panels and all(r.may_split for r in panels)  # a session, its moderator and seven panellists
    shown = [t for t, in_figure in _tables(doc.blocks) if in_figure]
    assert shown and not any(r.may_split for t in shown for r in t.rows)  # Figure 2's one long row stays whole


SPLIT_LINE = "    split_rows_from: 4 "


def test_a_style_without_the_key_splits_no_row_and_a_wrong_value_is_named_on_its_line(tmp_path):
    from test_theme import edited, line_of, theme_of

    theme, problems = theme_of(edited(tmp_path / "none", (SPLIT_LINE, "    # ")))
    assert problems == [] and all(theme.table(name).split_rows_from == 0 for name in ("default", "agenda"))
    folder = edited(tmp_path / "bad", (SPLIT_LINE, "    split_rows_from: some "))
    theme, problems = theme_of(folder)
    assert theme is None and any(f"style.yaml:{line_of(folder, 'split_rows_from: some')}:" in p for p in problems), problems


def test_the_docx_lets_exactly_those_rows_split_and_repeats_the_header_rows(paper_out):
    doc = _loaded().doc
    with zipfile.ZipFile(next(paper_out.glob("*.docx"))) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    rows = re.findall(r"<w:tr>(.*?)</w:tr>", xml, re.S)
    expected = [r for t, _ in _tables(doc.blocks) for r in t.rows]
    assert len(rows) == len(expected)
    for tr, row in zip(rows, expected):
        props = re.match(r"<w:trPr>(.*?)</w:trPr>|<w:trPr/>", tr).group(0)
        assert ("<w:cantSplit/>" not in props) == row.may_split, (props, _row_text(row)[:60])
        assert ("<w:tblHeader/>" in props) == row.header
    assert sum(r.may_split for r in expected) >= 4


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def test_libreoffice_splits_long_agenda_rows_repeats_the_header_and_fills_the_agenda_pages(in_libreoffice):
    loaded = _loaded()
    agenda = _agenda(loaded.doc)
    pages = _pages(in_libreoffice)
    body = [r for r in agenda.rows if not r.header]
    first_row, last_row = _flat(_row_text(body[0])), _flat(_row_text(body[-1]))
    first = next(i for i, p in enumerate(pages) if first_row in _flat(p))
    last = next(i for i, p in enumerate(pages) if i >= first and last_row in _flat(p))
    assert last > first, "the agenda runs over more than one page"
    header_words = [w for r in agenda.rows if r.header for w in _row_text(r).split()[:1]]
    for page in pages[first + 1:last + 1]:
        lines = [line for line in page.splitlines() if line.strip()][2:4]  # under the running header's two lines
        for word in header_words:
            assert any(line.split()[:1] == [word] for line in lines), (word, lines)  # the header rows repeat at the page's top
    empty = empty_at_foot(in_libreoffice, loaded.theme.page)
    for i in range(first, last):  # every page the agenda runs over but its last
        assert empty[i] <= 0.12, f"page {i + 1} is {empty[i]:.0%} empty at its foot"
