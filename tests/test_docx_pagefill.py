"""Pages of the DOCX well filled in LibreOffice's layout: a long table row
(an agenda session with its panellists) may run over a page break, its
table's header rows repeated above the rest, where the theme's
``split_rows_from`` lets it; a short row, a header row and the rows of a
table that a figure shows stay whole."""
from __future__ import annotations

import re
import subprocess
import zipfile

from conftest import real_paper
from pagefill import empty_at_foot
from paperpipe import model as m
from paperpipe.visit import plain_text


def _loaded():
    return real_paper()


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
    # the page follows the same decision when printed: those rows, and only those, may break
    page = next(paper_out.glob("*.html")).read_text(encoding="utf-8")
    classes = re.findall(r"<tr(?: class=\"([^\"]*)\")?>", page)
    assert len(classes) == len(expected)
    assert [("split" in c.split()) for c in classes] == [r.may_split for r in expected]
    assert "tr.split { break-inside: auto; page-break-inside: auto; }" in page


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


def _blocks(blocks):
    for block in blocks:
        yield block
        inner = getattr(block, "blocks", None)
        if isinstance(inner, tuple):
            yield from _blocks(inner)


def _opening_line(page: str) -> str:
    """The first line of a page's text under the running header (two lines)."""
    lines = [line for line in page.splitlines() if line.strip()]
    return _flat(lines[2]) if len(lines) > 2 else ""


def test_libreoffice_fills_every_body_page_but_where_a_figure_cannot_stay_at_the_foot(in_libreoffice):
    """At most 12% of a body page's text area is empty at its foot, or 25%
    before a page that opens with a level-1 heading; the last page, and the
    contents before the first heading, are exempt. Word and LibreOffice
    cannot float an inline picture: where a figure does not fit at the foot
    of a page it opens the next one, and the page before keeps the room it
    left (the only exception allowed here, each one named)."""
    loaded = _loaded()
    doc = loaded.doc
    level1 = [_flat(f"{h.label.text if h.label else ''} {plain_text(h.children)}") for h in _blocks(doc.blocks)
              if isinstance(h, m.Heading) and h.level == 1]
    figures = [_flat(f.label.text + plain_text(f.caption)) for f in _blocks(doc.blocks) if isinstance(f, m.Figure) and f.label]
    pages = [p for p in _pages(in_libreoffice) if p.strip()]  # pdftotext ends the last page with a form feed too
    empty = empty_at_foot(in_libreoffice, loaded.theme.page)
    assert len(empty) == len(pages)
    opens = [_opening_line(p) for p in pages]
    first = next(i for i, line in enumerate(opens) if line and level1[0].startswith(line))
    figure_breaks = []
    for i in range(first, len(pages) - 1):
        opening = opens[i + 1]
        limit = 0.25 if opening and any(h.startswith(opening) for h in level1) else 0.12
        if empty[i] <= limit:
            continue
        assert opening and any(f.startswith(opening) for f in figures), f"page {i + 1} is {empty[i]:.0%} empty at its foot, and page {i + 2} opens with {opening!r}"
        figure_breaks.append((i + 1, round(empty[i], 2), opening))
    print("pages left short before a figure:", figure_breaks)
    assert first > 0 and len(figure_breaks) <= 2, (first, figure_breaks)  # pp. 7 and 14 (Figures 2 and 5) today


def test_keep_with_next_chains_are_short_a_heading_with_its_text_a_caption_with_its_figure(paper_out):
    """No chain of several paragraphs keeps with a figure: only headings,
    captions, the cover's lines and a box's title keep with what follows;
    a paragraph of text, a list item and a figure never do, and no text
    paragraph is kept in one piece (keepLines) that could run over a page."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(next(paper_out.glob("*.docx"))) as z:
        styles, body = (etree.fromstring(z.read(f"word/{name}.xml")) for name in ("styles", "document"))
    own, based = {}, {}
    for style in styles.iter(f"{w}style"):
        ident = style.get(f"{w}styleId")
        ppr = style.find(f"{w}pPr")
        own[ident] = {k for k in ("keepNext", "keepLines") if ppr is not None and ppr.find(f"{w}{k}") is not None}
        base = style.find(f"{w}basedOn")
        based[ident] = base.get(f"{w}val") if base is not None else None

    def keeps(ident):
        out = set()
        while ident:
            out |= own.get(ident, set())
            ident = based.get(ident)
        return out

    chain, longest, sequence = [], [], []
    for block in body.find(f"{w}body"):
        if block.tag == f"{w}p":
            ppr = block.find(f"{w}pPr")
            ident = ppr.find(f"{w}pStyle").get(f"{w}val") if ppr is not None and ppr.find(f"{w}pStyle") is not None else "Normal"
            assert ppr is None or ppr.find(f"{w}keepNext") is None, "keep settings live in the styles"
            kept = keeps(ident)
        else:
            ident, kept = etree.QName(block).localname, set()
        sequence.append(ident)
        chain.append(ident)
        if "keepNext" not in kept:
            if chain[0] != "Title":  # the cover's lines stand together on their own page
                longest = max(longest, chain, key=len)
            chain = []
    for ident in ("Normal", "ListParagraph", "ListBullet", "ListNumber", "Figure", "TableText"):
        assert keeps(ident) == set(), ident
    assert keeps("Caption") == {"keepNext", "keepLines"} and "keepNext" in keeps("Heading1")
    assert len(longest) <= 3, longest  # e.g. Heading 1, Heading 2, their first paragraph
    figures = [i for i, ident in enumerate(sequence) if ident == "Figure"]
    assert figures and all(sequence[i - 1] == "Caption" for i in figures)  # each picture right under its caption, kept with it
