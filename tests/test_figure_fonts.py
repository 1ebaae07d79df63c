"""A figure's text in the theme's family is measured and drawn with the
theme's own faces (the ones the PDF embeds), found without asking the
machine: no fontconfig process, whatever fonts the system has; a change of
a face renders the figure again (its cache entries are keyed by the fonts)."""
from __future__ import annotations

import shutil
import subprocess

from reportlab.graphics.shapes import String

from conftest import MINI, ROOT, copy_fonts
from paperpipe.context import Context
from paperpipe.errors import Problems
from paperpipe.figures import inputs
from paperpipe.figures.check import check_image
from paperpipe.figures.drawing import svg_drawing
from paperpipe.theme import load_theme

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120">
  <text x="150" y="30" font-family="{family}" font-size="14" text-anchor="middle">Plain words</text>
  <text x="150" y="60" font-family="{family}" font-size="14" font-weight="bold" text-anchor="end">Bold words</text>
  <text x="10" y="90" font-family="'{family}', sans-serif" font-size="14" font-style="italic">Italic words</text>
  <text x="10" y="110" font-family="Helvetica" font-size="14">Another family</text>
</svg>
"""


def strings(drawing) -> dict[str, str]:
    found = {}

    def walk(node):
        if isinstance(node, String):
            found[node.text] = node.fontName
        for child in getattr(node, "contents", []) or []:
            walk(child)

    walk(drawing)
    return found


def drawn(tmp_path, templates, monkeypatch):
    theme = load_theme(templates, Problems())
    paper = tmp_path / "paper"
    shutil.copytree(MINI, paper)
    svg = paper / "figures" / "words.svg"
    svg.write_text(SVG.format(family=theme.fonts.family), encoding="utf-8")
    context = Context(paper, templates)
    context.fonts = theme.fonts
    assert check_image(svg, svg.name, Problems(), svg, 1, root=paper, context=context)

    def no_process(*args, **kwargs):
        raise AssertionError(f"a process was started to find a font: {args}")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    return theme, context, svg, svg_drawing(context, svg)


def test_figure_text_in_the_theme_family_uses_its_faces_without_fontconfig(tmp_path, monkeypatch):
    theme, _, _, drawing = drawn(tmp_path, ROOT / "templates", monkeypatch)
    family = theme.fonts.family
    assert strings(drawing) == {"Plain words": family, "Bold words": f"{family}-Bold",
                                "Italic words": f"{family}-Italic", "Another family": "Helvetica"}


def test_a_figure_is_keyed_by_the_fonts_its_text_is_drawn_with(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates, ignore=shutil.ignore_patterns("fonts"))
    copy_fonts(templates / "fonts")
    _, context, svg, _ = drawn(tmp_path, templates, monkeypatch)
    before = inputs.inputs_digest(context, svg)
    bold = templates / "fonts" / "Carlito-Bold.ttf"
    data = bold.read_bytes()
    bold.unlink()  # a hard link to the shipped face: replaced, not changed in place
    bold.write_bytes(data + b"\0")
    assert inputs.inputs_digest(context, svg) != before
