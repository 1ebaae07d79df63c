"""Notes and warnings (``::: note`` / ``::: warning``): an accessible aside
with its role label from the theme, in the PDF (an Aside whose Lbl is read
first), the DOCX (its own paragraph styles) and the HTML (``<aside
role="note" aria-label=…>``), each in the look style.yaml gives it."""
from __future__ import annotations

import re
import shutil
import zipfile

import pikepdf
import pytest

from conftest import MINI, ROOT
from paperpipe.errors import BuildError
from paperpipe.pipeline import load, render

TEMPLATES = ROOT / "templates"
BOXES = """

::: note
Rooms open at *08:30*.
:::

::: warning Registration
Bring the badge you were sent.

- and a photo ID
:::
"""


def paper_with_boxes(tmp_path):
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    with (paper / "sections" / "01-intro.md").open("a", encoding="utf-8") as f:
        f.write(BOXES)
    return paper


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    paper = paper_with_boxes(tmp_path_factory.mktemp("admonition"))
    loaded = load(paper, TEMPLATES)
    files, _pages = render(loaded, ("pdf", "docx", "html"), TEMPLATES)
    return loaded, files


def _elements(node):
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _text(pdf, element) -> str:
    """The text of a structure element's marked content (its MCIDs on its page)."""
    mcids = [k for k in (element.K if isinstance(element.K, pikepdf.Array) else [element.K]) if isinstance(k, int)]
    page = pikepdf.Page(element.Pg)
    out, current = [], None
    for operands, op in pikepdf.parse_content_stream(page):
        if op == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary):
            current = operands[1].get("/MCID")
        elif op == pikepdf.Operator("EMC"):
            current = None
        elif op in (pikepdf.Operator("Tj"), pikepdf.Operator("TJ")) and current in mcids:
            parts = operands[0] if isinstance(operands[0], pikepdf.Array) else [operands[0]]
            out += [bytes(p).decode("latin-1") for p in parts if isinstance(p, pikepdf.String)]
    return "".join(out)


def test_pdf_each_box_is_an_aside_whose_label_is_read_first_in_its_fill(built, tmp_path):
    loaded, files = built
    theme = loaded.theme
    path = tmp_path / "out.pdf"
    path.write_bytes(files["pdf"])
    with pikepdf.open(path) as pdf:
        asides = [el for el in _elements(pdf.Root.StructTreeRoot) if el.S == "/Aside"]
        labelled = [a for a in asides if next(_elements(a)).S == "/Lbl"]
        assert len(labelled) == 2
        assert pdf.Root.StructTreeRoot.RoleMap.Aside == pikepdf.Name.Div
        shown = [_text(pdf, next(_elements(a))).strip() for a in labelled]
        fills = set()
        for page in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                if op == pikepdf.Operator("rg"):
                    fills.add("#%02X%02X%02X" % tuple(round(float(v) * 255) for v in operands))
    assert shown == [theme.admonitions["note"].label, theme.admonitions["warning"].label + ": Registration"]
    for kind in ("note", "warning"):
        look = theme.admonitions[kind]
        assert {look.fill, look.rule_colour} <= fills, kind


def test_docx_each_box_has_its_label_and_paragraph_styles_in_its_fill(built):
    loaded, files = built
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(files["docx"])) as z:
        document, styles = z.read("word/document.xml").decode(), z.read("word/styles.xml").decode()
    paragraphs = re.findall(r'<w:p>(?:(?!</w:p>).)*?<w:pStyle w:val="(\w+)"/>(.*?)</w:p>', document, re.S)
    shown = [(style, re.sub(r"<[^>]+>", "", body)) for style, body in paragraphs if style.startswith(("Note", "Warning"))]
    labels = {k: loaded.theme.admonitions[k].label for k in ("note", "warning")}
    assert shown[:2] == [("NoteLabel", labels["note"]), ("Note", "Rooms open at 08:30.")]
    assert shown[2] == ("WarningLabel", f"{labels['warning']}: Registration") and shown[3][0] == "Warning"
    for kind, name in (("note", "Note"), ("warning", "Warning")):
        style = re.search(rf'<w:style [^>]*w:styleId="{name}".*?</w:style>', styles, re.S).group(0)
        assert f'w:fill="{loaded.theme.admonitions[kind].fill[1:].upper()}"' in style


def test_html_each_box_is_an_aside_in_the_role_of_a_note_named_by_its_label(built):
    loaded, files = built
    html = files["html"].decode()
    asides = re.findall(r'<aside class="admonition (\w+)" role="note" aria-label="([^"]*)"><p class="label">([^<]*)</p>', html)
    labels = {k: loaded.theme.admonitions[k].label for k in ("note", "warning")}
    assert asides == [("note", labels["note"], labels["note"]),
                      ("warning", f"{labels['warning']}: Registration", f"{labels['warning']}: Registration")]
    look = loaded.theme.admonitions["warning"]
    assert re.search(rf"aside\.admonition\.warning {{ background: {look.fill}; border-left: [\d.]+pt solid {look.rule_colour};", html)


def test_a_kind_the_house_style_does_not_define_is_an_error_at_its_line(tmp_path):
    paper = paper_with_boxes(tmp_path)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates, symlinks=True)
    style = (templates / "style.yaml").read_text(encoding="utf-8")
    (templates / "style.yaml").write_text(re.sub(r"\n  warning: \{[^\n]*\}", "", style), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        load(paper, templates)
    problems = [str(p) for p in err.value.problems if p.severity == "error"] if hasattr(err.value, "problems") else [str(err.value)]
    text = "\n".join(problems)
    line = 1 + (paper / "sections" / "01-intro.md").read_text(encoding="utf-8").splitlines().index("::: warning Registration")
    assert f"01-intro.md:{line}" in text and "'warning'" in text and "admonitions:" in text
