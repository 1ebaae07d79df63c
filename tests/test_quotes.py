"""Block quotes (``> …``) with an optional "— who said it" line: read into a
Quote node, printed as a quotation in every output and tagged as one
(BlockQuote in the PDF's structure tree, Word's Quote style, <blockquote>)."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from paperpipe import model as m
from paperpipe.visit import plain_text
from paperpipe.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

QUOTES = """One participant summed it up:

> Clusters know their members, speak their *language*
> and have their trust.
>
> — Bianca Muntean, Transilvania IT Cluster, in [](#why)

A quotation without attribution:

> Short and sweet.

## Next steps"""


def test_quotations_in_every_output(tmp_path):
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    results = paper / "sections" / "02-results.md"
    results.write_text(results.read_text(encoding="utf-8").replace("## Next steps", QUOTES), encoding="utf-8")
    report = build(paper, ROOT / "templates", tmp_path / "out", ("pdf", "docx", "html"))
    assert report.warnings == []
    out = tmp_path / "out" / "T1.01-maritime-clusters"

    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(f"{out}.pdf").pages))
    assert "Clusters know their members, speak their language and have their trust. — Bianca Muntean, Transilvania IT Cluster, in Section 1.1" in text
    assert "Short and sweet." in text
    with pikepdf.open(f"{out}.pdf") as pdf:
        quotes = []

        def walk(el):
            kids = el.get("/K")
            if str(el.get("/S")) == "/BlockQuote":
                quotes.append(el)
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
        assert len(quotes) == 2
        assert [str(k.S) for k in quotes[0].K] == ["/P", "/P"]  # the words, then the attribution

    with zipfile.ZipFile(f"{out}.docx") as docx:
        styles = docx.read("word/styles.xml").decode()
        document = docx.read("word/document.xml").decode()
    assert re.search(r'<w:style w:type="paragraph"[^>]*w:styleId="Quote"><w:name w:val="Quote"/>', styles)
    assert document.count('<w:pStyle w:val="Quote"/>') == 2 and document.count('<w:pStyle w:val="QuoteAttribution"/>') == 1

    html = Path(f"{out}.html").read_text(encoding="utf-8")
    assert html.count("<blockquote>") == 2
    assert re.search(r"<figcaption>— Bianca Muntean, Transilvania IT Cluster, in <a [^>]*>Section 1\.1</a></figcaption>", html)


def test_the_reader_makes_a_quote_node_with_its_attribution(tmp_path):
    from paperpipe.errors import Problems
    from paperpipe.readers.markdown import MarkdownReader

    problems = Problems()
    blocks = MarkdownReader(tmp_path / "x.md", problems).read("> One.\n>\n> Two **bold**.\n>\n> -- Ann Example, *Org*\n\n> — Nobody\n")
    quote = blocks[0]
    assert isinstance(quote, m.Quote) and isinstance(quote, m.Sidebar) and quote.kind == "quote"
    assert [plain_text(b.children) for b in quote.blocks] == ["One.", "Two bold."]
    assert quote.attribution == (m.Text("Ann Example, "), m.Emph((m.Text("Org"),)))
    assert [p.message for p in problems.errors] == ["the quotation has no text"]


def _pages(paper: Path, out: Path) -> list[str]:
    build(paper, ROOT / "templates", out, ("pdf",))
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(next(out.glob("*.pdf"))).pages]


def test_a_quotation_in_a_box_or_a_table_cell_is_laid_out_where_it_stands(tmp_path):
    """A quotation inside a sidebar or a note sent the whole box to a new
    page (reportlab's KeepTogether measures itself taller than any page, to
    be split), and one in a table cell could not be laid out at all ('a part
    of it is taller than a page (5918631 mm tall)')."""
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    results = paper / "sections" / "02-results.md"
    before = results.read_text(encoding="utf-8")
    box = "\n::: note\nBefore the words.\n\n{}Said in the box.\n:::\n"
    results.write_text(before + box.format(""), encoding="utf-8")
    plain = _pages(paper, tmp_path / "plain")
    results.write_text(before + box.format("> "), encoding="utf-8")
    quoted = _pages(paper, tmp_path / "quoted")
    assert len(quoted) == len(plain)
    assert "Said in the box." in quoted[-1] and "Next steps" in quoted[-1]  # on the page of the text before it

    cell = '```table\ncaption: Quoted\nrows:\n  - cells: ["> Said in a cell.", "- > Said in a list in a cell.", Plain]\n```\n'
    results.write_text(before + "\n" + cell, encoding="utf-8")
    text = " ".join(_pages(paper, tmp_path / "cell"))
    assert "Said in a cell." in text and "Said in a list in a cell." in text
