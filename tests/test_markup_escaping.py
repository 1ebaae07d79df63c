"""Issue 15, "the theme reaches the renderers unescaped": strings from
style.yaml and from the content are text in every output. No field of the
theme is typed as markup, so reportlab's paragraph markup, WordprocessingML
and HTML each get them escaped; the only links any writer makes go to web or
mail addresses. Each test builds a hostile copy of the mini paper in-process
and reads the real PDF (pikepdf), DOCX (its XML) and page."""
from __future__ import annotations

import contextlib
import io
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from PIL import Image

from conftest import mini_paper_in
from paperpipe import cli
from paperpipe import model as m
from paperpipe.links import is_web_link
from paperpipe.writers.pdf.document import Markup

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# a picture outside templates/ with a size no figure of the paper has
SECRET_SIZE = (37, 23)
# what a hostile theme writes into its formats: reportlab tags (a picture
# from outside templates/, links with javascript:, a GoToR and a file:
# address), an entity, XML that would end Word's attribute, and braces
HOSTILE = ('<img src="../secret.png" width="37" height="23"/><a href="javascript:app.alert(1)">J</a>'
           '<a href="pdf:other.pdf">R</a><link href="file:///etc/passwd">F</link>&amp;"/><w:evil/>\'')
SHORT = '<b>&amp;"/><w:evil/>'  # for a list's bullet and number, which must fit beside the item


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _make_hostile(tmp_path: Path) -> Path:
    """``tmp_path`` holding the mini paper and a copy of the templates, both hostile."""
    templates = mini_paper_in(tmp_path) / "templates"
    Image.new("RGB", SECRET_SIZE, "red").save(tmp_path / "secret.png")
    (templates / "secret.png").symlink_to(tmp_path / "secret.png")  # even a link inside templates/ is never drawn
    style = (templates / "style.yaml").read_text(encoding="utf-8")
    for key, value in (("  number_format: \"{number}\\u00A0\\u00A0\\u00A0\"", f"  number_format: {_yaml('{number}' + HOSTILE)}"),
                       ('  format: "{label} {number}: "', f"  format: {_yaml('{label} {number}' + HOSTILE + ': ')}"),
                       ('  bullets: ["\\u2022"', f"  bullets: [{_yaml('•' + SHORT)}"),
                       ('  number_format: "{number}."', f"  number_format: {_yaml('{number}.' + SHORT)}")):
        assert key in style, key
        style = style.replace(key, value, 1)
    family = re.search(r"^  word_family: .*$", style, re.M)
    style = style[:family.start()] + f"  word_family: {_yaml('Carlito' + HOSTILE)}" + style[family.end():] if family else style
    (templates / "style.yaml").write_text(style, encoding="utf-8")
    section = tmp_path / "paper" / "sections" / "02-results.md"
    section.write_text(section.read_text(encoding="utf-8") + (
        "\n## Tags &lt;img src=\\\"../secret.png\\\"/&gt; in a heading\n\n"  # \" keeps a straight quote
        "Text with \\<a href=\\\"javascript:x\\\"\\>a tag\\</a\\> and \\<font color=red\\>font\\</font\\> typed out.\n\n"
        "- an item\n- another\n\n1. first\n2. second\n"), encoding="utf-8")
    return tmp_path


@pytest.fixture
def hostile(tmp_path, monkeypatch) -> Path:
    """The hostile folder (_make_hostile); the cwd."""
    _make_hostile(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory) -> Path:
    """The hostile paper built once, every format, in-process through the
    command line, for the three tests that each read one of the outputs."""
    folder = _make_hostile(tmp_path_factory.mktemp("hostile"))
    err = io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(["--content", "paper", "--templates", "templates", "--output", "out", "--format", "all"])
    assert code == 0, err.getvalue()
    assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue(), err.getvalue()
    return folder / "out"


def _pdf_facts(path: Path) -> tuple[set[str], list[tuple[int, int]], list[str]]:
    """(every name used anywhere in the file, the pixel sizes of its image
    XObjects, the URIs of its link actions)."""
    names: set[str] = set()
    images: list[tuple[int, int]] = []
    uris: list[str] = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            stack = [obj]  # each object's own values (indirect ones are visited as objects of their own)
            while stack:
                o = stack.pop()
                if isinstance(o, pikepdf.Object) and o.is_indirect and o is not obj and o.objgen != obj.objgen:
                    continue
                if isinstance(o, pikepdf.Name):
                    names.add(str(o))
                elif isinstance(o, (pikepdf.Dictionary, pikepdf.Stream)):
                    d = o.stream_dict if isinstance(o, pikepdf.Stream) else o
                    if d.get("/Subtype") == "/Image":
                        images.append((int(d["/Width"]), int(d["/Height"])))
                    if d.get("/S") == "/URI":
                        uris.append(str(d["/URI"]))
                    for key in d.keys():
                        names.add(key)
                        stack.append(d.get(key))
                elif isinstance(o, pikepdf.Array):
                    stack.extend(o)
    return names, images, uris


def test_hostile_theme_and_content_are_text_in_the_pdf(hostile_out):
    out = hostile_out
    [pdf] = out.glob("*.pdf")
    names, images, uris = _pdf_facts(pdf)
    for action in ("/GoToR", "/Launch", "/JavaScript", "/JS", "/SubmitForm", "/ImportData"):
        assert action not in names, action
    assert SECRET_SIZE not in images, images  # the picture outside templates/ is not drawn
    assert all(is_web_link(u) for u in uris), uris
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        words = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    words = re.sub(r"\s+", " ", words)
    assert '<img src="../secret.png" width="37" height="23"/>' in words  # the heading's number format, as typed
    assert 'javascript:app.alert(1)' in words and "&amp;" in words
    assert 'Tags <img src="../secret.png"/> in a heading' in words
    assert '<a href="javascript:x">a tag</a>' in words


def test_hostile_theme_is_text_in_the_docx(hostile_out):
    out = hostile_out
    [path] = out.glob("*.docx")
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist() if name.endswith(".xml")}
    trees = {name: etree.fromstring(data) for name, data in parts.items()}  # every part parses
    assert not any(el.tag == W + "evil" for tree in trees.values() for el in tree.iter())
    levels = trees["word/numbering.xml"].iter(W + "lvlText")
    texts = [el.get(W + "val") for el in levels]
    assert "%1" + HOSTILE in texts  # the heading number format, literally (Word's %1 for the number)
    assert "%1." + SHORT in texts and "•" + SHORT in texts
    fonts = {el.get(W + "ascii") for el in trees["word/styles.xml"].iter(W + "rFonts")}
    assert "Carlito" + HOSTILE in fonts
    import docx

    body = "\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert 'Tags <img src="../secret.png"/> in a heading' in body
    assert HOSTILE.replace("{number}", "") in body  # the caption format, in the caption's words


def test_hostile_theme_is_text_on_the_page(hostile_out):
    out = hostile_out
    [page] = out.glob("*.html")
    from html.parser import HTMLParser

    tags, words = [], []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

        def handle_data(self, data):
            words.append(data)

    Reader(convert_charrefs=True).feed(page.read_text(encoding="utf-8"))
    assert not any(t in ("img", "link", "font") or t.startswith("w:") for t, _ in tags), [t for t, _ in tags]
    assert all(is_web_link(a.get("href", "")) or a.get("href", "").startswith("#") for t, a in tags if t == "a")
    text = re.sub(r"\s+", " ", "".join(words))
    assert HOSTILE in text
    assert 'Tags <img src="../secret.png"/> in a heading' in text


@pytest.mark.parametrize("url", ["javascript:app.alert(1)", "pdf:other.pdf", "file:///etc/passwd", "ftp://example.org/x",
                                 "http:example.com", "https://exa mple.org", "launch:calc", "#top"])
def test_only_web_and_mail_addresses_become_pdf_links(url):
    made = Markup("#0000FF")((m.Link(url, (m.Text("words"),)),))
    assert made == "<u>words</u>" or made == "words"
    assert "<a" not in made
    assert "href" in Markup("#0000FF")((m.Link("https://example.org/?a=1&b=\"2\"", (m.Text("w"),)),))


def test_the_pdf_canvas_refuses_any_other_link_action():
    from paperpipe.writers.pdf.pages import PaperCanvas

    canvas = type("Canvas", (PaperCanvas,), {"epoch": 0.0, "book": None, "anchors": [], "number_style": None})(io.BytesIO())
    for url, kind in (("other.pdf", "GoToR"), ("calc", "Launch"), ("javascript:x", "URI"), ("file:///etc/passwd", "URI")):
        with pytest.raises(RuntimeError):
            canvas.linkURL(url, (0, 0, 1, 1), kind=kind)
    canvas.linkURL("https://example.org/", (0, 0, 1, 1))  # the one kind it makes


def test_a_lone_brace_in_a_theme_format_is_an_error_at_its_line(capsys, hostile):
    style = Path("templates/style.yaml")
    text = style.read_text(encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("  number_format:"))
    style.write_text(text.replace(text.splitlines()[line - 1], '  number_format: "{number} {"', 1), encoding="utf-8")
    code = cli.main(["--content", "paper", "--templates", "templates", "--output", "out", "--check"])
    err = capsys.readouterr().err
    assert code == 1 and "internal error" not in err, err
    assert f"style.yaml:{line}:" in err and "brace" in err, err
