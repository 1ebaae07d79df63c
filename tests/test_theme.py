"""The theme (templates/style.yaml resolved once into frozen dataclasses): its
values, its checks with file:line messages, and a second paper whose own
house style (logo, table style and roles, colours, formats) builds without
any Python change (tests/fixtures/house)."""
from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, copy_fonts, copy_templates, run_build
from paperpipe.pipeline import BuildError, load
from paperpipe.errors import Problems
from paperpipe.theme import load_theme

TEMPLATES = ROOT / "templates"
HOUSE = ROOT / "tests" / "fixtures" / "house"


def theme_of(folder: Path):
    problems = Problems()
    theme = load_theme(folder, problems)
    return theme, [str(p) for p in problems.items]


def edited(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of the shipped templates with style.yaml edited."""
    folder = copy_templates(tmp_path / "templates")
    style = folder / "style.yaml"
    text = style.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    style.write_text(text, encoding="utf-8")
    return folder


def palette_of(folder: Path) -> dict[str, str]:
    """The colours style.yaml names (name -> "#RRGGBB"), read as written."""
    return {k: v.upper() for k, v in yaml.safe_load((folder / "style.yaml").read_text(encoding="utf-8"))["colours"].items()}


def line_of(folder: Path, needle: str) -> int:
    lines = (folder / "style.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# ----------------------------------------------------------------------------- values
def test_shipped_theme_resolves_every_look_once():
    theme, problems = theme_of(TEMPLATES)
    assert problems == []
    palette = palette_of(TEMPLATES)
    assert theme.heading(2).colour == palette["secondary"] == "#1F5AA6"  # palette names looked up
    assert theme.text["caption"].leading == pytest.approx(13.0)  # line: 1.3 × size 10
    assert theme.page.margin_top == pytest.approx(27 * 72 / 25.4)  # "27mm"
    assert theme.captions.around("Figure") == ("Figure ", ": ")  # before and after the number
    assert theme.headings.new_page_below == 0.25
    agenda = theme.tables["agenda"]  # based_on default: its own roles over the default's
    assert agenda.row_look("day").fill == "#D5E3F3" and agenda.row_look("day").bold
    assert agenda.row_look("header").fill == palette["primary"]
    assert agenda.cell_look("time").bold and agenda.grid_width == 0.5
    panel = theme.tables["panel"]
    assert panel.grid_width == 0 and panel.column_rule_width == 6 and panel.body_fill == palette["light"]
    [logo] = theme.cover.logos
    assert logo.file.name == "eu-emblem.svg" and logo.alt == "Flag of the European Union"


def test_theme_is_immutable():
    theme, _ = theme_of(TEMPLATES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        theme.page = None
    with pytest.raises(TypeError):
        theme.text["body"] = None
    with pytest.raises(TypeError):
        theme.tables["agenda"].rows["day"] = None


def test_eu_emblem_file_has_the_official_geometry():
    svg = (TEMPLATES / "eu-emblem.svg").read_text(encoding="utf-8")
    width, height = (float(v) for v in re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups())
    assert width / height == 1.5
    stars = re.findall(r'<polygon points="([^"]+)"', svg)
    assert len(stars) == 12
    for star in stars:
        points = [tuple(map(float, p.split(","))) for p in star.split()]
        cx, cy = sum(x for x, _ in points) / 10, sum(y for _, y in points) / 10
        assert ((cx - width / 2) ** 2 + (cy - height / 2) ** 2) ** 0.5 == pytest.approx(height / 3, abs=0.01)
        tip = min(points, key=lambda p: p[1])  # one point straight up
        assert tip[0] == pytest.approx(cx, abs=0.01) and cy - tip[1] == pytest.approx(height / 18, abs=0.01)
    assert '"#003399"' in svg and '"#FFCC00"' in svg


# ----------------------------------------------------------------------------- checks, on their line
@pytest.mark.parametrize("old, new, needle, message", [
    ("  margin_top: 27mm", "  margin_tpo: 27mm", "margin_tpo", "unknown key 'margin_tpo'"),
    ("colour: secondary, keep_with_next", "colour: secundary, keep_with_next", "secundary", "'colour: secundary' is neither"),
    ('format: "{label} {number}: "', 'format: "{label} {num}: "', "{num}", "names {num}"),
    ("      day: {fill: day_fill, bold: true}", "      day: {fill: day_fill, bold: true, text: celll}", "celll", "'text: celll' is not a text style"),
    ("    - file: eu-emblem.svg", "    - file: ../eu-emblem.svg", "../eu-emblem.svg", "is not a .svg/.png file in the templates folder"),
    ("  margin_left: 25mm", "  margin_left: 25 mm wide", "25 mm wide", "margin_left"),
    ("    based_on: default\n    rows:\n      day", "    based_on: agenda\n    rows:\n      day", "based_on: agenda", "not another table style"),
])
def test_wrong_style_values_are_reported_on_their_line(tmp_path, old, new, needle, message):
    folder = edited(tmp_path, (old, new))
    theme, problems = theme_of(folder)
    assert theme is None
    assert any(f"style.yaml:{line_of(folder, needle)}:" in p for p in problems), problems
    assert any(message in p for p in problems), problems


def test_a_logo_without_alt_text_is_refused(tmp_path):
    folder = edited(tmp_path, ("      alt: Flag of the European Union\n", ""))
    theme, problems = theme_of(folder)
    assert theme is None and any("alt" in p for p in problems), problems


def test_table_style_the_theme_lacks_is_an_error_on_the_table_line(tmp_path):
    paper = tmp_path / "paper"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", paper)
    results = paper / "sections" / "02-results.md"
    text = results.read_text(encoding="utf-8")
    results.write_text(text + "\n```table\nstyle: fancy\nrows:\n  - role: winner\n    cells: [a, {text: b, role: gold}]\n```\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    with pytest.raises(BuildError) as caught:
        load(paper, TEMPLATES)
    found = [str(p) for p in caught.value.problems]
    assert any(f"02-results.md:{line}:" in p and "table style 'fancy' is not defined" in p for p in found), found


def test_role_without_look_is_a_warning_naming_the_roles_there_are(tmp_path):
    paper = tmp_path / "paper"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", paper)
    results = paper / "sections" / "02-results.md"
    results.write_text(results.read_text(encoding="utf-8") + "\n```table\nstyle: agenda\nrows:\n  - role: dya\n    cells: [a]\n```\n",
                       encoding="utf-8")
    warnings = [str(p) for p in load(paper, TEMPLATES).problems.warnings]
    assert any("row role 'dya'" in w and "day" in w for w in warnings), warnings


# ----------------------------------------------------------------------------- a second house style
@pytest.fixture(scope="module")
def house_templates(tmp_path_factory) -> Path:
    """The house paper's own templates, with the fonts linked in."""
    templates = tmp_path_factory.mktemp("house-templates") / "templates"
    shutil.copytree(HOUSE / "templates", templates)
    copy_fonts(templates / "fonts")
    return templates


@pytest.fixture(scope="module")
def house(tmp_path_factory, house_templates) -> Path:
    """The house paper built with its own templates."""
    templates = house_templates
    out = tmp_path_factory.mktemp("house") / "out"
    result = run_build("--format", "all", "--content", str(HOUSE / "paper"), "--templates", str(templates), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "0 warnings" in result.stdout, result.stdout
    return out


def _fills(page) -> set[str]:
    """The fill colours a page's content stream sets (r g b rg), as #RRGGBB."""
    data = page.get_contents().get_data().decode("latin-1")
    return {"#%02X%02X%02X" % tuple(round(float(v) * 255) for v in m) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", data)}


def test_second_house_style_builds_with_its_own_logo_and_table_role(house):
    reader = PdfReader(next(house.glob("*.pdf")))
    cover, body = reader.pages[0], reader.pages[2]
    assert "#003399" not in _fills(cover) and "#2E7D32" in _fills(cover)  # its own logo's green, no EU blue
    assert "A paper of the Example Harbour Network" in cover.extract_text()
    assert "#FFE082" in _fills(body)  # the "winner" row's fill, defined only in its style.yaml
    text = body.extract_text()
    assert "Table 1 – Scores of the teams" in text  # its caption format
    assert "1. Results" in text and "1.1. Next year" in text  # its heading number format
    document_xml = zipfile.ZipFile(next(house.glob("*.docx"))).read("word/document.xml").decode()
    alts = re.findall(r'<wp:docPr [^>]*descr="(Logo of [^"]*)"', document_xml)
    assert alts == ["Logo of the Example Harbour Network", "Logo of the Example Port Authority"]  # the DOCX places the same logos


def test_logos_of_the_house_style_then_of_the_paper_each_a_figure_with_alt_text(house):
    with pikepdf.open(next(house.glob("*.pdf"))) as pdf:
        alts = [str(o.Alt) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == pikepdf.Name.Figure]
        xobjects = pdf.pages[0].Resources.get("/XObject", {})
        images = [k for k, x in xobjects.items() if x.get("/Subtype") == pikepdf.Name.Image]
    assert alts == ["Logo of the Example Harbour Network", "Logo of the Example Port Authority"]
    assert len(images) == 1  # the partner's PNG (the house logo is an SVG, drawn as vector)


@pytest.mark.parametrize("logo, message", [
    ("{file: ../outside.png, alt: A logo, width: 60, height: 30}", "outside the content folder"),
    ("{file: figures/partner.png, width: 60, height: 30}", "alt"),
    ("{file: sections/01-results.md, alt: A logo, width: 60, height: 30}", "is not an SVG or PNG file"),
])
def test_a_wrong_paper_logo_is_an_error_on_its_line(tmp_path, house_templates, logo, message):
    paper = tmp_path / "paper"
    shutil.copytree(HOUSE / "paper", paper)
    yaml_file = paper / "paper.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    entry = re.search(r"    - file: figures/partner.png\n(      .*\n)+", text)
    yaml_file.write_text(text[:entry.start()] + f"    - {logo}\n" + text[entry.end():], encoding="utf-8")
    line = text[:entry.start()].count("\n") + 1
    (tmp_path / "outside.png").write_bytes((paper / "figures" / "partner.png").read_bytes())
    with pytest.raises(BuildError) as caught:
        load(paper, house_templates)
    found = [str(p) for p in caught.value.problems]
    assert any(f"paper.yaml:{line}:" in p and message in p for p in found), found
