"""Nested lists: each level has its own bullet from the theme (lists.bullets,
the last for deeper levels too), the same in the PDF, the DOCX's numbering
and the HTML page; and in the PDF items stand equally far apart at every
level, also after the last item of a list inside an item (which used to
lose its space after)."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import tinycss2
from pypdf import PdfReader

from conftest import MINI, ROOT
from paperpipe.pipeline import load, render

# (first word, level) in reading order; Beta and Delta run over two lines or more
ITEMS = [("Alpha", 0), ("Beta", 0), ("Gamma", 1), ("Delta", 1), ("Epsilon", 2), ("Zeta", 3), ("Eta", 1), ("Theta", 0), ("Iota", 0)]
LONG = " ".join(["words enough to run over more than one line of the text column"] * 2)
NESTED = f"""

Before the list.

- Alpha at the top
- Beta at the top, {LONG}
  - Gamma one level down
  - Delta one level down, {LONG}
    - Epsilon two levels down
      - Zeta three levels down
  - Eta one level down again
- Theta at the top after a nested list
- Iota at the top

After the list.
"""


@pytest.fixture(scope="module")
def nested(tmp_path_factory):
    content = tmp_path_factory.mktemp("lists") / "paper"
    shutil.copytree(MINI, content)
    section = content / "sections" / "01-intro.md"
    section.write_text(section.read_text(encoding="utf-8") + NESTED, encoding="utf-8")
    loaded = load(content, ROOT / "templates")
    data, _ = render(loaded, ("pdf", "docx", "html"), ROOT / "templates")
    return loaded.theme, data


def _pdf_runs(data: bytes) -> list[tuple[float, float, str]]:
    """(x, y, text) of each text run on the page that holds the list."""
    for page in PdfReader(io.BytesIO(data)).pages:
        if "Alpha at the top" not in (page.extract_text() or ""):
            continue
        runs = []

        def visit(text, cm, tm, *_):
            if text.strip():
                runs.append((round(tm[4] * cm[0] + cm[4], 2), round(tm[5] * cm[3] + cm[5], 2), text.strip()))

        page.extract_text(visitor_text=visit)
        return runs
    raise AssertionError("the list is not in the PDF")


def _items(runs):
    """For each item: its text's x, its first baseline's y, and the bullet drawn beside it."""
    found = []
    for word, level in ITEMS:
        x, y = next((x, y) for x, y, t in runs if t.startswith(word + " "))
        bullets = [t for bx, by, t in runs if abs(by - y) < 0.5 and bx < x and len(t) == 1]
        assert len(bullets) == 1, (word, bullets)
        found.append((word, level, x, y, bullets[0]))
    return found


def test_pdf_each_level_has_the_theme_s_bullet(nested):
    theme, data = nested
    bullets = theme.lists.bullets
    assert len(set(bullets)) == len(bullets) >= 2  # the theme gives each level its own
    items = _items(_pdf_runs(data["pdf"]))
    for word, level, _, _, bullet in items:
        assert bullet == theme.lists.bullet(level), (word, level, bullet)
    by_level = {level: bullet for _, level, _, _, bullet in items}
    assert by_level[1] != by_level[0] and by_level[2] != by_level[1]  # a nested item's bullet differs from its parent's
    assert by_level[3] == bullets[-1]  # deeper than the theme's bullets: its last one
    xs = {level: x for _, level, x, _, _ in items}
    assert xs[0] < xs[1] < xs[2] < xs[3]


def test_pdf_items_stand_equally_apart_at_every_level(nested):
    _, data = nested
    runs = _pdf_runs(data["pdf"])
    items = _items(runs)
    # the distance between lines inside an item, from the item that runs over several lines
    beta_x, beta_y = items[1][2], items[1][3]
    beta_lines = sorted({y for x, y, _ in runs if x == beta_x and items[2][3] < y <= beta_y}, reverse=True)
    assert len(beta_lines) >= 2
    pitch = beta_lines[0] - beta_lines[1]
    gaps = {}
    for (word, _, x, y, _), (after, _, _, y_next, _) in zip(items, items[1:]):
        lines = len({ly for lx, ly, _ in runs if lx == x and y_next < ly <= y})
        gaps[f"{word}->{after}"] = round(y - y_next - (lines - 1) * pitch, 2)
    assert min(gaps.values()) > pitch, gaps  # items are set apart by more than a line
    assert max(gaps.values()) - min(gaps.values()) <= 0.5, gaps  # ... by the same space at every level
    # in particular after the last item of a nested list (Zeta -> Eta, Eta -> Theta)
    assert abs(gaps["Eta->Theta"] - gaps["Alpha->Beta"]) <= 0.5, gaps


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_numbering_bullets_follow_the_theme_by_level(nested):
    theme, data = nested
    with zipfile.ZipFile(io.BytesIO(data["docx"])) as z:
        numbering = z.read("word/numbering.xml")
        document = z.read("word/document.xml").decode("utf-8")
    from lxml import etree

    root = etree.fromstring(numbering)
    seen = 0
    for lvl in root.iter(f"{W}lvl"):
        if lvl.find(f"{W}numFmt").get(f"{W}val") != "bullet":
            continue
        ilvl = int(lvl.get(f"{W}ilvl"))
        assert lvl.find(f"{W}lvlText").get(f"{W}val") == theme.lists.bullet(ilvl), ilvl
        seen += 1
    assert seen >= 9  # every level of the bullet lists
    # the nested items stand at their level (the top level's items take it from their style)
    for word, level in ITEMS:
        paragraph = next(p for p in re.findall(r"<w:p[ >].*?</w:p>", document) if f">{word} " in p)
        ilvl = re.search(r'<w:ilvl w:val="(\d+)"/>', paragraph)
        assert (int(ilvl.group(1)) if ilvl else 0) == level, word


def _rules(css: str) -> dict[str, str]:
    """selector -> the string of its list-style-type, from the page's stylesheet."""
    found = {}
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type != "qualified-rule":
            continue
        for decl in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True, skip_comments=True):
            if decl.type == "declaration" and decl.lower_name == "list-style-type":
                strings = [t.value for t in decl.value if t.type == "string"]
                if strings:
                    found[tinycss2.serialize(rule.prelude).strip()] = strings[0]
    return found


def test_html_nested_lists_use_the_theme_s_bullets_by_level(nested):
    theme, data = nested
    page = data["html"].decode("utf-8")
    css = "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", page, re.S))
    rules = _rules(css)
    assert rules["ul"].rstrip(" ") == theme.lists.bullet(0) + "\u00a0"
    assert rules["li ul"].rstrip(" ") == theme.lists.bullet(1) + "\u00a0"  # the level-2 bullet
    assert rules["li li ul"].rstrip(" ") == theme.lists.bullet(2) + "\u00a0"
    # the page nests the lists so: Gamma's list inside Beta's item
    assert re.search(r"<li>(?:(?!</li>).)*Beta at the top(?:(?!</li>).)*<ul>\s*<li>(?:<p>)?Gamma", page, re.S)


def test_a_bullet_the_font_cannot_draw_is_named_on_its_line(tmp_path):
    from conftest import copy_templates
    from paperpipe.errors import BuildError

    templates = copy_templates(tmp_path / "templates", (ROOT / "templates" / "macros.md.j2").read_text(encoding="utf-8"))
    style = templates / "style.yaml"
    text = style.read_text(encoding="utf-8")
    assert '  bullets: ["\\u2022"' in text
    style.write_text(text.replace('  bullets: ["\\u2022"', '  bullets: ["\\u2022", "\\u4e2d"', 1), encoding="utf-8")
    line = next(n for n, ln in enumerate(style.read_text(encoding="utf-8").splitlines(), 1) if ln.startswith("  bullets:"))
    with pytest.raises(BuildError) as caught:
        load(MINI, templates)
    message = str(caught.value)
    assert f"style.yaml:{line}" in message and "U+4E2D" in message, message


@pytest.mark.parametrize("items", ["* *\n", "- Before\n- - \n- After\n", "1. *\n"])
def test_an_item_holding_an_empty_list_is_a_bullet_on_an_empty_line(items, tmp_path):
    """'* *' (an item whose only content is an empty list) was 'internal
    error: IndexError: list index out of range' from reportlab's list of no
    flowables (found by test_properties); it is a bullet on an empty line, as
    the DOCX and the page show it."""
    content = tmp_path / "paper"
    shutil.copytree(MINI, content)
    section = content / "sections" / "02-results.md"
    section.write_text(section.read_text(encoding="utf-8") + "\nThe list:\n\n" + items, encoding="utf-8")
    loaded = load(content, ROOT / "templates")
    data, _ = render(loaded, ("pdf", "docx", "html"), ROOT / "templates")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data["pdf"])).pages)
    assert "The list:" in text and ("Before" in text) == ("Before" in items)
