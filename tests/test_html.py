"""The HTML page: the same numbered document as the PDF, semantic and
self-contained, safe with hostile content, byte-reproducible, and checked
with the real tools (the Nu HTML Checker, axe-core in headless Chromium)
where they are installed (.ci/run installs them)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import CONTENT, JS, MINI, ROOT, caption_line, copy_fonts, mini_paper, needs_browser, real_paper
from paperpipe import model as m
from paperpipe.visit import plain_text, walk
from paperpipe.pipeline import load
from paperpipe.writers.html import render_html

VNU = JS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INLINE = {"a", "span", "strong", "em", "code", "b", "i"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# ----------------------------------------------------------------------------- a small DOM
class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def iter(self, tag: str | None = None):
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def text(self, skip_hidden: bool = True) -> str:
        out = []
        for child in self.children:
            if isinstance(child, str):
                out.append(child)
            elif not (skip_hidden and ("visually-hidden" in child.attrs.get("class", "") or child.tag in ("style", "title"))):
                inline = child.tag in INLINE
                out.append(child.text(skip_hidden) if inline else f" {child.text(skip_hidden)} ")
        return "".join(out)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.at = self.root
        self.doctype = ""

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.at.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.at))

    def handle_endtag(self, tag):
        node = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"</{tag}> closes nothing"
        self.at = node.parent

    def handle_data(self, data):
        self.at.children.append(data)


def parse(data: bytes) -> Node:
    builder = _Builder()
    builder.feed(data.decode("utf-8"))
    builder.close()
    assert builder.doctype.lower() == "doctype html"
    return builder.root


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text)


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def paper():
    return real_paper()


@pytest.fixture(scope="module")
def page_file(paper_out, paper) -> Path:
    return paper_out / f"{paper.doc.meta.output_name}.html"


@pytest.fixture(scope="module")
def page(page_file) -> Node:
    return parse(page_file.read_bytes())


# ----------------------------------------------------------------------------- structure
def test_head_carries_the_papers_metadata(page, paper):
    meta = paper.doc.meta
    html = next(page.iter("html"))
    assert html.attrs["lang"] == meta.language
    assert next(page.iter("title")).text() == meta.title
    metas = {n.attrs.get("name"): n.attrs.get("content") for n in page.iter("meta") if n.attrs.get("name")}
    assert metas["description"] == meta.subject
    assert metas["viewport"].startswith("width=device-width")
    assert next(page.iter("meta")).attrs.get("charset") == "utf-8"


def test_print_pages_carry_the_running_header_after_the_cover(page, paper):
    from paperpipe.writers.html.css import css_string

    style = next(page.iter("style")).text(skip_hidden=False)
    at_page = re.search(r"@page \{.*?@top-right \{ content: \"(.*?)\";", style)
    assert at_page and at_page.group(1) == "\\a ".join(css_string(line) for line in paper.doc.meta.header)
    assert "@page :first { counter-reset: page 0; @top-right { content: none; } @bottom-right { content: none; } }" in style


def test_cover_is_a_header_with_the_cover_lines(page, paper):
    cover = [h for h in page.iter("header") if "cover" in h.attrs.get("class", "")]
    assert len(cover) == 1
    text = cover[0].text()
    for line in [paper.doc.meta.cover["title"], *paper.doc.meta.cover["lines"], paper.doc.meta.cover["kind"], paper.doc.meta.cover["footer"]]:
        assert line in text


def test_headings_carry_the_passes_numbers_ids_and_levels(page, paper):
    headings = [h for h in page.iter() if h.tag in ("h1", "h2", "h3") and h.parent.tag == "section"]
    assert [(int(h.tag[1]), h.attrs["id"]) for h in headings] == [(e.level, e.id) for e in paper.doc.contents]
    for h, entry in zip(headings, paper.doc.contents):
        number = [s for s in h.iter("span") if s.attrs.get("class") == "number"]
        assert (number[0].text() if number else "") == entry.number
        assert " ".join(h.text().split()) == f"{entry.number} {entry.title}".strip()
    # one <section> per heading, nested as the levels are
    for h in headings:
        depth = sum(1 for a in h.ancestors() if a.tag == "section")
        assert depth == int(h.tag[1]), h.attrs["id"]


def test_navigation_links_every_contents_figure_and_table_entry(page, paper):
    navs = {n.attrs["class"]: n for n in page.iter("nav")}
    assert set(navs) == {"contents", "figures", "tables"}
    ids = {n.attrs["id"] for n in page.iter() if "id" in n.attrs}
    for key, entries in (("contents", paper.doc.contents), ("figures", paper.doc.figures), ("tables", paper.doc.tables)):
        links = list(navs[key].iter("a"))
        assert [a.attrs["href"] for a in links] == [f"#{e.id}" for e in entries]
        assert all(a.attrs["href"][1:] in ids for a in links)
        for a, e in zip(links, entries):
            shown = " ".join(a.text().split())
            assert shown == (f"{e.number} {e.title}".strip() if key == "contents" else caption_line(paper.theme, paper.doc, key[:-1], e))
        assert navs[key].attrs["aria-labelledby"] in ids


def test_figures_have_captions_alt_text_and_inline_drawings(page, paper):
    figures = list(page.iter("figure"))
    assert [f.attrs["id"] for f in figures] == [e.id for e in paper.doc.figures]
    for figure, entry in zip(figures, paper.doc.figures):
        caption = figure.children and next(figure.iter("figcaption"))
        assert " ".join(caption.text().split()) == " ".join(caption_line(paper.theme, paper.doc, "figure", entry).split())
    pictures = [n for n in page.iter() if n.tag in ("svg", "img") and "picture" in n.attrs.get("class", "")]
    images = [b for b in walk(paper.doc.blocks) if isinstance(b, m.Image)]
    assert len(pictures) == len(images) > 0
    for node, image in zip(pictures, images):
        if node.tag == "svg":
            assert node.attrs["role"] == "img" and node.attrs["aria-label"] == image.description
        else:
            assert node.attrs["alt"] == image.description and node.attrs["src"].startswith("data:image/")


def test_tables_are_data_tables_with_caption_head_scopes_and_merged_cells(page, paper):
    tables = list(page.iter("table"))
    model_tables = [b for b in walk(paper.doc.blocks) if isinstance(b, m.Table)]
    assert len(tables) == len(model_tables)
    numbered = [(t, b) for t, b in zip(tables, model_tables) if b.number]
    assert [t.attrs["id"] for t, _ in numbered] == [e.id for e in paper.doc.tables]
    for table, block in numbered:
        caption = next(table.iter("caption"))
        assert " ".join(caption.text().split()) == f"Table {block.number}: {plain_text(block.caption)}"
        head = next(table.iter("thead"))
        assert len(list(head.iter("tr"))) == block.header_rows
        assert all(th.attrs.get("scope") in ("col", "colgroup") for th in head.iter("th"))
        # the scrolling box is focusable and named by the caption
        box = table.parent
        assert box.attrs["class"] == "table-scroll" and box.attrs["tabindex"] == "0" and box.attrs["role"] == "region"
        assert box.attrs["aria-labelledby"] == caption.attrs["id"]
    for table, block in zip(tables, model_tables):
        cells = [c for c in table.iter() if c.tag in ("td", "th")]
        assert sum(len(r.cells) for r in block.rows) == len(cells)
        spans = [(int(c.attrs.get("colspan", 1)), int(c.attrs.get("rowspan", 1))) for c in cells]
        assert spans == [(c.colspan, c.rowspan) for r in block.rows for c in r.cells]
    agenda = tables[0]
    assert any("colspan" in c.attrs for c in agenda.iter("td")) and any(th.attrs.get("scope") == "row" for th in agenda.iter("th"))


def test_sidebars_are_asides_and_no_layout_tables(page, paper):
    sidebars = [b for b in walk(paper.doc.blocks) if isinstance(b, m.Sidebar)]
    asides = list(page.iter("aside"))
    assert [a.attrs.get("aria-label") for a in asides] == [s.title for s in sidebars]
    assert len(list(page.iter("table"))) == sum(isinstance(b, m.Table) for b in walk(paper.doc.blocks))


def test_references_link_and_show_their_labels(page, paper):
    refs = [b for b in walk(paper.doc.blocks) for n in _inlines(b) if isinstance(n, m.Ref)]
    xrefs = [a for a in page.iter("a") if a.attrs.get("class") == "xref"]
    assert len(xrefs) == len(refs) > 0
    ids = {n.attrs["id"] for n in page.iter() if "id" in n.attrs}
    for a in xrefs:
        target = a.attrs["href"][1:]
        assert target in ids
        if not a.text().strip() == paper.doc.targets[target].label:
            assert a.text().strip()  # the editor's own words
    assert any(a.text() == "Table 1" for a in xrefs)


def test_external_links_are_marked(page):
    external = [a for a in page.iter("a") if a.attrs.get("href", "").startswith(("http", "mailto"))]
    assert external
    for a in external:
        assert a.attrs.get("class") == "external"
        hidden = [s for s in a.iter("span") if s.attrs.get("class") == "visually-hidden"]
        assert hidden and "external link" in hidden[0].text(skip_hidden=False)


def _inlines(block):
    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(getattr(n, "children", ()) or ())
    return list(walk(getattr(block, "children", ()) or getattr(block, "caption", ()) or ()))


def test_the_page_says_what_the_pdf_says(page_file, paper_out, paper):
    """The same words as the PDF, as often, apart from what only pages have
    (the running header, page numbers, leaders, table header rows repeated
    on the next page), words the PDF broke inside a narrow table cell, and
    the words only screen readers hear."""
    import pypdf

    pdf = pypdf.PdfReader(paper_out / f"{paper.doc.meta.output_name}.pdf")
    pdf_text = "\n".join(p.extract_text() for p in pdf.pages)
    pdf_words = Counter(words(pdf_text))
    for line in paper.doc.meta.header:  # the running header, once per page after the cover
        for w, n in Counter(words(line)).items():
            pdf_words[w] -= n * (len(pdf.pages) - 1)
    body = next(parse(page_file.read_bytes()).iter("body"))
    for skip in [a for a in body.iter("a") if a.attrs.get("class") == "skip-link"]:
        skip.children = []
    html_words = Counter(words(body.text()))
    only_html, only_pdf = +html_words - pdf_words, +pdf_words - html_words
    glued = re.sub(r"\s+", "", pdf_text)
    assert all(w in glued for w in only_html), only_html  # a word the PDF broke over two lines of a cell
    repeated = {w for t in page.iter("thead") for w in words(t.text())} if (page := parse(page_file.read_bytes())) else set()
    fragments = {w for w in only_pdf if any(w in longer for longer in only_html)}
    assert set(only_pdf) - repeated - fragments == set(), only_pdf
    assert sum(only_html.values()) <= 3 and len(html_words) > 800


def test_headings_and_web_links_are_the_pdfs(page, paper_out, paper):
    """The page's headings are the PDF's bookmarks, its external links the PDF's link addresses, in order."""
    import pypdf

    pdf = pypdf.PdfReader(paper_out / f"{paper.doc.meta.output_name}.pdf")

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    headings = [" ".join(h.text().split()) for h in page.iter() if h.tag in ("h1", "h2", "h3") and h.parent.tag == "section"]
    assert headings == list(titles(pdf.outline))
    uris = [str(a.get_object()["/A"]["/URI"]) for p in pdf.pages for a in (p.get("/Annots") or [])
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]
    runs = lambda seq: [u for i, u in enumerate(seq) if i == 0 or seq[i - 1] != u]  # noqa: E731 - a link over two lines is two PDF annotations
    assert runs([a.attrs["href"] for a in page.iter("a") if a.attrs.get("class") == "external"]) == runs(uris) and uris


# ----------------------------------------------------------------------------- self-contained and safe
def test_self_contained_no_script_no_other_host(page_file, page):
    data = page_file.read_text(encoding="utf-8")
    assert not list(page.iter("script")) and not list(page.iter("link")) and not list(page.iter("iframe"))
    assert not re.search(r"\son\w+\s*=", data, re.I)
    for node in page.iter():
        for name in ("src", "srcset", "poster", "data", "action"):
            if name in node.attrs:
                assert node.attrs[name].startswith("data:image/"), (node.tag, name)
        if "href" in node.attrs and node.tag != "a":
            assert node.attrs["href"].startswith("#"), node.tag
    style = next(page.iter("style")).text(skip_hidden=False)
    assert "@import" not in style and not re.search(r"url\((?!\s*['\"]?(data:|#))", style)


def _hostile_page() -> bytes:
    """A page whose every text, caption, alt text, label and address is hostile."""
    loaded = mini_paper()
    evil = "<script>alert(1)</script>\"'&"
    doc = loaded.doc
    blocks = (
        m.Heading(1, (m.Text(evil),), id="h", number="1"),
        m.Paragraph((m.Text(evil), m.Link("javascript:alert(1)", (m.Text("click"),)), m.Link('https://x.example/"><script>', (m.Text(evil),)),
                     m.Ref("h", (), label=evil), m.Code(evil))),
        m.Figure((m.Image(MINI / "figures" / "map.svg", evil),), (m.Text(evil),), id="f", number="1", description=evil),
        m.Table((m.Row((m.Cell((m.Paragraph((m.Text(evil),)),)),), role="header"), m.Row((m.Cell((m.Paragraph((m.Text(evil),)),), role=evil),))),
                columns=1, caption=(m.Text(evil),), id="t", number="1"),
        m.Sidebar((m.Paragraph((m.Text(evil),)),), title=evil, kind=evil),
    )
    from dataclasses import replace

    meta = replace(doc.meta, title=evil, subject=evil, cover={"title": evil, "lines": [evil], "kind": evil, "footer": evil})
    doc = replace(doc, meta=meta, blocks=blocks, contents=(m.Entry("h", "1", evil, 1),), figures=(m.Entry("f", "1", evil, 1),),
                  tables=(m.Entry("t", "1", evil, 1),))
    return render_html(doc, loaded.theme)


def test_untrusted_text_is_escaped_everywhere():
    data = _hostile_page()
    page = parse(data)
    assert not list(page.iter("script"))
    assert b"<script>" not in data and b"javascript:" not in data
    assert data.count(b"&lt;script&gt;") >= 15
    assert all(not a.attrs.get("href", "").startswith("javascript") for a in page.iter("a"))


HOSTILE_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50" onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url(https://evil.example/x.css); body { display: none }</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs>
  <a href="https://evil.example/"><rect width="10" height="10"/></a>
  <rect id="box" width="100" height="50" fill="url(#g)" onclick="alert(3)" style="fill: url(https://evil.example/p.svg); stroke: #000"/>
  <image href="https://evil.example/track.png" width="1" height="1"/>
  <image xlink:href="javascript:alert(4)" width="1" height="1"/>
  <use xlink:href="https://evil.example/sprite.svg#a"/>
  <use href="#box"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(5)</script></div></foreignObject>
  <text x="5" y="20" font-family="Carlito">&lt;script&gt; kept as text</text>
  <animate attributeName="href" to="javascript:alert(6)"/>
</svg>"""


def test_svg_figures_are_sanitised(tmp_path):
    from paperpipe.writers.html.svg import inline_svg

    out = inline_svg(HOSTILE_SVG, "p1-", "a label", "picture", "width: 50%", '"Carlito", sans-serif')
    low = out.lower()
    for bad in ("script>", "onload", "onclick", "evil.example", "javascript", "foreignobject", "<style", "<a ", "animate", "@import"):
        assert bad not in low, bad
    assert 'id="p1-g"' in out and 'fill="url(#p1-g)"' in out and 'href="#p1-box"' in out
    assert "&lt;script&gt; kept as text" in out
    assert 'role="img" aria-label="a label"' in out and 'viewBox="0 0 100 50"' in out
    assert 'font-family="Carlito, &quot;Carlito&quot;, sans-serif"' in out


def test_html_is_byte_reproducible(paper, page_file):
    """The same bytes from another process (another hash seed) and from this one, twice."""
    first = render_html(paper.doc, paper.theme)
    again = load(CONTENT, ROOT / "templates")  # read afresh: its document and its theme
    second = render_html(again.doc, again.theme)
    assert first == second == page_file.read_bytes()


def test_cover_logos_of_the_style_and_of_the_paper(tmp_path):
    """The house style's logo and a paper's own SVG and PNG logos, in order,
    each named by its alt text; the PNG embedded, not linked."""
    from PIL import Image as PILImage

    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    PILImage.new("RGB", (40, 20), "#336699").save(paper / "figures" / "partner.png")
    yaml_file = paper / "paper.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(
        '  footer: "An example paper used by the tests"',
        '  footer: "An example paper used by the tests"\n  logos:\n'
        '    - {file: figures/map.svg, alt: "Partner map logo", width: 60, height: 30}\n'
        '    - {file: figures/partner.png, alt: "Partner square logo", width: 40, height: 20}', 1), encoding="utf-8")
    loaded = load(paper, ROOT / "templates")
    from paperpipe.pipeline import render

    page = parse(render(loaded, ("html",), ROOT / "templates")[0]["html"])
    cover = next(h for h in page.iter("header") if "cover" in h.attrs.get("class", ""))
    logos = [n for n in cover.iter() if "logo" in n.attrs.get("class", "").split()]
    names = [n.attrs.get("aria-label") or n.attrs.get("alt") for n in logos]
    assert names == [lg.alt for lg in mini_paper().theme.cover.logos] + ["Partner map logo", "Partner square logo"]
    assert logos[-1].tag == "img" and logos[-1].attrs["src"].startswith("data:image/png;base64,")


def test_mini_paper_builds_a_page(mini_out):
    loaded = mini_paper()
    page = parse((mini_out / f"{loaded.doc.meta.output_name}.html").read_bytes())
    headings = [h for h in page.iter() if h.tag in ("h1", "h2", "h3") and h.parent.tag == "section"]
    assert [h.attrs["id"] for h in headings] == [e.id for e in loaded.doc.contents]


# ----------------------------------------------------------------------------- real checkers
needs_vnu = pytest.mark.skipif(shutil.which("java") is None or not VNU.is_file(), reason="java or vnu.jar (npm ci in tests/js) is missing")


# A run of a few seconds gains nothing from Java's optimising compiler, which
# cost more CPU than the checking (its first-level compiler alone: 3 s of CPU
# instead of 6 for the paper and the mini page, the same messages). That
# compiler's frames are larger: the checker asks for at least 512k of stack.
JAVA_QUICK = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m")


def _vnu(files: list[Path]) -> list[dict]:
    result = subprocess.run(["java", *JAVA_QUICK, "-jar", str(VNU), "--format", "json", *map(str, files)], capture_output=True, text=True,
                            timeout=300)
    return json.loads(result.stderr)["messages"]


@needs_vnu
def test_nu_html_checker_finds_no_errors(page_file, mini_out, tmp_path):
    loaded = mini_paper()
    hostile = tmp_path / "hostile.html"
    hostile.write_bytes(_hostile_page())  # escaped hostile text must still make a valid page
    messages = _vnu([page_file, mini_out / f"{loaded.doc.meta.output_name}.html", hostile])
    errors = [msg for msg in messages if msg["type"] == "error" or msg.get("subType") == "fatal"]
    assert errors == [], errors[:5]


@needs_browser
def test_axe_in_chromium_finds_no_violations_and_the_page_fits_a_phone(browser, page_file, mini_out, tmp_path):
    mini_page = next(mini_out.glob("*.html"))
    shots = tmp_path / "shots"
    report = browser.check(page_file, (1280, 360), shots=shots)
    for width in ("1280", "360"):
        assert report["axe"][width]["violations"] == [], report["axe"][width]["violations"]
        assert report["axe"][width]["passes"] > 10
        overflow = report["overflow"][width]
        assert overflow["page"] <= overflow["window"] and overflow["wide"] == [], overflow
    assert any(report["overflow"]["360"]["scrollers"]), "the agenda should scroll inside its box on a phone"
    # the second paper too (one width is enough: the same stylesheet)
    assert browser.check(mini_page, (360,))["axe"]["360"]["violations"] == []
    assert report["requests"] == []  # nothing asked of any other host
    assert (shots / "page-1280.png").stat().st_size > 10_000 and (shots / "page-360.png").stat().st_size > 10_000


def test_hostile_content_through_the_readers_is_printed_as_text(tmp_path):
    """Untrusted content as editors could write it: markup in paper.yaml, in
    text, captions and alt text is printed as text; a javascript: link is
    not made a link."""
    from conftest import run_build

    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    yaml_file = paper / "paper.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(
        "title: Maritime Clusters and the Blue Economy", 'title: "Maritime <script>alert(1)</script> & \\"Blue\\""', 1), encoding="utf-8")
    results = paper / "sections" / "02-results.md"
    text = results.read_text(encoding="utf-8")
    text = text.replace("![Participants by country]", "![Participants \\<img src=x onerror=alert(2)\\>]")
    text = text.replace('alt="Three boxes', 'alt="<script>alert(3)</script> Three boxes')
    text = text.replace("Table: Votes on the proposals", "Table: Votes \\<script\\>alert(4)\\</script\\>")
    results.write_text(text + "\nA \\<script\\>alert(5)\\</script\\> in running text.\n", encoding="utf-8")
    out = tmp_path / "out"
    run = run_build("--format", "html", "--content", str(paper), "--output", str(out))
    assert run.returncode == 0, run.stderr
    data = next(out.glob("*.html")).read_bytes()
    page = parse(data)
    assert not list(page.iter("script")) and not [n for n in page.iter() if any(k.startswith("on") for k in n.attrs)]
    assert next(page.iter("title")).text() == 'Maritime <script>alert(1)</script> & “Blue”'  # typed "Blue": the theme's quotes
    for n in range(2, 6):
        assert f"alert({n})".encode() in data, n  # printed as text, not dropped
    assert [n for n in page.iter("svg") if "alert(3)" in n.attrs.get("aria-label", "")]

    results.write_text(text + "\nSee [this](javascript:alert(6)).\n", encoding="utf-8")
    run = run_build("--format", "html", "--content", str(paper), "--output", str(out))
    assert run.returncode == 0, run.stderr  # markdown-it does not take javascript: as a link: the text stays as typed
    page = parse(next(out.glob("*.html")).read_bytes())
    assert not [a for a in page.iter("a") if "javascript" in a.attrs.get("href", "").lower()]
    assert "See [this](javascript:alert(6))." in page.text()


def test_lists_of_figures_and_tables_read_as_the_captions_in_the_style_s_format(tmp_path):
    """The house style writes captions "Table 1 – …": its list of tables says
    the same (it said "Table 1: …", a format of its own)."""
    from paperpipe.pipeline import render

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "tests" / "fixtures" / "house" / "templates", templates)
    copy_fonts(templates / "fonts")
    loaded = load(ROOT / "tests" / "fixtures" / "house" / "paper", templates)
    page = parse(render(loaded, ("html",), templates)[0]["html"])
    nav = next(n for n in page.iter("nav") if n.attrs["class"] == "tables")
    listed = [" ".join(a.text().split()) for a in nav.iter("a")]
    captions = [" ".join(c.text().split()) for c in page.iter("caption")]
    assert listed == captions and listed and " – " in listed[0]


@pytest.fixture(scope="module")
def printed(browser, page_file, tmp_path_factory):
    """The page printed from Chromium to PDF (its print stylesheet; the worker's one Chromium)."""
    out = tmp_path_factory.mktemp("print") / "print.pdf"
    browser.check(page_file, (1280,), axe=False, pdf=out)
    return out


def test_printed_pages_are_numbered_at_the_foot_as_the_pdf(printed, paper):
    """The cover is unnumbered and the page after it is 1, at the foot on the
    right, as the PDF prints them."""
    from pypdf import PdfReader

    theme_page = paper.theme.page
    for index, pdf_page in enumerate(PdfReader(str(printed)).pages):
        width = float(pdf_page.mediabox.width)
        foot: list[str] = []

        def visit(text, cm, tm, *_):
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            if text.strip() and y < theme_page.margin_bottom and x > width / 2:
                foot.append(text.strip())

        pdf_page.extract_text(visitor_text=visit)
        assert foot == ([] if index == 0 else [str(index)]), f"page {index + 1}: {foot}"


def test_printed_table_captions_stand_on_the_page_of_their_table(printed, paper):
    """Printed from the browser, Table 2's caption stood alone at the foot of a
    page with its table on the next one."""
    from pypdf import PdfReader

    out = printed
    import unicodedata

    # NFKC: the browser's PDF writes ligatures ("ﬁ")
    pages = [" ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split()) for p in PdfReader(str(out)).pages]
    tables = [b for b in walk(paper.doc.blocks) if isinstance(b, m.Table) and b.number]
    assert len(tables) == len(paper.doc.tables) == 2
    for table, entry in zip(tables, paper.doc.tables):
        caption = f"{paper.doc.meta.labels['table']} {entry.number}: {entry.title}"
        first_row = plain_text(table.rows[table.header_rows].cells[0].blocks[0].children)
        where = [i for i, text in enumerate(pages) if caption in text][-1]  # the last: the first is the list of tables
        assert where > 1 and first_row in pages[where], f"{caption}: its first row is not on its page {where + 1}"
